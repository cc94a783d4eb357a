#include <knead/patient.hpp>

namespace knead {

Patient Patient::from_fhir(const nlohmann::json& input, const FhirOptions& options) {
  FhirReading reading = read_fhir(input, options);
  Patient patient = from_json(std::move(reading.patient));
  if (reading.unresolved.empty()) return patient;
  return patient.with_unresolved(std::move(reading.unresolved));
}

}  // namespace knead
