#pragma once
/// \file
/// The table of every diagnostic and error code knead raises.

#include <knead/export.hpp>
#include <knead/diagnostic.hpp>

#include <string_view>
#include <vector>

namespace knead {

/// One code of the table: `check.unknown_concept`, its usual severity and what it means.
struct DiagnosticCode {
  const char* code;
  Severity severity;
  const char* summary;  ///< one line
  bool internal;        ///< a defensive fallback that no input triggers on purpose
};

/// Every code, sorted. The codes are stable: tools and tests may rely on them.
[[nodiscard]] KNEAD_API const std::vector<DiagnosticCode>& diagnostic_codes();
/// The entry for `code`, or nullptr.
[[nodiscard]] KNEAD_API const DiagnosticCode* find_diagnostic_code(std::string_view code);

}  // namespace knead
