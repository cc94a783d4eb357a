#include <knead/diff.hpp>

#include <knead/patient.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace knead {
namespace {

using nlohmann::json;

// Every leaf that differs between two JSON values, by pointer. Arrays compare element by
// element; an element present on one side only is one change.
void diff_json(const json& a, const json& b, const std::string& at, std::vector<FieldChange>& out) {
  if (a == b) return;
  if (a.is_object() && b.is_object()) {
    std::set<std::string> keys;
    for (const auto& [k, v] : a.items()) keys.insert(k);
    for (const auto& [k, v] : b.items()) keys.insert(k);
    for (const auto& k : keys) {
      const json none;
      diff_json(a.contains(k) ? a[k] : none, b.contains(k) ? b[k] : none, at + "/" + pointer_escape(k), out);
    }
    return;
  }
  if (a.is_array() && b.is_array()) {
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
      const json none;
      diff_json(i < a.size() ? a[i] : none, i < b.size() ? b[i] : none, at + "/" + std::to_string(i), out);
    }
    return;
  }
  out.push_back(FieldChange{at, a, b});
}

std::map<std::string, const json*> by_id(const json& list) {
  std::map<std::string, const json*> out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (item.is_object() && item.contains("id") && item["id"].is_string()) out[item["id"].get<std::string>()] = &item;
  }
  return out;
}

template <typename Locate>
void diff_items(const std::string& item, const json& before, const json& after, Locate locate_before,
                Locate locate_after, std::vector<ItemChange>& out) {
  const auto a = by_id(before);
  const auto b = by_id(after);
  std::set<std::string> ids;
  for (const auto& [id, v] : a) ids.insert(id);
  for (const auto& [id, v] : b) ids.insert(id);
  for (const auto& id : ids) {
    auto x = a.find(id);
    auto y = b.find(id);
    ItemChange c;
    c.item = item;
    c.id = id;
    if (x == a.end()) {
      c.change = ItemChange::Kind::added;
    } else if (y == b.end()) {
      c.change = ItemChange::Kind::removed;
    } else {
      diff_json(*x->second, *y->second, "", c.fields);
      if (c.fields.empty()) continue;
    }
    if (x != a.end()) c.before = locate_before(id);
    if (y != b.end()) c.after = locate_after(id);
    out.push_back(std::move(c));
  }
}

SourceLocation rule_location(const RuleSet& rules, const std::string& id) {
  for (const auto& r : rules.rules()) {
    if (r.id == id) return r.location;
  }
  return {};
}

SourceLocation concept_location(const RuleSet& rules, ConceptKind kind, const std::string& id) {
  if (auto i = rules.ontology().index(kind, id)) return rules.ontology().concepts(kind)[*i].location;
  return {};
}

std::string pressure_name(Pressure p) { return std::string(to_string(p)); }

template <typename List, typename F>  // a std::vector of items, or a SelfCareList
void added_removed(const char* what, const List& before, const List& after, F describe, std::vector<std::string>& out) {
  std::set<std::string> a;
  std::set<std::string> b;
  for (const auto& i : before) a.insert(describe(i));
  for (const auto& i : after) b.insert(describe(i));
  for (const auto& x : b) {
    if (a.count(x) == 0) out.push_back(std::string(what) + " added: " + x);
  }
  for (const auto& x : a) {
    if (b.count(x) == 0) out.push_back(std::string(what) + " removed: " + x);
  }
}

json location_json(const SourceLocation& l) {
  if (l.file.empty()) return nullptr;
  return l.to_string();
}

}  // namespace

const char* to_string(ItemChange::Kind kind) noexcept {
  switch (kind) {
    case ItemChange::Kind::added: return "added";
    case ItemChange::Kind::removed: return "removed";
    case ItemChange::Kind::changed: return "changed";
  }
  return "changed";
}

std::vector<std::string> diff_results(const Recommendation& before, const Recommendation& after) {
  std::vector<std::string> out;
  if (before.status != after.status) {
    out.push_back(std::string("status: ") + to_string(before.status) + " -> " + to_string(after.status));
  }
  added_removed("modality", before.modalities, after.modalities, [](const RecommendedModality& m) { return m.id; }, out);
  for (const auto& m : after.modalities) {
    for (const auto& o : before.modalities) {
      if (o.id == m.id && o.pressure != m.pressure) {
        out.push_back("pressure of " + m.id + ": " + pressure_name(o.pressure) + " -> " + pressure_name(m.pressure));
      }
    }
  }
  added_removed("referral", before.referrals, after.referrals,
                [](const ReferralOut& r) { return r.to + " (" + std::string(to_string(r.urgency)) + ")"; }, out);
  added_removed("excluded", before.excluded, after.excluded, [](const ExcludedItem& e) { return e.id; }, out);
  added_removed("region", before.avoid_regions, after.avoid_regions,
                [](const AvoidedRegion& r) { return r.id + " (" + std::string(to_string(r.level)) + ")"; }, out);
  added_removed("self-care", before.self_care, after.self_care, [](const RecommendedSelfCare& s) { return s.id; }, out);
  return out;
}

RuleSetDiff diff_rule_sets(const RuleSet& before, const RuleSet& after) {
  RuleSetDiff d;
  d.before_name = before.name();
  d.before_version = before.version();
  d.before_digest = before.digest();
  d.after_name = after.name();
  d.after_version = after.version();
  d.after_digest = after.digest();
  const json& a = before.canonical();
  const json& b = after.canonical();
  const json none = json::array();
  diff_items<std::function<SourceLocation(const std::string&)>>(
      "rule", a.value("rules", none), b.value("rules", none),
      [&](const std::string& id) { return rule_location(before, id); },
      [&](const std::string& id) { return rule_location(after, id); }, d.items);
  for (auto kind : all_concept_kinds) {
    const std::string key(plural(kind));
    const json empty = json::array();
    const json& ca = a.contains("concepts") && a["concepts"].contains(key) ? a["concepts"][key] : empty;
    const json& cb = b.contains("concepts") && b["concepts"].contains(key) ? b["concepts"][key] : empty;
    diff_items<std::function<SourceLocation(const std::string&)>>(
        std::string(to_string(kind)), ca, cb, [&](const std::string& id) { return concept_location(before, kind, id); },
        [&](const std::string& id) { return concept_location(after, kind, id); }, d.items);
  }
  return d;
}

RuleSetDiff diff_rule_sets(const RuleSet& before, const RuleSet& after, const std::vector<DiffPatient>& patients) {
  RuleSetDiff d = diff_rule_sets(before, after);
  const Engine old_engine{before};
  const Engine new_engine{after};
  for (const auto& p : patients) {
    ++d.patients_compared;
    PatientChange change{p.name, p.source, {}};
    std::optional<Recommendation> x;
    std::optional<Recommendation> y;
    std::string x_error;
    std::string y_error;
    try {
      x = old_engine.recommend(Patient::from_json(p.document));
    } catch (const std::exception& e) {
      x_error = e.what();
    }
    try {
      y = new_engine.recommend(Patient::from_json(p.document));
    } catch (const std::exception& e) {
      y_error = e.what();
    }
    if (x && y) {
      change.differences = diff_results(*x, *y);
    } else if (x_error != y_error) {
      if (!x) change.differences.push_back("rejected by the old rule set: " + x_error);
      if (!y) change.differences.push_back("rejected by the new rule set: " + y_error);
    }
    if (!change.differences.empty()) d.patients.push_back(std::move(change));
  }
  return d;
}

json to_json(const RuleSetDiff& diff) {
  json out{{"before", {{"name", diff.before_name}, {"version", diff.before_version}, {"digest", diff.before_digest}}},
           {"after", {{"name", diff.after_name}, {"version", diff.after_version}, {"digest", diff.after_digest}}},
           {"rules", json::array()},
           {"concepts", json::array()}};
  for (const auto& c : diff.items) {
    json item{{"change", to_string(c.change)}, {"id", c.id}, {"before", location_json(c.before)},
              {"after", location_json(c.after)}};
    if (c.item != "rule") item["kind"] = c.item;
    if (c.change == ItemChange::Kind::changed) {
      item["fields"] = json::array();
      for (const auto& f : c.fields) item["fields"].push_back({{"field", f.field}, {"before", f.before}, {"after", f.after}});
    }
    out[c.item == "rule" ? "rules" : "concepts"].push_back(std::move(item));
  }
  json patients = json::array();
  for (const auto& p : diff.patients) {
    patients.push_back({{"patient", p.patient}, {"source", p.source}, {"differences", p.differences}});
  }
  out["patients"] = {{"compared", diff.patients_compared}, {"changed", std::move(patients)}};
  return out;
}

std::string to_text(const RuleSetDiff& diff) {
  std::ostringstream out;
  out << "rule set " << diff.before_name << " " << diff.before_version << " (" << diff.before_digest << ")\n"
      << "      -> " << diff.after_name << " " << diff.after_version << " (" << diff.after_digest << ")\n";
  if (diff.items.empty()) out << "no rule or concept changed\n";
  for (const auto& c : diff.items) {
    const SourceLocation& where = c.change == ItemChange::Kind::removed ? c.before : c.after;
    out << to_string(c.change) << " " << c.item << " '" << c.id << "'";
    if (!where.file.empty()) out << " (" << where.to_string() << ")";
    out << '\n';
    for (const auto& f : c.fields) {
      out << "    " << (f.field.empty() ? "/" : f.field) << ": " << (f.before.is_null() ? "(absent)" : f.before.dump())
          << " -> " << (f.after.is_null() ? "(absent)" : f.after.dump()) << '\n';
    }
  }
  if (diff.patients_compared > 0) {
    out << diff.patients.size() << " of " << diff.patients_compared << " patients get a different recommendation\n";
    for (const auto& p : diff.patients) {
      out << "patient " << p.patient;
      if (!p.source.empty()) out << " (" << p.source << ")";
      out << '\n';
      for (const auto& line : p.differences) out << "    " << line << '\n';
    }
  }
  return out.str();
}

}  // namespace knead
