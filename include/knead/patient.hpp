#pragma once
/// \file
/// A patient document: conditions, goals, findings, medications, pain and preferences.

#include <knead/export.hpp>
#include <knead/document.hpp>
#include <knead/error.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>

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

/// A patient as given (docs/patient-format.md). Every field is optional; the known ones are
/// type-checked on construction, and every field stays reachable from rules with `var`.
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

  /// The document as given.
  [[nodiscard]] const nlohmann::json& document() const noexcept { return *document_; }
  /// `id`, or "" when absent.
  [[nodiscard]] std::string id() const;

 private:
  explicit Patient(std::shared_ptr<const nlohmann::json> document) : document_(std::move(document)) {}
  std::shared_ptr<const nlohmann::json> document_;
};

}  // namespace knead
