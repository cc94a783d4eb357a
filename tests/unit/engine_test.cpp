// Resolution (docs/resolution.md), point by point, on tests/data/test_rules.json.
#include "support/catch.hpp"
#include "support/fixtures.hpp"

#include <algorithm>

using knead::test::contains_id;
using knead::test::find_id;
using knead::test::recommend;

namespace {
bool has_warning(const knead::Recommendation& r, const std::string& text) {
  return std::any_of(r.warnings.begin(), r.warnings.end(), [&](const std::string& w) { return w.find(text) != std::string::npos; });
}
}  // namespace

TEST_CASE("6.1 codes map to concepts and ancestors satisfy the condition operator", "[engine][resolve]") {
  auto r = recommend(R"({"id": "p1", "conditions": [{"system": "icd10cm", "code": "M17.11"}], "goals": ["reduce_pain_intensity"]})");
  CHECK(r.status == knead::Status::ok);
  CHECK(std::find(r.fired.begin(), r.fired.end(), "oa.swedish") != r.fired.end());
  REQUIRE(contains_id(r.modalities, "swedish"));
  auto snomed = recommend(R"({"conditions": [{"system": "snomed", "code": "239873007"}]})");
  CHECK(contains_id(snomed.modalities, "swedish"));
}

TEST_CASE("6.1 unknown ids and codes are unresolved with the nearest id, or errors in strict mode", "[engine][patient]") {
  auto r = recommend(R"({"conditions": ["fibromyalga", {"system": "icd10cm", "code": "Z99.9"}], "goals": ["reduce_pain_intensity"]})");
  REQUIRE(r.unresolved.size() == 2);
  CHECK(r.unresolved[0].message == "unknown condition 'fibromyalga'; did you mean 'fibromyalgia'?");
  CHECK(r.unresolved[0].nearest == "fibromyalgia");
  CHECK(r.unresolved[1].message.str().find("icd10cm code 'Z99.9'") != std::string::npos);
  CHECK(r.status == knead::Status::review);
  CHECK(r.modalities.empty());
  knead::RecommendOptions strict;
  strict.strict = true;
  CHECK_THROWS_AS(recommend(R"({"conditions": ["fibromyalga"]})", strict), knead::PatientError);
  try {
    (void)recommend(R"({"conditions": ["fibromyalga"]})", strict);
  } catch (const knead::PatientError& e) {
    CHECK(e.field() == "conditions[0]");
    CHECK(std::string(e.what()).find("did you mean 'fibromyalgia'") != std::string::npos);
  }
}

TEST_CASE("6.1 without goals the rule set's defaults apply and the result says so", "[engine][patient]") {
  auto r = recommend(R"({"conditions": ["fibromyalgia"]})");
  CHECK(has_warning(r, "default goals: reduce_pain_intensity"));
  auto with_goals = recommend(R"({"conditions": ["fibromyalgia"], "goals": ["improve_sleep_reduce_anxiety"]})");
  CHECK_FALSE(has_warning(with_goals, "default goals"));
}

TEST_CASE("6.1 malformed patients are errors that name the field", "[engine][patient]") {
  using knead::Patient;
  using nlohmann::json;
  auto field_of = [](const char* text) {
    try {
      (void)Patient::from_json(json::parse(text));
    } catch (const knead::PatientError& e) {
      return e.field();
    }
    return std::string("<no error>");
  };
  CHECK(field_of(R"({"pain": {"intensity": 11}})") == "pain.intensity");
  CHECK(field_of(R"({"pain": {"intensity": "high"}})") == "pain.intensity");
  CHECK(field_of(R"({"age": -3})") == "age");
  CHECK(field_of(R"({"conditions": "fibromyalgia"})") == "conditions");
  CHECK(field_of(R"({"conditions": ["a", 3]})") == "conditions[1]");
  CHECK(field_of(R"({"findings": [{"id": "x", "sites": [1]}]})") == "findings[0].sites[0]");
  CHECK(field_of(R"({"preferences": {"pressure": "hard"}})") == "preferences.pressure");
  CHECK(field_of(R"([1, 2])") == "");
  CHECK(field_of(R"({"clinic_field": {"anything": [1, 2]}})") == "<no error>");
}

TEST_CASE("6.2 an erroring rule with avoid or refer fails the whole result closed", "[engine][resolve]") {
  const auto rules = knead::RuleSet::parse(R"({
    "ruleset": "t", "version": "1",
    "concepts": {"modalities": [{"id": "massage", "pressure": "medium"}, {"id": "swedish", "is_a": ["massage"], "pressure": "light"}]},
    "rules": [
      {"id": "always.swedish", "title": "t", "then": {"recommend": [{"modality": "swedish"}]}},
      {"id": "broken.safety", "title": "t", "when": {">": [{"/": [1, {"var": "pain.intensity"}]}, 1]},
       "then": {"avoid": [{"modality": "swedish", "level": "contraindicated", "reason": "r"}]}},
      {"id": "broken.plain", "title": "t", "when": {"+": ["x", 1]},
       "then": {"recommend": [{"modality": "swedish"}]}}
    ]})");
  const knead::Engine engine{rules};
  auto failing = engine.recommend(knead::Patient::from_json({{"pain", {{"intensity", 0}}}}));
  CHECK(failing.status == knead::Status::error);
  CHECK(failing.modalities.empty());
  REQUIRE(failing.errors.size() == 2);
  CHECK(failing.errors[0].rule == "broken.safety");
  CHECK(failing.errors[0].code == "logic.nan");
  // The same rule set for a patient where only the plain rule errors: reported, not fatal.
  auto fine = engine.recommend(knead::Patient::from_json({{"pain", {{"intensity", 5}}}}));
  CHECK(fine.status == knead::Status::ok);
  REQUIRE(fine.errors.size() == 1);
  CHECK(fine.errors[0].rule == "broken.plain");
  CHECK(contains_id(fine.modalities, "swedish"));
}

TEST_CASE("6.3 an urgent referral stops every modality and self-care item, most urgent first", "[engine][resolve]") {
  auto r = recommend(R"({"age": 15, "conditions": ["fibromyalgia"], "goals": ["improve_sleep_reduce_anxiety"],
                         "findings": ["rf_cauda_equina"], "pain": {"intensity": 9}})");
  CHECK(r.status == knead::Status::refer);
  CHECK(r.modalities.empty());
  CHECK(r.self_care.empty());
  CHECK_FALSE(r.plan.has_value());
  REQUIRE(r.referrals.size() == 2);
  CHECK(r.referrals[0].urgency == knead::Urgency::emergency);
  CHECK(r.referrals[0].to == "emergency_department");
  CHECK(r.referrals[1].urgency == knead::Urgency::same_day);
}

TEST_CASE("6.3 a routine referral is listed alongside an ordinary result", "[engine][resolve]") {
  auto r = recommend(R"({"age": 61, "conditions": ["knee_osteoarthritis"]})");
  CHECK(r.status == knead::Status::ok);
  REQUIRE(r.referrals.size() == 1);
  CHECK(r.referrals[0].urgency == knead::Urgency::routine);
  CHECK(contains_id(r.modalities, "swedish"));
}

TEST_CASE("6.4 a modality's score is the sum of the weights of the rules that recommend it", "[engine][resolve]") {
  auto r = recommend(R"({"conditions": ["fibromyalgia", "knee_osteoarthritis"], "goals": ["improve_sleep_reduce_anxiety"]})");
  const auto* swedish = find_id(r.modalities, "swedish");
  REQUIRE(swedish != nullptr);
  CHECK(swedish->score == 5);
  CHECK(swedish->because == std::vector<std::string>{"fibromyalgia.sleep.swedish", "oa.swedish"});
  CHECK(swedish->notes == std::vector<std::string>{"slow strokes"});
}

TEST_CASE("6.5 a contraindicated modality is removed whatever its score and listed with rule and reason", "[engine][resolve][safety]") {
  auto r = recommend(R"({"conditions": ["low_back_pain"], "medications": ["warfarin"]})");
  CHECK_FALSE(contains_id(r.modalities, "deep_tissue"));
  CHECK_FALSE(contains_id(r.modalities, "trigger_point_therapy"));
  const auto* deep = find_id(r.excluded, "deep_tissue");
  REQUIRE(deep != nullptr);
  CHECK(deep->reason == "bleeding and bruising risk");
  CHECK(deep->because == std::vector<std::string>{"safety.anticoagulant"});
}

TEST_CASE("6.5 a veto of an ancestor removes every descendant", "[engine][resolve][safety]") {
  const auto rules = knead::RuleSet::parse(R"({
    "ruleset": "t", "version": "1",
    "inputs": {"fever": {"type": "boolean"}},
    "concepts": {"modalities": [{"id": "massage", "pressure": "medium"},
                                {"id": "swedish", "is_a": ["massage"], "pressure": "light"},
                                {"id": "deep_tissue", "is_a": ["massage"], "pressure": "firm"}]},
    "rules": [
      {"id": "r.both", "title": "t", "priority": 99, "then": {"recommend": [{"modality": "swedish", "weight": 50}, {"modality": "deep_tissue"}]}},
      {"id": "r.veto", "title": "t", "when": {"var": "fever"},
       "then": {"avoid": [{"modality": "massage", "level": "contraindicated", "reason": "fever"}]}}
    ]})");
  const knead::Engine engine{rules};
  auto r = engine.recommend(knead::Patient::from_json({{"fever", true}}));
  CHECK(r.modalities.empty());
  CHECK(contains_id(r.excluded, "massage"));
  CHECK(contains_id(r.excluded, "swedish"));
  CHECK(contains_id(r.excluded, "deep_tissue"));
  CHECK(engine.recommend(knead::Patient::from_json({{"fever", false}})).modalities.size() == 2);
}

TEST_CASE("6.5 declined modalities are excluded and a score not above 0 is dropped", "[engine][resolve]") {
  auto declined = recommend(R"({"conditions": ["fibromyalgia"], "preferences": {"declined": ["myofascial_release", "exercise_program"]}})");
  CHECK_FALSE(contains_id(declined.modalities, "myofascial_release"));
  const auto* e = find_id(declined.excluded, "myofascial_release");
  REQUIRE(e != nullptr);
  CHECK(e->reason == "declined by the patient");
  CHECK_FALSE(contains_id(declined.self_care, "exercise_program"));

  auto tense = recommend(R"({"goals": ["reduce_muscle_tension_spasm"], "pain": {"intensity": 5}})");
  CHECK(contains_id(tense.modalities, "hot_stone"));
  auto severe = recommend(R"({"goals": ["reduce_muscle_tension_spasm"], "pain": {"intensity": 9}})");
  CHECK_FALSE(contains_id(severe.modalities, "hot_stone"));
  CHECK_FALSE(contains_id(severe.excluded, "hot_stone"));
}

TEST_CASE("6.6 pressure: concept default, replaced by the top rule, capped by cautions and preference", "[engine][resolve]") {
  auto plain = recommend(R"({"conditions": ["fibromyalgia"]})");
  CHECK(find_id(plain.modalities, "myofascial_release")->pressure == knead::Pressure::medium);
  CHECK(find_id(plain.modalities, "deep_tissue")->pressure == knead::Pressure::firm);

  auto sleep = recommend(R"({"conditions": ["fibromyalgia", "osteoarthritis"], "goals": ["improve_sleep_reduce_anxiety"]})");
  CHECK(find_id(sleep.modalities, "swedish")->pressure == knead::Pressure::light);

  auto capped = recommend(R"({"goals": ["reduce_muscle_tension_spasm"], "findings": ["pc_anticoagulant"]})");
  const auto* stone = find_id(capped.modalities, "hot_stone");
  REQUIRE(stone != nullptr);
  CHECK(stone->pressure == knead::Pressure::light);
  REQUIRE(stone->cautions.size() == 1);
  CHECK(stone->cautions[0].because == std::vector<std::string>{"safety.anticoagulant"});

  auto preferred = recommend(R"({"goals": ["reduce_muscle_tension_spasm"], "preferences": {"pressure": "medium"}})");
  CHECK(find_id(preferred.modalities, "hot_stone")->pressure == knead::Pressure::medium);
}

TEST_CASE("6.7 modalities are ordered by score, then priority, then id", "[engine][resolve]") {
  auto r = recommend(R"({"conditions": ["fibromyalgia"], "goals": ["improve_sleep_reduce_anxiety"]})");
  std::vector<std::string> ids;
  for (const auto& m : r.modalities) ids.push_back(m.id);
  // swedish 3 (priority 10) and deep_tissue 3 (priority 3) tie on score; priority decides.
  CHECK(ids == std::vector<std::string>{"swedish", "deep_tissue", "myofascial_release", "trigger_point_therapy"});
}

TEST_CASE("6.8 self-care is the union of fired items minus contraindicated ones, ordered by priority", "[engine][resolve]") {
  auto r = recommend(R"({"conditions": ["fibromyalgia", "knee_osteoarthritis"], "goals": ["improve_sleep_reduce_anxiety"]})");
  std::vector<std::string> ids;
  for (const auto& s : r.self_care) ids.push_back(s.id);
  CHECK(ids == std::vector<std::string>{"heat_therapy", "sleep_hygiene", "walking", "exercise_program"});
  CHECK(r.self_care[0].instructions == "Warm pack, 15 minutes.");

  auto inflamed = recommend(R"({"conditions": ["knee_osteoarthritis"], "findings": [{"id": "ci_inflamed_joint_flare", "sites": ["right_knee"]}]})");
  CHECK_FALSE(contains_id(inflamed.self_care, "heat_therapy"));
  CHECK(contains_id(inflamed.excluded, "heat_therapy"));
}

TEST_CASE("6.8 avoided regions come from region avoids and from the sites of findings", "[engine][resolve]") {
  auto r = recommend(R"({"findings": ["pc_pregnancy", {"id": "ci_inflamed_joint_flare", "sites": ["right_knee"]}]})");
  REQUIRE(r.avoid_regions.size() == 3);
  CHECK(r.avoid_regions[0].id == "abdomen");
  CHECK(r.avoid_regions[1].id == "right_knee");
  CHECK(r.avoid_regions[1].level == knead::AvoidLevel::contraindicated);
  CHECK(r.avoid_regions[1].because == std::vector<std::string>{"safety.inflamed_joint"});
  CHECK(r.avoid_regions[2].id == "low_back");
  CHECK(r.avoid_regions[2].level == knead::AvoidLevel::caution);

  auto no_sites = recommend(R"({"findings": ["ci_inflamed_joint_flare"]})");
  CHECK(no_sites.avoid_regions.empty());
  CHECK(has_warning(no_sites, "gives no sites for 'ci_inflamed_joint_flare'"));
}

TEST_CASE("6.9 the plan comes from the highest-priority rule, the shorter session on a tie", "[engine][resolve]") {
  auto r = recommend(R"({"conditions": ["fibromyalgia", "knee_osteoarthritis"], "goals": ["improve_sleep_reduce_anxiety"]})");
  REQUIRE(r.plan.has_value());
  CHECK(r.plan->duration_min == 45);
  CHECK(r.plan->because == "fibromyalgia.sleep.swedish");
  auto oa = recommend(R"({"conditions": ["knee_osteoarthritis"]})");
  CHECK(oa.plan->duration_min == 60);
}

TEST_CASE("6.10 the same rule set and patient give byte-identical JSON", "[engine][render]") {
  const char* patient = R"({"id": "p-0042", "age": 58, "conditions": ["fibromyalgia", {"system": "icd10cm", "code": "M17.11"}],
    "goals": ["improve_sleep_reduce_anxiety"], "findings": ["pc_anticoagulant", {"id": "ci_inflamed_joint_flare", "sites": ["right_knee"]}],
    "medications": ["warfarin"], "pain": {"intensity": 7, "locations": ["low_back", "neck"]}, "preferences": {"pressure": "light"}})";
  const std::string first = knead::to_json(recommend(patient));
  const knead::Engine other{knead::RuleSet::load(knead::test::data_path("test_rules.json"))};
  const std::string second = knead::to_json(other.recommend(knead::Patient::from_json(nlohmann::json::parse(patient))));
  CHECK(first == second);
  const auto parsed = nlohmann::json::parse(first);
  CHECK(parsed["patient"] == "p-0042");
  CHECK(parsed["ruleset"]["name"] == "engine-test");
  CHECK(parsed["ruleset"]["digest"].get<std::string>().rfind("sha256:", 0) == 0);
  CHECK(parsed["status"] == "ok");
  CHECK(parsed["modalities"][0]["id"] == "swedish");
  CHECK(parsed["modalities"][0]["score"] == 5);
  CHECK(parsed["modalities"][0]["pressure"] == "light");
}

TEST_CASE("explain lists every rule and, for one that did not fire, the first false clause", "[engine][explain]") {
  knead::RecommendOptions explain;
  explain.explain = true;
  auto r = recommend(R"({"conditions": ["fibromyalgia"], "goals": ["reduce_pain_intensity"]})", explain);
  REQUIRE(r.trace.has_value());
  CHECK(r.trace->size() == knead::test::test_rules().rules().size());
  const auto& sleep = r.trace->front();
  CHECK(sleep.rule == "fibromyalgia.sleep.swedish");
  CHECK_FALSE(sleep.fired);
  CHECK(sleep.failed_pointer == "/rules/0/when/and/1");
  CHECK(sleep.failed_clause == nlohmann::json{{"goal", "improve_sleep_reduce_anxiety"}});
  CHECK(sleep.failed_location.line > 0);
  CHECK(r.trace->at(1).fired);
  CHECK(r.trace->at(1).failed_pointer.empty());
  auto quiet = recommend(R"({"conditions": ["fibromyalgia"]})");
  CHECK_FALSE(quiet.trace.has_value());
}

TEST_CASE("text and CDS Hooks renderings say what to do and why", "[engine][render]") {
  auto r = recommend(R"({"id": "p-1", "conditions": ["low_back_pain"], "medications": ["warfarin"], "findings": ["rf_cauda_equina"]})");
  const std::string text = knead::to_text(r, &knead::test::test_rules());
  CHECK(text.find("REFER") != std::string::npos);
  CHECK(text.find("emergency_department") != std::string::npos);
  CHECK(text.find("Cauda equina: emergency") != std::string::npos);
  const auto cds = knead::to_cds_hooks(r, &knead::test::test_rules());
  REQUIRE(cds["cards"].size() >= 1);
  CHECK(cds["cards"][0]["indicator"] == "critical");
  for (const auto& card : cds["cards"]) {
    CHECK(card["summary"].get<std::string>().size() < 140);
    CHECK(card["source"].contains("label"));
  }
  CHECK(knead::to_cds_hooks(r, &knead::test::test_rules()) == cds);
}

TEST_CASE("a code filed under the wrong list counts in its own kind, with a warning", "[engine][patient]") {
  // M17.11 is a condition code; given among medications it still makes the patient count as
  // having knee osteoarthritis.
  auto r = recommend(R"({"medications": [{"system": "icd10cm", "code": "M17.11"}]})");
  CHECK(has_warning(r, "is the condition 'knee_osteoarthritis'; taken as such"));
  CHECK(contains_id(r.modalities, "swedish"));
}

TEST_CASE("a finding_sites avoid warns about missing sites only when the patient has the finding", "[engine][resolve]") {
  const auto rules = knead::RuleSet::parse(R"({
    "ruleset": "t", "version": "1",
    "concepts": {"findings": [{"id": "ci_open_wound"}, {"id": "ci_skin_infection_or_rash"}],
                 "regions": [{"id": "whole_body"}, {"id": "hand", "is_a": ["whole_body"]}]},
    "rules": [{"id": "skin", "title": "t", "when": {"finding": ["ci_open_wound", "ci_skin_infection_or_rash"]},
               "then": {"avoid": [{"finding_sites": "ci_open_wound", "level": "contraindicated", "reason": "wound"},
                                  {"finding_sites": "ci_skin_infection_or_rash", "level": "contraindicated", "reason": "rash"}]}}]})");
  const knead::Engine engine{rules};
  auto r = engine.recommend(knead::Patient::from_json(nlohmann::json::parse(
      R"({"findings": [{"id": "ci_open_wound", "sites": ["hand"]}]})")));
  CHECK(r.warnings.empty());
  REQUIRE(r.avoid_regions.size() == 1);
  CHECK(r.avoid_regions[0].id == "hand");
  auto unsited = engine.recommend(knead::Patient::from_json(nlohmann::json::parse(R"({"findings": ["ci_skin_infection_or_rash"]})")));
  REQUIRE(unsited.warnings.size() == 1);
  CHECK(unsited.warnings[0].find("'ci_skin_infection_or_rash'") != std::string::npos);
}

TEST_CASE("pain_location holds for pain in the region or any part of it", "[engine][domain]") {
  const auto rules = knead::RuleSet::parse(R"({
    "ruleset": "t", "version": "1",
    "concepts": {"modalities": [{"id": "massage", "pressure": "medium"}],
                 "regions": [{"id": "whole_body"}, {"id": "lower_limb", "is_a": ["whole_body"]},
                             {"id": "knee", "is_a": ["lower_limb"]}, {"id": "neck", "is_a": ["whole_body"]}]},
    "rules": [{"id": "legs", "title": "t", "when": {"pain_location": "lower_limb"},
               "then": {"recommend": [{"modality": "massage"}]}}]})");
  const knead::Engine engine{rules};
  auto fired = [&](const char* patient) { return !engine.recommend(knead::Patient::from_json(nlohmann::json::parse(patient))).fired.empty(); };
  CHECK(fired(R"({"pain": {"locations": ["knee"]}})"));
  CHECK_FALSE(fired(R"({"pain": {"locations": ["neck"]}})"));
  CHECK_FALSE(fired(R"({"findings": [{"id": "x", "sites": ["knee"]}]})"));
  CHECK_THROWS_AS(knead::RuleSet::parse(R"({"ruleset": "t", "rules": [{"id": "a", "title": "t", "when": {"pain_location": "kne"}, "then": {}}]})"),
                  knead::LoadError);
}
