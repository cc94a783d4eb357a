#pragma once
// The ontology-aware operators of the condition language (condition, goal, finding, medication,
// pain_location), each declared once: its description, the kind of concept it names, its factory.

#include "model/normalized_patient.hpp"

#include <knead/logic/node.hpp>
#include <knead/logic/operators.hpp>
#include <knead/ontology.hpp>

#include <string_view>
#include <vector>

namespace knead::detail {

/// A node of a domain operator: a test of the patient's facts, the evaluation's host (none
/// outside a recommendation: then the test is false).
class PatientFactNode : public logic::Node {
 public:
  using Node::Node;
  logic::Value evaluate(logic::Context& ctx) const final { return nlohmann::json(test(ctx)); }
  bool test(logic::Context& ctx) const final {
    ctx.charge();
    const auto* facts = ctx.host_as<NormalizedPatient>();
    return facts != nullptr && holds(*facts);
  }

 protected:
  /// Whether the patient's facts satisfy the test.
  [[nodiscard]] virtual bool holds(const NormalizedPatient& facts) const = 0;
};

struct DomainOperator;
/// Builds a domain operator's factory for one rule set's ontology.
using DomainFactory = logic::OperatorFactory (*)(const Ontology& ontology, const DomainOperator& op);

/// One domain operator: what it is, which concepts it names, how it is compiled.
struct DomainOperator {
  logic::OperatorInfo info;
  ConceptKind kind;  ///< the kind of concept its arguments name
  const char* patient_field;  ///< the patient field it reads (a JSON pointer into the document)
  DomainFactory factory;
};

/// Every domain operator, in the order the docs list them.
[[nodiscard]] const std::vector<DomainOperator>& domain_operator_list();
/// The domain operator called `name`, or nullptr.
[[nodiscard]] const DomainOperator* find_domain_operator(std::string_view name);

/// The standard JsonLogic operators plus the domain operators, whose concept ids are resolved
/// against `ontology` when a rule is compiled.
[[nodiscard]] logic::OperatorTable domain_operators(const Ontology& ontology);

}  // namespace knead::detail
