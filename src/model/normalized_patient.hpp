#pragma once
// The patient's facts: a patient mapped onto the ontology, which concepts (with their ancestors)
// it has. Built once per recommendation by evaluate; the domain operators (compile) read it, so it
// lives below both.

#include <knead/logic/host.hpp>
#include <knead/ontology.hpp>
#include <knead/reading.hpp>
#include <nlohmann/json.hpp>
#include <knead/scales.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace knead::detail {

/// Where each kind's concepts start in a patient's fact table (`NormalizedPatient::present`):
/// the kinds one after another in their order, the last entry the table's size. The same for
/// every patient of a rule set, so compiled rules can name a fact by its place.
using FactOffsets = std::array<std::size_t, std::size(all_concept_kinds) + 1>;
[[nodiscard]] FactOffsets fact_offsets(const Ontology& ontology);

// The host of a recommendation's evaluation: the domain operators get it back typed with
// `ctx.host_as<NormalizedPatient>()`.
struct NormalizedPatient : logic::Host {
  static const char kHostKind;
  NormalizedPatient() noexcept : Host(&kHostKind) {}
  // Hands its lists' storage to the next patient of the thread (see normalized_patient.cpp).
  ~NormalizedPatient();
  NormalizedPatient(NormalizedPatient&&) noexcept = default;
  NormalizedPatient& operator=(NormalizedPatient&&) noexcept = default;
  NormalizedPatient(const NormalizedPatient&) = default;
  NormalizedPatient& operator=(const NormalizedPatient&) = default;

  // present[offset[kind] + index]: the patient has this concept or a descendant of it (for
  // regions: a pain location). One array for every kind: one allocation per patient, not six.
  std::vector<char> present;
  // The places set in `present`, in the order they were set (a patient has a few dozen).
  std::vector<std::uint32_t> facts;
  FactOffsets offset{};
  // Direct concepts as given (after mapping codes), per kind.
  std::array<std::vector<Ontology::Index>, std::size(all_concept_kinds)> direct;
  // finding index -> region indices the record gives as its sites.
  std::vector<std::pair<Ontology::Index, std::vector<Ontology::Index>>> finding_sites;
  std::vector<Ontology::Index> declined_modalities;
  std::vector<Ontology::Index> declined_self_care;
  std::vector<Ontology::Index> pain_locations;   // regions, as given
  std::optional<Pressure> preferred_pressure;
  std::vector<std::string> warnings;
  std::vector<Interpreted> interpreted;
  std::vector<Unresolved> unresolved;
  // The record with names read as their ids, when some name was not an exact id and a rule
  // could read it as data (where one can, every such name is replaced); rules read it.
  std::optional<nlohmann::json> document;

  /// Sizes `present` for the ontology's concepts and `more` facts after them (the record's top
  /// keys), none of them present; the lists start empty, in storage the thread's previous
  /// patient left.
  void clear_present(const Ontology& ontology, std::size_t more = 0);
  /// Marks a concept and its ancestors present.
  void set_present(const Ontology& ontology, ConceptKind kind, Ontology::Index index) {
    const std::size_t first = offset[static_cast<std::size_t>(kind)];
    for (auto a : ontology.self_and_ancestors(kind, index)) {
      if (present[first + a] != 0) continue;
      present[first + a] = 1;
      facts.push_back(static_cast<std::uint32_t>(first + a));
    }
  }

  [[nodiscard]] bool has(ConceptKind kind, Ontology::Index index) const noexcept {
    const auto k = static_cast<std::size_t>(kind);
    return index < offset[k + 1] - offset[k] && present[offset[k] + index] != 0;
  }
};

}  // namespace knead::detail
