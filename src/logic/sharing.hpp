#pragma once
// Common subexpressions shared across the rules of a ProgramSet: each distinct operation is
// compiled once, and every place that uses it gets a SharedNode pointing at that one node. In
// test position a shared node remembers its result for the current data, so a clause that a
// thousand rules start with is decided once per patient.

#include <knead/logic/error.hpp>
#include <knead/logic/node.hpp>
#include <knead/logic/operators.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace knead::logic {

class Sharing {
 public:
  /// Operations nested deeper than this are compiled per use: they are rarely shared and
  /// hashing them at every level would dominate the compile time.
  static constexpr std::size_t kMaxDepth = 6;

  /// The hash of `expr`, an operation, to look it up with. At the root of a rule (`root`) the
  /// hashes of all the operations nested in it are computed in the same pass and kept until the
  /// next rule, so compiling them later does not hash their subtrees over again.
  [[nodiscard]] std::size_t hash(const nlohmann::json& expr, bool root);

  /// The node to use for `expr` at `pointer` if an equal operation was compiled before at
  /// `depth` or deeper (so no depth limit is crossed by reusing it), else nullptr.
  [[nodiscard]] NodePtr reuse(const nlohmann::json& expr, std::size_t hash, std::size_t depth,
                              const std::string& pointer) const;
  /// Keeps `node` (compiled from `expr`, which must outlive this object) for reuse and returns
  /// the node that takes its place; values the evaluator reads without a node call (constants,
  /// data reads) are not worth sharing and come back as they are.
  [[nodiscard]] NodePtr keep(const nlohmann::json& expr, std::size_t hash, std::size_t depth, NodePtr node,
                             const std::string& pointer);

  /// Room for about `operations` kept operations (growing the index in steps is most of the
  /// allocator's work otherwise).
  void reserve(std::size_t operations) {
    entries_.reserve(operations);
    nodes_.reserve(operations);
    if (operations * 2 > heads_.size()) rehash(operations * 2);
  }

  /// One memo byte per kept node.
  [[nodiscard]] std::size_t slots() const noexcept { return nodes_.size(); }
  /// The kept nodes; the shared nodes handed out point into them.
  [[nodiscard]] std::vector<NodePtr> release() { return std::move(nodes_); }

 private:
  // One kept operation; its slot is its place in entries_ (and nodes_).
  struct Entry {
    const nlohmann::json* expr;
    std::size_t hash;
    std::size_t depth;
    const Node* node;
    std::uint32_t older;  ///< the entry kept before it in the same bucket, or kNone
    // The node's operator name is the operation's key, as it is for most operators: a use
    // takes it from the operation in hand rather than from the kept node's names, out of cache
    // by the time a later rule reuses it.
    bool op_is_key;
  };
  static constexpr std::uint32_t kNone = 0xffffffffU;

  std::size_t hash_tree(const nlohmann::json& v, bool record);
  /// Spreads the entries over `buckets` (rounded up to a power of two) buckets.
  void rehash(std::size_t buckets);
  /// Mixed first: the low bits of a json hash alone spread poorly.
  [[nodiscard]] std::size_t bucket(std::size_t hash) const noexcept {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(hash) * 0x9e3779b97f4a7c15ULL) >> 32U) &
           (heads_.size() - 1);
  }

  // A hash index without a node allocation per entry: each bucket holds its newest entry, which
  // links to the older ones, so lookups see the latest kept of equal operations first.
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> heads_;
  // The operations nested in the current rule with their hashes, in the order the compiler
  // reaches them (depth first, arguments in order); `next_` is where the next lookup starts.
  std::vector<std::pair<const nlohmann::json*, std::size_t>> nested_;
  std::size_t next_ = 0;
  std::vector<NodePtr> nodes_;
};

/// One use of a shared operation. Evaluates the shared node; errors are reported at this use's
/// pointer. At the root scope of an evaluation with a memo, test() results are remembered.
class SharedNode final : public Node {
 public:
  /// `op` is the target's operator name.
  SharedNode(const Node& target, std::uint32_t slot, std::string_view op, std::string_view pointer)
      : Node(op, pointer), target_(target), slot_(slot) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override;
  [[nodiscard]] bool test(Context& ctx) const override {
    std::uint8_t* memo = ctx.memo();
    // Inside an iterator or `try` the same text can read other data: no memo there.
    if (memo == nullptr || ctx.depth() != 0) return test_here(ctx);
    std::uint8_t& known = memo[slot_];
    if (known != kUnknown) {
      ctx.charge();
      return known == kTrue;
    }
    const bool result = test_here(ctx);
    known = result ? kTrue : kFalse;
    return result;
  }
  /// The node this use shares.
  [[nodiscard]] const Node& target() const noexcept { return target_; }
  /// Its memo byte.
  [[nodiscard]] std::uint32_t slot() const noexcept { return slot_; }

  // Bit 0: known; bit 1: true. A set's pass over its combinations (ProgramSet) then decides
  // an and or an or with bitwise operations on its arguments' bytes.
  static constexpr std::uint8_t kUnknown = 0;
  static constexpr std::uint8_t kFalse = 1;
  static constexpr std::uint8_t kTrue = 3;

 private:
  bool test_here(Context& ctx) const;
  [[noreturn]] void relocate(const Error& error) const;

  const Node& target_;
  std::uint32_t slot_;
};

}  // namespace knead::logic
