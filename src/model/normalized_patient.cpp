#include "model/normalized_patient.hpp"

namespace knead::detail {

const char NormalizedPatient::kHostKind = 0;

}  // namespace knead::detail
