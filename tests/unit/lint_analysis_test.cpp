// Lint's deeper analyses: shadowed rules, ranges that cannot hold, concepts required and excluded
// at once, acknowledgements written in the rule file, and saying when an analysis gave up.
#include "support/catch.hpp"

#include <knead/lint.hpp>

#include <algorithm>
#include <iterator>
#include <string>

namespace {

std::string rule_set(const std::string& rules, const std::string& top = "") {
  return R"({
  "ruleset": "lint-analysis", "version": "1.0.0",)" +
         top + R"(
  "concepts": {
    "conditions": [{"id": "arthritis"}, {"id": "knee_oa", "is_a": ["arthritis"]}],
    "findings": [{"id": "anticoagulant"}],
    "modalities": [{"id": "massage", "pressure": "medium"},
                   {"id": "swedish", "is_a": ["massage"], "pressure": "medium"},
                   {"id": "deep_tissue", "is_a": ["massage"], "pressure": "firm"}]
  },
  "rules": [
    {"id": "safety.anticoagulant", "title": "t", "when": {"finding": "anticoagulant"},
     "then": {"avoid": [{"modality": "massage", "level": "caution", "pressure_max": "light", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}},)" +
         rules + R"(]
})";
}

knead::LintReport report(const std::string& rules, const std::string& top = "") {
  return knead::lint_report(knead::RuleSet::parse(rule_set(rules, top), "lint.json"));
}

std::vector<knead::Diagnostic> with_code(const std::vector<knead::Diagnostic>& all, const std::string& code) {
  std::vector<knead::Diagnostic> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const knead::Diagnostic& d) { return d.code == code; });
  return out;
}

const std::string arthritis_swedish = R"(
    {"id": "arthritis.swedish", "title": "t", "when": {"condition": "arthritis"},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})";

}  // namespace

TEST_CASE("lint.shadowed_rule: a narrower rule that says the same as a broader one", "[lint]") {
  const auto r = report(arthritis_swedish + R"(,
    {"id": "knee.swedish", "title": "t", "when": {"and": [{"condition": "knee_oa"}, {">=": [{"var": "age"}, 50]}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "knee.swedish.older", "title": "t", "when": {"and": [{"condition": "knee_oa"}, {">": [{"var": "age"}, 60]}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "knee.deep", "title": "t", "when": {"condition": "knee_oa"},
     "then": {"recommend": [{"modality": "deep_tissue"}]}, "evidence": {"grade": "low", "source": "s"}})");
  const auto found = with_code(r.warnings, "lint.shadowed_rule");
  std::vector<std::string> pairs;
  for (const auto& d : found) pairs.push_back(d.message.substr(0, d.message.find(" (")));
  std::sort(pairs.begin(), pairs.end());
  // knee.deep says something else, so it is not shadowed.
  CHECK(pairs == std::vector<std::string>{"rule 'knee.swedish' is shadowed by rule 'arthritis.swedish'",
                                          "rule 'knee.swedish.older' is shadowed by rule 'arthritis.swedish'",
                                          "rule 'knee.swedish.older' is shadowed by rule 'knee.swedish'"});
}

TEST_CASE("lint.never_fires: ranges outside a field's scale, and a concept required and excluded", "[lint]") {
  const auto r = report(R"(
    {"id": "pain.eleven", "title": "t", "when": {">": [{"var": "pain.intensity"}, 10]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "pain.ten", "title": "t", "when": {">=": [{"var": "pain.intensity"}, 10]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "knee.not.arthritis", "title": "t",
     "when": {"and": [{"condition": "knee_oa"}, {"!": {"condition": "arthritis"}}]},
     "then": {"recommend": [{"modality": "deep_tissue"}]}, "evidence": {"grade": "low", "source": "s"}})");
  const auto found = with_code(r.warnings, "lint.never_fires");
  REQUIRE(found.size() == 2);
  CHECK(found[0].message ==
        "rule 'pain.eleven' can never fire: 'pain.intensity' cannot be both > 10 and <= 10 (the pain scale)");
  CHECK(found[1].message ==
        "rule 'knee.not.arthritis' can never fire: it requires condition 'knee_oa' and also that the patient has "
        "none of 'arthritis'");
}

TEST_CASE("lint.veto_conflict names a patient both rules fire for", "[lint]") {
  const auto r = report(arthritis_swedish + R"(,
    {"id": "knee.deep", "title": "t", "when": {"and": [{"condition": "knee_oa"}, {"<": [{"var": "age"}, 40]}]},
     "then": {"recommend": [{"modality": "deep_tissue"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "safety.no_deep", "title": "t", "when": {"finding": "anticoagulant"},
     "then": {"avoid": [{"modality": "deep_tissue", "level": "contraindicated", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}})");
  const auto found = with_code(r.warnings, "lint.veto_conflict");
  REQUIRE(found.size() == 1);
  CHECK(found[0].message ==
        "rule 'knee.deep' recommends modality 'deep_tissue', which rule 'safety.no_deep' contraindicates under "
        "conditions both can meet; the veto wins (e.g. for {\"age\":39,\"conditions\":[\"knee_oa\"],\"findings\":[\"anticoagulant\"]})");
}

TEST_CASE("acknowledgements in the rule file: honoured, scoped, reported, and stale ones flagged", "[lint]") {
  const std::string conflict = R"(
    {"id": "knee.deep", "title": "t", "when": {"condition": "knee_oa"},
     "then": {"recommend": [{"modality": "deep_tissue"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "safety.no_deep", "title": "t", "when": {"finding": "anticoagulant"},
     "then": {"avoid": [{"modality": "deep_tissue", "level": "contraindicated", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "other.no_deep", "title": "t", "when": {">": [{"var": "age"}, 80]},
     "then": {"avoid": [{"modality": "deep_tissue", "level": "contraindicated", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}})";

  SECTION("a set-level acceptance covers every finding of its code") {
    const auto r = report(conflict, R"( "lint": {"accept": ["lint.veto_conflict"], "because": "vetoes by design"},)");
    CHECK(with_code(r.warnings, "lint.veto_conflict").empty());
    REQUIRE(r.accepted.size() == 1);
    CHECK(r.accepted[0].because == "vetoes by design");
    CHECK(r.accepted[0].finding.code == "lint.veto_conflict");
    CHECK(r.unused_acceptances.empty());
  }
  SECTION("scoped to rules: a conflict with a vetoing rule outside the scope still shows") {
    const auto r = report(conflict, R"( "lint": {"accept": ["lint.veto_conflict"], "rules": ["safety.*"],
                                                  "because": "safety vetoes by design"},)");
    REQUIRE(with_code(r.warnings, "lint.veto_conflict").size() == 1);  // other.no_deep is not a safety rule
    CHECK(r.accepted.empty());
    REQUIRE(r.unused_acceptances.size() == 1);
    CHECK(r.unused_acceptances[0].code == "lint.unused_acceptance");
  }
  SECTION("inside a rule, for that rule") {
    std::string in_rule = conflict;
    in_rule.replace(in_rule.find(R"("evidence")"), 0,
                    R"("lint": {"accept": ["lint.veto_conflict"], "because": "knee rule reviewed"}, )");
    const auto r = report(in_rule);
    CHECK(with_code(r.warnings, "lint.veto_conflict").empty());
    REQUIRE(r.accepted.size() == 1);
    CHECK(r.accepted[0].because == "knee rule reviewed");
  }
  SECTION("an unknown code or a missing reason is an error") {
    try {
      (void)knead::RuleSet::parse(rule_set(conflict, R"( "lint": {"accept": ["lint.veto_conflicts"]},)"), "lint.json");
      FAIL("accepted");
    } catch (const knead::LoadError& e) {
      std::vector<std::string> codes;
      for (const auto& d : e.diagnostics()) codes.push_back(d.code);
      CHECK(std::find(codes.begin(), codes.end(), "check.required") != codes.end());
      CHECK(std::find(codes.begin(), codes.end(), "check.unknown_lint_code") != codes.end());
    }
  }
}

TEST_CASE("lint says when an analysis gave up", "[lint]") {
  const auto r = report(R"(
    {"id": "strings", "title": "t", "when": {"in": ["neck", {"var": "pain.locations"}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})");
  REQUIRE(r.gave_up.size() == 1);
  CHECK(r.gave_up[0].code == "lint.gave_up");
  CHECK(r.gave_up[0].severity == knead::Severity::note);
  CHECK(r.gave_up[0].message.find("1 of 2 rules") != std::string::npos);
  CHECK(r.gave_up[0].message.find("'strings'") != std::string::npos);
}

TEST_CASE("acknowledgements scoped to concepts: only the concepts named are accepted", "[lint]") {
  const std::string text = R"({
  "ruleset": "lint-concepts", "version": "1.0.0",
  "lint": {"accept": ["lint.unused_concept"], "concepts": ["statin"], "because": "read, not acted on"},
  "concepts": {
    "findings": [{"id": "anticoagulant"}],
    "medications": [{"id": "statin"}, {"id": "warfarin"}],
    "modalities": [{"id": "massage", "pressure": "medium"}]
  },
  "rules": [
    {"id": "safety.anticoagulant", "title": "t", "when": {"finding": "anticoagulant"},
     "then": {"avoid": [{"modality": "massage", "level": "caution", "pressure_max": "light", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "swedish", "title": "t", "then": {"recommend": [{"modality": "massage"}]},
     "evidence": {"grade": "low", "source": "s"}}]
})";
  const auto r = knead::lint_report(knead::RuleSet::parse(text, "lint.json"));
  const auto unused = with_code(r.warnings, "lint.unused_concept");
  // A medicine with a safety concern that no rule uses must still show.
  REQUIRE(unused.size() == 1);
  CHECK(unused[0].message.find("'warfarin'") != std::string::npos);
  REQUIRE(r.accepted.size() == 1);
  CHECK(r.accepted[0].finding.message.find("'statin'") != std::string::npos);
  CHECK(r.accepted[0].because == "read, not acted on");
  CHECK(r.unused_acceptances.empty());
}
