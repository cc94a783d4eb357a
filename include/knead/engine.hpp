#pragma once
/// \file
/// Stages 5-6: evaluate one patient against a rule set and resolve the fired rules.

#include <knead/export.hpp>
#include <knead/patient.hpp>
#include <knead/recommend_options.hpp>
#include <knead/recommendation.hpp>
#include <knead/rule_set.hpp>

#include <vector>

namespace knead {

/// Turns patients into recommendations. Immutable: one Engine may serve many threads at once.
class KNEAD_API Engine {
 public:
  explicit Engine(RuleSet rules) : rules_(std::move(rules)) {}

  /// Evaluates every rule and resolves the result (docs/resolution.md). Evaluation errors of rules
  /// are reported in the result, never thrown; the only exception is PatientError for a
  /// malformed patient (or, in strict mode, an unknown id or code).
  [[nodiscard]] Recommendation recommend(const Patient& patient, const RecommendOptions& options = {}) const;

  [[nodiscard]] const RuleSet& rules() const noexcept { return rules_; }

 private:
  RuleSet rules_;
};

}  // namespace knead
