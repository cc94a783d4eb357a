#include <knead/render.hpp>

#include <sstream>

namespace knead {
namespace {

const Rule* find_rule(const RuleSet* rules, const std::string& id) {
  if (rules == nullptr) return nullptr;
  for (const auto& r : rules->rules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

// "Gentle Swedish massage for sleep in fibromyalgia (moderate evidence: EULAR16)" or the id.
std::string why(const RuleSet* rules, const std::string& id) {
  const Rule* r = find_rule(rules, id);
  if (r == nullptr) return id;
  std::string out = r->title.empty() ? r->id : r->title;
  if (r->evidence) {
    out += " (" + std::string(to_string(r->evidence->grade)) + " evidence";
    if (!r->evidence->source.empty()) out += ": " + r->evidence->source;
    out += ")";
  }
  return out;
}

std::string whys(const RuleSet* rules, const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : "; ") + why(rules, id);
  return out;
}

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
  out << "Patient " << (r.patient.empty() ? "(no id)" : r.patient) << " - rules " << r.ruleset_name << " "
      << r.ruleset_version << "\n";
  switch (r.status) {
    case Status::ok: out << "Status: ok\n"; break;
    case Status::refer: out << "Status: REFER - no massage today. Refer first.\n"; break;
    case Status::error:
      out << "Status: ERROR - a safety rule could not be evaluated, so nothing is recommended. Use clinical judgement.\n";
      break;
  }
  if (!r.referrals.empty()) {
    out << "\nRefer:\n";
    for (const auto& f : r.referrals) {
      out << "  - " << f.to << " (" << urgency_words(f.urgency) << "): " << f.reason << "\n"
          << "    because: " << whys(rules, f.because) << "\n";
    }
  }
  if (!r.modalities.empty()) {
    out << "\nSuggested massage, best first:\n";
    int n = 0;
    for (const auto& m : r.modalities) {
      out << "  " << ++n << ". " << m.label << " - " << to_string(m.pressure) << " pressure";
      if (m.duration_min) out << ", about " << *m.duration_min << " min";
      out << "\n";
      for (const auto& note : m.notes) out << "     note: " << note << "\n";
      for (const auto& c : m.cautions) {
        out << "     caution: " << c.reason;
        if (c.pressure_max) out << " (at most " << to_string(*c.pressure_max) << " pressure)";
        out << "\n";
      }
      out << "     why: " << whys(rules, m.because) << "\n";
    }
  } else if (r.status == Status::ok) {
    out << "\nNo massage modality is suggested for this patient.\n";
  }
  if (!r.excluded.empty()) {
    out << "\nDo not use:\n";
    for (const auto& e : r.excluded) out << "  - " << e.label << ": " << e.reason << "\n";
  }
  if (!r.avoid_regions.empty()) {
    out << "\nAreas to avoid:\n";
    for (const auto& a : r.avoid_regions) {
      out << "  - " << a.label << (a.level == AvoidLevel::contraindicated ? " (do not treat)" : " (gently, with care)")
          << ": " << a.reason << "\n";
    }
  }
  if (!r.self_care.empty()) {
    out << "\nSelf-care to suggest:\n";
    for (const auto& s : r.self_care) {
      out << "  - " << s.label << ": " << s.instructions << "\n";
      for (const auto& c : s.cautions) out << "     caution: " << c.reason << "\n";
    }
  }
  if (r.plan) {
    out << "\nPlan:";
    if (r.plan->duration_min) out << " " << *r.plan->duration_min << " min sessions";
    if (r.plan->sessions_per_week) out << ", " << *r.plan->sessions_per_week << " a week";
    if (r.plan->weeks) out << ", for " << *r.plan->weeks << " weeks";
    out << "\n";
  }
  if (!r.cautions.empty() && r.status == Status::ok) {
    out << "\nCautions:\n";
    for (const auto& c : r.cautions) out << "  - " << c.reason << "\n";
  }
  if (!r.warnings.empty() || !r.errors.empty()) {
    out << "\nWarnings:\n";
    for (const auto& w : r.warnings) out << "  - " << w << "\n";
    for (const auto& e : r.errors) out << "  - rule " << e.rule << " failed: " << e.message << "\n";
  }
  if (r.trace) {
    out << "\nExplanation, rule by rule:\n";
    for (const auto& t : *r.trace) {
      out << "  [" << (t.fired ? "fired" : "  -  ") << "] " << t.rule;
      if (!t.error.empty()) out << ": error: " << t.error;
      if (!t.failed_pointer.empty()) out << ": false at " << t.failed_location.to_string() << ": " << t.failed_clause.dump();
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace knead
