// Comparisons: == === != !== < <= > >=.
//
// All take an array of at least two arguments written in the rule. The relational operators
// chain ({"<": [1, x, 10]} is the between test, 1 < x < 10) and stop at the first false pair
// without evaluating the rest; == and === compare every further argument with the first;
// != and !== compare the first two only.

#include "logic/coerce.hpp"
#include "logic/nodes.hpp"
#include "logic/path_clause.hpp"

#include <algorithm>
#include <limits>
#include <optional>

namespace knead::logic::detail {

namespace {

enum class CmpKind { eq, strict_eq, ne, strict_ne, lt, le, gt, ge };

const char* name_of(CmpKind kind) noexcept {
  switch (kind) {
    case CmpKind::eq: return "==";
    case CmpKind::strict_eq: return "===";
    case CmpKind::ne: return "!=";
    case CmpKind::strict_ne: return "!==";
    case CmpKind::lt: return "<";
    case CmpKind::le: return "<=";
    case CmpKind::gt: return ">";
    case CmpKind::ge: return ">=";
  }
  return "?";
}

// Base of the boolean nodes: evaluate() wraps test(), so nothing is built on the test path.
class BoolNode : public Node {
 public:
  using Node::Node;
  [[nodiscard]] Value evaluate(Context& ctx) const final { return Value(json(test(ctx))); }
};

// The readers of a comparison's arguments: the first two inline (the usual case), the rest
// in a vector that stays empty (and unallocated) for two arguments.
struct ComparisonArgs {
  explicit ComparisonArgs(const Node& node)
      : first(*node.args()[0]), second(*node.args()[1]) {
    for (std::size_t i = 2; i < node.args().size(); ++i) rest.emplace_back(*node.args()[i]);
  }
  ArgReader first;
  ArgReader second;
  std::vector<ArgReader> rest;
};

class RelationalNode final : public BoolNode {
 public:
  RelationalNode(CmpKind kind, std::string pointer, std::vector<NodePtr> args)
      : BoolNode(name_of(kind), std::move(pointer), std::move(args)), kind_(kind), args_(*this) {}

  /// A chain of number constants and one fixed read as a NumberClause.
  [[nodiscard]] std::optional<NumberClause> clause() const {
    NumberClause clause{
        {}, kind_ == CmpKind::lt || kind_ == CmpKind::le, kind_ == CmpKind::le || kind_ == CmpKind::ge, nullptr};
    for (const auto& arg : args()) {
      const json* literal = arg->literal();
      if (literal != nullptr && literal->is_number()) {
        clause.chain.push_back(literal);
        continue;
      }
      const auto* borrowing = dynamic_cast<const BorrowingNode*>(arg.get());
      const ScopeRead* read = borrowing != nullptr ? borrowing->scope_read() : nullptr;
      if (read == nullptr || clause.read != nullptr) return std::nullopt;
      clause.read = read;
      clause.chain.push_back(nullptr);
    }
    if (clause.read == nullptr) return std::nullopt;
    return clause;
  }

  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    std::optional<Value> hold_left;
    std::optional<Value> hold_right;
    const json& first = args_.first.read(ctx, hold_left);
    const json& second = args_.second.read(ctx, hold_right);
    if (!holds(compare(first, second), first, second)) return false;
    if (args_.rest.empty()) return true;
    // Chained ({"<": [a, b, c]}): the right operand becomes the next left one; an owned value
    // moves with its holder.
    hold_left = std::move(hold_right);
    hold_right.reset();
    const json* left = hold_left ? &**hold_left : &second;
    for (const auto& reader : args_.rest) {
      const json& right = reader.read(ctx, hold_right);
      if (!holds(compare(*left, right), *left, right)) return false;
      hold_left = std::move(hold_right);
      hold_right.reset();
      left = hold_left ? &**hold_left : &right;
    }
    return true;
  }

 private:
  bool holds(Cmp c, const json& l, const json& r) const {
    switch (c) {
      case Cmp::less: return kind_ == CmpKind::lt || kind_ == CmpKind::le;
      case Cmp::equal: return kind_ == CmpKind::le || kind_ == CmpKind::ge;
      case Cmp::greater: return kind_ == CmpKind::gt || kind_ == CmpKind::ge;
      case Cmp::unordered: return false;
      case Cmp::nan: break;
    }
    fail_nan("cannot compare " + brief(l) + " with " + brief(r), pointer());
  }

  CmpKind kind_;
  ComparisonArgs args_;
};

class EqualityNode final : public BoolNode {
 public:
  EqualityNode(CmpKind kind, std::string pointer, std::vector<NodePtr> args)
      : BoolNode(name_of(kind), std::move(pointer), std::move(args)), kind_(kind), args_(*this) {}

  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    std::optional<Value> hold_first;
    std::optional<Value> hold_second;
    const json& first = args_.first.read(ctx, hold_first);
    const bool same = equal(first, args_.second.read(ctx, hold_second));
    if (kind_ == CmpKind::ne || kind_ == CmpKind::strict_ne) return !same;
    if (!same) return false;
    for (const auto& reader : args_.rest) {
      std::optional<Value> hold_other;
      if (!equal(first, reader.read(ctx, hold_other))) return false;
    }
    return true;
  }

  /// "text" compared with a fixed read (either way round) as a StringClause: for a string read
  /// loose and strict equality agree.
  [[nodiscard]] std::optional<StringClause> clause() const {
    if (args().size() != 2) return std::nullopt;
    for (std::size_t text = 0; text < 2; ++text) {
      const json* literal = args()[text]->literal();
      const auto* other = dynamic_cast<const BorrowingNode*>(args()[1 - text].get());
      const ScopeRead* read = other != nullptr ? other->scope_read() : nullptr;
      if (literal == nullptr || !literal->is_string() || read == nullptr) continue;
      const bool negated = kind_ == CmpKind::ne || kind_ == CmpKind::strict_ne;
      return StringClause{StringClause::Kind::equals, negated, {literal->get_ref<const std::string&>()}, read};
    }
    return std::nullopt;
  }

  /// true or false compared with a fixed read (either way round) as a BoolClause.
  [[nodiscard]] std::optional<BoolClause> bool_clause() const {
    if (args().size() != 2) return std::nullopt;
    for (std::size_t constant = 0; constant < 2; ++constant) {
      const json* literal = args()[constant]->literal();
      const auto* other = dynamic_cast<const BorrowingNode*>(args()[1 - constant].get());
      const ScopeRead* read = other != nullptr ? other->scope_read() : nullptr;
      if (literal == nullptr || !literal->is_boolean() || read == nullptr) continue;
      const bool negated = kind_ == CmpKind::ne || kind_ == CmpKind::strict_ne;
      return BoolClause{literal->get<bool>(), negated, read};
    }
    return std::nullopt;
  }

 private:
  bool equal(const json& l, const json& r) const {
    if (kind_ == CmpKind::strict_eq || kind_ == CmpKind::strict_ne) return strict_equals(l, r);
    const Cmp c = loose_equals(l, r);
    if (c == Cmp::nan) fail_nan("cannot compare " + brief(l) + " with " + brief(r), pointer());
    return c == Cmp::equal;
  }

  CmpKind kind_;
  ComparisonArgs args_;
};

OperatorFactory compare_factory(CmpKind kind) {
  return [kind](Compiler& compiler, const json& args, const std::string& pointer) -> NodePtr {
    auto nodes = compile_array_args(compiler, args, pointer, name_of(kind), 2, std::numeric_limits<std::size_t>::max());
    if (kind == CmpKind::lt || kind == CmpKind::le || kind == CmpKind::gt || kind == CmpKind::ge) {
      return std::make_unique<RelationalNode>(kind, pointer, std::move(nodes));
    }
    return std::make_unique<EqualityNode>(kind, pointer, std::move(nodes));
  };
}

}  // namespace

bool NumberClause::holds(const json& value) const noexcept {
  for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
    const json& left = chain[i] != nullptr ? *chain[i] : value;
    const json& right = chain[i + 1] != nullptr ? *chain[i + 1] : value;
    const Cmp c = compare(left, right);
    const bool ok = c == Cmp::equal ? or_equal : (ascending ? c == Cmp::less : c == Cmp::greater);
    if (!ok) return false;
  }
  return true;
}

bool is_fixed_comparison(const Node& node) noexcept {
  if (dynamic_cast<const RelationalNode*>(&node) == nullptr && dynamic_cast<const EqualityNode*>(&node) == nullptr) {
    return false;
  }
  return std::all_of(node.args().begin(), node.args().end(), [](const NodePtr& arg) {
    const auto* borrowing = dynamic_cast<const BorrowingNode*>(arg.get());
    return arg->literal() != nullptr || (borrowing != nullptr && borrowing->scope_read() != nullptr);
  });
}

std::optional<NumberClause> number_clause(const Node& node) {
  const auto* relational = dynamic_cast<const RelationalNode*>(&node);
  return relational != nullptr ? relational->clause() : std::nullopt;
}

std::optional<BoolClause> bool_equality_clause(const Node& node) {
  const auto* equality = dynamic_cast<const EqualityNode*>(&node);
  return equality != nullptr ? equality->bool_clause() : std::nullopt;
}

std::optional<StringClause> string_equality_clause(const Node& node) {
  const auto* equality = dynamic_cast<const EqualityNode*>(&node);
  return equality != nullptr ? equality->clause() : std::nullopt;
}

const char* summary_of(CmpKind kind) {
  switch (kind) {
    case CmpKind::eq: return "Equal after JavaScript's loose coercion.";
    case CmpKind::strict_eq: return "Equal in type and value.";
    case CmpKind::ne: return "Not loosely equal.";
    case CmpKind::strict_ne: return "Not strictly equal.";
    case CmpKind::lt: return "Less than; with three arguments, a < b < c.";
    case CmpKind::le: return "Less than or equal; with three arguments, a <= b <= c.";
    case CmpKind::gt: return "Greater than.";
    case CmpKind::ge: return "Greater than or equal.";
  }
  return "";
}

void register_compare(OperatorTable& table) {
  for (const CmpKind kind : {CmpKind::eq, CmpKind::strict_eq, CmpKind::ne, CmpKind::strict_ne, CmpKind::lt,
                             CmpKind::le, CmpKind::gt, CmpKind::ge}) {
    table.add({name_of(kind), 2, OperatorInfo::any,
               kind == CmpKind::lt || kind == CmpKind::le ? "[a, b] or [a, b, c]" : "[a, b]", summary_of(kind)},
              compare_factory(kind));
  }
}

}  // namespace knead::logic::detail
