#include <knead/diagnostic.hpp>

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

namespace knead {

std::string SourceLocation::to_string() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (line != 0) {
    out += ':';
    out += std::to_string(line);
    if (column != 0) {
      out += ':';
      out += std::to_string(column);
    }
  }
  return out;
}

const char* to_string(Severity severity) noexcept {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "error";
}

std::string Diagnostic::to_string() const {
  std::string out = location.to_string();
  out += ": ";
  out += knead::to_string(severity);
  out += ": ";
  out += message;
  if (!pointer.empty()) {
    out += " [";
    out += pointer;
    out += ']';
  }
  return out;
}

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.location.file, a.location.line, a.location.column, a.code) <
           std::tie(b.location.file, b.location.line, b.location.column, b.code);
  });
}

ParseError::ParseError(Diagnostic diagnostic)
    : Error(diagnostic.code, diagnostic.to_string()), diagnostic_(std::move(diagnostic)) {}

namespace {

// Error's constructor needs the code and message before the member exists, and the order in
// which the two arguments are evaluated is unspecified: both helpers sort (sorting is idempotent).
std::string load_error_code(std::vector<Diagnostic>& diagnostics) {
  sort_diagnostics(diagnostics);
  return diagnostics.empty() ? std::string("load.failed") : diagnostics.front().code;
}

std::string load_error_message(std::vector<Diagnostic>& diagnostics) {
  sort_diagnostics(diagnostics);
  if (diagnostics.empty()) return "the rule set could not be loaded";
  std::string out = diagnostics.front().to_string();
  if (diagnostics.size() > 1) {
    out += " (and " + std::to_string(diagnostics.size() - 1) + " more)";
  }
  return out;
}

}  // namespace

LoadError::LoadError(std::vector<Diagnostic> diagnostics)
    : Error(load_error_code(diagnostics), load_error_message(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace knead
