#include <knead/logic/context.hpp>
#include <knead/logic/packed_data.hpp>
#include <knead/logic/error.hpp>
#include <knead/logic/program_set.hpp>

#include "logic/clause_index.hpp"
#include "logic/nodes.hpp"
#include "logic/prefetch.hpp"
#include "logic/sharing.hpp"

#include <algorithm>
#include <string>
#include <typeinfo>

// The loops over a combination's arguments have a fixed length of one to four: unrolled.
#if defined(__GNUC__) && !defined(__clang__)
#define KNEAD_UNROLL_4 _Pragma("GCC unroll 4")
#elif defined(__clang__)
#define KNEAD_UNROLL_4 _Pragma("unroll 4")
#else
#define KNEAD_UNROLL_4
#endif

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
  // Before the rules run, each data first decides what it can without evaluating a rule (see
  // matches()): the clauses on fixed paths (with the truth of data reads that are arguments
  // of combinations), the eager comparisons, then the combinations themselves.
  detail::ClauseIndex clauses;
  // The other comparisons of constants with data reads ({"==": [{"var": "sex"}, 1]}, or with
  // true on a path that holds no boolean): evaluated one by one; one that fails is left to
  // the rule, which reports it.
  std::vector<std::uint32_t> eager;
  // Data reads that are arguments of combinations ({"!": {"var": "findings"}}): their truth
  // has a memo byte of its own (after those of the shared operations), decided by `clauses`.
  std::uint32_t truth_reads = 0;
  // The shared and/or/!/!!/if, children before parents, as records [slot, shape, arguments]:
  // shape = n << 3 | kAnyBit (or, else and) | kInvertBit (! of the result) | kChoiceBit (if);
  // `!` and `!!` are the and of their first argument, inverted or not. An argument is a memo
  // slot: a shared operation's, or one of the bytes after those: true, false, unknown (any
  // other node), then one per truth read. Once sorted (see collect_decisions), records of the
  // same shape that follow each other form a run, [shape, count, count records of [slot,
  // arguments]], decided by one loop specialised for that shape.
  std::vector<std::uint32_t> combinations;
  static constexpr std::uint32_t kAnyBit = 1;
  static constexpr std::uint32_t kInvertBit = 2;
  static constexpr std::uint32_t kChoiceBit = 4;
  static constexpr unsigned kShapeBits = 3;
  [[nodiscard]] std::uint32_t yes() const noexcept { return static_cast<std::uint32_t>(shared.size()); }
  [[nodiscard]] std::uint32_t no() const noexcept { return yes() + 1; }
  [[nodiscard]] std::uint32_t opaque() const noexcept { return yes() + 2; }
  [[nodiscard]] std::size_t memo_size() const noexcept { return shared.size() + 3 + truth_reads; }
  // Per rule, its memo slot when the rule is a shared operation, else opaque().
  std::vector<std::uint32_t> rule_slots;

  // The word form, for sets of up to 64 rules whose every leaf is a clause the index decides
  // (`clauses.has_words()`): rule r is bit r of 64-bit words, one word per place in a rule's
  // tree (the root, its first argument, that one's second, ...), so that all rules are decided
  // together by a few bitwise operations per place, from the bits the clauses set (see
  // ClauseIndex::decide_words), instead of a memo byte per clause and per combination.
  // A place is read as its word XOR word_flip (the rules that read it negated); a place that
  // is an argument in some rules' trees is computed from its arguments' places, children
  // before parents, as their and (rules in `all`), or (`any`) or if-then-else (`choice`).
  struct WordPlace {
    std::uint64_t all = 0;
    std::uint64_t any = 0;
    std::uint64_t choice = 0;
    std::uint32_t place = 0;
    std::uint32_t first = 0;  // into word_args
    std::uint32_t count = 0;
  };
  std::vector<WordPlace> word_places;  // those with arguments, children first
  std::vector<std::uint32_t> word_args;
  std::vector<std::uint64_t> word_start;  // each place's word before the clauses: constants,
                                          // and ones where an and has fewer arguments
  std::vector<std::uint64_t> word_flip;
  std::uint64_t word_rules = 0;  // the bits of the rules
  static constexpr std::size_t kWordRules = 64;
  static constexpr std::size_t kMaxWordPlaces = 4096;
  // Lays out the word form from the unsorted combinations (`record_of[slot]`: where the
  // record of shared operation `slot` is, or ~0), if every rule fits it.
  void plan_words(const std::vector<std::uint32_t>& record_of);
  // The matching rules by the word form into `out`; false when the data needs the full pass.
  // `data` is an nlohmann::json or a PackedData's root cell.
  template <class Data>
  bool match_words(const Data& data, std::vector<std::size_t>& out) const;
  // The matching rules by the memo pass: the clauses decided on `data` (an nlohmann::json or
  // a PackedData's root cell), the rest evaluated on `value()`, the same value as JSON, called
  // only when something must be evaluated.
  template <class Data, class Value>
  void match_all(const Data& data, const Value& value, std::vector<std::size_t>& out, const Host* host) const;

  // Sorts the shared operations into clauses, eager comparisons and combinations.
  void collect_decisions();
  void decide_eager(const nlohmann::json& data, const Host* host, std::uint8_t* memo) const;
  void decide_combinations(std::uint8_t* memo) const noexcept;
  // `count` records of `n` arguments (N, when not 0) from `at` (left past them): or when Any,
  // and otherwise; the result inverted when Invert.
  template <std::uint32_t N, bool Any, bool Invert>
  static void decide_run(const std::uint32_t*& at, std::uint32_t count, std::uint32_t n, std::uint8_t* memo) noexcept;
  template <std::uint32_t N>
  static void decide_run(const std::uint32_t*& at, std::uint32_t count, std::uint32_t n, bool any, bool invert,
                         std::uint8_t* memo) noexcept {
    // A loop for each combination: an and needs only the bitwise and of its arguments, and
    // the compiler drops what the shape does not use.
    if (any) {
      invert ? decide_run<N, true, true>(at, count, n, memo) : decide_run<N, true, false>(at, count, n, memo);
    } else {
      invert ? decide_run<N, false, true>(at, count, n, memo) : decide_run<N, false, false>(at, count, n, memo);
    }
  }
  // An if's truth from its arguments' memo bytes: conditions and branches alternate, then
  // the else branch if any.
  static std::uint8_t choose(const std::uint32_t* args, std::uint32_t n, const std::uint8_t* memo) noexcept;
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
  if (typeid(node) == typeid(SharedNode)) {  // a final class: cheaper than dynamic_cast
    const auto* use = static_cast<const SharedNode*>(&node);
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

void ProgramSet::Compiled::collect_decisions() {
  using Combination = detail::CombinationNode::Combination;
  for (std::size_t slot = 0; slot < shared.size(); ++slot) {
    const Node& node = *shared[slot];
    const auto at = static_cast<std::uint32_t>(slot);
    std::uint32_t bits = kChoiceBit;
    std::size_t n = node.args().size();
    if (const auto* combination = dynamic_cast<const detail::CombinationNode*>(&node)) {
      const Combination kind = combination->combination();
      if (kind == Combination::negate || kind == Combination::truth) n = std::min<std::size_t>(n, 1);
      bits = (kind == Combination::any ? kAnyBit : 0) | (kind == Combination::negate ? kInvertBit : 0);
    } else if (!detail::is_choice(node)) {
      if (auto clause = detail::string_clause(node)) {
        clauses.add(at, std::move(*clause));
      } else if (auto number = detail::number_clause(node)) {
        clauses.add(at, std::move(*number));
      } else {
        // An equality with true or false is decided with the clauses when the value read is
        // a boolean, else evaluated with the other eager comparisons.
        if (auto truth = detail::bool_equality_clause(node)) clauses.add(at, *truth);
        if (detail::is_fixed_comparison(node)) eager.push_back(at);
      }
      continue;
    }
    combinations.push_back(static_cast<std::uint32_t>(slot));
    // An and or or of nothing is false: written as the and or or of one false argument.
    const bool empty = n == 0 && (bits & kChoiceBit) == 0;
    combinations.push_back(static_cast<std::uint32_t>((empty ? 1 : n) << kShapeBits) | bits);
    if (empty) combinations.push_back(no());
    for (std::size_t i = 0; i < n; ++i) {
      const Node& arg = *node.args()[i];
      if (typeid(arg) == typeid(SharedNode)) {  // a final class: cheaper than dynamic_cast
        combinations.push_back(static_cast<const SharedNode&>(arg).slot());
      } else if (const nlohmann::json* constant = arg.literal()) {
        combinations.push_back(truthy(*constant) ? yes() : no());
      } else if (const auto* read = dynamic_cast<const detail::BorrowingNode*>(&arg);
                 read != nullptr && read->scope_read() != nullptr) {
        combinations.push_back(opaque() + 1 + truth_reads);
        clauses.add_truth(opaque() + 1 + truth_reads, read->scope_read());
        ++truth_reads;
      } else {
        combinations.push_back(opaque());
      }
    }
  }
  clauses.finish(limits.max_work);
  if (roots.size() <= kWordRules) {
    std::vector<std::uint32_t> record_of(shared.size(), ~std::uint32_t{0});
    for (std::size_t at = 0; at < combinations.size(); at += 2 + (combinations[at + 1] >> kShapeBits)) {
      record_of[combinations[at]] = static_cast<std::uint32_t>(at);
    }
    plan_words(record_of);
  }
  // Children before parents, and within that records of the same shape together: the pass
  // over them then branches the same way from record to record (a level is one more than the
  // highest level among a record's arguments). Records no other record reads (most rules'
  // roots) all go last: fewer runs of one shape than when each sits at its own level.
  struct Record {
    std::uint32_t level;
    std::uint32_t shape;
    std::size_t at;
  };
  std::vector<Record> records;
  std::vector<std::uint32_t> level(memo_size(), 0);
  std::vector<bool> read(memo_size(), false);
  std::uint32_t last = 0;
  for (std::size_t at = 0; at < combinations.size(); at += 2 + (combinations[at + 1] >> kShapeBits)) {
    std::uint32_t highest = 0;
    for (std::uint32_t i = 0; i < combinations[at + 1] >> kShapeBits; ++i) {
      highest = std::max(highest, level[combinations[at + 2 + i]]);
      read[combinations[at + 2 + i]] = true;
    }
    level[combinations[at]] = highest + 1;
    last = std::max(last, highest + 1);
    records.push_back(Record{highest + 1, combinations[at + 1], at});
  }
  for (Record& r : records) {
    if (!read[combinations[r.at]]) r.level = last;
  }
  std::stable_sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
    return a.level != b.level ? a.level < b.level : a.shape < b.shape;
  });
  std::vector<std::uint32_t> sorted;
  sorted.reserve(combinations.size() + 2 * records.size());
  std::size_t run = 0;  // where the current run's header is
  for (std::size_t r = 0; r < records.size(); ++r) {
    if (r == 0 || records[r].shape != records[r - 1].shape) {
      run = sorted.size();
      sorted.push_back(records[r].shape);
      sorted.push_back(0);
    }
    ++sorted[run + 1];
    const auto first = combinations.begin() + static_cast<std::ptrdiff_t>(records[r].at);
    sorted.push_back(*first);  // the slot, then the arguments
    sorted.insert(sorted.end(), first + 2, first + 2 + (records[r].shape >> kShapeBits));
  }
  combinations = std::move(sorted);
}

void ProgramSet::Compiled::plan_words(const std::vector<std::uint32_t>& record_of) {
  struct Place {
    std::uint64_t all = 0;
    std::uint64_t any = 0;
    std::uint64_t choice = 0;
    std::uint64_t present = 0;  // the rules with something at this place
    std::vector<std::uint32_t> args;
  };
  std::vector<Place> places(1);
  std::vector<std::uint64_t> initial(1, 0);
  std::vector<std::uint64_t> flip(1, 0);
  std::vector<detail::ClauseIndex::Leaf> clause_leaves;
  const auto arg_place = [&](std::uint32_t at, std::size_t i) {
    while (places[at].args.size() <= i) {
      places[at].args.push_back(static_cast<std::uint32_t>(places.size()));
      places.emplace_back();
      initial.push_back(0);
      flip.push_back(0);
    }
    return places[at].args[i];
  };
  const auto is_record = [&](std::uint32_t slot) {
    return slot < record_of.size() && record_of[slot] != ~std::uint32_t{0};
  };
  // Places `slot` (read negated when `negated`) at `at` for the rule with bit `rule`.
  bool fits = true;
  const auto place = [&](const auto& self, std::uint32_t slot, std::uint32_t at, std::uint64_t rule,
                         bool negated) -> void {
    if (!fits || places.size() > kMaxWordPlaces) {
      fits = false;
      return;
    }
    places[at].present |= rule;
    if (slot == yes() || slot == no()) {
      if ((slot == yes()) != negated) initial[at] |= rule;
      return;
    }
    if (slot == opaque()) {
      fits = false;
      return;
    }
    if (negated) flip[at] |= rule;
    if (!is_record(slot)) {
      clause_leaves.push_back(detail::ClauseIndex::Leaf{slot, at, rule});
      return;
    }
    const std::uint32_t* record = combinations.data() + record_of[slot];
    const std::uint32_t shape = record[1];
    const std::uint32_t n = shape >> kShapeBits;
    const std::uint32_t* args = record + 2;
    if ((shape & kChoiceBit) != 0) {
      // if(c, a, rest...) is c ? a : if(rest...); if() is false, if(x) the truth of x.
      if (n < 2) {
        flip[at] &= ~rule;
        if (n == 0) {
          if (negated) initial[at] |= rule;
        } else {
          self(self, args[0], at, rule, negated);
        }
        return;
      }
      std::uint32_t here = at;
      std::uint32_t i = 0;
      for (; i + 1 < n; i += 2) {
        places[here].choice |= rule;
        places[here].present |= rule;
        self(self, args[i], arg_place(here, 0), rule, false);
        self(self, args[i + 1], arg_place(here, 1), rule, false);
        if (i + 2 == n) return;  // no else: the third place stays false
        here = arg_place(here, 2);
        if (i + 3 < n) continue;
        self(self, args[i + 2], here, rule, false);
        return;
      }
      return;
    }
    const bool invert = (shape & kInvertBit) != 0;
    if (n == 1) {  // !, !!, and the and or or of one argument: that argument, flipped or not
      flip[at] &= ~rule;
      self(self, args[0], at, rule, negated != invert);
      return;
    }
    if (invert) fits = false;  // not written by collect_decisions
    ((shape & kAnyBit) != 0 ? places[at].any : places[at].all) |= rule;
    // Arguments that combine others first, so that rules of different shapes share places.
    std::vector<std::uint32_t> order(args, args + n);
    std::stable_partition(order.begin(), order.end(), is_record);
    for (std::uint32_t i = 0; i < n; ++i) self(self, order[i], arg_place(at, i), rule, false);
  };
  for (std::size_t r = 0; r < roots.size() && fits; ++r) {
    const std::uint64_t rule = std::uint64_t{1} << r;
    if (const nlohmann::json* constant = roots[r]->literal()) {
      place(place, truthy(*constant) ? yes() : no(), 0, rule, false);
    } else {
      place(place, rule_slots[r], 0, rule, false);
    }
  }
  if (!fits || !clauses.prepare_words(clause_leaves)) return;
  for (const auto& leaf : clause_leaves) {
    if (leaf.inverted) flip[leaf.position] ^= leaf.rules;
  }
  // An and reads a place its rule clause_leaves empty as true.
  for (const Place& p : places) {
    for (const std::uint32_t arg : p.args) initial[arg] |= p.all & ~places[arg].present;
  }
  // Children have higher numbers than their parents: the last place first.
  for (std::size_t at = places.size(); at-- > 0;) {
    const Place& p = places[at];
    if (p.args.empty()) continue;
    word_places.push_back(WordPlace{p.all, p.any, p.choice, static_cast<std::uint32_t>(at),
                                    static_cast<std::uint32_t>(word_args.size()),
                                    static_cast<std::uint32_t>(p.args.size())});
    word_args.insert(word_args.end(), p.args.begin(), p.args.end());
  }
  word_start = std::move(initial);
  word_flip = std::move(flip);
  word_rules = roots.size() == kWordRules ? ~std::uint64_t{0} : (std::uint64_t{1} << roots.size()) - 1;
}

template <class Data>
bool ProgramSet::Compiled::match_words(const Data& data, std::vector<std::size_t>& out) const {
  // The words on the stack for the usual few places (a thread_local costs a look-up per call).
  constexpr std::size_t kOnStack = 64;
  std::uint64_t on_stack[kOnStack];  // NOLINT(*-avoid-c-arrays)
  std::uint64_t* words = on_stack;
  if (word_start.size() > kOnStack) {
    thread_local std::vector<std::uint64_t> scratch;
    scratch.resize(word_start.size());
    words = scratch.data();
  }
  std::copy(word_start.begin(), word_start.end(), words);
  if (!clauses.decide_words(data, words)) return false;
  const std::uint64_t* const flip = word_flip.data();
  const std::uint32_t* const args = word_args.data();
  for (const WordPlace& p : word_places) {
    std::uint64_t all = ~std::uint64_t{0};
    std::uint64_t any = 0;
    for (std::uint32_t i = p.first; i < p.first + p.count; ++i) {
      const std::uint64_t v = words[args[i]] ^ flip[args[i]];
      all &= v;
      any |= v;
    }
    std::uint64_t word = (p.all & all) | (p.any & any);
    if (p.choice != 0) {
      const std::uint64_t c = words[args[p.first]] ^ flip[args[p.first]];
      const std::uint64_t a = words[args[p.first + 1]] ^ flip[args[p.first + 1]];
      const std::uint64_t b = p.count > 2 ? words[args[p.first + 2]] ^ flip[args[p.first + 2]] : 0;
      word |= p.choice & ((c & a) | (~c & b));
    }
    words[p.place] |= word;
  }
  std::uint64_t fired = (words[0] ^ flip[0]) & word_rules;
  out.clear();
  for (; fired != 0; fired &= fired - 1) out.push_back(static_cast<std::size_t>(__builtin_ctzll(fired)));
  return true;
}

void ProgramSet::Compiled::decide_eager(const nlohmann::json& data, const Host* host, std::uint8_t* memo) const {
  for (const std::uint32_t slot : eager) {
    if (memo[slot] != SharedNode::kUnknown) continue;
    Context ctx(data, host, limits);
    try {
      memo[slot] = shared[slot]->test(ctx) ? SharedNode::kTrue : SharedNode::kFalse;
    } catch (const Error&) {
      // Left undecided: the rule that reaches it raises the error at its own pointer.
    }
  }
}

std::uint8_t ProgramSet::Compiled::choose(const std::uint32_t* args, std::uint32_t n,
                                          const std::uint8_t* memo) noexcept {
  std::uint32_t i = 0;
  for (; i + 1 < n; i += 2) {
    const std::uint8_t condition = memo[args[i]];
    if (condition == SharedNode::kUnknown) return condition;
    if (condition == SharedNode::kTrue) return memo[args[i + 1]];
  }
  return i < n ? memo[args[i]] : SharedNode::kFalse;
}

void ProgramSet::Compiled::decide_combinations(std::uint8_t* memo) const noexcept {
  memo[yes()] = SharedNode::kTrue;
  memo[no()] = SharedNode::kFalse;
  memo[opaque()] = SharedNode::kUnknown;
  const std::uint32_t* at = combinations.data();
  const std::uint32_t* const end = at + combinations.size();
  while (at != end) {
    const std::uint32_t shape = at[0];
    const std::uint32_t count = at[1];
    const std::uint32_t n = shape >> kShapeBits;
    at += 2;
    if ((shape & kChoiceBit) != 0) {
      for (std::uint32_t r = 0; r < count; ++r, at += 1 + n) memo[at[0]] = choose(at + 1, n, memo);
      continue;
    }
    const bool any = (shape & kAnyBit) != 0;
    const bool invert = (shape & kInvertBit) != 0;
    // Most combinations have one to four arguments: a loop of fixed length for each.
    switch (n) {
      case 1: decide_run<1>(at, count, n, any, invert, memo); break;
      case 2: decide_run<2>(at, count, n, any, invert, memo); break;
      case 3: decide_run<3>(at, count, n, any, invert, memo); break;
      case 4: decide_run<4>(at, count, n, any, invert, memo); break;
      default: decide_run<0>(at, count, n, any, invert, memo); break;
    }
  }
}

template <std::uint32_t N, bool Any, bool Invert>
void ProgramSet::Compiled::decide_run(const std::uint32_t*& at, std::uint32_t count, std::uint32_t n,
                                      std::uint8_t* memo) noexcept {
  // An argument not known leaves the combination to the evaluation (which might raise an
  // error the rule must report): an and is unknown when an argument is, else false when one
  // is false; an or likewise, else true when one is true. Both are cautious where the order
  // of evaluation matters (an and of false and unknown is left unknown, though the operator
  // would stop at the false argument), and the rule's evaluation then settles it. With bit 0
  // of a memo byte for known and bit 1 for true, that is bitwise arithmetic on the bytes:
  // no branch on the values, which are what the processor cannot predict.
  static_assert(SharedNode::kUnknown == 0 && SharedNode::kFalse == 1 && SharedNode::kTrue == 3,
                "bit 0: known, bit 1: true");
  const std::uint32_t width = N != 0 ? N : n;
  for (std::uint32_t r = 0; r < count; ++r, at += 1 + width) {
    const std::uint32_t* args = at + 1;
    std::uint32_t all = SharedNode::kTrue;  // bit 0: every argument known; bit 1: every one true
    std::uint32_t some = 0;                 // bit 1: some argument true
    KNEAD_UNROLL_4
    for (std::uint32_t i = 0; i < width; ++i) {
      const std::uint32_t v = memo[args[i]];
      all &= v;
      if (Any) some |= v;
    }
    const std::uint32_t known = all & 1U;
    std::uint32_t result = (Any ? (known | (some & 2U)) : all) & (0U - known);
    if (Invert) result ^= known << 1;
    memo[at[0]] = static_cast<std::uint8_t>(result);
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
  compiled->start.reserve(compiled->roots.size());
  for (const auto& root : compiled->roots) {
    compiled->start.push_back(static_cast<std::uint32_t>(compiled->code.size()));
    compiled->flatten(*root);
  }
  compiled->rule_slots.reserve(compiled->roots.size());
  for (const auto& root : compiled->roots) {
    const Node& node = *root;
    compiled->rule_slots.push_back(typeid(node) == typeid(SharedNode) ? static_cast<const SharedNode&>(node).slot()
                                                                      : compiled->opaque());
  }
  compiled->collect_decisions();
  compiled->code.shrink_to_fit();
  compiled->leaves.shrink_to_fit();
  ProgramSet set;
  set.compiled_ = std::move(compiled);
  return set;
}

std::size_t ProgramSet::size() const noexcept { return compiled_ ? compiled_->roots.size() : 0; }

std::size_t ProgramSet::shared() const noexcept { return compiled_ ? compiled_->shared.size() : 0; }

const Node& ProgramSet::root(std::size_t index) const noexcept { return *compiled_->roots[index]; }

void ProgramSet::matches(const nlohmann::json& data, std::vector<std::size_t>& out, const Host* host) const {
  out.clear();
  if (!compiled_) return;
  // The clauses read most of a typical record, path by path: start fetching it from memory
  // first (about 15% of the time at 60 rules on the peer workload, out of the cache), and
  // clear the memo while it arrives.
  detail::prefetch_document(data);
  if (compiled_->clauses.has_words() && compiled_->match_words(data, out)) return;
  compiled_->match_all(
      data, [&data]() -> const nlohmann::json& { return data; }, out, host);
}

void ProgramSet::matches(const PackedData& data, std::vector<std::size_t>& out, const Host* host) const {
  out.clear();
  if (!compiled_) return;
  // The clauses read the packed cells, a few consecutive lines per record, fetched at once.
  // What they leave undecided is evaluated on the value, unpacked the first time it is needed.
  detail::prefetch_block(data.packed(), data.packed_size());
  const auto& root = *static_cast<const detail::Cell*>(data.packed());
  if (compiled_->clauses.has_words() && compiled_->match_words(root, out)) return;
  compiled_->match_all(
      root, [&data]() -> const nlohmann::json& { return data.value(); }, out, host);
}

template <class Data, class Value>
void ProgramSet::Compiled::match_all(const Data& data, const Value& value, std::vector<std::size_t>& out,
                                     const Host* host) const {
  // One memo per thread, reused from call to call: no allocation per evaluation.
  thread_local std::vector<std::uint8_t> memo;
  memo.assign(memo_size(), SharedNode::kUnknown);
  const Compiled& c = *this;
  c.clauses.decide(data, memo.data());
  // The eager comparisons the clauses left undecided, on the value.
  for (const std::uint32_t slot : eager) {
    if (memo[slot] == SharedNode::kUnknown) {
      c.decide_eager(value(), host, memo.data());
      break;
    }
  }
  c.decide_combinations(memo.data());
  // Most rules are decided by now: collect the true ones, and the others to evaluate, without
  // a branch per rule (whether a rule holds is what the processor cannot predict).
  thread_local std::vector<std::uint32_t> fired;
  thread_local std::vector<std::uint32_t> waiting;
  if (fired.size() < c.roots.size()) {
    fired.resize(c.roots.size());
    waiting.resize(c.roots.size());
  }
  std::size_t count = 0;
  std::size_t pending = 0;
  // Counted with shifts, which the compiler cannot turn back into a branch as it did the
  // comparisons: a byte (0, 1 or 3) is true when its bit 1 is set, unknown when it is 0.
  static_assert(SharedNode::kUnknown == 0 && SharedNode::kFalse == 1 && SharedNode::kTrue == 3,
                "memo bytes are 0, 1, 3");
  for (std::size_t i = 0; i < c.roots.size(); ++i) {
    const std::uint32_t known = memo[c.rule_slots[i]];
    fired[count] = static_cast<std::uint32_t>(i);
    count += known >> 1;
    waiting[pending] = static_cast<std::uint32_t>(i);
    pending += (known - 1) >> 31;
  }
  const std::size_t decided = count;
  const nlohmann::json* evaluated = nullptr;  // the value, when a rule must be evaluated
  if (pending != 0) evaluated = &value();
  for (std::size_t w = 0; w < pending; ++w) {
    const std::uint32_t i = waiting[w];
    Context ctx(*evaluated, host, c.limits, memo.data());
    const std::uint32_t* pc = c.code.data() + c.start[i];
    bool holds = false;
    try {
      holds = c.run(pc, ctx, memo.data());
    } catch (const Error&) {
      // A shared node reports errors where the rule that compiled it first uses it: evaluate
      // this rule alone to raise the error at this rule's pointer.
      Context alone(*evaluated, host, c.limits);
      (void)c.roots[i]->test(alone);
      throw;
    }
    if (holds) fired[count++] = i;
  }
  const auto first = fired.begin();
  if (count != decided) {
    std::inplace_merge(first, first + static_cast<std::ptrdiff_t>(decided), first + static_cast<std::ptrdiff_t>(count));
  }
  out.assign(first, first + static_cast<std::ptrdiff_t>(count));
}

bool ProgramSet::test(std::size_t index, const nlohmann::json& data, const Host* host) const {
  Context ctx(data, host, compiled_->limits);
  return compiled_->roots[index]->test(ctx);
}

}  // namespace knead::logic
