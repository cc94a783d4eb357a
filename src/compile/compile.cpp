#include "compile/compile.hpp"

#include "compile/domain_operators.hpp"
#include "util/sha256.hpp"

#include <knead/logic/error.hpp>

#include <algorithm>

namespace knead::detail {

std::shared_ptr<CompiledRuleSet> compile(CheckedRuleSet& checked, const std::vector<Document>& documents,
                                         const LoadOptions& options) {
  auto out = std::make_shared<CompiledRuleSet>();
  out->ontology = Ontology(checked.concepts);
  out->limits = options.logic;
  for (const auto& doc : documents) {
    out->files.push_back(doc.file());
    out->documents.emplace(doc.file(), doc);
  }

  const logic::OperatorTable operators = domain_operators(out->ontology);
  const Ontology& ontology = out->ontology;
  out->fields = PatientFields(checked.inputs);
  // The facts that say the record has one of the known keys at its top come after the
  // ontology's concepts in the fact table.
  const RecordKeyFacts record_keys{out->fields, static_cast<std::uint32_t>(fact_offsets(ontology).back())};
  auto index_of = [&](ConceptKind kind, const std::string& id) { return ontology.index(kind, id).value_or(0); };

  for (std::size_t i = 0; i < checked.rules.size(); ++i) {
    const Rule& rule = checked.rules[i];
    CompiledRule c;
    if (!rule.when.is_null()) {
      out->data_reads.add(rule.when);
      try {
        logic::Compiler compiler(operators, options.logic);
        const std::string when_at = rule.pointer + "/when";
        c.when = compiler.compile(rule.when, when_at);
        out->gated.resize(i + 1, 0);
        if (find_gate(*c.when, WrittenCondition{rule.when, when_at}, record_keys, options.logic, out->gate_facts)) {
          out->gated[i] = 1;
          out->gate_rules.resize(out->gate_facts.size(), static_cast<std::uint32_t>(i));
        }
      } catch (const logic::Error& e) {
        Diagnostic d;
        d.code = e.code();
        // The pointer is shown once, by the diagnostic; drop the core's own "(at ...)" suffix.
        std::string message = e.what();
        const std::string suffix = " (at " + e.pointer() + ")";
        if (!e.pointer().empty() && message.size() > suffix.size() &&
            message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0) {
          message.resize(message.size() - suffix.size());
        }
        d.message = "in rule '" + rule.id + "': " + message;
        d.pointer = e.pointer().empty() ? rule.pointer + "/when" : e.pointer();
        auto doc = out->documents.find(checked.rule_files[i]);
        d.location = doc != out->documents.end() ? doc->second.locate(d.pointer) : rule.location;
        checked.diagnostics.push_back(std::move(d));
      }
    }
    for (const auto& r : rule.recommend) c.recommend.push_back(index_of(ConceptKind::modality, r.modality));
    for (const auto& a : rule.avoid) {
      ConceptKind kind = ConceptKind::modality;
      switch (a.target) {
        case AvoidTarget::modality: kind = ConceptKind::modality; break;
        case AvoidTarget::self_care: kind = ConceptKind::self_care; break;
        case AvoidTarget::region: kind = ConceptKind::region; break;
        case AvoidTarget::finding_sites: kind = ConceptKind::finding; break;
      }
      c.avoid.push_back(ConceptRef{kind, index_of(kind, a.id)});
    }
    for (const auto& s : rule.self_care) c.self_care.push_back(index_of(ConceptKind::self_care, s.item));
    out->compiled.push_back(std::move(c));
    out->gated.resize(i + 1, 0);
  }
  if (checked.has_errors()) return nullptr;
  // The lists normalizing reads names from (evaluate.cpp), asked about for every patient with a
  // name to rewrite.
  for (const char* list : {"/conditions", "/goals", "/findings", "/medications", "/pain/locations",
                           "/preferences/pressure", "/preferences/declined"}) {
    out->data_reads.remember(list);
  }
  // The gates by fact (counted, then placed in rule order).
  out->fact_gates.assign(record_keys.first + out->fields.root().ordered.size() + 1, 0);
  for (const std::uint32_t f : out->gate_facts) ++out->fact_gates[f + 1];
  for (std::size_t f = 1; f < out->fact_gates.size(); ++f) out->fact_gates[f] += out->fact_gates[f - 1];
  out->fact_rules.resize(out->gate_facts.size());
  std::vector<std::uint32_t> next(out->fact_gates.begin(), out->fact_gates.end() - 1);
  for (std::size_t k = 0; k < out->gate_facts.size(); ++k)
    out->fact_rules[next[out->gate_facts[k]]++] = out->gate_rules[k];

  for (const auto& g : checked.default_goals) out->default_goal_indices.push_back(index_of(ConceptKind::goal, g));
  for (auto kind : {ConceptKind::modality, ConceptKind::self_care}) {
    for (const auto& c : ontology.concepts(kind)) out->declinable_ids.push_back(c.id);
  }
  out->name = checked.name;
  out->version = checked.version;
  out->default_goals = checked.default_goals;
  out->review_pressure_max = checked.review_pressure_max.value_or(Pressure::light);
  out->rules = checked.rules;
  std::vector<std::size_t> order(out->rules.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Rule& x = out->rules[a];
    const Rule& y = out->rules[b];
    if (x.priority != y.priority) return x.priority > y.priority;
    return x.id < y.id;
  });
  out->rank.resize(order.size());
  for (std::size_t r = 0; r < order.size(); ++r) out->rank[order[r]] = r;
  out->texts = RuleTexts(out->rules);
  out->canonical = checked.canonical;
  out->digest = "sha256:" + sha256_hex(out->canonical.dump());
  for (const auto& d : checked.diagnostics) {
    if (d.severity != Severity::error) out->warnings.push_back(d);
  }
  return out;
}

}  // namespace knead::detail
