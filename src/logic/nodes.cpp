#include "logic/nodes.hpp"

#include "logic/coerce.hpp"
#include "base/utf8.hpp"

#include <string>

namespace knead::logic::detail {

std::string pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (const char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string arg_pointer(const std::string& pointer, std::string_view op) {
  return pointer + "/" + pointer_token(op);
}

std::string arg_pointer(const std::string& pointer, std::string_view op, std::size_t index) {
  return pointer + "/" + pointer_token(op) + "/" + std::to_string(index);
}

std::string brief(const json& value) {
  std::string s = value.dump(-1, ' ', false, json::error_handler_t::replace);
  constexpr std::size_t kMax = 60;
  return knead::detail::utf8_truncate(s, kMax + 3);
}

LiteralNode::LiteralNode(json value, std::string pointer)
    : BorrowingNode("", std::move(pointer)), value_(std::move(value)), truthy_(truthy(value_)) {}


Value ArrayNode::evaluate(Context& ctx) const {
  ctx.charge();
  json out = json::array();
  auto& items = out.get_ref<json::array_t&>();
  items.reserve(args().size());
  for (const auto& element : args()) {
    items.push_back(element->evaluate(ctx).release());
    // Arrays built in a loop (reduce) could nest without end: bound the depth, count the bytes.
    if (items.back().is_structured()) check_nesting(items.back(), kMaxDataDepth - 1, pointer());
    ctx.allocate(built_bytes(items.back()));
  }
  return Value(std::move(out));
}

bool ArrayNode::test(Context& ctx) const {
  // Every element is still evaluated: an error in one of them must surface.
  ctx.charge();
  for (const auto& element : args()) (void)element->evaluate(ctx);
  return !args().empty();
}

void fail_invalid(const std::string& detail, std::string_view pointer) {
  throw Error::invalid_arguments(detail, std::string(pointer));
}

void fail_nan(const std::string& detail, std::string_view pointer) { throw Error::nan(detail, std::string(pointer)); }

void fail_size(std::size_t size, std::size_t max, std::string_view pointer) {
  // Callers that stop building at the limit know only that it was crossed, not by how much.
  const std::string what = size > max ? "a result of " + std::to_string(size) : std::string("the result");
  throw Error::limit(
      "limit.size",
      what + " would exceed the size limit of " + std::to_string(max) + " (bytes of a string, elements of an array)",
      std::string(pointer));
}

std::uint64_t built_bytes(const json& value) noexcept {
  if (const auto* s = value.get_ptr<const std::string*>()) return sizeof(json) + s->size();
  if (const auto* a = value.get_ptr<const json::array_t*>()) return sizeof(json) * (1 + a->size());
  if (const auto* o = value.get_ptr<const json::object_t*>()) return (sizeof(json) + 32) * (1 + o->size());
  return sizeof(json);
}

void check_nesting(const json& value, std::size_t max_depth, std::string_view pointer) {
  if (exceeds_depth(value, max_depth)) {
    throw Error::limit("limit.depth", "value nested more than " + std::to_string(max_depth) + " levels deep",
                       std::string(pointer));
  }
}

Operands compile_operands(Compiler& compiler, const json& args, const std::string& pointer, std::string_view op) {
  Operands out;
  if (args.is_array()) {
    out.nodes.reserve(args.size());
    for (std::size_t i = 0; i < args.size(); ++i) {
      out.nodes.push_back(compiler.compile(args[i], arg_pointer(pointer, op, i)));
    }
    return out;
  }
  out.nodes.push_back(compiler.compile(args, arg_pointer(pointer, op)));
  out.dynamic = is_operation(args);
  return out;
}

std::vector<NodePtr> compile_array_args(Compiler& compiler, const json& args, const std::string& pointer,
                                        std::string_view op, std::size_t min, std::size_t max) {
  const std::string name(op);
  if (!args.is_array()) fail_invalid("'" + name + "' takes an array of arguments", pointer);
  if (args.size() < min || args.size() > max) {
    std::string expected = min == max ? std::to_string(min)
                           : max == static_cast<std::size_t>(-1) ? "at least " + std::to_string(min)
                                                                 : std::to_string(min) + " to " + std::to_string(max);
    fail_invalid("'" + name + "' takes " + expected + " argument" + (min == 1 && max == 1 ? "" : "s") + ", got " +
                     std::to_string(args.size()),
                 pointer);
  }
  std::vector<NodePtr> nodes;
  nodes.reserve(args.size());
  for (std::size_t i = 0; i < args.size(); ++i) nodes.push_back(compiler.compile(args[i], arg_pointer(pointer, op, i)));
  return nodes;
}

OperandValues::OperandValues(const Node& node, bool dynamic, Context& ctx) {
  const auto& args = node.args();
  if (dynamic) {
    spread_ = args[0]->evaluate(ctx);
    if (spread_->is_array()) {
      const auto& items = spread_->get_ref<const json::array_t&>();
      ctx.charge(items.size());
      values_.reserve(items.size());
      for (const auto& item : items) values_.push_back(Value::ref(item));
    } else {
      values_.push_back(std::move(spread_));
    }
    return;
  }
  values_.reserve(args.size());
  for (const auto& arg : args) values_.push_back(arg->evaluate(ctx));
}

}  // namespace knead::logic::detail
