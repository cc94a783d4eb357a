#pragma once
// Stage 3, check: the structure of every file, ids, references and the is_a graphs.
// Every problem is collected; nothing is thrown.

#include "load/loader.hpp"

#include <knead/concept.hpp>
#include <knead/input_field.hpp>
#include <knead/rule.hpp>

#include <optional>
#include <string>
#include <vector>

namespace knead::detail {

/// What the checker read from the files, with the diagnostics it found.
struct CheckedRuleSet {
  std::string name;
  std::string version;
  std::vector<std::string> default_goals;
  std::optional<Pressure> review_pressure_max;  // defaults.review_pressure_max, if given
  std::vector<InputField> inputs;               // declared patient fields
  std::vector<Concept> concepts;            // unique ids per kind, is_a known and acyclic
  std::vector<Rule> rules;                  // unique ids
  std::vector<std::string> rule_files;      // file of each rule
  nlohmann::json canonical;                 // content for the digest
  std::vector<Diagnostic> diagnostics;      // errors and warnings

  [[nodiscard]] bool has_errors() const noexcept;
};

/// Checks every document. References from rules to concepts are checked here too, except those
/// inside `when` conditions, which the compiler resolves.
[[nodiscard]] CheckedRuleSet check(const std::vector<Document>& documents);

/// "did you mean" text: "; did you mean 'x'?" or "".
[[nodiscard]] std::string did_you_mean(const std::string& nearest);

}  // namespace knead::detail
