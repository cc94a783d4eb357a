#pragma once
// A rule's gate: facts of the patient one of which its condition needs to be true. Most rules
// begin with a domain test ({"finding": ["ci_fever", ...]}) and a patient has few facts, so a
// look at a few bytes of the patient's fact table settles most rules without evaluating them.

#include "compile/written_condition.hpp"
#include "model/patient_fields.hpp"

#include <knead/logic/context.hpp>
#include <knead/logic/node.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace knead::detail {

/// The facts that say a record has a key at its top: the key at place j of the known fields'
/// `root().ordered` is fact `first + j` (after the ontology's concepts in the fact table).
struct RecordKeyFacts {
  const PatientFields& fields;
  std::uint32_t first;
};

/// Whether `when`, tested for a patient with none of some facts, is false without an error or
/// any other effect; if so, appends those facts (places in `NormalizedPatient::present`) to
/// `facts`. That holds for a domain test, an `and` whose first argument holds it, an `or` all
/// of whose arguments do, and `!!` of one that does, when evaluating them that far cannot
/// exceed the work budget: the evaluation it saves would have been exactly that. A clause that
/// reads the record only below one of its known top keys, with plain operators, holds it too
/// when it is false without an error for a record without that key (tried on `{}` here): its
/// fact is the key's (`keys`). {"===": [{"var": "pregnant"}, true]} is false for every record
/// without "pregnant".
[[nodiscard]] bool find_gate(const logic::Node& when, const WrittenCondition& written, const RecordKeyFacts& keys,
                             const logic::Limits& limits, std::vector<std::uint32_t>& facts);

}  // namespace knead::detail
