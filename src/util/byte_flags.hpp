#pragma once
// Walking an array of 0/1 bytes (a rule set's flags per rule) eight at a time: a patient sets
// few of a set's flags, and eight bytes read as one word pass seven unset ones in one test.

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace knead::detail {

/// The eight flag bytes at `p` as one word.
inline std::uint64_t flag_word(const char* p) noexcept {
  std::uint64_t word = 0;
  std::memcpy(&word, p, sizeof word);
  return word;
}

/// Calls visit(i), in increasing order, for each i < n whose flag is set. `word(base)` gives the
/// flags of base to base + 7 as a word of 0/1 bytes (built from flag_word), `flag(i)` one flag.
template <class Word, class Flag, class Visit>
void for_each_flag(std::size_t n, Word word, Flag flag, Visit visit) {
  std::size_t base = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  for (; base + 8 <= n; base += 8) {
    for (std::uint64_t set = word(base) & 0x0101010101010101ULL; set != 0; set &= set - 1) {
      visit(base + static_cast<std::size_t>(__builtin_ctzll(set)) / 8);
    }
  }
#endif
  for (; base < n; ++base) {
    if (flag(base)) visit(base);
  }
}

}  // namespace knead::detail
