#pragma once
// JavaScript coercions as JsonLogic uses them: ToNumber, ToString, loose and strict equality,
// relational comparison. Numbers are JS doubles, except that integer operands stay exact
// 64-bit integers as long as the result fits (JS rounds beyond 2^53; we do not need to).

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace knead::logic::detail {

using json = nlohmann::json;

/// A number during arithmetic: an exact int64 or a double.
struct Number {
  double d = 0.0;
  std::int64_t i = 0;
  bool is_int = true;

  static Number of_int(std::int64_t v) noexcept { return Number{static_cast<double>(v), v, true}; }
  static Number of_double(double v) noexcept { return Number{v, 0, false}; }
  [[nodiscard]] double as_double() const noexcept { return is_int ? static_cast<double>(i) : d; }
};

/// The JSON number itself (integer, unsigned or float), if `v` is one.
bool number_of(const json& v, Number& out) noexcept;

/// JS `Number(v)`: null -> 0, booleans -> 0/1, numeric strings (trimmed, "" -> 0, hex, exponents,
/// "Infinity") -> their value. Returns false where JS gives NaN; arrays and objects always give
/// false (the conformance suites treat them as NaN, unlike JS's `Number([1]) === 1`).
bool to_number(const json& v, Number& out) noexcept;

/// Parses a string the way JS `Number(string)` does; false for NaN.
bool parse_js_number(std::string_view text, Number& out) noexcept;

/// The JSON form of an arithmetic result: an integer when the value is integral and fits int64
/// (so 3, not 3.0; -0 becomes 0), else a double. The caller rejects non-finite values first.
json make_number(const Number& n);

/// Appends JS `String(v)`: numbers as JS prints them (1e+21, 0.1), arrays joined with ",",
/// objects as "[object Object]". `null` appends "null" at the top level, "" inside arrays (as
/// Array.prototype.join does). Returns false when the result would exceed `max_size` bytes or
/// the value nests too deeply.
bool append_js_string(std::string& out, const json& v, std::size_t max_size, bool null_as_empty = false);

/// JS `String(number)` for a double.
std::string js_number_string(double d);

/// Strict equality: same type (all numbers are one type) and same value; arrays and objects
/// compare by content. Nesting beyond kMaxDataDepth compares as unequal.
bool strict_equals(const json& a, const json& b) noexcept;

/// Result of a coercing comparison.
enum class Cmp { less, equal, greater, unordered, nan };

/// Relational comparison (`<` and friends): numbers numerically, two strings by code point,
/// otherwise both sides through ToNumber. Arrays and objects, or a number against a
/// non-numeric string, give Cmp::nan (an error in the conformance suites); any other
/// comparison with a NaN operand is Cmp::unordered (false).
Cmp compare(const json& a, const json& b) noexcept;

/// Loose equality (`==`): null equals only null; same types compare strictly; mixed
/// primitives compare through ToNumber (Cmp::nan when a string is not numeric); an array or
/// object against a primitive is Cmp::nan. Returns Cmp::equal or Cmp::unordered (not equal).
Cmp loose_equals(const json& a, const json& b) noexcept;

/// Deepest data nesting that equality and ToString walk through, and that evaluation accepts.
/// Copying and printing a value recurse once per level: 512 levels stay well inside a thread's
/// stack even with the address sanitizer's larger frames (2048 did not).
inline constexpr std::size_t kMaxDataDepth = 512;

/// Whether `value` has arrays or objects nested more than `max_depth` levels deep. Walks with
/// its own stack: safe on data of any depth.
[[nodiscard]] bool exceeds_depth(const json& value, std::size_t max_depth);

}  // namespace knead::logic::detail
