#pragma once
/// \file
/// Cutting and cleaning text without breaking UTF-8. Messages are shortened for display; a cut in
/// the middle of a multi-byte character would make the text invalid UTF-8, which the JSON writer
/// refuses and Python cannot decode. Header-only: the library, the command and the Python
/// bindings all use it.

#include <cstddef>
#include <string>
#include <string_view>

namespace knead::detail {

/// The largest n <= max_bytes such that text[0, n) does not end inside a multi-byte character.
/// Only the last few bytes are looked at: invalid sequences elsewhere are left as they are.
[[nodiscard]] inline std::size_t utf8_cut_point(std::string_view text, std::size_t max_bytes) noexcept {
  if (text.size() <= max_bytes) return text.size();
  std::size_t n = max_bytes;
  // Step back over continuation bytes (10xxxxxx) to the lead byte of the character at n, at most
  // three: a UTF-8 character is at most four bytes.
  std::size_t back = 0;
  while (n > 0 && back < 3 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) {
    --n;
    ++back;
  }
  // text[n] now starts the character that would be cut (or is stray): cut before it.
  return n;
}

/// `text` if it fits in max_bytes, else its longest prefix that ends on a character boundary and,
/// with `ellipsis` appended, fits in max_bytes.
[[nodiscard]] inline std::string utf8_truncate(std::string_view text, std::size_t max_bytes,
                                               std::string_view ellipsis = "...") {
  if (text.size() <= max_bytes) return std::string(text);
  const std::size_t room = max_bytes > ellipsis.size() ? max_bytes - ellipsis.size() : 0;
  std::string out(text.substr(0, utf8_cut_point(text, room)));
  out += ellipsis;
  return out;
}

/// The length of the valid UTF-8 sequence starting at text[i], or 0 when it is not one
/// (overlong forms, surrogates and code points above U+10FFFF are invalid).
[[nodiscard]] inline std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c == 0xE0) len = 3, lo = 0xA0;
  else if (c >= 0xE1 && c <= 0xEC) len = 3;
  else if (c == 0xED) len = 3, hi = 0x9F;
  else if (c >= 0xEE && c <= 0xEF) len = 3;
  else if (c == 0xF0) len = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) len = 4;
  else if (c == 0xF4) len = 4, hi = 0x8F;
  else return 0;
  if (i + len > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return len;
}

/// `text` with every invalid byte replaced by U+FFFD, so that it is valid UTF-8.
[[nodiscard]] inline std::string utf8_valid(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text, i, len);
      i += len;
    }
  }
  return out;
}

/// `text` made safe to print on a terminal line: valid UTF-8, with control characters (line
/// breaks, escape sequences, DEL, C1 controls) written as \n, \r, \t or \xNN / \u{NN} so that a
/// field cannot start a new line or drive the terminal.
[[nodiscard]] inline std::string printable(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  const std::string valid = utf8_valid(text);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const auto c = static_cast<unsigned char>(valid[i]);
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else if (c == 0xC2 && i + 1 < valid.size() && static_cast<unsigned char>(valid[i + 1]) < 0xA0) {
      // U+0080..U+009F, the C1 controls (CSI among them).
      const auto d = static_cast<unsigned char>(valid[++i]);
      out += "\\u{";
      out += hex[d >> 4];
      out += hex[d & 15];
      out += '}';
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace knead::detail
