#pragma once
/// \file
/// What reading a patient record found: entries read other than by their exact id
/// (`interpreted`) and entries that could not be read at all (`unresolved`).
///
/// Their texts are knead::Text: what is the same for every patient (a problem's or a kind's
/// word, an id, the message and suggestion for a name the rule set has met before) refers to
/// the rule set's string instead of copying it, like a result's other texts (see Text).

#include <knead/text.hpp>

namespace knead {

/// An entry read other than by its exact id, listed for audit:
/// {"field": "medications[0]", "input": "Eliquis", "id": "apixaban", "by": "synonym"}.
struct Interpreted {
  Text field;   ///< where it stood: "medications[0]", "pain.locations[1]"
  Text input;   ///< as written (for a code, the code)
  Text system;  ///< for a code: its system's short name ("icd10cm"); "" otherwise
  Text kind;    ///< kind of concept it was read as: "medication", "region", ...
  Text id;      ///< the id it was read as
  /// How: "name" (case, spacing or punctuation), "synonym", "label", "dose" (strength, form or
  /// frequency read past), "code", "code_branch" (a branch claim such as "B01AF*"),
  /// "other_kind" (a code of another kind of concept, taken as that kind).
  Text by;
};

/// An entry that could not be read. It is never dropped silently: it makes the result's status
/// `review` (or an error in strict mode).
struct Unresolved {
  Text field;  ///< where it stood: "finding", "medications[2]", "findings[0].sites[1]"
  Text input;  ///< as written (for a code, the code)
  /// What could not be read: "unknown_key", "unknown_id", "unknown_code", "unknown_system",
  /// "unknown_site", or a reader's own class (e.g. "unreadable_resource" from a FHIR reader).
  Text problem;
  Text nearest;  ///< the nearest known id, key or system ("" when none is close)
  Text message;  ///< one line for people
};

}  // namespace knead
