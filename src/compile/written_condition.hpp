#pragma once
// Where a rule's condition was written, to go from a compiled node back to the clause it was
// compiled from (nodes name their place by JSON pointer).

#include <nlohmann/json.hpp>

#include <string_view>

namespace knead::detail {

/// A rule's condition as written: `when`, and the JSON pointer of `when` in its file (compiled
/// nodes name their place below it).
struct WrittenCondition {
  const nlohmann::json& when;
  std::string_view pointer;

  /// The clause that the node at `node_pointer` was compiled from, or nullptr when that place is
  /// not below `pointer` or not in `when`.
  [[nodiscard]] const nlohmann::json* clause_at(std::string_view node_pointer) const;
};

}  // namespace knead::detail
