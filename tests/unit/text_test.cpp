// knead::Text (include/knead/text.hpp): a result's texts refer to the rule set's strings, and
// stay readable for as long as the result lives, whatever happened to the rule set and engine.
#include "support/catch.hpp"
#include "support/fixtures.hpp"

#include <knead/text.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using knead::Text;

TEST_CASE("a Text reads as the string it holds or refers to", "[text]") {
  const std::string rule_set_string = "myofascial_release";
  const Text borrowed = Text::borrow(rule_set_string);
  const Text own = std::string("myofascial_release");
  CHECK(borrowed.borrowed());
  CHECK_FALSE(own.borrowed());
  CHECK(borrowed == own);
  CHECK(borrowed == "myofascial_release");
  CHECK(borrowed == rule_set_string);
  CHECK(borrowed.str().data() == rule_set_string.data());  // no copy
  CHECK(borrowed.size() == rule_set_string.size());
  CHECK("see " + borrowed == "see myofascial_release");
  CHECK(nlohmann::json(borrowed) == "myofascial_release");
  std::ostringstream out;
  out << borrowed;
  CHECK(out.str() == "myofascial_release");
  CHECK(Text("a") < Text("b"));
  CHECK(std::vector<Text>{Text::borrow(rule_set_string)} == std::vector<std::string>{"myofascial_release"});
}

TEST_CASE("a copied Text owns its string, a moved one keeps referring", "[text]") {
  auto rule_set_string = std::make_unique<std::string>("trigger_point_therapy");
  Text borrowed = Text::borrow(*rule_set_string);
  const Text copy = borrowed;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the test
  CHECK_FALSE(copy.borrowed());
  Text assigned;
  assigned = borrowed;
  CHECK_FALSE(assigned.borrowed());
  const Text moved = std::move(borrowed);
  CHECK(moved.borrowed());
  rule_set_string.reset();  // the copies outlive the string they were made from
  CHECK(copy == "trigger_point_therapy");
  CHECK(assigned == "trigger_point_therapy");
}

TEST_CASE("a recommendation's texts outlive its rule set and engine", "[text][engine]") {
  std::optional<knead::Recommendation> result;
  {
    const knead::Engine engine{knead::RuleSet::load(knead::test::data_path("test_rules.json"))};
    result = engine.recommend(knead::Patient::from_json(nlohmann::json::parse(
        R"({"id": "p1", "conditions": ["knee_osteoarthritis"], "goals": ["reduce_pain_intensity"]})")));
  }
  // The engine and every copy of the rule set are gone; the result keeps the rule set alive
  // (the sanitizer builds would report a read of freed memory here).
  REQUIRE_FALSE(result->modalities.empty());
  const auto& top = result->modalities.front();
  CHECK(top.id.borrowed());
  CHECK_FALSE(top.label.empty());
  CHECK_FALSE(top.because.empty());
  CHECK(result->ruleset_name.borrowed());
  REQUIRE(result->ruleset_layers.size() == 1);
  CHECK(result->ruleset_layers[0].digest == result->ruleset_digest);
  REQUIRE(result->rule_set != nullptr);
  // A copied item owns its texts, so it outlives the result too.
  const knead::RecommendedModality copy = top;
  const std::string label = top.label;
  result.reset();
  CHECK(copy.label == label);
  CHECK_FALSE(copy.id.borrowed());
}

TEST_CASE("a result's reading entries outlive its rule set and engine", "[text][engine]") {
  std::optional<knead::Recommendation> first;
  std::optional<knead::Recommendation> again;
  {
    const knead::Engine engine{knead::RuleSet::load(knead::test::data_path("test_rules.json"))};
    const auto patient = knead::Patient::from_json(nlohmann::json::parse(
        R"({"id": "p1", "conditions": ["Knee Osteoarthritis", "knee_osteoarthritiss"], "goals": ["reduce_pain_intensity"]})"));
    first = engine.recommend(patient);
    again = engine.recommend(patient);  // the unknown name is the rule set's now
  }
  for (const auto* result : {&*first, &*again}) {
    REQUIRE(result->interpreted.size() == 1);
    const knead::Interpreted& i = result->interpreted[0];
    CHECK(i.field == "conditions[0]");
    CHECK(i.input == "Knee Osteoarthritis");
    CHECK(i.system.empty());
    CHECK(i.kind == "condition");
    CHECK(i.id == "knee_osteoarthritis");
    CHECK(i.by == "name");
    CHECK(i.id.borrowed());
    REQUIRE(result->unresolved.size() == 1);
    const knead::Unresolved& u = result->unresolved[0];
    CHECK(u.field == "conditions[1]");
    CHECK(u.input == "knee_osteoarthritiss");
    CHECK(u.problem == "unknown_id");
    CHECK(u.nearest == "knee_osteoarthritis");
    CHECK(u.message == "unknown condition 'knee_osteoarthritiss'; did you mean 'knee_osteoarthritis'?");
    CHECK(u.message.borrowed());
  }
  // Both results refer to the same remembered message; a copied entry owns its texts.
  CHECK(first->unresolved[0].message.data() == again->unresolved[0].message.data());
  const knead::Unresolved copy = again->unresolved[0];
  first.reset();
  again.reset();
  CHECK_FALSE(copy.message.borrowed());
  CHECK(copy.nearest == "knee_osteoarthritis");
}

TEST_CASE("past the rule set's room for names, reading entries say the same, in texts of their own", "[text][engine]") {
  const knead::Engine engine{knead::RuleSet::load(knead::test::data_path("test_rules.json"))};
  // More distinct unknown names than a rule set remembers (4,096 per kind).
  constexpr std::size_t count = 4200;
  nlohmann::json record = {{"id", "p1"}, {"conditions", nlohmann::json::array()}};
  for (std::size_t i = 0; i < count; ++i) record["conditions"].push_back("zz" + std::to_string(i) + "qq");
  const auto result = engine.recommend(knead::Patient::from_json(record));
  REQUIRE(result.unresolved.size() == count);
  for (const std::size_t i : {std::size_t{0}, count - 1}) {
    const knead::Unresolved& u = result.unresolved[i];
    const std::string name = "zz" + std::to_string(i) + "qq";
    CHECK(u.field == "conditions[" + std::to_string(i) + "]");
    CHECK(u.input == name);
    CHECK(u.problem == "unknown_id");
    CHECK(u.message.str().rfind("unknown condition '" + name + "'", 0) == 0);
  }
  CHECK(result.unresolved.front().message.borrowed());
  CHECK_FALSE(result.unresolved.back().message.borrowed());
  CHECK(result.status == knead::Status::review);
}
