// Stage 6, resolve (src/resolve/resolve.hpp): a compiled rule set and an Evaluation (which rules
// fired, the patient's facts) in; one Recommendation out, by the steps of docs/resolution.md.
// The Evaluations here are built by hand, so each test names exactly the rules that fired.
#include "support/catch.hpp"

#include "support/compile_text.hpp"

#include "resolve/resolve.hpp"

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using knead::ConceptKind;
using knead::Pressure;
using knead::Recommendation;
using knead::Status;
using knead::Urgency;
using knead::detail::CompiledRuleSet;
using knead::detail::Evaluation;

using knead::testing::compile_text;

std::string rule_set(const std::string& defaults) {
  return R"({
  "ruleset": "resolve-test", "version": "1.0.0",
  "defaults": {)" +
         defaults + R"(},
  "concepts": {
    "goals": [{"id": "relax"}],
    "regions": [{"id": "whole_body"}, {"id": "lower_limb", "is_a": ["whole_body"]},
                {"id": "left_knee", "is_a": ["lower_limb"]}, {"id": "abdomen", "is_a": ["whole_body"]}],
    "self_care": [{"id": "walking", "instructions": "Walk."}, {"id": "heat", "instructions": "Warm pack."}],
    "modalities": [{"id": "massage", "label": "Massage", "pressure": "medium"},
                   {"id": "swedish", "label": "Swedish massage", "is_a": ["massage"], "pressure": "medium", "duration_min": 60},
                   {"id": "deep_tissue", "label": "Deep tissue", "is_a": ["massage"], "pressure": "firm"},
                   {"id": "hot_stone", "label": "Hot stone", "is_a": ["massage"], "pressure": "medium"}]
  },
  "rules": [
    {"id": "a.swedish", "title": "t", "priority": 5,
     "then": {"recommend": [{"modality": "swedish", "weight": 2, "note": "slow strokes"}, {"modality": "deep_tissue"}]}},
    {"id": "b.swedish", "title": "t", "priority": 10,
     "then": {"recommend": [{"modality": "swedish", "weight": 1.5, "pressure": "firm"}]}},
    {"id": "c.swedish", "title": "t", "priority": 10,
     "then": {"recommend": [{"modality": "swedish", "weight": 0.5}, {"modality": "hot_stone"}]}},
    {"id": "veto.massage", "title": "t", "priority": 50,
     "then": {"avoid": [{"modality": "massage", "level": "contraindicated", "reason": "no massage today"}]}},
    {"id": "veto.deep", "title": "t", "priority": 80,
     "then": {"avoid": [{"modality": "deep_tissue", "level": "contraindicated", "reason": "bleeding risk"}]}},
    {"id": "caution.light", "title": "t", "priority": 20,
     "then": {"avoid": [{"modality": "massage", "level": "caution", "pressure_max": "light", "reason": "light only"}]}},
    {"id": "caution.medium", "title": "t", "priority": 30,
     "then": {"avoid": [{"modality": "swedish", "level": "caution", "pressure_max": "medium", "reason": "medium at most"}]}},
    {"id": "region.knee", "title": "t", "priority": 5,
     "then": {"avoid": [{"region": "left_knee", "level": "caution", "pressure_max": "medium", "reason": "sore knee"}]}},
    {"id": "region.knee.light", "title": "t", "priority": 6,
     "then": {"avoid": [{"region": "left_knee", "level": "caution", "pressure_max": "light", "reason": "very sore knee"}]}},
    {"id": "region.abdomen", "title": "t", "priority": 7,
     "then": {"avoid": [{"region": "abdomen", "level": "contraindicated", "reason": "no abdominal work"}]}},
    {"id": "refer.routine", "title": "t", "priority": 1,
     "then": {"refer": {"to": "rheumatology", "urgency": "routine", "reason": "review"}}},
    {"id": "refer.urgent", "title": "t", "priority": 2,
     "then": {"refer": {"to": "physician", "urgency": "urgent", "reason": "see a doctor"}}},
    {"id": "refer.emergency", "title": "t", "priority": 3,
     "then": {"refer": {"to": "emergency_department", "urgency": "emergency", "reason": "now"}}},
    {"id": "ask.low", "title": "t", "priority": 1,
     "then": {"self_care": [{"item": "walking"}], "ask": [{"fact": "labs.platelets", "question": "Platelets?"}]}},
    {"id": "ask.high", "title": "t", "priority": 9,
     "then": {"self_care": [{"item": "walking"}],
              "ask": [{"fact": "labs.platelets", "question": "Latest platelet count?"}, {"fact": "pregnancy", "question": "Pregnant?"}]}},
    {"id": "plan.long", "title": "t", "priority": 4,
     "then": {"recommend": [{"modality": "swedish"}], "plan": {"duration_min": 60, "sessions_per_week": 1, "weeks": 4}}},
    {"id": "plan.short", "title": "t", "priority": 4,
     "then": {"recommend": [{"modality": "swedish"}], "plan": {"duration_min": 45, "sessions_per_week": 2, "weeks": 3}}},
    {"id": "plan.low", "title": "t", "priority": 1,
     "then": {"recommend": [{"modality": "swedish"}], "plan": {"duration_min": 30}}},
    {"id": "self.walk", "title": "t", "priority": 3,
     "then": {"self_care": [{"item": "walking", "note": "20 minutes"}, {"item": "heat"}]}},
    {"id": "veto.heat", "title": "t", "priority": 40,
     "then": {"avoid": [{"self_care": "heat", "level": "contraindicated", "reason": "inflamed"}]}},
    {"id": "refer.routine.again", "title": "t", "priority": 0,
     "then": {"refer": {"to": "rheumatology", "urgency": "routine", "reason": "review"}}}
  ]
})";
}

const CompiledRuleSet& rules() {
  static const std::shared_ptr<CompiledRuleSet> compiled_once = compile_text(rule_set(R"("goals": ["relax"])"));
  return *compiled_once;
}

knead::Ontology::Index concept_index(ConceptKind kind, const std::string& id) {
  const auto found = rules().ontology.index(kind, id);
  REQUIRE(found);
  return *found;
}

// An evaluation in which exactly `ids` fired, for a patient with no facts.
Evaluation firing(const CompiledRuleSet& set, std::initializer_list<const char*> ids) {
  Evaluation ev;
  ev.patient.clear_present(set.ontology);
  ev.fired.assign(set.rules.size(), 0);
  for (const std::string id : ids) {
    bool found = false;
    for (std::size_t i = 0; i < set.rules.size(); ++i) {
      if (set.rules[i].id == id) ev.fired[i] = 1, found = true;
    }
    INFO(id);
    REQUIRE(found);
  }
  return ev;
}

Recommendation resolve(Evaluation ev) { return knead::detail::resolve(rules(), knead::Patient(), std::move(ev)); }

std::vector<std::string> modality_ids(const Recommendation& r) {
  std::vector<std::string> out;
  for (const auto& m : r.modalities) out.push_back(m.id);
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("resolve: a modality's score is the sum of the weights of the rules that recommend it", "[resolve]") {
  const Recommendation r = resolve(firing(rules(), {"a.swedish", "b.swedish", "c.swedish"}));
  CHECK(r.status == Status::ok);
  CHECK(r.fired == Strings{"a.swedish", "b.swedish", "c.swedish"});
  CHECK(r.ruleset_name == "resolve-test");
  // Score, then the highest contributing priority (hot_stone's 10 over deep_tissue's 5), then id.
  REQUIRE(modality_ids(r) == Strings{"swedish", "hot_stone", "deep_tissue"});
  const auto& swedish = r.modalities[0];
  CHECK(swedish.score == 4.0);
  CHECK(swedish.label == "Swedish massage");
  CHECK(swedish.duration_min == 60);
  // `because`: priority descending, then id.
  CHECK(swedish.because == Strings{"b.swedish", "c.swedish", "a.swedish"});
  CHECK(swedish.notes == Strings{"slow strokes"});
  // A list of several rules is kept by the rule set: the next result with it refers to the same.
  const auto& compiled = rules();
  const Recommendation first = resolve(firing(compiled, {"a.swedish", "b.swedish", "c.swedish"}));
  const Recommendation second = resolve(firing(compiled, {"a.swedish", "b.swedish", "c.swedish"}));
  CHECK(first.modalities[0].because.borrowed());
  CHECK(second.modalities[0].because.begin() == first.modalities[0].because.begin());
  CHECK(second.modalities[0].because == Strings{"b.swedish", "c.swedish", "a.swedish"});
  // The highest-priority rule that sets a pressure replaces the concept's default.
  CHECK(swedish.pressure == Pressure::firm);
  CHECK(r.modalities[1].score == 1.0);
  CHECK(r.modalities[2].pressure == Pressure::firm);
  CHECK(r.excluded.empty());
}

TEST_CASE("resolve: a veto excludes the modality and its descendants, with the top-priority reason",
          "[resolve][safety]") {
  SECTION("a veto on one modality") {
    const Recommendation r = resolve(firing(rules(), {"a.swedish", "b.swedish", "veto.deep"}));
    CHECK(modality_ids(r) == Strings{"swedish"});
    REQUIRE(r.excluded.size() == 1);
    CHECK(r.excluded[0].id == "deep_tissue");
    CHECK(r.excluded[0].label == "Deep tissue");
    CHECK(r.excluded[0].reason == "bleeding risk");
    CHECK(r.excluded[0].because == Strings{"veto.deep"});
  }
  SECTION("a veto on the ancestor removes every modality, whatever its score") {
    const Recommendation r =
        resolve(firing(rules(), {"a.swedish", "b.swedish", "c.swedish", "veto.massage", "veto.deep"}));
    CHECK(r.modalities.empty());
    REQUIRE(r.excluded.size() == 4);  // by id; the vetoed ancestor is listed though nothing recommended it
    CHECK(r.excluded[0].id == "deep_tissue");
    CHECK(r.excluded[0].reason == "bleeding risk");  // veto.deep (80) outranks veto.massage (50)
    // Every rule that vetoes it is listed, the one on its ancestor too, by priority.
    CHECK(r.excluded[0].because == Strings{"veto.deep", "veto.massage"});
    CHECK(r.excluded[1].id == "hot_stone");
    CHECK(r.excluded[1].reason == "no massage today");
    CHECK(r.excluded[2].id == "massage");
    CHECK(r.excluded[2].because == Strings{"veto.massage"});
    CHECK(r.excluded[3].id == "swedish");
    CHECK(r.plan == std::nullopt);
  }
  SECTION("a contraindicated self-care item is left out") {
    const Recommendation r = resolve(firing(rules(), {"self.walk", "veto.heat"}));
    REQUIRE(r.self_care.size() == 1);
    CHECK(r.self_care[0].id == "walking");
    CHECK(r.self_care[0].notes == Strings{"20 minutes"});
    CHECK(r.self_care[0].because == Strings{"self.walk"});
    REQUIRE(r.excluded.size() == 1);
    CHECK(r.excluded[0].id == "heat");
    CHECK(r.excluded[0].reason == "inflamed");
  }
}

TEST_CASE("resolve: what the patient declined is excluded, a veto's reason first", "[resolve]") {
  SECTION("declined by id") {
    Evaluation ev = firing(rules(), {"a.swedish", "c.swedish", "self.walk"});
    ev.patient.declined_modalities = {concept_index(ConceptKind::modality, "swedish")};
    ev.patient.declined_self_care = {concept_index(ConceptKind::self_care, "walking")};
    const Recommendation r = resolve(std::move(ev));
    CHECK(modality_ids(r) == Strings{"hot_stone", "deep_tissue"});
    REQUIRE(r.excluded.size() == 2);
    CHECK(r.excluded[0].id == "swedish");
    CHECK(r.excluded[0].reason == "declined by the patient");
    CHECK(r.excluded[0].because.empty());
    CHECK(r.excluded[1].id == "walking");
    CHECK(r.excluded[1].reason == "declined by the patient");
    REQUIRE(r.self_care.size() == 1);
    CHECK(r.self_care[0].id == "heat");
  }
  SECTION("declining an ancestor declines its descendants") {
    Evaluation ev = firing(rules(), {"a.swedish"});
    ev.patient.declined_modalities = {concept_index(ConceptKind::modality, "massage")};
    const Recommendation r = resolve(std::move(ev));
    CHECK(r.modalities.empty());
    REQUIRE(r.excluded.size() == 3);
    CHECK(r.excluded[0].id == "deep_tissue");
    CHECK(r.excluded[0].reason == "declined by the patient ('massage')");
    CHECK(r.excluded[1].id == "massage");
    CHECK(r.excluded[1].reason == "declined by the patient");
  }
  SECTION("a vetoed item the patient also declined gives the veto's reason") {
    Evaluation ev = firing(rules(), {"a.swedish", "veto.deep"});
    ev.patient.declined_modalities = {concept_index(ConceptKind::modality, "deep_tissue")};
    const Recommendation r = resolve(std::move(ev));
    REQUIRE(r.excluded.size() == 1);
    CHECK(r.excluded[0].reason == "bleeding risk");
    CHECK(r.excluded[0].because == Strings{"veto.deep"});
  }
}

TEST_CASE("resolve: cautions cap the pressure, the strictest wins, and so does the patient's preference", "[resolve]") {
  SECTION("two cautions") {
    const Recommendation r = resolve(firing(rules(), {"b.swedish", "caution.light", "caution.medium"}));
    REQUIRE(r.modalities.size() == 1);
    CHECK(r.modalities[0].pressure == Pressure::light);
    REQUIRE(r.modalities[0].cautions.size() == 2);
    CHECK(r.modalities[0].cautions[0].target == "massage");
    CHECK(r.modalities[0].cautions[0].because == Strings{"caution.light"});
    // The result's cautions: every fired caution, by priority.
    REQUIRE(r.cautions.size() == 2);
    CHECK(r.cautions[0].because == Strings{"caution.medium"});
    CHECK(r.cautions[0].pressure_max == Pressure::medium);
    CHECK(r.cautions[1].reason == "light only");
    // The lists are the rule set's, the same for every result that has them; a copy is its own.
    const Recommendation again = resolve(firing(rules(), {"b.swedish", "caution.light", "caution.medium"}));
    CHECK(r.modalities[0].cautions.borrowed());
    CHECK(again.modalities[0].cautions.begin() == r.modalities[0].cautions.begin());
    CHECK(again.cautions.begin() == r.cautions.begin());
    knead::CautionList copy = r.modalities[0].cautions;
    CHECK_FALSE(copy.borrowed());
    REQUIRE(copy.size() == 2);
    CHECK_FALSE(copy[0].reason.borrowed());
    CHECK(copy[1].reason == r.modalities[0].cautions[1].reason);
    copy.push_back(knead::Caution{"mine", {}, "", std::nullopt});
    CHECK(copy.size() == 3);
    CHECK(r.modalities[0].cautions.size() == 2);
  }
  SECTION("one caution") {
    const Recommendation r = resolve(firing(rules(), {"b.swedish", "caution.medium"}));
    CHECK(r.modalities[0].pressure == Pressure::medium);
  }
  SECTION("the preferred pressure caps, and never raises") {
    Evaluation lighter = firing(rules(), {"b.swedish"});
    lighter.patient.preferred_pressure = Pressure::light;
    CHECK(resolve(std::move(lighter)).modalities[0].pressure == Pressure::light);
    Evaluation firmer = firing(rules(), {"c.swedish"});
    firmer.patient.preferred_pressure = Pressure::firm;
    CHECK(resolve(std::move(firmer)).modalities[0].pressure == Pressure::medium);
  }
}

TEST_CASE("resolve: avoided regions carry the strongest level and the strictest cap", "[resolve]") {
  const auto fired = {"b.swedish", "region.knee", "region.knee.light", "region.abdomen"};
  const Recommendation away = resolve(firing(rules(), fired));
  REQUIRE(away.avoid_regions.size() == 2);
  CHECK(away.avoid_regions[0].id == "abdomen");  // contraindicated before caution
  CHECK(away.avoid_regions[0].level == knead::AvoidLevel::contraindicated);
  CHECK(away.avoid_regions[0].reason == "no abdominal work");
  CHECK(away.avoid_regions[0].pressure_max == std::nullopt);
  CHECK(away.avoid_regions[1].id == "left_knee");
  CHECK(away.avoid_regions[1].level == knead::AvoidLevel::caution);
  CHECK(away.avoid_regions[1].pressure_max == Pressure::light);
  CHECK(away.avoid_regions[1].reason == "very sore knee");
  CHECK(away.avoid_regions[1].because == Strings{"region.knee.light", "region.knee"});
  // The pain is elsewhere: a region caution limits that region only.
  CHECK(away.modalities[0].pressure == Pressure::firm);

  // Pain in the lower limb, which holds the knee: the knee's cap is the modality's.
  Evaluation ev = firing(rules(), fired);
  ev.patient.pain_locations = {concept_index(ConceptKind::region, "lower_limb")};
  const Recommendation near = resolve(std::move(ev));
  CHECK(near.modalities[0].pressure == Pressure::light);
  Strings targets;
  for (const auto& c : near.modalities[0].cautions) targets.push_back(c.target);
  CHECK(targets == Strings{"left_knee", "left_knee"});
}

TEST_CASE("resolve: referrals are ordered by urgency, and one that stops treatment makes the status refer",
          "[resolve][safety]") {
  SECTION("routine: listed beside an ordinary result") {
    const Recommendation r = resolve(firing(rules(), {"a.swedish", "refer.routine"}));
    CHECK(r.status == Status::ok);
    REQUIRE(r.referrals.size() == 1);
    CHECK(r.referrals[0].to == "rheumatology");
    CHECK(r.referrals[0].because == Strings{"refer.routine"});
    CHECK_FALSE(r.modalities.empty());
  }
  SECTION("the same referral from two rules: listed once, with both") {
    const Recommendation r = resolve(firing(rules(), {"refer.routine.again", "refer.routine", "refer.urgent"}));
    REQUIRE(r.referrals.size() == 2);
    CHECK(r.referrals[0].to == "physician");
    CHECK(r.referrals[1].to == "rheumatology");
    CHECK(r.referrals[1].because == Strings{"refer.routine", "refer.routine.again"});
  }
  SECTION("urgent: nothing is recommended") {
    const Recommendation r = resolve(firing(rules(), {"a.swedish", "self.walk", "plan.long", "refer.urgent"}));
    CHECK(r.status == Status::refer);
    CHECK(r.modalities.empty());
    CHECK(r.self_care.empty());
    CHECK(r.plan == std::nullopt);
  }
  SECTION("most urgent first") {
    const Recommendation r =
        resolve(firing(rules(), {"refer.routine", "refer.urgent", "refer.emergency", "a.swedish"}));
    CHECK(r.status == Status::refer);
    REQUIRE(r.referrals.size() == 3);
    CHECK(r.referrals[0].to == "emergency_department");
    CHECK(r.referrals[0].urgency == Urgency::emergency);
    CHECK(r.referrals[1].to == "physician");
    CHECK(r.referrals[2].to == "rheumatology");
  }
}

TEST_CASE("resolve: unreadable input makes the status review and caps every modality", "[resolve]") {
  Evaluation ev = firing(rules(), {"b.swedish", "refer.routine"});
  ev.patient.unresolved.push_back(knead::Unresolved{"conditions[0]", "arthritus", "unknown_id", "arthritis", "m"});
  const Recommendation r = resolve(std::move(ev));
  CHECK(r.status == Status::review);
  REQUIRE(r.unresolved.size() == 1);
  CHECK(r.unresolved[0].input == "arthritus");
  REQUIRE(r.modalities.size() == 1);
  CHECK(r.modalities[0].pressure == Pressure::light);  // the rule set's review cap (default light)
  CHECK(r.warnings == Strings{"1 entry of the record could not be read (see unresolved); every modality is capped at "
                              "light pressure until a clinician reviews them"});

  // The rule set may set its own review cap; an urgent referral still outranks review.
  const auto medium = compile_text(rule_set(R"("goals": ["relax"], "review_pressure_max": "medium")"));
  Evaluation again = firing(*medium, {"b.swedish"});
  again.patient.unresolved.push_back(knead::Unresolved{"x", "x", "unknown_key", "", "m"});
  CHECK(knead::detail::resolve(*medium, knead::Patient(), std::move(again)).modalities[0].pressure == Pressure::medium);
  Evaluation referred = firing(rules(), {"b.swedish", "refer.emergency"});
  referred.patient.unresolved.push_back(knead::Unresolved{"x", "x", "unknown_key", "", "m"});
  CHECK(resolve(std::move(referred)).status == Status::refer);
}

TEST_CASE("resolve: a failed safety rule fails the whole result closed", "[resolve][safety]") {
  Evaluation ev = firing(rules(), {"a.swedish", "self.walk", "refer.routine"});
  ev.fail_closed = true;
  ev.errors.push_back(knead::RuleError{"veto.deep", "logic.thrown", "thrown: boom"});
  const Recommendation r = resolve(std::move(ev));
  CHECK(r.status == Status::error);
  CHECK(r.modalities.empty());
  CHECK(r.self_care.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].rule == "veto.deep");
  CHECK(r.warnings == Strings{"a rule that can veto or refer failed to evaluate; nothing is recommended"});
}

TEST_CASE("resolve: questions are asked once per fact, the top-priority rule's wording", "[resolve]") {
  const Recommendation r = resolve(firing(rules(), {"ask.low", "ask.high"}));
  REQUIRE(r.questions.size() == 2);
  CHECK(r.questions[0].fact == "labs.platelets");
  CHECK(r.questions[0].question == "Latest platelet count?");
  CHECK(r.questions[0].because == Strings{"ask.high", "ask.low"});
  CHECK(r.questions[1].fact == "pregnancy");
  CHECK(r.questions[1].because == Strings{"ask.high"});
  REQUIRE(r.self_care.size() == 1);
  CHECK(r.self_care[0].because == Strings{"ask.high", "ask.low"});
}

TEST_CASE("resolve: results with the same self-care items share the rule set's list", "[resolve]") {
  const Recommendation r = resolve(firing(rules(), {"self.walk", "ask.low"}));
  const Recommendation same = resolve(firing(rules(), {"ask.low", "self.walk", "a.swedish"}));
  REQUIRE(r.self_care.size() == 2);
  CHECK(r.self_care[0].id == "heat");
  CHECK(r.self_care[1].id == "walking");
  CHECK(r.self_care[1].because == Strings{"self.walk", "ask.low"});
  CHECK(r.self_care[1].notes == Strings{"20 minutes"});
  CHECK(r.self_care.borrowed());
  CHECK(same.self_care.begin() == r.self_care.begin());
  // Another rule behind an item, a veto or a refusal makes another list.
  const Recommendation more = resolve(firing(rules(), {"self.walk", "ask.low", "ask.high"}));
  REQUIRE(more.self_care.size() == 2);
  CHECK(more.self_care[0].id == "walking");  // its top rule now comes first
  CHECK(more.self_care[0].because == Strings{"ask.high", "self.walk", "ask.low"});
  const Recommendation vetoed = resolve(firing(rules(), {"self.walk", "ask.low", "veto.heat"}));
  REQUIRE(vetoed.self_care.size() == 1);
  CHECK(vetoed.self_care[0].id == "walking");
  Evaluation declined = firing(rules(), {"self.walk", "ask.low"});
  declined.patient.declined_self_care = {concept_index(ConceptKind::self_care, "walking")};
  const Recommendation without = resolve(std::move(declined));
  REQUIRE(without.self_care.size() == 1);
  CHECK(without.self_care[0].id == "heat");
  // A copy is a list of its own.
  const knead::SelfCareList copy = r.self_care;
  CHECK_FALSE(copy.borrowed());
  CHECK(copy[1].because == r.self_care[1].because);
}

TEST_CASE("resolve: the plan is the highest-priority rule's, the shorter session on a tie", "[resolve]") {
  const Recommendation tie = resolve(firing(rules(), {"plan.long", "plan.short", "plan.low"}));
  REQUIRE(tie.plan);
  CHECK(tie.plan->because == "plan.short");
  CHECK(tie.plan->duration_min == 45);
  CHECK(tie.plan->sessions_per_week == 2);
  CHECK(tie.plan->weeks == 3);

  const Recommendation priority = resolve(firing(rules(), {"plan.long", "plan.low"}));
  REQUIRE(priority.plan);
  CHECK(priority.plan->because == "plan.long");  // priority 4 outranks the shorter session of priority 1
  CHECK(priority.plan->duration_min == 60);
}

TEST_CASE("resolve: a kind's concepts are numbered in the order of their ids", "[resolve]") {
  // Items and exclusions are ordered by index where the result lists them by id; the rule set
  // above declares its modalities out of that order.
  const auto& modalities = rules().ontology.concepts(ConceptKind::modality);
  REQUIRE(modalities.size() > 2);
  for (std::size_t i = 1; i < modalities.size(); ++i) CHECK(modalities[i - 1].id < modalities[i].id);
}
