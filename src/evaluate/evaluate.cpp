#include "evaluate/evaluate.hpp"

#include <knead/suggest.hpp>

#include <knead/logic/context.hpp>
#include <knead/logic/error.hpp>

#include <algorithm>

namespace knead::detail {
namespace {

using nlohmann::json;

class Normalizer {
 public:
  Normalizer(const CompiledRuleSet& rules, bool strict) : rules_(rules), ontology_(rules.ontology), strict_(strict) {
    for (auto kind : all_concept_kinds) out_.present[static_cast<std::size_t>(kind)].assign(ontology_.size(kind), 0);
  }

  NormalizedPatient run(const json& doc) {
    read_list(doc, "conditions", ConceptKind::condition);
    read_list(doc, "goals", ConceptKind::goal);
    read_list(doc, "findings", ConceptKind::finding);
    read_list(doc, "medications", ConceptKind::medication);
    auto& goals = out_.direct[static_cast<std::size_t>(ConceptKind::goal)];
    if (goals.empty() && !rules_.default_goals.empty() && !has_entries(doc, "goals")) {
      std::string names;
      for (const auto& g : rules_.default_goals) names += (names.empty() ? "" : ", ") + g;
      out_.warnings.push_back("no goals given; using the rule set's default goals: " + names);
      for (auto g : rules_.default_goal_indices) mark(ConceptKind::goal, g);
    }
    if (auto pain = doc.find("pain"); pain != doc.end() && pain->is_object()) {
      if (auto loc = pain->find("locations"); loc != pain->end() && loc->is_array()) {
        for (std::size_t i = 0; i < loc->size(); ++i) {
          if (auto r = region((*loc)[i].get<std::string>(), "pain.locations[" + std::to_string(i) + "]")) {
            mark(ConceptKind::region, *r);  // regions present are pain locations only
          }
        }
      }
    }
    if (auto prefs = doc.find("preferences"); prefs != doc.end() && prefs->is_object()) {
      if (auto p = prefs->find("pressure"); p != prefs->end() && p->is_string()) {
        out_.preferred_pressure = parse_pressure(p->get<std::string>());
      }
      if (auto d = prefs->find("declined"); d != prefs->end() && d->is_array()) {
        for (std::size_t i = 0; i < d->size(); ++i) declined((*d)[i].get<std::string>(), i);
      }
    }
    return std::move(out_);
  }

 private:
  static bool has_entries(const json& doc, const char* key) {
    auto it = doc.find(key);
    return it != doc.end() && it->is_array() && !it->empty();
  }

  void mark(ConceptKind kind, Ontology::Index index) {
    out_.direct[static_cast<std::size_t>(kind)].push_back(index);
    auto& present = out_.present[static_cast<std::size_t>(kind)];
    for (auto a : ontology_.self_and_ancestors(kind, index)) present[a] = 1;
  }

  void unknown(const std::string& field, const std::string& message) {
    if (strict_) throw PatientError("patient.unknown_concept", field, "patient." + field + ": " + message);
    out_.warnings.push_back(field + ": " + message + "; ignored");
  }

  void read_list(const json& doc, const char* key, ConceptKind kind) {
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_array()) return;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& e = (*it)[i];
      const std::string field = std::string(key) + "[" + std::to_string(i) + "]";
      std::optional<Ontology::Index> index;
      if (e.is_string() || e.contains("id")) {
        const std::string id = e.is_string() ? e.get<std::string>() : e["id"].get<std::string>();
        index = ontology_.index(kind, id);
        if (!index) unknown(field, "unknown " + std::string(to_string(kind)) + " '" + id + "'" + did_you_mean(ontology_.nearest(kind, id)));
      } else {
        const std::string system = e["system"].get<std::string>();
        const std::string code = e["code"].get<std::string>();
        if (const Concept* c = ontology_.find_code(kind, system, code)) {
          index = ontology_.index(kind, c->id);
        } else if (auto other = code_of_other_kind(kind, system, code)) {
          // A code filed under the wrong list still counts, in its own kind: safety rules about
          // a finding must see it even when the record lists it among the conditions.
          const Concept& target = ontology_.at(other->first, other->second);
          out_.warnings.push_back(field + ": " + system + " code '" + code + "' is the " +
                                  std::string(to_string(other->first)) + " '" + target.id + "'; taken as such");
          mark(other->first, other->second);
        } else {
          unknown(field, "no " + std::string(to_string(kind)) + " has the " + system + " code '" + code + "'");
        }
      }
      if (!index) continue;
      mark(kind, *index);
      if (kind == ConceptKind::finding && e.is_object() && e.contains("sites")) {
        std::vector<Ontology::Index> sites;
        const json& s = e["sites"];
        for (std::size_t k = 0; k < s.size(); ++k) {
          if (auto r = region(s[k].get<std::string>(), field + ".sites[" + std::to_string(k) + "]")) sites.push_back(*r);
        }
        out_.finding_sites.emplace_back(*index, std::move(sites));
      }
    }
  }

  std::optional<std::pair<ConceptKind, Ontology::Index>> code_of_other_kind(ConceptKind kind, const std::string& system,
                                                                           const std::string& code) const {
    for (auto other : {ConceptKind::condition, ConceptKind::finding, ConceptKind::medication, ConceptKind::goal}) {
      if (other == kind) continue;
      if (const Concept* c = ontology_.find_code(other, system, code)) return std::make_pair(other, *ontology_.index(other, c->id));
    }
    return std::nullopt;
  }

  std::optional<Ontology::Index> region(const std::string& id, const std::string& field) {
    auto index = ontology_.index(ConceptKind::region, id);
    if (!index) unknown(field, "unknown region '" + id + "'" + did_you_mean(ontology_.nearest(ConceptKind::region, id)));
    return index;
  }

  void declined(const std::string& id, std::size_t i) {
    if (auto m = ontology_.index(ConceptKind::modality, id)) {
      out_.declined_modalities.push_back(*m);
    } else if (auto s = ontology_.index(ConceptKind::self_care, id)) {
      out_.declined_self_care.push_back(*s);
    } else {
      std::vector<std::string> ids;
      for (auto kind : {ConceptKind::modality, ConceptKind::self_care}) {
        for (const auto& c : ontology_.concepts(kind)) ids.push_back(c.id);
      }
      unknown("preferences.declined[" + std::to_string(i) + "]",
              "unknown modality or self-care item '" + id + "'" + did_you_mean(knead::nearest(id, ids)));
    }
  }

  const CompiledRuleSet& rules_;
  const Ontology& ontology_;
  bool strict_;
  NormalizedPatient out_;
};

// The first false clause: descend through `and`s to the first child that is false.
void explain_failure(const CompiledRuleSet& rules, const Rule& rule, const std::string& file, const logic::Node& root,
                     logic::Context& ctx, RuleTrace& trace) {
  const logic::Node* node = &root;
  try {
    while (node->op() == "and") {
      const logic::Node* next = nullptr;
      for (const auto& child : node->args()) {
        if (!child->test(ctx)) {
          next = child.get();
          break;
        }
      }
      if (next == nullptr) break;
      node = next;
    }
  } catch (const logic::Error&) {
    // The clause itself errors; report the node reached so far.
  }
  trace.failed_pointer = node->pointer();
  auto doc = rules.documents.find(file);
  if (doc != rules.documents.end()) trace.failed_location = doc->second.locate(node->pointer());
  const std::string prefix = rule.pointer + "/when";
  if (node->pointer().compare(0, prefix.size(), prefix) == 0) {
    try {
      trace.failed_clause = rule.when.at(json::json_pointer(node->pointer().substr(prefix.size())));
    } catch (const json::exception&) {
      trace.failed_clause = nullptr;
    }
  }
}

}  // namespace

NormalizedPatient normalize(const CompiledRuleSet& rules, const Patient& patient, bool strict) {
  return Normalizer(rules, strict).run(patient.document());
}

Evaluation evaluate(const CompiledRuleSet& rules, const Patient& patient, const RecommendOptions& options) {
  Evaluation ev;
  ev.patient = normalize(rules, patient, options.strict);
  ev.fired.assign(rules.rules.size(), 0);
  if (options.explain) ev.trace.emplace();
  const json& data = patient.document();
  for (std::size_t i = 0; i < rules.rules.size(); ++i) {
    const Rule& rule = rules.rules[i];
    const auto& when = rules.compiled[i].when;
    bool fired = true;
    std::string error;
    if (when) {
      try {
        logic::Context ctx(data, &ev.patient, rules.limits);
        fired = when->test(ctx);
      } catch (const logic::Error& e) {
        fired = false;
        error = e.what();
        ev.errors.push_back(RuleError{rule.id, e.code(), e.what()});
      } catch (const std::exception& e) {  // e.g. memory exhausted by a hostile rule
        fired = false;
        error = e.what();
        ev.errors.push_back(RuleError{rule.id, "eval.failure", e.what()});
      }
      if (!error.empty() && rule.safety_relevant()) ev.fail_closed = true;
    }
    ev.fired[i] = fired ? 1 : 0;
    if (ev.trace) {
      RuleTrace t;
      t.rule = rule.id;
      t.title = rule.title;
      t.fired = fired;
      t.error = error;
      if (!fired && error.empty() && when) {
        logic::Context ctx(data, &ev.patient, rules.limits);
        explain_failure(rules, rule, rule.location.file, *when, ctx, t);
      }
      ev.trace->push_back(std::move(t));
    }
  }
  return ev;
}

}  // namespace knead::detail
