#pragma once
/// \file
/// "Did you mean" suggestions for misspelled names: one distance and one threshold for every
/// message knead writes (operators, concept ids, keys, options, commands).

#include <knead/export.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace knead {

/// Edit distance between `a` and `b`, ASCII case-insensitive, counting an adjacent
/// transposition as one edit (optimal string alignment).
[[nodiscard]] KNEAD_API std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, or "" when none is close enough to be a likely typo
/// (at most 1 edit for words up to 4 characters, 2 up to 8, 3 beyond; fewer edits than `word`
/// has characters; and, past the prefix both share, at most one edit per two characters). Ties
/// go to the longer shared prefix, then the earlier candidate.
[[nodiscard]] KNEAD_API std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

/// The operator meant by `name`: the one an everyday alias stands for ("greater_than" -> ">",
/// "contains" -> "in", "not" -> "!") when it is among `operators`, else nearest().
[[nodiscard]] KNEAD_API std::string suggest_operator(std::string_view name, const std::vector<std::string>& operators);

/// "; did you mean '<nearest>'?", or "" when `nearest` is empty: the tail of a message.
[[nodiscard]] KNEAD_API std::string did_you_mean(std::string_view nearest);

}  // namespace knead
