// The CDS Hooks services knead offers and how a hook request becomes a patient.

#include <knead/cds_hooks.hpp>

#include <knead/rule_set.hpp>

namespace knead {
namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

// What knead reads, fetched by the EHR before calling (CDS Hooks prefetch templates).
const std::vector<std::pair<const char*, const char*>>& prefetch_templates() {
  static const std::vector<std::pair<const char*, const char*>> templates{
      {"patient", "Patient/{{context.patientId}}"},
      {"conditions", "Condition?patient={{context.patientId}}"},
      {"medicationStatements", "MedicationStatement?patient={{context.patientId}}&status=active"},
      {"medicationRequests", "MedicationRequest?patient={{context.patientId}}&status=active"},
      {"allergies", "AllergyIntolerance?patient={{context.patientId}}"},
      {"observations",
       "Observation?patient={{context.patientId}}&code=http://loinc.org|72514-3,http://loinc.org|777-3,"
       "http://loinc.org|26515-7,http://loinc.org|82810-3,http://loinc.org|85354-9&_sort=-date"},
  };
  return templates;
}

[[noreturn]] void bad_request(const std::string& message) { throw PatientError("cds_hooks.request", "", message); }

}  // namespace

const std::vector<CdsHooksService>& cds_hooks_services() {
  static const std::vector<CdsHooksService> services{{"knead-patient-view", "patient-view"},
                                                     {"knead-order-select", "order-select"}};
  return services;
}

nlohmann::ordered_json cds_hooks_discovery(const RuleSet& rules) {
  ojson prefetch = ojson::object();
  for (const auto& [key, query] : prefetch_templates()) prefetch[key] = query;
  ojson services = ojson::array();
  for (const auto& s : cds_hooks_services()) {
    ojson o;
    o["hook"] = s.hook;
    o["id"] = s.id;
    o["title"] = s.hook == "patient-view" ? "Massage and self-care for chronic pain" : "Massage safety for a new order";
    o["description"] = "Recommends massage modalities, self-care and referrals, with what to avoid and why, from the "
                       "patient's conditions, medicines, allergies and observations (knead rule set " +
                       rules.name() + " " + rules.version() + ").";
    o["prefetch"] = prefetch;
    o["usageRequirements"] = "Decision support for trained therapists; not a substitute for clinical judgement.";
    services.push_back(std::move(o));
  }
  return ojson{{"services", std::move(services)}};
}

bool is_cds_hooks_request(const nlohmann::json& document) noexcept {
  return document.is_object() && !document.contains("resourceType") && document.contains("hook") &&
         (document.contains("prefetch") || document.contains("context"));
}

Patient patient_from_cds_hooks_request(const nlohmann::json& request, const FhirOptions& options, const std::string& hook) {
  if (!request.is_object()) bad_request("a CDS Hooks request must be a JSON object");
  auto h = request.find("hook");
  if (!hook.empty() && h != request.end() && (!h->is_string() || h->get<std::string>() != hook)) {
    bad_request("this service answers the " + hook + " hook, not " + h->dump());
  }
  auto prefetch = request.find("prefetch");
  if (prefetch == request.end() || !prefetch->is_object()) {
    bad_request("the request has no prefetch object; this service reads the patient from the prefetch "
                "(see the templates in GET /cds-services)");
  }
  json filled = *prefetch;
  for (const auto& [key, query] : prefetch_templates()) {
    if (!filled.contains(key)) filled[key] = nullptr;  // read as "the EHR sent nothing"
  }
  Patient patient = Patient::from_fhir(filled, options);
  return patient;
}

}  // namespace knead
