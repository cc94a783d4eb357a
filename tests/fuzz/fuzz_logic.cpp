// Fuzz target: a JsonLogic expression compiled and evaluated against data. The input is JSON:
// {"rule": ..., "data": ...} (the layout of the conformance suites' tests), or any other value,
// which is taken as the rule and evaluated against a small fixed patient-like document. Only
// logic::Error may come out; results must be printable.
#include <knead/logic.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

const nlohmann::json& sample_data() {
  static const nlohmann::json data = nlohmann::json::parse(R"({
    "age": 52, "sex": "female", "conditions": ["fibromyalgia", "knee_osteoarthritis"],
    "pain": {"intensity": 6, "locations": ["lower_back", "knee"], "flare": false},
    "findings": [{"id": "varicose_veins", "sites": ["calf"]}], "text": "h\u00e9llo \u4e16\u754c",
    "nested": [[1, [2, [3, null]]], {"a": {"b": {"c": "d"}}}], "n": -0.5, "big": 1e300})");
  return data;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  const nlohmann::json input = nlohmann::json::parse(text, nullptr, false);
  if (input.is_discarded()) return 0;
  const bool paired = input.is_object() && input.contains("rule");
  const nlohmann::json& rule = paired ? input["rule"] : input;
  const nlohmann::json& data = paired && input.contains("data") ? input["data"] : sample_data();

  knead::logic::Limits limits;
  limits.max_work = 200'000;
  limits.max_size = 1U << 20;
  limits.max_memory = 32U << 20;
  try {
    const auto program = knead::logic::Program::compile(rule, knead::logic::OperatorTable::standard(), limits);
    const nlohmann::json result = program.evaluate(data);
    (void)program.test(data);
    // A result may hold strings cut by substr: printing must still work.
    (void)result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const knead::logic::Error& e) {
    (void)e.what();
  }
  return 0;
}
