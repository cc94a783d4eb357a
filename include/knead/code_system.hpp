#pragma once
/// \file
/// Code systems a patient's coded entries and a concept's `codes` may use, and how codes match.

#include <knead/export.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace knead {

/// The short names of the known code systems: "icd10cm", "snomed", "atc", "rxnorm".
[[nodiscard]] KNEAD_API const std::vector<std::string>& known_code_systems();

/// The short name of a system given by short name ("icd10cm", "ICD-10-CM", "snomed") or by FHIR
/// URI ("http://hl7.org/fhir/sid/icd-10-cm", "http://snomed.info/sct", "http://www.whocc.no/atc",
/// "http://www.nlm.nih.gov/research/umls/rxnorm"); "" when the system is not known.
[[nodiscard]] KNEAD_API std::string_view canonical_code_system(std::string_view system) noexcept;

/// A code in the form it is matched in: surrounding space trimmed; ICD-10-CM and ATC upper case,
/// ICD-10-CM without its dot ("m54.50" and "M5450" both give "M5450").
[[nodiscard]] KNEAD_API std::string normalize_code(std::string_view canonical_system, std::string_view code);

}  // namespace knead
