#include <knead/diagnostic_codes.hpp>

#include <algorithm>

namespace knead {

const std::vector<DiagnosticCode>& diagnostic_codes() {
  static const std::vector<DiagnosticCode> table = [] {
    std::vector<DiagnosticCode> t = {
#define KNEAD_DIAGNOSTIC(code, severity, summary) {code, Severity::severity, summary, false},
#define KNEAD_DIAGNOSTIC_INTERNAL(code, severity, summary) {code, Severity::severity, summary, true},
#include "diagnostic/codes.def"
#undef KNEAD_DIAGNOSTIC
#undef KNEAD_DIAGNOSTIC_INTERNAL
    };
    std::sort(t.begin(), t.end(), [](const DiagnosticCode& a, const DiagnosticCode& b) {
      return std::string_view(a.code) < std::string_view(b.code);
    });
    return t;
  }();
  return table;
}

const DiagnosticCode* find_diagnostic_code(std::string_view code) {
  const auto& table = diagnostic_codes();
  const auto it = std::lower_bound(table.begin(), table.end(), code, [](const DiagnosticCode& d, std::string_view c) {
    return std::string_view(d.code) < c;
  });
  return it != table.end() && it->code == code ? &*it : nullptr;
}

}  // namespace knead
