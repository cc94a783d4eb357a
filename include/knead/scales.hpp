#pragma once
/// \file
/// The ordered scales rules speak in: pressure, referral urgency, avoidance level, evidence grade.

#include <knead/export.hpp>
#include <optional>
#include <string_view>

namespace knead {

/// Massage pressure, ordered: light < medium < firm.
enum class Pressure { light = 1, medium = 2, firm = 3 };

/// How soon a referral must happen, most urgent first: emergency (now, emergency department),
/// same_day, urgent (within days), routine.
enum class Urgency { emergency = 0, same_day = 1, urgent = 2, routine = 3 };

/// `contraindicated` is a veto; `caution` keeps the item with a reason and maybe a pressure cap.
enum class AvoidLevel { caution = 1, contraindicated = 2 };

/// Strength of the evidence behind a rule; `consensus` is clinical judgement without a source.
enum class EvidenceGrade { high, moderate, low, very_low, consensus };

[[nodiscard]] KNEAD_API std::string_view to_string(Pressure value) noexcept;
[[nodiscard]] KNEAD_API std::string_view to_string(Urgency value) noexcept;
[[nodiscard]] KNEAD_API std::string_view to_string(AvoidLevel value) noexcept;
[[nodiscard]] KNEAD_API std::string_view to_string(EvidenceGrade value) noexcept;

/// Parse a scale value from its name; nullopt when the name is not one of the scale's.
[[nodiscard]] KNEAD_API std::optional<Pressure> parse_pressure(std::string_view name) noexcept;
[[nodiscard]] KNEAD_API std::optional<Urgency> parse_urgency(std::string_view name) noexcept;
[[nodiscard]] KNEAD_API std::optional<AvoidLevel> parse_avoid_level(std::string_view name) noexcept;
[[nodiscard]] KNEAD_API std::optional<EvidenceGrade> parse_evidence_grade(std::string_view name) noexcept;

/// True for the urgencies that stop massage for now: emergency, same_day, urgent.
[[nodiscard]] KNEAD_API constexpr bool stops_treatment(Urgency u) noexcept { return u != Urgency::routine; }

}  // namespace knead
