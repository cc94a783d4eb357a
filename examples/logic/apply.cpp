// The JsonLogic core on its own: compile a condition once, evaluate it for several patients.
#include <knead/knead.hpp>

#include <iostream>

int main() {
  // Deep tissue is fine unless the patient takes an anticoagulant or reports pain of 8 or more.
  const auto rule = nlohmann::json::parse(R"({
    "!": {"or": [
      {"some": [{"var": "medications"}, {"in": [{"var": ""}, ["warfarin", "apixaban", "rivaroxaban"]]}]},
      {">=": [{"var": "pain.intensity"}, 8]}
    ]}
  })");
  const auto program = knead::logic::Program::compile(rule);

  const auto patients = nlohmann::json::parse(R"([
    {"id": "p-0001", "medications": ["naproxen"], "pain": {"intensity": 5}},
    {"id": "p-0042", "medications": ["warfarin"], "pain": {"intensity": 4}},
    {"id": "p-0107", "medications": [], "pain": {"intensity": 9}}
  ])");
  for (const auto& patient : patients) {
    std::cout << patient["id"].get<std::string>() << ": deep tissue allowed: " << std::boolalpha
              << program.test(patient) << "\n";
  }

  // One-shot use.
  std::cout << "{\"+\": [1, \"2\"]} = " << knead::logic::apply({{"+", {1, "2"}}}, nullptr).dump() << "\n";
  return 0;
}
