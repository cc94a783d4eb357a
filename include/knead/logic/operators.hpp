#pragma once
/// \file
/// The table of operators a compiler knows, and how an application adds its own.

#include <knead/export.hpp>
#include <knead/logic/limits.hpp>
#include <knead/logic/node.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace knead::logic {

class Compiler;
class Sharing;

/// Builds the node for one use of an operator. `args` is the operator's raw argument exactly as
/// written (an array, or a single value); `pointer` is the JSON pointer of the operator's object.
/// A factory checks arity and literal argument types (throwing `logic::Error`, kind
/// `invalid_arguments`, with the pointer) and compiles sub-expressions with
/// `compiler.compile(arg, pointer + "/op/0")`.
using OperatorFactory =
    std::function<NodePtr(Compiler& compiler, const nlohmann::json& args, const std::string& pointer)>;

/// What a rule author needs to know about an operator, declared once beside its factory: the
/// compiler, lint, the rule-set schema's operator list, `knead operators` and the docs read it.
struct OperatorInfo {
  /// `max_args` of an operator that takes any number of arguments.
  static constexpr std::size_t any = static_cast<std::size_t>(-1);

  std::string name;
  std::size_t min_args = 0;    ///< fewest arguments
  std::size_t max_args = any;  ///< most arguments, or `any`
  std::string arguments;       ///< the arguments' kinds as written, e.g. "[number, number...]"
  std::string summary;         ///< what it does, one line
};

/// A set of named operators. Copy the standard table and `add` to extend it: knead's engine adds
/// its domain operators (`condition`, `goal`, ...) this way, without touching the core.
class KNEAD_API OperatorTable {
 public:
  /// Every operator of the classic JsonLogic and the community specification.
  static const OperatorTable& standard();

  /// Adds or replaces an operator, with its description.
  void add(OperatorInfo info, OperatorFactory factory);
  /// Adds or replaces an operator known only by its name.
  void add(std::string name, OperatorFactory factory);
  /// The factory for `name`, or nullptr.
  [[nodiscard]] const OperatorFactory* find(std::string_view name) const;
  /// The description of `name`, or nullptr.
  [[nodiscard]] const OperatorInfo* info(std::string_view name) const;
  /// All operator names, sorted (for "did you mean" suggestions).
  [[nodiscard]] std::vector<std::string> names() const;
  /// Every operator's description, sorted by name.
  [[nodiscard]] std::vector<OperatorInfo> infos() const;

 private:
  struct Entry {
    OperatorInfo info;
    OperatorFactory factory;
  };
  std::map<std::string, Entry, std::less<>> entries_;
};

/// Turns JSON into nodes. Operator factories call back into it for their sub-expressions.
class KNEAD_API Compiler {
 public:
  /// Both must outlive the compiler.
  Compiler(const OperatorTable& operators, const Limits& limits) noexcept
      : operators_(operators), limits_(limits) {}
  /// A compiler that compiles each distinct operation once across everything it compiles,
  /// through `sharing` (see ProgramSet); `sharing` must outlive the compiler.
  Compiler(const OperatorTable& operators, const Limits& limits, Sharing& sharing) noexcept
      : operators_(operators), limits_(limits), sharing_(&sharing) {}

  /// Compiles one expression found at `pointer`. An object with exactly one key is an operator
  /// use; arrays compile element-wise; everything else is a literal. Throws `logic::Error`
  /// (unknown_operator, invalid_arguments, limit.depth) with the pointer of the problem.
  [[nodiscard]] NodePtr compile(const nlohmann::json& expr, const std::string& pointer);

  /// A literal node holding a copy of `value` (for `preserve` and other operators that take
  /// data unevaluated). Throws `logic::Error` (limit.depth) when `value` nests deeper than the
  /// depth left at this point.
  [[nodiscard]] NodePtr literal(const nlohmann::json& value, const std::string& pointer);

  /// The operators this compiler knows.
  [[nodiscard]] const OperatorTable& operators() const noexcept { return operators_; }
  /// The limits it enforces (max_depth at compile time).
  [[nodiscard]] const Limits& limits() const noexcept { return limits_; }
  /// The nesting depth of the expression being compiled (1 for the root).
  [[nodiscard]] std::size_t depth() const noexcept { return depth_; }

 private:
  NodePtr compile_operation(const nlohmann::json& expr, const std::string& pointer);

  const OperatorTable& operators_;
  const Limits& limits_;
  Sharing* sharing_ = nullptr;
  std::size_t depth_ = 0;
};

}  // namespace knead::logic
