#pragma once
// The ontology-aware operators of the condition language: condition, goal, finding, medication.

#include <knead/logic/operators.hpp>
#include <knead/ontology.hpp>

namespace knead::detail {

/// The standard JsonLogic operators plus `condition`, `goal`, `finding`, `medication` and
/// `pain_location` (a region, for the patient's pain locations), whose concept ids are resolved
/// against `ontology` when a rule is compiled.
[[nodiscard]] logic::OperatorTable domain_operators(const Ontology& ontology);

}  // namespace knead::detail
