// Safety properties checked on many generated patients, against the test rule set and the
// shipped default rules. Each property is checked from the fired rules and the ontology,
// independently of how the resolver reached its result.
#include "support/catch.hpp"
#include "support/fixtures.hpp"

#include <algorithm>
#include <random>
#include <set>
#include <thread>

namespace {

using knead::ConceptKind;
using nlohmann::json;

class PatientGenerator {
 public:
  PatientGenerator(const knead::Ontology& ontology, std::uint32_t seed) : ontology_(ontology), rng_(seed) {}

  json next(int n) {
    json p = json::object();
    p["id"] = "gen-" + std::to_string(n);
    if (chance(0.9)) p["age"] = pick_int(3, 95);
    p["conditions"] = ids(ConceptKind::condition, 0, 3);
    if (chance(0.1)) p["conditions"].push_back("not_a_condition");
    if (chance(0.8)) p["goals"] = ids(ConceptKind::goal, 0, 2);
    json findings = json::array();
    for (const auto& f : ids(ConceptKind::finding, 0, 3)) {
      if (chance(0.5)) findings.push_back({{"id", f}, {"sites", ids(ConceptKind::region, 1, 2)}});
      else findings.push_back(f);
    }
    p["findings"] = findings;
    p["medications"] = ids(ConceptKind::medication, 0, 2);
    p["pain"] = {{"intensity", pick_int(0, 10)}, {"locations", ids(ConceptKind::region, 0, 2)}, {"flare", chance(0.3)}};
    json prefs = json::object();
    if (chance(0.5)) prefs["pressure"] = std::vector<std::string>{"light", "medium", "firm"}[pick_int(0, 2)];
    json declined = ids(ConceptKind::modality, 0, 1);
    if (chance(0.3)) declined.push_back(ids(ConceptKind::self_care, 1, 1)[0]);
    prefs["declined"] = declined;
    p["preferences"] = prefs;
    return p;
  }

 private:
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int pick_int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  json ids(ConceptKind kind, int lo, int hi) {
    json out = json::array();
    const auto& all = ontology_.concepts(kind);
    if (all.empty()) return out;
    const int n = pick_int(lo, hi);
    for (int i = 0; i < n; ++i) out.push_back(all[static_cast<std::size_t>(pick_int(0, static_cast<int>(all.size()) - 1))].id);
    return out;
  }
  const knead::Ontology& ontology_;
  std::mt19937 rng_;
};

const knead::Rule* rule_by_id(const knead::RuleSet& rules, const std::string& id) {
  for (const auto& r : rules.rules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

bool descends(const knead::Ontology& o, ConceptKind kind, const std::string& id, const std::string& ancestor) {
  auto i = o.index(kind, id);
  auto a = o.index(kind, ancestor);
  return i && a && o.is_a(kind, *i, *a);
}

void check_safety(const knead::RuleSet& rules, const json& patient_json, const knead::Recommendation& r) {
  const auto& o = rules.ontology();
  INFO("patient: " << patient_json.dump());
  std::vector<const knead::Rule*> fired;
  for (const auto& id : r.fired) fired.push_back(rule_by_id(rules, id));

  bool urgent = false;
  for (const auto* rule : fired) {
    for (const auto& ref : rule->refer) urgent = urgent || knead::stops_treatment(ref.urgency);
  }
  const bool treats = r.status == knead::Status::ok || r.status == knead::Status::review;
  if (urgent || !treats) {
    CHECK(r.modalities.empty());
    CHECK(r.self_care.empty());
  }
  if (urgent) CHECK(r.status != knead::Status::ok);
  // Nothing unreadable ever passes as ok; under review no modality exceeds the review cap.
  if (!r.unresolved.empty()) CHECK(r.status != knead::Status::ok);
  if (r.status == knead::Status::review) {
    CHECK_FALSE(r.unresolved.empty());
    for (const auto& m : r.modalities) CHECK(m.pressure <= rules.review_pressure_max());
  }

  const auto prefs = patient_json.value("preferences", json::object());
  for (const auto& m : r.modalities) {
    for (const auto* rule : fired) {
      for (const auto& a : rule->avoid) {
        if (a.target != knead::AvoidTarget::modality || !descends(o, ConceptKind::modality, m.id, a.id)) continue;
        // No contraindicated modality is ever recommended.
        CHECK_FALSE(a.level == knead::AvoidLevel::contraindicated);
        // Pressure never exceeds a caution's cap.
        if (a.pressure_max) CHECK(m.pressure <= *a.pressure_max);
      }
    }
    // Nor the patient's preference, and declined modalities never appear.
    if (prefs.contains("pressure")) CHECK(m.pressure <= *knead::parse_pressure(prefs["pressure"].get<std::string>()));
    for (const auto& d : prefs.value("declined", json::array())) CHECK_FALSE(descends(o, ConceptKind::modality, m.id, d));
    CHECK(m.score > 0);
  }
  for (const auto& s : r.self_care) {
    for (const auto* rule : fired) {
      for (const auto& a : rule->avoid) {
        if (a.target == knead::AvoidTarget::self_care && a.level == knead::AvoidLevel::contraindicated) {
          CHECK_FALSE(descends(o, ConceptKind::self_care, s.id, a.id));
        }
      }
    }
    for (const auto& d : prefs.value("declined", json::array())) CHECK_FALSE(descends(o, ConceptKind::self_care, s.id, d));
  }
}

void run_properties(const knead::RuleSet& rules, std::uint32_t seed, int count) {
  const knead::Engine engine{rules};
  PatientGenerator gen(rules.ontology(), seed);
  for (int i = 0; i < count; ++i) {
    const json patient_json = gen.next(i);
    const auto patient = knead::Patient::from_json(patient_json);
    const auto r = engine.recommend(patient);
    check_safety(rules, patient_json, r);
    // Deterministic: the same patient gives the same bytes.
    if (i % 10 == 0) CHECK(knead::to_json(engine.recommend(patient)) == knead::to_json(r));
  }
}

}  // namespace

TEST_CASE("safety properties hold for 5000 generated patients on the test rules", "[property][safety]") {
  run_properties(knead::test::test_rules(), 20261128, 5000);
}

TEST_CASE("safety properties hold for 5000 generated patients on the default rules", "[property][safety][default]") {
  run_properties(knead::RuleSet::load(std::string(KNEAD_SOURCE_DIR) + "/rules"), 7, 5000);
}

TEST_CASE("one Engine serves several threads with the same results as one thread", "[property][threads]") {
  const auto& rules = knead::test::test_rules();
  const knead::Engine engine{rules};
  PatientGenerator gen(rules.ontology(), 99);
  std::vector<knead::Patient> patients;
  for (int i = 0; i < 400; ++i) patients.push_back(knead::Patient::from_json(gen.next(i)));
  std::vector<std::string> expected;
  for (const auto& p : patients) expected.push_back(knead::to_json(engine.recommend(p)));

  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      for (const auto& p : patients) got[t].push_back(knead::to_json(engine.recommend(p)));
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& g : got) CHECK(g == expected);
}
