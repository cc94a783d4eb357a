#pragma once
// Runs of plain text: the bytes a JSON string holds as they are (printable ASCII but '"' and
// '\\'), found sixteen at a time. What the patient parser reads in one go and the JSON writers
// copy in one go.

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define KNEAD_PLAIN_TEXT_SSE2 1
#endif

namespace knead::detail::plain_text {

// The plain bytes: printable ASCII except '"' and '\\'.
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

#ifdef KNEAD_PLAIN_TEXT_SSE2
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
/// is then read or written with one copy. Sixteen bytes at a time where the CPU allows.
inline std::size_t plain_prefix(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t i = 0;
#ifdef KNEAD_PLAIN_TEXT_SSE2
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

}  // namespace knead::detail::plain_text
