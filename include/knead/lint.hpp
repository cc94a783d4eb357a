#pragma once
/// \file
/// Warnings a valid rule set may still deserve.

#include <knead/export.hpp>
#include <knead/diagnostic.hpp>
#include <knead/rule_set.hpp>

#include <vector>

namespace knead {

/// Lints a loaded rule set. Every finding is a warning-severity Diagnostic with a stable code
/// (`lint.no_evidence`, `lint.unused_concept`, `lint.unsafe_modality`, `lint.never_fires`,
/// `lint.duplicate_rule`, `lint.veto_conflict`, ...) and the location of the rule or concept.
[[nodiscard]] KNEAD_API std::vector<Diagnostic> lint(const RuleSet& rules);

}  // namespace knead
