// Control and logic: if / ?:, and, or, !, !!, ?? and preserve.
//
// if, and, or take their arguments as an array written in the rule (a single value or an
// operation is invalid arguments) and evaluate lazily. and/or return the deciding value, as in
// JavaScript; in test position they only compute truthiness.

#include "logic/nodes.hpp"
#include "logic/path_clause.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace knead::logic::detail {

namespace {

constexpr std::size_t kAny = std::numeric_limits<std::size_t>::max();

// {"if": [c1, v1, c2, v2, ..., else]}: a trailing odd argument is the else branch; with no
// branch taken and no else, null.
class IfNode final : public Node {
 public:
  IfNode(std::string op, std::string pointer, std::vector<NodePtr> args)
      : Node(std::move(op), std::move(pointer), std::move(args)) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    const Node* chosen = choose(ctx);
    return chosen != nullptr ? chosen->evaluate(ctx) : Value();
  }
  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    const Node* chosen = choose(ctx);
    return chosen != nullptr && chosen->test(ctx);
  }

 private:
  const Node* choose(Context& ctx) const {
    const auto& a = args();
    std::size_t i = 0;
    for (; i + 1 < a.size(); i += 2) {
      if (a[i]->test(ctx)) return a[i + 1].get();
    }
    return i < a.size() ? a[i].get() : nullptr;
  }
};

class AndOrNode : public CombinationNode {
 public:
  AndOrNode(bool is_and, std::string pointer, std::vector<NodePtr> args)
      : CombinationNode(is_and ? "and" : "or", std::move(pointer), std::move(args)), is_and_(is_and) {}
  [[nodiscard]] Combination combination() const noexcept override {
    return is_and_ ? Combination::all : Combination::any;
  }

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    const auto& a = args();
    if (a.empty()) return Value(json(false));
    for (std::size_t i = 0; i + 1 < a.size(); ++i) {
      Value v = a[i]->evaluate(ctx);
      if (truthy(*v) != is_and_) return v;
    }
    return a.back()->evaluate(ctx);
  }
  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    return test_args(ctx);
  }

 protected:
  [[nodiscard]] bool test_args(Context& ctx) const {
    for (const auto& arg : args()) {
      if (arg->test(ctx) != is_and_) return !is_and_;
    }
    return is_and_ && !args().empty();
  }

 private:
  bool is_and_;
};

// {"or": [{"in": ["desk", {"cat": ["", {"var": "occupation"}]}]}, {"in": ["office", ...]}, ...]}:
// words searched for in one field's text. The field is read once, not once per word. A node of
// its own, so that every other and/or stays as small as before (a rule set holds many).
class WordSearchNode final : public AndOrNode {
 public:
  struct Search {
    const std::string* needle = nullptr;
    std::uint64_t units = 0;  // the `in`, and its cat with the cat's operands
  };

  // An `or` of `args`: a WordSearchNode when every argument searches the same read's text.
  static NodePtr make_or(std::string pointer, std::vector<NodePtr> args) {
    const TextOfRead* text = nullptr;
    std::vector<Search> searches;
    for (const auto& arg : args) {
      if (args.size() < 2) break;  // one search gains nothing from reading its text once
      Search search;
      const TextOfRead* haystack = nullptr;
      if (!detail::text_search(*arg, search.needle, haystack) ||
          (text != nullptr && !(haystack->read->path.same_as(text->read->path) &&
                                same_fallback(haystack->read->fallback, text->read->fallback)))) {
        text = nullptr;
        break;
      }
      text = haystack;
      search.units = 1 + haystack->units;
      searches.push_back(search);
    }
    if (text == nullptr) return std::make_unique<AndOrNode>(false, std::move(pointer), std::move(args));
    return std::make_unique<WordSearchNode>(std::move(pointer), std::move(args), *text, std::move(searches));
  }

  WordSearchNode(std::string pointer, std::vector<NodePtr> args, const TextOfRead& text, std::vector<Search> searches)
      : AndOrNode(false, std::move(pointer), std::move(args)), text_(&text), searches_(std::move(searches)) {}

  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    // The text each `in` would search, read once; each search charges and counts what the
    // `in` would. A value that is not a string or null is left to the `in`s themselves.
    const json& value = text_->read->read(ctx);
    const auto* text = value.get_ptr<const std::string*>();
    if ((text != nullptr && text->size() <= ctx.limits().max_size) || value.is_null()) {
      const std::string& haystack = text != nullptr ? *text : empty_text_json().get_ref<const std::string&>();
      for (const Search& search : searches_) {
        ctx.charge(search.units);
        if (text != nullptr) ctx.allocate(text->size());
        if (haystack.find(*search.needle) != std::string::npos) return true;
      }
      return false;
    }
    return test_args(ctx);
  }

 private:
  static bool same_fallback(const json* a, const json* b) noexcept {
    return a == b || (a != nullptr && b != nullptr && *a == *b);
  }

  const TextOfRead* text_;  // the text every argument searches
  std::vector<Search> searches_;
};

// ! and !!: the truthiness of the first argument (none counts as null). A single operation
// argument is one value, never spread: {"!!": {"var": "list"}} tests the list itself.
class NotNode final : public CombinationNode {
 public:
  NotNode(bool negate, std::string pointer, std::vector<NodePtr> args)
      : CombinationNode(negate ? "!" : "!!", std::move(pointer), std::move(args)),
        negate_(negate),
        arg_(Node::args().empty() ? nullptr : Node::args()[0].get()) {}

  [[nodiscard]] Combination combination() const noexcept override {
    return negate_ ? Combination::negate : Combination::truth;
  }
  [[nodiscard]] Value evaluate(Context& ctx) const override { return Value(json(test(ctx))); }
  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    const bool t = arg_ != nullptr && arg_->test(ctx);
    return t != negate_;
  }

 private:
  bool negate_;
  const Node* arg_;
};

// ??: the first operand that is not null, evaluated lazily.
class CoalesceNode final : public Node {
 public:
  CoalesceNode(std::string pointer, Operands operands)
      : Node("??", std::move(pointer), std::move(operands.nodes)), dynamic_(operands.dynamic) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    if (dynamic_) {
      Value spread = args()[0]->evaluate(ctx);
      if (!spread->is_array()) return spread;
      const auto& items = spread->get_ref<const json::array_t&>();
      for (const auto& item : items) {
        ctx.charge();
        if (!item.is_null()) return spread.borrowed() ? Value::ref(item) : Value(json(item));
      }
      return Value();
    }
    for (const auto& arg : args()) {
      Value v = arg->evaluate(ctx);
      if (!v->is_null()) return v;
    }
    return Value();
  }

 private:
  bool dynamic_;
};

NodePtr make_if(Compiler& compiler, const json& args, const std::string& pointer, const char* op) {
  return std::make_unique<IfNode>(op, pointer, compile_array_args(compiler, args, pointer, op, 0, kAny));
}

NodePtr make_not(Compiler& compiler, const json& args, const std::string& pointer, bool negate) {
  const char* op = negate ? "!" : "!!";
  std::vector<NodePtr> nodes;
  if (args.is_array()) {
    for (std::size_t i = 0; i < args.size(); ++i) nodes.push_back(compiler.compile(args[i], arg_pointer(pointer, op, i)));
  } else {
    nodes.push_back(compiler.compile(args, arg_pointer(pointer, op)));
  }
  return std::make_unique<NotNode>(negate, pointer, std::move(nodes));
}

}  // namespace

bool is_choice(const Node& node) noexcept { return dynamic_cast<const IfNode*>(&node) != nullptr; }

void register_control(OperatorTable& table) {
  table.add({"if", 0, kAny, "[condition, then, (condition, then)..., else?]",
             "The value of the first branch whose condition is truthy."},
            [](Compiler& c, const json& args, const std::string& p) { return make_if(c, args, p, "if"); });
  table.add({"?:", 0, kAny, "[condition, then, else]", "The same as if."},
            [](Compiler& c, const json& args, const std::string& p) { return make_if(c, args, p, "?:"); });
  const OperatorInfo and_op{"and", 0, kAny, "[value...]", "The first falsy argument, or the last one."};
  table.add(and_op, [](Compiler& c, const json& args, const std::string& p) -> NodePtr {
    return std::make_unique<AndOrNode>(true, p, compile_array_args(c, args, p, "and", 0, kAny));
  });
  const OperatorInfo or_op{"or", 0, kAny, "[value...]", "The first truthy argument, or the last one."};
  table.add(or_op, [](Compiler& c, const json& args, const std::string& p) -> NodePtr {
    return WordSearchNode::make_or(p, compile_array_args(c, args, p, "or", 0, kAny));
  });
  table.add({"!", 0, kAny, "value or [value]", "True when the (first) value is falsy."},
            [](Compiler& c, const json& args, const std::string& p) { return make_not(c, args, p, true); });
  table.add({"!!", 0, kAny, "value or [value]", "True when the (first) value is truthy."},
            [](Compiler& c, const json& args, const std::string& p) { return make_not(c, args, p, false); });
  const OperatorInfo coalesce{"??", 0, kAny, "[value...]", "The first argument that is not null."};
  table.add(coalesce, [](Compiler& c, const json& args, const std::string& p) -> NodePtr {
    return std::make_unique<CoalesceNode>(p, compile_operands(c, args, p, "??"));
  });
  // preserve: its argument is data, never evaluated ({"preserve": {"var": "x"}} is that object).
  table.add({"preserve", 1, 1, "value", "The argument as data, not evaluated."},
            [](Compiler& c, const json& args, const std::string& p) { return c.literal(args, p); });
}

}  // namespace knead::logic::detail
