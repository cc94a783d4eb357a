// Case files: expectations, malformed cases, files and unfired rules.
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <knead/case_runner.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

using nlohmann::json;

const char* const rules_text = R"({
  "ruleset": "cases-test", "version": "1.0.0",
  "concepts": {
    "conditions": [{"id": "chronic_pain"}, {"id": "fibromyalgia", "is_a": ["chronic_pain"]},
                   {"id": "low_back_pain", "is_a": ["chronic_pain"]}],
    "goals": [{"id": "sleep"}],
    "findings": [{"id": "anticoagulant"}, {"id": "saddle_anaesthesia"}],
    "modalities": [{"id": "massage", "pressure": "medium"},
                   {"id": "swedish", "is_a": ["massage"], "pressure": "medium"},
                   {"id": "deep_tissue", "is_a": ["massage"], "pressure": "firm"}],
    "self_care": [{"id": "walking", "instructions": "Walk daily."}, {"id": "sleep_hygiene", "instructions": "Regular hours."}],
    "regions": [{"id": "body"}, {"id": "neck", "is_a": ["body"]}]
  },
  "rules": [
    {"id": "fibro.swedish", "title": "Swedish for fibromyalgia", "priority": 10,
     "when": {"condition": "fibromyalgia"},
     "then": {"recommend": [{"modality": "swedish", "weight": 3, "pressure": "light"}, {"modality": "deep_tissue", "weight": 1}],
              "self_care": [{"item": "walking"}],
              "avoid": [{"region": "neck", "level": "contraindicated", "reason": "tender neck"}]}},
    {"id": "sleep.hygiene", "title": "Sleep habits", "when": {"goal": "sleep"},
     "then": {"self_care": [{"item": "sleep_hygiene"}]}},
    {"id": "safety.anticoagulant", "title": "No deep tissue on anticoagulants", "priority": 100,
     "when": {"finding": "anticoagulant"},
     "then": {"avoid": [{"modality": "deep_tissue", "level": "contraindicated", "reason": "bleeding risk"}],
              "refer": {"to": "physician", "urgency": "routine", "reason": "check INR"}}},
    {"id": "redflag.cauda_equina", "title": "Cauda equina", "priority": 1000,
     "when": {"finding": "saddle_anaesthesia"},
     "then": {"refer": {"to": "emergency_department", "urgency": "emergency", "reason": "suspected cauda equina"}}},
    {"id": "never.tested", "title": "Not covered by any case", "when": {"condition": "low_back_pain"},
     "then": {"self_care": [{"item": "walking"}]}}
  ]
})";

const knead::Engine& engine() {
  static const knead::Engine e{knead::RuleSet::parse(rules_text, "cases-test.json")};
  return e;
}

knead::CaseResult run(const char* text) { return knead::run_case(engine(), json::parse(text)); }

const knead::CaseFailure* failure(const knead::CaseResult& r, const std::string& key) {
  auto it = std::find_if(r.failures.begin(), r.failures.end(),
                         [&](const knead::CaseFailure& f) { return f.expectation == key; });
  return it == r.failures.end() ? nullptr : &*it;
}

using knead::testing::TempDir;

}  // namespace

TEST_CASE("a case passes when every expectation holds", "[cases]") {
  auto r = run(R"({
    "name": "fibromyalgia with sleep problems",
    "patient": {"conditions": ["fibromyalgia"], "goals": ["sleep"], "pain": {"intensity": 6}},
    "expect": {"status": "ok", "modalities_include": ["swedish", "deep_tissue"], "modalities_exclude": [],
               "top_modality": "swedish", "max_pressure": "firm", "self_care_include": ["walking", "sleep_hygiene"],
               "self_care_exclude": [], "avoid_regions_include": ["neck"], "refer": "none",
               "fired_include": ["fibro.swedish", "sleep.hygiene"], "fired_exclude": ["safety.anticoagulant"]}
  })");
  CHECK(r.error.empty());
  CHECK(r.failures.empty());
  CHECK(r.passed);
  CHECK(r.name == "fibromyalgia with sleep problems");
  CHECK(r.fired == std::vector<std::string>{"fibro.swedish", "sleep.hygiene"});
}

TEST_CASE("a failure says what was expected and what came out", "[cases]") {
  auto r = run(R"({
    "name": "on warfarin",
    "patient": {"conditions": ["fibromyalgia"], "findings": ["anticoagulant"], "goals": ["sleep"]},
    "expect": {"modalities_include": ["deep_tissue"], "excluded_include": ["deep_tissue"], "top_modality": "deep_tissue",
               "max_pressure": "light", "refer": "none", "refer_to": "physician", "self_care_exclude": ["walking"]}
  })");
  CHECK_FALSE(r.passed);
  CHECK(r.error.empty());
  REQUIRE(failure(r, "modalities_include") != nullptr);
  CHECK(failure(r, "modalities_include")->expected == R"(["deep_tissue"])");
  CHECK(failure(r, "modalities_include")->actual == R"(["swedish"])");
  CHECK(failure(r, "excluded_include") == nullptr);
  REQUIRE(failure(r, "top_modality") != nullptr);
  CHECK(failure(r, "top_modality")->actual == R"("swedish")");
  CHECK(failure(r, "max_pressure") == nullptr);  // swedish is light by its rule
  REQUIRE(failure(r, "refer") != nullptr);
  CHECK(failure(r, "refer")->actual == R"("routine")");
  CHECK(failure(r, "refer_to") == nullptr);
  REQUIRE(failure(r, "self_care_exclude") != nullptr);
  CHECK(failure(r, "self_care_exclude")->actual == R"(["walking","sleep_hygiene"])");
}

TEST_CASE("max_pressure names the modalities above it", "[cases]") {
  auto r = run(R"({"patient": {"conditions": ["fibromyalgia"]}, "expect": {"max_pressure": "medium"}})");
  REQUIRE(failure(r, "max_pressure") != nullptr);
  CHECK(failure(r, "max_pressure")->expected == R"("medium")");
  CHECK(failure(r, "max_pressure")->actual == R"({"deep_tissue":"firm"})");
}

TEST_CASE("refer expectations read the most urgent referral", "[cases]") {
  auto r = run(R"({"patient": {"findings": ["anticoagulant", "saddle_anaesthesia"]},
                   "expect": {"status": "refer", "refer": "emergency", "refer_to": "emergency_department",
                              "top_modality": null, "modalities_exclude": ["swedish"]}})");
  CHECK(r.error.empty());
  CHECK(r.failures.empty());
  auto none = run(R"({"patient": {}, "expect": {"refer": "none", "refer_to": "physician"}})");
  REQUIRE(failure(none, "refer_to") != nullptr);
  CHECK(failure(none, "refer_to")->actual == "null");
  CHECK(failure(none, "refer") == nullptr);
}

TEST_CASE("warnings_include matches substrings of the warnings", "[cases]") {
  auto r = run(R"({"patient": {"conditions": ["fibromyalga"]},
                   "expect": {"warnings_include": ["could not be read"]}})");
  CHECK(r.passed);
  auto missing = run(R"({"patient": {}, "expect": {"warnings_include": ["no such warning"]}})");
  REQUIRE(failure(missing, "warnings_include") != nullptr);
  CHECK(failure(missing, "warnings_include")->actual == "[]");
}

TEST_CASE("unknown case and expect keys are errors naming the nearest key", "[cases]") {
  auto r = run(R"({"name": "typo", "patient": {}, "expct": {}})");
  CHECK_FALSE(r.passed);
  CHECK(r.error == "unknown key 'expct' in a case; did you mean 'expect'?");
  auto e = run(R"({"patient": {}, "expect": {"modalities_includ": ["swedish"]}})");
  CHECK_FALSE(e.passed);
  CHECK(e.error == "unknown key 'modalities_includ' in 'expect'; did you mean 'modalities_include'?");
  auto schema = run(R"({"$schema": "../knead.cases.schema.json", "description": "d", "patient": {}, "expect": {}})");
  CHECK(schema.passed);
}

TEST_CASE("malformed expectations are errors of the case", "[cases]") {
  CHECK(run(R"({"patient": {}, "expect": {"status": "eror"}})").error ==
        "expect.status: must be one of ok, review, refer, error, got 'eror'; did you mean 'error'?");
  CHECK(run(R"({"patient": {}, "expect": {"status": "fine"}})").error ==
        "expect.status: must be one of ok, review, refer, error, got 'fine'");
  CHECK(run(R"({"patient": {}, "expect": {"modalities_include": "swedish"}})").error ==
        R"(expect.modalities_include: must be an array of strings, got "swedish")");
  CHECK(run(R"({"patient": {}, "expect": {"modalities_include": ["swedsh"]}})").error ==
        "expect.modalities_include[0]: unknown modality 'swedsh'; did you mean 'swedish'?");
  CHECK(run(R"({"patient": {}, "expect": {"fired_include": ["fibro.swedsh"]}})").error ==
        "expect.fired_include[0]: unknown rule 'fibro.swedsh'; did you mean 'fibro.swedish'?");
  CHECK(run(R"({"patient": {}, "expect": {"refer": "soon"}})").error.find("expect.refer: must be one of none,") == 0);
  CHECK(run(R"({"patient": {}})").error == "a case needs 'expect'");
  CHECK(run(R"({"expect": {}})").error == "a case needs 'patient'");
  CHECK(run(R"([1, 2])").error.find("a case must be an object") == 0);
}

TEST_CASE("a rejected patient fails the case with the patient's message", "[cases]") {
  auto r = run(R"({"name": "bad pain", "patient": {"pain": {"intensity": 12}}, "expect": {"status": "ok"}})");
  CHECK_FALSE(r.passed);
  CHECK(r.error.find("patient.pain.intensity") != std::string::npos);
  CHECK(r.fired.empty());
}

TEST_CASE("case files: one case or an array, with locations, counts and unfired rules", "[cases]") {
  TempDir dir;
  dir.write("a_array.json", R"([
  {"name": "fibro", "patient": {"conditions": ["fibromyalgia"]}, "expect": {"top_modality": "swedish"}},
  {"name": "fails", "patient": {}, "expect": {"status": "refer"}}
])");
  dir.write("b_single.json", R"({"name": "red flag", "patient": {"findings": ["saddle_anaesthesia"]},
  "expect": {"status": "refer"}})");
  dir.write("c.schema.json", R"({"not": "a case"})");
  dir.write("notes.txt", "not json at all");
  const auto broken = dir.write("broken.txt", "{\"name\": ");

  auto report = knead::run_case_files(engine(), {dir.path()});
  REQUIRE(report.results.size() == 3);
  CHECK(report.passed == 2);
  CHECK(report.failed == 1);
  CHECK(report.diagnostics.empty());
  CHECK(report.ok() == false);
  CHECK(report.results[0].name == "fibro");
  CHECK(report.results[0].location.line == 2);
  CHECK(report.results[0].location.column == 3);
  CHECK(report.results[1].location.line == 3);
  CHECK(report.results[2].location.file == (dir.path() / "b_single.json").string());
  CHECK(report.results[2].location.line == 1);
  // sleep.hygiene and safety.anticoagulant fired nowhere; never.tested neither.
  CHECK(report.unfired_rules == std::vector<std::string>{"sleep.hygiene", "safety.anticoagulant", "never.tested"});

  auto bad = knead::run_case_files(engine(), {broken, dir.path() / "missing.json"});
  REQUIRE(bad.diagnostics.size() == 2);
  CHECK(bad.diagnostics[0].code == "parse.syntax");
  CHECK(bad.diagnostics[1].code == "io.read");
  CHECK_FALSE(bad.ok());
  CHECK(bad.unfired_rules.size() == 5);

  const auto scalar = dir.write("scalar.json", "42");
  auto wrong = knead::run_case_files(engine(), {scalar});
  REQUIRE(wrong.diagnostics.size() == 1);
  CHECK(wrong.diagnostics[0].code == "cases.type");
}
