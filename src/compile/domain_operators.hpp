#pragma once
// The ontology-aware operators of the condition language: condition, goal, finding, medication.

#include <knead/logic/operators.hpp>
#include <knead/ontology.hpp>

namespace knead::detail {

/// The standard JsonLogic operators plus `condition`, `goal`, `finding` and `medication`, whose
/// concept ids are resolved against `ontology` when a rule is compiled.
[[nodiscard]] logic::OperatorTable domain_operators(const Ontology& ontology);

}  // namespace knead::detail
