// Stage 5, evaluate (src/evaluate/evaluate.hpp): a compiled rule set and one patient in; out, the
// patient's facts (concepts with their ancestors, what was read other than by id, what could not
// be read) and, per rule, whether it fired, its evaluation errors, and a trace when asked.
#include "support/catch.hpp"

#include "support/compile_text.hpp"

#include "evaluate/evaluate.hpp"

#include <knead/rule_set.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace {

using knead::ConceptKind;
using knead::Patient;
using knead::RecommendOptions;
using knead::detail::CompiledRuleSet;
using knead::detail::Evaluation;
using knead::detail::NormalizedPatient;
using nlohmann::json;

using knead::testing::compile_text;

std::string rule_set(const std::string& rules) {
  return R"({
  "ruleset": "evaluate-test", "version": "1.0.0",
  "defaults": {"goals": ["relax"]},
  "concepts": {
    "conditions": [{"id": "arthritis", "label": "Arthritis"},
                   {"id": "osteoarthritis", "label": "Osteoarthritis", "is_a": ["arthritis"], "synonyms": ["DJD"]},
                   {"id": "knee_oa", "label": "Knee osteoarthritis", "is_a": ["osteoarthritis"], "codes": {"icd10cm": ["M17.9"]}},
                   {"id": "gout", "label": "Gout", "is_a": ["arthritis"]}],
    "goals": [{"id": "relax"}, {"id": "sleep"}],
    "findings": [{"id": "flare"}],
    "medications": [{"id": "anticoagulant"}, {"id": "apixaban", "is_a": ["anticoagulant"], "synonyms": ["Eliquis"]}],
    "regions": [{"id": "lower_limb"}, {"id": "left_knee", "is_a": ["lower_limb"]}],
    "self_care": [{"id": "walking", "instructions": "Walk 20 minutes a day."}],
    "modalities": [{"id": "massage", "pressure": "medium"},
                   {"id": "swedish", "is_a": ["massage"], "pressure": "medium"},
                   {"id": "deep_tissue", "label": "Deep tissue massage", "is_a": ["massage"], "pressure": "firm"}]
  },
  "rules": [)" +
         rules + R"(
  ]
})";
}

const std::string sound_rules = R"(
    {"id": "oa.swedish", "title": "Swedish for osteoarthritis", "when": {"condition": "osteoarthritis"},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "older.walk", "title": "Walking for older people with arthritis",
     "when": {"and": [{"condition": "arthritis"}, {">=": [{"var": "age"}, 50]}]},
     "then": {"self_care": [{"item": "walking"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "anticoag.deep", "title": "No deep tissue on anticoagulants", "when": {"medication": "anticoagulant"},
     "then": {"avoid": [{"modality": "deep_tissue", "level": "contraindicated", "reason": "bleeding"}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "reads.ids", "title": "Reads the record by id", "when": {"in": ["apixaban", {"var": "medications"}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})";

Patient patient(const char* text) { return Patient::from_json(json::parse(text)); }

bool has(const CompiledRuleSet& rules, const NormalizedPatient& p, ConceptKind kind, const std::string& id) {
  const auto index = rules.ontology.index(kind, id);
  REQUIRE(index);
  return p.has(kind, *index);
}

std::vector<std::string> ids(const CompiledRuleSet& rules, ConceptKind kind,
                             const std::vector<knead::Ontology::Index>& indices) {
  std::vector<std::string> out;
  for (auto i : indices) out.push_back(rules.ontology.at(kind, i).id);
  return out;
}

std::vector<std::string> fired(const CompiledRuleSet& rules, const Evaluation& ev) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ev.fired.size(); ++i) {
    if (ev.fired[i]) out.push_back(rules.rules[i].id);
  }
  return out;
}

}  // namespace

TEST_CASE("evaluate: normalize marks each concept the patient has with its ancestors", "[evaluate]") {
  const auto rules = compile_text(rule_set(sound_rules));
  const NormalizedPatient p = knead::detail::normalize(
      *rules, patient(R"({"conditions": ["knee_oa"], "goals": ["sleep"], "pain": {"locations": ["left_knee"]}})"),
      false);

  CHECK(has(*rules, p, ConceptKind::condition, "knee_oa"));
  CHECK(has(*rules, p, ConceptKind::condition, "osteoarthritis"));
  CHECK(has(*rules, p, ConceptKind::condition, "arthritis"));
  CHECK_FALSE(has(*rules, p, ConceptKind::condition, "gout"));
  CHECK(ids(*rules, ConceptKind::condition, p.direct[static_cast<std::size_t>(ConceptKind::condition)]) ==
        std::vector<std::string>{"knee_oa"});
  CHECK(has(*rules, p, ConceptKind::region, "left_knee"));
  CHECK(has(*rules, p, ConceptKind::region, "lower_limb"));
  CHECK(ids(*rules, ConceptKind::region, p.pain_locations) == std::vector<std::string>{"left_knee"});
  CHECK(has(*rules, p, ConceptKind::goal, "sleep"));
  CHECK_FALSE(has(*rules, p, ConceptKind::goal, "relax"));
  CHECK(p.warnings.empty());
  CHECK(p.interpreted.empty());
  CHECK(p.unresolved.empty());
  CHECK_FALSE(p.document);  // every name was an id: rules read the record as given

  // No goals: the rule set's default goals, with a warning.
  const NormalizedPatient no_goals = knead::detail::normalize(*rules, patient(R"({"conditions": ["gout"]})"), false);
  CHECK(has(*rules, no_goals, ConceptKind::goal, "relax"));
  CHECK(no_goals.warnings == std::vector<std::string>{"no goals given; using the rule set's default goals: relax"});
}

TEST_CASE("evaluate: names read by synonym, label, dose or code are listed in interpreted and read as ids",
          "[evaluate]") {
  // One rule (never firing) reads the whole record as data: every name is replaced in its copy.
  const auto rules = compile_text(rule_set(sound_rules + R"(,
    {"id": "reads.all", "title": "Reads the whole record", "when": {"==": [{"var": ""}, null]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})"));
  const NormalizedPatient p = knead::detail::normalize(*rules, patient(R"({
    "conditions": ["DJD", "Knee Osteoarthritis", {"system": "icd10cm", "code": "M17.9"}],
    "medications": ["Eliquis 5 mg tablet twice daily", "Apixaban"],
    "preferences": {"pressure": "Light", "declined": ["Deep Tissue Massage"]}})"),
                                                       false);
  std::vector<std::string> got;
  for (const auto& i : p.interpreted)
    got.push_back(i.field + "|" + i.input + "|" + i.system + "|" + i.kind + "|" + i.id + "|" + i.by);
  CHECK(got == std::vector<std::string>{
                   "conditions[0]|DJD||condition|osteoarthritis|synonym",
                   "conditions[1]|Knee Osteoarthritis||condition|knee_oa|label",
                   "conditions[2]|M17.9|icd10cm|condition|knee_oa|code",
                   "medications[0]|Eliquis 5 mg tablet twice daily||medication|apixaban|dose",
                   "medications[1]|Apixaban||medication|apixaban|name",
                   "preferences.pressure|Light||pressure|light|name",
                   "preferences.declined[0]|Deep Tissue Massage||modality|deep_tissue|label",
               });
  CHECK(p.unresolved.empty());
  CHECK(has(*rules, p, ConceptKind::medication, "anticoagulant"));
  REQUIRE(p.preferred_pressure);
  CHECK(*p.preferred_pressure == knead::Pressure::light);
  CHECK(ids(*rules, ConceptKind::modality, p.declined_modalities) == std::vector<std::string>{"deep_tissue"});

  // Rules read the record with every name replaced by its id; a coded entry stays as given.
  REQUIRE(p.document);
  const json& doc = *p.document;
  CHECK(doc["conditions"][0] == "osteoarthritis");
  CHECK(doc["conditions"][1] == "knee_oa");
  CHECK(doc["conditions"][2]["code"] == "M17.9");
  CHECK(doc["medications"] == json::array({"apixaban", "apixaban"}));
  CHECK(doc["preferences"]["pressure"] == "light");
  CHECK(doc["preferences"]["declined"][0] == "deep_tissue");

  const Evaluation ev = knead::detail::evaluate(*rules, patient(R"({"medications": ["Eliquis"]})"), RecommendOptions{});
  CHECK(fired(*rules, ev) == std::vector<std::string>{"anticoag.deep", "reads.ids"});
}

TEST_CASE("evaluate: the record is copied with ids only when a rule could read a rewritten name as data",
          "[evaluate]") {
  const std::string by_fact = R"(
    {"id": "anticoag.deep", "title": "No deep tissue on anticoagulants", "when": {"medication": "anticoagulant"},
     "then": {"avoid": [{"modality": "deep_tissue", "level": "contraindicated", "reason": "bleeding"}]},
     "evidence": {"grade": "low", "source": "s"}},
    {"id": "older", "title": "Older", "when": {">=": [{"var": "age"}, 50]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})";
  const Patient eliquis = patient(R"({"age": 61, "medications": ["Eliquis"]})");
  {
    // Only the patient's facts see the medication: no copy, and the veto still fires.
    const auto rules = compile_text(rule_set(by_fact));
    const Evaluation ev = knead::detail::evaluate(*rules, eliquis, RecommendOptions{});
    CHECK_FALSE(ev.patient.document);
    CHECK(fired(*rules, ev) == std::vector<std::string>{"anticoag.deep", "older"});
  }
  // Any read that can reach the rewritten entry gets the copy: the list, the entry, a field
  // inside the entry, the whole record, a computed path, a climb out of an iterator.
  for (const char* when :
       {R"({"in": ["apixaban", {"var": "medications"}]})", R"({"==": [{"var": "medications.0"}, "apixaban"]})",
        R"({"==": [{"val": ["medications", 0]}, "apixaban"]})", R"({"some": [{"var": "medications.0.id"}, true]})",
        R"({"!!": {"var": ""}})", R"({"!!": {"var": {"cat": ["medi", "cations"]}}})",
        R"({"some": [[1], {"==": [{"val": [[1], "medications", 0]}, "apixaban"]}]})",
        R"({"missing": ["medications"]})"}) {
    CAPTURE(when);
    const auto rules = compile_text(rule_set(by_fact + R"(,
    {"id": "reads", "title": "Reads the record", "when": )" +
                                             when + R"(,
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})"));
    const Evaluation ev = knead::detail::evaluate(*rules, eliquis, RecommendOptions{});
    REQUIRE(ev.patient.document);
    CHECK((*ev.patient.document)["medications"][0] == "apixaban");
  }
  // Reads of other fields do not; where one does, only the names it can see are replaced.
  const auto rules = compile_text(rule_set(by_fact + R"(,
    {"id": "reads", "title": "Reads the record", "when": {"in": ["gout", {"var": ["conditions", []]}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})"));
  CHECK_FALSE(knead::detail::evaluate(*rules, eliquis, RecommendOptions{}).patient.document);
  const Evaluation both = knead::detail::evaluate(
      *rules, patient(R"({"conditions": ["DJD"], "medications": ["Eliquis"]})"), RecommendOptions{});
  REQUIRE(both.patient.document);
  CHECK((*both.patient.document)["conditions"][0] == "osteoarthritis");
  CHECK((*both.patient.document)["medications"][0] == "Eliquis");
}

TEST_CASE("evaluate: what cannot be read is unresolved with its problem and the nearest id", "[evaluate]") {
  const auto rules = compile_text(rule_set(sound_rules));
  const Patient given = patient(R"({
    "agee": 61,
    "conditions": ["arthritus", {"system": "icd10cm", "code": "Z99.89"}, {"code": "M17.9"}],
    "pain": {"locations": ["left_kne"]},
    "preferences": {"declined": ["reiki"]}})");
  const NormalizedPatient p = knead::detail::normalize(*rules, given, false);

  std::vector<std::string> got;
  for (const auto& u : p.unresolved) got.push_back(u.field + "|" + u.input + "|" + u.problem + "|" + u.nearest);
  CHECK(got == std::vector<std::string>{
                   "agee|agee|unknown_key|age",
                   "conditions[0]|arthritus|unknown_id|arthritis",
                   "conditions[1]|Z99.89|unknown_code|",
                   "conditions[2]|M17.9|unknown_system|",
                   "pain.locations[0]|left_kne|unknown_site|left_knee",
                   "preferences.declined[0]|reiki|unknown_id|",
               });
  REQUIRE(p.unresolved.size() == 6);
  CHECK(p.unresolved[0].message == "unknown patient field 'agee'; did you mean 'age'?");
  CHECK(p.unresolved[1].message == "unknown condition 'arthritus'; did you mean 'arthritis'?");
  CHECK(p.unresolved[2].message == "no condition has the icd10cm code 'Z99.89'");
  CHECK_FALSE(has(*rules, p, ConceptKind::condition, "arthritis"));

  // Entries a reader attached come first.
  const NormalizedPatient attached = knead::detail::normalize(
      *rules, given.with_unresolved({knead::Unresolved{"entry[0]", "x", "unreadable_resource", "", "m"}}), false);
  REQUIRE(attached.unresolved.size() == 7);
  CHECK(attached.unresolved[0].field == "entry[0]");
}

TEST_CASE("evaluate: in strict mode the first unreadable entry is a PatientError naming its field", "[evaluate]") {
  const auto rules = compile_text(rule_set(sound_rules));
  const Patient given = patient(R"({"conditions": ["gout", "arthritus"], "agee": 3})");
  try {
    (void)knead::detail::normalize(*rules, given, true);
    FAIL("strict normalize accepted an unknown id");
  } catch (const knead::PatientError& e) {
    CHECK(e.field() == "agee");
    CHECK(std::string(e.what()) == "patient.agee: unknown patient field 'agee'; did you mean 'age'?");
  }
  RecommendOptions strict;
  strict.strict = true;
  CHECK_THROWS_AS(knead::detail::evaluate(*rules, patient(R"({"conditions": ["arthritus"]})"), strict),
                  knead::PatientError);
  CHECK_NOTHROW(knead::detail::evaluate(*rules, patient(R"({"conditions": ["arthritis"]})"), strict));
}

TEST_CASE("evaluate: each rule fires or not on the patient's facts and record", "[evaluate]") {
  const auto rules = compile_text(rule_set(sound_rules));
  const Evaluation older = knead::detail::evaluate(*rules, patient(R"({"age": 61, "conditions": ["knee_oa"]})"), {});
  CHECK(older.fired.size() == rules->rules.size());
  CHECK(fired(*rules, older) == std::vector<std::string>{"oa.swedish", "older.walk"});
  CHECK(older.errors.empty());
  CHECK_FALSE(older.fail_closed);
  CHECK_FALSE(older.trace);

  const Evaluation younger = knead::detail::evaluate(*rules, patient(R"({"age": 40, "conditions": ["gout"]})"), {});
  CHECK(fired(*rules, younger).empty());
  const Evaluation gout = knead::detail::evaluate(*rules, patient(R"({"age": 70, "conditions": ["gout"]})"), {});
  CHECK(fired(*rules, gout) == std::vector<std::string>{"older.walk"});
}

TEST_CASE("evaluate: a rule that raises an error does not fire, and fails closed when it can veto or refer",
          "[evaluate]") {
  const auto rules = compile_text(rule_set(R"(
    {"id": "plain", "title": "t", "when": {"condition": "gout"},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "raises.recommend", "title": "t", "when": {"if": [{"condition": "gout"}, {"throw": "no gout data"}, false]},
     "then": {"recommend": [{"modality": "massage"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "raises.veto", "title": "t", "when": {"if": [{">": [{"var": "age"}, 100]}, {"throw": "check the age"}, false]},
     "then": {"avoid": [{"modality": "deep_tissue", "level": "contraindicated", "reason": "r"}]},
     "evidence": {"grade": "low", "source": "s"}})"));

  const Evaluation recommending =
      knead::detail::evaluate(*rules, patient(R"({"conditions": ["gout"], "age": 60})"), {});
  CHECK(fired(*rules, recommending) == std::vector<std::string>{"plain"});
  REQUIRE(recommending.errors.size() == 1);
  CHECK(recommending.errors[0].rule == "raises.recommend");
  CHECK(recommending.errors[0].code == "logic.thrown");
  CHECK(recommending.errors[0].message.find("no gout data") != std::string::npos);
  CHECK_FALSE(recommending.fail_closed);  // it could only have recommended

  const Evaluation vetoing = knead::detail::evaluate(*rules, patient(R"({"age": 120})"), {});
  REQUIRE(vetoing.errors.size() == 1);
  CHECK(vetoing.errors[0].rule == "raises.veto");
  CHECK(vetoing.fail_closed);
  CHECK(fired(*rules, vetoing).empty());
}

TEST_CASE("evaluate: a rule whose gate facts the patient lacks is false without evaluating it, never hiding an error",
          "[evaluate]") {
  const auto rules = compile_text(rule_set(R"(
    {"id": "gate.one", "title": "t", "when": {"condition": "gout"},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "gate.and", "title": "t", "when": {"and": [{"condition": "osteoarthritis"}, {">=": [{"var": "age"}, 50]}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "gate.or", "title": "t", "when": {"or": [{"condition": "gout"}, {"!!": {"finding": "flare"}}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "open.or", "title": "t", "when": {"or": [{"condition": "gout"}, {">": [{"var": "age"}, {"var": "pain.intensity"}]}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "raises.first", "title": "t", "when": {"and": [{"throw": "first"}, {"condition": "gout"}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "raises.second", "title": "t", "when": {"and": [{"condition": "gout"}, {"throw": "second"}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "not.gout", "title": "t", "when": {"!": {"condition": "gout"}},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "key.or", "title": "t", "when": {"or": [{"condition": "gout"}, {">": [{"var": "age"}, 90]}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})"));
  std::vector<std::string> gated;
  for (std::size_t i = 0; i < rules->rules.size(); ++i) {
    if (rules->gated[i] != 0) gated.push_back(rules->rules[i].id);
  }
  // open.or reads two keys of the record; key.or's comparison is false for every record without
  // "age", so its gate is gout and the record's key "age".
  CHECK(gated == std::vector<std::string>{"gate.one", "gate.and", "gate.or", "raises.second", "key.or"});
  // The gate of the `or` is both of its facts, as places in the fact table.
  std::vector<std::uint32_t> facts;
  for (std::size_t k = 0; k < rules->gate_facts.size(); ++k) {
    if (rules->gate_rules[k] == 2) facts.push_back(rules->gate_facts[k]);
  }
  const auto offsets = knead::detail::fact_offsets(rules->ontology);
  const auto place = [&](ConceptKind kind, const char* id) {
    return static_cast<std::uint32_t>(offsets[static_cast<std::size_t>(kind)] + *rules->ontology.index(kind, id));
  };
  CHECK(facts ==
        std::vector<std::uint32_t>{place(ConceptKind::condition, "gout"), place(ConceptKind::finding, "flare")});
  facts.clear();
  for (std::size_t k = 0; k < rules->gate_facts.size(); ++k) {
    if (rules->gate_rules[k] == 7) facts.push_back(rules->gate_facts[k]);
  }
  const auto& keys = rules->fields.root().ordered;
  const auto age = std::find_if(keys.begin(), keys.end(), [](const auto& k) { return k.first == "age"; });
  REQUIRE(age != keys.end());
  CHECK(facts == std::vector<std::uint32_t>{place(ConceptKind::condition, "gout"),
                                            static_cast<std::uint32_t>(offsets.back() + (age - keys.begin()))});

  const auto errors = [](const Evaluation& ev) {
    std::vector<std::string> out;
    for (const auto& e : ev.errors) out.push_back(e.rule);
    return out;
  };
  const Evaluation none = knead::detail::evaluate(*rules, patient(R"({"age": 95, "conditions": ["arthritis"]})"), {});
  CHECK(fired(*rules, none) == std::vector<std::string>{"open.or", "not.gout", "key.or"});
  CHECK(errors(none) == std::vector<std::string>{"raises.first"});  // raised before the gate's test

  const Evaluation all = knead::detail::evaluate(
      *rules, patient(R"({"age": 60, "conditions": ["knee_oa", "gout"], "findings": ["flare"]})"), {});
  CHECK(fired(*rules, all) == std::vector<std::string>{"gate.one", "gate.and", "gate.or", "open.or", "key.or"});
  CHECK(errors(all) == std::vector<std::string>{"raises.first", "raises.second"});

  const Evaluation flare = knead::detail::evaluate(*rules, patient(R"({"findings": ["flare"]})"), {});
  CHECK(fired(*rules, flare) == std::vector<std::string>{"gate.or", "not.gout"});

  // A gate stands for an evaluation that stays within the work budget: with a budget of one
  // unit, the `and` (two units to be false) is evaluated and runs out, as it always did.
  knead::LoadOptions tight;
  tight.logic.max_work = 1;
  const auto small = compile_text(rule_set(R"(
    {"id": "gate.one", "title": "t", "when": {"condition": "gout"},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}},
    {"id": "gate.and", "title": "t", "when": {"and": [{"condition": "osteoarthritis"}, {">=": [{"var": "age"}, 50]}]},
     "then": {"recommend": [{"modality": "swedish"}]}, "evidence": {"grade": "low", "source": "s"}})"),
                                  tight);
  CHECK(small->gated == std::vector<char>{1, 0});
  const Evaluation over = knead::detail::evaluate(*small, patient(R"({"age": 60})"), {});
  REQUIRE(over.errors.size() == 1);
  CHECK(over.errors[0].rule == "gate.and");
  CHECK(over.errors[0].code == "limit.work");
}

TEST_CASE("evaluate: explain traces every rule, with the first false clause of one that did not fire", "[evaluate]") {
  const std::string text = rule_set(sound_rules + R"(,
    {"id": "raises", "title": "Raises", "when": {"throw": "boom"},
     "then": {"recommend": [{"modality": "massage"}]}, "evidence": {"grade": "low", "source": "s"}})");
  const auto rules = compile_text(text);
  RecommendOptions explain;
  explain.explain = true;
  const Evaluation ev = knead::detail::evaluate(*rules, patient(R"({"age": 40, "conditions": ["knee_oa"]})"), explain);
  REQUIRE(ev.trace);
  const auto& trace = *ev.trace;
  REQUIRE(trace.size() == rules->rules.size());
  CHECK(trace[0].rule == "oa.swedish");
  CHECK(trace[0].title == "Swedish for osteoarthritis");
  CHECK(trace[0].fired);
  CHECK(trace[0].failed_pointer.empty());

  // older.walk: the condition holds, the age does not.
  CHECK(trace[1].rule == "older.walk");
  CHECK_FALSE(trace[1].fired);
  CHECK(trace[1].error.empty());
  CHECK(trace[1].failed_pointer == "/rules/1/when/and/1");
  CHECK(trace[1].failed_clause == json::parse(R"({">=": [{"var": "age"}, 50]})"));
  const std::size_t at = text.find(R"({">=")");
  const std::size_t line =
      static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
  CHECK(trace[1].failed_location.file == "rules.json");
  CHECK(trace[1].failed_location.line == line);
  CHECK(trace[1].failed_location.column == at - text.rfind('\n', at));

  // A single clause that is false is itself the failed clause.
  CHECK(trace[2].failed_pointer == "/rules/2/when");
  CHECK(trace[2].failed_clause == json::parse(R"({"medication": "anticoagulant"})"));

  // An erroring rule says why, and has no false clause.
  CHECK(trace[4].rule == "raises");
  CHECK_FALSE(trace[4].fired);
  CHECK(trace[4].error.find("boom") != std::string::npos);
  CHECK(trace[4].failed_pointer.empty());
  CHECK(ev.errors.size() == 1);
}

TEST_CASE("evaluate: on the shipped rules, a brand name of an anticoagulant fires the blood-thinner precaution",
          "[evaluate]") {
  static const knead::RuleSet shipped = knead::RuleSet::load(std::string(KNEAD_SOURCE_DIR) + "/rules");
  const CompiledRuleSet& rules = CompiledRuleSet::of(shipped);
  const Evaluation ev = knead::detail::evaluate(rules, patient(R"({"medications": ["Eliquis 5 mg twice daily"]})"), {});
  REQUIRE(ev.patient.interpreted.size() == 1);
  CHECK(ev.patient.interpreted[0].id == "apixaban");
  CHECK(ev.patient.interpreted[0].by == "dose");
  CHECK(has(rules, ev.patient, ConceptKind::medication, "anticoagulant"));
  CHECK(has(rules, ev.patient, ConceptKind::medication, "antithrombotic"));
  const auto names = fired(rules, ev);
  CHECK(std::find(names.begin(), names.end(), "safety.anticoagulant.deep_pressure") != names.end());
  CHECK(ev.errors.empty());

  const Evaluation none = knead::detail::evaluate(rules, patient(R"({"medications": ["paracetamol"]})"), {});
  const auto without = fired(rules, none);
  CHECK(std::find(without.begin(), without.end(), "safety.anticoagulant.deep_pressure") == without.end());
}

TEST_CASE("evaluate: on the shipped rules, gates and the rules they skip agree with evaluating every rule",
          "[evaluate]") {
  static const knead::RuleSet shipped = knead::RuleSet::load(std::string(KNEAD_SOURCE_DIR) + "/rules");
  const CompiledRuleSet& rules = CompiledRuleSet::of(shipped);
  // Generated patients: ids, ancestors, unknown names and the record fields the ungated rules
  // read (age, sex, pregnancy, labs, pain.flare, preferences, occupation).
  std::vector<std::vector<std::string>> names(5);
  const std::pair<ConceptKind, std::size_t> lists[] = {{ConceptKind::condition, 0},
                                                       {ConceptKind::finding, 1},
                                                       {ConceptKind::medication, 2},
                                                       {ConceptKind::goal, 3},
                                                       {ConceptKind::region, 4}};
  for (const auto& [kind, slot] : lists) {
    for (const auto& c : rules.ontology.concepts(kind)) names[slot].push_back(c.id);
    names[slot].push_back("not_an_id");
  }
  const char* keys[] = {"conditions", "findings", "medications", "goals"};
  std::uint64_t seed = 20261201;
  const auto next = [&seed](std::size_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>((seed >> 33) % n);
  };
  for (int n = 0; n < 600; ++n) {
    json record = json::object();
    for (std::size_t slot = 0; slot < 4; ++slot) {
      json list = json::array();
      for (std::size_t k = next(4); k > 0; --k) list.push_back(names[slot][next(names[slot].size())]);
      record[keys[slot]] = list;
    }
    json locations = json::array();
    for (std::size_t k = next(3); k > 0; --k) locations.push_back(names[4][next(names[4].size())]);
    record["pain"] = {{"intensity", next(11)}, {"locations", locations}, {"flare", next(2) == 0}};
    if (next(3) != 0) record["age"] = 5 + next(90);
    const char* sexes[] = {"female", "male", "F", "other"};
    if (next(3) != 0) record["sex"] = sexes[next(4)];
    if (next(5) == 0) record["pregnant"] = next(2) == 0;
    if (next(6) == 0) record["pregnancy"] = {{"weeks", next(40)}};
    if (next(5) == 0) record["labs"] = {{"platelets", 20 + next(300)}};
    if (next(4) == 0) record["guardian_consent"] = next(2) == 0;
    const char* jobs[] = {"desk work", "Driver", "nurse", "screen typing"};
    if (next(3) == 0) record["occupation"] = jobs[next(4)];
    const char* pressures[] = {"light", "medium", "firm"};
    record["preferences"] = {{"pressure", pressures[next(3)]}};
    if (next(4) == 0) record["preferences"]["requested"] = json::array({"cbd_oil_massage"});
    INFO(record.dump());
    const Patient p = Patient::from_json(record);
    const Evaluation ev = knead::detail::evaluate(rules, p, {});
    // Every rule evaluated as it is written, on the same facts and record.
    const json& data = ev.patient.document ? *ev.patient.document : p.document();
    std::vector<std::string> errors;
    for (std::size_t i = 0; i < rules.rules.size(); ++i) {
      bool plain = true;
      if (rules.compiled[i].when) {
        try {
          knead::logic::Context ctx(data, &ev.patient, rules.limits);
          plain = rules.compiled[i].when->test(ctx);
        } catch (const std::exception&) {
          plain = false;
          errors.push_back(rules.rules[i].id);
        }
      }
      INFO(rules.rules[i].id);
      CHECK((ev.fired[i] != 0) == plain);
    }
    std::vector<std::string> raised;
    for (const auto& e : ev.errors) raised.push_back(e.rule);
    CHECK(raised == errors);
  }
}
