#include "logic/coerce.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>
#include <utility>
#include <vector>

namespace knead::logic::detail {

namespace {

// Length of the JS white space or line terminator starting at `s[pos]`, or 0.
std::size_t space_at(std::string_view s, std::size_t pos) noexcept {
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c == ' ' || (c >= 0x09 && c <= 0x0D)) return 1;
  const auto at = [&](std::size_t k) -> unsigned {
    return pos + k < s.size() ? static_cast<unsigned char>(s[pos + k]) : 0U;
  };
  if (c == 0xC2 && at(1) == 0xA0) return 2;                                   // U+00A0
  if (c == 0xE1 && at(1) == 0x9A && at(2) == 0x80) return 3;                  // U+1680
  if (c == 0xE2 && at(1) == 0x80) {
    const unsigned d = at(2);
    if ((d >= 0x80 && d <= 0x8A) || d == 0xA8 || d == 0xA9 || d == 0xAF) return 3;  // U+2000..
  }
  if (c == 0xE2 && at(1) == 0x81 && at(2) == 0x9F) return 3;                  // U+205F
  if (c == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return 3;                  // U+3000
  if (c == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return 3;                  // U+FEFF
  return 0;
}

std::string_view trim_js(std::string_view s) noexcept {
  std::size_t begin = 0;
  while (begin < s.size()) {
    const std::size_t n = space_at(s, begin);
    if (n == 0) break;
    begin += n;
  }
  s.remove_prefix(begin);
  // Trailing: step back over whole sequences (they are at most three bytes long).
  bool trimmed = true;
  while (trimmed && !s.empty()) {
    trimmed = false;
    for (std::size_t len = 1; len <= 3 && len <= s.size(); ++len) {
      if (space_at(s, s.size() - len) == len) {
        s.remove_suffix(len);
        trimmed = true;
        break;
      }
    }
  }
  return s;
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// "0x1F", "0o17", "0b101" (JS allows no sign here).
bool parse_radix(std::string_view digits, int base, Number& out) noexcept {
  if (digits.empty()) return false;
  double value = 0.0;
  std::uint64_t exact = 0;
  bool fits = true;
  for (const char c : digits) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    if (d < 0 || d >= base) return false;
    value = value * base + d;
    if (fits) {
      const std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
      if (exact > (limit - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base)) fits = false;
      else exact = exact * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
    }
  }
  out = fits ? Number::of_int(static_cast<std::int64_t>(exact)) : Number::of_double(value);
  return true;
}

int compare_numbers(const Number& x, const Number& y) noexcept {
  // 2 = unordered (a NaN operand).
  if (x.is_int && y.is_int) return x.i < y.i ? -1 : (x.i > y.i ? 1 : 0);
  const double a = x.as_double();
  const double b = y.as_double();
  if (std::isnan(a) || std::isnan(b)) return 2;
  return a < b ? -1 : (a > b ? 1 : 0);
}

Cmp to_cmp(int c) noexcept {
  switch (c) {
    case -1: return Cmp::less;
    case 0: return Cmp::equal;
    case 1: return Cmp::greater;
    default: return Cmp::unordered;
  }
}

}  // namespace

bool exceeds_depth(const json& value, std::size_t max_depth) {
  std::vector<std::pair<const json*, std::size_t>> stack{{&value, 0}};
  while (!stack.empty()) {
    const auto [v, depth] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    if (depth >= max_depth) return true;
    for (const auto& child : *v) {
      if (child.is_structured()) stack.emplace_back(&child, depth + 1);
    }
  }
  return false;
}

namespace {

bool strict_equals_at(const json& a, const json& b, std::size_t depth) noexcept {
  if (a.is_number() && b.is_number()) {
    Number x;
    Number y;
    number_of(a, x);
    number_of(b, y);
    return compare_numbers(x, y) == 0;
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::value_t::null: return true;
    case json::value_t::boolean: return a.get<bool>() == b.get<bool>();
    case json::value_t::string: return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
    case json::value_t::array: {
      if (depth >= kMaxDataDepth) return false;
      const auto& x = a.get_ref<const json::array_t&>();
      const auto& y = b.get_ref<const json::array_t&>();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!strict_equals_at(x[i], y[i], depth + 1)) return false;
      }
      return true;
    }
    case json::value_t::object: {
      if (depth >= kMaxDataDepth) return false;
      const auto& x = a.get_ref<const json::object_t&>();
      const auto& y = b.get_ref<const json::object_t&>();
      if (x.size() != y.size()) return false;
      for (const auto& [key, value] : x) {
        const auto it = y.find(key);
        if (it == y.end() || !strict_equals_at(value, it->second, depth + 1)) return false;
      }
      return true;
    }
    default: return a == b;
  }
}

enum class StrStatus { ok, too_large, too_deep };

StrStatus append_at(std::string& out, const json& v, std::size_t max_size, bool null_as_empty,
                    std::size_t depth) {
  switch (v.type()) {
    case json::value_t::string: out += v.get_ref<const std::string&>(); break;
    case json::value_t::number_integer: out += std::to_string(v.get<std::int64_t>()); break;
    case json::value_t::number_unsigned: out += std::to_string(v.get<std::uint64_t>()); break;
    case json::value_t::number_float: out += js_number_string(v.get<double>()); break;
    case json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case json::value_t::null:
      if (!null_as_empty) out += "null";
      break;
    case json::value_t::array: {
      if (depth >= kMaxDataDepth) return StrStatus::too_deep;
      bool first = true;
      for (const auto& e : v.get_ref<const json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        const StrStatus s = append_at(out, e, max_size, true, depth + 1);
        if (s != StrStatus::ok) return s;
      }
      break;
    }
    case json::value_t::object: out += "[object Object]"; break;
    default: break;
  }
  return out.size() > max_size ? StrStatus::too_large : StrStatus::ok;
}

}  // namespace

bool number_of(const json& v, Number& out) noexcept {
  switch (v.type()) {
    case json::value_t::number_integer: out = Number::of_int(v.get<std::int64_t>()); return true;
    case json::value_t::number_unsigned: {
      const auto u = v.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        out = Number::of_int(static_cast<std::int64_t>(u));
      } else {
        out = Number::of_double(static_cast<double>(u));
      }
      return true;
    }
    case json::value_t::number_float: out = Number::of_double(v.get<double>()); return true;
    default: return false;
  }
}

bool to_number(const json& v, Number& out) noexcept {
  switch (v.type()) {
    case json::value_t::null: out = Number::of_int(0); return true;
    case json::value_t::boolean: out = Number::of_int(v.get<bool>() ? 1 : 0); return true;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return number_of(v, out);
    case json::value_t::number_float:
      out = Number::of_double(v.get<double>());
      return !std::isnan(out.d);
    case json::value_t::string: return parse_js_number(v.get_ref<const std::string&>(), out);
    default: return false;
  }
}

bool parse_js_number(std::string_view text, Number& out) noexcept {
  std::string_view s = trim_js(text);
  if (s.empty()) {
    out = Number::of_int(0);
    return true;
  }
  if (s.size() > 2 && s[0] == '0') {
    const char p = s[1];
    if (p == 'x' || p == 'X') return parse_radix(s.substr(2), 16, out);
    if (p == 'o' || p == 'O') return parse_radix(s.substr(2), 8, out);
    if (p == 'b' || p == 'B') return parse_radix(s.substr(2), 2, out);
  }
  bool negative = false;
  std::string_view body = s;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "Infinity") {
    out = Number::of_double(negative ? -std::numeric_limits<double>::infinity()
                                     : std::numeric_limits<double>::infinity());
    return true;
  }
  // Validate the decimal literal: digits [. digits] [e [+-] digits], at least one mantissa digit.
  std::size_t pos = 0;
  std::size_t mantissa_digits = 0;
  while (pos < body.size() && is_digit(body[pos])) {
    ++pos;
    ++mantissa_digits;
  }
  bool fraction = false;
  if (pos < body.size() && body[pos] == '.') {
    fraction = true;
    ++pos;
    while (pos < body.size() && is_digit(body[pos])) {
      ++pos;
      ++mantissa_digits;
    }
  }
  if (mantissa_digits == 0) return false;
  bool exponent = false;
  bool exponent_negative = false;
  if (pos < body.size() && (body[pos] == 'e' || body[pos] == 'E')) {
    exponent = true;
    ++pos;
    if (pos < body.size() && (body[pos] == '+' || body[pos] == '-')) {
      exponent_negative = body[pos] == '-';
      ++pos;
    }
    std::size_t exponent_digits = 0;
    while (pos < body.size() && is_digit(body[pos])) {
      ++pos;
      ++exponent_digits;
    }
    if (exponent_digits == 0) return false;
  }
  if (pos != body.size()) return false;

  if (!fraction && !exponent) {
    std::uint64_t magnitude = 0;
    const auto r = std::from_chars(body.data(), body.data() + body.size(), magnitude);
    const auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (r.ec == std::errc() && magnitude <= max) {
      const auto m = static_cast<std::int64_t>(magnitude);
      out = Number::of_int(negative ? -m : m);
      return true;
    }
  }
  double value = 0.0;
  const auto r = std::from_chars(body.data(), body.data() + body.size(), value, std::chars_format::general);
  if (r.ec == std::errc::result_out_of_range) {
    value = exponent_negative ? 0.0 : std::numeric_limits<double>::infinity();
  } else if (r.ec != std::errc() || r.ptr != body.data() + body.size()) {
    return false;
  }
  out = Number::of_double(negative ? -value : value);
  return true;
}

json make_number(const Number& n) {
  if (n.is_int) return json(n.i);
  const double d = n.d;
  // 2^63 is exactly representable; every double below it in magnitude that is integral fits.
  if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9223372036854775808.0) {
    return json(static_cast<std::int64_t>(d));
  }
  return json(d);
}

std::string js_number_string(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0.0) return "0";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
  // sci is "[-]d[.ddd]e[+-]xx": split into sign, significant digits and exponent.
  std::string out;
  std::size_t pos = 0;
  if (sci[0] == '-') {
    out += '-';
    pos = 1;
  }
  const std::size_t e_pos = sci.find('e');
  std::string digits;
  for (std::size_t i = pos; i < e_pos; ++i) {
    if (sci[i] != '.') digits += sci[i];
  }
  int exp10 = 0;
  std::from_chars(sci.data() + e_pos + (sci[e_pos + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exp10);
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // the decimal point sits after n digits
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n), std::string::npos);
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(n - 1 >= 0 ? n - 1 : 1 - n);
  }
  return out;
}

bool append_js_string(std::string& out, const json& v, std::size_t max_size, bool null_as_empty) {
  return append_at(out, v, max_size, null_as_empty, 0) == StrStatus::ok;
}

bool strict_equals(const json& a, const json& b) noexcept { return strict_equals_at(a, b, 0); }

Cmp compare(const json& a, const json& b) noexcept {
  // Fast paths for the common cases: two integers of the same JSON kind (nlohmann parses
  // non-negative integers as unsigned).
  if (a.type() == b.type()) {
    if (const auto* x = a.get_ptr<const json::number_unsigned_t*>()) {
      const auto y = *b.get_ptr<const json::number_unsigned_t*>();
      return *x < y ? Cmp::less : (*x > y ? Cmp::greater : Cmp::equal);
    }
    if (const auto* x = a.get_ptr<const json::number_integer_t*>()) {
      const auto y = *b.get_ptr<const json::number_integer_t*>();
      return *x < y ? Cmp::less : (*x > y ? Cmp::greater : Cmp::equal);
    }
  }
  Number x;
  Number y;
  if (number_of(a, x) && number_of(b, y)) return to_cmp(compare_numbers(x, y));
  if (a.is_string() && b.is_string()) {
    const int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    return c < 0 ? Cmp::less : (c > 0 ? Cmp::greater : Cmp::equal);
  }
  if (a.is_structured() || b.is_structured()) return Cmp::nan;
  const bool ok_a = to_number(a, x);
  const bool ok_b = to_number(b, y);
  if (ok_a && ok_b) return to_cmp(compare_numbers(x, y));
  if ((a.is_number() && b.is_string()) || (a.is_string() && b.is_number())) return Cmp::nan;
  return Cmp::unordered;
}

Cmp loose_equals(const json& a, const json& b) noexcept {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null() ? Cmp::equal : Cmp::unordered;
  if (a.is_structured() || b.is_structured()) {
    if (a.is_structured() && b.is_structured()) return strict_equals(a, b) ? Cmp::equal : Cmp::unordered;
    return Cmp::nan;
  }
  Number x;
  Number y;
  if (number_of(a, x) && number_of(b, y)) return compare_numbers(x, y) == 0 ? Cmp::equal : Cmp::unordered;
  if (a.type() == b.type()) return strict_equals(a, b) ? Cmp::equal : Cmp::unordered;
  if (!to_number(a, x) || !to_number(b, y)) return Cmp::nan;
  return compare_numbers(x, y) == 0 ? Cmp::equal : Cmp::unordered;
}

}  // namespace knead::logic::detail
