// Reading what clinics send: one test per matching rule, one per class of unresolved input,
// status review and its cap, questions, region caps, and the reader's hook for unresolved items.
#include "support/catch.hpp"
#include "support/fixtures.hpp"

#include <knead/code_system.hpp>
#include <knead/matching.hpp>

#include <algorithm>
#include <fstream>

using knead::Status;
using knead::test::contains_id;
using knead::test::find_id;
using nlohmann::json;

namespace {

const knead::RuleSet& default_rules() {
  static const knead::RuleSet rules = knead::RuleSet::load(std::string(KNEAD_SOURCE_DIR) + "/rules");
  return rules;
}

knead::Recommendation on_default(const std::string& patient, const knead::RecommendOptions& options = {}) {
  static const knead::Engine engine{default_rules()};
  return engine.recommend(knead::Patient::from_json(json::parse(patient)), options);
}

const knead::Interpreted* read_as(const knead::Recommendation& r, const std::string& field) {
  for (const auto& i : r.interpreted) {
    if (i.field == field) return &i;
  }
  return nullptr;
}

const knead::Unresolved* unresolved_at(const knead::Recommendation& r, const std::string& field) {
  for (const auto& u : r.unresolved) {
    if (u.field == field) return &u;
  }
  return nullptr;
}

bool fired(const knead::Recommendation& r, const std::string& rule) {
  return std::find(r.fired.begin(), r.fired.end(), rule) != r.fired.end();
}

// Review: status review, and no modality above the cap.
void check_review(const knead::Recommendation& r) {
  CHECK(r.status == Status::review);
  CHECK_FALSE(r.unresolved.empty());
  for (const auto& m : r.modalities) CHECK(m.pressure <= default_rules().review_pressure_max());
}

}  // namespace

TEST_CASE("names match without case, surrounding space or punctuation", "[boundary][matching]") {
  CHECK(knead::normalize_name("  Deep-Tissue  massage ") == "deep_tissue_massage");
  CHECK(knead::normalize_name("deep_tissue__massage") == "deep_tissue_massage");
  CHECK(knead::normalize_name("Baker's cyst") == "bakers_cyst");
  auto r = on_default(R"({"medications": ["Warfarin"], "conditions": [" Knee Osteoarthritis "], "goals": ["reduce-pain-intensity"]})");
  CHECK(r.status == Status::ok);
  REQUIRE(read_as(r, "medications[0]") != nullptr);
  CHECK(read_as(r, "medications[0]")->id == "warfarin");
  CHECK(read_as(r, "medications[0]")->by == "name");
  CHECK(read_as(r, "conditions[0]")->id == "knee_osteoarthritis");
  CHECK(read_as(r, "goals[0]")->id == "reduce_pain_intensity");
  CHECK(contains_id(r.excluded, "deep_tissue"));  // the anticoagulant rule fired
}

TEST_CASE("an exact id is not listed as interpreted", "[boundary][matching]") {
  auto r = on_default(R"({"$schema": "../rules/knead.patient.schema.json", "medications": ["warfarin"], "goals": ["reduce_pain_intensity"]})");
  CHECK(r.interpreted.empty());
  CHECK(r.unresolved.empty());
}

TEST_CASE("synonyms: brand names and the words people use for the body", "[boundary][matching]") {
  auto r = on_default(R"({"medications": ["ELIQUIS"], "pain": {"locations": ["lower back", "Left leg", "knees"]}})");
  CHECK(r.status == Status::ok);
  CHECK(read_as(r, "medications[0]")->id == "apixaban");
  CHECK(read_as(r, "medications[0]")->by == "synonym");
  CHECK(read_as(r, "pain.locations[0]")->id == "low_back");
  CHECK(read_as(r, "pain.locations[1]")->id == "left_lower_limb");
  CHECK(read_as(r, "pain.locations[2]")->id == "knee");
  CHECK(contains_id(r.excluded, "deep_tissue"));
}

TEST_CASE("labels match when no other concept has the same words", "[boundary][matching]") {
  auto r = on_default(R"({"conditions": ["knee_osteoarthritis"], "preferences": {"declined": ["Deep Tissue massage"]}})");
  REQUIRE(read_as(r, "preferences.declined[0]") != nullptr);
  CHECK(read_as(r, "preferences.declined[0]")->id == "deep_tissue");
  CHECK(read_as(r, "preferences.declined[0]")->by == "label");
  CHECK_FALSE(contains_id(r.modalities, "deep_tissue"));
}

TEST_CASE("medication strings are read past strength, form and frequency", "[boundary][matching]") {
  for (const char* text : {"apixaban 5 mg twice daily", "Plavix 75mg", "warfarin sodium 5 mg tablet", "Eliquis 2.5 MG Oral Tablet BID"}) {
    CAPTURE(text);
    auto r = on_default(json{{"medications", {text}}}.dump());
    REQUIRE(read_as(r, "medications[0]") != nullptr);
    CHECK(read_as(r, "medications[0]")->by == "dose");
    CHECK(r.unresolved.empty());
  }
  // Words that are not a dose leave the entry unread: a clinician looks at it.
  auto r = on_default(R"({"medications": ["aspirin stopped last week"]})");
  REQUIRE(unresolved_at(r, "medications[0]") != nullptr);
  check_review(r);
}

TEST_CASE("code systems by short name and by FHIR URI", "[boundary][matching][codes]") {
  CHECK(knead::canonical_code_system("http://hl7.org/fhir/sid/icd-10-cm") == "icd10cm");
  CHECK(knead::canonical_code_system("ICD-10-CM") == "icd10cm");
  CHECK(knead::canonical_code_system("http://snomed.info/sct") == "snomed");
  CHECK(knead::canonical_code_system("http://www.whocc.no/atc") == "atc");
  CHECK(knead::canonical_code_system("http://www.nlm.nih.gov/research/umls/rxnorm") == "rxnorm");
  CHECK(knead::canonical_code_system("http://loinc.org").empty());
  auto r = on_default(R"({"conditions": [{"system": "http://snomed.info/sct", "code": "279039007"}],
                          "medications": [{"system": "http://www.whocc.no/atc", "code": "b01af02"}]})");
  CHECK(r.status == Status::ok);
  CHECK(read_as(r, "conditions[0]")->id == "low_back_pain");
  CHECK(read_as(r, "conditions[0]")->system == "snomed");
  CHECK(read_as(r, "medications[0]")->id == "apixaban");
  CHECK(read_as(r, "medications[0]")->by == "code");
}

TEST_CASE("ICD-10-CM codes match with or without the dot, in any case", "[boundary][matching][codes]") {
  for (const char* code : {"M17.11", "M1711", "m17.11", " m1711 "}) {
    CAPTURE(code);
    auto r = on_default(json{{"conditions", {{{"system", "icd10cm"}, {"code", code}}}}}.dump());
    REQUIRE(read_as(r, "conditions[0]") != nullptr);
    CHECK(read_as(r, "conditions[0]")->id == "knee_osteoarthritis");
  }
}

TEST_CASE("branch claims: the most specific claim wins, an exact code first", "[boundary][matching][codes]") {
  const auto rules = knead::RuleSet::parse(R"({"ruleset": "t", "version": "1.0.0", "concepts": {
      "modalities": [{"id": "massage", "pressure": "medium"}],
      "medications": [{"id": "antithrombotic", "codes": {"atc": ["B01A*"]}},
                      {"id": "xaban", "is_a": ["antithrombotic"], "codes": {"atc": ["B01AF*"]}},
                      {"id": "apixaban", "is_a": ["xaban"], "codes": {"atc": ["B01AF02"]}}]}})");
  const knead::Engine engine{rules};
  auto read = [&](const char* code) {
    auto r = engine.recommend(knead::Patient::from_json({{"medications", {{{"system", "atc"}, {"code", code}}}}}));
    return r.interpreted.empty() ? std::string("-") : r.interpreted[0].id + "/" + r.interpreted[0].by;
  };
  CHECK(read("B01AF02") == "apixaban/code");
  CHECK(read("B01AF01") == "xaban/code_branch");
  CHECK(read("B01AA03") == "antithrombotic/code_branch");
  CHECK(read("N02BE01") == "-");
}

TEST_CASE("declared inputs: a value outside its plausible range is an error naming the field and unit", "[boundary][inputs]") {
  try {
    (void)on_default(R"({"labs": {"platelets": 35000}})");
    FAIL("no error");
  } catch (const knead::PatientError& e) {
    CHECK(e.field() == "labs.platelets");
    CHECK(std::string(e.what()).find("10^9/L") != std::string::npos);
    CHECK(std::string(e.what()).find("35000") != std::string::npos);
  }
  CHECK_THROWS_AS(on_default(R"({"labs": {"platelets": "low"}})"), knead::PatientError);
  auto low = on_default(R"({"labs": {"platelets": 35}})");
  CHECK(fired(low, "safety.severe_bleeding_risk.clearance"));
  CHECK(low.modalities.empty());
}

TEST_CASE("declared inputs with a kind are read like ids, and the rules see the ids", "[boundary][inputs]") {
  auto r = on_default(R"({"medications": ["clobazam"], "preferences": {"requested": ["CBD oil massage"]}})");
  REQUIRE(read_as(r, "preferences.requested[0]") != nullptr);
  CHECK(read_as(r, "preferences.requested[0]")->id == "cbd_oil_massage");
  auto exact = on_default(R"({"medications": ["clobazam"], "preferences": {"requested": ["cbd_oil_massage"]}})");
  CHECK(r.fired == exact.fired);
}

TEST_CASE("unresolved: an unknown top-level key is review, never dropped", "[boundary][unresolved]") {
  auto r = on_default(R"({"finding": ["rf_cauda_equina"], "pain": {"intensity": 8}})");
  const auto* u = unresolved_at(r, "finding");
  REQUIRE(u != nullptr);
  CHECK(u->problem == "unknown_key");
  CHECK(u->nearest == "findings");
  CHECK(u->message.str().find("did you mean 'findings'?") != std::string::npos);
  check_review(r);
  // Inside a standard object and under a declared prefix too.
  auto nested = on_default(R"({"pain": {"intensty": 8}, "labs": {"platlets": 40}})");
  REQUIRE(unresolved_at(nested, "pain.intensty") != nullptr);
  CHECK(unresolved_at(nested, "pain.intensty")->message.str().find("did you mean 'pain.intensity'?") !=
        std::string::npos);
  REQUIRE(unresolved_at(nested, "labs.platlets") != nullptr);
  auto site = on_default(R"({"findings": [{"id": "ci_open_wound", "site": ["left_calf"]}]})");
  REQUIRE(unresolved_at(site, "findings[0].site") != nullptr);
  CHECK(unresolved_at(site, "findings[0].site")->nearest == "sites");
  check_review(site);
  check_review(nested);
  // A coded finding keeps its sites, and an entry its FHIR onset: neither is unknown.
  auto coded = on_default(R"({"findings": [{"system": "icd10cm", "code": "Z79.01", "sites": ["LEFT HAND"], "onset": "2026-11-25"}]})");
  CHECK(coded.unresolved.empty());
  CHECK(coded.status != knead::Status::review);
}

TEST_CASE("unresolved: an unknown id, medication or code, and an unknown system", "[boundary][unresolved]") {
  auto id = on_default(R"({"conditions": ["fibromyalga"]})");
  REQUIRE(unresolved_at(id, "conditions[0]") != nullptr);
  CHECK(unresolved_at(id, "conditions[0]")->problem == "unknown_id");
  CHECK(unresolved_at(id, "conditions[0]")->nearest == "fibromyalgia");
  check_review(id);
  auto med = on_default(R"({"medications": ["Eliquiss"]})");
  CHECK(unresolved_at(med, "medications[0]")->problem == "unknown_id");
  CHECK(unresolved_at(med, "medications[0]")->nearest == "apixaban");
  CHECK(unresolved_at(med, "medications[0]")->message == "unknown medication 'Eliquiss'; did you mean 'Eliquis' (apixaban)?");
  check_review(med);
  // Asked again (suggestions are remembered per rule set), and as another kind: the same answers.
  for (int again = 0; again < 2; ++again) {
    auto twice =
        on_default(R"({"medications": ["Eliquiss", "fibromyalga"], "conditions": ["Eliquiss", "fibromyalga"]})");
    CHECK(unresolved_at(twice, "medications[0]")->message ==
          "unknown medication 'Eliquiss'; did you mean 'Eliquis' (apixaban)?");
    CHECK(unresolved_at(twice, "medications[1]")->nearest.empty());
    CHECK(unresolved_at(twice, "conditions[0]")->nearest.empty());
    CHECK(unresolved_at(twice, "conditions[1]")->nearest == "fibromyalgia");
  }
  auto code = on_default(R"({"conditions": [{"system": "icd10cm", "code": "Z99.9"}]})");
  CHECK(unresolved_at(code, "conditions[0]")->problem == "unknown_code");
  check_review(code);
  auto system = on_default(R"({"conditions": [{"system": "icd-10", "code": "M17.11"}, {"system": "snomedct", "code": "279039007"},
                                              {"system": "http://loinc.org", "code": "1-8"}, {"code": "M54.50"}]})");
  CHECK(read_as(system, "conditions[0]") != nullptr);  // "icd-10" is read as ICD-10-CM
  CHECK(read_as(system, "conditions[1]") != nullptr);
  CHECK(unresolved_at(system, "conditions[2]")->problem == "unknown_system");
  CHECK(unresolved_at(system, "conditions[3]")->problem == "unknown_system");
  check_review(system);
}

TEST_CASE("unresolved: a site or pain location that names no region", "[boundary][unresolved]") {
  auto r = on_default(R"({"findings": [{"id": "ci_inflamed_joint_flare", "sites": ["right kneee"]}], "pain": {"locations": ["spleen"]}})");
  REQUIRE(unresolved_at(r, "findings[0].sites[0]") != nullptr);
  CHECK(unresolved_at(r, "findings[0].sites[0]")->problem == "unknown_site");
  CHECK(unresolved_at(r, "findings[0].sites[0]")->nearest == "right_knee");
  CHECK(unresolved_at(r, "pain.locations[0]")->problem == "unknown_site");
  check_review(r);
}

TEST_CASE("unresolved: a declined modality that names nothing", "[boundary][unresolved]") {
  auto r = on_default(R"({"conditions": ["knee_osteoarthritis"], "preferences": {"declined": ["reiki"]}})");
  REQUIRE(unresolved_at(r, "preferences.declined[0]") != nullptr);
  check_review(r);
}

TEST_CASE("status precedence: error > refer > review > ok", "[boundary][review]") {
  auto refer = on_default(R"({"findings": ["rf_cauda_equina"], "medications": ["unknownium"]})");
  CHECK(refer.status == Status::refer);
  CHECK_FALSE(refer.unresolved.empty());
  CHECK(refer.modalities.empty());
  CHECK(knead::severity(Status::error) > knead::severity(Status::refer));
  CHECK(knead::severity(Status::refer) > knead::severity(Status::review));
  CHECK(knead::severity(Status::review) > knead::severity(Status::ok));
}

TEST_CASE("review keeps the recommendation, capped at defaults.review_pressure_max", "[boundary][review]") {
  std::ifstream in(std::string(KNEAD_SOURCE_DIR) + "/examples/patients/chronic_low_back_pain.json");
  json doc = json::parse(in);
  auto plain = on_default(doc.dump());
  doc["note"] = "from the intake form";
  auto review = on_default(doc.dump());
  REQUIRE_FALSE(plain.modalities.empty());
  CHECK(std::any_of(plain.modalities.begin(), plain.modalities.end(), [](const auto& m) { return m.pressure > knead::Pressure::light; }));
  CHECK(review.status == Status::review);
  REQUIRE(review.modalities.size() == plain.modalities.size());
  for (const auto& m : review.modalities) CHECK(m.pressure == knead::Pressure::light);
  // A rule set may choose another cap.
  const auto rules = knead::RuleSet::parse(R"({"ruleset": "t", "version": "1.0.0", "defaults": {"review_pressure_max": "medium"},
      "concepts": {"modalities": [{"id": "massage", "pressure": "firm"}]},
      "rules": [{"id": "r", "title": "t", "then": {"recommend": [{"modality": "massage"}]}}]})");
  auto capped = knead::Engine{rules}.recommend(knead::Patient::from_json({{"x", 1}}));
  REQUIRE(capped.modalities.size() == 1);
  CHECK(capped.modalities[0].pressure == knead::Pressure::medium);
}

TEST_CASE("strict mode makes unresolved input an error", "[boundary][strict]") {
  knead::RecommendOptions strict;
  strict.strict = true;
  try {
    (void)on_default(R"({"finding": ["rf_cauda_equina"]})", strict);
    FAIL("no error");
  } catch (const knead::PatientError& e) {
    CHECK(e.field() == "finding");
    CHECK(std::string(e.what()).find("did you mean 'findings'?") != std::string::npos);
  }
  CHECK_NOTHROW(on_default(R"({"medications": ["Eliquis 5 mg"]})", strict));  // interpreted is fine
}

TEST_CASE("a reader's unresolved items reach the result and make it review", "[boundary][unresolved]") {
  static const knead::Engine engine{default_rules()};
  const auto patient = knead::Patient::from_json({{"conditions", {"knee_osteoarthritis"}}})
                           .with_unresolved({{"entry[2]", "Observation/17", "unreadable_resource", "", "Observation without a value"}});
  auto r = engine.recommend(patient);
  REQUIRE(r.unresolved.size() == 1);
  CHECK(r.unresolved[0].problem == "unreadable_resource");
  check_review(r);
  knead::RecommendOptions strict;
  strict.strict = true;
  CHECK_THROWS_AS(engine.recommend(patient, strict), knead::PatientError);
}

TEST_CASE("questions: fired asks, deduplicated by fact", "[boundary][questions]") {
  const auto rules = knead::RuleSet::parse(R"({"ruleset": "t", "version": "1.0.0",
      "concepts": {"modalities": [{"id": "massage", "pressure": "medium"}], "conditions": [{"id": "a"}, {"id": "b"}]},
      "rules": [
        {"id": "r1", "title": "t", "priority": 5, "when": {"condition": "a"},
         "then": {"ask": [{"fact": "pregnancy", "question": "Could the patient be pregnant?"}]}},
        {"id": "r2", "title": "t", "when": {"condition": "a"},
         "then": {"ask": [{"fact": "pregnancy", "question": "Pregnant?"}, {"fact": "labs.platelets", "question": "Platelet count?"}]}},
        {"id": "r3", "title": "t", "when": {"condition": "b"}, "then": {"ask": [{"fact": "x", "question": "x?"}]}}]})");
  auto r = knead::Engine{rules}.recommend(knead::Patient::from_json({{"conditions", {"a"}}}));
  REQUIRE(r.questions.size() == 2);
  CHECK(r.questions[0].fact == "pregnancy");
  CHECK(r.questions[0].question == "Could the patient be pregnant?");
  CHECK(r.questions[0].because == std::vector<std::string>{"r1", "r2"});
  CHECK(r.questions[1].fact == "labs.platelets");
  const std::string out = knead::to_json(r);
  CHECK(out.find("\"questions\"") != std::string::npos);
  CHECK(knead::to_text(r).find("Platelet count?") != std::string::npos);
}

TEST_CASE("region cautions carry pressure_max and cap modalities where the pain is", "[boundary][regions]") {
  const auto rules = knead::RuleSet::parse(R"({"ruleset": "t", "version": "1.0.0",
      "concepts": {"modalities": [{"id": "massage", "pressure": "firm"}],
                   "conditions": [{"id": "varicose"}],
                   "regions": [{"id": "whole_body"}, {"id": "lower_limb", "is_a": ["whole_body"], "synonyms": ["legs"]},
                               {"id": "left_knee", "is_a": ["lower_limb"]}, {"id": "neck", "is_a": ["whole_body"]}]},
      "rules": [
        {"id": "rec", "title": "t", "then": {"recommend": [{"modality": "massage"}]}},
        {"id": "legs.medium", "title": "t", "when": {"condition": "varicose"},
         "then": {"avoid": [{"region": "lower_limb", "level": "caution", "pressure_max": "medium", "reason": "veins"}]}},
        {"id": "legs.light", "title": "t", "when": {"condition": "varicose"},
         "then": {"avoid": [{"region": "lower_limb", "level": "caution", "pressure_max": "light", "reason": "veins, light"}]}}]})");
  const knead::Engine engine{rules};
  auto elsewhere = engine.recommend(knead::Patient::from_json({{"conditions", {"varicose"}}, {"pain", {{"locations", {"neck"}}}}}));
  const auto* legs = find_id(elsewhere.avoid_regions, "lower_limb");
  REQUIRE(legs != nullptr);
  REQUIRE(legs->pressure_max);
  CHECK(*legs->pressure_max == knead::Pressure::light);   // the strictest
  CHECK(elsewhere.modalities[0].pressure == knead::Pressure::firm);  // a region caution limits that region only
  CHECK(knead::to_json(elsewhere).find("\"pressure_max\": \"light\"") != std::string::npos);
  auto knee = engine.recommend(knead::Patient::from_json({{"conditions", {"varicose"}}, {"pain", {{"locations", {"left_knee"}}}}}));
  CHECK(knee.modalities[0].pressure == knead::Pressure::light);   // pain inside the cautioned region
  auto words = engine.recommend(knead::Patient::from_json({{"conditions", {"varicose"}}, {"pain", {{"locations", {"Legs"}}}}}));
  CHECK(words.modalities[0].pressure == knead::Pressure::light);
}

TEST_CASE("the text rendering states review at the top and lists what could not be read", "[boundary][render]") {
  auto r = on_default(R"({"finding": ["rf_cauda_equina"], "conditions": ["knee_osteoarthritis"]})");
  const std::string text = knead::to_text(r, &default_rules());
  CHECK(text.find("Status: REVIEW") < text.find("Could not read"));
  CHECK(text.find("finding: unknown patient field 'finding'; did you mean 'findings'?") != std::string::npos);
  CHECK(text.find("no modality goes above light pressure") != std::string::npos);
  const auto j = json::parse(knead::to_json(r));
  CHECK(j["status"] == "review");
  CHECK(j["unresolved"][0]["field"] == "finding");
  CHECK(j["unresolved"][0]["problem"] == "unknown_key");
  CHECK(j["unresolved"][0]["nearest"] == "findings");
}
