#include "fhir/calendar.hpp"

#include <chrono>
#include <cstdio>

namespace knead::fhir {
namespace {

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool digits(const std::string& s, std::size_t from, std::size_t n, int& out) {
  if (s.size() < from + n) return false;
  out = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<Date> parse_date(const std::string& text) {
  Date d;
  if (!digits(text, 0, 4, d.year) || d.year < 1) return std::nullopt;
  if (text.size() == 4) {
    d.precision = Precision::year;
    return d;
  }
  if (text[4] != '-' || !digits(text, 5, 2, d.month) || d.month < 1 || d.month > 12) return std::nullopt;
  if (text.size() == 7) {
    d.precision = Precision::month;
    return d;
  }
  if (text.size() < 10 || text[7] != '-' || !digits(text, 8, 2, d.day)) return std::nullopt;
  if (d.day < 1 || d.day > days_in_month(d.year, d.month)) return std::nullopt;
  if (text.size() > 10 && text[10] != 'T') return std::nullopt;
  return d;
}

Date today_utc() {
  // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  long z = static_cast<long>(std::chrono::duration_cast<std::chrono::hours>(now).count() / 24) + 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  Date d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2 ? 1 : 0));
  return d;
}

std::string to_string(const Date& date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year % 10000, date.month % 100, date.day % 100);
  return buf;
}

int age_at(const Date& birth, const Date& on) {
  int month = birth.month;
  int day = birth.day;
  if (birth.precision == Precision::year) month = 12;
  if (birth.precision != Precision::day) day = days_in_month(birth.year, month);
  int age = on.year - birth.year;
  if (on.month < month || (on.month == month && on.day < day)) --age;
  return age;
}

}  // namespace knead::fhir
