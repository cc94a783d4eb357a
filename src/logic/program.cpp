#include <knead/logic.hpp>

#include "logic/coerce.hpp"

#include <string>

namespace knead::logic {

Program Program::compile(const nlohmann::json& rule, const OperatorTable& operators, const Limits& limits) {
  Compiler compiler(operators, limits);
  NodePtr root = compiler.compile(rule, "");
  return Program(std::shared_ptr<const Node>(std::move(root)), limits);
}

namespace {

// Data from a caller may nest without bound; copying or printing it would recurse that deep.
void check_data(const nlohmann::json& data) {
  if (data.is_structured() && detail::exceeds_depth(data, detail::kMaxDataDepth)) {
    throw Error::limit("limit.depth", "data nested more than " + std::to_string(detail::kMaxDataDepth) + " levels deep");
  }
}

}  // namespace

nlohmann::json Program::evaluate(const nlohmann::json& data, const Host* host) const {
  check_data(data);
  Context ctx(data, host, limits_);
  // Released while the tree and data are alive: a borrowed result is copied here.
  return root_->evaluate(ctx).release();
}

bool Program::test(const nlohmann::json& data, const Host* host) const {
  check_data(data);
  Context ctx(data, host, limits_);
  return root_->test(ctx);
}

nlohmann::json apply(const nlohmann::json& rule, const nlohmann::json& data) {
  return Program::compile(rule).evaluate(data);
}

}  // namespace knead::logic
