// Iterators and arrays: map, filter, reduce, all, some, none, merge.
//
// The iterators take [collection, body] (reduce: [collection, body, initial]) written as an
// array in the rule. The body runs with each element as the current scope (reduce: the scope
// is {"current": element, "accumulator": value}). Following the conformance suites:
// - a collection written as a non-array literal ({"map": [null, ...]}) is invalid arguments;
// - at evaluation, map/filter/reduce treat a non-array (a missing variable) as empty, while
//   all/some/none raise invalid arguments for it;
// - all over [] is false, some false, none true;
// - a literal null body of map or filter is invalid arguments.

#include "logic/nodes.hpp"
#include "logic/path_clause.hpp"
#include "logic/sharing.hpp"

#include <limits>
#include <optional>

namespace knead::logic::detail {

namespace {

enum class IterKind { map, filter, reduce, all, some, none };

const char* name_of(IterKind kind) noexcept {
  switch (kind) {
    case IterKind::map: return "map";
    case IterKind::filter: return "filter";
    case IterKind::reduce: return "reduce";
    case IterKind::all: return "all";
    case IterKind::some: return "some";
    case IterKind::none: return "none";
  }
  return "?";
}

class MapNode final : public Node {
 public:
  MapNode(std::string pointer, std::vector<NodePtr> args) : Node("map", std::move(pointer), std::move(args)) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    const Value collection = args()[0]->evaluate(ctx);
    json out = json::array();
    if (!collection->is_array()) return Value(std::move(out));
    const auto& items = collection->get_ref<const json::array_t&>();
    auto& results = out.get_ref<json::array_t&>();
    results.reserve(items.size());
    const Node& body = *args()[1];
    for (std::size_t i = 0; i < items.size(); ++i) {
      ctx.charge();
      const ScopeGuard scope(ctx, items[i], static_cast<std::int64_t>(i));
      // Released inside the loop: the result may borrow from the element or its scope.
      results.push_back(body.evaluate(ctx).release());
      ctx.allocate(built_bytes(results.back()));
    }
    return Value(std::move(out));
  }
};

class FilterNode final : public Node {
 public:
  FilterNode(std::string pointer, std::vector<NodePtr> args) : Node("filter", std::move(pointer), std::move(args)) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    Value collection = args()[0]->evaluate(ctx);
    json out = json::array();
    if (!collection->is_array()) return Value(std::move(out));
    auto& results = out.get_ref<json::array_t&>();
    if (collection.borrowed()) {
      const auto& items = collection->get_ref<const json::array_t&>();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (keep(ctx, items[i], i)) {
          results.push_back(items[i]);
          ctx.allocate(built_bytes(results.back()));
        }
      }
    } else {
      // An array computed for us: move the kept elements instead of copying them.
      json owned = std::move(collection).release();
      auto& items = owned.get_ref<json::array_t&>();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (keep(ctx, items[i], i)) results.push_back(std::move(items[i]));
      }
    }
    return Value(std::move(out));
  }

 private:
  bool keep(Context& ctx, const json& item, std::size_t i) const {
    ctx.charge();
    const ScopeGuard scope(ctx, item, static_cast<std::int64_t>(i));
    return args()[1]->test(ctx);
  }
};

class ReduceNode final : public Node {
 public:
  ReduceNode(std::string pointer, std::vector<NodePtr> args) : Node("reduce", std::move(pointer), std::move(args)) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    Value collection = args()[0]->evaluate(ctx);
    Value initial = args().size() > 2 ? args()[2]->evaluate(ctx) : Value();
    if (!collection->is_array()) return initial;
    const auto& items = collection->get_ref<const json::array_t&>();
    if (items.empty()) return initial;

    json accumulator = std::move(initial).release();
    json frame = json::object();
    // References into the object's map nodes stay valid while the frame lives.
    json& current_slot = frame["current"];
    json& accumulator_slot = frame["accumulator"];
    const Node& body = *args()[1];
    for (std::size_t i = 0; i < items.size(); ++i) {
      ctx.charge();
      current_slot = items[i];
      accumulator_slot = std::move(accumulator);
      const ScopeGuard scope(ctx, frame, static_cast<std::int64_t>(i));
      // Released before the frame changes: the result may borrow from it.
      accumulator = body.evaluate(ctx).release();
    }
    return Value(std::move(accumulator));
  }
};

class QuantifierNode final : public Node {
 public:
  QuantifierNode(IterKind kind, std::string pointer, std::vector<NodePtr> args)
      : Node(name_of(kind), std::move(pointer), std::move(args)),
        kind_(kind),
        collection_(*Node::args()[0]),
        body_(Node::args()[1].get()) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override { return Value(json(test(ctx))); }

  /// {"some": [<fixed read>, {"in": [{"var": ""}, ["text", ...]]}]} (or none, all) as a
  /// StringClause.
  [[nodiscard]] std::optional<StringClause> clause() const {
    const auto* collection = dynamic_cast<const BorrowingNode*>(args()[0].get());
    const ScopeRead* read = collection != nullptr ? collection->scope_read() : nullptr;
    if (read == nullptr) return std::nullopt;
    const Node* body = body_;
    if (const auto* shared = dynamic_cast<const SharedNode*>(body)) body = &shared->target();
    auto element = string_in_clause(*body);
    // The body must test the element itself against its texts.
    if (!element || element->kind != StringClause::Kind::equals || !element->read->path.empty()) return std::nullopt;
    element->kind = kind_ == IterKind::some   ? StringClause::Kind::some
                    : kind_ == IterKind::none ? StringClause::Kind::none
                                              : StringClause::Kind::all;
    element->read = read;
    return element;
  }

  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    std::optional<Value> holder;
    const json& collection = collection_.read(ctx, holder);
    const auto* array = collection.get_ptr<const json::array_t*>();
    if (array == nullptr) fail_invalid(quoted_op(*this) + " needs an array, got " + brief(collection), pointer());
    const auto& items = *array;
    if (items.empty()) return kind_ == IterKind::none;
    const Node& body = *body_;
    for (std::size_t i = 0; i < items.size(); ++i) {
      ctx.charge();
      const ScopeGuard scope(ctx, items[i], static_cast<std::int64_t>(i));
      const bool t = body.test(ctx);
      if (kind_ == IterKind::all && !t) return false;
      if (kind_ != IterKind::all && t) return kind_ == IterKind::some;
    }
    return kind_ != IterKind::some;
  }

 private:
  IterKind kind_;
  ArgReader collection_;
  const Node* body_;
};

class MergeNode final : public Node {
 public:
  MergeNode(std::string pointer, Operands operands)
      : Node("merge", std::move(pointer), std::move(operands.nodes)), dynamic_(operands.dynamic) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    json out = json::array();
    auto& results = out.get_ref<json::array_t&>();
    const std::size_t max = ctx.limits().max_size;
    for_each_operand(*this, dynamic_, ctx, [&](const json& v, std::size_t, std::size_t) {
      if (v.is_array()) {
        const auto& items = v.get_ref<const json::array_t&>();
        ctx.charge(items.size());
        if (results.size() + items.size() > max) fail_size(results.size() + items.size(), max, pointer());
        results.insert(results.end(), items.begin(), items.end());
        for (const auto& item : items) ctx.allocate(built_bytes(item));
      } else {
        if (results.size() + 1 > max) fail_size(results.size() + 1, max, pointer());
        results.push_back(v);
        ctx.allocate(built_bytes(v));
      }
    });
    return Value(std::move(out));
  }

 private:
  bool dynamic_;
};

OperatorFactory iter_factory(IterKind kind) {
  return [kind](Compiler& compiler, const json& args, const std::string& pointer) -> NodePtr {
    const char* name = name_of(kind);
    auto nodes = compile_array_args(compiler, args, pointer, name, 2, kind == IterKind::reduce ? 3 : 2);
    const json* collection = nodes[0]->literal();
    if (collection != nullptr && !collection->is_array()) {
      fail_invalid(std::string("'") + name + "' needs an array, got " + brief(*collection), nodes[0]->pointer());
    }
    const json* body = nodes[1]->literal();
    if ((kind == IterKind::map || kind == IterKind::filter) && body != nullptr && body->is_null()) {
      fail_invalid(std::string("'") + name + "' needs an expression to apply, got null", nodes[1]->pointer());
    }
    switch (kind) {
      case IterKind::map: return std::make_unique<MapNode>(pointer, std::move(nodes));
      case IterKind::filter: return std::make_unique<FilterNode>(pointer, std::move(nodes));
      case IterKind::reduce: return std::make_unique<ReduceNode>(pointer, std::move(nodes));
      default: return std::make_unique<QuantifierNode>(kind, pointer, std::move(nodes));
    }
  };
}

}  // namespace

std::optional<StringClause> string_quantifier_clause(const Node& node) {
  const auto* quantifier = dynamic_cast<const QuantifierNode*>(&node);
  return quantifier != nullptr ? quantifier->clause() : std::nullopt;
}

const char* summary_of(IterKind kind) {
  switch (kind) {
    case IterKind::map: return "The expression's value for each element.";
    case IterKind::filter: return "The elements for which the expression is truthy.";
    case IterKind::reduce: return "Folds the elements: the expression sees \"current\" and \"accumulator\".";
    case IterKind::all: return "True when the array is non-empty and the expression holds for every element.";
    case IterKind::some: return "True when the expression holds for some element.";
    case IterKind::none: return "True when the expression holds for no element.";
  }
  return "";
}

void register_array(OperatorTable& table) {
  for (const IterKind kind :
       {IterKind::map, IterKind::filter, IterKind::reduce, IterKind::all, IterKind::some, IterKind::none}) {
    const bool reduce = kind == IterKind::reduce;
    table.add({name_of(kind), 2, reduce ? 3U : 2U, reduce ? "[array, expression, initial]" : "[array, expression]",
               summary_of(kind)},
              iter_factory(kind));
  }
  const OperatorInfo merge{"merge", 0, OperatorInfo::any, "[value...]",
                           "One array of the arguments, arrays flattened one level."};
  table.add(merge, [](Compiler& c, const json& args, const std::string& p) -> NodePtr {
    return std::make_unique<MergeNode>(p, compile_operands(c, args, p, "merge"));
  });
}

}  // namespace knead::logic::detail
