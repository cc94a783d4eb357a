// FHIR R4 input: each mapping of docs/fhir-and-cds-hooks.md, on the default rule set.
#include "support/catch.hpp"
#include "support/fixtures.hpp"

#include <knead/cds_hooks.hpp>

#include <fstream>
#include <sstream>

using nlohmann::json;

namespace {

const knead::RuleSet& default_rules() {
  static const knead::RuleSet rules = knead::RuleSet::load(std::string(KNEAD_SOURCE_DIR) + "/rules");
  return rules;
}

knead::FhirOptions with_rules(const char* as_of = "2026-12-01") { return knead::FhirOptions{as_of, &default_rules()}; }

json bundle(std::initializer_list<json> resources) {
  json b = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", json::array()}};
  for (const auto& r : resources) b["entry"].push_back({{"resource", r}});
  return b;
}

json coding(const char* system, const char* code) { return {{"coding", json::array({{{"system", system}, {"code", code}}})}}; }

json status(const char* code) { return {{"coding", json::array({{{"code", code}}})}}; }

const char* const kIcd = "http://hl7.org/fhir/sid/icd-10-cm";
const char* const kSnomed = "http://snomed.info/sct";
const char* const kLoinc = "http://loinc.org";

json condition(const char* id, json code, const char* clinical = "active") {
  json c = {{"resourceType", "Condition"}, {"id", id}, {"code", std::move(code)}};
  if (clinical != nullptr) c["clinicalStatus"] = status(clinical);
  return c;
}

json observation(const char* id, const char* loinc, json extra) {
  json o = {{"resourceType", "Observation"}, {"id", id}, {"status", "final"}, {"code", coding(kLoinc, loinc)}};
  o.update(extra);
  return o;
}

bool unresolved_has(const knead::FhirReading& r, const std::string& field) {
  for (const auto& u : r.unresolved) {
    if (u.field.str().find(field) != std::string::npos) return true;
  }
  return false;
}

json read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

}  // namespace

TEST_CASE("FHIR Patient: birthDate gives the age on the date asked, gender the sex", "[fhir]") {
  auto r = knead::read_fhir(bundle({{{"resourceType", "Patient"}, {"id", "p1"}, {"birthDate", "1968-12-02"}, {"gender", "female"}}}),
                            {"2026-12-01", nullptr});
  CHECK(r.patient["id"] == "p1");
  CHECK(r.patient["age"] == 57);  // the birthday is tomorrow
  CHECK(r.patient["sex"] == "female");
  CHECK(r.unresolved.empty());
  auto birthday = knead::read_fhir({{"resourceType", "Patient"}, {"birthDate", "1968-12-01"}}, {"2026-12-01", nullptr});
  CHECK(birthday.patient["age"] == 58);
}

TEST_CASE("FHIR Patient: a partial birth date gives the youngest age it allows", "[fhir]") {
  CHECK(knead::read_fhir({{"resourceType", "Patient"}, {"birthDate", "2008"}}, {"2026-06-30", nullptr}).patient["age"] == 17);
  CHECK(knead::read_fhir({{"resourceType", "Patient"}, {"birthDate", "2008-06"}}, {"2026-06-30", nullptr}).patient["age"] == 18);
  CHECK(knead::read_fhir({{"resourceType", "Patient"}, {"birthDate", "2008-07"}}, {"2026-06-30", nullptr}).patient["age"] == 17);
}

TEST_CASE("FHIR Patient: unreadable birth dates and genders are unresolved, not guessed", "[fhir]") {
  auto r = knead::read_fhir({{"resourceType", "Patient"}, {"id", "p"}, {"birthDate", "12/02/1968"}, {"gender", "F"}}, {"2026-12-01", nullptr});
  CHECK_FALSE(r.patient.contains("age"));
  CHECK_FALSE(r.patient.contains("sex"));
  CHECK(unresolved_has(r, "Patient/p.birthDate"));
  CHECK(unresolved_has(r, "Patient/p.gender"));
  auto future = knead::read_fhir({{"resourceType", "Patient"}, {"birthDate", "2030-01-01"}}, {"2026-12-01", nullptr});
  CHECK(unresolved_has(future, "birthDate"));
  CHECK_THROWS_AS(knead::read_fhir(json::object(), {"1.12.2026", nullptr}), knead::PatientError);
}

TEST_CASE("FHIR Condition: active, recurrence and relapse are read, inactive, remission and resolved are not",
          "[fhir]") {
  auto r = knead::read_fhir(bundle({condition("a", coding(kIcd, "M79.7"), "active"), condition("b", coding(kIcd, "M54.2"), "recurrence"),
                                    condition("c", coding(kIcd, "G47.00"), "relapse"), condition("d", coding(kIcd, "M54.6"), "resolved"),
                                    condition("e", coding(kIcd, "M62.830"), "remission"), condition("f", coding(kIcd, "F41.9"), "inactive")}),
                            {"2026-12-01", nullptr});
  REQUIRE(r.patient["conditions"].size() == 3);
  CHECK(r.patient["conditions"][0] == json({{"system", kIcd}, {"code", "M79.7"}}));
  CHECK(r.unresolved.empty());
}

TEST_CASE("FHIR Condition: refuted and entered-in-error are not read, an unknown status is unresolved", "[fhir]") {
  json refuted = condition("r", coding(kSnomed, "128053003"));
  refuted["verificationStatus"] = status("refuted");
  json error = condition("e", coding(kSnomed, "128053003"));
  error["verificationStatus"] = status("entered-in-error");
  json provisional = condition("p", coding(kSnomed, "128053003"));
  provisional["verificationStatus"] = status("provisional");
  json odd = condition("o", coding(kIcd, "M79.7"), "maybe");
  auto r = knead::read_fhir(bundle({refuted, error, provisional, odd}), {"2026-12-01", nullptr});
  REQUIRE(r.patient["conditions"].size() == 1);  // the provisional one: a suspected DVT still counts
  CHECK(unresolved_has(r, "Condition/o.clinicalStatus"));
}

TEST_CASE("FHIR Condition: with the rule set, a finding's code goes to findings with its body sites and onset", "[fhir]") {
  json c = condition("cell", coding(kSnomed, "128045006"));
  c["bodySite"] = json::array({{{"text", "left knee"}}});
  c["onsetDateTime"] = "2026-11-25";
  auto r = knead::read_fhir(bundle({c, condition("oa", coding(kIcd, "M17.11"))}), with_rules());
  REQUIRE(r.patient["findings"].size() == 1);
  CHECK(r.patient["findings"][0] == json({{"system", kSnomed}, {"code", "128045006"}, {"sites", {"left knee"}}, {"onset", "2026-11-25"}}));
  CHECK(r.patient["conditions"] == json::array({{{"system", kIcd}, {"code", "M17.11"}}}));
}

TEST_CASE("FHIR Condition: the coding the rule set knows is chosen among alternatives, words when none", "[fhir]") {
  json both = condition("fm", {{"coding", json::array({{{"system", "http://example.org/local"}, {"code", "FM1"}},
                                                        {{"system", kSnomed}, {"code", "999999999"}},
                                                        {{"system", kIcd}, {"code", "M79.7"}}})},
                               {"text", "Fibromyalgia"}});
  json words = condition("w", {{"coding", json::array({{{"system", "http://example.org/local"}, {"code", "X"}}})}, {"text", "Sciatica"}});
  json nothing = condition("n", {{"coding", json::array({{{"system", "http://example.org/local"}, {"code", "X"}}})}});
  auto r = knead::read_fhir(bundle({both, words, nothing}), with_rules());
  CHECK(r.patient["conditions"] == json::array({{{"system", kIcd}, {"code", "M79.7"}}, "Sciatica"}));
  CHECK(unresolved_has(r, "Condition/n.code"));
  // Without the rule set, every coding in a known system is kept.
  auto plain = knead::read_fhir(bundle({both}), {"2026-12-01", nullptr});
  CHECK(plain.patient["conditions"].size() == 2);
}

TEST_CASE("FHIR MedicationStatement and MedicationRequest: active ones, by code, text or reference", "[fhir]") {
  json statement = {{"resourceType", "MedicationStatement"}, {"id", "w"}, {"status", "active"},
                    {"medicationCodeableConcept", {{"text", "Warfarin 5 mg tablet"}}}};
  json stopped = {{"resourceType", "MedicationStatement"}, {"id", "s"}, {"status", "stopped"},
                  {"medicationCodeableConcept", {{"text", "Aspirin"}}}};
  json request = {{"resourceType", "MedicationRequest"}, {"id", "a"}, {"status", "active"}, {"intent", "order"},
                  {"medicationReference", {{"reference", "Medication/apx"}}}};
  json medication = {{"resourceType", "Medication"}, {"id", "apx"}, {"code", {{"text", "Eliquis 5 mg"}}}};
  json contained = {{"resourceType", "MedicationRequest"}, {"id", "c"}, {"status", "active"},
                    {"contained", json::array({{{"resourceType", "Medication"}, {"id", "m1"}, {"code", {{"text", "Prednisone"}}}}})},
                    {"medicationReference", {{"reference", "#m1"}}}};
  json unknown = {{"resourceType", "MedicationStatement"}, {"id", "u"}, {"status", "unknown"},
                  {"medicationCodeableConcept", {{"text", "Clopidogrel"}}}};
  json uncoded = {{"resourceType", "MedicationStatement"}, {"id", "x"}, {"status", "active"}};
  auto r = knead::read_fhir(bundle({statement, stopped, request, medication, contained, unknown, uncoded}), with_rules());
  CHECK(r.patient["medications"] == json::array({"Warfarin 5 mg tablet", "Eliquis 5 mg", "Prednisone", "Clopidogrel"}));
  CHECK(unresolved_has(r, "MedicationStatement/u.status"));  // read as taken, and shown for review
  CHECK(unresolved_has(r, "MedicationStatement/x.medication"));
}

TEST_CASE("FHIR AllergyIntolerance: an allergy the rule set cannot place is unresolved, refuted ones are not read",
          "[fhir]") {
  json almond = {{"resourceType", "AllergyIntolerance"}, {"id", "al"}, {"clinicalStatus", status("active")}, {"code", {{"text", "Almond oil"}}}};
  json refuted = {{"resourceType", "AllergyIntolerance"}, {"id", "rf"}, {"verificationStatus", status("refuted")}, {"code", {{"text", "Latex"}}}};
  json resolved = {{"resourceType", "AllergyIntolerance"}, {"id", "rs"}, {"clinicalStatus", status("resolved")}, {"code", {{"text", "Latex"}}}};
  auto r = knead::read_fhir(bundle({almond, refuted, resolved}), with_rules());
  REQUIRE(r.unresolved.size() == 1);
  CHECK(r.unresolved[0].field == "AllergyIntolerance/al.code");
  CHECK(r.unresolved[0].input == "Almond oil");
}

TEST_CASE("FHIR Observation 72514-3: the latest 0-10 pain score is pain.intensity", "[fhir]") {
  auto r = knead::read_fhir(bundle({observation("old", "72514-3", {{"effectiveDateTime", "2026-01-01"}, {"valueInteger", 3}}),
                                    observation("new", "72514-3", {{"effectiveDateTime", "2026-11-01"}, {"valueQuantity", {{"value", 7}, {"code", "{score}"}}}}),
                                    observation("bad", "72514-3", {{"effectiveDateTime", "2025-01-01"}, {"status", "entered-in-error"}, {"valueInteger", 10}})}),
                            {"2026-12-01", nullptr});
  CHECK(r.patient["pain"]["intensity"] == 7);
  auto out_of_range = knead::read_fhir(observation("o", "72514-3", {{"valueInteger", 12}}), {"2026-12-01", nullptr});
  CHECK_FALSE(out_of_range.patient.contains("pain"));
  CHECK(unresolved_has(out_of_range, "Observation/o.value"));
}

TEST_CASE("FHIR Observation 777-3 and 26515-7: platelets in 10^9/L, whatever the unit sent", "[fhir]") {
  auto k = knead::read_fhir(observation("p", "777-3", {{"valueQuantity", {{"value", 230}, {"code", "10*3/uL"}}}}), {"2026-12-01", nullptr});
  CHECK(k.patient["labs"]["platelets"] == 230);
  auto per_ul = knead::read_fhir(observation("p", "26515-7", {{"valueQuantity", {{"value", 35000}, {"code", "/uL"}}}}), {"2026-12-01", nullptr});
  CHECK(per_ul.patient["labs"]["platelets"] == Approx(35));
  auto odd = knead::read_fhir(observation("p", "777-3", {{"valueQuantity", {{"value", 35000}, {"code", "g/L"}}}}), {"2026-12-01", nullptr});
  CHECK_FALSE(odd.patient.contains("labs"));
  CHECK(unresolved_has(odd, "Observation/p.value"));
}

TEST_CASE("FHIR Observation 82810-3: pregnant is the pregnancy finding, not pregnant adds nothing", "[fhir]") {
  auto yes = knead::read_fhir(observation("g", "82810-3", {{"valueCodeableConcept", coding(kSnomed, "77386006")}}), {"2026-12-01", nullptr});
  CHECK(yes.patient["findings"] == json::array({{{"system", kSnomed}, {"code", "77386006"}}}));
  auto no = knead::read_fhir(observation("g", "82810-3", {{"valueCodeableConcept", coding(kSnomed, "60001007")}}), {"2026-12-01", nullptr});
  CHECK_FALSE(no.patient.contains("findings"));
  CHECK(no.unresolved.empty());
  auto odd = knead::read_fhir(observation("g", "82810-3", {{"valueCodeableConcept", {{"text", "maybe"}}}}), {"2026-12-01", nullptr});
  CHECK(unresolved_has(odd, "Observation/g"));
}

TEST_CASE("FHIR Observation 85354-9: blood pressure components in mmHg", "[fhir]") {
  json panel = observation("bp", "85354-9", {{"component", json::array({
      {{"code", coding(kLoinc, "8480-6")}, {"valueQuantity", {{"value", 150}, {"code", "mm[Hg]"}}}},
      {{"code", coding(kLoinc, "8462-4")}, {"valueQuantity", {{"value", 95}, {"code", "mm[Hg]"}}}}})}});
  auto r = knead::read_fhir(panel, {"2026-12-01", nullptr});
  CHECK(r.patient["vitals"] == json({{"systolic_bp", 150}, {"diastolic_bp", 95}}));
  auto kpa = knead::read_fhir(observation("s", "8480-6", {{"valueQuantity", {{"value", 20}, {"code", "kPa"}}}}), {"2026-12-01", nullptr});
  CHECK(unresolved_has(kpa, "Observation/s.value"));
}

TEST_CASE("FHIR: another patient's resources are not read, and two patients are refused", "[fhir]") {
  json mine = condition("m", coding(kIcd, "M79.7"));
  mine["subject"] = {{"reference", "Patient/p1"}};
  json theirs = condition("t", coding(kIcd, "M54.2"));
  theirs["subject"] = {{"reference", "https://ehr.example/fhir/Patient/p2"}};
  auto r = knead::read_fhir(bundle({{{"resourceType", "Patient"}, {"id", "p1"}}, mine, theirs}), {"2026-12-01", nullptr});
  CHECK(r.patient["conditions"].size() == 1);
  CHECK(unresolved_has(r, "Condition/t"));
  CHECK_THROWS_AS(knead::read_fhir(bundle({{{"resourceType", "Patient"}, {"id", "p1"}}, {{"resourceType", "Patient"}, {"id", "p2"}}}),
                                   {"2026-12-01", nullptr}),
                  knead::PatientError);
  CHECK_THROWS_AS(knead::read_fhir(json::array(), {}), knead::PatientError);
}

TEST_CASE("CDS Hooks request: a prefetch key left out or null is unresolved, no prefetch is an error",
          "[fhir][cds-hooks]") {
  json request = {{"hook", "patient-view"}, {"context", {{"patientId", "p1"}}},
                  {"prefetch", {{"patient", {{"resourceType", "Patient"}, {"id", "p1"}}}, {"conditions", nullptr}}}};
  const knead::Patient p = knead::patient_from_cds_hooks_request(request, with_rules());
  CHECK(p.id() == "p1");
  bool conditions = false;
  bool allergies = false;
  for (const auto& u : p.unresolved()) {
    conditions = conditions || (u.field == "prefetch.conditions" && u.problem == "missing_prefetch");
    allergies = allergies || u.field == "prefetch.allergies";
  }
  CHECK(conditions);
  CHECK(allergies);
  CHECK_THROWS_AS(knead::patient_from_cds_hooks_request({{"hook", "patient-view"}}, with_rules()), knead::PatientError);
  CHECK_THROWS_AS(knead::patient_from_cds_hooks_request(request, with_rules(), "order-select"), knead::PatientError);
}

TEST_CASE("FHIR examples read into patients with what could not be read listed", "[fhir]") {
  const std::string dir = std::string(KNEAD_SOURCE_DIR) + "/examples/fhir/";
  const knead::Patient fm = knead::Patient::from_fhir(read_file(dir + "fibromyalgia_bundle.json"), with_rules());
  CHECK(fm.document()["age"] == 58);
  CHECK(fm.document()["pain"]["intensity"] == 7);
  CHECK(fm.document()["labs"]["platelets"] == 230);
  CHECK(fm.unresolved().empty());
  const knead::Patient cell = knead::Patient::from_fhir(read_file(dir + "cellulitis_knee_bundle.json"), with_rules());
  CHECK(cell.document()["age"] == 51);  // born 1975-09: 51 on 2026-12-01
  REQUIRE(cell.unresolved().size() == 1);
  CHECK(cell.unresolved()[0].input == "Almond oil");
  const knead::Patient view = knead::patient_from_cds_hooks_request(read_file(dir + "patient_view_request.json"), with_rules());
  CHECK(view.id() == "syn-0003");
}

TEST_CASE("CDS Hooks cards: name-based UUIDs, readable summaries, the rule set named", "[cds-hooks]") {
  const knead::Engine engine{default_rules()};
  const auto rec = engine.recommend(knead::Patient::from_json(json::parse(
      R"({"id": "p", "conditions": ["fibromyalgia"], "findings": [{"id": "ci_cellulitis", "sites": ["left_knee"]}]})")));
  const auto cards = knead::to_cds_hooks(rec, &default_rules());
  const auto again = knead::to_cds_hooks(rec, &default_rules());
  CHECK(cards == again);
  REQUIRE(!cards["cards"].empty());
  for (const auto& c : cards["cards"]) {
    const std::string uuid = c["uuid"];
    REQUIRE(uuid.size() == 36);
    CHECK(uuid[14] == '5');  // version 5: SHA-1 name-based
    CHECK(std::string("89ab").find(uuid[19]) != std::string::npos);
    CHECK(c["summary"].get<std::string>().size() < 140);
    CHECK(c["summary"].get<std::string>().find('_') == std::string::npos);
    CHECK(c["source"]["label"].get<std::string>().size() < 60);
  }
  CHECK(cards["extension"]["knead.ruleset"]["digest"] == default_rules().digest());
}

TEST_CASE("CDS Hooks cards: review, questions and notes reach the clinician, one card each", "[cds-hooks]") {
  knead::Recommendation r;
  r.patient = "p";
  r.ruleset_name = "clinic-rules";
  r.ruleset_version = "2.1.0";
  r.ruleset_digest = "sha256:00";
  r.status = knead::Status::review;
  r.unresolved.push_back(knead::Unresolved{"AllergyIntolerance/a.code", "Almond oil", "unreadable_resource", "",
                                           "an allergy the rule set does not know"});
  r.unresolved.push_back(knead::Unresolved{"medications[1]", "Zorbex", "unknown_id", "", "unknown medication 'Zorbex'"});
  r.questions.push_back(knead::Question{"pregnancy", "Could the patient be pregnant?", {"r1"}});
  r.questions.push_back(knead::Question{"labs.platelets", "What is the latest platelet count?", {"r2"}});
  knead::RecommendedModality m;
  m.id = "swedish_massage";
  m.label = "Swedish massage";
  m.pressure = knead::Pressure::light;
  r.modalities.push_back(m);
  r.warnings.push_back("no goals given; using the rule set's default goals");
  const auto out = knead::to_cds_hooks(r);
  const auto& cards = out["cards"];
  REQUIRE(cards.size() == 3);
  CHECK(cards[0]["indicator"] == "warning");
  CHECK(cards[0]["summary"] == "Check the record: 2 entries could not be read");
  CHECK(cards[0]["detail"].get<std::string>().find("Almond oil") != std::string::npos);
  CHECK(cards[1]["indicator"] == "warning");
  CHECK(cards[1]["summary"] == "Ask before treating: Could the patient be pregnant? (and 1 more)");
  CHECK(cards[1]["detail"].get<std::string>().find("platelet count") != std::string::npos);
  CHECK(cards[2]["indicator"] == "info");
  CHECK(cards[2]["summary"] == "Suggested: Swedish massage at light pressure");
  CHECK(cards[2]["detail"].get<std::string>().find("default goals") != std::string::npos);
  CHECK(cards[2]["source"]["label"] == "knead: clinic-rules 2.1.0");
  CHECK(out["extension"]["knead.status"] == "review");
}

TEST_CASE("FHIR end to end: unreadable resources make the result review, with a card saying what", "[fhir][cds-hooks]") {
  const knead::Engine engine{default_rules()};
  const std::string dir = std::string(KNEAD_SOURCE_DIR) + "/examples/fhir/";
  const auto rec = engine.recommend(knead::Patient::from_fhir(read_file(dir + "cellulitis_knee_bundle.json"), with_rules()));
  CHECK(rec.status == knead::Status::review);
  REQUIRE(!rec.unresolved.empty());
  CHECK(rec.unresolved.front().field == "AllergyIntolerance/almond.code");
  CHECK(knead::test::contains_id(rec.avoid_regions, "left_knee"));  // the cellulitis's body site
  const auto cards = knead::to_cds_hooks(rec, &default_rules())["cards"];
  bool review = false;
  for (const auto& c : cards) review = review || c["summary"] == "Check the record: \"Almond oil\" could not be read";
  CHECK(review);
  const auto fm = engine.recommend(knead::Patient::from_fhir(read_file(dir + "fibromyalgia_bundle.json"), with_rules()));
  CHECK(fm.unresolved.empty());
  CHECK(fm.status == knead::Status::ok);
  CHECK(knead::test::contains_id(fm.excluded, "deep_tissue"));  // "Warfarin 5 mg tablet" read as warfarin
}
