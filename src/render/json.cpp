#include <knead/render.hpp>

#include "render/json_stream.hpp"

#include <cmath>

namespace knead {
namespace {

using ojson = nlohmann::ordered_json;

// Scores are sums of weights: print whole numbers as integers ("5", not "5.0").
ojson number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 9e15) return static_cast<std::int64_t>(v);
  return v;
}

ojson opt(const std::optional<int>& v) { return v ? ojson(*v) : ojson(nullptr); }

ojson cautions_json(const CautionList& cautions) {
  ojson out = ojson::array();
  for (const auto& c : cautions) {
    ojson o;
    if (!c.target.empty()) o["target"] = c.target;
    o["reason"] = c.reason;
    if (c.pressure_max) o["pressure_max"] = std::string(to_string(*c.pressure_max));
    o["because"] = c.because;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

nlohmann::ordered_json to_json_value(const Recommendation& r) {
  ojson out;
  out["patient"] = r.patient;
  out["ruleset"] = {{"name", r.ruleset_name}, {"version", r.ruleset_version}, {"digest", r.ruleset_digest}};
  if (!r.ruleset_layers.empty()) {
    ojson layers = ojson::array();
    for (const auto& l : r.ruleset_layers) {
      layers.push_back({{"name", l.name}, {"version", l.version}, {"digest", l.digest}});
    }
    out["ruleset"]["layers"] = std::move(layers);
  }
  out["status"] = to_string(r.status);
  ojson modalities = ojson::array();
  for (const auto& m : r.modalities) {
    ojson o;
    o["id"] = m.id;
    o["label"] = m.label;
    o["score"] = number(m.score);
    o["pressure"] = std::string(to_string(m.pressure));
    if (m.duration_min) o["duration_min"] = *m.duration_min;
    o["because"] = m.because;
    o["notes"] = m.notes;
    o["cautions"] = cautions_json(m.cautions);
    modalities.push_back(std::move(o));
  }
  out["modalities"] = std::move(modalities);
  ojson excluded = ojson::array();
  for (const auto& e : r.excluded) {
    excluded.push_back({{"id", e.id}, {"label", e.label}, {"reason", e.reason}, {"because", e.because}});
  }
  out["excluded"] = std::move(excluded);
  ojson self_care = ojson::array();
  for (const auto& s : r.self_care) {
    ojson o;
    o["id"] = s.id;
    o["label"] = s.label;
    o["instructions"] = s.instructions;
    o["because"] = s.because;
    o["notes"] = s.notes;
    o["cautions"] = cautions_json(s.cautions);
    self_care.push_back(std::move(o));
  }
  out["self_care"] = std::move(self_care);
  ojson regions = ojson::array();
  for (const auto& a : r.avoid_regions) {
    ojson o{{"id", a.id}, {"label", a.label}, {"level", std::string(to_string(a.level))}};
    if (a.pressure_max) o["pressure_max"] = std::string(to_string(*a.pressure_max));
    o["reason"] = a.reason;
    o["because"] = a.because;
    regions.push_back(std::move(o));
  }
  out["avoid_regions"] = std::move(regions);
  out["cautions"] = cautions_json(r.cautions);
  ojson referrals = ojson::array();
  for (const auto& f : r.referrals) {
    referrals.push_back(
        {{"to", f.to}, {"urgency", std::string(to_string(f.urgency))}, {"reason", f.reason}, {"because", f.because}});
  }
  out["referrals"] = std::move(referrals);
  if (r.plan) {
    out["plan"] = {{"duration_min", opt(r.plan->duration_min)},
                   {"sessions_per_week", opt(r.plan->sessions_per_week)},
                   {"weeks", opt(r.plan->weeks)},
                   {"because", r.plan->because}};
  } else {
    out["plan"] = nullptr;
  }
  out["warnings"] = r.warnings;
  ojson interpreted = ojson::array();
  for (const auto& i : r.interpreted) {
    ojson o{{"field", i.field}, {"input", i.input}};
    if (!i.system.empty()) o["system"] = i.system;
    o["kind"] = i.kind;
    o["id"] = i.id;
    o["by"] = i.by;
    interpreted.push_back(std::move(o));
  }
  out["interpreted"] = std::move(interpreted);
  ojson unresolved = ojson::array();
  for (const auto& u : r.unresolved) {
    ojson o{{"field", u.field}, {"input", u.input}, {"problem", u.problem}};
    o["nearest"] = u.nearest.empty() ? ojson(nullptr) : ojson(u.nearest);
    o["message"] = u.message;
    unresolved.push_back(std::move(o));
  }
  out["unresolved"] = std::move(unresolved);
  ojson questions = ojson::array();
  for (const auto& q : r.questions) questions.push_back({{"fact", q.fact}, {"question", q.question}, {"because", q.because}});
  out["questions"] = std::move(questions);
  ojson errors = ojson::array();
  for (const auto& e : r.errors) errors.push_back({{"rule", e.rule}, {"code", e.code}, {"message", e.message}});
  out["errors"] = std::move(errors);
  out["fired"] = r.fired;
  if (r.trace) {
    ojson trace = ojson::array();
    for (const auto& t : *r.trace) {
      ojson o;
      o["rule"] = t.rule;
      o["title"] = t.title;
      o["fired"] = t.fired;
      if (!t.error.empty()) o["error"] = t.error;
      if (!t.failed_pointer.empty()) {
        o["failed_clause"] = {{"pointer", t.failed_pointer},
                              {"location", t.failed_location.to_string()},
                              {"clause", ojson::parse(t.failed_clause.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))}};
      }
      trace.push_back(std::move(o));
    }
    out["trace"] = std::move(trace);
  }
  return out;
}

std::string to_json(const Recommendation& r, int indent) {
  // Replacement, not an exception, for invalid UTF-8: a rendering must never fail.
  if (indent >= 0) return to_json_value(r).dump(indent, ' ', false, ojson::error_handler_t::replace);
  // Compact output (batches): written directly, without building the document, replacing
  // invalid UTF-8 the same way.
  std::string out;
  detail::write_compact_json(r, out);
  return out;
}

void append_json(const Recommendation& r, std::string& out) { detail::write_compact_json(r, out); }

}  // namespace knead
