#pragma once
/// \file
/// The concepts of a rule set, their is-a hierarchies and their codes.

#include <knead/export.hpp>
#include <knead/concept.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace knead {

/// An immutable ontology: per kind, concepts numbered 0..n-1 with their ancestor sets, and the
/// code systems mapped to ids. Built by `RuleSet::load`; shared between threads.
class KNEAD_API Ontology {
 public:
  /// Index of a concept within its kind. A kind's concepts are numbered in the order of their
  /// ids, so indices compare as the ids do.
  using Index = std::size_t;

  Ontology();
  /// Builds from concepts whose `is_a` references are known to exist and be acyclic.
  explicit Ontology(std::vector<Concept> concepts);

  /// Number of concepts of a kind.
  [[nodiscard]] std::size_t size(ConceptKind kind) const noexcept;
  /// The concept with this id, or nullptr.
  [[nodiscard]] const Concept* find(ConceptKind kind, std::string_view id) const noexcept;
  [[nodiscard]] std::optional<Index> index(ConceptKind kind, std::string_view id) const noexcept;
  [[nodiscard]] const Concept& at(ConceptKind kind, Index index) const;
  /// The concept for a code of a system (short name or FHIR URI), matched as `match_code` does,
  /// or nullptr.
  [[nodiscard]] const Concept* find_code(ConceptKind kind, std::string_view system, std::string_view code) const noexcept;

  /// How a name matched a concept.
  enum class MatchedBy { id, name, synonym, label };
  struct NameMatch {
    Index index = 0;
    MatchedBy by = MatchedBy::id;
  };
  /// The concept a name stands for: its exact id, else (after `normalize_name`) its id, one of
  /// its synonyms or its label (labels only where no other concept claims the same words).
  [[nodiscard]] std::optional<NameMatch> match_name(ConceptKind kind, std::string_view text) const;
  /// Like match_name, for a name already normalized (never matches as `id`).
  [[nodiscard]] std::optional<NameMatch> match_normalized(ConceptKind kind, const std::string& normalized) const;

  struct CodeMatch {
    Index index = 0;
    bool branch = false;   ///< matched through a branch claim ("B01AF*"), the most specific one
  };
  /// The concept for a code: `system` is a short name or FHIR URI, the code is compared as
  /// `normalize_code` gives it, exact claims first, then the longest branch claim.
  [[nodiscard]] std::optional<CodeMatch> match_code(ConceptKind kind, std::string_view system, std::string_view code) const;

  /// Indices of the concept and all its ancestors, sorted.
  [[nodiscard]] const std::vector<Index>& self_and_ancestors(ConceptKind kind, Index index) const;
  /// True when `index` is `ancestor` or descends from it.
  [[nodiscard]] bool is_a(ConceptKind kind, Index index, Index ancestor) const;

  /// All concepts of a kind, in index order (sorted by id).
  [[nodiscard]] const std::vector<Concept>& concepts(ConceptKind kind) const noexcept;
  /// The known id nearest to `id` by edit distance, or "" when none is close.
  [[nodiscard]] std::string nearest(ConceptKind kind, std::string_view id) const;
  /// The synonym nearest to `normalized` (a name already normalized) by edit distance, or
  /// nullptr when none is close.
  struct SynonymMatch {
    Index index = 0;                       ///< the concept that claims it
    const std::string* synonym = nullptr;  ///< the synonym as the rule set writes it
  };
  [[nodiscard]] std::optional<SynonymMatch> nearest_synonym(ConceptKind kind, std::string_view normalized) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace knead
