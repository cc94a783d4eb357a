#include <knead/logic/context.hpp>
#include <knead/logic/error.hpp>
#include <knead/logic/program_set.hpp>

#include "logic/clause_index.hpp"
#include "logic/nodes.hpp"
#include "logic/sharing.hpp"

#include <algorithm>
#include <string>

namespace knead::logic {

namespace {

// The flat form of a rule's and/or/!/!! skeleton: one array of 32-bit words for all the rules,
// read front to back, so that deciding ten thousand rules walks memory in order instead of
// chasing node pointers. A word holds an instruction in its top 3 bits and an operand below:
//   all n, length, <n children>     and: stops at the first false child (skipping `length` words)
//   any n, length, <n children>     or
//   negate, <child> / truth, <child>
//   shared slot, leaf               a shared operation: its memo byte, else leaves[leaf]->test()
//   shared_combination slot, length, <child>   a shared and/or/!: memo byte, else the child
//   node leaf                       any other node: leaves[leaf]->test()
//   constant 0|1
// Each instruction charges the work its node would.
enum Instruction : std::uint32_t { kAll, kAny, kNegate, kTruth, kShared, kSharedCombination, kNode, kConstant };
constexpr unsigned kOperandBits = 29;
constexpr std::uint32_t kOperandMask = (1U << kOperandBits) - 1;

}  // namespace

struct ProgramSet::Compiled {
  std::vector<NodePtr> shared;  // owned here; the roots' shared nodes point into them
  std::vector<NodePtr> roots;
  Limits limits;
  std::vector<std::uint32_t> code;   // the flat form of every rule, one after the other
  std::vector<std::uint32_t> start;  // where each rule's code begins
  std::vector<const Node*> leaves;   // the nodes the flat form calls
  detail::ClauseIndex clauses;       // the shared string clauses, decided per data up front
  // The shared and/or/!/!! whose arguments are shared operations or constants, children
  // before parents, as records [slot, combination, n, n arguments]; an argument is a memo
  // slot, kYes, kNo or kOpaque (anything else). Once the clauses are decided, one pass over
  // them decides most rules without starting an evaluation (see decide_combinations()).
  std::vector<std::uint32_t> combinations;
  static constexpr std::uint32_t kYes = 0xFFFFFFFD;
  static constexpr std::uint32_t kNo = 0xFFFFFFFE;
  static constexpr std::uint32_t kOpaque = 0xFFFFFFFF;
  // Per rule, its memo slot when the rule is a shared operation, else kOpaque.
  std::vector<std::uint32_t> rule_slots;

  void collect_combinations();
  void decide_combinations(std::uint8_t* memo) const noexcept;
  void flatten(const Node& node);
  void flatten_combination(const detail::CombinationNode& node);
  void emit(Instruction op, std::size_t operand) {
    if (operand > kOperandMask) throw Error::limit("limit.size", "rule set too large to compile");
    code.push_back((static_cast<std::uint32_t>(op) << kOperandBits) | static_cast<std::uint32_t>(operand));
  }
  std::size_t leaf(const Node& node) {
    leaves.push_back(&node);
    return leaves.size() - 1;
  }
  // Reserves the length word of an instruction whose body follows; fill it with close().
  std::size_t open() {
    code.push_back(0);
    return code.size() - 1;
  }
  void close(std::size_t at) { code[at] = static_cast<std::uint32_t>(code.size() - at - 1); }

  bool run(const std::uint32_t*& pc, Context& ctx, std::uint8_t* memo) const;
  // The child at `pc` when it is a shared operation (or its `!`) already decided for this data:
  // its truth in `result`, `pc` past it, charged as run() would. Most children of the rules'
  // and/or are; reading them here spares a call and a hard-to-predict dispatch.
  static bool known(const std::uint32_t*& pc, Context& ctx, const std::uint8_t* memo, bool& result);
};

void ProgramSet::Compiled::flatten(const Node& node) {
  if (const auto* use = dynamic_cast<const SharedNode*>(&node)) {
    if (const auto* combination = dynamic_cast<const detail::CombinationNode*>(&use->target())) {
      emit(kSharedCombination, use->slot());
      const std::size_t length = open();
      flatten_combination(*combination);
      close(length);
    } else {
      emit(kShared, use->slot());
      code.push_back(static_cast<std::uint32_t>(leaf(*use)));
    }
  } else if (const auto* combination = dynamic_cast<const detail::CombinationNode*>(&node)) {
    flatten_combination(*combination);
  } else if (const nlohmann::json* constant = node.literal()) {
    emit(kConstant, truthy(*constant) ? 1 : 0);
  } else {
    emit(kNode, leaf(node));
  }
}

void ProgramSet::Compiled::flatten_combination(const detail::CombinationNode& node) {
  using Combination = detail::CombinationNode::Combination;
  const auto& args = node.args();
  switch (node.combination()) {
    case Combination::all:
    case Combination::any: {
      emit(node.combination() == Combination::all ? kAll : kAny, args.size());
      const std::size_t length = open();
      for (const auto& arg : args) flatten(*arg);
      close(length);
      return;
    }
    case Combination::negate:
    case Combination::truth:
      if (args.empty()) {
        emit(kConstant, node.combination() == Combination::negate ? 1 : 0);
        return;
      }
      emit(node.combination() == Combination::negate ? kNegate : kTruth, 0);
      flatten(*args[0]);  // only the first argument counts
      return;
  }
}

void ProgramSet::Compiled::collect_combinations() {
  using Combination = detail::CombinationNode::Combination;
  for (std::size_t slot = 0; slot < shared.size(); ++slot) {
    const auto* node = dynamic_cast<const detail::CombinationNode*>(shared[slot].get());
    if (node == nullptr) continue;
    combinations.push_back(static_cast<std::uint32_t>(slot));
    combinations.push_back(static_cast<std::uint32_t>(node->combination()));
    const bool first_only = node->combination() == Combination::negate || node->combination() == Combination::truth;
    const std::size_t n = first_only ? std::min<std::size_t>(node->args().size(), 1) : node->args().size();
    combinations.push_back(static_cast<std::uint32_t>(n));
    for (std::size_t i = 0; i < n; ++i) {
      const Node& arg = *node->args()[i];
      if (const auto* use = dynamic_cast<const SharedNode*>(&arg)) {
        combinations.push_back(use->slot());
      } else if (const nlohmann::json* constant = arg.literal()) {
        combinations.push_back(truthy(*constant) ? kYes : kNo);
      } else {
        combinations.push_back(kOpaque);
      }
    }
  }
  combinations.shrink_to_fit();
}

void ProgramSet::Compiled::decide_combinations(std::uint8_t* memo) const noexcept {
  using Combination = detail::CombinationNode::Combination;
  // An argument is read in the order the operator would evaluate it; the first one not known
  // leaves the combination to the evaluation (it might raise an error the rule must report).
  const auto value = [memo](std::uint32_t arg) -> std::uint8_t {
    if (arg == kYes) return SharedNode::kTrue;
    if (arg == kNo) return SharedNode::kFalse;
    return arg == kOpaque ? SharedNode::kUnknown : memo[arg];
  };
  const std::uint32_t* at = combinations.data();
  const std::uint32_t* const end = at + combinations.size();
  while (at != end) {
    const std::uint32_t slot = at[0];
    const auto combination = static_cast<Combination>(at[1]);
    const std::uint32_t n = at[2];
    const std::uint32_t* args = at + 3;
    at = args + n;
    std::uint8_t result = SharedNode::kUnknown;
    switch (combination) {
      case Combination::all:
      case Combination::any: {
        // and stops at the first false argument, or at the first true one.
        const std::uint8_t stop = combination == Combination::all ? SharedNode::kFalse : SharedNode::kTrue;
        result = combination == Combination::all && n != 0 ? SharedNode::kTrue : SharedNode::kFalse;
        for (std::uint32_t i = 0; i < n; ++i) {
          const std::uint8_t v = value(args[i]);
          if (v == SharedNode::kUnknown || v == stop) {
            result = v;
            break;
          }
        }
        break;
      }
      case Combination::negate:
      case Combination::truth: {
        const std::uint8_t v = n == 0 ? SharedNode::kFalse : value(args[0]);
        result = v == SharedNode::kUnknown || combination == Combination::truth
                     ? v
                     : (v == SharedNode::kTrue ? SharedNode::kFalse : SharedNode::kTrue);
        break;
      }
    }
    memo[slot] = result;
  }
}

bool ProgramSet::Compiled::known(const std::uint32_t*& pc, Context& ctx, const std::uint8_t* memo, bool& result) {
  const std::uint32_t* at = pc;
  bool negated = false;
  if ((*at >> kOperandBits) == kNegate) {
    negated = true;
    ++at;
  }
  const std::uint32_t word = *at;
  const auto op = static_cast<Instruction>(word >> kOperandBits);
  if (op != kShared && op != kSharedCombination) return false;
  const std::uint8_t byte = memo[word & kOperandMask];
  if (byte == SharedNode::kUnknown) return false;
  ctx.charge(negated ? 2 : 1);
  pc = at + 2 + (op == kSharedCombination ? at[1] : 0);
  result = (byte == SharedNode::kTrue) != negated;
  return true;
}

bool ProgramSet::Compiled::run(const std::uint32_t*& pc, Context& ctx, std::uint8_t* memo) const {
  const std::uint32_t word = *pc++;
  const std::uint32_t operand = word & kOperandMask;
  switch (static_cast<Instruction>(word >> kOperandBits)) {
    case kAll:
    case kAny: {
      const bool all = (word >> kOperandBits) == kAll;
      const std::uint32_t* end = pc + 1 + *pc;
      ++pc;
      ctx.charge();
      for (std::uint32_t i = 0; i < operand; ++i) {
        bool child = false;
        if (!known(pc, ctx, memo, child)) child = run(pc, ctx, memo);
        if (child != all) {
          pc = end;
          return !all;
        }
      }
      return all && operand != 0;
    }
    case kNegate: ctx.charge(); return !run(pc, ctx, memo);
    case kTruth: ctx.charge(); return run(pc, ctx, memo);
    case kShared: {
      const std::uint32_t index = *pc++;
      const std::uint8_t known = memo[operand];
      if (known != SharedNode::kUnknown) {
        ctx.charge();
        return known == SharedNode::kTrue;
      }
      return leaves[index]->test(ctx);
    }
    case kSharedCombination: {
      const std::uint32_t length = *pc++;
      std::uint8_t& known = memo[operand];
      if (known != SharedNode::kUnknown) {
        ctx.charge();
        pc += length;
        return known == SharedNode::kTrue;
      }
      const bool result = run(pc, ctx, memo);
      known = result ? SharedNode::kTrue : SharedNode::kFalse;
      return result;
    }
    case kNode: return leaves[operand]->test(ctx);
    case kConstant: ctx.charge(); return operand != 0;
  }
  return false;
}

ProgramSet ProgramSet::compile(const std::vector<nlohmann::json>& rules, const OperatorTable& operators,
                               const Limits& limits) {
  std::vector<const nlohmann::json*> pointers;
  pointers.reserve(rules.size());
  for (const auto& r : rules) pointers.push_back(&r);
  return compile(pointers, operators, limits);
}

ProgramSet ProgramSet::compile(const std::vector<const nlohmann::json*>& rules, const OperatorTable& operators,
                               const Limits& limits) {
  auto compiled = std::make_shared<Compiled>();
  compiled->limits = limits;
  compiled->roots.reserve(rules.size());
  Sharing sharing;
  sharing.reserve(rules.size() * 4);
  Compiler compiler(operators, compiled->limits, sharing);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    try {
      compiled->roots.push_back(compiler.compile(*rules[i], ""));
    } catch (const Error& e) {
      const std::string at = "/" + std::to_string(i);
      std::string message = e.what();
      const std::string suffix = " (at " + e.pointer() + ")";
      if (!e.pointer().empty() && message.size() >= suffix.size() &&
          message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0) {
        message.resize(message.size() - suffix.size());
      }
      throw Error(e.kind(), e.code(), e.value(), message, at + e.pointer());
    }
  }
  compiled->shared = sharing.release();
  for (std::size_t slot = 0; slot < compiled->shared.size(); ++slot) {
    const Node& node = *compiled->shared[slot];
    const auto at = static_cast<std::uint32_t>(slot);
    if (auto clause = detail::string_clause(node)) {
      compiled->clauses.add(at, std::move(*clause));
    } else if (auto number = detail::number_clause(node)) {
      compiled->clauses.add(at, std::move(*number));
    }
  }
  compiled->clauses.finish();
  compiled->start.reserve(compiled->roots.size());
  for (const auto& root : compiled->roots) {
    compiled->start.push_back(static_cast<std::uint32_t>(compiled->code.size()));
    compiled->flatten(*root);
  }
  compiled->rule_slots.reserve(compiled->roots.size());
  for (const auto& root : compiled->roots) {
    const auto* use = dynamic_cast<const SharedNode*>(root.get());
    compiled->rule_slots.push_back(use != nullptr ? use->slot() : Compiled::kOpaque);
  }
  compiled->collect_combinations();
  compiled->code.shrink_to_fit();
  compiled->leaves.shrink_to_fit();
  ProgramSet set;
  set.compiled_ = std::move(compiled);
  return set;
}

std::size_t ProgramSet::size() const noexcept { return compiled_ ? compiled_->roots.size() : 0; }

std::size_t ProgramSet::shared() const noexcept { return compiled_ ? compiled_->shared.size() : 0; }

const Node& ProgramSet::root(std::size_t index) const noexcept { return *compiled_->roots[index]; }

void ProgramSet::matches(const nlohmann::json& data, std::vector<std::size_t>& out, const void* host) const {
  out.clear();
  if (!compiled_) return;
  // One memo per thread, reused from call to call: no allocation per evaluation.
  thread_local std::vector<std::uint8_t> memo;
  memo.assign(compiled_->shared.size(), SharedNode::kUnknown);
  const Compiled& c = *compiled_;
  c.clauses.decide(data, memo.data());
  c.decide_combinations(memo.data());
  for (std::size_t i = 0; i < c.roots.size(); ++i) {
    const std::uint32_t slot = c.rule_slots[i];
    if (slot != Compiled::kOpaque && memo[slot] != SharedNode::kUnknown) {
      if (memo[slot] == SharedNode::kTrue) out.push_back(i);
      continue;
    }
    Context ctx(data, host, c.limits, memo.data());
    const std::uint32_t* pc = c.code.data() + c.start[i];
    bool fired = false;
    try {
      fired = c.run(pc, ctx, memo.data());
    } catch (const Error&) {
      // A shared node reports errors where the rule that compiled it first uses it: evaluate
      // this rule alone to raise the error at this rule's pointer.
      Context alone(data, host, c.limits);
      (void)c.roots[i]->test(alone);
      throw;
    }
    if (fired) out.push_back(i);
  }
}

bool ProgramSet::test(std::size_t index, const nlohmann::json& data, const void* host) const {
  Context ctx(data, host, compiled_->limits);
  return compiled_->roots[index]->test(ctx);
}

}  // namespace knead::logic
