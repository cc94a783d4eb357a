#include "compile/rule_gate.hpp"

#include "compile/domain_operators.hpp"
#include "logic/nodes.hpp"

#include <knead/logic/error.hpp>

#include <algorithm>
#include <array>
#include <exception>
#include <optional>
#include <string>

namespace knead::detail {
namespace {

using logic::detail::CombinationNode;
using nlohmann::json;

// Operators that read nothing but their arguments and raise no error of their own on plain
// values; a clause made of them and of `var` reads the record only where its paths say.
bool plain_operator(const std::string& op) {
  static const std::array<const char*, 14> plain{"==", "===", "!=", "!==", "<",   "<=",  ">",
                                                 ">=", "in",  "!",  "!!",  "cat", "and", "or"};
  return std::any_of(plain.begin(), plain.end(), [&](const char* p) { return op == p; });
}

// Whether `clause`, as written, reads the record only through `var`s with literal paths below
// one top key, found in `key`, and otherwise holds only plain operators and constants.
bool reads_below_one_key(const json& clause, std::string& key) {
  if (clause.is_array()) {
    return std::all_of(clause.begin(), clause.end(), [&](const json& a) { return reads_below_one_key(a, key); });
  }
  if (!clause.is_object()) return true;  // a constant
  if (clause.size() != 1) return false;
  const auto only = clause.begin();
  const std::string& op = only.key();
  const json& args = only.value();
  if (op == "var") {
    const json& path = args.is_array() && !args.empty() ? args[0] : args;
    if (args.is_array() && (args.size() > 2 || (args.size() == 2 && args[1].is_object()))) return false;
    if (!path.is_string()) return false;
    const std::string& p = path.get_ref<const std::string&>();
    const std::string top = p.substr(0, p.find('.'));
    if (top.empty() || (!key.empty() && top != key)) return false;
    key = top;
    return true;
  }
  return plain_operator(op) && reads_below_one_key(args, key);
}

struct Gating {
  const WrittenCondition& written;
  const RecordKeyFacts& keys;
  const logic::Limits& limits;
};

// The fact of the record's top key that `node`'s clause needs to be true, adding the work its
// test spends without it; nullopt when it has none.
std::optional<std::uint32_t> key_gate(const logic::Node& node, const Gating& g, std::uint64_t& work) {
  const json* clause = g.written.clause_at(node.pointer());
  if (clause == nullptr) return std::nullopt;
  std::string key;
  if (!reads_below_one_key(*clause, key) || key.empty()) return std::nullopt;
  const auto& known = g.keys.fields.root().ordered;
  const auto place = std::find_if(known.begin(), known.end(), [&](const auto& k) { return k.first == key; });
  if (place == known.end()) return std::nullopt;
  // The record has no such key: the clause reads what it reads in an empty record.
  static const json empty = json::object();
  try {
    logic::Context ctx(empty, nullptr, g.limits);
    if (node.test(ctx)) return std::nullopt;
    work += ctx.work();
  } catch (const std::exception&) {
    return std::nullopt;  // an error stays the evaluation's to raise
  }
  return g.keys.first + static_cast<std::uint32_t>(place - known.begin());
}

// Adds to `work` the work units the test of `node` spends when the patient has none of the
// facts it appends: one per node tested, as Context::charge counts them.
bool gate(const logic::Node& node, const Gating& g, std::uint64_t& work, std::vector<std::uint32_t>& facts) {
  if (const auto* test = dynamic_cast<const HasConceptNode*>(&node)) {
    work += 1;
    facts.insert(facts.end(), test->facts().begin(), test->facts().end());
    return true;
  }
  const auto* combination = dynamic_cast<const CombinationNode*>(&node);
  if (combination == nullptr || node.args().empty()) {
    if (auto key = key_gate(node, g, work)) {
      facts.push_back(*key);
      return true;
    }
    return false;
  }
  work += 1;
  switch (combination->combination()) {
    case CombinationNode::Combination::all:    // false at its first false argument
    case CombinationNode::Combination::truth:  // the truth of its first argument
      return gate(*node.args().front(), g, work, facts);
    case CombinationNode::Combination::any:  // false when every argument is
      for (const auto& arg : node.args()) {
        if (!gate(*arg, g, work, facts)) return false;
      }
      return true;
    case CombinationNode::Combination::negate: return false;
  }
  return false;
}

}  // namespace

bool find_gate(const logic::Node& when, const WrittenCondition& written, const RecordKeyFacts& keys,
               const logic::Limits& limits, std::vector<std::uint32_t>& facts) {
  std::uint64_t work = 0;
  const std::size_t before = facts.size();
  if (gate(when, Gating{written, keys, limits}, work, facts) && work <= limits.max_work) return true;
  facts.resize(before);
  return false;
}

}  // namespace knead::detail
