#pragma once
/// \file
/// Stage 7: a recommendation as JSON, as a therapist's note, and as CDS Hooks cards.

#include <knead/export.hpp>
#include <knead/recommendation.hpp>
#include <knead/rule_set.hpp>
#include <nlohmann/json_fwd.hpp>

#include <string>

namespace knead {

/// The result's JSON form (docs/result-format.md; "trace" when explained), keys in a fixed order.
/// Same input, same bytes.
[[nodiscard]] KNEAD_API nlohmann::ordered_json to_json_value(const Recommendation& recommendation);
/// `to_json_value(...).dump(indent)`; indent -1 gives one line.
[[nodiscard]] KNEAD_API std::string to_json(const Recommendation& recommendation, int indent = 2);
/// Appends `to_json(recommendation, -1)` to `out`: results one after another in one buffer,
/// as a batch writes them, without a string of their own.
KNEAD_API void append_json(const Recommendation& recommendation, std::string& out);
/// A plain-language note a therapist can act on: what to do, at what pressure, what to avoid
/// and where, whom to refer to, and why. With the rule set, the reasons quote rule titles and
/// their evidence; without it, rule ids.
[[nodiscard]] KNEAD_API std::string to_text(const Recommendation& recommendation, const RuleSet* rules = nullptr);
/// A CDS Hooks response, `{"cards": [...], "extension": {...}}`, in words a clinician reads:
/// a critical card per referral that stops treatment, a warning card for input that could not
/// be read (status review), one for questions to ask, one for what not to use, one for where
/// not to treat, one for cautions, and an info card for the treatment suggested (with the
/// record's notes). Citations are in each card's detail; ids are RFC 4122 name-based UUIDs, the
/// same for the same result; `summary` stays under 140 characters. The extension names the
/// status and the rule set with its digest.
[[nodiscard]] KNEAD_API nlohmann::ordered_json to_cds_hooks(const Recommendation& recommendation, const RuleSet* rules = nullptr);

}  // namespace knead
