#pragma once
// The compiled form of a rule set: rules with their conditions compiled and every concept id
// resolved to an index once, so evaluation never looks an id up by string.

#include "compile/data_reads.hpp"
#include "compile/rule_gate.hpp"
#include "model/patient_fields.hpp"
#include "model/reading_words.hpp"
#include "model/rule_texts.hpp"
#include "util/remembered.hpp"

#include <knead/document.hpp>
#include <knead/logic/node.hpp>
#include <knead/rule_set.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace knead::detail {

/// A concept reference resolved at compile time.
struct ConceptRef {
  ConceptKind kind = ConceptKind::modality;
  Ontology::Index index = 0;
};

/// One rule ready to evaluate; parallel to RuleSet::rules().
struct CompiledRule {
  std::shared_ptr<const logic::Node> when;          // null: always fires
  std::vector<Ontology::Index> recommend;           // modality per Rule::recommend entry
  std::vector<ConceptRef> avoid;                    // target per Rule::avoid entry
  std::vector<Ontology::Index> self_care;           // item per Rule::self_care entry
};

struct CompiledRuleSet {
  std::string name;
  std::string version;
  std::string digest;
  std::vector<Rule> rules;
  std::vector<CompiledRule> compiled;
  // The rules' gates (rule_gate.hpp): gated[rule], then every gate's facts one after another,
  // each with the rule whose gate it is in. Flat arrays, read together once per patient.
  std::vector<char> gated;
  std::vector<std::uint32_t> gate_facts;
  std::vector<std::uint32_t> gate_rules;
  // The same by fact, for a patient's few facts to open their rules: the rules gated on fact f
  // are fact_rules[fact_gates[f]] up to fact_rules[fact_gates[f + 1]].
  std::vector<std::uint32_t> fact_gates;
  std::vector<std::uint32_t> fact_rules;
  // rank[i]: rule i's place when rules are ordered by priority, highest first, then id; the
  // order of every `because` list, compared without comparing ids.
  std::vector<std::size_t> rank;
  RuleTexts texts;  // the rules' ids and notes, for results to refer to (resolve)
  Ontology ontology;
  std::vector<std::string> default_goals;
  std::vector<Ontology::Index> default_goal_indices;
  std::vector<std::string> declinable_ids;  // modality then self-care ids: "did you mean" for a refusal
  // How the names patients give that are not exact ids read, per kind, and refusals that name
  // nothing; with the fixed words of entries, what unresolved and interpreted entries refer to.
  std::array<Remembered<NameReading>, std::size(all_concept_kinds)> names;
  Remembered<UnknownName> unknown_refusals;
  ReadingWords words;
  Pressure review_pressure_max = Pressure::light;   // cap on every modality of a `review` result
  PatientFields fields;                              // standard and declared patient fields
  DataReads data_reads;                              // what the conditions read as data
  std::vector<Diagnostic> warnings;
  std::vector<std::string> files;
  std::map<std::string, Document> documents;
  nlohmann::json canonical;
  logic::Limits limits;
  std::vector<RuleSetLayer> layers;                  // one per path given to load, bottom first
  std::vector<LintAcceptance> lint_acceptances;

  static RuleSet wrap(std::shared_ptr<const CompiledRuleSet> impl) { return RuleSet(std::move(impl)); }
  // The compiled form of a loaded rule set, for the library's own stages (it is not API).
  static const CompiledRuleSet& of(const RuleSet& rules) noexcept { return rules.compiled(); }
};

}  // namespace knead::detail
