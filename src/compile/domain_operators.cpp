#include "compile/domain_operators.hpp"

#include "evaluate/normalized_patient.hpp"

#include <knead/logic/error.hpp>

namespace knead::detail {
namespace {

// True when the patient has any of the listed concepts (directly or through a descendant).
class HasConceptNode final : public logic::Node {
 public:
  HasConceptNode(std::string op, std::string pointer, ConceptKind kind, std::vector<Ontology::Index> targets)
      : Node(std::move(op), std::move(pointer)), kind_(kind), targets_(std::move(targets)) {}

  logic::Value evaluate(logic::Context& ctx) const override { return nlohmann::json(test(ctx)); }

  bool test(logic::Context& ctx) const override {
    ctx.charge();
    const auto* patient = static_cast<const NormalizedPatient*>(ctx.host());
    if (patient == nullptr) return false;
    for (auto t : targets_) {
      if (patient->has(kind_, t)) return true;
    }
    return false;
  }

 private:
  ConceptKind kind_;
  std::vector<Ontology::Index> targets_;
};

logic::OperatorFactory concept_factory(const Ontology& ontology, std::string op, ConceptKind kind) {
  return [&ontology, op, kind](logic::Compiler&, const nlohmann::json& args, const std::string& pointer) -> logic::NodePtr {
    const std::string what(to_string(kind));
    std::vector<Ontology::Index> targets;
    auto resolve = [&](const nlohmann::json& id, const std::string& at) {
      if (!id.is_string()) {
        throw logic::Error(logic::Error::Kind::invalid_arguments, "check.type", {{"type", "Invalid Arguments"}},
                           "'" + op + "' takes a " + what + " id or a list of ids, got " + id.dump(), at);
      }
      const auto& name = id.get_ref<const std::string&>();
      auto index = ontology.index(kind, name);
      if (!index) {
        std::string message = "unknown " + what + " '" + name + "'";
        const std::string near = ontology.nearest(kind, name);
        if (!near.empty()) message += "; did you mean '" + near + "'?";
        throw logic::Error(logic::Error::Kind::invalid_arguments, "check.unknown_concept",
                           {{"type", "Invalid Arguments"}}, message, at);
      }
      targets.push_back(*index);
    };
    const std::string base = pointer + "/" + op;
    if (args.is_array()) {
      for (std::size_t i = 0; i < args.size(); ++i) resolve(args[i], base + "/" + std::to_string(i));
    } else {
      resolve(args, base);
    }
    return std::make_unique<HasConceptNode>(op, pointer, kind, std::move(targets));
  };
}

}  // namespace

const std::vector<DomainOperator>& domain_operator_list() {
  // Pain locations are regions: {"pain_location": "lower_limb"} holds for pain in the left knee.
  static const std::vector<DomainOperator> list{{"condition", ConceptKind::condition, "/conditions"},
                                                {"goal", ConceptKind::goal, "/goals"},
                                                {"finding", ConceptKind::finding, "/findings"},
                                                {"medication", ConceptKind::medication, "/medications"},
                                                {"pain_location", ConceptKind::region, "/pain/locations"}};
  return list;
}

logic::OperatorTable domain_operators(const Ontology& ontology) {
  logic::OperatorTable table = logic::OperatorTable::standard();
  for (const auto& op : domain_operator_list()) table.add(op.name, concept_factory(ontology, op.name, op.kind));
  return table;
}

}  // namespace knead::detail
