#pragma once
// The stages before evaluate (load_text -> check -> compile) run on a rule set given as text, as
// the library runs them; the test fails, showing the diagnostics, when a stage finds a problem.
// For the stage tests that start after compile.

#include "support/catch.hpp"

#include "check/checker.hpp"
#include "compile/compile.hpp"
#include "load/loader.hpp"

#include <memory>
#include <string>

namespace knead::testing {

inline std::shared_ptr<detail::CompiledRuleSet> compile_text(const std::string& text, const LoadOptions& options = {}) {
  auto loaded = detail::load_text(text, "rules.json", ParseLimits{});
  REQUIRE(loaded.diagnostics.empty());
  auto checked = detail::check(loaded.documents);
  std::string found;
  for (const auto& d : checked.diagnostics) found += d.to_string() + "\n";
  INFO(found);
  REQUIRE_FALSE(checked.has_errors());
  auto out = detail::compile(checked, loaded.documents, options);
  REQUIRE(out);
  return out;
}

}  // namespace knead::testing
