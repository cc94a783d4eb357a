// Stage 3, check (src/check/checker.hpp): the loaded documents in, every problem out as a
// diagnostic with its code, JSON pointer and line:column; nothing is thrown.
#include "support/catch.hpp"

#include "check/checker.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace {

using knead::Diagnostic;
using knead::Document;
using knead::detail::CheckedRuleSet;

std::vector<Document> documents(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<Document> out;
  for (const auto& [name, text] : files) {
    auto loaded = knead::detail::load_text(text, name, knead::ParseLimits{});
    REQUIRE(loaded.diagnostics.empty());
    out.insert(out.end(), loaded.documents.begin(), loaded.documents.end());
  }
  return out;
}

CheckedRuleSet check(const std::string& text) { return knead::detail::check(documents({{"rules.json", text}})); }

// Concepts every rule set below uses; `rules` is spliced into the "rules" array.
std::string rule_set(const std::string& rules, const std::string& concepts_extra = "") {
  return R"({
  "ruleset": "check-test", "version": "1.2.0",
  "defaults": {"goals": ["relax"]},
  "concepts": {
    "conditions": [{"id": "arthritis"}, {"id": "knee_oa", "is_a": ["arthritis"]}],
    "goals": [{"id": "relax"}],
    "modalities": [{"id": "massage", "pressure": "medium"},
                   {"id": "swedish", "is_a": ["massage"], "pressure": "medium"}])" +
         concepts_extra + R"(
  },
  "rules": [)" +
         rules + R"(
  ]
})";
}

const std::string swedish_rule = R"(
    {"id": "arthritis.swedish", "title": "Swedish for arthritis", "when": {"condition": "arthritis"},
     "then": {"recommend": [{"modality": "swedish", "weight": 2}]}, "evidence": {"grade": "low", "source": "s"}})";

std::vector<Diagnostic> with_code(const CheckedRuleSet& checked, const std::string& code) {
  std::vector<Diagnostic> out;
  std::copy_if(checked.diagnostics.begin(), checked.diagnostics.end(), std::back_inserter(out),
               [&](const Diagnostic& d) { return d.code == code; });
  return out;
}

}  // namespace

TEST_CASE("check: a sound rule set gives its name, concepts and rules, and no diagnostic", "[check]") {
  const CheckedRuleSet checked = check(rule_set(swedish_rule));
  CHECK(checked.diagnostics.empty());
  CHECK_FALSE(checked.has_errors());
  CHECK(checked.name == "check-test");
  CHECK(checked.version == "1.2.0");
  CHECK(checked.default_goals == std::vector<std::string>{"relax"});
  CHECK(checked.concepts.size() == 5);
  REQUIRE(checked.rules.size() == 1);
  const knead::Rule& rule = checked.rules.front();
  CHECK(rule.id == "arthritis.swedish");
  CHECK(rule.pointer == "/rules/0");
  CHECK(rule.location.line == 11);
  REQUIRE(rule.recommend.size() == 1);
  CHECK(rule.recommend.front().modality == "swedish");
  CHECK(rule.recommend.front().weight == 2.0);
  // The condition is kept as written: the compiler reads it.
  CHECK(rule.when == nlohmann::json::parse(R"({"condition": "arthritis"})"));
  CHECK(checked.rule_files == std::vector<std::string>{"rules.json"});
  CHECK(checked.canonical.at("rules").size() == 1);
}

TEST_CASE("check: an unknown concept in 'then' is named with its pointer, location and nearest id", "[check]") {
  const CheckedRuleSet checked = check(rule_set(R"(
    {"id": "r", "title": "t", "then": {"recommend": [{"modality": "swedsh"}]},
     "evidence": {"grade": "low", "source": "s"}})"));
  REQUIRE(checked.diagnostics.size() == 1);
  const Diagnostic& d = checked.diagnostics.front();
  CHECK(d.code == "check.unknown_concept");
  CHECK(d.severity == knead::Severity::error);
  CHECK(d.message == "unknown modality 'swedsh'; did you mean 'swedish'?");
  CHECK(d.pointer == "/rules/0/then/recommend/0/modality");
  CHECK(d.location.file == "rules.json");
  CHECK(d.location.line == 11);
  CHECK(d.location.column == 67);
  CHECK(checked.has_errors());
}

TEST_CASE("check: every problem of a file is collected, none stops the others", "[check]") {
  const CheckedRuleSet checked = check(rule_set(R"(
    {"id": "a", "title": "t", "then": {"recommend": [{"modality": "swedish", "wieght": 1}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "b", "title": "t",
     "then": {"avoid": [{"modality": "swedish", "level": "contraindicated", "pressure_max": "light", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "a", "title": "t", "then": {"recommend": [{"modality": "swedish"}]},
     "evidence": {"grade": "low", "source": "s"}})"));
  std::vector<std::string> codes;
  for (const auto& d : checked.diagnostics) codes.push_back(d.code);
  std::sort(codes.begin(), codes.end());
  CHECK(codes == std::vector<std::string>{"check.duplicate_id", "check.pressure_max_on_veto", "check.unknown_key"});

  const auto unknown_key = with_code(checked, "check.unknown_key");
  REQUIRE(unknown_key.size() == 1);
  CHECK(unknown_key[0].message == "unknown key 'wieght' in a 'recommend' entry; did you mean 'weight'?");
  CHECK(unknown_key[0].pointer == "/rules/0/then/recommend/0/wieght");
  // A misspelt key is pointed at by its name, not its value.
  CHECK(unknown_key[0].location.line == 11);
  CHECK(unknown_key[0].location.column == 78);

  const auto veto = with_code(checked, "check.pressure_max_on_veto");
  REQUIRE(veto.size() == 1);
  CHECK(veto[0].pointer == "/rules/1/then/avoid/0/pressure_max");
  CHECK(veto[0].location.line == 14);

  const auto duplicate = with_code(checked, "check.duplicate_id");
  REQUIRE(duplicate.size() == 1);
  CHECK(duplicate[0].message == "duplicate rule id 'a'; first defined at rules.json:11:5");
  CHECK(duplicate[0].pointer == "/rules/2/id");
  CHECK(duplicate[0].location.line == 16);
  CHECK(duplicate[0].notes == std::vector<std::string>{"previous definition at rules.json:11:5"});
  // The first rule of that id is kept.
  REQUIRE(checked.rules.size() == 2);
  CHECK(checked.rules[0].recommend.size() == 1);
}

TEST_CASE("check: an is_a cycle is reported once, naming its members in order", "[check]") {
  const CheckedRuleSet checked = check(rule_set(swedish_rule, R"(,
    "findings": [{"id": "flare", "is_a": ["pain"]}, {"id": "pain", "is_a": ["ache"]}, {"id": "ache", "is_a": ["flare"]}])"));
  const auto cycles = with_code(checked, "check.is_a_cycle");
  REQUIRE(cycles.size() == 1);
  CHECK(cycles[0].message == "is_a cycle among findings: flare -> pain -> ache -> flare");
  CHECK(cycles[0].location.line == 9);
  CHECK(checked.diagnostics.size() == 1);
}

TEST_CASE("check: patient fields read by 'when' are checked here, concept ids there are left to compile", "[check]") {
  const CheckedRuleSet checked = check(rule_set(R"(
    {"id": "r", "title": "t",
     "when": {"and": [{"condition": "arthritus"}, {">": [{"var": "pain.intensty"}, 5]}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})"));
  REQUIRE(checked.diagnostics.size() == 1);
  const Diagnostic& d = checked.diagnostics.front();
  CHECK(d.code == "check.unknown_field");
  CHECK(d.message.rfind("in rule 'r': unknown patient field 'pain.intensty'; did you mean 'pain.intensity'?", 0) == 0);
  CHECK(d.pointer == "/rules/0/when/and/1/>/0/var");
  CHECK(d.location.line == 12);
}

TEST_CASE("check: the files of one rule set must agree on its name", "[check]") {
  const std::string base = rule_set(swedish_rule);
  const std::string other = R"({"ruleset": "another-name", "version": "1.2.0", "rules": []})";
  const CheckedRuleSet checked = knead::detail::check(documents({{"a.json", base}, {"b.json", other}}));
  const auto conflicts = with_code(checked, "check.ruleset_conflict");
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].location.file == "b.json");
  CHECK(conflicts[0].message.find("another-name") != std::string::npos);
  CHECK(conflicts[0].message.find("check-test") != std::string::npos);
}

TEST_CASE("check: a rule set without a name is a warning, not an error", "[check]") {
  const CheckedRuleSet checked = check(R"({"rules": []})");
  REQUIRE(checked.diagnostics.size() == 1);
  CHECK(checked.diagnostics[0].code == "check.no_name");
  CHECK(checked.diagnostics[0].severity == knead::Severity::warning);
  CHECK_FALSE(checked.has_errors());
  CHECK(checked.name == "unnamed");
  CHECK(checked.version == "0.0.0");
}
