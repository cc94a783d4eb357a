#include "compile/rule_gate.hpp"

#include "compile/domain_operators.hpp"
#include "logic/nodes.hpp"

namespace knead::detail {
namespace {

using logic::detail::CombinationNode;

// Adds to `work` the work units the test of `node` spends when the patient has none of the
// facts it appends: one per node tested, as Context::charge counts them.
bool gate(const logic::Node& node, std::uint64_t& work, std::vector<std::uint32_t>& facts) {
  if (const auto* test = dynamic_cast<const HasConceptNode*>(&node)) {
    work += 1;
    facts.insert(facts.end(), test->facts().begin(), test->facts().end());
    return true;
  }
  const auto* combination = dynamic_cast<const CombinationNode*>(&node);
  if (combination == nullptr || node.args().empty()) return false;
  work += 1;
  switch (combination->combination()) {
    case CombinationNode::Combination::all:    // false at its first false argument
    case CombinationNode::Combination::truth:  // the truth of its first argument
      return gate(*node.args().front(), work, facts);
    case CombinationNode::Combination::any:  // false when every argument is
      for (const auto& arg : node.args()) {
        if (!gate(*arg, work, facts)) return false;
      }
      return true;
    case CombinationNode::Combination::negate: return false;
  }
  return false;
}

}  // namespace

bool find_gate(const logic::Node& when, std::uint64_t max_work, std::vector<std::uint32_t>& facts) {
  std::uint64_t work = 0;
  const std::size_t before = facts.size();
  if (gate(when, work, facts) && work <= max_work) return true;
  facts.resize(before);
  return false;
}

}  // namespace knead::detail
