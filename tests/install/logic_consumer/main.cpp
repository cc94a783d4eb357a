// Evaluates JsonLogic through knead::logic alone, with an operator the application adds itself.
#include <knead/logic.hpp>

#include <iostream>
#include <vector>

namespace {

// {"twice": x} is 2 * x: an application operator, added without touching the core.
class Twice final : public knead::logic::Node {
 public:
  Twice(std::string pointer, knead::logic::NodePtr arg) : Node("twice", std::move(pointer)) { arg_ = std::move(arg); }
  knead::logic::Value evaluate(knead::logic::Context& ctx) const override {
    ctx.charge();
    return nlohmann::json(2 * arg_->evaluate(ctx)->get<double>());
  }

 private:
  knead::logic::NodePtr arg_;
};

}  // namespace

int main() {
  knead::logic::OperatorTable table = knead::logic::OperatorTable::standard();
  table.add("twice", [](knead::logic::Compiler& c, const nlohmann::json& args, const std::string& p) {
    return knead::logic::NodePtr(std::make_unique<Twice>(p, c.compile(args, p + "/twice")));
  });
  const auto program =
      knead::logic::Program::compile(nlohmann::json::parse(R"({"<": [10, {"twice": {"var": "x"}}]})"), table);
  const bool fires = program.test(nlohmann::json::parse(R"({"x": 6})"));
  try {
    (void)knead::logic::apply(nlohmann::json::parse(R"({"/": [1, 0]})"), nullptr);
  } catch (const knead::logic::Error& e) {
    std::cout << "error code: " << e.code() << "\n";
  }
  // Rules evaluated together, on data packed once.
  const auto set = knead::logic::ProgramSet::compile(
      {nlohmann::json::parse(R"({">": [{"var": "x"}, 5]})"), nlohmann::json::parse(R"({"<": [{"var": "x"}, 5]})")},
      table);
  std::vector<std::size_t> matched;
  set.matches(knead::logic::PackedData(nlohmann::json::parse(R"({"x": 6})")), matched);
  std::cout << "logic only: rule fires: " << std::boolalpha << fires << "; rules matched: " << matched.size() << "\n";
  return fires && matched == std::vector<std::size_t>{0} ? 0 : 1;
}
