#include "compile/domain_operators.hpp"

#include <knead/operators.hpp>

#include <knead/logic/error.hpp>
#include <knead/suggest.hpp>

namespace knead::detail {
namespace {

logic::OperatorFactory concept_factory(const Ontology& ontology, const DomainOperator& declared) {
  const std::string op = declared.info.name;
  const ConceptKind kind = declared.kind;
  return [&ontology, op, kind](logic::Compiler&, const nlohmann::json& args, const std::string& pointer) -> logic::NodePtr {
    const std::string what(to_string(kind));
    const std::size_t first = fact_offsets(ontology)[static_cast<std::size_t>(kind)];
    std::vector<std::uint32_t> facts;
    auto resolve = [&](const nlohmann::json& id, const std::string& at) {
      if (!id.is_string()) {
        throw logic::Error(logic::Error::Kind::invalid_arguments, "check.type", {{"type", "Invalid Arguments"}},
                           "'" + op + "' takes a " + what + " id or a list of ids, got " + id.dump(), at);
      }
      const auto& name = id.get_ref<const std::string&>();
      auto index = ontology.index(kind, name);
      if (!index) {
        const std::string message = "unknown " + what + " '" + name + "'" + did_you_mean(ontology.nearest(kind, name));
        throw logic::Error(logic::Error::Kind::invalid_arguments, "check.unknown_concept",
                           {{"type", "Invalid Arguments"}}, message, at);
      }
      facts.push_back(static_cast<std::uint32_t>(first + *index));
    };
    const std::string base = pointer + "/" + op;
    if (args.is_array()) {
      for (std::size_t i = 0; i < args.size(); ++i) resolve(args[i], base + "/" + std::to_string(i));
    } else {
      resolve(args, base);
    }
    return std::make_unique<HasConceptNode>(op, pointer, std::move(facts));
  };
}

}  // namespace

const std::vector<DomainOperator>& domain_operator_list() {
  static const std::vector<DomainOperator> list = {
      {{"condition", 0, logic::OperatorInfo::any, "id or [id...]",
        "True when the patient has a condition that is, or descends from, one of these ids."},
       ConceptKind::condition,
       "/conditions",
       concept_factory},
      {{"goal", 0, logic::OperatorInfo::any, "id or [id...]",
        "True when the patient has a goal that is, or descends from, one of these ids (defaults apply when the patient "
        "gives none)."},
       ConceptKind::goal,
       "/goals",
       concept_factory},
      {{"finding", 0, logic::OperatorInfo::any, "id or [id...]",
        "True when the patient has a finding that is, or descends from, one of these ids."},
       ConceptKind::finding,
       "/findings",
       concept_factory},
      {{"medication", 0, logic::OperatorInfo::any, "id or [id...]",
        "True when the patient takes a medication that is, or descends from, one of these ids."},
       ConceptKind::medication,
       "/medications",
       concept_factory},
      // Pain locations are regions: {"pain_location": "lower_limb"} holds for pain in the left knee.
      {{"pain_location", 0, logic::OperatorInfo::any, "region id or [id...]",
        "True when the patient has pain in one of these regions or a region within them."},
       ConceptKind::region,
       "/pain/locations",
       concept_factory},
  };
  return list;
}

const DomainOperator* find_domain_operator(std::string_view name) {
  for (const auto& op : domain_operator_list()) {
    if (op.info.name == name) return &op;
  }
  return nullptr;
}

logic::OperatorTable domain_operators(const Ontology& ontology) {
  logic::OperatorTable table = logic::OperatorTable::standard();
  for (const auto& op : domain_operator_list()) table.add(op.info, op.factory(ontology, op));
  return table;
}

}  // namespace knead::detail

namespace knead {

std::vector<logic::OperatorInfo> condition_operators() {
  logic::OperatorTable table = logic::OperatorTable::standard();
  for (const auto& op : detail::domain_operator_list()) table.add(op.info, logic::OperatorFactory{});
  return table.infos();
}

bool is_domain_operator(std::string_view name) { return detail::find_domain_operator(name) != nullptr; }

}  // namespace knead
