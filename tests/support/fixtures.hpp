#pragma once
// Shared helpers for tests: the test rule set and patient builders.

#include <knead/knead.hpp>

#include <string>

namespace knead::test {

inline std::string data_path(const std::string& name) { return std::string(KNEAD_TEST_DATA_DIR) + "/data/" + name; }

/// tests/data/test_rules.json, loaded once.
inline const RuleSet& test_rules() {
  static const RuleSet rules = RuleSet::load(data_path("test_rules.json"));
  return rules;
}

inline const Engine& test_engine() {
  static const Engine engine{test_rules()};
  return engine;
}

inline Recommendation recommend(const std::string& patient_json, const RecommendOptions& options = {}) {
  return test_engine().recommend(Patient::from_json(nlohmann::json::parse(patient_json)), options);
}

template <typename List>
bool contains_id(const List& list, const std::string& id) {
  for (const auto& item : list) {
    if (item.id == id) return true;
  }
  return false;
}

template <typename List>
const auto* find_id(const List& list, const std::string& id) {
  for (const auto& item : list) {
    if (item.id == id) return &item;
  }
  return static_cast<decltype(&list.front())>(nullptr);
}

}  // namespace knead::test
