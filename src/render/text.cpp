#include <knead/render.hpp>

#include "base/utf8.hpp"

#include <algorithm>
#include <ostream>
#include <sstream>

namespace knead {
namespace {

// Every string from a patient or a rule file, as printed: control characters (line breaks,
// terminal escapes) escaped, so that a field cannot fake a line such as "Status: ok".
std::string shown(const std::string& text) { return detail::printable(text); }

const Rule* find_rule(const RuleSet* rules, const std::string& id) {
  if (rules == nullptr) return nullptr;
  for (const auto& r : rules->rules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

// The rules cited so far, in order of first mention: their sources are listed once, at the end,
// so that the note itself stays short enough to act on.
class Citations {
 public:
  explicit Citations(const RuleSet* rules) : rules_(rules) {}

  // "Gentle Swedish massage for sleep in fibromyalgia (moderate evidence)", or the id.
  std::string why(const std::string& id) {
    const Rule* r = find_rule(rules_, id);
    if (r == nullptr) return id;
    if (std::find(cited_.begin(), cited_.end(), r) == cited_.end()) cited_.push_back(r);
    std::string out = r->title.empty() ? r->id : r->title;
    if (r->evidence) out += " (" + grade_words(r->evidence->grade) + ")";
    return out;
  }

  // One reason per line: "why: first" then the others aligned under it.
  void list(std::ostream& out, const char* indent, const char* label, const TextList& ids) {
    std::string pad(std::string(indent).size() + std::string(label).size(), ' ');
    for (std::size_t i = 0; i < ids.size(); ++i) {
      out << (i == 0 ? std::string(indent) + label : pad) << shown(why(ids[i])) << "\n";
    }
  }

  void sources(std::ostream& out) const {
    bool any = false;
    for (const Rule* r : cited_) {
      if (!r->evidence || r->evidence->source.empty()) continue;
      if (!any) out << "\nSources:\n";
      any = true;
      out << "  - " << shown(r->title.empty() ? r->id : r->title) << ": " << shown(r->evidence->source) << "\n";
    }
  }

 private:
  static std::string grade_words(EvidenceGrade g) {
    switch (g) {
      case EvidenceGrade::high: return "high-quality evidence";
      case EvidenceGrade::moderate: return "moderate evidence";
      case EvidenceGrade::low: return "low-quality evidence";
      case EvidenceGrade::very_low: return "very low-quality evidence";
      case EvidenceGrade::consensus: return "clinical consensus";
    }
    return "";
  }

  const RuleSet* rules_;
  std::vector<const Rule*> cited_;
};

std::string urgency_words(Urgency u) {
  switch (u) {
    case Urgency::emergency: return "EMERGENCY, now";
    case Urgency::same_day: return "today";
    case Urgency::urgent: return "within days";
    case Urgency::routine: return "routine";
  }
  return "";
}

}  // namespace

std::string to_text(const Recommendation& r, const RuleSet* rules) {
  std::ostringstream out;
  Citations cite(rules);
  out << "Patient " << (r.patient.empty() ? "(no id)" : shown(r.patient)) << " - rules " << shown(r.ruleset_name) << " "
      << shown(r.ruleset_version) << "\n";
  switch (r.status) {
    case Status::ok: out << "Status: ok - treatment can go ahead as below.\n"; break;
    case Status::refer: out << "Status: REFER - no massage today. Refer first.\n"; break;
    case Status::error:
      out << "Status: ERROR - a safety rule could not be evaluated, so nothing is recommended. Use clinical judgement.\n";
      break;
    case Status::review:
      out << "Status: REVIEW - part of the record could not be read (below). A clinician reviews it before treatment";
      if (rules != nullptr) out << "; until then no modality goes above " << to_string(rules->review_pressure_max()) << " pressure";
      out << ".\n";
      break;
  }
  if (!r.unresolved.empty()) {
    out << "\nCould not read:\n";
    for (const auto& u : r.unresolved) out << "  - " << shown(u.field) << ": " << shown(u.message) << "\n";
  }
  if (!r.questions.empty()) {
    out << "\nAsk the patient:\n";
    for (const auto& q : r.questions) out << "  - " << shown(q.question) << "\n";
  }
  if (!r.referrals.empty()) {
    out << "\nRefer:\n";
    for (const auto& f : r.referrals) {
      out << "  - " << shown(f.to) << " (" << urgency_words(f.urgency) << "): " << shown(f.reason) << "\n";
      cite.list(out, "    ", "because: ", f.because);
    }
  }
  if (!r.modalities.empty()) {
    out << "\nSuggested massage, best first:\n";
    int n = 0;
    for (const auto& m : r.modalities) {
      out << "  " << ++n << ". " << shown(m.label) << " - " << to_string(m.pressure) << " pressure";
      if (m.duration_min) out << ", about " << *m.duration_min << " min";
      out << "\n";
      for (const auto& note : m.notes) out << "     note: " << shown(note) << "\n";
      for (const auto& c : m.cautions) {
        out << "     caution: " << shown(c.reason);
        if (c.pressure_max) out << " (at most " << to_string(*c.pressure_max) << " pressure)";
        out << "\n";
      }
      cite.list(out, "     ", "why: ", m.because);
    }
  } else if (r.status == Status::ok || r.status == Status::review) {
    out << "\nNo massage modality is suggested for this patient.\n";
  }
  if (!r.excluded.empty()) {
    out << "\nDo not use:\n";
    for (const auto& e : r.excluded) out << "  - " << shown(e.label) << ": " << shown(e.reason) << "\n";
  }
  if (!r.avoid_regions.empty()) {
    out << "\nAreas to avoid:\n";
    for (const auto& a : r.avoid_regions) {
      out << "  - " << shown(a.label) << (a.level == AvoidLevel::contraindicated ? " (do not treat)" : " (gently, with care)");
      if (a.pressure_max) out << " - at most " << to_string(*a.pressure_max) << " pressure there";
      out << ": " << shown(a.reason) << "\n";
    }
  }
  if (!r.self_care.empty()) {
    out << "\nSelf-care to suggest:\n";
    for (const auto& s : r.self_care) {
      out << "  - " << shown(s.label) << ": " << shown(s.instructions) << "\n";
      for (const auto& c : s.cautions) out << "     caution: " << shown(c.reason) << "\n";
    }
  }
  if (r.plan) {
    out << "\nPlan:";
    if (r.plan->duration_min) out << " " << *r.plan->duration_min << "-minute sessions";
    if (r.plan->sessions_per_week) {
      const int n = *r.plan->sessions_per_week;
      const std::string times = n == 1 ? "once" : n == 2 ? "twice" : std::to_string(n) + " times";
      out << (r.plan->duration_min ? ", " : " ") << times << " a week";
    }
    if (r.plan->weeks) out << ", for " << *r.plan->weeks << (*r.plan->weeks == 1 ? " week" : " weeks");
    out << "\n";
  }
  if (!r.cautions.empty() && (r.status == Status::ok || r.status == Status::review)) {
    out << "\nCautions:\n";
    for (const auto& c : r.cautions) out << "  - " << shown(c.reason) << "\n";
  }
  if (!r.warnings.empty() || !r.errors.empty()) {
    out << "\nWarnings:\n";
    for (const auto& w : r.warnings) out << "  - " << shown(w) << "\n";
    for (const auto& e : r.errors) out << "  - rule " << shown(e.rule) << " failed: " << shown(e.message) << "\n";
  }
  cite.sources(out);
  if (r.trace) {
    out << "\nExplanation, rule by rule:\n";
    for (const auto& t : *r.trace) {
      out << "  [" << (t.fired ? "fired" : "  -  ") << "] " << shown(t.rule);
      if (!t.error.empty()) out << ": error: " << shown(t.error);
      if (!t.failed_pointer.empty()) out << ": false at " << t.failed_location.to_string() << ": " << t.failed_clause.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace knead
