#pragma once
/// \file
/// One rule of a rule set, as written: when it fires and what it then says.

#include <knead/scales.hpp>
#include <knead/source_location.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace knead {

/// `recommend` entry: a modality and the weight this rule adds to its score.
struct Recommend {
  std::string modality;
  double weight = 1;
  std::optional<Pressure> pressure;
  std::string note;
};

/// What an `avoid` entry names: a modality, a self-care item, a body region, or the sites the
/// patient's record gives for a finding.
enum class AvoidTarget { modality, self_care, region, finding_sites };

/// `avoid` entry.
struct Avoid {
  AvoidTarget target = AvoidTarget::modality;
  std::string id;
  AvoidLevel level = AvoidLevel::contraindicated;
  std::optional<Pressure> pressure_max;   ///< cautions only
  std::string reason;
};

/// `self_care` entry.
struct SelfCare {
  std::string item;
  std::string note;
};

/// `refer` entry.
struct Referral {
  std::string to;
  Urgency urgency = Urgency::routine;
  std::string reason;
};

/// `plan` of sessions.
struct Plan {
  std::optional<int> duration_min;
  std::optional<int> sessions_per_week;
  std::optional<int> weeks;
};

/// `ask` entry: a fact the record lacks, and the question that gets it.
struct Ask {
  std::string fact;       ///< what is asked about: "pregnancy", "labs.platelets"
  std::string question;   ///< shown to the clinician
};

/// `evidence` behind a rule.
struct Evidence {
  EvidenceGrade grade = EvidenceGrade::consensus;
  std::string source;
  std::string note;
};

/// One rule. `when` is the JsonLogic condition as written (null: always).
struct Rule {
  std::string id;
  std::string title;
  std::string description;
  int priority = 0;
  nlohmann::json when;
  std::vector<Recommend> recommend;
  std::vector<Avoid> avoid;
  std::vector<SelfCare> self_care;
  std::vector<Referral> refer;
  std::optional<Plan> plan;
  std::vector<Ask> ask;
  std::optional<Evidence> evidence;
  std::vector<std::string> tags;
  SourceLocation location;   ///< where the rule object starts
  std::string pointer;       ///< JSON pointer of the rule in its file ("/rules/3")

  /// True when the rule can veto or stop treatment: an erroring one makes the result fail closed.
  [[nodiscard]] bool safety_relevant() const noexcept { return !avoid.empty() || !refer.empty(); }
};

}  // namespace knead
