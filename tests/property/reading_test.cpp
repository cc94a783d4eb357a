// Property: on the default rule set, every spelling a clinic may use for a concept (id variants in
// case, spacing and hyphens, each synonym, each code in every accepted spelling and system) gives
// exactly the recommendation its canonical id gives; and nothing unreadable ever passes as ok.
#include "support/catch.hpp"
#include "support/fixtures.hpp"

#include <random>

using knead::ConceptKind;
using nlohmann::json;

namespace {

const knead::RuleSet& default_rules() {
  static const knead::RuleSet rules = knead::RuleSet::load(std::string(KNEAD_SOURCE_DIR) + "/rules");
  return rules;
}

// The patient that carries `entry` where a concept of `kind` is read.
json patient_with(ConceptKind kind, const json& entry) {
  switch (kind) {
    case ConceptKind::condition: return {{"conditions", {entry}}};
    case ConceptKind::goal: return {{"goals", {entry}}};
    case ConceptKind::finding: return {{"findings", {entry}}, {"conditions", {"chronic_low_back_pain"}}};
    case ConceptKind::medication: return {{"medications", {entry}}, {"conditions", {"chronic_low_back_pain"}}};
    case ConceptKind::region:
      return {{"conditions", {"rheumatoid_arthritis"}}, {"findings", {{{"id", "ci_inflamed_joint_flare"}, {"sites", {entry}}}}},
              {"pain", {{"locations", {entry}}}}};
    case ConceptKind::modality:
    case ConceptKind::self_care: return {{"conditions", {"chronic_low_back_pain"}}, {"preferences", {{"declined", {entry}}}}};
  }
  return json::object();
}

// The result without the audit list of how entries were read: what a clinician acts on.
std::string acted_on(knead::Recommendation r) {
  r.interpreted.clear();
  return knead::to_json(r);
}

std::string id_variant(const std::string& id, std::mt19937& rng) {
  static const char* separators[] = {" ", "-", "_", "  ", " - ", "--"};
  std::string out = rng() % 2 ? " " : "";
  for (char c : id) {
    if (c == '_') {
      out += separators[rng() % std::size(separators)];
    } else {
      out += (rng() % 2 && c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
  }
  if (rng() % 2) out += "\t";
  return out;
}

std::vector<json> code_spellings(const std::string& system, const std::string& code) {
  static const std::map<std::string, std::string> uris{{"icd10cm", "http://hl7.org/fhir/sid/icd-10-cm"},
                                                       {"snomed", "http://snomed.info/sct"},
                                                       {"atc", "http://www.whocc.no/atc"},
                                                       {"rxnorm", "http://www.nlm.nih.gov/research/umls/rxnorm"}};
  std::vector<std::string> codes{code};
  if (system == "icd10cm" || system == "atc") {
    std::string lower = code;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    codes.push_back(lower);
  }
  if (system == "icd10cm") {
    std::string undotted;
    for (char c : code) {
      if (c != '.') undotted += c;
    }
    codes.push_back(undotted);
  }
  std::vector<json> out;
  for (const auto& c : codes) {
    out.push_back({{"system", system}, {"code", c}});
    out.push_back({{"system", uris.at(system)}, {"code", c}});
  }
  return out;
}

}  // namespace

TEST_CASE("every spelling of every concept gives the recommendation of its canonical id", "[property][reading][default]") {
  const auto& rules = default_rules();
  const knead::Engine engine{rules};
  std::mt19937 rng(20261201);
  std::size_t checked = 0;
  for (auto kind : knead::all_concept_kinds) {
    for (const auto& c : rules.ontology().concepts(kind)) {
      const auto canonical = engine.recommend(knead::Patient::from_json(patient_with(kind, c.id)));
      REQUIRE(canonical.unresolved.empty());
      const std::string want = acted_on(canonical);
      std::vector<json> spellings;
      for (int i = 0; i < 4; ++i) spellings.emplace_back(id_variant(c.id, rng));
      for (const auto& s : c.synonyms) spellings.emplace_back(s);
      if (kind == ConceptKind::medication) spellings.emplace_back(c.id + " 5 mg tablet twice daily");
      if (kind == ConceptKind::condition || kind == ConceptKind::finding || kind == ConceptKind::medication ||
          kind == ConceptKind::goal) {
        for (const auto& [system, codes] : c.codes) {
          for (const auto& code : codes) {
            if (code.back() == '*') continue;
            for (auto& spelling : code_spellings(system, code)) spellings.push_back(std::move(spelling));
          }
        }
      }
      for (const auto& spelling : spellings) {
        const json patient = patient_with(kind, spelling);
        INFO(std::string(knead::to_string(kind)) << " '" << c.id << "' as " << spelling.dump());
        const auto r = engine.recommend(knead::Patient::from_json(patient));
        CHECK(r.unresolved.empty());
        CHECK(acted_on(r) == want);
        ++checked;
      }
    }
  }
  CHECK(checked > 500);
}

TEST_CASE("no patient with anything unresolved gets status ok", "[property][reading][default]") {
  const auto& rules = default_rules();
  const knead::Engine engine{rules};
  std::mt19937 rng(7);
  const std::vector<json> unreadable{
      json{{"finding", {"rf_cauda_equina"}}},
      json{{"medications", {"unknownium 5 mg"}}},
      json{{"conditions", {{{"system", "icd10cm"}, {"code", "Z99.99"}}}}},
      json{{"conditions", {{{"system", "icd9"}, {"code", "724.2"}}}}},
      json{{"conditions", {{{"code", "M54.50"}}}}},
      json{{"pain", {{"locations", {"spleen"}}}}},
      json{{"preferences", {{"declined", {"reiki"}}}}},
      json{{"labs", {{"platlets", 50}}}}};
  const std::vector<json> bases{
      json::parse(R"({"conditions": ["chronic_low_back_pain"], "medications": ["warfarin"]})"),
      json::parse(R"({"conditions": ["fibromyalgia"], "goals": ["improve_sleep_reduce_anxiety"], "pain": {"intensity": 6}})"),
      json::parse(R"({"conditions": ["knee_osteoarthritis"], "preferences": {"pressure": "firm"}})"),
      json::parse(R"({"findings": ["rf_cauda_equina"]})")};
  for (int i = 0; i < 400; ++i) {
    json patient = bases[rng() % bases.size()];
    json extra = unreadable[rng() % unreadable.size()];
    for (auto& [key, value] : extra.items()) {
      if (patient.contains(key) && patient[key].is_array() && value.is_array()) {
        for (const auto& v : value) patient[key].push_back(v);
      } else if (patient.contains(key) && patient[key].is_object()) {
        patient[key].update(value);
      } else {
        patient[key] = value;
      }
    }
    INFO(patient.dump());
    const auto r = engine.recommend(knead::Patient::from_json(patient));
    REQUIRE_FALSE(r.unresolved.empty());
    CHECK(r.status != knead::Status::ok);
    for (const auto& m : r.modalities) CHECK(m.pressure <= rules.review_pressure_max());
  }
}
