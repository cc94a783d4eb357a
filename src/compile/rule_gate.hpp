#pragma once
// A rule's gate: facts of the patient one of which its condition needs to be true. Most rules
// begin with a domain test ({"finding": ["ci_fever", ...]}) and a patient has few facts, so a
// look at a few bytes of the patient's fact table settles most rules without evaluating them.

#include <knead/logic/node.hpp>

#include <cstdint>
#include <vector>

namespace knead::detail {

/// Whether `when`, tested for a patient with none of some facts, is false without an error or
/// any other effect; if so, appends those facts (places in `NormalizedPatient::present`) to
/// `facts`. That holds for a domain test, an `and` whose first argument holds it, an `or` all
/// of whose arguments do, and `!!` of one that does, when evaluating them that far cannot
/// exceed `max_work`: the evaluation it saves would have been exactly that.
[[nodiscard]] bool find_gate(const logic::Node& when, std::uint64_t max_work, std::vector<std::uint32_t>& facts);

}  // namespace knead::detail
