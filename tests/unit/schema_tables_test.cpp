// The JSON Schema's lists of operators and lint codes are the engine's own: an operator or code
// added to the engine must be added to the schema, or editors would mark valid files red.
#include "support/catch.hpp"

#include "compile/domain_operators.hpp"

#include <knead/knead.hpp>
#include <knead/lint.hpp>

#include <fstream>
#include <set>
#include <string>

namespace {

nlohmann::json schema() {
  std::ifstream in(std::string(KNEAD_SOURCE_DIR) + "/rules/knead.ruleset.schema.json");
  return nlohmann::json::parse(in);
}

std::set<std::string> strings(const nlohmann::json& list) {
  std::set<std::string> out;
  for (const auto& s : list) out.insert(s.get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("the schema names exactly the operators the compiler knows", "[schema]") {
  const knead::RuleSet rules = knead::RuleSet::parse(R"({"ruleset": "s", "version": "1.0.0"})");
  const auto names = knead::detail::domain_operators(rules.ontology()).names();
  const auto in_schema = strings(schema()["$defs"]["operation"]["propertyNames"]["enum"]);
  CHECK(in_schema == std::set<std::string>(names.begin(), names.end()));
  for (const auto& op : knead::detail::domain_operator_list()) {
    INFO(op.info.name);
    CHECK(schema()["$defs"]["operation"]["properties"].contains(op.info.name));  // documented for editors
  }
}

TEST_CASE("the schema names exactly the lint codes an acknowledgement may accept", "[schema]") {
  const auto in_schema = strings(schema()["$defs"]["lint_codes"]["items"]["enum"]);
  const auto& codes = knead::lint_codes();
  CHECK(in_schema == std::set<std::string>(codes.begin(), codes.end()));
}
