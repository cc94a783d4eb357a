// Errors as values: try and throw.
//
// {"throw": "Some error"} raises {"type": "Some error"}; an object is raised as it is.
// {"try": [a, b, c]} returns the first alternative that does not raise. While b (and then c)
// is evaluated, the error just caught is the current scope, so {"val": "type"} reads its type.
// When the last alternative raises, that error propagates. Only JsonLogic errors are caught
// (NaN, invalid arguments, thrown values): exceeded limits always propagate.

#include "logic/nodes.hpp"

namespace knead::logic::detail {

namespace {

class TryNode final : public Node {
 public:
  TryNode(std::string pointer, std::vector<NodePtr> args) : Node("try", std::move(pointer), std::move(args)) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    const auto& alternatives = args();
    json caught;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      try {
        if (i == 0) return alternatives[0]->evaluate(ctx);
        const ScopeGuard scope(ctx, caught);
        // Released here: the result may borrow from `caught`, which is replaced or dies.
        return Value(alternatives[i]->evaluate(ctx).release());
      } catch (const Error& e) {
        if (i + 1 == alternatives.size() || !e.catchable()) throw;
        caught = e.value();
      }
    }
    return Value();
  }
};

class ThrowNode final : public Node {
 public:
  ThrowNode(std::string pointer, std::vector<NodePtr> args) : Node("throw", std::move(pointer), std::move(args)) {}

  [[nodiscard]] Value evaluate(Context& ctx) const override {
    ctx.charge();
    throw Error::thrown(args()[0]->evaluate(ctx).release(), std::string(pointer()));
  }
};

}  // namespace

void register_try_throw(OperatorTable& table) {
  const OperatorInfo try_op{"try", 0, OperatorInfo::any, "[expression...]",
                            "The first argument that does not raise an error."};
  table.add(try_op, [](Compiler& c, const json& args, const std::string& p) -> NodePtr {
    std::vector<NodePtr> nodes;
    if (args.is_array()) {
      for (std::size_t i = 0; i < args.size(); ++i) nodes.push_back(c.compile(args[i], arg_pointer(p, "try", i)));
    } else {
      nodes.push_back(c.compile(args, arg_pointer(p, "try")));
    }
    return std::make_unique<TryNode>(p, std::move(nodes));
  });
  const OperatorInfo throw_op{"throw", 1, 1, "value or [value]", "Raises an error; a string s raises {\"type\": s}."};
  table.add(throw_op, [](Compiler& c, const json& args, const std::string& p) -> NodePtr {
    std::vector<NodePtr> nodes;
    if (args.is_array()) {
      if (args.size() != 1) fail_invalid("'throw' takes one value", p);
      nodes.push_back(c.compile(args[0], arg_pointer(p, "throw", 0)));
    } else {
      nodes.push_back(c.compile(args, arg_pointer(p, "throw")));
    }
    return std::make_unique<ThrowNode>(p, std::move(nodes));
  });
}

}  // namespace knead::logic::detail
