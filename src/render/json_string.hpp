#pragma once
// A string as JSON text, escaped in runs between the bytes that need it: what the compact
// result writer and the Python bindings' compact patient text both append.

#include "base/plain_text.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace knead::detail {

namespace json_string {

using plain_text::plain_prefix;
#ifdef KNEAD_PLAIN_TEXT_SSE2
using plain_text::special_mask;
#endif

/// Copies `s` to `out`, which has room for s.size() + 16 bytes, when every byte of it is plain,
/// and says whether it was (if not, what is at `out` is to be overwritten). Where SSE2 is there,
/// it copies and checks sixteen bytes at a time in one pass, a short string with one load and
/// one store and no branch on its length: a short string is kept in the std::string object
/// itself (in every usual library), which has sixteen bytes to read from where it starts; the
/// bytes past its end are masked off.
inline bool copy_if_plain(const std::string& s, char* out) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
#ifdef KNEAD_PLAIN_TEXT_SSE2
  const auto copy16 = [&](std::size_t at) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + at), x);
    return special_mask(x);
  };
  const auto object = reinterpret_cast<std::uintptr_t>(&s);
  const auto start = reinterpret_cast<std::uintptr_t>(p);
  const bool sixteen_in_object = start >= object && start + 16 <= object + sizeof s;
  if (n < 16 && sixteen_in_object) return (copy16(0) & ((1U << n) - 1)) == 0;
  if (n >= 16) {
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      if (copy16(i) != 0) return false;
    }
    return i == n || copy16(n - 16) == 0;  // the last sixteen, overlapping those copied
  }
#endif
  if (plain_prefix(s) != n) return false;
  std::memcpy(out, p, n);
  return true;
}

template <typename Out>
void escape(unsigned char c, Out& out) {
  switch (c) {
    case '"': out.append("\\\"", 2); break;
    case '\\': out.append("\\\\", 2); break;
    case '\b': out.append("\\b", 2); break;
    case '\f': out.append("\\f", 2); break;
    case '\n': out.append("\\n", 2); break;
    case '\r': out.append("\\r", 2); break;
    case '\t': out.append("\\t", 2); break;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(escaped, sizeof escaped);
    }
  }
}

}  // namespace json_string

/// Appends `s` as a JSON string, byte for byte what nlohmann::json's dump() writes. From the
/// first byte above ASCII on, the rest goes through nlohmann::json, which checks the UTF-8 and
/// replaces invalid bytes as dump() does with error_handler_t::replace (everything before that
/// byte is ASCII, so its UTF-8 reading starts afresh there, as it would in the whole string).
/// `out` is a std::string or anything with push_back(char) and append(const char*, size).
template <typename Out>
void append_json_string(std::string_view s, Out& out) {
  out.push_back('"');
  while (true) {
    const std::size_t run = json_string::plain_prefix(s);
    out.append(s.data(), run);
    if (run == s.size()) break;
    const auto c = static_cast<unsigned char>(s[run]);
    if (c >= 0x80) {
      const std::string rest =
          nlohmann::json(std::string(s.substr(run))).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      out.append(rest.data() + 1, rest.size() - 1);  // without its opening quote
      return;
    }
    json_string::escape(c, out);
    s.remove_prefix(run + 1);
  }
  out.push_back('"');
}

}  // namespace knead::detail
