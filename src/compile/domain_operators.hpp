#pragma once
// The ontology-aware operators of the condition language: condition, goal, finding, medication.

#include <knead/logic/operators.hpp>
#include <knead/ontology.hpp>

#include <vector>

namespace knead::detail {

/// A domain operator: its name, the kind of concept it names, and the patient field it reads
/// (a JSON pointer into the patient document).
struct DomainOperator {
  const char* name;
  ConceptKind kind;
  const char* patient_field;
};

/// Every domain operator, for the compiler and for the analyses that reason about conditions.
[[nodiscard]] const std::vector<DomainOperator>& domain_operator_list();

/// The standard JsonLogic operators plus `condition`, `goal`, `finding`, `medication` and
/// `pain_location` (a region, for the patient's pain locations), whose concept ids are resolved
/// against `ontology` when a rule is compiled.
[[nodiscard]] logic::OperatorTable domain_operators(const Ontology& ontology);

}  // namespace knead::detail
