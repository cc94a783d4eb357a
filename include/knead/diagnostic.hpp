#pragma once
/// \file
/// A problem found in a rule set, a patient or a case file, as data.

#include <knead/export.hpp>
#include <knead/error.hpp>
#include <knead/source_location.hpp>

#include <string>
#include <vector>

namespace knead {

enum class Severity { error, warning, note };

/// "error", "warning" or "note".
[[nodiscard]] KNEAD_API const char* to_string(Severity severity) noexcept;

/// One problem, with a stable dotted `code` (`parse.syntax`, `check.unknown_concept`,
/// `load.include_cycle`, `limit.depth`, ...), a one-line message, where it is in the source and
/// the JSON pointer of the value concerned.
struct KNEAD_API Diagnostic {
  Severity severity = Severity::error;
  std::string code;
  std::string message;
  SourceLocation location;
  std::string pointer;              ///< JSON pointer within the file ("" for the whole document)
  std::vector<std::string> notes;   ///< further lines, e.g. "previous definition at f:3:5"

  /// `file:line:col: error: message [pointer]`; the pointer part is left out
  /// when empty.
  [[nodiscard]] std::string to_string() const;
};

/// Sorts by file, line, column, then code; stable for equal locations.
KNEAD_API void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

/// Thrown when a JSON document cannot be read or parsed; carries one diagnostic.
class KNEAD_API ParseError : public Error {
 public:
  explicit ParseError(Diagnostic diagnostic);
  [[nodiscard]] const Diagnostic& diagnostic() const noexcept { return diagnostic_; }

 private:
  Diagnostic diagnostic_;
};

/// Thrown by `RuleSet::load` when a rule set has errors; carries every diagnostic, sorted.
/// `what()` is the first diagnostic's line followed by "(and N more)" when there are more.
class KNEAD_API LoadError : public Error {
 public:
  explicit LoadError(std::vector<Diagnostic> diagnostics);
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace knead
