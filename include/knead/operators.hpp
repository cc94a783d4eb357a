#pragma once
/// \file
/// The vocabulary of rule conditions: the JsonLogic operators and knead's domain operators.

#include <knead/export.hpp>
#include <knead/logic/operators.hpp>

#include <string_view>
#include <vector>

namespace knead {

/// Every operator a rule's `when` may use, sorted by name: the standard JsonLogic operators and
/// the domain operators (`condition`, `goal`, `finding`, `medication`, `pain_location`).
[[nodiscard]] KNEAD_API std::vector<logic::OperatorInfo> condition_operators();

/// True for a domain operator, one that tests the patient's concepts against the ontology.
[[nodiscard]] KNEAD_API bool is_domain_operator(std::string_view name);

}  // namespace knead
