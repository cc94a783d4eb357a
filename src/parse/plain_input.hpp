#pragma once
/// \file
/// The input PlainBuilder's parse reads from: nlohmann's lexer reads a string one byte at a
/// time and appends each byte to its buffer by a call; for this input it takes a string whose
/// bytes need no decoding (printable ASCII, no escape) in one copy instead.

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <string>

namespace knead::detail::parsing {

/// The bytes a JSON string holds as they are: printable ASCII except '"' and '\\'.
inline constexpr std::array<bool, 256> kPlainByte = [] {
  std::array<bool, 256> plain{};
  for (unsigned c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

/// A text read byte by byte like nlohmann's own input over a pointer range; its position is
/// open to the lexer's string fast path below.
struct PlainInput {
  using char_type = char;

  PlainInput(const char* first, const char* last) noexcept : current(first), end(last) {}

  std::char_traits<char>::int_type get_character() noexcept {
    if (current != end) return std::char_traits<char>::to_int_type(*current++);
    return std::char_traits<char>::eof();
  }

  const char* current;
  const char* end;
};

}  // namespace knead::detail::parsing

// The fast path relies on the lexer's members as nlohmann/json 3.11 names them; with another
// version PlainInput is read byte by byte like any input.
#if defined(NLOHMANN_JSON_NAMESPACE_BEGIN) && NLOHMANN_JSON_VERSION_MAJOR == 3 && NLOHMANN_JSON_VERSION_MINOR == 11
#define KNEAD_PLAIN_INPUT_FAST_STRINGS 1

NLOHMANN_JSON_NAMESPACE_BEGIN
namespace detail {

/// A string token read from PlainInput: the run of plain bytes (see kPlainByte) up to
/// the closing quote, copied at once. A string with anything else in it (an escape, a control
/// byte, a byte above ASCII, no closing quote) stops the parse as an error: PlainBuilder's
/// caller then reads the text again with the located parse, which decodes or reports it.
template <>
inline lexer<nlohmann::json, knead::detail::parsing::PlainInput>::token_type
lexer<nlohmann::json, knead::detail::parsing::PlainInput>::scan_string() {
  reset();  // the opening quote was the last byte read (`current`)
  const char* begin = ia.current;
  const char* p = begin;
  while (p != ia.end && knead::detail::parsing::kPlainByte[static_cast<unsigned char>(*p)]) ++p;
  if (p == ia.end || *p != '"') {
    error_message = "string needs decoding";
    return token_type::parse_error;
  }
  token_buffer.assign(begin, p);
  ia.current = p + 1;  // past the closing quote, the last byte read
  current = '"';
  const auto read = static_cast<std::size_t>(p - begin) + 1;
  position.chars_read_total += read;
  position.chars_read_current_line += read;
  return token_type::value_string;
}

}  // namespace detail
NLOHMANN_JSON_NAMESPACE_END
#endif
