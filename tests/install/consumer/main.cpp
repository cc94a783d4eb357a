// A minimal outside application: a JsonLogic condition, then a recommendation from the rule set
// whose path is the first argument, through the public API only.
#include <knead/knead.hpp>

#include <iostream>

int main(int argc, char** argv) {
  const auto program = knead::logic::Program::compile(
      nlohmann::json::parse(R"({"and": [{">=": [{"var": "pain.intensity"}, 7]}, {"in": ["neck", {"var": "pain.locations"}]}]})"));
  const auto patient_json = nlohmann::json::parse(R"({"id": "consumer-1", "conditions": ["fibromyalgia"],
    "goals": ["improve_sleep_reduce_anxiety"], "pain": {"intensity": 8, "locations": ["neck"]}})");
  const bool fires = program.test(patient_json);
  std::cout << "knead " << knead::version() << ": rule fires: " << std::boolalpha << fires << "\n";
  if (!fires || argc < 2) return 1;

  try {
    const knead::RuleSet rules = knead::RuleSet::load(argv[1]);
    const knead::Engine engine{rules};
    const knead::Recommendation r = engine.recommend(knead::Patient::from_json(patient_json));
    std::cout << "status: " << knead::to_string(r.status) << ", modalities: " << r.modalities.size() << "\n";
    return r.modalities.empty() ? 1 : 0;
  } catch (const knead::Error& e) {
    std::cerr << "consumer: " << e.what() << "\n";
    return 1;
  }
}
