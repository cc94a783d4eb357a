#pragma once
/// \file
/// What changed between two versions of a rule set: its rules and concepts, field by field, and
/// the patients whose recommendation changes, and how. This is what a governance review signs.

#include <knead/export.hpp>
#include <knead/engine.hpp>
#include <knead/rule_set.hpp>
#include <knead/source_location.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace knead {

/// One field of a rule or concept that differs: its JSON pointer within the item
/// ("/then/recommend/0/weight"), and the value before and after (null when absent).
struct FieldChange {
  std::string field;
  nlohmann::json before;
  nlohmann::json after;
};

/// A rule or concept added, removed or changed.
struct ItemChange {
  enum class Kind { added, removed, changed };
  Kind change = Kind::changed;
  std::string item;            ///< "rule", or a concept kind ("condition", "modality", ...)
  std::string id;
  SourceLocation before;       ///< where it stood in the old rule set (empty when added)
  SourceLocation after;        ///< where it stands in the new one (empty when removed)
  std::vector<FieldChange> fields;   ///< for a change
};

/// "added", "removed" or "changed".
[[nodiscard]] KNEAD_API const char* to_string(ItemChange::Kind kind) noexcept;

/// A patient whose recommendation differs between the two rule sets.
struct PatientChange {
  std::string patient;         ///< the patient's id, the case's name, or "line N"
  std::string source;          ///< where the patient came from (file:line)
  /// One line per difference: "status: ok -> refer", "modality added: swedish",
  /// "modality removed: deep_tissue", "pressure of swedish: medium -> light",
  /// "referral added: physician (same_day)", "excluded added: hot_stone",
  /// "region added: neck (contraindicated)", "self-care removed: heat_therapy",
  /// "rejected by the new rule set: ...".
  std::vector<std::string> differences;
};

/// The difference between two rule sets.
struct RuleSetDiff {
  std::string before_name, before_version, before_digest;
  std::string after_name, after_version, after_digest;
  std::vector<ItemChange> items;              ///< rules first, then concepts; each sorted by id
  std::vector<PatientChange> patients;        ///< only the patients whose result changed
  std::size_t patients_compared = 0;

  [[nodiscard]] bool empty() const noexcept { return items.empty() && patients.empty(); }
};

/// A patient to compare results for, with where it comes from.
struct DiffPatient {
  std::string name;            ///< id, case name or "line N"
  std::string source;          ///< file:line
  nlohmann::json document;
};

/// Compares the rules and concepts of two rule sets (by id, through their canonical content).
[[nodiscard]] KNEAD_API RuleSetDiff diff_rule_sets(const RuleSet& before, const RuleSet& after);

/// Compares as diff_rule_sets, then runs every patient through both rule sets and records each
/// whose result differs: status, modalities added or removed, pressure, referrals, exclusions,
/// avoided regions and self-care.
[[nodiscard]] KNEAD_API RuleSetDiff diff_rule_sets(const RuleSet& before, const RuleSet& after,
                                         const std::vector<DiffPatient>& patients);

/// The differences in two results for one patient, as PatientChange::differences lines.
[[nodiscard]] KNEAD_API std::vector<std::string> diff_results(const Recommendation& before, const Recommendation& after);

/// The diff as JSON: {"before": {...}, "after": {...}, "rules": [...], "concepts": [...],
/// "patients": {"compared": N, "changed": [...]}}.
[[nodiscard]] KNEAD_API nlohmann::json to_json(const RuleSetDiff& diff);

/// The diff as text for people, one line per change.
[[nodiscard]] KNEAD_API std::string to_text(const RuleSetDiff& diff);

}  // namespace knead
