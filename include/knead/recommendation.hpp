#pragma once
/// \file
/// Stage 6's output: one patient's recommendation, and why (docs/resolution.md, docs/result-format.md).

#include <knead/export.hpp>
#include <knead/layer.hpp>
#include <knead/reading.hpp>
#include <knead/scales.hpp>
#include <knead/shared_list.hpp>
#include <knead/source_location.hpp>
#include <knead/text.hpp>
#include <knead/text_list.hpp>

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace knead {

/// From strongest: error (a safety-relevant rule failed; nothing recommended), refer (see a
/// clinician first; nothing recommended), review (some input could not be read; recommendation
/// kept with every modality capped), ok.
enum class Status { ok, refer, error, review };
/// How strong a status is: ok 0 < review 1 < refer 2 < error 3.
[[nodiscard]] KNEAD_API int severity(Status status) noexcept;
[[nodiscard]] KNEAD_API const char* to_string(Status status) noexcept;

/// A caution attached to an item or to the whole result.
struct KNEAD_API Caution {
  Text reason;
  TextList because;           ///< rule ids
  Text target;                ///< the modality or self-care id it names ("" if none)
  std::optional<Pressure> pressure_max;
};

/// The cautions of an item, or of the whole result (see SharedList). A list of cautions is the
/// same for every patient whose fired rules give it, so the rule set keeps it the first time a
/// result has it (up to a few thousand distinct lists) and results refer to that; a list made
/// or copied elsewhere is its own. It reads like a `const std::vector<Caution>`: iterate it,
/// index it (`cautions[0].reason`), `size()`, `empty()`; `push_back` and `clear` work too.
using CautionList = SharedList<Caution>;

struct KNEAD_API RecommendedModality {
  Text id;
  Text label;
  double score = 0;
  Pressure pressure = Pressure::medium;
  std::optional<int> duration_min;
  TextList because;  ///< recommending rules, by priority then id
  TextList notes;    ///< notes of the recommending rules
  CautionList cautions;
};

struct KNEAD_API ExcludedItem {
  Text id;
  Text label;
  Text reason;
  TextList because;  ///< rule ids, or empty for a patient's refusal
};

struct KNEAD_API RecommendedSelfCare {
  Text id;
  Text label;
  Text instructions;
  TextList because;
  TextList notes;
  CautionList cautions;
};

/// A result's self-care items (see SharedList). They depend only on the rules that fired and
/// what the patient declined, so the rule set keeps each distinct list the first time a result
/// has it (up to a few thousand) and results refer to it; a list made or copied elsewhere is its
/// own. It reads like a `const std::vector<RecommendedSelfCare>`: iterate it, index it,
/// `size()`, `empty()`; `push_back` and `clear` work too.
using SelfCareList = SharedList<RecommendedSelfCare>;

struct KNEAD_API AvoidedRegion {
  Text id;
  Text label;
  AvoidLevel level = AvoidLevel::contraindicated;
  Text reason;
  TextList because;
  std::optional<Pressure> pressure_max;      ///< cautions: the cap for work on this region (strictest fired)
};

/// A fact the record lacks, asked for by fired rules (deduplicated by fact).
struct Question {
  Text fact;
  Text question;
  TextList because;  ///< rule ids
};

struct KNEAD_API ReferralOut {
  Text to;
  Urgency urgency = Urgency::routine;
  Text reason;
  TextList because;
};

struct KNEAD_API PlanOut {
  std::optional<int> duration_min;
  std::optional<int> sessions_per_week;
  std::optional<int> weeks;
  Text because;
};

/// A rule whose evaluation failed (it counts as not fired).
struct KNEAD_API RuleError {
  std::string rule;
  std::string code;
  std::string message;
};

/// One rule in an explanation: fired or not, and for one that did not fire, the first clause
/// that was false.
struct KNEAD_API RuleTrace {
  std::string rule;
  std::string title;
  bool fired = false;
  std::string error;                     ///< evaluation error message, if any
  std::string failed_pointer;            ///< JSON pointer (in the rule's file) of the first false clause
  SourceLocation failed_location;
  nlohmann::json failed_clause;          ///< that clause as written
};

/// The recommendation for one patient. Its texts that come from the rule set refer to the rule
/// set's strings (see Text); `rule_set` keeps them alive as long as the result lives.
struct KNEAD_API Recommendation {
  std::string patient;
  Text ruleset_name;
  Text ruleset_version;
  Text ruleset_digest;
  RuleSetLayers ruleset_layers;  ///< the rule sets stacked to make the one used, bottom first (the rule set's list)
  Status status = Status::ok;
  std::vector<RecommendedModality> modalities;
  std::vector<ExcludedItem> excluded;
  SelfCareList self_care;
  std::vector<AvoidedRegion> avoid_regions;
  CautionList cautions;
  std::vector<ReferralOut> referrals;
  std::optional<PlanOut> plan;
  std::vector<std::string> warnings;
  std::vector<Interpreted> interpreted;  ///< entries read other than by their exact id
  std::vector<Unresolved> unresolved;    ///< entries that could not be read (status review)
  std::vector<Question> questions;       ///< facts to ask for
  std::vector<RuleError> errors;
  std::vector<Text> fired;                       ///< fired rules, in rule-set order
  std::optional<std::vector<RuleTrace>> trace;   ///< present when explain was on
  /// The rule set whose strings the texts above refer to (null when none do).
  std::shared_ptr<const void> rule_set;
};

}  // namespace knead
