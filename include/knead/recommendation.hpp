#pragma once
/// \file
/// Stage 6's output: one patient's recommendation, and why (SPEC sections 6 and 7).

#include <knead/reading.hpp>
#include <knead/scales.hpp>
#include <knead/source_location.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace knead {

/// From strongest: error (a safety-relevant rule failed; nothing recommended), refer (see a
/// clinician first; nothing recommended), review (some input could not be read; recommendation
/// kept with every modality capped), ok.
enum class Status { ok, refer, error, review };
/// How strong a status is: ok 0 < review 1 < refer 2 < error 3.
[[nodiscard]] int severity(Status status) noexcept;
[[nodiscard]] const char* to_string(Status status) noexcept;

/// A caution attached to an item or to the whole result.
struct Caution {
  std::string reason;
  std::vector<std::string> because;          ///< rule ids
  std::string target;                         ///< the modality or self-care id it names ("" if none)
  std::optional<Pressure> pressure_max;
};

struct RecommendedModality {
  std::string id;
  std::string label;
  double score = 0;
  Pressure pressure = Pressure::medium;
  std::optional<int> duration_min;
  std::vector<std::string> because;          ///< recommending rules, by priority then id
  std::vector<std::string> notes;            ///< notes of the recommending rules
  std::vector<Caution> cautions;
};

struct ExcludedItem {
  std::string id;
  std::string label;
  std::string reason;
  std::vector<std::string> because;          ///< rule ids, or empty for a patient's refusal
};

struct RecommendedSelfCare {
  std::string id;
  std::string label;
  std::string instructions;
  std::vector<std::string> because;
  std::vector<std::string> notes;
  std::vector<Caution> cautions;
};

struct AvoidedRegion {
  std::string id;
  std::string label;
  AvoidLevel level = AvoidLevel::contraindicated;
  std::string reason;
  std::vector<std::string> because;
  std::optional<Pressure> pressure_max;      ///< cautions: the cap for work on this region (strictest fired)
};

/// A fact the record lacks, asked for by fired rules (deduplicated by fact).
struct Question {
  std::string fact;
  std::string question;
  std::vector<std::string> because;          ///< rule ids
};

struct ReferralOut {
  std::string to;
  Urgency urgency = Urgency::routine;
  std::string reason;
  std::vector<std::string> because;
};

struct PlanOut {
  std::optional<int> duration_min;
  std::optional<int> sessions_per_week;
  std::optional<int> weeks;
  std::string because;
};

/// A rule whose evaluation failed (it counts as not fired).
struct RuleError {
  std::string rule;
  std::string code;
  std::string message;
};

/// One rule in an explanation: fired or not, and for one that did not fire, the first clause
/// that was false.
struct RuleTrace {
  std::string rule;
  std::string title;
  bool fired = false;
  std::string error;                     ///< evaluation error message, if any
  std::string failed_pointer;            ///< JSON pointer (in the rule's file) of the first false clause
  SourceLocation failed_location;
  nlohmann::json failed_clause;          ///< that clause as written
};

/// The recommendation for one patient.
struct Recommendation {
  std::string patient;
  std::string ruleset_name;
  std::string ruleset_version;
  std::string ruleset_digest;
  Status status = Status::ok;
  std::vector<RecommendedModality> modalities;
  std::vector<ExcludedItem> excluded;
  std::vector<RecommendedSelfCare> self_care;
  std::vector<AvoidedRegion> avoid_regions;
  std::vector<Caution> cautions;
  std::vector<ReferralOut> referrals;
  std::optional<PlanOut> plan;
  std::vector<std::string> warnings;
  std::vector<Interpreted> interpreted;  ///< entries read other than by their exact id
  std::vector<Unresolved> unresolved;    ///< entries that could not be read (status review)
  std::vector<Question> questions;       ///< facts to ask for
  std::vector<RuleError> errors;
  std::vector<std::string> fired;        ///< fired rules, in rule-set order
  std::optional<std::vector<RuleTrace>> trace;   ///< present when explain was on
};

}  // namespace knead
