#pragma once
/// \file
/// What reading a patient record found: entries read other than by their exact id
/// (`interpreted`) and entries that could not be read at all (`unresolved`).

#include <string>

namespace knead {

/// An entry read other than by its exact id, listed for audit:
/// {"field": "medications[0]", "input": "Eliquis", "id": "apixaban", "by": "synonym"}.
struct Interpreted {
  std::string field;    ///< where it stood: "medications[0]", "pain.locations[1]"
  std::string input;    ///< as written (for a code, the code)
  std::string system;   ///< for a code: its system's short name ("icd10cm"); "" otherwise
  std::string kind;     ///< kind of concept it was read as: "medication", "region", ...
  std::string id;       ///< the id it was read as
  /// How: "name" (case, spacing or punctuation), "synonym", "label", "dose" (strength, form or
  /// frequency read past), "code", "code_branch" (a branch claim such as "B01AF*"),
  /// "other_kind" (a code of another kind of concept, taken as that kind).
  std::string by;
};

/// An entry that could not be read. It is never dropped silently: it makes the result's status
/// `review` (or an error in strict mode).
struct Unresolved {
  std::string field;    ///< where it stood: "finding", "medications[2]", "findings[0].sites[1]"
  std::string input;    ///< as written (for a code, the code)
  /// What could not be read: "unknown_key", "unknown_id", "unknown_code", "unknown_system",
  /// "unknown_site", or a reader's own class (e.g. "unreadable_resource" from a FHIR reader).
  std::string problem;
  std::string nearest;  ///< the nearest known id, key or system ("" when none is close)
  std::string message;  ///< one line for people
};

}  // namespace knead
