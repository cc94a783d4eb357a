#pragma once
// The words of a reading's entries (knead/reading.hpp) that are the same for every patient: an
// unresolved entry's problem, an interpreted entry's kind and how it was read, and what is said
// of an unknown name. A rule set holds them, and entries refer to them (see Text) instead of
// copying them: a batch meets the same few unknown names record after record.

#include <knead/concept.hpp>
#include <knead/ontology.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>

namespace knead::detail {

struct ReadingWords {
  ReadingWords() {
    for (auto k : all_concept_kinds) kinds[static_cast<std::size_t>(k)] = std::string(to_string(k));
  }

  // Kinds of concept: "condition", "medication", ...
  std::array<std::string, std::size(all_concept_kinds)> kinds;
  [[nodiscard]] const std::string& kind(ConceptKind k) const { return kinds[static_cast<std::size_t>(k)]; }

  // Problems of unresolved entries.
  std::string unknown_id = "unknown_id";
  std::string unknown_site = "unknown_site";
  std::string unknown_key = "unknown_key";

  // How an interpreted entry was read (Ontology::MatchedBy and the medication's dose words).
  std::string by_id = "id";
  std::string by_name = "name";
  std::string by_synonym = "synonym";
  std::string by_label = "label";
  std::string by_dose = "dose";
};

// What an unresolved entry says of a name the rule set does not know: the name, the nearest id
// ("" when none is close) and the message.
struct UnknownName {
  std::string input;
  std::string nearest;
  std::string message;
};

// How a name that is not an exact id reads, remembered per kind and name as written
// (CompiledRuleSet::names): the concept it names and how, or what is said of it.
struct NameReading {
  std::optional<Ontology::NameMatch> match;
  const std::string* by = nullptr;  // how, one of ReadingWords' words
  UnknownName unknown;              // when it names no concept
};

}  // namespace knead::detail
