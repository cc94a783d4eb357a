#pragma once
// Building blocks shared by the operator families: literal and array nodes, argument
// compilation, operand evaluation, error helpers, and the registration entry points.

#include <knead/logic/context.hpp>
#include <knead/logic/error.hpp>
#include <knead/logic/node.hpp>
#include <knead/logic/operators.hpp>
#include <knead/logic/value.hpp>

#include "logic/path.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace knead::logic::detail {

using json = nlohmann::json;

/// `token` escaped for use in a JSON pointer ("~" -> "~0", "/" -> "~1").
std::string pointer_token(std::string_view token);
/// `pointer` + "/" + op: where a single (non-array) argument of `op` sits.
std::string arg_pointer(const std::string& pointer, std::string_view op);
/// `pointer` + "/" + op + "/" + index: where the index-th argument of `op` sits.
std::string arg_pointer(const std::string& pointer, std::string_view op, std::size_t index);

/// A short, one-line rendering of a value for error messages.
std::string brief(const json& value);

/// Bytes a value built by an operator occupies at its top level (strings and array slots), for
/// the memory budget. Nested values are counted when they are built.
[[nodiscard]] std::uint64_t built_bytes(const json& value) noexcept;

/// Throws limit.depth when `value` nests more than `max_depth` levels.
void check_nesting(const json& value, std::size_t max_depth, std::string_view pointer);

/// An object with exactly one key: an operator use.
inline bool is_operation(const json& j) noexcept { return j.is_object() && j.size() == 1; }

/// The shared null value (what a read that finds nothing borrows).
inline const json& null_json() noexcept {
  static const json null_value;
  return null_value;
}

/// The shared empty text ("" joined from nothing but empty texts and null).
inline const json& empty_text_json() noexcept {
  static const json empty = "";
  return empty;
}

/// A read of the current scope along a fixed path, with a constant for when it finds nothing
/// (var and val with constant paths).
struct ScopeRead {
  FixedPath path;
  const json* fallback = nullptr;  // nullptr: null

  [[nodiscard]] const json& read(const Context& ctx) const noexcept {
    const json* found = path.find(ctx.scope());
    if (found != nullptr) return *found;
    return fallback != nullptr ? *fallback : null_json();
  }
};

/// `{"cat": ["", <fixed read>]}`: a fixed read turned into text by a `cat` whose other operands
/// are empty texts; `units` is the work the cat charges in all (itself, each operand).
struct TextOfRead {
  const ScopeRead* read = nullptr;
  std::uint64_t units = 0;
};
/// The TextOfRead `node` is, or nullptr (defined with `cat`).
[[nodiscard]] const TextOfRead* text_of_read(const Node& node) noexcept;

/// `{"in": ["text", <TextOfRead>]}`: a search for a written text in the text of a read. Sets
/// `needle` and `haystack` when `node` is one (defined with `in`).
[[nodiscard]] bool text_search(const Node& node, const std::string*& needle, const TextOfRead*& haystack) noexcept;

/// A node whose result is always borrowed (a constant, a data read): operators read it with
/// get() and skip building a Value.
class BorrowingNode : public Node {
 public:
  using Node::Node;
  /// The result, borrowed from the rule, the data or a scope. Charges like evaluate().
  [[nodiscard]] virtual const json& get(Context& ctx) const = 0;
  /// The fixed scope read this node performs, if that is all it does (lets callers inline it).
  [[nodiscard]] virtual const ScopeRead* scope_read() const noexcept { return nullptr; }
  [[nodiscard]] Value evaluate(Context& ctx) const override { return Value::ref(get(ctx)); }
  [[nodiscard]] bool test(Context& ctx) const override { return truthy(get(ctx)); }
};

/// Reads one argument of an operator. Constants and fixed-path reads are done inline (the
/// hottest operations of every rule); other borrowing nodes through get(); anything else
/// through evaluate(), with `holder` keeping an owned result alive. Each way charges one unit,
/// as evaluating the node would.
class ArgReader {
 public:
  explicit ArgReader(const Node& node) noexcept : node_(&node) {
    const auto* borrowing = dynamic_cast<const BorrowingNode*>(&node);
    if (borrowing == nullptr) {
      if (const TextOfRead* text = text_of_read(node)) {
        kind_ = Kind::text_of_read;
        fast_ = text;
      }
      return;
    }
    if (const json* constant = node.literal()) {
      kind_ = Kind::constant;
      fast_ = constant;
    } else if (const ScopeRead* read = borrowing->scope_read()) {
      kind_ = Kind::scope_read;
      fast_ = read;
    } else {
      kind_ = Kind::borrowing;
      fast_ = borrowing;
    }
  }

  const json& read(Context& ctx, std::optional<Value>& holder) const {
    switch (kind_) {
      case Kind::constant:
        ctx.charge();
        return *static_cast<const json*>(fast_);
      case Kind::scope_read:
        ctx.charge();
        return static_cast<const ScopeRead*>(fast_)->read(ctx);
      case Kind::borrowing: return static_cast<const BorrowingNode*>(fast_)->get(ctx);
      case Kind::text_of_read: {
        // A string (or null, which joins as "") is its own text: read in place, charged as
        // the cat would charge. Anything else is joined by the cat itself.
        const auto* text = static_cast<const TextOfRead*>(fast_);
        const json& value = text->read->read(ctx);
        if (const auto* s = value.get_ptr<const std::string*>(); s != nullptr && s->size() <= ctx.limits().max_size) {
          ctx.charge(text->units);
          ctx.allocate(s->size());
          return value;
        }
        if (value.is_null()) {
          ctx.charge(text->units);
          return empty_text_json();
        }
        break;
      }
      case Kind::evaluate: break;
    }
    holder.emplace(node_->evaluate(ctx));
    return **holder;
  }
  [[nodiscard]] const Node& node() const noexcept { return *node_; }

 private:
  enum class Kind : unsigned char { evaluate, borrowing, scope_read, constant, text_of_read };
  const Node* node_;
  const void* fast_ = nullptr;
  Kind kind_ = Kind::evaluate;
};

/// and, or, ! and !!: in test position their truth is a fixed combination of their arguments'
/// truth, which lets a ProgramSet evaluate them from a flat form.
class CombinationNode : public Node {
 public:
  enum class Combination : unsigned char {
    all,     ///< and: every argument truthy (false without arguments)
    any,     ///< or: some argument truthy
    negate,  ///< !: the first argument falsy (true without arguments)
    truth,   ///< !!: the first argument truthy (false without arguments)
  };
  using Node::Node;
  [[nodiscard]] virtual Combination combination() const noexcept = 0;
};

/// A constant. Evaluates to a borrowed reference to its value.
class LiteralNode final : public BorrowingNode {
 public:
  LiteralNode(json value, std::string pointer);
  [[nodiscard]] const json& get(Context& ctx) const override {
    ctx.charge();
    return value_;
  }
  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    return truthy_;
  }
  [[nodiscard]] const json* literal() const noexcept override { return &value_; }

 private:
  json value_;
  bool truthy_;
};

/// An array with at least one non-constant element; builds a new array.
class ArrayNode final : public Node {
 public:
  ArrayNode(std::string pointer, std::vector<NodePtr> elements) : Node("", std::move(pointer), std::move(elements)) {}
  [[nodiscard]] Value evaluate(Context& ctx) const override;
  [[nodiscard]] bool test(Context& ctx) const override;
};

/// The operator's name as messages quote it: 'substr'.
[[nodiscard]] inline std::string quoted_op(const Node& node) {
  std::string out = "'";
  out.append(node.op()).push_back('\'');
  return out;
}

/// Throws invalid arguments at `pointer`.
[[noreturn]] void fail_invalid(const std::string& detail, std::string_view pointer);
/// Throws NaN at `pointer`.
[[noreturn]] void fail_nan(const std::string& detail, std::string_view pointer);
/// Throws limit.size at `pointer`.
[[noreturn]] void fail_size(std::size_t size, std::size_t max, std::string_view pointer);

/// The arguments of an operator that evaluates all its operands. Either a list written as an
/// array (or a single non-operation value), or one operation whose value, when an array,
/// supplies the operands (`{"+": {"var": "numbers"}}`).
struct Operands {
  std::vector<NodePtr> nodes;
  bool dynamic = false;
};

/// Compiles the arguments of an eager operator (see Operands).
Operands compile_operands(Compiler& compiler, const json& args, const std::string& pointer, std::string_view op);

/// Compiles arguments that must be written as an array with `min`..`max` elements (the lazy
/// operators, comparisons and iterators: `{"or": true}` or `{"<": {"preserve": [1, 2]}}` are
/// invalid arguments at compile time).
std::vector<NodePtr> compile_array_args(Compiler& compiler, const json& args, const std::string& pointer,
                                        std::string_view op, std::size_t min, std::size_t max);

/// Calls `f(const json& operand, std::size_t index, std::size_t count)` for each operand in
/// order, evaluating them one at a time. A spread array charges one unit per element.
template <class F>
void for_each_operand(const Node& node, bool dynamic, Context& ctx, F&& f) {
  const auto& args = node.args();
  if (dynamic) {
    const Value spread = args[0]->evaluate(ctx);
    const json& value = *spread;
    if (value.is_array()) {
      const auto& items = value.get_ref<const json::array_t&>();
      const std::size_t n = items.size();
      ctx.charge(n);
      for (std::size_t i = 0; i < n; ++i) f(items[i], i, n);
    } else {
      f(value, 0, 1);
    }
    return;
  }
  const std::size_t n = args.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Value v = args[i]->evaluate(ctx);
    f(*v, i, n);
  }
}

/// All operands evaluated at once, for operators that need random access to them. Values
/// borrowed from a spread array stay valid as long as this object lives.
class OperandValues {
 public:
  OperandValues(const Node& node, bool dynamic, Context& ctx);
  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  const json& operator[](std::size_t i) const noexcept { return *values_[i]; }
  /// The i-th operand as a Value (moved out: call once).
  Value take(std::size_t i) noexcept { return std::move(values_[i]); }

 private:
  Value spread_;
  std::vector<Value> values_;
};

// Registration of each operator family into a table (one function per ops_*.cpp file).
void register_arithmetic(OperatorTable& table);
void register_compare(OperatorTable& table);
void register_control(OperatorTable& table);
void register_array(OperatorTable& table);
void register_string(OperatorTable& table);
void register_missing(OperatorTable& table);
void register_val(OperatorTable& table);
void register_try_throw(OperatorTable& table);

}  // namespace knead::logic::detail
