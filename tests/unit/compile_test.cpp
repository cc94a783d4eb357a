// Stage 4, compile (src/compile/compile.hpp, domain_operators.hpp): a checked rule set in,
// conditions compiled to node trees and every concept id resolved to an index; problems in
// conditions become diagnostics with the rule's pointer, and then nothing is compiled.
#include "support/catch.hpp"

#include "compile/compile.hpp"
#include "compile/data_reads.hpp"
#include "compile/domain_operators.hpp"

#include <knead/logic/context.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using knead::ConceptKind;
using knead::Diagnostic;
using knead::detail::CheckedRuleSet;
using knead::detail::CompiledRuleSet;
using knead::detail::NormalizedPatient;

// The stages before compile, run on one text; the checker must find nothing.
struct Compiled {
  std::vector<knead::Document> documents;
  CheckedRuleSet checked;
  std::shared_ptr<CompiledRuleSet> result;
};

Compiled compile(const std::string& text) {
  Compiled out;
  auto loaded = knead::detail::load_text(text, "rules.json", knead::ParseLimits{});
  REQUIRE(loaded.diagnostics.empty());
  out.documents = std::move(loaded.documents);
  out.checked = knead::detail::check(out.documents);
  std::string found;
  for (const auto& d : out.checked.diagnostics) found += d.to_string() + "\n";
  INFO(found);
  REQUIRE_FALSE(out.checked.has_errors());
  out.result = knead::detail::compile(out.checked, out.documents, knead::LoadOptions{});
  return out;
}

std::string rule_set(const std::string& rules) {
  return R"({
  "ruleset": "compile-test", "version": "2.0.0",
  "defaults": {"goals": ["relax"]},
  "concepts": {
    "conditions": [{"id": "arthritis"}, {"id": "gout", "is_a": ["arthritis"]}, {"id": "knee_oa", "is_a": ["arthritis"]}],
    "goals": [{"id": "relax"}], "findings": [{"id": "flare"}],
    "regions": [{"id": "lower_limb"}, {"id": "left_knee", "is_a": ["lower_limb"]}],
    "self_care": [{"id": "walking", "instructions": "Walk 20 minutes a day."}],
    "modalities": [{"id": "massage", "pressure": "medium"},
                   {"id": "swedish", "is_a": ["massage"], "pressure": "medium"},
                   {"id": "deep_tissue", "is_a": ["massage"], "pressure": "firm"}]
  },
  "rules": [)" +
         rules + R"(
  ]
})";
}

const std::string sound_rules = R"(
    {"id": "always.walk", "title": "t", "then": {"self_care": [{"item": "walking"}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "knee.swedish", "title": "t",
     "when": {"and": [{"condition": ["gout", "knee_oa"]}, {">=": [{"var": "age"}, 50]}]},
     "then": {"recommend": [{"modality": "swedish"}],
              "avoid": [{"region": "left_knee", "level": "caution", "pressure_max": "light", "reason": "r"},
                        {"modality": "deep_tissue", "level": "contraindicated", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "leg.pain", "title": "t", "when": {"pain_location": "lower_limb"},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})";

// The facts of a patient with these concepts (ancestors included, as evaluate builds them).
NormalizedPatient facts(const knead::Ontology& ontology, ConceptKind kind, const std::vector<std::string>& ids) {
  NormalizedPatient out;
  out.clear_present(ontology);
  for (const auto& id : ids) {
    const auto index = ontology.index(kind, id);
    REQUIRE(index);
    out.set_present(ontology, kind, *index);
  }
  return out;
}

bool holds(const knead::logic::Node& when, const nlohmann::json& data, const NormalizedPatient* patient) {
  knead::logic::Context ctx(data, patient, knead::logic::Limits{});
  return when.test(ctx);
}

Diagnostic only_error(const CheckedRuleSet& checked) {
  std::vector<Diagnostic> errors;
  std::copy_if(checked.diagnostics.begin(), checked.diagnostics.end(), std::back_inserter(errors),
               [](const Diagnostic& d) { return d.severity == knead::Severity::error; });
  REQUIRE(errors.size() == 1);
  return errors.front();
}

}  // namespace

TEST_CASE("compile: each rule gets its condition and its concept ids as indices", "[compile]") {
  const Compiled c = compile(rule_set(sound_rules));
  REQUIRE(c.result);
  const CompiledRuleSet& out = *c.result;
  const knead::Ontology& ontology = out.ontology;
  CHECK(out.name == "compile-test");
  CHECK(out.version == "2.0.0");
  REQUIRE(out.rules.size() == 3);
  REQUIRE(out.compiled.size() == 3);

  // No condition: the rule always fires, and nothing is compiled for it.
  CHECK(out.compiled[0].when == nullptr);
  CHECK(out.compiled[0].self_care ==
        std::vector<knead::Ontology::Index>{*ontology.index(ConceptKind::self_care, "walking")});

  const auto& knee = out.compiled[1];
  REQUIRE(knee.when != nullptr);
  CHECK(knee.when->op() == "and");
  CHECK(knee.recommend == std::vector<knead::Ontology::Index>{*ontology.index(ConceptKind::modality, "swedish")});
  REQUIRE(knee.avoid.size() == 2);
  CHECK(knee.avoid[0].kind == ConceptKind::region);
  CHECK(knee.avoid[0].index == *ontology.index(ConceptKind::region, "left_knee"));
  CHECK(knee.avoid[1].kind == ConceptKind::modality);
  CHECK(knee.avoid[1].index == *ontology.index(ConceptKind::modality, "deep_tissue"));

  CHECK(out.default_goal_indices == std::vector<knead::Ontology::Index>{*ontology.index(ConceptKind::goal, "relax")});
  CHECK(out.files == std::vector<std::string>{"rules.json"});
  CHECK(out.warnings.empty());
}

TEST_CASE("compile: the digest is the one the loaded rule set reports", "[compile]") {
  const std::string text = rule_set(sound_rules);
  const Compiled c = compile(text);
  REQUIRE(c.result);
  CHECK(c.result->digest.rfind("sha256:", 0) == 0);
  CHECK(c.result->digest.size() == 7 + 64);
  CHECK(c.result->digest == knead::RuleSet::parse(text, "elsewhere.json").digest());
}

TEST_CASE("compile: domain operators test the patient's facts, descendants included", "[compile]") {
  const Compiled c = compile(rule_set(sound_rules));
  REQUIRE(c.result);
  const knead::Ontology& ontology = c.result->ontology;
  const knead::logic::Node& knee = *c.result->compiled[1].when;
  const auto older = nlohmann::json::parse(R"({"age": 61})");
  const auto younger = nlohmann::json::parse(R"({"age": 40})");

  const NormalizedPatient with_gout = facts(ontology, ConceptKind::condition, {"gout"});
  const NormalizedPatient with_arthritis = facts(ontology, ConceptKind::condition, {"arthritis"});
  CHECK(holds(knee, older, &with_gout));
  CHECK_FALSE(holds(knee, younger, &with_gout));
  // {"condition": ["gout", "knee_oa"]} asks for either; the broader 'arthritis' is neither.
  CHECK_FALSE(holds(knee, older, &with_arthritis));
  // Outside a recommendation there are no facts, and no domain test holds.
  CHECK_FALSE(holds(knee, older, nullptr));

  // pain_location names regions: pain in the left knee is pain in the lower limb.
  const knead::logic::Node& leg = *c.result->compiled[2].when;
  CHECK(leg.op() == "pain_location");
  const NormalizedPatient knee_pain = facts(ontology, ConceptKind::region, {"left_knee"});
  CHECK(holds(leg, nlohmann::json::object(), &knee_pain));
  CHECK_FALSE(holds(leg, nlohmann::json::object(), &with_gout));
}

TEST_CASE("compile: the operator table is the standard one plus every domain operator", "[compile]") {
  const Compiled c = compile(rule_set(sound_rules));
  REQUIRE(c.result);
  const knead::logic::OperatorTable table = knead::detail::domain_operators(c.result->ontology);
  for (const auto& op : knead::detail::domain_operator_list()) {
    INFO(op.info.name);
    CHECK(table.find(op.info.name) != nullptr);
    REQUIRE(table.info(op.info.name) != nullptr);
    CHECK(table.info(op.info.name)->summary == op.info.summary);
    CHECK(knead::detail::find_domain_operator(op.info.name) == &op);
  }
  CHECK(table.find("var") != nullptr);
  CHECK(knead::detail::find_domain_operator("var") == nullptr);
}

TEST_CASE("compile: an unknown concept in a condition is an error at its pointer, with the nearest id", "[compile]") {
  Compiled c = compile(rule_set(R"(
    {"id": "r", "title": "t", "when": {"or": [{"condition": "gout"}, {"condition": ["knee_oa", "arthritus"]}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})"));
  CHECK(c.result == nullptr);
  const Diagnostic d = only_error(c.checked);
  CHECK(d.code == "check.unknown_concept");
  CHECK(d.message == "in rule 'r': unknown condition 'arthritus'; did you mean 'arthritis'?");
  CHECK(d.pointer == "/rules/0/when/or/1/condition/1");
  CHECK(d.location.file == "rules.json");
  CHECK(d.location.line == 14);
  CHECK(d.location.column == 96);
}

TEST_CASE("compile: an unknown operator, or a domain operator given no id, is an error at its pointer", "[compile]") {
  SECTION("unknown operator") {
    Compiled c = compile(rule_set(R"(
    {"id": "r", "title": "t", "when": {"and": [true, {"conditon": "gout"}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})"));
    CHECK(c.result == nullptr);
    const Diagnostic d = only_error(c.checked);
    CHECK(d.code == "logic.unknown_operator");
    CHECK(d.message.rfind("in rule 'r': ", 0) == 0);
    CHECK(d.message.find("'conditon'") != std::string::npos);
    CHECK(d.message.find("did you mean 'condition'?") != std::string::npos);
    // The pointer is given once, by the diagnostic, not repeated in the message.
    CHECK(d.message.find("(at ") == std::string::npos);
    CHECK(d.pointer == "/rules/0/when/and/1");
    CHECK(d.location.line == 14);
  }
  SECTION("a number where an id belongs") {
    Compiled c = compile(rule_set(R"(
    {"id": "r", "title": "t", "when": {"finding": ["flare", 7]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})"));
    CHECK(c.result == nullptr);
    const Diagnostic d = only_error(c.checked);
    CHECK(d.code == "check.type");
    CHECK(d.message == "in rule 'r': 'finding' takes a finding id or a list of ids, got 7");
    CHECK(d.pointer == "/rules/0/when/finding/1");
  }
}

TEST_CASE("compile: every rule is compiled, so all its condition errors are reported at once", "[compile]") {
  Compiled c = compile(rule_set(R"(
    {"id": "a", "title": "t", "when": {"goal": "relx"},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "b", "title": "t", "when": {"medication": "warfarin"},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})"));
  CHECK(c.result == nullptr);
  std::vector<std::string> pointers;
  for (const auto& d : c.checked.diagnostics) {
    CHECK(d.code == "check.unknown_concept");
    pointers.push_back(d.pointer);
  }
  CHECK(pointers == std::vector<std::string>{"/rules/0/when/goal", "/rules/1/when/medication"});
  CHECK(c.checked.diagnostics[0].message == "in rule 'a': unknown goal 'relx'; did you mean 'relax'?");
  CHECK(c.checked.diagnostics[1].message == "in rule 'b': unknown medication 'warfarin'");
}

TEST_CASE("compile: the checker's warnings travel with the compiled rule set", "[compile]") {
  const std::string text = R"({"concepts": {"modalities": [{"id": "massage", "pressure": "medium"}]},
  "rules": [{"id": "r", "title": "t", "then": {"recommend": [{"modality": "massage"}]},
             "evidence": {"grade": "low", "source": "s"}}]})";
  const Compiled c = compile(text);
  REQUIRE(c.result);
  REQUIRE(c.result->warnings.size() == 1);
  CHECK(c.result->warnings[0].code == "check.no_name");
  CHECK(c.result->name == "unnamed");
}

TEST_CASE("compile: the data a rule set's conditions can read, for the record's copy with ids", "[compile]") {
  using knead::detail::DataReads;
  DataReads reads;
  reads.add(nlohmann::json::parse(R"({"and": [{"var": "medications-x"}, {"var": "medications.0"},
                                            {"some": [{"val": ["preferences", "declined"]}, {"var": "code"}]},
                                            {"missing_some": [1, ["pain.flare", "age"]]}]})"));
  CHECK(reads.may_read("/medications"));       // a value inside it
  CHECK(reads.may_read("/medications/0"));     // itself
  CHECK(reads.may_read("/medications/0/id"));  // a value around it
  CHECK_FALSE(reads.may_read("/medications/1"));
  CHECK(reads.may_read("/preferences/declined/2"));
  CHECK_FALSE(reads.may_read("/preferences/pressure"));
  CHECK(reads.may_read("/pain"));
  CHECK_FALSE(reads.may_read("/pain/locations"));
  CHECK_FALSE(reads.may_read("/conditions"));
  CHECK(reads.may_read("/code"));  // an iterator's item is read as if at the top: more, never less

  // A computed path or the whole scope reads everything.
  DataReads computed;
  computed.add(nlohmann::json::parse(R"({"var": {"cat": ["con", "ditions"]}})"));
  CHECK(computed.may_read("/conditions"));
  DataReads whole;
  whole.add(nlohmann::json::parse(R"({"==": [{"var": ""}, null]})"));
  CHECK(whole.may_read("/pain/locations/0"));

  // Remembered answers are the searched ones, and a condition added later is not hidden by them.
  const char* pointers[] = {"/medications", "/medications/1", "/preferences/pressure", "/pain/locations",
                            "/conditions"};
  DataReads kept;
  kept.add(nlohmann::json::parse(R"({"var": "medications.0"})"));
  for (const char* p : pointers) kept.remember(p);
  for (const char* p : pointers) CHECK(kept.may_read(p) == (std::string(p) == "/medications"));
  kept.add(nlohmann::json::parse(R"({"var": "conditions"})"));
  CHECK(kept.may_read("/conditions"));
  CHECK_FALSE(kept.may_read("/pain/locations"));
}
