// Fuzz target: one line of `knead recommend --batch`. Whatever the line holds, its output is
// exactly one line of valid JSON: a result, or an error record naming the line.
#include "commands/cli.hpp"

#include <knead/engine.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

const knead::Engine& engine() {
  static const knead::Engine e{knead::RuleSet::load(KNEAD_FUZZ_RULES_DIR)};
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  std::string line(reinterpret_cast<const char*>(bytes), size);
  // The batch reader splits on '\n' and drops a final '\r'.
  line = line.substr(0, line.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  knead::RecommendOptions options;
  options.explain = size % 2 == 1;
  const std::string out = knead::cli::batch_record(engine(), 7, line, options);
  if (out.empty() || out.find('\n') != std::string::npos) __builtin_trap();
  const nlohmann::json record = nlohmann::json::parse(out, nullptr, false);  // strict UTF-8
  if (record.is_discarded() || !record.is_object()) __builtin_trap();
  if (record.contains("error") && record.value("line", 0) != 7) __builtin_trap();
  return 0;
}
