// A recommendation as CDS Hooks cards. Cards are what a busy clinician sees in the EHR, so they
// say things in words (labels, not ids), one card per kind of message rather than one per item,
// and carry the citations in their detail.

#include <knead/render.hpp>

#include "base/utf8.hpp"

#include <uuid/uuid.h>

#include <algorithm>
#include <set>

namespace knead {
namespace {

using ojson = nlohmann::ordered_json;

// The namespace of knead's card ids (a fixed, randomly drawn UUID): with it, RFC 4122 name-based
// (SHA-1, version 5) ids are the same for the same result, wherever it is rendered.
constexpr const char* kCardNamespace = "6b1f3c3e-58a4-4c1e-9a57-2f3d8c1e7a90";

std::string card_uuid(const std::string& name) {
  uuid_t ns;
  uuid_t out;
  uuid_parse(kCardNamespace, ns);
  uuid_generate_sha1(out, ns, name.data(), name.size());
  char text[37];
  uuid_unparse_lower(out, text);
  return text;
}

// CDS Hooks asks for summaries under 140 characters.
std::string shorten(std::string s) {
  return detail::utf8_truncate(s, 139);  // whole UTF-8 characters, then "..."
}

// "emergency_department" -> "emergency department".
std::string words(std::string id) {
  std::replace(id.begin(), id.end(), '_', ' ');
  return id;
}

std::string urgency_words(Urgency u) {
  switch (u) {
    case Urgency::emergency: return "now (emergency)";
    case Urgency::same_day: return "today";
    case Urgency::urgent: return "within days";
    case Urgency::routine: return "routinely";
  }
  return "";
}

std::string join(const std::vector<std::string>& items, std::size_t at_most) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < at_most; ++i) out += (i == 0 ? "" : ", ") + items[i];
  if (items.size() > at_most) out += " and " + std::to_string(items.size() - at_most) + " more";
  return out;
}

class CardWriter {
 public:
  CardWriter(const Recommendation& r, const RuleSet* rules) : r_(r), rules_(rules) {}

  void add(const std::string& kind, const std::string& summary, const char* indicator, std::string detail,
           const std::vector<Text>& because, bool overridable) {
    detail += sources(because);
    ojson c;
    std::string key = r_.ruleset_digest + "|" + r_.patient + "|" + kind;
    for (const auto& b : because) key += "|" + b;
    c["uuid"] = card_uuid(key);
    c["summary"] = shorten(summary);
    c["indicator"] = indicator;
    c["detail"] = detail;
    c["source"] = {{"label", source_label()}};
    if (overridable) {
      c["overrideReasons"] = ojson::array({{{"code", "physician-clearance"}, {"display", "Physician clearance obtained"}}});
    }
    cards_.push_back(std::move(c));
  }

  ojson take() { return std::move(cards_); }

  // Short and readable ("knead-default 0.1.0"); the citations are in the detail.
  std::string source_label() const {
    const std::string set = r_.ruleset_name + " " + r_.ruleset_version;
    return r_.ruleset_name.str().rfind("knead", 0) == 0 ? set : "knead: " + set;
  }

 private:
  // "Sources:" with the title and evidence of each rule behind the card, once each.
  std::string sources(const std::vector<Text>& because) const {
    if (rules_ == nullptr) return {};
    std::string out;
    std::set<std::string> seen;
    for (const auto& id : because) {
      if (!seen.insert(id).second) continue;
      for (const auto& rule : rules_->rules()) {
        if (rule.id != id || !rule.evidence || rule.evidence->source.empty()) continue;
        out += "\n- " + (rule.title.empty() ? rule.id : rule.title) + ": " + rule.evidence->source;
      }
    }
    return out.empty() ? out : "\n\nSources:" + out;
  }

  const Recommendation& r_;
  const RuleSet* rules_;
  ojson cards_ = ojson::array();
};

}  // namespace

nlohmann::ordered_json to_cds_hooks(const Recommendation& r, const RuleSet* rules) {
  CardWriter cards(r, rules);
  for (const auto& f : r.referrals) {
    const bool stop = stops_treatment(f.urgency);
    cards.add("refer:" + f.to,
              (stop ? "No massage today: refer to " : "Refer to ") + words(f.to) + " " + urgency_words(f.urgency),
              f.urgency == Urgency::routine ? "info" : "critical", f.reason, f.because.texts(), false);
  }
  if (r.status == Status::error) {
    std::string detail = "A safety rule could not be evaluated, so nothing is recommended.";
    for (const auto& e : r.errors) detail += "\n- rule `" + e.rule + "`: " + e.message;
    cards.add("error", "Recommendation unavailable: a safety rule failed", "critical", detail, {}, false);
  }
  if (!r.unresolved.empty()) {
    // Status review: someone has to look at what could not be read before relying on the rest.
    std::string detail = "These parts of the record could not be read, so the suggestion is kept conservative until "
                         "someone checks them:\n";
    for (const auto& u : r.unresolved) {
      detail += "- `" + u.field + "`: " + (u.message.empty() ? "could not be read" : u.message);
      if (!u.input.empty() && u.message.str().find(u.input) == std::string::npos) detail += " (\"" + u.input + "\")";
      detail += "\n";
    }
    const std::string summary = r.unresolved.size() == 1
                                    ? "Check the record: \"" + r.unresolved.front().input + "\" could not be read"
                                    : "Check the record: " + std::to_string(r.unresolved.size()) + " entries could not be read";
    cards.add("review", summary, "warning", detail, {}, false);
  }
  if (!r.questions.empty()) {
    std::string detail;
    std::vector<Text> because;
    for (const auto& q : r.questions) {
      detail += "- " + q.question + "\n";
      because.insert(because.end(), q.because.begin(), q.because.end());
    }
    std::string summary = "Ask before treating: " + r.questions.front().question;
    if (r.questions.size() > 1) summary += " (and " + std::to_string(r.questions.size() - 1) + " more)";
    cards.add("questions", summary, "warning", detail, because, false);
  }
  if (!r.excluded.empty()) {
    std::vector<std::string> labels;
    std::vector<Text> because;
    std::string detail;
    for (const auto& e : r.excluded) {
      labels.push_back(e.label);
      detail += "- **" + e.label + "**: " + e.reason + "\n";
      because.insert(because.end(), e.because.begin(), e.because.end());
    }
    cards.add("excluded", "Do not use " + join(labels, 3), "warning", detail, because, true);
  }
  if (!r.avoid_regions.empty()) {
    std::vector<std::string> avoid;
    std::vector<std::string> care;
    std::vector<Text> because;
    std::string detail;
    for (const auto& a : r.avoid_regions) {
      const bool veto = a.level == AvoidLevel::contraindicated;
      (veto ? avoid : care).push_back(a.label);
      detail += std::string("- ") + (veto ? "Do not treat" : "Take care with") + " the **" + a.label + "**: " + a.reason + "\n";
      because.insert(because.end(), a.because.begin(), a.because.end());
    }
    std::string summary;
    if (!avoid.empty()) summary = "Do not treat: " + join(avoid, 3);
    if (!care.empty()) summary += (summary.empty() ? "Take care with: " : "; take care with: ") + join(care, 2);
    cards.add("regions", summary, "warning", detail, because, true);
  }
  if (!r.cautions.empty()) {
    std::string detail;
    std::vector<Text> because;
    for (const auto& c : r.cautions) {
      detail += "- " + c.reason + "\n";
      because.insert(because.end(), c.because.begin(), c.because.end());
    }
    cards.add("cautions", r.cautions.size() == 1 ? "Caution: " + r.cautions.front().reason
                                                 : std::to_string(r.cautions.size()) + " cautions for this session",
              "warning", detail, because, false);
  }
  std::string notes;
  for (const auto& w : r.warnings) notes += "- " + w + "\n";
  if ((r.status == Status::ok || r.status == Status::review) && !r.modalities.empty()) {
    std::string detail;
    std::vector<Text> because;
    for (const auto& m : r.modalities) {
      detail += "- **" + m.label + "**, " + std::string(to_string(m.pressure)) + " pressure\n";
      because.insert(because.end(), m.because.begin(), m.because.end());
    }
    for (const auto& s : r.self_care) {
      detail += "- Self-care: **" + s.label + "**: " + s.instructions + "\n";
      because.insert(because.end(), s.because.begin(), s.because.end());
    }
    if (r.plan) {
      detail += "- Plan:";
      if (r.plan->duration_min) detail += " " + std::to_string(*r.plan->duration_min) + " min";
      if (r.plan->sessions_per_week) detail += ", " + std::to_string(*r.plan->sessions_per_week) + " a week";
      if (r.plan->weeks) detail += ", for " + std::to_string(*r.plan->weeks) + " weeks";
      detail += "\n";
    }
    if (!notes.empty()) detail += "\nNotes on the record:\n" + notes;
    notes.clear();
    cards.add("plan", "Suggested: " + r.modalities.front().label + " at " +
                          std::string(to_string(r.modalities.front().pressure)) + " pressure",
              "info", detail, because, false);
  }
  if (!notes.empty()) cards.add("notes", "Notes on how the record was read", "info", notes, {}, false);

  ojson out;
  out["cards"] = cards.take();
  // Which rule set answered, for audit (CDS Hooks response extension).
  out["extension"] = {{"knead.status", std::string(to_string(r.status))},
                      {"knead.ruleset",
                       {{"name", r.ruleset_name}, {"version", r.ruleset_version}, {"digest", r.ruleset_digest}}}};
  return out;
}

}  // namespace knead
