#pragma once
// FHIR dates ("2024", "2024-03", "2024-03-15", or a dateTime's date part) and ages from them.

#include <optional>
#include <string>

namespace knead::fhir {

enum class Precision { year, month, day };

struct Date {
  int year = 0;
  int month = 1;
  int day = 1;
  Precision precision = Precision::day;
};

/// Parses a FHIR date, or the date part of a dateTime; nullopt when it is not one.
[[nodiscard]] std::optional<Date> parse_date(const std::string& text);
/// Today's date in UTC.
[[nodiscard]] Date today_utc();
/// "YYYY-MM-DD".
[[nodiscard]] std::string to_string(const Date& date);
/// Age in whole years on `on`. A partial birth date counts from its latest possible day, so the
/// age is the youngest the record allows (child-specific cautions are not lost by rounding up).
[[nodiscard]] int age_at(const Date& birth, const Date& on);

}  // namespace knead::fhir
