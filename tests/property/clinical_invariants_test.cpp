// The clinical safety invariants of the default rule set, checked on 100,000 generated patients
// with a fixed seed: pregnancy, age, bleeding, heat and cold, fever, local and region cautions,
// red-flag urgency and the absence of alarms without a red flag. Each invariant is stated from
// the patient's facts and the ontology alone, not from which rules fired, so a rule that goes
// missing or loses a clause fails here. The same patients written with codes instead of ids
// (codes, synonyms, brand names, doses, other case) must get the same answer.
#include "support/catch.hpp"
#include "support/fixtures.hpp"

#include <cctype>
#include <iostream>
#include <map>
#include <random>
#include <set>

namespace {

using knead::ConceptKind;
using knead::Pressure;
using knead::Urgency;
using nlohmann::json;

const knead::RuleSet& default_rules() {
  static const knead::RuleSet rules = knead::RuleSet::load(std::string(KNEAD_SOURCE_DIR) + "/rules");
  return rules;
}

/// Patients aimed at the safety rules: every finding, medication and condition of the rule set
/// turns up often, ages cluster around the 18 and 70 boundaries, platelet counts around 50.
class ClinicalPatients {
 public:
  ClinicalPatients(const knead::Ontology& o, std::uint32_t seed) : o_(o), rng_(seed) {}

  json next(int n) {
    json p = json::object();
    p["id"] = "inv-" + std::to_string(n);
    const int age_band = pick(0, 9);
    if (age_band == 0) p["age"] = pick(2, 17);
    else if (age_band == 1) p["age"] = pick(16, 19);
    else if (age_band == 2) p["age"] = pick(69, 72);
    else if (age_band <= 7) p["age"] = pick(20, 95);
    if (chance(0.7)) p["sex"] = chance(0.5) ? "female" : "male";
    p["conditions"] = ids(ConceptKind::condition, 0, 2);
    if (chance(0.7)) p["goals"] = ids(ConceptKind::goal, 0, 2);
    json findings = json::array();
    for (const auto& f : ids(ConceptKind::finding, 0, 3)) {
      if (chance(0.5)) findings.push_back({{"id", f}, {"sites", ids(ConceptKind::region, 1, 2)}});
      else findings.push_back(f);
    }
    p["findings"] = findings;
    p["medications"] = ids(ConceptKind::medication, 0, 3);
    if (chance(0.2)) p["labs"] = {{"platelets", pick(0, 1) == 0 ? pick(20, 80) : pick(10, 400)}};
    p["pain"] = {{"intensity", pick(0, 10)}, {"locations", ids(ConceptKind::region, 0, 2)}, {"flare", chance(0.25)}};
    json prefs = json::object();
    if (chance(0.4)) prefs["pressure"] = std::vector<std::string>{"light", "medium", "firm"}[static_cast<std::size_t>(pick(0, 2))];
    if (chance(0.1)) prefs["declined"] = ids(ConceptKind::modality, 1, 1);
    if (chance(0.2)) prefs["requested"] = json::array({"cbd_oil_massage"});
    p["preferences"] = prefs;
    return p;
  }

  /// The same patient as a clinic might write it: each concept, at random, as one of its exact
  /// codes (short system name or FHIR URI), one of its synonyms or brand names, its id in other
  /// case and spacing, or unchanged; medications sometimes with a strength and frequency.
  json rewritten(const json& p) {
    json q = p;
    for (const auto& [field, kind] : {std::pair{"conditions", ConceptKind::condition}, {"findings", ConceptKind::finding},
                                      {"medications", ConceptKind::medication}}) {
      for (auto& e : q[field]) {
        const std::string id = e.is_object() ? e["id"].get<std::string>() : e.get<std::string>();
        json other = rewrite(kind, id);
        if (kind == ConceptKind::medication && other.is_string() && chance(0.3)) other = other.get<std::string>() + " 5 mg twice daily";
        if (e.is_object()) {
          json sites = json::array();
          for (const auto& s : e["sites"]) sites.push_back(rewrite_name(ConceptKind::region, s.get<std::string>()));
          if (other.is_object()) {
            other["sites"] = sites;
            e = other;
          } else {
            e = {{"id", other}, {"sites", sites}};
          }
        } else {
          e = other;
        }
      }
    }
    for (auto& l : q["pain"]["locations"]) l = rewrite_name(ConceptKind::region, l.get<std::string>());
    return q;
  }

 private:
  json rewrite(ConceptKind kind, const std::string& id) {
    if (chance(0.5)) {
      if (auto code = exact_code(kind, id)) return *code;
    }
    return rewrite_name(kind, id);
  }
  /// A synonym that names this concept alone, or the id in capitals with spaces.
  std::string rewrite_name(ConceptKind kind, const std::string& id) {
    const auto i = o_.index(kind, id);
    if (!i || chance(0.2)) return id;
    std::vector<std::string> names;
    for (const auto& w : o_.at(kind, *i).synonyms) {
      const auto back = o_.match_name(kind, w);
      if (back && back->index == *i) names.push_back(w);
    }
    if (!names.empty() && chance(0.8)) return names[static_cast<std::size_t>(pick(0, static_cast<int>(names.size()) - 1))];
    std::string shout = id;
    for (auto& c : shout) c = c == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return shout;
  }
  std::optional<json> exact_code(ConceptKind kind, const std::string& id) {
    static const std::map<std::string, std::string> uri{
        {"icd10cm", "http://hl7.org/fhir/sid/icd-10-cm"}, {"snomed", "http://snomed.info/sct"},
        {"atc", "http://www.whocc.no/atc"}, {"rxnorm", "http://www.nlm.nih.gov/research/umls/rxnorm"}};
    const auto i = o_.index(kind, id);
    if (!i) return std::nullopt;
    std::vector<json> codes;
    for (const auto& [system, list] : o_.at(kind, *i).codes) {
      for (const auto& c : list) {
        // Only codes that map back to this concept (a branch claim is not a code).
        const auto back = o_.match_code(kind, system, c);
        if (c.find('*') != std::string::npos || !back || back->index != *i) continue;
        const auto u = uri.find(system);
        codes.push_back({{"system", u != uri.end() && chance(0.3) ? u->second : system}, {"code", c}});
      }
    }
    if (codes.empty()) return std::nullopt;
    return codes[static_cast<std::size_t>(pick(0, static_cast<int>(codes.size()) - 1))];
  }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  json ids(ConceptKind kind, int lo, int hi) {
    json out = json::array();
    const auto& all = o_.concepts(kind);
    const int n = pick(lo, hi);
    for (int i = 0; i < n; ++i) out.push_back(all[static_cast<std::size_t>(pick(0, static_cast<int>(all.size()) - 1))].id);
    return out;
  }
  const knead::Ontology& o_;
  std::mt19937 rng_;
};

/// What the patient is, read from its ids through the ontology.
class Facts {
 public:
  Facts(const knead::Ontology& o, const json& p) : o_(o), p_(p) {}

  bool finding(const std::string& ancestor) const { return any(ConceptKind::finding, "findings", ancestor); }
  bool condition(const std::string& ancestor) const { return any(ConceptKind::condition, "conditions", ancestor); }
  bool medication(const std::string& ancestor) const { return any(ConceptKind::medication, "medications", ancestor); }
  std::optional<int> age() const { return p_.contains("age") ? std::optional<int>(p_["age"].get<int>()) : std::nullopt; }
  std::optional<int> platelets() const {
    if (!p_.contains("labs")) return std::nullopt;
    return p_["labs"]["platelets"].get<int>();
  }
  bool flare() const { return p_["pain"]["flare"].get<bool>(); }
  bool pain_in_spine() const {
    for (const auto& l : p_["pain"]["locations"]) {
      if (l == "back" || l == "low_back" || l == "upper_back" || l == "neck") return true;
    }
    return false;
  }
  bool plain_condition(const std::string& id) const {
    for (const auto& c : p_["conditions"]) if (c == id) return true;
    return false;
  }

 private:
  bool any(ConceptKind kind, const char* field, const std::string& ancestor) const {
    const auto a = o_.index(kind, ancestor);
    REQUIRE(a);
    for (const auto& e : p_.value(field, json::array())) {
      const std::string id = e.is_object() ? e["id"].get<std::string>() : e.get<std::string>();
      const auto i = o_.index(kind, id);
      if (i && o_.is_a(kind, *i, *a)) return true;
    }
    return false;
  }
  const knead::Ontology& o_;
  const json& p_;
};

bool has(const std::vector<knead::RecommendedModality>& ms, const std::string& id) { return knead::test::contains_id(ms, id); }
bool has_self_care(const knead::Recommendation& r, const knead::Ontology& o, const std::string& ancestor) {
  const auto a = o.index(ConceptKind::self_care, ancestor);
  for (const auto& s : r.self_care) {
    const auto i = o.index(ConceptKind::self_care, s.id);
    if (i && a && o.is_a(ConceptKind::self_care, *i, *a)) return true;
  }
  return false;
}
Pressure max_pressure(const knead::Recommendation& r) {
  Pressure m = Pressure::light;
  for (const auto& x : r.modalities) m = std::max(m, x.pressure);
  return m;
}
std::optional<Urgency> most_urgent(const knead::Recommendation& r) {
  std::optional<Urgency> u;
  for (const auto& ref : r.referrals) if (!u || ref.urgency < *u) u = ref.urgency;
  return u;
}
bool avoids_region(const knead::Recommendation& r, const std::string& id) { return knead::test::contains_id(r.avoid_regions, id); }
/// The region is avoided, or capped at `cap` or below.
bool region_capped(const knead::Recommendation& r, const std::string& id, Pressure cap) {
  const auto* a = knead::test::find_id(r.avoid_regions, id);
  return a && (a->level == knead::AvoidLevel::contraindicated || (a->pressure_max && *a->pressure_max <= cap));
}
bool asks(const knead::Recommendation& r, const std::string& fact) {
  for (const auto& q : r.questions) if (q.fact == fact) return true;
  return false;
}

/// The part of a result that a clinician acts on.
json answer(const knead::Recommendation& r) {
  json out = {{"status", knead::to_string(r.status)}, {"fired", r.fired}};
  for (const auto& m : r.modalities) out["modalities"].push_back({m.id, m.score, static_cast<int>(m.pressure)});
  for (const auto& s : r.self_care) out["self_care"].push_back(s.id);
  for (const auto& x : r.excluded) out["excluded"].push_back(x.id);
  for (const auto& a : r.avoid_regions) out["avoid_regions"].push_back({a.id, static_cast<int>(a.level)});
  for (const auto& ref : r.referrals) out["referrals"].push_back({ref.to, static_cast<int>(ref.urgency)});
  for (const auto& q : r.questions) out["questions"].push_back(q.fact);
  return out;
}

struct Counts {
  std::map<std::string, long> checked;
  void hit(const std::string& name) { ++checked[name]; }
};

void check_invariants(const knead::Ontology& o, const json& p, const knead::Recommendation& r, Counts& counts) {
  INFO("patient: " << p.dump());
  const Facts f(o, p);
  const auto age = f.age();
  const bool stopped = r.modalities.empty();

  // 3.3 pregnancy: side-lying, light to medium, no deep, trigger point, hot stone or CBD;
  // nothing on the abdomen, legs capped.
  if (f.finding("pc_pregnancy")) {
    counts.hit("pregnancy");
    for (const char* m : {"hot_stone", "deep_tissue", "trigger_point_therapy", "cbd_oil_massage"}) CHECK_FALSE(has(r.modalities, m));
    CHECK(max_pressure(r) <= Pressure::medium);
    if (r.status != knead::Status::refer) {
      CHECK(avoids_region(r, "abdomen"));
      CHECK(region_capped(r, "lower_limb", Pressure::light));
    }
  }
  // 3.3 age under 18: no CBD, no deep or firm work; the age alone counts.
  if (f.finding("pc_minor") || (age && *age < 18)) {
    counts.hit("minor");
    for (const char* m : {"cbd_oil_massage", "deep_tissue", "trigger_point_therapy"}) CHECK_FALSE(has(r.modalities, m));
    CHECK(max_pressure(r) <= Pressure::medium);
    if (r.status != knead::Status::refer) {
      CHECK(region_capped(r, "back", Pressure::medium));
      CHECK(region_capped(r, "neck", Pressure::medium));
    }
  }
  // 3.3 elderly or frail (or over 70): lower pressure.
  if (f.finding("pc_elderly_frail") || (age && *age > 70)) {
    counts.hit("older");
    CHECK(max_pressure(r) <= Pressure::medium);
  }
  // 3.3 blood thinners, osteoporosis, active cancer: light only, no deep or trigger point work.
  const bool thinner = f.finding("pc_anticoagulant") || f.finding("pc_antiplatelet") || f.medication("antithrombotic");
  if (thinner || f.finding("pc_osteoporosis") || f.medication("bisphosphonate") || f.finding("pc_active_cancer") ||
      f.finding("pc_thrombocytopenia") || f.finding("pc_bleeding_disorder")) {
    counts.hit("light_only");
    CHECK_FALSE(has(r.modalities, "deep_tissue"));
    CHECK_FALSE(has(r.modalities, "trigger_point_therapy"));
    CHECK(max_pressure(r) == Pressure::light);
  }
  if (thinner && (f.medication("nsaid") || f.medication("ssri_snri"))) {
    counts.hit("thinner_with_nsaid_or_ssri");
    CHECK_FALSE(has(r.modalities, "sports_massage"));
  }
  // 3.1 coagulopathy, platelets under 50 or low platelets with no count: no massage, clearance.
  const auto plt = f.platelets();
  if (f.finding("pc_bleeding_disorder") || f.finding("ci_severe_bleeding_risk") || (plt && *plt < 50) ||
      (f.finding("pc_thrombocytopenia") && !plt)) {
    counts.hit("bleeding_clearance");
    CHECK(stopped);
    bool cleared_by = false;
    for (const auto& ref : r.referrals) cleared_by = cleared_by || ref.to == "haematology" || knead::stops_treatment(ref.urgency);
    CHECK(cleared_by);
  }
  // 3.1 fever or acute infection: defer massage, and exercise, walking and heat with it.
  if (f.finding("ci_fever") || f.finding("ci_acute_systemic_infection")) {
    counts.hit("fever");
    CHECK(stopped);
    for (const char* s : {"exercise_program", "walking", "tai_chi", "yoga", "heat_therapy"}) CHECK_FALSE(has_self_care(r, o, s));
  }
  // 3.2 and 3.3 heat: none over tumour, radiotherapy, port, inflamed, infected, swollen or numb
  // areas, nor with active cancer; no hot stones in pregnancy, diabetes or with insulin.
  if (f.finding("ci_tumour_site") || f.finding("ci_radiation_or_port_site") || f.finding("ci_inflamed_joint_flare") ||
      f.finding("pc_active_cancer") || f.finding("pc_impaired_sensation") || f.finding("pc_peripheral_neuropathy") ||
      f.finding("pc_pvd") || f.finding("ci_skin_infection_or_rash") || f.finding("ci_cellulitis") ||
      f.finding("ci_recent_fracture_or_sprain")) {
    counts.hit("no_heat");
    CHECK_FALSE(has_self_care(r, o, "heat_therapy"));
    CHECK_FALSE(has(r.modalities, "hot_stone"));
  }
  if (f.finding("pc_pregnancy") || f.finding("pc_diabetes") || f.medication("insulin") || f.medication("antidiabetic_oral")) {
    counts.hit("no_hot_stone");
    CHECK_FALSE(has(r.modalities, "hot_stone"));
  }
  // 3.3 cold: none with Raynaud's, cold urticaria, cryoglobulinaemia, poor circulation or numbness.
  if (f.finding("pc_raynaud") || f.finding("pc_cold_urticaria") || f.finding("pc_cryoglobulinaemia") ||
      f.finding("pc_pvd") || f.finding("pc_impaired_sensation") || f.finding("pc_peripheral_neuropathy")) {
    counts.hit("no_cold");
    CHECK_FALSE(has_self_care(r, o, "cold_therapy"));
  }
  // 3.2 region cautions: DVT history and spinal fusion.
  if (f.finding("pc_dvt_history") && r.status != knead::Status::refer) {
    counts.hit("dvt_history_legs");
    CHECK(region_capped(r, "lower_limb", Pressure::light));
  }
  if (f.finding("pc_spinal_fusion") && r.status != knead::Status::refer) {
    counts.hit("fusion_spine");
    CHECK(region_capped(r, "back", Pressure::medium));
    CHECK(region_capped(r, "neck", Pressure::medium));
  }
  // Neuropathic or numb sites: light at most.
  if (r.status != knead::Status::refer) {
    for (const auto& e : p["findings"]) {
      if (!e.is_object() || (e["id"] != "pc_peripheral_neuropathy" && e["id"] != "pc_impaired_sensation")) continue;
      counts.hit("neuropathy_sites");
      for (const auto& site : e["sites"]) CHECK(region_capped(r, site.get<std::string>(), Pressure::light));
    }
  }
  // Missing facts are asked, never assumed.
  const bool female = p.value("sex", "") == "female";
  if (female && (!age || (*age >= 12 && *age <= 55)) && !f.finding("pc_pregnancy") && !f.finding("pc_breastfeeding")) {
    counts.hit("asks_pregnancy");
    CHECK(asks(r, "pregnant"));
    CHECK_FALSE(has(r.modalities, "cbd_oil_massage"));
  }
  if ((f.finding("pc_thrombocytopenia") || f.finding("pc_bleeding_disorder")) && !f.platelets()) {
    counts.hit("asks_platelets");
    CHECK(asks(r, "labs.platelets"));
  }
  if (!age && !f.finding("pc_minor") && p["preferences"].contains("requested")) {
    counts.hit("asks_age_before_cbd");
    CHECK(asks(r, "age"));
    CHECK_FALSE(has(r.modalities, "cbd_oil_massage"));
  }
  // Ids are always read: no review for a record the rule set fully knows.
  CHECK(r.status != knead::Status::review);
  // 3.4 red flags: no massage today, and the urgency the pathways give.
  const auto urgency = most_urgent(r);
  if (f.finding("red_flag")) {
    counts.hit("red_flag");
    CHECK(stopped);
    CHECK(urgency.has_value());
  }
  if (f.finding("rf_cauda_equina") || f.finding("rf_chest_pain_or_dyspnoea") || f.finding("rf_pulsatile_abdominal_mass") ||
      f.finding("rf_hot_swollen_joint_with_fever")) {
    counts.hit("emergency");
    CHECK(urgency == Urgency::emergency);
    CHECK(r.status == knead::Status::refer);
  }
  if (f.finding("rf_progressive_neuro_deficit") || f.finding("rf_possible_spinal_infection") ||
      f.finding("rf_calf_swelling_unilateral") || f.finding("rf_suicidal_ideation")) {
    counts.hit("same_day_or_sooner");
    CHECK((urgency && *urgency <= Urgency::same_day));
  }
  if (f.finding("rf_possible_malignancy") || f.finding("rf_trauma_or_fragility_fall") || f.finding("rf_neck_pain_with_neuro_signs_in_ra")) {
    counts.hit("urgent_or_sooner");
    CHECK((urgency && *urgency <= Urgency::urgent));
  }
  const bool chronic_back = f.condition("chronic_low_back_pain") || f.condition("lumbar_spinal_stenosis") ||
                            f.condition("lumbar_spondylosis") || f.plain_condition("chronic_pain");
  const bool new_back_pain = f.condition("back_pain") && !chronic_back;
  if ((f.finding("pc_cancer_history") || f.finding("pc_active_cancer")) && new_back_pain) {
    counts.hit("cancer_with_new_back_pain");
    CHECK((urgency && *urgency <= Urgency::urgent));
  }
  const bool fever = f.finding("ci_fever") || f.finding("ci_acute_systemic_infection");
  if (f.finding("ci_fever") && (f.condition("back_pain"))) {
    counts.hit("fever_with_back_pain");
    CHECK((urgency && *urgency <= Urgency::same_day));
  }
  // No alarm without a cause: with no red flag and none of the findings that defer for
  // review, a result never refers more urgently than routine. Codes on a problem list
  // (hypertension, incontinence, a known aneurysm, a past stroke or embolism) are not causes.
  const bool cause = f.finding("red_flag") || f.finding("ci_uncontrolled_hypertension") || f.finding("ci_acute_dvt") ||
                     f.finding("ci_decompensated_heart_failure") ||
                     (fever && (f.condition("back_pain") || f.medication("immunosuppressant") ||
                                f.medication("corticosteroid") || f.finding("pc_long_term_steroids"))) ||
                     ((f.finding("pc_cancer_history") || f.finding("pc_active_cancer")) && new_back_pain) ||
                     (f.finding("ci_fever") && f.pain_in_spine());
  if (!cause) {
    counts.hit("no_alarm_without_cause");
    CHECK((!urgency || *urgency == Urgency::routine));
    CHECK(r.status != knead::Status::refer);
  }
  // 3.3 patient preference: never above the preferred pressure, never a declined modality.
  const auto& prefs = p["preferences"];
  if (prefs.contains("pressure")) {
    counts.hit("preferred_pressure");
    CHECK(max_pressure(r) <= *knead::parse_pressure(prefs["pressure"].get<std::string>()));
  }
  // An urgent referral stops treatment.
  if (urgency && knead::stops_treatment(*urgency)) {
    counts.hit("urgent_stops_treatment");
    CHECK(r.status == knead::Status::refer);
    CHECK(r.modalities.empty());
    CHECK(r.self_care.empty());
  }
}

}  // namespace

TEST_CASE("clinical invariants hold for 100,000 generated patients on the default rules", "[property][clinical]") {
  const auto& rules = default_rules();
  const knead::Engine engine{rules};
  ClinicalPatients gen(rules.ontology(), 20261201);
  Counts counts;
  long rewritten = 0;
  for (int i = 0; i < 100000; ++i) {
    const json p = gen.next(i);
    const auto r = engine.recommend(knead::Patient::from_json(p));
    check_invariants(rules.ontology(), p, r, counts);
    // The same patient written with codes, synonyms, brand names and doses gets the same answer.
    const json other = gen.rewritten(p);
    if (other != p) {
      ++rewritten;
      INFO("patient: " << p.dump() << "\nrewritten: " << other.dump());
      CHECK(answer(engine.recommend(knead::Patient::from_json(other))) == answer(r));
    }
  }
  counts.checked["rewritten_same_answer"] = rewritten;
  std::cout << "clinical invariants (patients each applied to, of 100000):\n";
  for (const auto& [name, n] : counts.checked) {
    std::cout << "  " << name << ": " << n << "\n";
    CHECK(n > 0);  // every invariant was exercised
  }
}
