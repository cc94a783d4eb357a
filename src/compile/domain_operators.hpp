#pragma once
// The ontology-aware operators of the condition language (condition, goal, finding, medication,
// pain_location), each declared once: its description, the kind of concept it names, its factory.

#include "model/normalized_patient.hpp"

#include <knead/logic/node.hpp>
#include <knead/logic/operators.hpp>
#include <knead/ontology.hpp>

#include <cstdint>
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

/// True when the patient has any of the listed concepts (directly or through a descendant):
/// {"condition": ["gout", "knee_oa"]}. The concepts are kept as their places in the fact table.
class HasConceptNode final : public PatientFactNode {
 public:
  HasConceptNode(std::string op, std::string pointer, std::vector<std::uint32_t> facts)
      : PatientFactNode(std::move(op), std::move(pointer)), facts_(std::move(facts)) {}
  /// The places in `NormalizedPatient::present` of the concepts it names.
  [[nodiscard]] const std::vector<std::uint32_t>& facts() const noexcept { return facts_; }

 protected:
  bool holds(const NormalizedPatient& facts) const override {
    const std::size_t size = facts.present.size();
    for (const std::uint32_t f : facts_) {
      if (f < size && facts.present[f] != 0) return true;
    }
    return false;
  }

 private:
  std::vector<std::uint32_t> facts_;
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
