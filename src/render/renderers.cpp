#include <knead/render.hpp>
#include <knead/renderer.hpp>

namespace knead {
namespace {

std::string render_text(const Recommendation& r, const RuleSet* rules) { return to_text(r, rules); }
std::string render_json(const Recommendation& r, const RuleSet*) { return to_json(r, 2) + '\n'; }
std::string render_cds_hooks(const Recommendation& r, const RuleSet* rules) {
  return to_cds_hooks(r, rules).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n';
}

}  // namespace

const std::vector<Renderer>& renderers() {
  static const std::vector<Renderer> table = {
      {"text", "a note a therapist can act on: what to do, what to avoid, whom to refer to, and why", render_text},
      {"json", "the recommendation as JSON (same input, same bytes)", render_json},
      {"cds-hooks", "a CDS Hooks response: cards for referrals, exclusions and the treatment", render_cds_hooks},
  };
  return table;
}

const Renderer* find_renderer(std::string_view name) {
  for (const auto& r : renderers()) {
    if (name == r.name) return &r;
  }
  return nullptr;
}

std::vector<std::string> renderer_names() {
  std::vector<std::string> out;
  for (const auto& r : renderers()) out.emplace_back(r.name);
  return out;
}

}  // namespace knead
