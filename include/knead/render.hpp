#pragma once
/// \file
/// Stage 7: a recommendation as JSON, as a therapist's note, and as CDS Hooks cards.

#include <knead/export.hpp>
#include <knead/recommendation.hpp>
#include <knead/rule_set.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace knead {

/// The result's JSON form (docs/result-format.md; "trace" when explained), keys in a fixed order.
/// Same input, same bytes.
[[nodiscard]] KNEAD_API nlohmann::ordered_json to_json_value(const Recommendation& recommendation);
/// `to_json_value(...).dump(indent)`; indent -1 gives one line.
[[nodiscard]] KNEAD_API std::string to_json(const Recommendation& recommendation, int indent = 2);
/// A plain-language note a therapist can act on: what to do, at what pressure, what to avoid
/// and where, whom to refer to, and why. With the rule set, the reasons quote rule titles and
/// their evidence; without it, rule ids.
[[nodiscard]] KNEAD_API std::string to_text(const Recommendation& recommendation, const RuleSet* rules = nullptr);
/// A CDS Hooks response: {"cards": [{uuid, summary, indicator, detail, source}, ...]}: one
/// critical card per urgent referral, warning cards for exclusions and areas to avoid, an info
/// card for the treatment suggested. `summary` stays under 140 characters as CDS Hooks requires.
[[nodiscard]] KNEAD_API nlohmann::ordered_json to_cds_hooks(const Recommendation& recommendation, const RuleSet* rules = nullptr);

}  // namespace knead
