#pragma once
/// \file
/// Warnings a valid rule set may still deserve: static analysis of its rules and concepts.

#include <knead/export.hpp>
#include <knead/diagnostic.hpp>
#include <knead/lint_acceptance.hpp>
#include <knead/rule_set.hpp>

#include <string>
#include <vector>

namespace knead {

/// A finding that a `lint` block in the rule files accepts as by design.
struct AcceptedFinding {
  Diagnostic finding;
  std::string because;           ///< the reason the acknowledgement gives
  SourceLocation accepted_at;    ///< where the acknowledgement is written
};

/// Everything lint found.
struct LintReport {
  std::vector<Diagnostic> warnings;        ///< findings no acknowledgement covers
  std::vector<AcceptedFinding> accepted;   ///< findings acknowledged in the rule files
  /// Where an analysis gave up rather than guess (code `lint.gave_up`, severity note): a `when`
  /// too large to reason about, an operator the analysis does not model, too many rule pairs.
  std::vector<Diagnostic> gave_up;
  /// Acknowledgements that covered nothing (code `lint.unused_acceptance`, warning): stale ones
  /// would hide the next real finding.
  std::vector<Diagnostic> unused_acceptances;
};

/// Every lint code, for acknowledgements and documentation:
/// `lint.no_evidence`, `lint.empty_then`, `lint.never_fires`, `lint.duplicate_rule`,
/// `lint.shadowed_rule`, `lint.unused_concept`, `lint.unsafe_modality`, `lint.veto_conflict`.
[[nodiscard]] KNEAD_API const std::vector<std::string>& lint_codes();

/// Lints a loaded rule set, honouring the acknowledgements written in it.
[[nodiscard]] KNEAD_API LintReport lint_report(const RuleSet& rules);

/// The findings of lint_report that no acknowledgement covers, plus its unused acknowledgements;
/// each a warning-severity Diagnostic with a stable code and the location of the rule or concept.
[[nodiscard]] KNEAD_API std::vector<Diagnostic> lint(const RuleSet& rules);

}  // namespace knead
