#pragma once
/// \file
/// A concept of the ontology: a condition, goal, finding, medication, modality, self-care item or region.

#include <knead/scales.hpp>
#include <knead/source_location.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace knead {

/// The kinds of concept; each kind has its own `is_a` hierarchy.
enum class ConceptKind { condition, goal, finding, medication, modality, self_care, region };

inline constexpr ConceptKind all_concept_kinds[] = {
    ConceptKind::condition, ConceptKind::goal,      ConceptKind::finding, ConceptKind::medication,
    ConceptKind::modality,  ConceptKind::self_care, ConceptKind::region};

/// Singular name: "condition", "self_care", ...
[[nodiscard]] std::string_view to_string(ConceptKind kind) noexcept;
/// The key of the kind in a rule file's `concepts` object: "conditions", "self_care", ...
[[nodiscard]] std::string_view plural(ConceptKind kind) noexcept;

/// One concept as the rule set defines it.
struct Concept {
  ConceptKind kind = ConceptKind::condition;
  std::string id;
  std::string label;
  std::string description;
  std::vector<std::string> is_a;                            ///< direct parents, same kind
  std::vector<std::string> synonyms;                         ///< other names it is known by ("knee OA", "Eliquis")
  /// System short name ("icd10cm", "snomed", "atc", "rxnorm") -> codes as written; a code ending
  /// in '*' claims the whole branch below it.
  std::map<std::string, std::vector<std::string>> codes;
  std::optional<Pressure> pressure;                          ///< modalities: default pressure
  std::optional<int> duration_min;                           ///< modalities: typical session length
  std::string instructions;                                  ///< self-care items
  SourceLocation location;                                   ///< where it is defined
};

}  // namespace knead
