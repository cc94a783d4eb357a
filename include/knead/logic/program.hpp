#pragma once
/// \file
/// A compiled JsonLogic expression: compile once, evaluate many times.

#include <knead/export.hpp>
#include <knead/logic/limits.hpp>
#include <knead/logic/node.hpp>
#include <knead/logic/operators.hpp>
#include <nlohmann/json_fwd.hpp>

#include <memory>

namespace knead::logic {

/// An immutable compiled expression. Cheap to copy (shares the node tree) and safe to evaluate
/// from many threads at once.
class KNEAD_API Program {
 public:
  /// Compiles `rule`. Throws `logic::Error` for unknown operators, statically wrong arguments
  /// and nesting deeper than `limits.max_depth`.
  [[nodiscard]] static Program compile(const nlohmann::json& rule,
                                       const OperatorTable& operators = OperatorTable::standard(),
                                       const Limits& limits = {});

  /// Evaluates against `data`. `host` is passed to application-defined operators.
  /// Throws `logic::Error` (NaN, invalid arguments, thrown values, work or size limits).
  [[nodiscard]] nlohmann::json evaluate(const nlohmann::json& data, const Host* host = nullptr) const;
  /// The truthiness of `evaluate(data, host)`, without building the result where possible.
  [[nodiscard]] bool test(const nlohmann::json& data, const Host* host = nullptr) const;

  /// The root of the compiled tree (for explanations and tools).
  [[nodiscard]] const Node& root() const noexcept { return *root_; }
  /// The limits given to compile(), applied to every evaluation.
  [[nodiscard]] const Limits& limits() const noexcept { return limits_; }

 private:
  Program(std::shared_ptr<const Node> root, const Limits& limits) : root_(std::move(root)), limits_(limits) {}
  std::shared_ptr<const Node> root_;
  Limits limits_;
};

}  // namespace knead::logic
