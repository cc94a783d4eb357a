// Arithmetic: + - * / % and max, min.
//
// Operands go through JS ToNumber (numeric strings, booleans, null); anything that gives NaN,
// division or modulo by zero, and non-finite results raise {"type": "NaN"}. Integer operands
// stay exact int64 while the result fits; integral results come out as JSON integers.

#include "logic/coerce.hpp"
#include "logic/nodes.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

namespace knead::logic::detail {

namespace {

enum class ArithKind { add, sub, mul, div, mod };

Number add(const Number& a, const Number& b) noexcept {
  std::int64_t r = 0;
  if (a.is_int && b.is_int && !__builtin_add_overflow(a.i, b.i, &r)) return Number::of_int(r);
  return Number::of_double(a.as_double() + b.as_double());
}

Number sub(const Number& a, const Number& b) noexcept {
  std::int64_t r = 0;
  if (a.is_int && b.is_int && !__builtin_sub_overflow(a.i, b.i, &r)) return Number::of_int(r);
  return Number::of_double(a.as_double() - b.as_double());
}

Number mul(const Number& a, const Number& b) noexcept {
  std::int64_t r = 0;
  if (a.is_int && b.is_int && !__builtin_mul_overflow(a.i, b.i, &r)) return Number::of_int(r);
  return Number::of_double(a.as_double() * b.as_double());
}

Number negate(const Number& a) noexcept {
  if (a.is_int && a.i != std::numeric_limits<std::int64_t>::min()) return Number::of_int(-a.i);
  return Number::of_double(-a.as_double());
}

bool is_zero(const Number& a) noexcept { return a.is_int ? a.i == 0 : a.d == 0.0; }

Number divide(const Number& a, const Number& b, std::string_view pointer) {
  if (is_zero(b)) fail_nan("division by zero", pointer);
  if (a.is_int && b.is_int && b.i != -1 && a.i % b.i == 0) return Number::of_int(a.i / b.i);
  if (a.is_int && b.is_int && b.i == -1) return negate(a);
  return Number::of_double(a.as_double() / b.as_double());
}

Number modulo(const Number& a, const Number& b, std::string_view pointer) {
  if (is_zero(b)) fail_nan("modulo by zero", pointer);
  if (a.is_int && b.is_int) return Number::of_int(b.i == -1 ? 0 : a.i % b.i);
  return Number::of_double(std::fmod(a.as_double(), b.as_double()));
}

const char* name_of(ArithKind kind) noexcept {
  switch (kind) {
    case ArithKind::add: return "+";
    case ArithKind::sub: return "-";
    case ArithKind::mul: return "*";
    case ArithKind::div: return "/";
    case ArithKind::mod: return "%";
  }
  return "?";
}

class ArithNode final : public Node {
 public:
  ArithNode(ArithKind kind, std::string pointer, Operands operands)
      : Node(name_of(kind), std::move(pointer), std::move(operands.nodes)),
        kind_(kind),
        dynamic_(operands.dynamic) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    Number acc = Number::of_int(kind_ == ArithKind::mul ? 1 : 0);
    std::size_t seen = 0;
    for_each_operand(*this, dynamic_, ctx, [&](const json& v, std::size_t i, std::size_t n) {
      if (i == 0) check_count(n);
      Number x;
      if (!to_number(v, x)) fail_nan(quoted_op(*this) + " operand " + brief(v) + " is not a number", pointer());
      ++seen;
      if (i == 0) {
        acc = first(x, n);
        return;
      }
      switch (kind_) {
        case ArithKind::add: acc = add(acc, x); break;
        case ArithKind::sub: acc = sub(acc, x); break;
        case ArithKind::mul: acc = mul(acc, x); break;
        case ArithKind::div: acc = divide(acc, x, pointer()); break;
        case ArithKind::mod: acc = modulo(acc, x, pointer()); break;
      }
    });
    if (seen == 0) check_count(0);
    if (!acc.is_int && !std::isfinite(acc.d)) fail_nan(quoted_op(*this) + " result is not a finite number", pointer());
    return Value(make_number(acc));
  }

 private:
  void check_count(std::size_t n) const {
    if (n == 0 && (kind_ == ArithKind::sub || kind_ == ArithKind::div)) {
      fail_invalid(quoted_op(*this) + " needs at least one operand", pointer());
    }
    if (n < 2 && kind_ == ArithKind::mod) fail_invalid("'%' needs at least two operands", pointer());
  }

  // The accumulator after the first operand: unary minus negates, unary division inverts.
  Number first(const Number& x, std::size_t n) const {
    if (n == 1 && kind_ == ArithKind::sub) return negate(x);
    if (n == 1 && kind_ == ArithKind::div) return divide(Number::of_int(1), x, pointer());
    switch (kind_) {
      case ArithKind::add: return add(Number::of_int(0), x);
      case ArithKind::mul: return mul(Number::of_int(1), x);
      default: return x;
    }
  }

  ArithKind kind_;
  bool dynamic_;
};

// max and min take numbers only (no coercion) and return the winning operand unchanged.
class MinMaxNode final : public Node {
 public:
  MinMaxNode(bool is_max, std::string pointer, Operands operands)
      : Node(is_max ? "max" : "min", std::move(pointer), std::move(operands.nodes)),
        is_max_(is_max),
        dynamic_(operands.dynamic) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    if (dynamic_) {
      Value spread = args()[0]->evaluate(ctx);
      if (!spread->is_array()) {
        number(*spread);
        return spread;
      }
      const auto& items = spread->get_ref<const json::array_t&>();
      ctx.charge(items.size());
      if (items.empty()) fail_invalid(quoted_op(*this) + " needs at least one number", pointer());
      std::size_t best = 0;
      Number best_n = number(items[0]);
      for (std::size_t i = 1; i < items.size(); ++i) {
        const Number x = number(items[i]);
        if (better(x, best_n)) {
          best = i;
          best_n = x;
        }
      }
      // A borrowed array outlives this call; an owned one does not, so copy the winner out.
      if (spread.borrowed()) return Value::ref(items[best]);
      return Value(json(items[best]));
    }
    if (args().empty()) fail_invalid(quoted_op(*this) + " needs at least one number", pointer());
    Value best = args()[0]->evaluate(ctx);
    Number best_n = number(*best);
    for (std::size_t i = 1; i < args().size(); ++i) {
      Value v = args()[i]->evaluate(ctx);
      const Number x = number(*v);
      if (better(x, best_n)) {
        best = std::move(v);
        best_n = x;
      }
    }
    return best;
  }

 private:
  Number number(const json& v) const {
    Number x;
    if (!number_of(v, x)) fail_invalid(quoted_op(*this) + " operand " + brief(v) + " is not a number", pointer());
    return x;
  }
  bool better(const Number& x, const Number& best) const noexcept {
    if (x.is_int && best.is_int) return is_max_ ? x.i > best.i : x.i < best.i;
    return is_max_ ? x.as_double() > best.as_double() : x.as_double() < best.as_double();
  }

  bool is_max_;
  bool dynamic_;
};

OperatorFactory arith_factory(ArithKind kind) {
  return [kind](Compiler& compiler, const json& args, const std::string& pointer) -> NodePtr {
    Operands operands = compile_operands(compiler, args, pointer, name_of(kind));
    // Arity is checked now when it is visible in the rule ({"%": [1]}, {"-": []}).
    if (!operands.dynamic) {
      const std::size_t n = operands.nodes.size();
      if (kind == ArithKind::mod && n < 2) fail_invalid("'%' needs at least two operands", pointer);
      if ((kind == ArithKind::sub || kind == ArithKind::div) && n == 0) {
        fail_invalid(std::string("'") + name_of(kind) + "' needs at least one operand", pointer);
      }
    }
    return std::make_unique<ArithNode>(kind, pointer, std::move(operands));
  };
}

OperatorFactory min_max_factory(bool is_max) {
  return [is_max](Compiler& compiler, const json& args, const std::string& pointer) -> NodePtr {
    const char* name = is_max ? "max" : "min";
    Operands operands = compile_operands(compiler, args, pointer, name);
    if (!operands.dynamic) {
      if (operands.nodes.empty()) fail_invalid(std::string("'") + name + "' needs at least one number", pointer);
      for (const auto& node : operands.nodes) {
        const json* lit = node->literal();
        if (lit != nullptr && !lit->is_number()) {
          fail_invalid(std::string("'") + name + "' operand " + brief(*lit) + " is not a number", node->pointer());
        }
      }
    }
    return std::make_unique<MinMaxNode>(is_max, pointer, std::move(operands));
  };
}

}  // namespace

void register_arithmetic(OperatorTable& table) {
  constexpr auto any = OperatorInfo::any;
  table.add({"+", 0, any, "[number...]", "Sum; one argument converts it to a number."}, arith_factory(ArithKind::add));
  table.add({"-", 1, any, "[number...]", "Difference; one argument negates it."}, arith_factory(ArithKind::sub));
  table.add({"*", 0, any, "[number...]", "Product."}, arith_factory(ArithKind::mul));
  table.add({"/", 1, any, "[number...]", "Quotient; division by zero is a NaN error."}, arith_factory(ArithKind::div));
  table.add({"%", 2, any, "[number...]", "Remainder."}, arith_factory(ArithKind::mod));
  table.add({"max", 1, any, "[number...]", "The largest number."}, min_max_factory(true));
  table.add({"min", 1, any, "[number...]", "The smallest number."}, min_max_factory(false));
}

}  // namespace knead::logic::detail
