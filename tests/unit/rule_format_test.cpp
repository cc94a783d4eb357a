// The rule format's reading features: synonyms, codes by system name or FHIR URI, branch claims,
// declared inputs, asks, and the checks that keep them unambiguous.
#include "support/catch.hpp"
#include "support/fixtures.hpp"

#include <algorithm>

namespace {

const char* base_concepts = R"("modalities": [{"id": "massage", "pressure": "medium"}, {"id": "swedish", "is_a": ["massage"], "pressure": "medium"}])";

std::string rule_set(const std::string& concepts, const std::string& extra = "", const std::string& rules = "[]") {
  return R"({"ruleset": "t", "version": "1.0.0", )" + extra + R"("concepts": {)" + std::string(base_concepts) +
         (concepts.empty() ? "" : ", " + concepts) + R"(}, "rules": )" + rules + "}";
}

std::vector<knead::Diagnostic> errors_of(const std::string& text) {
  try {
    (void)knead::RuleSet::parse(text);
  } catch (const knead::LoadError& e) {
    return e.diagnostics();
  }
  return {};
}

bool has_error(const std::vector<knead::Diagnostic>& ds, const std::string& code, const std::string& text) {
  return std::any_of(ds.begin(), ds.end(), [&](const knead::Diagnostic& d) {
    return d.code == code && d.message.find(text) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("synonyms, codes by short name and FHIR URI, and branch claims load", "[rule_format]") {
  const auto rules = knead::RuleSet::parse(rule_set(R"("medications": [
      {"id": "anticoagulant", "codes": {"atc": ["B01A*"]}},
      {"id": "apixaban", "is_a": ["anticoagulant"], "synonyms": ["Eliquis"],
       "codes": {"http://www.whocc.no/atc": ["B01AF02"], "rxnorm": ["1364430"]}},
      {"id": "xaban", "is_a": ["anticoagulant"], "codes": {"atc": ["B01AF*"]}}])"));
  const auto& o = rules.ontology();
  const auto* apixaban = o.find(knead::ConceptKind::medication, "apixaban");
  REQUIRE(apixaban != nullptr);
  CHECK(apixaban->synonyms == std::vector<std::string>{"Eliquis"});
  CHECK(apixaban->codes.count("atc") == 1);   // the URI is stored under the short name
  auto eliquis = o.match_name(knead::ConceptKind::medication, " ELIQUIS ");
  REQUIRE(eliquis);
  CHECK(o.at(knead::ConceptKind::medication, eliquis->index).id == "apixaban");
  CHECK(eliquis->by == knead::Ontology::MatchedBy::synonym);
  // Exact code first, then the most specific branch.
  CHECK(o.find_code(knead::ConceptKind::medication, "http://www.whocc.no/atc", "b01af02")->id == "apixaban");
  CHECK(o.find_code(knead::ConceptKind::medication, "atc", "B01AF01")->id == "xaban");
  CHECK(o.find_code(knead::ConceptKind::medication, "ATC", "B01AA03")->id == "anticoagulant");
  CHECK(o.find_code(knead::ConceptKind::medication, "atc", "N02BE01") == nullptr);
  CHECK(o.find_code(knead::ConceptKind::medication, "http://www.nlm.nih.gov/research/umls/rxnorm", "1364430")->id == "apixaban");
}

TEST_CASE("a synonym or normalized id claimed by two concepts of one kind is an error naming both", "[rule_format]") {
  auto ds = errors_of(rule_set(R"("conditions": [{"id": "knee_oa", "synonyms": ["OA knee"]}, {"id": "oa_knee"}])"));
  CHECK(has_error(ds, "check.name_conflict", "'oa_knee'"));
  CHECK(has_error(ds, "check.name_conflict", "'knee_oa'"));
  ds = errors_of(rule_set(R"("conditions": [{"id": "a", "synonyms": ["Bad Back"]}, {"id": "b", "synonyms": ["bad-back"]}])"));
  CHECK(has_error(ds, "check.name_conflict", "condition 'b'"));
  // The same words in two kinds are fine: kinds are read from their own fields.
  CHECK(errors_of(rule_set(R"("conditions": [{"id": "gout"}], "findings": [{"id": "f", "synonyms": ["gout"]}])")).empty());
}

TEST_CASE("one code or branch claimed by two concepts is an error, unknown systems and misplaced stars too",
          "[rule_format]") {
  auto ds = errors_of(rule_set(R"("medications": [{"id": "a", "codes": {"atc": ["B01AF*"]}}, {"id": "b", "codes": {"atc": ["b01af*"]}}])"));
  CHECK(has_error(ds, "check.code_conflict", "'a' and by medication 'b'"));
  ds = errors_of(rule_set(R"("conditions": [{"id": "a", "codes": {"icd10cm": ["M54.50"]}}, {"id": "b", "codes": {"http://hl7.org/fhir/sid/icd-10-cm": ["M5450"]}}])"));
  CHECK(has_error(ds, "check.code_conflict", "claimed by condition 'a'"));
  ds = errors_of(rule_set(R"("conditions": [{"id": "a", "codes": {"icd10": ["M54.50"], "snomedd": ["1234567"]}}])"));
  CHECK(has_error(ds, "check.code_system", "unknown code system 'snomedd'"));
  CHECK(has_error(ds, "check.code_system", "did you mean 'snomed'?"));
  ds = errors_of(rule_set(R"("conditions": [{"id": "a", "codes": {"atc": ["B*01"]}}])"));
  CHECK(has_error(ds, "check.code_format", "'*' may only end"));
}

TEST_CASE("declared inputs: rules may read standard and declared fields only", "[rule_format]") {
  const std::string inputs = R"("inputs": {"labs.platelets": {"type": "number", "unit": "10^9/L", "min": 0, "max": 2000}}, )";
  const std::string reads = R"([{"id": "r", "title": "t", "when": {"and": [{"<": [{"var": "labs.platelets"}, 50]},
      {">": [{"var": "pain.intensity"}, 3]}, {"some": [{"var": ["conditions", []]}, {"==": [{"var": "code"}, "x"]}]}]},
      "then": {"recommend": [{"modality": "swedish"}]}}])";
  const auto rules = knead::RuleSet::parse(rule_set("", inputs, reads));
  REQUIRE(rules.inputs().size() == 1);
  CHECK(rules.inputs()[0].path == "labs.platelets");
  CHECK(rules.inputs()[0].unit == "10^9/L");
  CHECK(*rules.inputs()[0].max == 2000);

  const std::string misspelt = R"([{"id": "r", "title": "t", "when": {"<": [{"var": "labs.platlets"}, 50]},
      "then": {"recommend": [{"modality": "swedish"}]}}])";
  auto ds = errors_of(rule_set("", inputs, misspelt));
  CHECK(has_error(ds, "check.unknown_field", "unknown patient field 'labs.platlets'; did you mean 'labs.platelets'?"));
  ds = errors_of(rule_set("", "", R"([{"id": "r", "title": "t", "when": {"val": ["pain", "intensty"]}, "then": {}}])"));
  CHECK(has_error(ds, "check.unknown_field", "did you mean 'pain.intensity'?"));
  ds = errors_of(rule_set("", R"("inputs": {"pain.intensity": {"type": "number"}, "Labs": {"type": "number"}, "x": {"type": "nmber"}}, )"));
  CHECK(has_error(ds, "check.input_path", "standard patient field"));
  CHECK(has_error(ds, "check.input_path", "'Labs'"));
  CHECK(has_error(ds, "check.enum", "did you mean 'number'?"));
  ds = errors_of(rule_set("", R"("inputs": {"labs.inr": {"type": "number", "items": "number"}}, )"));
  CHECK(has_error(ds, "check.input_items", "'items' belongs to an array input"));
  CHECK(errors_of(rule_set("", R"("inputs": {"labs.values": {"type": "array", "items": "number"}}, )")).empty());
}

TEST_CASE("a synonym without a letter or digit is an error", "[rule_format]") {
  const auto ds = errors_of(rule_set(R"("conditions": [{"id": "gout", "synonyms": ["podagra", " - "]}])"));
  CHECK(has_error(ds, "check.synonym", "a synonym needs a letter or digit"));
}

TEST_CASE("then.ask and region cautions with pressure_max load, review_pressure_max is read", "[rule_format]") {
  const auto rules = knead::RuleSet::parse(rule_set(R"("regions": [{"id": "lower_limb"}])",
      R"("defaults": {"review_pressure_max": "medium"}, )",
      R"([{"id": "r", "title": "t", "then": {"ask": [{"fact": "pregnancy", "question": "Could the patient be pregnant?"}],
          "avoid": [{"region": "lower_limb", "level": "caution", "pressure_max": "light", "reason": "varicose veins"}]}}])"));
  REQUIRE(rules.rules().size() == 1);
  REQUIRE(rules.rules()[0].ask.size() == 1);
  CHECK(rules.rules()[0].ask[0].fact == "pregnancy");
  CHECK(rules.rules()[0].avoid[0].pressure_max == knead::Pressure::light);
  CHECK(rules.review_pressure_max() == knead::Pressure::medium);
  CHECK(knead::RuleSet::parse(rule_set("")).review_pressure_max() == knead::Pressure::light);
  auto ds = errors_of(rule_set("", "", R"([{"id": "r", "title": "t", "then": {"ask": [{"fact": "Pregnancy?"}]}}])"));
  CHECK(has_error(ds, "check.required", "needs 'question'"));
}

TEST_CASE("the shipped rule set declares what its rules read", "[rule_format]") {
  const auto rules = knead::RuleSet::load_default();
  std::vector<std::string> paths;
  for (const auto& i : rules.inputs()) paths.push_back(i.path);
  CHECK(std::find(paths.begin(), paths.end(), "labs.platelets") != paths.end());
  CHECK(std::find(paths.begin(), paths.end(), "preferences.requested") != paths.end());
}
