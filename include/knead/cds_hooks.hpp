#pragma once
/// \file
/// The CDS Hooks 2.0 side of knead: the services it offers and reading a hook request.
/// (Answers, the cards, are rendered by `to_cds_hooks` in render.hpp.)

#include <knead/export.hpp>
#include <knead/fhir.hpp>
#include <knead/patient.hpp>
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace knead {

class RuleSet;

/// One CDS Hooks service knead offers.
struct CdsHooksService {
  std::string id;    ///< "knead-patient-view"
  std::string hook;  ///< "patient-view"
};

/// The services knead offers: patient-view and order-select, both answered from the prefetch.
[[nodiscard]] KNEAD_API const std::vector<CdsHooksService>& cds_hooks_services();

/// The discovery document (`GET /cds-services`), with the prefetch templates knead reads.
[[nodiscard]] KNEAD_API nlohmann::ordered_json cds_hooks_discovery(const RuleSet& rules);

/// Reads a CDS Hooks request (`{"hook", "hookInstance", "context", "prefetch"}`) into a
/// patient. A prefetch key that the EHR left out or sent as null is listed as unresolved: the
/// record may be incomplete. Throws PatientError (code "cds_hooks.request") for a request with
/// no prefetch object, or one for another hook than `hook` when `hook` is not empty.
[[nodiscard]] KNEAD_API Patient patient_from_cds_hooks_request(const nlohmann::json& request, const FhirOptions& options = {},
                                                     const std::string& hook = "");

/// True when `document` is a CDS Hooks request rather than FHIR or a patient record.
[[nodiscard]] KNEAD_API bool is_cds_hooks_request(const nlohmann::json& document) noexcept;

}  // namespace knead
