// Static analysis of valid rule sets (SPEC section 9).
#include "support/catch.hpp"

#include <knead/lint.hpp>

#include <algorithm>
#include <iterator>
#include <string>

namespace {

// Concepts shared by the rule sets below; `rules` is spliced in.
std::string rule_set(const std::string& rules, const std::string& extra_conditions = "") {
  return R"({
  "ruleset": "lint-test", "version": "1.0.0",
  "defaults": {"goals": ["pain_relief"]}, "inputs": {"weight": {"type": "number", "unit": "kg"}},
  "concepts": {
    "conditions": [{"id": "chronic_pain"}, {"id": "arthritis", "is_a": ["chronic_pain"]},
                   {"id": "knee_oa", "is_a": ["arthritis"]}, {"id": "fibromyalgia", "is_a": ["chronic_pain"]})" +
         extra_conditions + R"(],
    "goals": [{"id": "pain_relief"}],
    "findings": [{"id": "anticoagulant"}, {"id": "pregnancy"}, {"id": "fever"}],
    "modalities": [{"id": "massage", "pressure": "medium"},
                   {"id": "swedish", "is_a": ["massage"], "pressure": "medium"},
                   {"id": "deep_tissue", "is_a": ["massage"], "pressure": "firm"}],
    "self_care": [{"id": "walking", "instructions": "Walk."}],
    "regions": [{"id": "body"}, {"id": "knee", "is_a": ["body"]}]
  },
  "rules": [)" +
         rules + R"(]
})";
}

// Rules that keep every check quiet: evidence, safety for each modality, every concept used.
const std::string base_rules = R"(
    {"id": "arthritis.swedish", "title": "t", "when": {"condition": "arthritis"},
     "then": {"recommend": [{"modality": "swedish"}], "self_care": [{"item": "walking"}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "fibro.deep", "title": "t", "when": {"and": [{"condition": "fibromyalgia"}, {"!": {"finding": "anticoagulant"}}]},
     "then": {"recommend": [{"modality": "deep_tissue"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "safety.anticoagulant", "title": "t", "when": {"finding": "anticoagulant"},
     "then": {"avoid": [{"modality": "deep_tissue", "level": "contraindicated", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "safety.fever", "title": "t", "when": {"finding": ["fever", "pregnancy"]},
     "then": {"avoid": [{"modality": "massage", "level": "contraindicated", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "goal.pain", "title": "t", "when": {"goal": "pain_relief"},
     "then": {"plan": {"duration_min": 30}}, "evidence": {"grade": "low", "source": "s"}})";

std::vector<knead::Diagnostic> lint(const std::string& extra_rules, const std::string& extra_conditions = "") {
  const std::string rules = extra_rules.empty() ? base_rules : base_rules + "," + extra_rules;
  return knead::lint(knead::RuleSet::parse(rule_set(rules, extra_conditions), "lint.json"));
}

std::vector<knead::Diagnostic> with_code(const std::vector<knead::Diagnostic>& all, const std::string& code) {
  std::vector<knead::Diagnostic> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const knead::Diagnostic& d) { return d.code == code; });
  return out;
}

}  // namespace

TEST_CASE("a careful rule set has no lint warnings", "[lint]") {
  const auto found = lint("");
  for (const auto& d : found) INFO(d.to_string());
  CHECK(found.empty());
}

TEST_CASE("lint.no_evidence and lint.empty_then point at the rule", "[lint]") {
  const auto found = lint(R"({"id": "no.evidence", "title": "t", "then": {"self_care": [{"item": "walking"}]}},
    {"id": "does.nothing", "title": "t", "then": {}, "evidence": {"grade": "low", "source": "s"}})");
  const auto no_evidence = with_code(found, "lint.no_evidence");
  REQUIRE(no_evidence.size() == 1);
  CHECK(no_evidence[0].severity == knead::Severity::warning);
  CHECK(no_evidence[0].message == "rule 'no.evidence' has no evidence; add 'evidence' with a grade and a source");
  CHECK(no_evidence[0].pointer == "/rules/5");
  CHECK(no_evidence[0].location.file == "lint.json");
  CHECK(no_evidence[0].location.line == 28);
  const auto empty = with_code(found, "lint.empty_then");
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].pointer == "/rules/6");
  CHECK(std::all_of(found.begin(), found.end(),
                    [](const knead::Diagnostic& d) { return d.severity == knead::Severity::warning; }));
}

TEST_CASE("lint.never_fires finds conjunctions no value satisfies", "[lint]") {
  auto never = [](const std::string& when) {
    const auto found = with_code(
        lint(R"({"id": "r", "title": "t", "when": )" + when +
             R"(, "then": {"self_care": [{"item": "walking"}]}, "evidence": {"grade": "low", "source": "s"}})"),
        "lint.never_fires");
    return found.empty() ? std::string() : found[0].message;
  };
  CHECK(never(R"({"and": [{"<": [{"var": "age"}, 18]}, {">": [{"var": "age"}, 65]}]})") ==
        "rule 'r' can never fire: 'age' cannot be both > 65 and < 18");
  CHECK(
      never(
          R"({"and": [{"condition": "arthritis"}, {"and": [{">=": [{"var": "age"}, 18]}, {">": [18, {"var": "age"}]}]}]})") ==
      "rule 'r' can never fire: 'age' cannot be both >= 18 and < 18");
  CHECK(never(R"({"<": [65, {"var": "age"}, 18]})") == "rule 'r' can never fire: 'age' cannot be both > 65 and < 18");
  CHECK(never(R"({"and": [{"==": [{"var": "pain.intensity"}, 3]}, {">": [{"var": "pain.intensity"}, 7]}]})") ==
        "rule 'r' can never fire: 'pain.intensity' cannot be both > 7 and == 3");
  CHECK(!never(R"({"or": [false, {"and": [{"<": [{"var": "age"}, 1]}, {">": [{"var": "age"}, 2]}]}]})").empty());
  CHECK(never("false") == "rule 'r' can never fire: its condition is the literal false");
  // Satisfiable, or beyond this analysis: no warning.
  CHECK(never(R"({"and": [{">=": [{"var": "age"}, 18]}, {"<=": [{"var": "age"}, 18]}]})").empty());
  CHECK(never(R"({"and": [{"<": [{"var": "age"}, 18]}, {">": [{"var": "weight"}, 65]}]})").empty());
  CHECK(never(R"({"or": [{"<": [{"var": "age"}, 18]}, {">": [{"var": "age"}, 65]}]})").empty());
  CHECK(never(R"({"and": [{"<": [{"var": "age"}, "18"]}, {">": [{"var": "age"}, 65]}]})").empty());
  CHECK(never(R"({"and": [{"<": [{"var": ["age", 30]}, 18]}, {">": [{"var": ["age", 30]}, 65]}]})").empty());
}

TEST_CASE("lint.duplicate_rule finds rules with the same when and then", "[lint]") {
  const auto found = with_code(lint(R"(
    {"id": "copy", "title": "another title", "when": {"condition": "arthritis"},
     "then": {"self_care": [{"item": "walking"}], "recommend": [{"modality": "swedish"}]},
     "evidence": {"grade": "high", "source": "other"}})"),
                               "lint.duplicate_rule");
  REQUIRE(found.size() == 1);
  CHECK(found[0].message == "rule 'copy' has the same 'when' and 'then' as rule 'arthritis.swedish' (lint.json:16:5)");
  CHECK(found[0].pointer == "/rules/5");
}

TEST_CASE("lint.unused_concept: reached through ancestors and descendants, regions exempt", "[lint]") {
  const auto found =
      with_code(lint("", R"(, {"id": "gout"}, {"id": "tophaceous_gout", "is_a": ["gout"]})"), "lint.unused_concept");
  std::vector<std::string> messages;
  for (const auto& d : found) messages.push_back(d.message);
  // knee_oa descends from arthritis, chronic_pain is its ancestor; knee (a region) is exempt.
  CHECK(messages ==
        std::vector<std::string>{
            "condition 'gout' is defined but no rule uses it, nor a broader or narrower condition",
            "condition 'tophaceous_gout' is defined but no rule uses it, nor a broader or narrower condition"});
  REQUIRE(found.size() == 2);
  CHECK(found[0].pointer == "/concepts/conditions/4");
  CHECK(found[0].location.line == 6);

  const auto modality = with_code(knead::lint(knead::RuleSet::parse(rule_set(R"(
    {"id": "only", "title": "t", "when": {"condition": "arthritis"}, "then": {"recommend": [{"modality": "swedish"}],
     "avoid": [{"modality": "deep_tissue", "level": "caution", "reason": "r"}]}, "evidence": {"grade": "low", "source": "s"}})"),
                                                                    "lint.json")),
                                  "lint.unused_concept");
  std::vector<std::string> unused;
  for (const auto& d : modality) unused.push_back(d.message);
  CHECK(std::find(unused.begin(), unused.end(), "modality 'deep_tissue' is defined but no rule recommends it") !=
        unused.end());
  CHECK(std::find(unused.begin(), unused.end(), "self-care item 'walking' is defined but no rule suggests it") !=
        unused.end());
  CHECK(std::none_of(unused.begin(), unused.end(),
                     [](const std::string& m) { return m.find("'massage'") != std::string::npos; }));
}

TEST_CASE("lint.unsafe_modality: a modality no avoid entry names, directly or through an ancestor", "[lint]") {
  const auto found = with_code(knead::lint(knead::RuleSet::parse(rule_set(R"(
    {"id": "r", "title": "t", "when": {"condition": "arthritis"},
     "then": {"recommend": [{"modality": "swedish"}, {"modality": "deep_tissue"}],
              "avoid": [{"modality": "deep_tissue", "level": "caution", "pressure_max": "medium", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}})"),
                                                                 "lint.json")),
                               "lint.unsafe_modality");
  std::vector<std::string> messages;
  for (const auto& d : found) messages.push_back(d.message);
  CHECK(messages ==
        std::vector<std::string>{
            "modality 'massage' has no safety rule: no 'avoid' entry names it or a modality it is a kind of",
            "modality 'swedish' has no safety rule: no 'avoid' entry names it or a modality it is a kind of"});
  REQUIRE(found.size() == 2);
  CHECK(found[1].pointer == "/concepts/modalities/1");
}

TEST_CASE("lint.veto_conflict: a recommendation another rule can veto for the same patient", "[lint]") {
  const auto found = with_code(lint(R"(
    {"id": "knee.deep", "title": "t", "when": {"condition": "knee_oa"}, "then": {"recommend": [{"modality": "deep_tissue"}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "young.deep", "title": "t", "when": {"and": [{"condition": "knee_oa"}, {"<": [{"var": "age"}, 30]}]},
     "then": {"recommend": [{"modality": "deep_tissue"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "old.no_deep", "title": "t", "when": {">": [{"var": "age"}, 70]},
     "then": {"avoid": [{"modality": "deep_tissue", "level": "contraindicated", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "self.conflict", "title": "t", "when": {"condition": "knee_oa"},
     "then": {"self_care": [{"item": "walking"}], "avoid": [{"self_care": "walking", "level": "contraindicated", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}})"),
                               "lint.veto_conflict");
  std::vector<std::string> messages;
  for (const auto& d : found) messages.push_back(d.message);
  // fibro.deep excludes the anticoagulant veto by its own condition, not old.no_deep; young.deep
  // cannot meet old.no_deep (age < 30 and age > 70); vetoes of the root `massage` (fever) are
  // left out; arthritis.swedish suggests walking, which self.conflict vetoes for knee_oa.
  CHECK(messages ==
        std::vector<std::string>{
            "rule 'arthritis.swedish' recommends self-care item 'walking', which rule 'self.conflict' contraindicates "
            "under conditions both can meet; the veto wins",
            "rule 'fibro.deep' recommends modality 'deep_tissue', which rule 'old.no_deep' contraindicates under "
            "conditions both can meet; the veto wins",
            "rule 'knee.deep' recommends modality 'deep_tissue', which rules 'safety.anticoagulant' and 'old.no_deep' "
            "contraindicate under conditions both can meet; the veto wins",
            "rule 'young.deep' recommends modality 'deep_tissue', which rule 'safety.anticoagulant' contraindicates "
            "under "
            "conditions both can meet; the veto wins",
            "rule 'self.conflict' recommends self-care item 'walking', which it also contraindicates"});
  REQUIRE(found.size() == 5);
  CHECK(found[2].pointer == "/rules/5");
  CHECK(found[2].notes.size() == 2);
  CHECK(found[2].notes[1].find("contraindicated by 'old.no_deep' at lint.json:") == 0);
}
