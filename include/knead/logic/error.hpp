#pragma once
/// \file
/// Errors of the JsonLogic core, at compile time and at evaluation time.

#include <knead/export.hpp>
#include <knead/error.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace knead::logic {

/// An error of a JsonLogic expression. The kinds follow the public conformance suites:
/// `{"type": "NaN"}`, `{"type": "Invalid Arguments"}`, or a value raised by `throw`.
/// Compile-time problems (an unknown operator, nesting beyond the limit) are errors too,
/// thrown by `Program::compile` with the JSON pointer of the offending node.
class KNEAD_API Error : public knead::Error {
 public:
  enum class Kind {
    nan,                ///< arithmetic produced NaN or divided by zero      code "logic.nan"
    invalid_arguments,  ///< wrong number or type of arguments               code "logic.invalid_arguments"
    thrown,             ///< raised by the `throw` operator                  code "logic.thrown"
    unknown_operator,   ///< compile time: no such operator                  code "logic.unknown_operator"
    limit,              ///< nesting depth, work budget or size exceeded     code "limit.depth" / "limit.work" / "limit.size"
  };

  /// `value` is the error as JsonLogic's `try` sees it (an object with a "type" for the
  /// built-in kinds). `pointer` is a JSON pointer into the rule, empty when not known.
  Error(Kind kind, std::string code, nlohmann::json value, const std::string& message,
        std::string pointer = {});

  /// A NaN error (`{"type": "NaN"}`, code `logic.nan`); `detail` says what produced it.
  static Error nan(const std::string& detail = {});
  /// The same, located at `pointer` (the JSON pointer of the node that failed).
  static Error nan(const std::string& detail, std::string pointer);
  /// An invalid-arguments error (`{"type": "Invalid Arguments"}`, code `logic.invalid_arguments`).
  static Error invalid_arguments(const std::string& detail);
  /// The same, located at `pointer`.
  static Error invalid_arguments(const std::string& detail, std::string pointer);
  /// `throw` of a string s raises {"type": s}; any other value is raised as it is.
  static Error thrown(nlohmann::json value);
  /// The same, located at `pointer`.
  static Error thrown(nlohmann::json value, std::string pointer);
  /// A compile-time unknown operator (code `logic.unknown_operator`). `suggestion` is the
  /// nearest known name, or empty; the message then reads "...; did you mean '<suggestion>'?".
  static Error unknown_operator(const std::string& name, const std::string& suggestion,
                                std::string pointer);
  /// An exceeded limit. `code` is `limit.depth`, `limit.work` or `limit.size`.
  static Error limit(std::string code, const std::string& detail, std::string pointer = {});

  /// True for the errors JsonLogic's `try` may catch (NaN, invalid arguments, thrown values);
  /// limits and compile-time errors are never caught.
  [[nodiscard]] bool catchable() const noexcept {
    return kind_ == Kind::nan || kind_ == Kind::invalid_arguments || kind_ == Kind::thrown;
  }

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] const nlohmann::json& value() const noexcept { return value_; }
  /// JSON pointer of the offending node within the rule ("" when not known).
  [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }

 private:
  Kind kind_;
  nlohmann::json value_;
  std::string pointer_;
};

}  // namespace knead::logic
