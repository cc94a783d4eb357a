#pragma once
/// \file
/// A patient field a rule set declares under `inputs`: beyond the standard fields, the ones its
/// rules read, with type, unit and plausible range.

#include <knead/export.hpp>
#include <knead/concept.hpp>
#include <knead/source_location.hpp>

#include <optional>
#include <string>
#include <vector>

namespace knead {

/// Value types of a declared input.
enum class InputType { number, integer, string, boolean, array, object };

struct InputField {
  std::string path;                        ///< dotted path in the patient: "labs.platelets"
  InputType type = InputType::number;
  std::optional<InputType> items;          ///< arrays: the type of every item
  /// Strings (or string items) name concepts of this kind: they are read like ids (case,
  /// synonyms) and the rules see the ids; one that names nothing is unresolved.
  std::optional<ConceptKind> kind;
  std::string unit;                        ///< "10^9/L"; shown in range errors
  std::optional<double> min;               ///< plausible range, inclusive (numbers, or number items)
  std::optional<double> max;
  std::vector<std::string> enum_values;    ///< allowed strings (or string items), matched like ids
  std::string description;
  SourceLocation location;                 ///< where it is declared
};

[[nodiscard]] KNEAD_API const char* to_string(InputType type) noexcept;

}  // namespace knead
