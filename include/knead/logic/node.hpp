#pragma once
/// \file
/// A compiled expression node, the unit operators are built from.

#include <knead/export.hpp>
#include <knead/logic/context.hpp>
#include <knead/logic/value.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace knead::logic {

class Node;
using NodePtr = std::unique_ptr<const Node>;

/// One compiled operator use (or literal). Immutable after compilation, so a tree of nodes may be
/// evaluated from many threads at once. Operators added by an application derive from it.
class KNEAD_API Node {
 public:
  /// `op` is the operator name ("" for a literal), `pointer` the JSON pointer of this node in
  /// the rule it was compiled from, `args` the compiled arguments (may be empty).
  Node(std::string_view op, std::string_view pointer, std::vector<NodePtr> args = {});
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  /// Evaluate against the context. Throws `logic::Error` for JsonLogic errors.
  [[nodiscard]] virtual Value evaluate(Context& ctx) const = 0;

  /// The truthiness of the result; operators that compute a boolean override it to avoid
  /// building a JSON value.
  [[nodiscard]] virtual bool test(Context& ctx) const { return truthy(*evaluate(ctx)); }

  /// The constant value of a literal node (op() == ""), or nullptr for every other node.
  /// Explanations use it to print literals; the compiler uses it to fold constant arrays.
  [[nodiscard]] virtual const nlohmann::json* literal() const noexcept { return nullptr; }

  /// The operator name: "" for a literal or an array of expressions (whose elements are args()).
  [[nodiscard]] std::string_view op() const noexcept;
  /// The JSON pointer of this node in the rule ("" for the root).
  [[nodiscard]] std::string_view pointer() const noexcept;
  /// The compiled arguments, in the order written.
  [[nodiscard]] const std::vector<NodePtr>& args() const noexcept { return args_; }

 private:
  // The names are only read for errors and explanations: kept out of line so that a node's hot
  // data (its arguments and the members of derived classes) shares as few cache lines as
  // possible; rule sets of thousands of rules are evaluated from cache. Both live in one block
  // (their lengths, then their characters): a rule set has a node for every operation it
  // writes, and one allocation each instead of three is much of its compile time and memory.
  std::vector<NodePtr> args_;
  std::unique_ptr<const char[]> names_;
};

}  // namespace knead::logic
