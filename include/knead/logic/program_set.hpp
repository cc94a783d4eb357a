#pragma once
/// \file
/// Many compiled JsonLogic expressions evaluated together against the same data.

#include <knead/export.hpp>
#include <knead/logic/limits.hpp>
#include <knead/logic/node.hpp>
#include <knead/logic/operators.hpp>
#include <knead/logic/packed_data.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <memory>
#include <vector>

namespace knead::logic {

/// The rules of a rule set, compiled together: an operation written the same way in several
/// rules (a clause many rules start with) is compiled once and, in test position, evaluated at
/// most once per data. Clauses that compare constants with a fixed path of the data
/// ({"in": ["x", {"var": "tags"}]}, {"<": [30, {"var": "age"}, 45]}) are decided together
/// before any rule runs, and with them most rules. Immutable; cheap to copy; safe to evaluate
/// from many threads at once.
class KNEAD_API ProgramSet {
 public:
  /// An empty set.
  ProgramSet() = default;

  /// Compiles every expression of `rules`. Throws `logic::Error` as Program::compile does, with
  /// the pointer prefixed by the rule's index ("/3/and/0" is in rules[3]).
  [[nodiscard]] static ProgramSet compile(const std::vector<nlohmann::json>& rules,
                                          const OperatorTable& operators = OperatorTable::standard(),
                                          const Limits& limits = {});
  /// The same, for expressions that stay where they are (none may be null).
  [[nodiscard]] static ProgramSet compile(const std::vector<const nlohmann::json*>& rules,
                                          const OperatorTable& operators = OperatorTable::standard(),
                                          const Limits& limits = {});

  /// The number of rules.
  [[nodiscard]] std::size_t size() const noexcept;

  /// Sets `out` to the indexes (ascending) of the rules whose result on `data` is truthy. Each
  /// rule is evaluated under its own work budget. Throws the first `logic::Error` a rule raises.
  void matches(const nlohmann::json& data, std::vector<std::size_t>& out, const Host* host = nullptr) const;
  /// The same on a PackedData: the same answers, errors and work limits as on `data.value()`,
  /// faster where the set's clauses can read the packed form (see PackedData).
  void matches(const PackedData& data, std::vector<std::size_t>& out, const Host* host = nullptr) const;

  /// The truthiness of rule `index` alone on `data` (as Program::test).
  [[nodiscard]] bool test(std::size_t index, const nlohmann::json& data, const Host* host = nullptr) const;

  /// The root of rule `index`. Shared operations appear as nodes without arguments whose op()
  /// is the shared operator's.
  [[nodiscard]] const Node& root(std::size_t index) const noexcept;

  /// How many distinct operations the rules share (one memo byte each per evaluation).
  [[nodiscard]] std::size_t shared() const noexcept;

 private:
  struct Compiled;
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace knead::logic
