#pragma once
// Stage 5, evaluate: normalize one patient and evaluate every rule.

#include "evaluate/normalized_patient.hpp"
#include "rule_set/compiled_rule_set.hpp"

#include <knead/engine.hpp>

#include <optional>
#include <vector>

namespace knead::detail {

struct Evaluation {
  NormalizedPatient patient;
  std::vector<char> fired;            // per rule
  std::vector<RuleError> errors;
  bool fail_closed = false;           // a safety-relevant rule failed
  std::optional<std::vector<RuleTrace>> trace;
};

/// Maps the patient onto the ontology. What cannot be read is listed as unresolved, or is a
/// PatientError in strict mode; a declared input of the wrong type or out of range is a PatientError.
[[nodiscard]] NormalizedPatient normalize(const CompiledRuleSet& rules, const Patient& patient, bool strict);

/// Evaluates every rule for the patient.
[[nodiscard]] Evaluation evaluate(const CompiledRuleSet& rules, const Patient& patient, const RecommendOptions& options);

}  // namespace knead::detail
