#include "check/checker.hpp"

#include "graph/cycles.hpp"
#include "logic/nearest.hpp"
#include "model/patient_fields.hpp"
#include "overlay/overlay.hpp"

#include <knead/code_system.hpp>
#include <knead/lint.hpp>
#include <knead/matching.hpp>
#include <knead/suggest.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace knead::detail {
namespace {

using nlohmann::json;

// A value in a document, with its pointer: everything a diagnostic needs.
struct At {
  const Document* doc;
  const json* value;
  std::string pointer;

  [[nodiscard]] At child(const std::string& key) const { return {doc, &(*value)[key], pointer + "/" + pointer_escape(key)}; }
  [[nodiscard]] At item(std::size_t i) const { return {doc, &(*value)[i], pointer + "/" + std::to_string(i)}; }
  [[nodiscard]] bool has(const char* key) const { return value->is_object() && value->contains(key); }
};

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    default: return "a value";
  }
}

bool valid_id(const std::string& id) {
  if (id.empty()) return false;
  auto ok_first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!ok_first(id[0])) return false;
  return std::all_of(id.begin(), id.end(), [&](char c) { return ok_first(c) || c == '_' || c == '.' || c == '-'; });
}

class Checker {
 public:
  CheckedRuleSet run(const std::vector<Document>& documents, const OverlayPlan* overlay) {
    overlay_ = overlay;
    for (std::size_t i = 0; i < documents.size(); ++i) {
      if (overlay_ != nullptr && i < overlay_->layer_of.size()) layer_ = overlay_->layer_of[i];
      read_file(documents[i]);
    }
    finish_concepts();
    check_names_and_codes();
    check_rule_references();
    check_rule_paths();
    finish_canonical();
    if (out_.name.empty()) {
      out_.name = "unnamed";
      if (!documents.empty()) warn(At{&documents.front(), &documents.front().root(), ""}, "check.no_name",
                                   "the rule set has no 'ruleset' name");
    }
    if (out_.version.empty()) out_.version = "0.0.0";
    return std::move(out_);
  }

 private:
  // ---- diagnostics ----
  void report(Severity severity, const At& at, std::string code, std::string message, std::vector<std::string> notes = {}) {
    Diagnostic d;
    d.severity = severity;
    d.code = std::move(code);
    d.message = std::move(message);
    d.location = at.doc->locate(at.pointer);
    d.pointer = at.pointer;
    d.notes = std::move(notes);
    out_.diagnostics.push_back(std::move(d));
  }
  void error(const At& at, std::string code, std::string message, std::vector<std::string> notes = {}) {
    report(Severity::error, at, std::move(code), std::move(message), std::move(notes));
  }
  // For a problem with a member's name rather than its value: point at the key.
  void key_error(const At& at, std::string code, std::string message) {
    report(Severity::error, at, std::move(code), std::move(message));
    out_.diagnostics.back().location = at.doc->locate_key(at.pointer);
  }
  void warn(const At& at, std::string code, std::string message) { report(Severity::warning, at, std::move(code), std::move(message)); }

  // ---- typed field access ----
  bool expect(const At& at, json::value_t type, const char* what) {
    const json& v = *at.value;
    bool ok = v.type() == type;
    if (type == json::value_t::number_float) ok = v.is_number();
    if (type == json::value_t::number_integer) ok = v.is_number_integer() || v.is_number_unsigned() ||
                                                    (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>() && std::isfinite(v.get<double>()));
    if (!ok) error(at, "check.type", "'" + last_token(at.pointer) + "' must be " + what + ", not " + type_name(v));
    return ok;
  }
  static std::string last_token(const std::string& pointer) {
    auto slash = pointer.rfind('/');
    std::string t = slash == std::string::npos ? pointer : pointer.substr(slash + 1);
    return t.empty() ? "document" : t;
  }

  // Unknown keys are errors naming the nearest known key; required keys must be present.
  bool check_keys(const At& at, const std::vector<std::string>& allowed, const std::vector<std::string>& required,
                  const std::string& what) {
    if (!expect(at, json::value_t::object, ("an object (" + what + ")").c_str())) return false;
    for (const auto& [key, value] : at.value->items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        key_error(at.child(key), "check.unknown_key",
              "unknown key '" + key + "' in " + what + did_you_mean(logic::nearest(key, allowed)));
      }
    }
    bool ok = true;
    for (const auto& key : required) {
      if (!at.value->contains(key)) {
        error(at, "check.required", what + " needs '" + key + "'");
        ok = false;
      }
    }
    return ok;
  }

  std::optional<std::string> string_at(const At& at) {
    if (!expect(at, json::value_t::string, "a string")) return std::nullopt;
    return at.value->get<std::string>();
  }
  std::string string_field(const At& obj, const char* key) {
    if (!obj.has(key)) return {};
    return string_at(obj.child(key)).value_or("");
  }
  std::optional<int> int_field(const At& obj, const char* key, int min_value) {
    if (!obj.has(key)) return std::nullopt;
    At at = obj.child(key);
    if (!expect(at, json::value_t::number_integer, "an integer")) return std::nullopt;
    const double v = at.value->get<double>();
    if (v < min_value || v > 1e6) {
      error(at, "check.range", "'" + std::string(key) + "' must be an integer from " + std::to_string(min_value) + " to 1000000");
      return std::nullopt;
    }
    return static_cast<int>(v);
  }
  std::vector<std::string> string_list(const At& at) {
    std::vector<std::string> out;
    if (!expect(at, json::value_t::array, "an array of strings")) return out;
    for (std::size_t i = 0; i < at.value->size(); ++i) {
      if (auto s = string_at(at.item(i))) out.push_back(*s);
    }
    return out;
  }
  template <typename E>
  std::optional<E> enum_field(const At& obj, const char* key, std::optional<E> (*parse)(std::string_view) noexcept,
                              const std::vector<std::string>& names) {
    if (!obj.has(key)) return std::nullopt;
    At at = obj.child(key);
    auto s = string_at(at);
    if (!s) return std::nullopt;
    auto v = parse(*s);
    if (!v) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      error(at, "check.enum", "'" + std::string(key) + "' must be one of " + list + ", not '" + *s + "'" +
                                  did_you_mean(logic::nearest(*s, names)));
    }
    return v;
  }
  void check_id(const At& at, const std::string& id) {
    if (!valid_id(id)) error(at, "check.id_format", "id '" + id + "' must match [a-z0-9][a-z0-9_.-]*");
  }

  // ---- files ----
  void read_file(const Document& doc) {
    At root{&doc, &doc.root(), ""};
    if (!check_keys(root, {"$schema", "ruleset", "version", "description", "include", "defaults", "inputs", "concepts", "rules",
                           "disable", "lint"},
                    {}, "a rule-set file")) {
      return;
    }
    read_identity(root, "ruleset", out_.name);
    read_identity(root, "version", out_.version);
    if (root.has("version")) check_version(root.child("version"));
    if (root.has("disable")) {
      for (const auto& id : string_list(root.child("disable"))) check_id(root.child("disable"), id);
    }
    if (root.has("lint")) read_lint(root.child("lint"), {});
    if (root.has("description")) string_at(root.child("description"));
    if (root.has("include")) string_list(root.child("include"));
    if (root.has("defaults")) {
      At d = root.child("defaults");
      if (check_keys(d, {"goals", "review_pressure_max"}, {}, "'defaults'")) {
        if (d.has("goals")) {
          At goals = d.child("goals");
          auto list = string_list(goals);
          for (std::size_t i = 0; i < list.size(); ++i) goal_refs_.push_back({goals.item(i), list[i]});
          out_.default_goals = list;
        }
        static const std::vector<std::string> pressure_names{"light", "medium", "firm"};
        if (auto p = enum_field<Pressure>(d, "review_pressure_max", parse_pressure, pressure_names)) out_.review_pressure_max = p;
      }
    }
    if (root.has("inputs")) read_inputs(root.child("inputs"));
    if (root.has("concepts")) read_concepts(root.child("concepts"));
    if (root.has("rules")) {
      At rules = root.child("rules");
      if (expect(rules, json::value_t::array, "an array of rules")) {
        for (std::size_t i = 0; i < rules.value->size(); ++i) read_rule(rules.item(i));
      }
    }
    raw_files_.push_back(&doc);
  }

  void read_identity(const At& root, const char* key, std::string& slot) {
    if (!root.has(key)) return;
    At at = root.child(key);
    auto value = string_at(at);
    if (!value) return;
    // Layers of an overlay each have their own identity; the top one names the stack.
    const std::string site_key = std::string(key) + "#" + std::to_string(layer_);
    if (identity_site_.count(site_key) == 0) {
      slot = *value;
      identity_site_[site_key] = at.doc->locate(at.pointer).to_string();
      identity_site_[key] = identity_site_[site_key];
    } else if (slot != *value) {
      error(at, "check.ruleset_conflict",
            "'" + std::string(key) + "' is '" + *value + "' here but '" + slot + "' at " + identity_site_[key]);
    }
  }

  // ---- concepts ----
  void read_concepts(const At& at) {
    std::vector<std::string> kinds;
    for (auto k : all_concept_kinds) kinds.emplace_back(plural(k));
    if (!check_keys(at, kinds, {}, "'concepts'")) return;
    for (auto kind : all_concept_kinds) {
      const std::string key(plural(kind));
      if (!at.has(key.c_str())) continue;
      At list = at.child(key);
      if (!expect(list, json::value_t::array, "an array of concepts")) continue;
      for (std::size_t i = 0; i < list.value->size(); ++i) read_concept(list.item(i), kind);
    }
  }

  void read_concept(const At& at, ConceptKind kind) {
    std::vector<std::string> allowed{"id", "label", "description", "is_a", "codes", "synonyms"};
    std::vector<std::string> required{"id"};
    if (kind == ConceptKind::modality) {
      allowed.insert(allowed.end(), {"pressure", "duration_min"});
      required.emplace_back("pressure");
    }
    if (kind == ConceptKind::self_care) {
      allowed.emplace_back("instructions");
      required.emplace_back("instructions");
    }
    const std::string what = "a " + std::string(to_string(kind)) + " concept";
    if (!check_keys(at, allowed, required, what) && !at.has("id")) return;
    Concept c;
    c.kind = kind;
    c.id = string_field(at, "id");
    if (c.id.empty()) return;
    check_id(at.child("id"), c.id);
    c.label = at.has("label") ? string_field(at, "label") : c.id;
    c.description = string_field(at, "description");
    c.location = at.doc->locate(at.pointer);
    if (at.has("is_a")) {
      At parents = at.child("is_a");
      c.is_a = string_list(parents);
      for (std::size_t i = 0; i < c.is_a.size(); ++i) is_a_refs_.push_back({parents.item(i), c.is_a[i], kind});
    }
    if (at.has("synonyms")) {
      At synonyms = at.child("synonyms");
      c.synonyms = string_list(synonyms);
      for (std::size_t i = 0; i < c.synonyms.size(); ++i) {
        if (normalize_name(c.synonyms[i]).empty()) error(synonyms.item(i), "check.synonym", "a synonym needs a letter or digit");
      }
    }
    if (at.has("codes")) read_codes(at.child("codes"), c);
    static const std::vector<std::string> pressure_names{"light", "medium", "firm"};
    c.pressure = enum_field<Pressure>(at, "pressure", parse_pressure, pressure_names);
    c.duration_min = int_field(at, "duration_min", 1);
    c.instructions = string_field(at, "instructions");

    auto& seen = concept_sites_[static_cast<std::size_t>(kind)];
    auto [it, inserted] = seen.emplace(c.id, c.location);
    if (!inserted) {
      error(at.child("id"), "check.duplicate_id",
            "duplicate " + std::string(to_string(kind)) + " id '" + c.id + "'; first defined at " + it->second.to_string(),
            {"previous definition at " + it->second.to_string()});
      return;
    }
    concept_ats_.push_back(at);
    concepts_.push_back(std::move(c));
    concept_json_[static_cast<std::size_t>(kind)].push_back(*at.value);
  }

  struct Ref {
    At at;
    std::string id;
    ConceptKind kind = ConceptKind::goal;
  };

  bool known(ConceptKind kind, const std::string& id) const {
    return concept_sites_[static_cast<std::size_t>(kind)].count(id) != 0;
  }
  void check_ref(const At& at, ConceptKind kind, const std::string& id) {
    if (known(kind, id)) return;
    std::vector<std::string> ids;
    for (const auto& [k, v] : concept_sites_[static_cast<std::size_t>(kind)]) ids.push_back(k);
    error(at, "check.unknown_concept",
          "unknown " + std::string(to_string(kind)) + " '" + id + "'" + did_you_mean(logic::nearest(id, ids)));
  }

  void finish_concepts() {
    for (const auto& ref : is_a_refs_) check_ref(ref.at, ref.kind, ref.id);
    for (const auto& ref : goal_refs_) check_ref(ref.at, ConceptKind::goal, ref.id);
    // Cycles per kind, each reported once, naming every member in order.
    for (auto kind : all_concept_kinds) {
      std::vector<const Concept*> members;
      std::map<std::string, std::size_t> index;
      for (const auto& c : concepts_) {
        if (c.kind == kind) index.emplace(c.id, members.size()), members.push_back(&c);
      }
      std::vector<std::pair<std::size_t, std::size_t>> edges;
      for (std::size_t i = 0; i < members.size(); ++i) {
        for (const auto& p : members[i]->is_a) {
          auto it = index.find(p);
          if (it != index.end()) edges.emplace_back(i, it->second);
        }
      }
      std::set<std::string> broken;
      for (const auto& cycle : find_cycles(members.size(), edges)) {
        std::string text;
        for (auto v : cycle) text += members[v]->id + " -> ", broken.insert(members[v]->id);
        text += members[cycle.front()]->id;
        Diagnostic d;
        d.code = "check.is_a_cycle";
        d.message = "is_a cycle among " + std::string(plural(kind)) + ": " + text;
        d.location = members[cycle.front()]->location;
        out_.diagnostics.push_back(std::move(d));
      }
      // Modalities descend from the single root `massage`, so one rule can veto them all.
      if (kind == ConceptKind::modality && !members.empty() && broken.empty()) {
        check_modality_root(members, index);
      }
    }
    for (auto& c : concepts_) {
      // Drop unknown parents so the ontology is built only from what checked out.
      c.is_a.erase(std::remove_if(c.is_a.begin(), c.is_a.end(), [&](const std::string& p) { return !known(c.kind, p); }),
                   c.is_a.end());
    }
    out_.concepts = concepts_;
  }

  void check_modality_root(const std::vector<const Concept*>& members, const std::map<std::string, std::size_t>& index) {
    const auto root = index.find("massage");
    for (const Concept* m : members) {
      if (m->id == "massage") continue;
      // Walk up; the graph is acyclic here.
      std::vector<const Concept*> stack{m};
      std::set<std::string> seen;
      bool reaches = false;
      while (!stack.empty() && !reaches) {
        const Concept* at = stack.back();
        stack.pop_back();
        if (!seen.insert(at->id).second) continue;
        for (const auto& p : at->is_a) {
          if (p == "massage") reaches = true;
          auto it = index.find(p);
          if (it != index.end()) stack.push_back(members[it->second]);
        }
      }
      if (!reaches) {
        Diagnostic d;
        d.code = "check.modality_root";
        d.message = root == index.end() ? "modality '" + m->id + "' needs the root modality 'massage', which is not defined"
                                        : "modality '" + m->id + "' does not descend from 'massage'";
        d.location = m->location;
        out_.diagnostics.push_back(std::move(d));
      }
    }
  }

  // ---- rules ----
  void read_rule(const At& at) {
    if (!check_keys(at, {"id", "title", "description", "priority", "when", "then", "evidence", "tags", "replaces", "lint"},
                    {"id", "title", "then"}, "a rule") &&
        !at.has("id")) {
      return;
    }
    Rule r;
    r.id = string_field(at, "id");
    if (r.id.empty()) return;
    check_id(at.child("id"), r.id);
    if (at.has("replaces")) string_at(at.child("replaces"));
    // A layer above replaces or disables this rule: it is not part of the stack.
    if (overlay_ != nullptr) {
      auto removed = overlay_->removed.find(r.id);
      if (removed != overlay_->removed.end() && layer_ < removed->second) return;
    }
    if (at.has("lint")) read_lint(at.child("lint"), {r.id});
    r.title = string_field(at, "title");
    r.description = string_field(at, "description");
    r.location = at.doc->locate(at.pointer);
    r.pointer = at.pointer;
    if (at.has("priority")) {
      At p = at.child("priority");
      if (expect(p, json::value_t::number_integer, "an integer")) {
        const double v = p.value->get<double>();
        if (std::fabs(v) > 1e6) error(p, "check.range", "'priority' must be between -1000000 and 1000000");
        else r.priority = static_cast<int>(v);
      }
    }
    if (at.has("when")) r.when = *at.child("when").value;
    if (at.has("then")) read_then(at.child("then"), r);
    if (at.has("evidence")) read_evidence(at.child("evidence"), r);
    if (at.has("tags")) r.tags = string_list(at.child("tags"));

    auto [it, inserted] = rule_sites_.emplace(r.id, r.location);
    if (!inserted) {
      error(at.child("id"), "check.duplicate_id", "duplicate rule id '" + r.id + "'; first defined at " + it->second.to_string(),
            {"previous definition at " + it->second.to_string()});
      return;
    }
    rule_ats_.push_back(at);
    out_.rules.push_back(std::move(r));
    out_.rule_files.push_back(at.doc->file());
    rule_json_.push_back(*at.value);
  }

  void read_then(const At& at, Rule& r) {
    if (!check_keys(at, {"recommend", "avoid", "self_care", "refer", "plan", "ask"}, {}, "'then'")) return;
    static const std::vector<std::string> pressure_names{"light", "medium", "firm"};
    static const std::vector<std::string> level_names{"contraindicated", "caution"};
    static const std::vector<std::string> urgency_names{"emergency", "same_day", "urgent", "routine"};
    for_each_entry(at, "recommend", [&](const At& e) {
      if (!check_keys(e, {"modality", "weight", "pressure", "note"}, {"modality"}, "a 'recommend' entry")) return;
      Recommend rec;
      rec.modality = string_field(e, "modality");
      refs_.push_back({e.child("modality"), rec.modality, ConceptKind::modality});
      if (e.has("weight") && expect(e.child("weight"), json::value_t::number_float, "a number")) {
        rec.weight = e.value->at("weight").get<double>();
        if (!std::isfinite(rec.weight) || std::fabs(rec.weight) > 1e6) {
          error(e.child("weight"), "check.range", "'weight' must be between -1000000 and 1000000");
        }
      }
      rec.pressure = enum_field<Pressure>(e, "pressure", parse_pressure, pressure_names);
      rec.note = string_field(e, "note");
      r.recommend.push_back(std::move(rec));
    });
    for_each_entry(at, "avoid", [&](const At& e) {
      if (!check_keys(e, {"modality", "self_care", "region", "finding_sites", "level", "pressure_max", "reason"},
                      {"level", "reason"}, "an 'avoid' entry")) {
        return;
      }
      Avoid a;
      int targets = 0;
      const std::pair<const char*, std::pair<AvoidTarget, ConceptKind>> kinds[] = {
          {"modality", {AvoidTarget::modality, ConceptKind::modality}},
          {"self_care", {AvoidTarget::self_care, ConceptKind::self_care}},
          {"region", {AvoidTarget::region, ConceptKind::region}},
          {"finding_sites", {AvoidTarget::finding_sites, ConceptKind::finding}}};
      for (const auto& [key, target] : kinds) {
        if (!e.has(key)) continue;
        ++targets;
        a.target = target.first;
        a.id = string_field(e, key);
        refs_.push_back({e.child(key), a.id, target.second});
      }
      if (targets != 1) {
        error(e, "check.avoid_target", "an 'avoid' entry names exactly one of modality, self_care, region, finding_sites");
      }
      a.level = enum_field<AvoidLevel>(e, "level", parse_avoid_level, level_names).value_or(AvoidLevel::contraindicated);
      a.pressure_max = enum_field<Pressure>(e, "pressure_max", parse_pressure, pressure_names);
      if (a.pressure_max && a.level == AvoidLevel::contraindicated) {
        error(e.child("pressure_max"), "check.pressure_max_on_veto",
              "'pressure_max' belongs to a caution; a contraindication removes the item");
      }
      a.reason = string_field(e, "reason");
      r.avoid.push_back(std::move(a));
    });
    for_each_entry(at, "self_care", [&](const At& e) {
      if (!check_keys(e, {"item", "note"}, {"item"}, "a 'self_care' entry")) return;
      SelfCare s{string_field(e, "item"), string_field(e, "note")};
      refs_.push_back({e.child("item"), s.item, ConceptKind::self_care});
      r.self_care.push_back(std::move(s));
    });
    if (at.has("refer")) {
      At refer = at.child("refer");
      auto one = [&](const At& e) {
        if (!check_keys(e, {"to", "urgency", "reason"}, {"to", "urgency", "reason"}, "a 'refer' entry")) return;
        Referral ref;
        ref.to = string_field(e, "to");
        ref.urgency = enum_field<Urgency>(e, "urgency", parse_urgency, urgency_names).value_or(Urgency::emergency);
        ref.reason = string_field(e, "reason");
        r.refer.push_back(std::move(ref));
      };
      if (refer.value->is_array()) {
        for (std::size_t i = 0; i < refer.value->size(); ++i) one(refer.item(i));
      } else {
        one(refer);
      }
    }
    for_each_entry(at, "ask", [&](const At& e) {
      if (!check_keys(e, {"fact", "question"}, {"fact", "question"}, "an 'ask' entry")) return;
      Ask a{string_field(e, "fact"), string_field(e, "question")};
      if (!a.fact.empty()) check_id(e.child("fact"), a.fact);
      if (e.has("question") && a.question.empty()) error(e.child("question"), "check.required", "'question' must not be empty");
      r.ask.push_back(std::move(a));
    });
    if (at.has("plan")) {
      At p = at.child("plan");
      if (check_keys(p, {"duration_min", "sessions_per_week", "weeks"}, {}, "'plan'")) {
        r.plan = Plan{int_field(p, "duration_min", 1), int_field(p, "sessions_per_week", 1), int_field(p, "weeks", 1)};
      }
    }
  }

  template <typename F>
  void for_each_entry(const At& then, const char* key, F&& f) {
    if (!then.has(key)) return;
    At list = then.child(key);
    if (!expect(list, json::value_t::array, "an array")) return;
    for (std::size_t i = 0; i < list.value->size(); ++i) f(list.item(i));
  }

  void read_evidence(const At& at, Rule& r) {
    if (!check_keys(at, {"grade", "source", "note"}, {"grade", "source"}, "'evidence'")) return;
    static const std::vector<std::string> grade_names{"high", "moderate", "low", "very_low", "consensus"};
    Evidence e;
    e.grade = enum_field<EvidenceGrade>(at, "grade", parse_evidence_grade, grade_names).value_or(EvidenceGrade::consensus);
    e.source = string_field(at, "source");
    e.note = string_field(at, "note");
    r.evidence = std::move(e);
  }

  // ---- codes, synonyms, inputs ----
  void read_codes(const At& codes, Concept& c) {
    if (!expect(codes, json::value_t::object, "an object (system -> codes)")) return;
    for (const auto& [system, list] : codes.value->items()) {
      const std::string canonical(canonical_code_system(system));
      if (canonical.empty()) {
        key_error(codes.child(system), "check.code_system",
                  "unknown code system '" + system + "' (known: icd10cm, snomed, atc, rxnorm, or their FHIR URIs)" +
                      did_you_mean(logic::nearest(system, known_code_systems())));
        continue;
      }
      At at = codes.child(system);
      auto values = string_list(at);
      for (std::size_t i = 0; i < values.size(); ++i) {
        const std::string& code = values[i];
        const auto star = code.find('*');
        if (code.empty() || (star != std::string::npos && star + 1 != code.size())) {
          error(at.item(i), "check.code_format", "code '" + code + "': '*' may only end a branch claim (\"B01AF*\")");
          continue;
        }
        c.codes[canonical].push_back(code);
        code_claims_.push_back({at.item(i), c.kind, c.id, canonical, code});
      }
    }
  }

  void read_inputs(const At& at) {
    if (!expect(at, json::value_t::object, "an object (patient field -> declaration)")) return;
    static const std::vector<std::string> type_names{"number", "integer", "string", "boolean", "array", "object"};
    auto parse_type = [](std::string_view name) noexcept -> std::optional<InputType> {
      const std::pair<const char*, InputType> types[] = {{"number", InputType::number}, {"integer", InputType::integer},
                                                         {"string", InputType::string}, {"boolean", InputType::boolean},
                                                         {"array", InputType::array},   {"object", InputType::object}};
      for (const auto& [n, t] : types) {
        if (name == n) return t;
      }
      return std::nullopt;
    };
    for (const auto& [path, spec] : at.value->items()) {
      At e = at.child(path);
      bool path_ok = !path.empty() && path.front() != '.' && path.back() != '.' && path.find("..") == std::string::npos;
      for (char ch : path) path_ok = path_ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.');
      if (!path_ok) {
        key_error(e, "check.input_path", "input '" + path + "' must be a dotted path of lower-case names (\"labs.platelets\")");
        continue;
      }
      if (PatientFields::is_standard(path)) {
        key_error(e, "check.input_path", "input '" + path + "' is a standard patient field; declare only fields beyond them");
        continue;
      }
      if (!check_keys(e, {"type", "items", "kind", "unit", "min", "max", "enum", "description"}, {"type"}, "an input declaration")) continue;
      InputField f;
      f.path = path;
      f.location = e.doc->locate(e.pointer);
      auto type_of = [&](const char* key) -> std::optional<InputType> {
        auto name = string_field(e, key);
        auto t = parse_type(name);
        if (!t && !name.empty()) {
          error(e.child(key), "check.enum", "'" + std::string(key) + "' must be one of number, integer, string, boolean, array, object, not '" +
                                                name + "'" + did_you_mean(logic::nearest(name, type_names)));
        }
        return t;
      };
      f.type = type_of("type").value_or(InputType::object);
      if (e.has("items")) {
        f.items = type_of("items");
        if (f.type != InputType::array) error(e.child("items"), "check.input_items", "'items' belongs to an array input");
      }
      if (e.has("kind")) {
        const std::string kind = string_field(e, "kind");
        std::vector<std::string> kinds;
        for (auto k : all_concept_kinds) {
          kinds.emplace_back(to_string(k));
          if (kind == to_string(k)) f.kind = k;
        }
        if (!f.kind && !kind.empty()) {
          error(e.child("kind"), "check.enum", "'kind' must be a concept kind (condition, medication, modality, ...), not '" + kind +
                                                   "'" + did_you_mean(logic::nearest(kind, kinds)));
        }
      }
      f.unit = string_field(e, "unit");
      f.description = string_field(e, "description");
      for (const char* key : {"min", "max"}) {
        if (!e.has(key)) continue;
        if (!expect(e.child(key), json::value_t::number_float, "a number")) continue;
        (std::string(key) == "min" ? f.min : f.max) = e.value->at(key).get<double>();
      }
      if (f.min && f.max && *f.min > *f.max) error(e, "check.range", "input '" + path + "': 'min' is above 'max'");
      if (e.has("enum")) f.enum_values = string_list(e.child("enum"));
      auto [it, inserted] = input_sites_.emplace(path, f.location);
      if (!inserted) {
        key_error(e, "check.duplicate_id", "input '" + path + "' is declared twice; first at " + it->second.to_string());
        continue;
      }
      inputs_json_[path] = spec;
      out_.inputs.push_back(std::move(f));
    }
  }

  // A normalized id or synonym claimed by two concepts of one kind would make a patient's word
  // mean whichever loaded first; so would one code or branch claimed twice.
  void check_names_and_codes() {
    std::array<std::map<std::string, std::pair<std::string, std::string>>, std::size(all_concept_kinds)> names;
    for (std::size_t n = 0; n < concepts_.size(); ++n) {
      const Concept& c = concepts_[n];
      const At& at = concept_ats_[n];
      auto& claimed = names[static_cast<std::size_t>(c.kind)];
      auto claim = [&](const std::string& word, const std::string& what, const At& where) {
        const std::string key = normalize_name(word);
        if (key.empty()) return;
        auto [it, inserted] = claimed.emplace(key, std::make_pair(c.id, what));
        if (inserted || it->second.first == c.id) return;
        error(where, "check.name_conflict",
              std::string(to_string(c.kind)) + " '" + c.id + "': " + what + " reads the same as " + it->second.second +
                  " of " + std::string(to_string(c.kind)) + " '" + it->second.first + "'; a patient's '" + word +
                  "' would be ambiguous");
      };
      claim(c.id, "its id '" + c.id + "'", at.child("id"));
      if (at.has("synonyms")) {
        At list = at.child("synonyms");
        for (std::size_t i = 0; i < c.synonyms.size() && i < list.value->size(); ++i) {
          claim(c.synonyms[i], "synonym '" + c.synonyms[i] + "'", list.item(i));
        }
      }
    }
    std::map<std::tuple<std::size_t, std::string, std::string>, std::string> codes;
    for (const auto& claim : code_claims_) {
      const bool branch = claim.code.back() == '*';
      std::string key = normalize_code(claim.system, branch ? claim.code.substr(0, claim.code.size() - 1) : claim.code);
      if (branch) key += '*';
      auto [it, inserted] = codes.emplace(std::make_tuple(static_cast<std::size_t>(claim.kind), claim.system, key), claim.id);
      if (inserted || it->second == claim.id) continue;
      error(claim.at, "check.code_conflict",
            std::string(branch ? "branch " : "code ") + claim.system + " '" + claim.code + "' is claimed by " +
                std::string(to_string(claim.kind)) + " '" + it->second + "' and by " + std::string(to_string(claim.kind)) +
                " '" + claim.id + "'");
    }
  }

  // Every literal `var`/`val`/`missing` path a rule reads must be a standard patient field or a
  // declared input; inside map/filter/reduce/all/some/none the item is read, not the patient.
  void check_rule_paths() {
    const PatientFields fields(out_.inputs);
    for (std::size_t i = 0; i < rule_ats_.size(); ++i) {
      const At& at = rule_ats_[i];
      if (!at.has("when")) continue;
      walk_paths(at.child("when"), fields, out_.rules[i].id);
    }
  }

  void walk_paths(const At& at, const PatientFields& fields, const std::string& rule_id) {
    const json& v = *at.value;
    if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) walk_paths(at.item(i), fields, rule_id);
      return;
    }
    if (!v.is_object() || v.size() != 1) return;
    const auto first = v.begin();
    const std::string op = first.key();
    const json& args = first.value();
    At a = at.child(op);
    auto check = [&](const At& where, const std::string& path) {
      if (fields.knows(path)) return;
      error(where, "check.unknown_field",
            "in rule '" + rule_id + "': unknown patient field '" + path + "'" + did_you_mean(logic::nearest(path, fields.paths())) +
                " (declare fields beyond the standard ones under 'inputs')");
    };
    if (op == "var") {
      if (args.is_string()) check(a, args.get<std::string>());
      else if (args.is_array() && !args.empty() && args[0].is_string()) check(a.item(0), args[0].get<std::string>());
      if (args.is_array()) {
        for (std::size_t i = 1; i < args.size(); ++i) walk_paths(a.item(i), fields, rule_id);
      }
      return;
    }
    if (op == "val") {
      // {"val": "a"} or {"val": ["a", "b"]}; a leading array climbs scopes, which is not the patient.
      if (args.is_string()) {
        check(a, args.get<std::string>());
      } else if (args.is_array() && !args.empty() && args[0].is_string()) {
        std::string path;
        for (const auto& seg : args) {
          if (!seg.is_string()) return;
          path += (path.empty() ? "" : ".") + seg.get<std::string>();
        }
        check(a, path);
      }
      return;
    }
    if (op == "missing") {
      if (args.is_string()) check(a, args.get<std::string>());
      if (args.is_array()) {
        for (std::size_t i = 0; i < args.size(); ++i) {
          if (args[i].is_string()) check(a.item(i), args[i].get<std::string>());
        }
      }
      return;
    }
    static const char* scoped[] = {"map", "filter", "reduce", "all", "some", "none"};
    if (std::find_if(std::begin(scoped), std::end(scoped), [&](const char* s) { return op == s; }) != std::end(scoped)) {
      if (args.is_array() && !args.empty()) walk_paths(a.item(0), fields, rule_id);
      if (op == "reduce" && args.is_array() && args.size() > 2) walk_paths(a.item(2), fields, rule_id);
      return;
    }
    walk_paths(a, fields, rule_id);
  }

  // `"version"`: MAJOR[.MINOR[.PATCH]] with an optional pre-release and build ("1", "0.1",
  // "1.2.3-rc.1"), the same pattern as the JSON Schema's.
  void check_version(const At& at) {
    if (!at.value->is_string()) return;
    const std::string& v = at.value->get_ref<const std::string&>();
    std::size_t i = 0;
    int parts = 0;
    bool ok = true;
    while (ok) {
      const std::size_t start = i;
      while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
      ok = i > start && (i - start == 1 || v[start] != '0');
      ++parts;
      if (!ok || parts == 3 || i >= v.size() || v[i] != '.') break;
      ++i;
    }
    // Then "-pre-release" and "+build", each of letters, digits, dots and hyphens.
    for (char mark : {'-', '+'}) {
      if (!ok || i >= v.size() || v[i] != mark) continue;
      const std::size_t start = ++i;
      while (i < v.size() && (std::isalnum(static_cast<unsigned char>(v[i])) != 0 || v[i] == '.' || v[i] == '-')) ++i;
      ok = i > start;
    }
    ok = ok && i == v.size();
    if (!ok) error(at, "check.version_format", "version '" + v + "' must be numbers separated by dots, e.g. '1.0.0'");
  }

  // `"lint": {"accept": [codes], "because": "...", "rules": [ids], "concepts": [ids]}`, or a list
  // of them.
  void read_lint(const At& at, const std::vector<std::string>& rule_scope) {
    if (at.value->is_array()) {
      for (std::size_t i = 0; i < at.value->size(); ++i) read_lint(at.item(i), rule_scope);
      return;
    }
    const bool in_rule = !rule_scope.empty();
    if (!check_keys(at, in_rule ? std::vector<std::string>{"accept", "because"}
                                : std::vector<std::string>{"accept", "because", "rules", "concepts"},
                    {"accept", "because"}, "'lint'") &&
        !at.has("accept")) {
      return;
    }
    LintAcceptance a;
    if (!at.has("accept")) return;
    At accept = at.child("accept");
    a.codes = string_list(accept);
    const auto& known_codes = lint_codes();
    for (std::size_t i = 0; i < a.codes.size(); ++i) {
      if (std::find(known_codes.begin(), known_codes.end(), a.codes[i]) == known_codes.end()) {
        error(accept.item(i), "check.unknown_lint_code",
              "unknown lint code '" + a.codes[i] + "'" + did_you_mean(logic::nearest(a.codes[i], known_codes)));
      }
    }
    a.because = string_field(at, "because");
    if (at.has("because") && a.because.empty()) error(at.child("because"), "check.range", "'because' must give a reason");
    a.rules = rule_scope;
    if (at.has("rules")) {
      At rules = at.child("rules");
      a.rules = string_list(rules);
      for (std::size_t i = 0; i < a.rules.size(); ++i) lint_rule_refs_.push_back({rules.item(i), a.rules[i]});
    }
    if (at.has("concepts")) a.concepts = string_list(at.child("concepts"));
    a.location = at.doc->locate(at.pointer);
    out_.lint_acceptances.push_back(std::move(a));
  }

  void check_rule_references() {
    // A stale acknowledgement must not stop a rule set from loading: a warning, which lint
    // repeats as an acknowledgement that covers nothing.
    for (const auto& ref : lint_rule_refs_) {
      if (rule_sites_.count(ref.id) != 0 || (!ref.id.empty() && ref.id.back() == '*')) continue;
      std::vector<std::string> ids;
      for (const auto& [id, site] : rule_sites_) ids.push_back(id);
      warn(ref.at, "check.unknown_rule", "'lint' names unknown rule '" + ref.id + "'" + did_you_mean(logic::nearest(ref.id, ids)));
    }
    for (const auto& ref : refs_) {
      if (!ref.id.empty()) check_ref(ref.at, ref.kind, ref.id);
    }
  }

  // ---- canonical content ----
  void finish_canonical() {
    json concepts = json::object();
    for (auto kind : all_concept_kinds) {
      auto list = concept_json_[static_cast<std::size_t>(kind)];
      if (list.empty()) continue;
      std::sort(list.begin(), list.end(), [](const json& a, const json& b) { return a.value("id", "") < b.value("id", ""); });
      concepts[std::string(plural(kind))] = std::move(list);
    }
    auto rules = rule_json_;
    std::sort(rules.begin(), rules.end(), [](const json& a, const json& b) { return a.value("id", "") < b.value("id", ""); });
    json defaults{{"goals", out_.default_goals}};
    if (out_.review_pressure_max) defaults["review_pressure_max"] = std::string(to_string(*out_.review_pressure_max));
    out_.canonical = json{{"ruleset", out_.name},
                          {"version", out_.version},
                          {"defaults", std::move(defaults)},
                          {"concepts", std::move(concepts)},
                          {"rules", std::move(rules)}};
    if (!inputs_json_.empty()) out_.canonical["inputs"] = inputs_json_;
  }

  CheckedRuleSet out_;
  std::vector<Concept> concepts_;
  std::array<std::map<std::string, SourceLocation>, std::size(all_concept_kinds)> concept_sites_;
  std::array<std::vector<json>, std::size(all_concept_kinds)> concept_json_;
  std::map<std::string, SourceLocation> rule_sites_;
  std::map<std::string, std::string> identity_site_;
  std::vector<json> rule_json_;
  std::vector<At> rule_ats_;
  std::vector<Ref> is_a_refs_;
  std::vector<Ref> goal_refs_;
  std::vector<Ref> refs_;
  std::vector<Ref> lint_rule_refs_;
  std::vector<const Document*> raw_files_;
  std::vector<At> concept_ats_;  // parallel to concepts_
  struct CodeClaim {
    At at;
    ConceptKind kind;
    std::string id;
    std::string system;
    std::string code;
  };
  std::vector<CodeClaim> code_claims_;
  std::map<std::string, SourceLocation> input_sites_;
  json inputs_json_ = json::object();
  const OverlayPlan* overlay_ = nullptr;
  std::size_t layer_ = 0;
};

}  // namespace

bool CheckedRuleSet::has_errors() const noexcept {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}

CheckedRuleSet check(const std::vector<Document>& documents, const OverlayPlan* overlay) {
  return Checker().run(documents, overlay);
}

}  // namespace knead::detail
