#pragma once
/// \file
/// Reading HL7 FHIR R4 resources (a Bundle, or a CDS Hooks request's `prefetch`) into a patient.

#include <knead/export.hpp>
#include <knead/reading.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace knead {

class RuleSet;

/// How FHIR input is read.
struct FhirOptions {
  /// The date ages and onsets are computed at, "YYYY-MM-DD"; empty: today (UTC).
  std::string as_of;
  /// When given, a resource's alternative codings are chosen among those this rule set knows,
  /// and a coded condition is filed under the kind (condition or finding) the rule set gives it,
  /// so that its body sites stay with it. Without it, every coding in a known system is kept.
  const RuleSet* rules = nullptr;
};

/// The patient document a FHIR input reads into, and what could not be read.
struct FhirReading {
  /// A patient document (the same shape as any other patient record).
  nlohmann::json patient = nlohmann::json::object();
  /// Every resource, coding or value that could not be read, never dropped: field
  /// "Condition/c1.code", problem "unreadable_resource" ("missing_prefetch" for a prefetch the
  /// EHR did not fill, "other_patient" for a resource about someone else).
  std::vector<Unresolved> unresolved;
};

/// The FHIR code systems knead reads, by URI, with their short names ("icd10cm", "snomed",
/// "atc", "rxnorm"); nullopt for any other system.
[[nodiscard]] KNEAD_API std::optional<std::string> fhir_system_short_name(const std::string& uri);

/// Reads a FHIR R4 `Bundle`, a CDS Hooks `prefetch` object (its values resources or Bundles),
/// or a single resource. Throws PatientError when the input is not FHIR at all, or when it
/// describes more than one patient.
[[nodiscard]] KNEAD_API FhirReading read_fhir(const nlohmann::json& input, const FhirOptions& options = {});

/// True when `document` looks like FHIR (it has a "resourceType") rather than a patient record.
[[nodiscard]] KNEAD_API bool is_fhir_resource(const nlohmann::json& document) noexcept;

}  // namespace knead
