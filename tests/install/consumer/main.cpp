// A minimal outside application: evaluates a JsonLogic condition through the public API.
#include <knead/knead.hpp>

#include <iostream>

int main() {
  const auto program = knead::logic::Program::compile(
      nlohmann::json::parse(R"({"and": [{">=": [{"var": "pain.intensity"}, 7]}, {"in": ["neck", {"var": "pain.locations"}]}]})"));
  const auto patient = nlohmann::json::parse(R"({"pain": {"intensity": 8, "locations": ["neck"]}})");
  const bool fires = program.test(patient);
  std::cout << "knead " << knead::version << ": rule fires: " << std::boolalpha << fires << "\n";
  return fires ? 0 : 1;
}
