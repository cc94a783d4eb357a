// Programs: the compiled tree, borrowing of values, thread safety and application operators.

#include "support/catch.hpp"

#include <knead/logic.hpp>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

using nlohmann::json;
using knead::logic::Compiler;
using knead::logic::Context;
using knead::logic::Error;
using knead::logic::Limits;
using knead::logic::Node;
using knead::logic::NodePtr;
using knead::logic::OperatorTable;
using knead::logic::Program;
using knead::logic::Value;

namespace {

// An application's host: the tags its operator reads.
struct Tags : knead::logic::Host {
  static const char kHostKind;
  explicit Tags(std::vector<std::string> given) : Host(&kHostKind), list(std::move(given)) {}
  std::vector<std::string> list;
};
const char Tags::kHostKind = 0;

// Another application's host, of another kind.
struct Clock : knead::logic::Host {
  static const char kHostKind;
  Clock() : Host(&kHostKind) {}
};
const char Clock::kHostKind = 0;

// An application operator: {"has_tag": "x"} is true when the host's tag list contains "x".
class HasTagNode final : public Node {
 public:
  HasTagNode(std::string pointer, std::vector<NodePtr> args) : Node("has_tag", std::move(pointer), std::move(args)) {}
  [[nodiscard]] Value evaluate(Context& ctx) const override { return Value(json(test(ctx))); }
  [[nodiscard]] bool test(Context& ctx) const override {
    ctx.charge();
    const auto* tags = ctx.host_as<Tags>();
    const Value wanted = args()[0]->evaluate(ctx);
    if (tags == nullptr || !wanted->is_string()) return false;
    for (const auto& t : tags->list) {
      if (t == wanted->get<std::string>()) return true;
    }
    return false;
  }
};

OperatorTable with_has_tag() {
  OperatorTable table = OperatorTable::standard();
  table.add("has_tag", [](Compiler& compiler, const json& args, const std::string& pointer) -> NodePtr {
    if (args.is_array() || args.is_object()) throw Error::invalid_arguments("'has_tag' takes one tag", pointer);
    std::vector<NodePtr> nodes;
    nodes.push_back(compiler.compile(args, pointer + "/has_tag"));
    return std::make_unique<HasTagNode>(pointer, std::move(nodes));
  });
  return table;
}

Value evaluate_root(const Program& program, const json& data, Context& ctx) {
  (void)data;
  return program.root().evaluate(ctx);
}

}  // namespace

TEST_CASE("The compiled tree exposes operators, arguments, pointers and literals", "[logic][program]") {
  const auto program = Program::compile(json::parse(R"({"and": [{">=": [{"var": "age"}, 65]}, true]})"));
  const Node& root = program.root();
  CHECK(root.op() == "and");
  CHECK(root.pointer().empty());
  REQUIRE(root.args().size() == 2);
  const Node& ge = *root.args()[0];
  CHECK(ge.op() == ">=");
  CHECK(ge.pointer() == "/and/0");
  REQUIRE(ge.args().size() == 2);
  CHECK(ge.args()[0]->op() == "var");
  CHECK(ge.args()[0]->pointer() == "/and/0/>=/0");
  REQUIRE(ge.args()[0]->args().size() == 1);
  CHECK(*ge.args()[0]->args()[0]->literal() == "age");
  CHECK(*ge.args()[1]->literal() == 65);
  CHECK(root.args()[1]->literal() != nullptr);
  CHECK(root.literal() == nullptr);
}

TEST_CASE("Values borrow data and literals and own computed results", "[logic][program]") {
  const json data = json::parse(R"({"a": {"b": [1, 2, 3]}})");
  const Limits limits;

  const auto var = Program::compile(json::parse(R"({"var": "a.b"})"));
  Context ctx(data, nullptr, limits);
  const Value borrowed = evaluate_root(var, data, ctx);
  CHECK(borrowed.borrowed());
  CHECK(&*borrowed == &data["a"]["b"]);

  const auto literal = Program::compile(json::parse(R"({"preserve": {"k": [1]}})"));
  Context ctx2(data, nullptr, limits);
  const Value lit = literal.root().evaluate(ctx2);
  CHECK(lit.borrowed());
  CHECK(&*lit == literal.root().literal());

  const auto sum = Program::compile(json::parse(R"({"+": [1, 2]})"));
  Context ctx3(data, nullptr, limits);
  Value owned = sum.root().evaluate(ctx3);
  CHECK_FALSE(owned.borrowed());
  CHECK(std::move(owned).release() == 3);

  // max over a borrowed array borrows the winning element.
  const auto max = Program::compile(json::parse(R"({"max": {"var": "a.b"}})"));
  Context ctx4(data, nullptr, limits);
  const Value best = max.root().evaluate(ctx4);
  CHECK(best.borrowed());
  CHECK(&*best == &data["a"]["b"][2]);

  // A borrowed value releases as a copy; the data is untouched.
  Context ctx5(data, nullptr, limits);
  json copy = var.root().evaluate(ctx5).release();
  copy.push_back(4);
  CHECK(data["a"]["b"].size() == 3);
}

TEST_CASE("Scopes are pushed and popped around iterator bodies", "[logic][program]") {
  const json data = json::parse(R"({"xs": [10, 20]})");
  const Limits limits;
  Context ctx(data, nullptr, limits);
  CHECK(&ctx.scope() == &data);
  CHECK(ctx.depth() == 0);
  {
    const knead::logic::ScopeGuard guard(ctx, data["xs"][1], 1);
    CHECK(ctx.scope() == 20);
    CHECK(ctx.index_up(0) == 1);
    CHECK(&ctx.scope_up(1) == &data);
    CHECK(&ctx.scope_up(7) == &data);
    CHECK(ctx.index_up(1) == -1);
    CHECK(ctx.index_up(9) == -1);
  }
  CHECK(&ctx.scope() == &data);
  // Deeper than the inline storage: the stack grows.
  for (int i = 0; i < 100; ++i) ctx.push_scope(data["xs"][0], i);
  CHECK(ctx.depth() == 100);
  CHECK(ctx.index_up(0) == 99);
  CHECK(&ctx.scope_up(100) == &data);
  for (int i = 0; i < 100; ++i) ctx.pop_scope();
  CHECK(&ctx.scope() == &data);
  ctx.pop_scope();  // never pops the root
  CHECK(&ctx.scope() == &data);
}

TEST_CASE("One program evaluates correctly from four threads at once", "[logic][program][threads]") {
  const auto program = Program::compile(json::parse(
      R"({"and": [{"<": [18, {"var": "age"}, 65]}, {"some": [{"var": "tags"}, {"in": [{"var": ""}, ["a", "c"]]}]},
                  {"!": {"in": ["x", {"var": "tags"}]}}]})"));
  std::vector<json> patients;
  std::vector<bool> expected;
  for (int i = 0; i < 200; ++i) {
    json p;
    p["age"] = i % 90;
    p["tags"] = json::array();
    if (i % 3 == 0) p["tags"].push_back("a");
    if (i % 5 == 0) p["tags"].push_back("x");
    if (i % 7 == 0) p["tags"].push_back("c");
    patients.push_back(p);
    const int age = i % 90;
    expected.push_back(age > 18 && age < 65 && (i % 3 == 0 || i % 7 == 0) && i % 5 != 0);
  }
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        for (std::size_t i = 0; i < patients.size(); ++i) {
          const std::size_t k = (i + static_cast<std::size_t>(t) * 37) % patients.size();
          if (program.test(patients[k]) != expected[k]) ++mismatches;
          if (program.evaluate(patients[k]) != json(static_cast<bool>(expected[k]))) ++mismatches;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(mismatches == 0);
}

TEST_CASE("An application adds its own operator to a copy of the standard table", "[logic][program]") {
  const OperatorTable table = with_has_tag();
  const auto program = Program::compile(json::parse(R"({"and": [{"has_tag": "vip"}, {">": [{"var": "n"}, 1]}]})"), table);
  const Tags tags({"new", "vip"});
  const Tags none({});
  const json data = json::parse(R"({"n": 2})");
  CHECK(program.test(data, &tags));
  CHECK_FALSE(program.test(data, &none));
  CHECK(program.evaluate(data, &tags) == true);
  // The operator gets its host back typed; a host of another kind, or none, reads as no tags.
  const Clock clock;
  CHECK(tags.as<Tags>() == &tags);
  CHECK(clock.as<Tags>() == nullptr);
  CHECK_FALSE(program.test(data, &clock));
  CHECK_FALSE(program.test(data));
  CHECK(program.root().args()[0]->op() == "has_tag");

  // The standard table is unchanged, and suggestions know the new name.
  CHECK(OperatorTable::standard().find("has_tag") == nullptr);
  CHECK(table.find("has_tag") != nullptr);
  try {
    (void)Program::compile(json::parse(R"({"has_tags": "x"})"), table);
    FAIL("compiled");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "unknown operator 'has_tags'; did you mean 'has_tag'?");
  }
  try {
    (void)Program::compile(json::parse(R"({"or": [false, {"has_tag": [1, 2]}]})"), table);
    FAIL("compiled");
  } catch (const Error& e) {
    CHECK(e.pointer() == "/or/1");
    CHECK(e.code() == "logic.invalid_arguments");
  }
}

TEST_CASE("An application may replace a standard operator in its copy", "[logic][program]") {
  OperatorTable table = OperatorTable::standard();
  table.add("cat", [](Compiler& compiler, const json&, const std::string& pointer) {
    return compiler.literal(json("replaced"), pointer);
  });
  CHECK(Program::compile(json::parse(R"({"cat": ["a", "b"]})"), table).evaluate(json()) == "replaced");
  CHECK(Program::compile(json::parse(R"({"cat": ["a", "b"]})")).evaluate(json()) == "ab");
  CHECK(table.names().size() == OperatorTable::standard().names().size());
}

TEST_CASE("The standard table lists every classic and community operator", "[logic][program]") {
  const auto names = OperatorTable::standard().names();
  for (const char* op : {"var", "missing", "missing_some", "if", "?:", "==", "===", "!=", "!==", "!", "!!", "or", "and",
                         "<", "<=", ">", ">=", "max", "min", "+", "-", "*", "/", "%", "map", "filter", "reduce", "all",
                         "some", "none", "merge", "in", "cat", "substr", "val", "exists", "??", "try", "throw",
                         "preserve"}) {
    CAPTURE(op);
    CHECK(std::find(names.begin(), names.end(), op) != names.end());
  }
  CHECK(std::is_sorted(names.begin(), names.end()));
}

TEST_CASE("Programs are cheap to copy and share their tree", "[logic][program]") {
  const auto a = Program::compile(json::parse(R"({"var": "x"})"));
  const Program b = a;  // NOLINT(performance-unnecessary-copy-initialization)
  CHECK(&a.root() == &b.root());
  CHECK(b.evaluate(json::parse(R"({"x": 1})")) == 1);
  CHECK(a.limits().max_depth == Limits{}.max_depth);
}
