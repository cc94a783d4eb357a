// Reading data: var, val, exists.
//
// var (classic): {"var": "a.b.0"} splits the path on dots; {"var": ["a.b", default]} gives the
// default when the path finds nothing (a present null stays null); "" or null is the whole
// current scope. The path may be computed: {"var": {"cat": ["pie.", "filling"]}}.
//
// val (community spec): {"val": "a.b"} is the single key "a.b" (no splitting);
// {"val": ["a", "b", 0]} walks keys and indices; {"val": []} is the current scope.
// [[n], ...] first climbs n scopes (the sign is ignored; it clamps at the root):
// {"val": [[1], "x"]} reads x of the enclosing scope. [[n], "index"] is the iteration index
// n - 1 levels up, so {"val": [[1], "index"]} inside map is the current element's index.
//
// exists: true when the val-style path finds something, even null.
//
// Literal paths are split once at compile time; reads borrow from the data (no copies).

#include "logic/coerce.hpp"
#include "logic/nodes.hpp"
#include "logic/path.hpp"

#include <cmath>

namespace knead::logic::detail {

namespace {

// A var path computed by an expression: {"var": {"cat": ["pie.", "filling"]}}.
const json* find_computed(Context& ctx, const Node& path_node, std::string_view pointer) {
  const Value path = path_node.evaluate(ctx);
  if (path->is_null() || (path->is_string() && path->get_ref<const std::string&>().empty())) return &ctx.scope();
  std::string text;
  if (!append_js_string(text, *path, ctx.limits().max_size)) fail_size(text.size(), ctx.limits().max_size, pointer);
  return lookup(ctx.scope(), split_dotted(text));
}

// var with a constant path and no default or a constant one: the hot path of every rule.
class VarNode final : public BorrowingNode {
 public:
  VarNode(std::string pointer, std::vector<NodePtr> args, std::vector<Segment> path)
      : BorrowingNode("var", std::move(pointer), std::move(args)) {
    read_.path = FixedPath(std::move(path));
    read_.fallback = Node::args().size() > 1 ? Node::args()[1]->literal() : nullptr;
  }

  [[nodiscard]] const json& get(Context& ctx) const override {
    ctx.charge();
    return read_.read(ctx);
  }
  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    return truthy(read_.read(ctx));
  }
  [[nodiscard]] const ScopeRead* scope_read() const noexcept override { return &read_; }

 private:
  ScopeRead read_;
};

// var with a computed path (and no default or a constant one).
class VarComputedNode final : public BorrowingNode {
 public:
  VarComputedNode(std::string pointer, std::vector<NodePtr> args)
      : BorrowingNode("var", std::move(pointer), std::move(args)),
        default_(Node::args().size() > 1 ? Node::args()[1]->literal() : nullptr) {}

  [[nodiscard]] const json& get(Context& ctx) const override {
    ctx.charge();
    if (const json* found = find_computed(ctx, *args()[0], pointer())) return *found;
    return default_ != nullptr ? *default_ : null_json();
  }

 private:
  const json* default_;
};

// var with a computed default, evaluated only when the path finds nothing.
class VarDefaultNode final : public Node {
 public:
  VarDefaultNode(std::string pointer, std::vector<NodePtr> args, bool computed, std::vector<Segment> path)
      : Node("var", std::move(pointer), std::move(args)), computed_(computed), path_(std::move(path)) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    if (const json* found = find(ctx)) return Value::ref(*found);
    return args()[1]->evaluate(ctx);
  }
  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    if (const json* found = find(ctx)) return truthy(*found);
    return args()[1]->test(ctx);
  }

 private:
  const json* find(Context& ctx) const {
    return computed_ ? find_computed(ctx, *args()[0], pointer()) : path_.find(ctx.scope());
  }

  bool computed_;
  FixedPath path_;
};

NodePtr make_var(Compiler& compiler, const json& args, const std::string& pointer) {
  std::vector<NodePtr> nodes;
  if (args.is_array()) {
    for (std::size_t i = 0; i < args.size() && i < 2; ++i) {
      nodes.push_back(compiler.compile(args[i], arg_pointer(pointer, "var", i)));
    }
  } else {
    nodes.push_back(compiler.compile(args, arg_pointer(pointer, "var")));
  }
  // {"var": []} reads the whole scope, like {"var": null}.
  if (nodes.empty()) nodes.push_back(compiler.literal(json(), arg_pointer(pointer, "var")));
  const bool computed_default = nodes.size() > 1 && nodes[1]->literal() == nullptr;
  const json* literal = nodes[0]->literal();
  const bool computed_path = literal == nullptr;
  std::vector<Segment> segments;
  if (!computed_path && !literal->is_null()) {
    // A constant path: split once, now. "" and null are the whole scope.
    std::string text;
    if (!append_js_string(text, *literal, compiler.limits().max_size)) fail_invalid("'var' path is too large", pointer);
    segments = split_dotted(text);
  }
  if (computed_default) {
    return std::make_unique<VarDefaultNode>(pointer, std::move(nodes), computed_path, std::move(segments));
  }
  if (computed_path) return std::make_unique<VarComputedNode>(pointer, std::move(nodes));
  return std::make_unique<VarNode>(pointer, std::move(nodes), std::move(segments));
}

// A val path: an optional climb, then segments. `index_of` marks [[n], "index"].
struct ValPath {
  std::size_t climb = 0;
  bool climbs = false;
  bool index_of = false;
  bool valid = true;  // false when a segment can match nothing (a boolean or object segment)
  std::vector<Segment> segments;
};

ValPath parse_val_path(const json* const* parts, std::size_t count) {
  ValPath out;
  std::size_t start = 0;
  if (count > 0 && parts[0]->is_array() && parts[0]->size() == 1 && (*parts[0])[0].is_number()) {
    const double levels = std::fabs((*parts[0])[0].get<double>());
    out.climbs = true;
    out.climb = levels >= 1e9 ? static_cast<std::size_t>(1e9) : static_cast<std::size_t>(levels);
    start = 1;
    out.index_of = count == 2 && parts[1]->is_string() && parts[1]->get_ref<const std::string&>() == "index" &&
                   out.climb >= 1;
  }
  for (std::size_t i = start; i < count; ++i) {
    if (parts[i]->is_null()) continue;  // null steps are skipped
    Segment seg;
    if (!segment_of(*parts[i], seg)) {
      out.valid = false;
      continue;
    }
    out.segments.push_back(std::move(seg));
  }
  return out;
}

// Resolves a parsed val path in the context. `index_holder` receives the iteration index for
// [[n], "index"] (the returned pointer then points to it).
const json* resolve_val(Context& ctx, const ValPath& path, json& index_holder) {
  if (path.index_of) {
    const std::int64_t index = ctx.index_up(path.climb - 1);
    if (index >= 0) {
      index_holder = index;
      return &index_holder;
    }
  }
  if (!path.valid) return nullptr;
  const json& from = path.climbs ? ctx.scope_up(path.climb) : ctx.scope();
  return lookup(from, path.segments);
}

// val and exists share the path handling; `exists_` turns the result into a boolean.
class ValNode final : public Node {
 public:
  enum class Form { fixed, dynamic_list, dynamic_single };

  ValNode(bool exists, std::string pointer, std::vector<NodePtr> args, Form form, ValPath path)
      : Node(exists ? "exists" : "val", std::move(pointer), std::move(args)),
        exists_(exists),
        form_(form),
        path_(std::move(path)) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    json index_holder;
    const json* found = find(ctx, index_holder);
    if (exists_) return Value(json(found != nullptr));
    if (found == nullptr) return Value();
    if (found == &index_holder) return Value(std::move(index_holder));
    return Value::ref(*found);
  }

  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    json index_holder;
    const json* found = find(ctx, index_holder);
    if (exists_) return found != nullptr;
    return found != nullptr && truthy(*found);
  }

 private:
  const json* find(Context& ctx, json& index_holder) const {
    if (form_ == Form::fixed) return resolve_val(ctx, path_, index_holder);
    if (form_ == Form::dynamic_single) {
      const Value v = args()[0]->evaluate(ctx);
      if (v->is_array()) {
        std::vector<const json*> parts;
        for (const auto& e : *v) parts.push_back(&e);
        return resolve_val(ctx, parse_val_path(parts.data(), parts.size()), index_holder);
      }
      const json* part = &*v;
      return resolve_val(ctx, parse_val_path(&part, 1), index_holder);
    }
    std::vector<Value> values;
    values.reserve(args().size());
    for (const auto& arg : args()) values.push_back(arg->evaluate(ctx));
    std::vector<const json*> parts;
    for (const auto& v : values) parts.push_back(&*v);
    return resolve_val(ctx, parse_val_path(parts.data(), parts.size()), index_holder);
  }

  bool exists_;
  Form form_;
  ValPath path_;
};

// val with a constant path that reads data (not an iteration index): always borrows.
class ValFixedNode final : public BorrowingNode {
 public:
  ValFixedNode(std::string pointer, std::vector<NodePtr> args, const ValPath& path)
      : BorrowingNode("val", std::move(pointer), std::move(args)),
        valid_(path.valid),
        climbs_(path.climbs),
        climb_(path.climb) {
    read_.path = FixedPath(path.segments);
  }

  [[nodiscard]] const json& get(Context& ctx) const override {
    ctx.charge();
    if (!valid_) return null_json();
    if (!climbs_) return read_.read(ctx);
    const json* found = read_.path.find(ctx.scope_up(climb_));
    return found != nullptr ? *found : null_json();
  }
  [[nodiscard]] const ScopeRead* scope_read() const noexcept override {
    return valid_ && !climbs_ ? &read_ : nullptr;
  }

 private:
  bool valid_;
  bool climbs_;
  std::size_t climb_;
  ScopeRead read_;
};

NodePtr make_fixed_val(bool exists, std::string pointer, std::vector<NodePtr> nodes, ValPath path) {
  if (!exists && !path.index_of) {
    return std::make_unique<ValFixedNode>(std::move(pointer), std::move(nodes), path);
  }
  return std::make_unique<ValNode>(exists, std::move(pointer), std::move(nodes), ValNode::Form::fixed, std::move(path));
}

OperatorFactory val_factory(bool exists) {
  return [exists](Compiler& compiler, const json& args, const std::string& pointer) -> NodePtr {
    const char* name = exists ? "exists" : "val";
    std::vector<NodePtr> nodes;
    if (!args.is_array()) {
      if (args.is_object() && !is_operation(args)) {
        fail_invalid(std::string("'") + name + "' takes a key or a list of keys", pointer);
      }
      nodes.push_back(compiler.compile(args, arg_pointer(pointer, name)));
      if (nodes[0]->literal() == nullptr) {
        return std::make_unique<ValNode>(exists, pointer, std::move(nodes), ValNode::Form::dynamic_single, ValPath{});
      }
      const json* part = nodes[0]->literal();
      ValPath path = part->is_null() ? ValPath{} : parse_val_path(&part, 1);
      return make_fixed_val(exists, pointer, std::move(nodes), std::move(path));
    }
    bool constant = true;
    for (std::size_t i = 0; i < args.size(); ++i) {
      nodes.push_back(compiler.compile(args[i], arg_pointer(pointer, name, i)));
      constant = constant && nodes.back()->literal() != nullptr;
    }
    if (!constant) {
      return std::make_unique<ValNode>(exists, pointer, std::move(nodes), ValNode::Form::dynamic_list, ValPath{});
    }
    std::vector<const json*> parts;
    for (const auto& node : nodes) parts.push_back(node->literal());
    ValPath path = parse_val_path(parts.data(), parts.size());
    return make_fixed_val(exists, pointer, std::move(nodes), std::move(path));
  };
}

}  // namespace

void register_val(OperatorTable& table) {
  table.add({"var", 0, OperatorInfo::any, "path or [path, default]",
             "A field of the data by dotted path (\"pain.intensity\"), or the default."},
            make_var);
  table.add({"val", 0, OperatorInfo::any, "[key...] or [[levels], key...]",
             "A field of the data by a list of keys; [[n], ...] climbs n scopes."},
            val_factory(false));
  table.add({"exists", 0, OperatorInfo::any, "[key...]", "True when the path of keys names a value in the data."},
            val_factory(true));
}

}  // namespace knead::logic::detail
