// Strings: in, cat, substr.
//
// Values become strings the JavaScript way (numbers as JS prints them, arrays joined with ",").
// substr counts Unicode code points, not bytes: "héllo" has 5 characters. (JavaScript counts
// UTF-16 code units, which differs only for characters outside the Basic Multilingual Plane,
// such as most emoji: those count as one here and two in JS. Cutting by code point never
// splits a character, so the result is always valid UTF-8.)

#include "logic/coerce.hpp"
#include "logic/nodes.hpp"
#include "logic/path.hpp"
#include "logic/path_clause.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <cstring>
#include <optional>
#include <string_view>

namespace knead::logic::detail {

namespace {

// Length in bytes of the UTF-8 sequence starting at s[i]; invalid bytes count as one.
std::size_t sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = 1;
  if (c >= 0xC0 && c <= 0xDF) len = 2;
  else if (c >= 0xE0 && c <= 0xEF) len = 3;
  else if (c >= 0xF0 && c <= 0xF7) len = 4;
  if (i + len > s.size()) return 1;
  for (std::size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 1;
  }
  return len;
}

std::size_t count_code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); i += sequence_length(s, i)) ++n;
  return n;
}

// Byte offset of the code point `index` (clamped to the end).
std::size_t byte_offset(std::string_view s, std::size_t index) noexcept {
  std::size_t i = 0;
  for (std::size_t k = 0; k < index && i < s.size(); ++k) i += sequence_length(s, i);
  return i;
}

// JS ToIntegerOrInfinity, clamped into [-limit, limit].
long double integer_of(const json& v) noexcept {
  Number n;
  if (!to_number(v, n)) return 0;
  if (n.is_int) return static_cast<long double>(n.i);
  if (std::isnan(n.d)) return 0;
  return std::trunc(static_cast<long double>(n.d));
}

// A set of strings written in the rule, searched without touching the rule's JSON: short
// lists are one buffer of (length, bytes) entries scanned linearly (comparing lengths first);
// long ones are sorted and searched by bisection.
class StringSet {
 public:
  explicit StringSet(const json& items) {
    if (items.size() <= kLinearScan) {
      for (const auto& e : items) {
        const auto& s = e.get_ref<const std::string&>();
        const auto n = static_cast<std::uint32_t>(s.size());
        buffer_.append(reinterpret_cast<const char*>(&n), sizeof n);
        buffer_ += s;
      }
      return;
    }
    for (const auto& e : items) sorted_.push_back(e.get<std::string>());
    std::sort(sorted_.begin(), sorted_.end(), [](const std::string& a, const std::string& b) { return compare_keys(a, b) < 0; });
  }

  [[nodiscard]] bool contains(const std::string& s) const noexcept {
    if (sorted_.empty()) {
      std::size_t pos = 0;
      while (pos < buffer_.size()) {
        std::uint32_t n = 0;
        std::memcpy(&n, buffer_.data() + pos, sizeof n);
        pos += sizeof n;
        if (n == s.size() && same_bytes(buffer_.data() + pos, s.data(), n)) return true;
        pos += n;
      }
      return false;
    }
    const auto it = std::lower_bound(sorted_.begin(), sorted_.end(), s,
                                     [](const std::string& a, const std::string& b) { return compare_keys(a, b) < 0; });
    return it != sorted_.end() && compare_keys(*it, s) == 0;
  }

 private:
  static constexpr std::size_t kLinearScan = 8;
  std::string buffer_;
  std::vector<std::string> sorted_;
};

// {"in": [needle, haystack]}: membership in an array (strict equality) or substring of a string.
class InNode final : public Node {
 public:
  InNode(std::string pointer, Operands operands)
      : Node("in", std::move(pointer), std::move(operands.nodes)),
        dynamic_(operands.dynamic),
        needle_reader_(*args()[0]),
        haystack_reader_(args().size() > 1 ? *args()[1] : *args()[0]) {
    if (dynamic_ || args().size() != 2) return;
    // The two common shapes get their own paths: a haystack written as a list of strings
    // ({"in": [{"var": "x"}, ["a", "b"]]}) and a needle written as a string
    // ({"in": ["a", {"var": "list"}]}).
    const json* hay = args()[1]->literal();
    if (hay != nullptr && hay->is_array() &&
        std::all_of(hay->begin(), hay->end(), [](const json& e) { return e.is_string(); })) {
      set_ = std::make_unique<StringSet>(*hay);
      return;
    }
    const json* needle = args()[0]->literal();
    if (needle != nullptr && needle->is_string()) {
      needle_ = needle->get<std::string>();
      literal_needle_ = true;
    }
  }

  [[nodiscard]] Value evaluate(Context& ctx) const override { return Value(json(test(ctx))); }

  /// The written needle and the TextOfRead haystack, when it is {"in": ["text", <TextOfRead>]}.
  [[nodiscard]] const TextOfRead* text_search(const std::string*& needle) const noexcept {
    if (!literal_needle_ || dynamic_) return nullptr;
    needle = &needle_;
    return text_of_read(*args()[1]);
  }

  /// {"in": ["text", <fixed read>]} or {"in": [<fixed read>, ["text", ...]]} as a StringClause.
  [[nodiscard]] std::optional<StringClause> clause() const {
    if (set_ != nullptr) {
      const auto* needle = dynamic_cast<const BorrowingNode*>(args()[0].get());
      const ScopeRead* read = needle != nullptr ? needle->scope_read() : nullptr;
      if (read == nullptr) return std::nullopt;
      StringClause clause{StringClause::Kind::equals, false, {}, read};
      for (const auto& text : *args()[1]->literal()) clause.texts.push_back(text.get_ref<const std::string&>());
      return clause;
    }
    if (!literal_needle_) return std::nullopt;
    const auto* haystack = dynamic_cast<const BorrowingNode*>(args()[1].get());
    const ScopeRead* read = haystack != nullptr ? haystack->scope_read() : nullptr;
    if (read == nullptr) return std::nullopt;
    return StringClause{StringClause::Kind::some, false, {needle_}, read};
  }

  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    if (literal_needle_) {
      std::optional<Value> hold_haystack;
      const json& haystack = haystack_reader_.read(ctx, hold_haystack);
      if (const auto* items = haystack.get_ptr<const json::array_t*>()) {
        ctx.charge(items->size());
        for (const auto& e : *items) {
          const auto* s = e.get_ptr<const std::string*>();
          if (s != nullptr && same_string(*s, needle_)) return true;
        }
        return false;
      }
      return contains(ctx, *args()[0]->literal(), haystack);
    }
    if (dynamic_) {
      const OperandValues operands(*this, true, ctx);
      if (operands.size() != 2) fail_invalid("'in' takes 2 arguments", pointer());
      return contains(ctx, operands[0], operands[1]);
    }
    std::optional<Value> hold_needle;
    const json& needle = needle_reader_.read(ctx, hold_needle);
    if (set_ != nullptr) {
      ctx.charge();
      const auto* s = needle.get_ptr<const std::string*>();
      return s != nullptr && set_->contains(*s);
    }
    std::optional<Value> hold_haystack;
    return contains(ctx, needle, haystack_reader_.read(ctx, hold_haystack));
  }

 private:
  bool contains(Context& ctx, const json& needle, const json& haystack) const {
    if (haystack.is_array()) {
      const auto& items = haystack.get_ref<const json::array_t&>();
      ctx.charge(items.size());
      if (needle.is_string()) {
        const std::string& s = needle.get_ref<const std::string&>();
        return std::any_of(items.begin(), items.end(), [&](const json& e) {
          const auto* x = e.get_ptr<const std::string*>();
          return x != nullptr && same_string(*x, s);
        });
      }
      return std::any_of(items.begin(), items.end(), [&](const json& e) { return strict_equals(needle, e); });
    }
    if (haystack.is_string()) {
      const std::string& h = haystack.get_ref<const std::string&>();
      if (needle.is_string()) return h.find(needle.get_ref<const std::string&>()) != std::string::npos;
      std::string n;
      if (!append_js_string(n, needle, ctx.limits().max_size)) fail_size(n.size(), ctx.limits().max_size, pointer());
      return h.find(n) != std::string::npos;
    }
    return false;
  }

  bool dynamic_;
  bool literal_needle_ = false;
  ArgReader needle_reader_;
  ArgReader haystack_reader_;
  std::string needle_;               // the needle when written as a string
  std::unique_ptr<StringSet> set_;   // the haystack when written as a list of strings
};

class CatNode final : public Node {
 public:
  CatNode(std::string pointer, Operands operands)
      : Node("cat", std::move(pointer), std::move(operands.nodes)), dynamic_(operands.dynamic) {
    if (dynamic_) return;
    // {"cat": ["", {"var": "occupation"}]}, the way rules turn a field into a string before
    // searching it: one operand between empty texts. Its result, when a string, is the join.
    std::size_t others = 0;
    for (std::size_t i = 0; i < args().size(); ++i) {
      const json* literal = args()[i]->literal();
      if (literal != nullptr && literal->is_string() && literal->get_ref<const std::string&>().empty()) continue;
      sole_ = i;
      ++others;
    }
    if (others != 1) {
      sole_ = kNone;
      return;
    }
    // Of a fixed read, callers that read the text in place (ArgReader) charge what this would.
    const auto* borrowing = dynamic_cast<const BorrowingNode*>(args()[sole_].get());
    text_.read = borrowing != nullptr ? borrowing->scope_read() : nullptr;
    text_.units = 1 + args().size();
  }

  [[nodiscard]] const TextOfRead* text_of_read() const noexcept { return text_.read != nullptr ? &text_ : nullptr; }

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    const std::size_t max = ctx.limits().max_size;
    if (sole_ != kNone) {
      // The empty texts charge a unit each, as evaluating them would; the string the operand
      // gives (read from the data, most often) is the result as it is, with no copy.
      ctx.charge(sole_);
      Value v = args()[sole_]->evaluate(ctx);
      const std::size_t after = args().size() - sole_ - 1;
      if (const auto* s = v->get_ptr<const std::string*>(); s != nullptr && s->size() <= max) {
        ctx.charge(after);
        ctx.allocate(s->size());
        return v;
      }
      if (v->is_null()) {  // null joins as ""
        ctx.charge(after);
        return Value::ref(empty_text_json());
      }
      std::string out;
      if (!append_js_string(out, *v, max, true)) fail_size(out.size(), max, pointer());
      ctx.charge(after);
      ctx.allocate(out.size());
      return Value(json(std::move(out)));
    }
    std::string out;
    for_each_operand(*this, dynamic_, ctx, [&](const json& v, std::size_t, std::size_t) {
      // null joins as "" (Array.prototype.join), not "null".
      if (!append_js_string(out, v, max, true)) fail_size(out.size(), max, pointer());
    });
    ctx.allocate(out.size());
    return Value(json(std::move(out)));
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  bool dynamic_;
  std::size_t sole_ = kNone;  // the one operand that is not an empty text, or kNone
  TextOfRead text_;           // when that operand is a fixed read
};

class SubstrNode final : public Node {
 public:
  SubstrNode(std::string pointer, Operands operands)
      : Node("substr", std::move(pointer), std::move(operands.nodes)), dynamic_(operands.dynamic) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    const OperandValues operands(*this, dynamic_, ctx);
    if (operands.size() == 0 || operands.size() > 3) fail_invalid("'substr' takes 1 to 3 arguments", pointer());
    std::string text;
    const std::size_t max = ctx.limits().max_size;
    if (!append_js_string(text, operands[0], max)) fail_size(text.size(), max, pointer());
    ctx.allocate(text.size());
    const auto n = static_cast<long double>(count_code_points(text));
    long double start = operands.size() > 1 ? integer_of(operands[1]) : 0;
    start = start < 0 ? std::max<long double>(0, n + start) : std::min(start, n);
    long double end = n;
    if (operands.size() > 2 && !operands[2].is_null()) {
      const long double length = integer_of(operands[2]);
      end = length < 0 ? std::max(start, n + length) : std::min(n, start + length);
    }
    if (end <= start) return Value(json(""));
    const std::size_t from = byte_offset(text, static_cast<std::size_t>(start));
    const std::size_t to = from + byte_offset(std::string_view(text).substr(from), static_cast<std::size_t>(end - start));
    return Value(json(text.substr(from, to - from)));
  }

 private:
  bool dynamic_;
};

template <class NodeT>
OperatorFactory operands_factory(const char* name, std::size_t min, std::size_t max) {
  return [name, min, max](Compiler& compiler, const json& args, const std::string& pointer) -> NodePtr {
    Operands operands = compile_operands(compiler, args, pointer, name);
    if (!operands.dynamic && (operands.nodes.size() < min || operands.nodes.size() > max)) {
      const std::string expected = min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max);
      fail_invalid(std::string("'") + name + "' takes " + expected + " arguments, got " +
                       std::to_string(operands.nodes.size()),
                   pointer);
    }
    return std::make_unique<NodeT>(pointer, std::move(operands));
  };
}

}  // namespace

const TextOfRead* text_of_read(const Node& node) noexcept {
  const auto* cat = dynamic_cast<const CatNode*>(&node);
  return cat != nullptr ? cat->text_of_read() : nullptr;
}

bool text_search(const Node& node, const std::string*& needle, const TextOfRead*& haystack) noexcept {
  const auto* in = dynamic_cast<const InNode*>(&node);
  haystack = in != nullptr ? in->text_search(needle) : nullptr;
  return haystack != nullptr;
}

std::optional<StringClause> string_in_clause(const Node& node) {
  const auto* in = dynamic_cast<const InNode*>(&node);
  return in != nullptr ? in->clause() : std::nullopt;
}

void register_string(OperatorTable& table) {
  table.add(
      {"in", 2, 2, "[needle, array or string]", "True when the needle is an element of the array or a substring."},
      operands_factory<InNode>("in", 2, 2));
  table.add({"cat", 0, OperatorInfo::any, "[value...]", "The arguments joined as one string."},
            operands_factory<CatNode>("cat", 0, static_cast<std::size_t>(-1)));
  table.add(
      {"substr", 1, 3, "[string, start, length?]", "Part of a string; a negative start or length counts from the end."},
      operands_factory<SubstrNode>("substr", 1, 3));
}

}  // namespace knead::logic::detail
