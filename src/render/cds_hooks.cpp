#include <knead/render.hpp>

#include "util/sha256.hpp"
#include "base/utf8.hpp"

namespace knead {
namespace {

using ojson = nlohmann::ordered_json;

// A stable name-based UUID (RFC 4122 layout, version 5 bits) from the card's content, so the
// same result always gives the same card ids.
std::string stable_uuid(const std::string& name) {
  std::string h = detail::sha256_hex(name).substr(0, 32);
  h[12] = '5';
  const char variant[] = "89ab";
  h[16] = variant[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20, 12);
}

std::string shorten(std::string s) {
  return detail::utf8_truncate(s, 139);
}

std::string source_label(const RuleSet* rules, const std::vector<std::string>& because, const Recommendation& r) {
  if (rules != nullptr) {
    for (const auto& id : because) {
      for (const auto& rule : rules->rules()) {
        if (rule.id == id && rule.evidence && !rule.evidence->source.empty()) return rule.evidence->source;
      }
    }
  }
  return "knead rule set " + r.ruleset_name + " " + r.ruleset_version;
}

ojson card(const Recommendation& r, const RuleSet* rules, const std::string& kind, const std::string& summary,
           const char* indicator, const std::string& detail, const std::vector<std::string>& because) {
  ojson c;
  std::string key = r.ruleset_digest + "|" + r.patient + "|" + kind;
  for (const auto& b : because) key += "|" + b;
  c["uuid"] = stable_uuid(key);
  c["summary"] = shorten(summary);
  c["indicator"] = indicator;
  c["detail"] = detail;
  c["source"] = {{"label", source_label(rules, because, r)}};
  if (std::string(indicator) == "warning") {
    c["overrideReasons"] = ojson::array({{{"code", "physician-clearance"}, {"display", "Physician clearance obtained"}}});
  }
  return c;
}

}  // namespace

nlohmann::ordered_json to_cds_hooks(const Recommendation& r, const RuleSet* rules) {
  ojson cards = ojson::array();
  for (const auto& f : r.referrals) {
    const bool stop = stops_treatment(f.urgency);
    cards.push_back(card(r, rules, "refer:" + f.to, (stop ? "No massage today: refer to " : "Refer to ") + f.to + " (" + std::string(to_string(f.urgency)) + ")",
                         f.urgency == Urgency::routine ? "info" : "critical", f.reason, f.because));
  }
  if (r.status == Status::error) {
    std::string detail = "A safety rule could not be evaluated, so nothing is recommended.";
    for (const auto& e : r.errors) detail += "\n- rule `" + e.rule + "`: " + e.message;
    cards.push_back(card(r, rules, "error", "Recommendation unavailable: a safety rule failed", "critical", detail, {}));
  }
  for (const auto& e : r.excluded) {
    cards.push_back(card(r, rules, "excluded:" + e.id, "Do not use " + e.label, "warning", e.reason, e.because));
  }
  for (const auto& a : r.avoid_regions) {
    cards.push_back(card(r, rules, "region:" + a.id,
                         (a.level == AvoidLevel::contraindicated ? "Do not treat the " : "Take care with the ") + a.label,
                         "warning", a.reason, a.because));
  }
  if (r.status == Status::ok && !r.modalities.empty()) {
    std::string detail;
    std::vector<std::string> because;
    for (const auto& m : r.modalities) {
      detail += "- **" + m.label + "**, " + std::string(to_string(m.pressure)) + " pressure (score " +
                nlohmann::json(m.score).dump() + ")\n";
      because.insert(because.end(), m.because.begin(), m.because.end());
    }
    for (const auto& s : r.self_care) detail += "- Self-care: **" + s.label + "**: " + s.instructions + "\n";
    if (r.plan) {
      detail += "- Plan:";
      if (r.plan->duration_min) detail += " " + std::to_string(*r.plan->duration_min) + " min";
      if (r.plan->sessions_per_week) detail += ", " + std::to_string(*r.plan->sessions_per_week) + "/week";
      if (r.plan->weeks) detail += ", " + std::to_string(*r.plan->weeks) + " weeks";
      detail += "\n";
    }
    cards.push_back(card(r, rules, "plan", "Suggested: " + r.modalities.front().label + " at " +
                                               std::string(to_string(r.modalities.front().pressure)) + " pressure",
                         "info", detail, because));
  }
  return ojson{{"cards", std::move(cards)}};
}

}  // namespace knead
