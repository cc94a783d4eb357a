#include <knead/patient.hpp>

namespace knead {

Patient Patient::from_fhir(const nlohmann::json& input, const FhirOptions& options) {
  FhirReading reading = read_fhir(input, options);
  Patient patient = from_json(std::move(reading.patient));
  if (!reading.unresolved.empty()) patient.unresolved_ = std::make_shared<const nlohmann::json>(std::move(reading.unresolved));
  return patient;
}

const nlohmann::json& Patient::unresolved() const noexcept {
  static const nlohmann::json none = nlohmann::json::array();
  return unresolved_ ? *unresolved_ : none;
}

}  // namespace knead
