#include <knead/logic.hpp>

namespace knead::logic {

Program Program::compile(const nlohmann::json& rule, const OperatorTable& operators, const Limits& limits) {
  Compiler compiler(operators, limits);
  NodePtr root = compiler.compile(rule, "");
  return Program(std::shared_ptr<const Node>(std::move(root)), limits);
}

nlohmann::json Program::evaluate(const nlohmann::json& data, const void* host) const {
  Context ctx(data, host, limits_);
  // Released while the tree and data are alive: a borrowed result is copied here.
  return root_->evaluate(ctx).release();
}

bool Program::test(const nlohmann::json& data, const void* host) const {
  Context ctx(data, host, limits_);
  return root_->test(ctx);
}

nlohmann::json apply(const nlohmann::json& rule, const nlohmann::json& data) {
  return Program::compile(rule).evaluate(data);
}

}  // namespace knead::logic
