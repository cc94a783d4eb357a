#pragma once
// Stage 4, compile: conditions into node trees, concept ids into indices, the digest.

#include "check/checker.hpp"
#include "compile/compiled_rule_set.hpp"

#include <knead/rule_set.hpp>

#include <memory>

namespace knead::detail {

/// Compiles a checked rule set. Problems in `when` conditions (unknown operators or concepts,
/// bad arguments, nesting) are appended to `checked.diagnostics`; the result is null when
/// there is any error.
[[nodiscard]] std::shared_ptr<CompiledRuleSet> compile(CheckedRuleSet& checked, const std::vector<Document>& documents,
                                                       const LoadOptions& options);

}  // namespace knead::detail
