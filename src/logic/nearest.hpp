#pragma once
// "Did you mean" suggestions for misspelled names.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace knead::logic::detail {

/// Edit distance between `a` and `b`, ASCII case-insensitive, counting an adjacent
/// transposition as one edit (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// edit_distance(a, b) when it is at most `limit`; otherwise some value above `limit`.
std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t limit);

}  // namespace knead::logic::detail

namespace knead::logic {

/// The candidate closest to `word`, or "" when none is close enough to be a likely typo
/// (at most 1 edit for words up to 4 characters, 2 up to 8, 3 beyond; and fewer edits than
/// `word` has characters). Ties go to the earlier candidate.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace knead::logic
