#pragma once
// Stage 6, resolve: fired rules into one Recommendation (docs/resolution.md).

#include "evaluate/evaluate.hpp"

#include <knead/recommendation.hpp>

namespace knead::detail {

[[nodiscard]] Recommendation resolve(const CompiledRuleSet& rules, const Patient& patient, Evaluation evaluation);

}  // namespace knead::detail
