#pragma once
/// \file
/// A patient document: conditions, goals, findings, medications, pain and preferences.

#include <knead/export.hpp>
#include <knead/document.hpp>
#include <knead/error.hpp>
#include <knead/fhir.hpp>
#include <knead/reading.hpp>
#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace knead {

/// Thrown for a malformed patient: a wrong type or an out-of-range value. The message names
/// the field ("patient.pain.intensity: must be a number from 0 to 10, got 12").
class KNEAD_API PatientError : public Error {
 public:
  PatientError(std::string code, std::string field, const std::string& message);
  /// Dotted path of the offending field, e.g. "pain.intensity" or "conditions[2]".
  [[nodiscard]] const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

/// A patient as given (docs/patient-format.md). Every field is optional; the standard ones are type-checked on
/// construction; the rule set decides at recommendation time which other keys it knows.
/// Immutable and cheap to copy.
class KNEAD_API Patient {
 public:
  /// An empty patient.
  Patient();
  /// Checks the known fields' types and ranges; throws PatientError.
  [[nodiscard]] static Patient from_json(nlohmann::json document);
  /// Parses JSON text (bounded by `limits`) then checks it; throws ParseError or PatientError.
  [[nodiscard]] static Patient parse(std::string_view text, const std::string& file = "<patient>",
                                     const ParseLimits& limits = {});

  /// Reads FHIR R4 input (a Bundle, or a CDS Hooks request's `prefetch`) into a patient. What
  /// could not be read is attached as `unresolved()`. Throws PatientError for input that is not FHIR.
  [[nodiscard]] static Patient from_fhir(const nlohmann::json& input, const FhirOptions& options = {});

  /// The document as given.
  [[nodiscard]] const nlohmann::json& document() const noexcept { return *document_; }
  /// `id`, or "" when absent.
  [[nodiscard]] std::string id() const;
  /// A copy carrying entries that a reader (a FHIR mapping, a form importer) could not turn into
  /// this document. The engine reports them in the result's `unresolved` before its own, and
  /// they make the status `review` (or an error in strict mode) like any unreadable input.
  [[nodiscard]] Patient with_unresolved(std::vector<Unresolved> entries) const;
  /// The entries attached by with_unresolved.
  [[nodiscard]] const std::vector<Unresolved>& unresolved() const noexcept;

 private:
  explicit Patient(std::shared_ptr<const nlohmann::json> document) : document_(std::move(document)) {}
  std::shared_ptr<const nlohmann::json> document_;
  std::shared_ptr<const std::vector<Unresolved>> unresolved_;
};

}  // namespace knead
