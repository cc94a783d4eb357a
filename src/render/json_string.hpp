#pragma once
// A string as JSON text, escaped in runs between the bytes that need it: what the compact
// result writer and the Python bindings' compact patient text both append.

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define KNEAD_JSON_STRING_SSE2 1
#endif

namespace knead::detail {

namespace json_string {

// The bytes written as they are: printable ASCII except '"' and '\\'.
inline constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (unsigned c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

// Whether the eight bytes at `p` are all plain, tested on one 64-bit word: no byte below
// 0x20 or from 0x80 up, none equal to '"' or '\\'.
inline bool all_plain(const char* p) noexcept {
  std::uint64_t x = 0;
  std::memcpy(&x, p, 8);
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const std::uint64_t control = (x - kOnes * 0x20) & ~x & kHigh;  // some byte < 0x20
  return ((x & kHigh) | control | has_zero(x ^ (kOnes * '"')) | has_zero(x ^ (kOnes * '\\'))) == 0;
}

#ifdef KNEAD_JSON_STRING_SSE2
// Bit i set when byte i of `x` is not plain.
inline unsigned special_mask(__m128i x) noexcept {
  const __m128i quote = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
  // Compared as signed bytes, those from 0x80 up are negative: below 0x20 like the controls.
  const __m128i control_or_high = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control_or_high)));
}
// Bit i set when byte i of the 16 at `p` is not plain.
inline unsigned special_mask(const char* p) noexcept {
  return special_mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}
#endif

/// How many bytes at the start of `s` are plain (see kPlain): all of them for most text, which
/// is then written with one copy. Sixteen bytes at a time where the CPU allows.
inline std::size_t plain_prefix(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t i = 0;
#ifdef KNEAD_JSON_STRING_SSE2
  for (; i + 16 <= n; i += 16) {
    if (const unsigned mask = special_mask(p + i)) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
  if (i == n) return n;
  if (n >= 16) {  // the last sixteen bytes, overlapping those already seen (all plain)
    const unsigned mask = special_mask(p + n - 16);
    return mask != 0 ? n - 16 + static_cast<std::size_t>(__builtin_ctz(mask)) : n;
  }
#endif
  // Shorter text (or, without SSE2, all of it): eight bytes at a time as one word, the last
  // eight overlapping those before; byte by byte from a word with a byte that is not plain.
  while (i + 8 <= n && all_plain(p + i)) i += 8;
  if (i + 8 > n && i < n && n >= 8 && all_plain(p + n - 8)) return n;
  while (i < n && kPlain[static_cast<unsigned char>(p[i])]) ++i;
  return i;
}

/// Copies `s` to `out`, which has room for s.size() + 16 bytes, when every byte of it is plain,
/// and says whether it was (if not, what is at `out` is to be overwritten). Where SSE2 is there,
/// it copies and checks sixteen bytes at a time in one pass, a short string with one load and
/// one store and no branch on its length: a short string is kept in the std::string object
/// itself (in every usual library), which has sixteen bytes to read from where it starts; the
/// bytes past its end are masked off.
inline bool copy_if_plain(const std::string& s, char* out) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
#ifdef KNEAD_JSON_STRING_SSE2
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
