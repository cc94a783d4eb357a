#include "model/normalized_patient.hpp"

namespace knead::detail {

const char NormalizedPatient::kHostKind = 0;

void NormalizedPatient::clear_present(const Ontology& ontology) {
  std::size_t total = 0;
  for (std::size_t k = 0; k < std::size(all_concept_kinds); ++k) {
    offset[k] = total;
    total += ontology.size(static_cast<ConceptKind>(k));
  }
  offset.back() = total;
  present.assign(total, 0);
}

}  // namespace knead::detail
