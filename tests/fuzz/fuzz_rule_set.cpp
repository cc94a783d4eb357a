// Fuzz target: a rule set loaded from bytes (parse, check, compile), then linted. Any input
// must end in a rule set or a LoadError; nothing else may escape, crash or hang.
#include <knead/error.hpp>
#include <knead/lint.hpp>
#include <knead/rule_set.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  knead::LoadOptions options;
  options.logic.max_work = 100'000;
  try {
    const knead::RuleSet rules = knead::RuleSet::parse(text, "<fuzz>", options);
    (void)knead::lint(rules);
  } catch (const knead::LoadError& e) {
    if (e.diagnostics().empty()) __builtin_trap();  // a load error must say why
  }
  return 0;
}
