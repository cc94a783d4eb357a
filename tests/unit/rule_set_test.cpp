// Stages 2-4: loading, checking and compiling rule sets; one bad-input fixture per diagnostic code.
#include "support/catch.hpp"
#include "support/fixtures.hpp"

#include <fstream>
#include <map>

namespace {

std::string bad_input(const std::string& name) { return std::string(KNEAD_TEST_DATA_DIR) + "/bad_input/" + name; }

std::vector<knead::Diagnostic> diagnostics_of(const std::string& path) {
  auto result = knead::RuleSet::try_load(path);
  CHECK_FALSE(result.ok());
  return result.diagnostics;
}

}  // namespace

TEST_CASE("every bad-input fixture gives its diagnostic code at its location and pointer", "[check][bad_input]") {
  std::ifstream in(bad_input("expected.json"));
  REQUIRE(in);
  const auto expected = nlohmann::json::parse(in);
  REQUIRE(expected.size() >= 20);
  for (const auto& e : expected) {
    const std::string file = e["file"];
    CAPTURE(file);
    const auto diagnostics = diagnostics_of(bad_input(file));
    REQUIRE_FALSE(diagnostics.empty());
    const auto& d = diagnostics.front();
    CHECK(d.severity == knead::Severity::error);
    CHECK(d.code == e["code"].get<std::string>());
    CHECK(d.location.line == e["line"].get<std::size_t>());
    CHECK(d.location.column == e["column"].get<std::size_t>());
    CHECK(d.pointer == e["pointer"].get<std::string>());
    CHECK(d.message.find(e["message"].get<std::string>()) != std::string::npos);
    // The one-line form a rule author reads: file:line:col: error: message [pointer]
    const std::string line = d.to_string();
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find(": error: ") != std::string::npos);
  }
}

TEST_CASE("a missing rule-set path is an io.read error naming it", "[check][bad_input]") {
  auto d = diagnostics_of(bad_input("does_not_exist.json"));
  CHECK(d.front().code == "io.read");
  CHECK(d.front().message.find("does_not_exist.json") != std::string::npos);
}

TEST_CASE("an include cycle names every member in order", "[check][load]") {
  auto d = diagnostics_of(bad_input("cycle_a.json"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == "load.include_cycle");
  const auto& m = d[0].message;
  const auto a = m.find("cycle_a.json");
  const auto b = m.find("cycle_b.json");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  CHECK(a < b);
  CHECK(m.find("cycle_a.json", b) != std::string::npos);
}

TEST_CASE("an is_a cycle names every member in order", "[check][ontology]") {
  auto d = diagnostics_of(bad_input("check_is_a_cycle.json"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "is_a cycle among conditions: a -> c -> b -> a");
}

TEST_CASE("all problems of a rule set are reported together, sorted by location", "[check]") {
  const auto result = knead::RuleSet::try_load(bad_input("check_duplicate_id.json"));
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].notes.size() == 1);
  const char* many = R"({
    "ruleset": "many", "version": "1",
    "concepts": {"modalities": [{"id": "massage", "pressure": "medium"}]},
    "rules": [
      {"id": "one", "title": "t", "then": {"recommend": [{"modality": "swedish"}]}},
      {"id": "two", "title": "t", "when": {"nope": 1}, "then": {}},
      {"id": "three", "title": 3, "then": {}, "extra": true}
    ]})";
  try {
    (void)knead::RuleSet::parse(many, "many.json");
    FAIL("expected a LoadError");
  } catch (const knead::LoadError& e) {
    REQUIRE(e.diagnostics().size() == 4);
    for (std::size_t i = 1; i < e.diagnostics().size(); ++i) {
      CHECK_FALSE(e.diagnostics()[i].location < e.diagnostics()[i - 1].location);
    }
    CHECK(e.code() == e.diagnostics().front().code);
    CHECK(std::string(e.what()).find("(and 3 more)") != std::string::npos);
  }
}

TEST_CASE("a rule set loads from a directory, skipping schema files, with a stable digest", "[load]") {
  const auto rules = knead::test::test_rules();
  CHECK(rules.name() == "engine-test");
  CHECK(rules.version() == "1.2.3");
  CHECK(rules.digest().size() == std::string("sha256:").size() + 64);
  CHECK(rules.rules().size() == 12);
  CHECK(rules.default_goals() == std::vector<std::string>{"reduce_pain_intensity"});
  // The digest is of the canonical content: the same rules from text give the same digest.
  std::ifstream in(knead::test::data_path("test_rules.json"));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(knead::RuleSet::parse(text, "copy.json").digest() == rules.digest());
  // ...and a changed rule changes it.
  std::string changed = text;
  changed.replace(changed.find("\"weight\": 3"), 11, "\"weight\": 4");
  CHECK(knead::RuleSet::parse(changed, "changed.json").digest() != rules.digest());
}

TEST_CASE("the ontology resolves ids, codes and ancestors", "[ontology]") {
  const auto& o = knead::test::test_rules().ontology();
  using K = knead::ConceptKind;
  const auto knee = o.index(K::condition, "knee_osteoarthritis");
  const auto arthritis = o.index(K::condition, "arthritis");
  REQUIRE(knee);
  REQUIRE(arthritis);
  CHECK(o.is_a(K::condition, *knee, *arthritis));
  CHECK_FALSE(o.is_a(K::condition, *arthritis, *knee));
  CHECK(o.find_code(K::condition, "icd10cm", "M17.11")->id == "knee_osteoarthritis");
  CHECK(o.find_code(K::condition, "snomed", "nope") == nullptr);
  CHECK(o.nearest(K::modality, "swedsh") == "swedish");
  CHECK(o.nearest(K::modality, "completely_different") == "");
}

TEST_CASE("the shipped default rule set loads without errors", "[load][default]") {
  const auto result = knead::RuleSet::try_load(std::string(KNEAD_SOURCE_DIR) + "/rules");
  for (const auto& d : result.diagnostics) {
    if (d.severity == knead::Severity::error) FAIL_CHECK(d.to_string());
  }
  REQUIRE(result.ok());
  CHECK(result.rule_set->rules().size() > 20);
}
