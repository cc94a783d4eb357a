// The operator vocabulary: one table read by the compiler, lint, the rule-set schema and the docs.
#include "support/catch.hpp"

#include <knead/logic.hpp>
#include <knead/operators.hpp>

#include <fstream>
#include <set>
#include <string>

namespace {

using nlohmann::json;

std::set<std::string> schema_operators() {
  std::ifstream in(std::string(KNEAD_SOURCE_DIR) + "/rules/knead.ruleset.schema.json");
  const json schema = json::parse(in);
  std::set<std::string> out;
  for (const auto& name : schema.at("$defs").at("operation").at("propertyNames").at("enum"))
    out.insert(name.get<std::string>());
  return out;
}

// Compiles {op: [1, 1, ...]} with `n` arguments and evaluates it; true when either raises.
bool raises(const std::string& op, std::size_t n) {
  try {
    const auto program = knead::logic::Program::compile(json{{op, json(std::vector<int>(n, 1))}});
    (void)program.evaluate(json::object());
  } catch (const knead::logic::Error&) {
    return true;
  }
  return false;
}

}  // namespace

TEST_CASE("The rule-set schema lists exactly the operators the compiler knows", "[operators][schema]") {
  std::set<std::string> registry;
  for (const auto& op : knead::condition_operators()) registry.insert(op.name);
  CHECK(schema_operators() == registry);
}

TEST_CASE("Every operator is declared with its arguments and a one-line summary", "[operators]") {
  const auto ops = knead::condition_operators();
  CHECK(ops.size() == knead::logic::OperatorTable::standard().names().size() + 5);
  for (const auto& op : ops) {
    CAPTURE(op.name);
    CHECK(!op.arguments.empty());
    CHECK(!op.summary.empty());
    CHECK(op.summary.find('\n') == std::string::npos);
    CHECK(op.min_args <= op.max_args);
  }
  CHECK(knead::is_domain_operator("pain_location"));
  CHECK(knead::is_domain_operator("condition"));
  CHECK_FALSE(knead::is_domain_operator("var"));
}

TEST_CASE("A standard operator given fewer or more arguments than declared raises an error", "[operators]") {
  for (const auto& op : knead::logic::OperatorTable::standard().infos()) {
    CAPTURE(op.name);
    // Kinds written as a list take a list of arguments; "value" kinds take one value as it is.
    if (op.arguments.front() != '[') continue;
    if (op.min_args > 0) CHECK(raises(op.name, op.min_args - 1));
    if (op.max_args != knead::logic::OperatorInfo::any) CHECK(raises(op.name, op.max_args + 1));
  }
}

TEST_CASE("An application operator added by name alone is listed without a description", "[operators]") {
  knead::logic::OperatorTable table = knead::logic::OperatorTable::standard();
  table.add("twice", knead::logic::OperatorFactory{});
  REQUIRE(table.info("twice") != nullptr);
  CHECK(table.info("twice")->summary.empty());
  REQUIRE(table.info("+") != nullptr);
  CHECK(table.info("+")->summary == "Sum; one argument converts it to a number.");
}
