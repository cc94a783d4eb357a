// missing and missing_some: which of the given var-style paths find nothing in the data.
//
// {"missing": ["a", "b.c"]} lists the keys whose value is absent, null or "" (as
// json-logic-js does). The keys may come from an expression: a first operand that is an
// array is the list of keys ({"missing": {"merge": [...]}}).
// {"missing_some": [n, keys]} is [] when at least n of the keys are present, else the missing
// ones.

#include "logic/coerce.hpp"
#include "logic/nodes.hpp"
#include "logic/path.hpp"

namespace knead::logic::detail {

namespace {

bool is_missing(Context& ctx, const json& key, std::string_view pointer) {
  ctx.charge();
  std::string text;
  if (!append_js_string(text, key, ctx.limits().max_size, true)) fail_size(text.size(), ctx.limits().max_size, pointer);
  const std::vector<Segment> path = split_dotted(text);
  const json* found = path.empty() ? &ctx.scope() : lookup(ctx.scope(), path);
  return found == nullptr || found->is_null() || (found->is_string() && found->get_ref<const std::string&>().empty());
}

// Appends to `out` the keys of `keys` that are missing; returns how many keys were examined.
std::size_t collect_missing(Context& ctx, const json& keys, json::array_t& out, std::string_view pointer) {
  if (!keys.is_array()) {
    if (is_missing(ctx, keys, pointer)) out.push_back(keys);
    return 1;
  }
  for (const auto& key : keys.get_ref<const json::array_t&>()) {
    if (is_missing(ctx, key, pointer)) out.push_back(key);
  }
  return keys.size();
}

class MissingNode final : public Node {
 public:
  MissingNode(std::string pointer, Operands operands)
      : Node("missing", std::move(pointer), std::move(operands.nodes)), dynamic_(operands.dynamic) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    const OperandValues operands(*this, dynamic_, ctx);
    json out = json::array();
    auto& missing = out.get_ref<json::array_t&>();
    if (operands.size() > 0 && operands[0].is_array()) {
      collect_missing(ctx, operands[0], missing, pointer());
    } else {
      for (std::size_t i = 0; i < operands.size(); ++i) collect_missing(ctx, operands[i], missing, pointer());
    }
    return Value(std::move(out));
  }

 private:
  bool dynamic_;
};

class MissingSomeNode final : public Node {
 public:
  MissingSomeNode(std::string pointer, Operands operands)
      : Node("missing_some", std::move(pointer), std::move(operands.nodes)), dynamic_(operands.dynamic) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    const OperandValues operands(*this, dynamic_, ctx);
    if (operands.size() != 2) fail_invalid("'missing_some' takes [minimum, keys]", pointer());
    Number need;
    if (!to_number(operands[0], need)) {
      fail_invalid("'missing_some' minimum " + brief(operands[0]) + " is not a number", pointer());
    }
    json out = json::array();
    auto& missing = out.get_ref<json::array_t&>();
    const std::size_t examined = collect_missing(ctx, operands[1], missing, pointer());
    const double present = static_cast<double>(examined - missing.size());
    if (present >= need.as_double()) missing.clear();
    return Value(std::move(out));
  }

 private:
  bool dynamic_;
};

}  // namespace

void register_missing(OperatorTable& table) {
  const OperatorInfo missing{"missing", 0, OperatorInfo::any, "[key...] or [[key...]]",
                             "The keys absent from the data (null or \"\" counts as absent)."};
  table.add(missing, [](Compiler& c, const json& args, const std::string& p) -> NodePtr {
    return std::make_unique<MissingNode>(p, compile_operands(c, args, p, "missing"));
  });
  const OperatorInfo missing_some{"missing_some", 2, 2, "[minimum, [key...]]",
                                  "The absent keys, or [] when at least `minimum` are present."};
  table.add(missing_some, [](Compiler& c, const json& args, const std::string& p) -> NodePtr {
    Operands operands = compile_operands(c, args, p, "missing_some");
    if (!operands.dynamic && operands.nodes.size() != 2) fail_invalid("'missing_some' takes [minimum, keys]", p);
    return std::make_unique<MissingSomeNode>(p, std::move(operands));
  });
}

}  // namespace knead::logic::detail
