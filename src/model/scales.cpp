#include <knead/concept.hpp>
#include <knead/recommendation.hpp>
#include <knead/scales.hpp>

#include <array>
#include <utility>

namespace knead {
namespace {

template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<std::string_view, E>, N>& table, std::string_view name) noexcept {
  for (const auto& [key, value] : table) {
    if (key == name) return value;
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<std::string_view, E>, N>& table, E value) noexcept {
  for (const auto& [key, v] : table) {
    if (v == value) return key;
  }
  return "?";
}

constexpr std::array<std::pair<std::string_view, Pressure>, 3> pressures{
    {{"light", Pressure::light}, {"medium", Pressure::medium}, {"firm", Pressure::firm}}};
constexpr std::array<std::pair<std::string_view, Urgency>, 4> urgencies{{{"emergency", Urgency::emergency},
                                                                         {"same_day", Urgency::same_day},
                                                                         {"urgent", Urgency::urgent},
                                                                         {"routine", Urgency::routine}}};
constexpr std::array<std::pair<std::string_view, AvoidLevel>, 2> levels{
    {{"caution", AvoidLevel::caution}, {"contraindicated", AvoidLevel::contraindicated}}};
constexpr std::array<std::pair<std::string_view, EvidenceGrade>, 5> grades{{{"high", EvidenceGrade::high},
                                                                           {"moderate", EvidenceGrade::moderate},
                                                                           {"low", EvidenceGrade::low},
                                                                           {"very_low", EvidenceGrade::very_low},
                                                                           {"consensus", EvidenceGrade::consensus}}};
constexpr std::array<std::pair<std::string_view, ConceptKind>, 7> kinds{{{"condition", ConceptKind::condition},
                                                                         {"goal", ConceptKind::goal},
                                                                         {"finding", ConceptKind::finding},
                                                                         {"medication", ConceptKind::medication},
                                                                         {"modality", ConceptKind::modality},
                                                                         {"self_care", ConceptKind::self_care},
                                                                         {"region", ConceptKind::region}}};
constexpr std::array<std::pair<std::string_view, ConceptKind>, 7> kind_plurals{
    {{"conditions", ConceptKind::condition},
     {"goals", ConceptKind::goal},
     {"findings", ConceptKind::finding},
     {"medications", ConceptKind::medication},
     {"modalities", ConceptKind::modality},
     {"self_care", ConceptKind::self_care},
     {"regions", ConceptKind::region}}};

}  // namespace

std::string_view to_string(Pressure value) noexcept { return name_of(pressures, value); }
std::string_view to_string(Urgency value) noexcept { return name_of(urgencies, value); }
std::string_view to_string(AvoidLevel value) noexcept { return name_of(levels, value); }
std::string_view to_string(EvidenceGrade value) noexcept { return name_of(grades, value); }
std::string_view to_string(ConceptKind kind) noexcept { return name_of(kinds, kind); }
std::string_view plural(ConceptKind kind) noexcept { return name_of(kind_plurals, kind); }

std::optional<Pressure> parse_pressure(std::string_view name) noexcept { return lookup(pressures, name); }
std::optional<Urgency> parse_urgency(std::string_view name) noexcept { return lookup(urgencies, name); }
std::optional<AvoidLevel> parse_avoid_level(std::string_view name) noexcept { return lookup(levels, name); }
std::optional<EvidenceGrade> parse_evidence_grade(std::string_view name) noexcept { return lookup(grades, name); }

int severity(Status status) noexcept {
  switch (status) {
    case Status::ok: return 0;
    case Status::review: return 1;
    case Status::refer: return 2;
    case Status::error: return 3;
  }
  return 3;
}

const char* to_string(Status status) noexcept {
  switch (status) {
    case Status::ok: return "ok";
    case Status::refer: return "refer";
    case Status::error: return "error";
    case Status::review: return "review";
  }
  return "?";
}

}  // namespace knead
