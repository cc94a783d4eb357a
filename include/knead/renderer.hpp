#pragma once
/// \file
/// The output formats of a recommendation, by name: one table read by the `knead` command and
/// the Python package alike. Adding a format is one entry in src/render/renderers.cpp.

#include <knead/export.hpp>
#include <knead/recommendation.hpp>
#include <knead/rule_set.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace knead {

/// One output format.
struct Renderer {
  /// The render function: the recommendation as the format's text, ending with a newline. With
  /// the rule set, renderings that quote rules use their titles and evidence.
  using Render = std::string (*)(const Recommendation& recommendation, const RuleSet* rules);

  const char* name;     ///< what users type: "text", "json", "cds-hooks"
  const char* summary;  ///< one line for help texts
  Render render;
};

/// Every output format, in the order help texts list them ("text" first: the default).
[[nodiscard]] KNEAD_API const std::vector<Renderer>& renderers();
/// The format called `name`, or nullptr.
[[nodiscard]] KNEAD_API const Renderer* find_renderer(std::string_view name);
/// The formats' names, in order.
[[nodiscard]] KNEAD_API std::vector<std::string> renderer_names();

}  // namespace knead
