#include <knead/suggest.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <limits>
#include <vector>

namespace knead {

namespace {
char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::size_t common_prefix(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && lower(a[n]) == lower(b[n])) ++n;
  return n;
}

// edit_distance(a, b) when it is at most `limit`, else some value above `limit`: stops as soon
// as two rows in a row exceed the limit (no later entry can come back under it). No
// allocation after a thread's first call: unknown ids in patients are looked up per patient.
std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  thread_local std::vector<std::size_t> rows;
  rows.resize(3 * (m + 1));
  std::size_t* prev2 = rows.data();
  std::size_t* prev = prev2 + m + 1;
  std::size_t* cur = prev + m + 1;
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  bool prev_over = false;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    std::size_t row_min = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      std::size_t best = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
        best = std::min(best, prev2[j - 2] + 1);
      }
      cur[j] = best;
      row_min = std::min(row_min, best);
    }
    const bool over = row_min > limit;
    if (over && prev_over) return limit + 1;
    prev_over = over;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

// Letter counts (ASCII case-insensitive; digits and other bytes share buckets). One edit
// changes the counts by at most 2 in total, so half their difference bounds the distance from
// below and rules most candidates out without the quadratic comparison.
using Counts = std::array<std::int16_t, 28>;

Counts counts_of(std::string_view s) noexcept {
  Counts c{};
  for (const char ch : s) {
    const char l = lower(ch);
    const std::size_t bucket =
        l >= 'a' && l <= 'z' ? static_cast<std::size_t>(l - 'a') : (l >= '0' && l <= '9' ? 26 : 27);
    ++c[bucket];
  }
  return c;
}

std::size_t count_difference(const Counts& a, std::string_view b) noexcept {
  Counts c = a;
  for (const char ch : b) {
    const char l = lower(ch);
    const std::size_t bucket =
        l >= 'a' && l <= 'z' ? static_cast<std::size_t>(l - 'a') : (l >= '0' && l <= '9' ? 26 : 27);
    --c[bucket];
  }
  std::size_t total = 0;
  for (const auto v : c) total += static_cast<std::size_t>(v < 0 ? -v : v);
  return total;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  return edit_distance_within(a, b, std::numeric_limits<std::size_t>::max());
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  const std::size_t allowed = word.size() <= 4 ? 1 : (word.size() <= 8 ? 2 : 3);
  std::size_t best = std::numeric_limits<std::size_t>::max();
  std::size_t best_prefix = 0;
  const Counts word_counts = counts_of(word);
  const std::string* found = nullptr;
  for (const auto& c : candidates) {
    // Cheap bound first: lengths alone may already rule a candidate out.
    const std::size_t diff = c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
    if (diff > allowed || diff > best) continue;
    // Then letter counts, then the distance itself, computed only as far as it can still count.
    const std::size_t limit = std::min(allowed, best);
    if ((count_difference(word_counts, c) + 1) / 2 > limit) continue;
    const std::size_t d = edit_distance_within(word, c, limit);
    if (d > allowed || d >= word.size()) continue;
    // Past the shared prefix, at most half of what differs may be edits: 'swedsh' is a typo of
    // 'swedish', but 'left_heel' is not one of 'left_hand' (all of 'eel' against 'and').
    const std::size_t prefix = common_prefix(word, c);
    const std::size_t rest = std::max(word.size(), c.size()) - prefix;
    // (One a prefix of the other is a word cut short or run on: 'substring' for 'substr'.)
    if (prefix < std::min(word.size(), c.size()) && 2 * d > rest + 1) continue;
    if (d < best || (d == best && prefix > best_prefix)) {
      best = d;
      best_prefix = prefix;
      found = &c;
    }
  }
  return found == nullptr ? std::string() : *found;
}

std::string suggest_operator(std::string_view name, const std::vector<std::string>& operators) {
  // Words rule authors reach for, by what they mean.
  static const std::pair<const char*, const char*> aliases[] = {
      {"greater_than", ">"}, {"gt", ">"}, {"greater_or_equal", ">="}, {"greater_than_or_equal", ">="},
      {"gte", ">="}, {"ge", ">="}, {"less_than", "<"}, {"lt", "<"}, {"less_or_equal", "<="},
      {"less_than_or_equal", "<="}, {"lte", "<="}, {"le", "<="}, {"eq", "=="}, {"equals", "=="},
      {"equal", "=="}, {"=", "=="}, {"is", "=="}, {"ne", "!="}, {"neq", "!="}, {"not_equal", "!="},
      {"not_equals", "!="}, {"<>", "!="}, {"not", "!"}, {"&&", "and"}, {"||", "or"}, {"contains", "in"},
      {"includes", "in"}, {"add", "+"}, {"plus", "+"}, {"sum", "+"}, {"minus", "-"}, {"subtract", "-"},
      {"times", "*"}, {"multiply", "*"}, {"divide", "/"}, {"mod", "%"}, {"modulo", "%"},
      {"concat", "cat"}, {"any", "some"}, {"every", "all"}, {"conditions", "condition"}, {"goals", "goal"},
      {"findings", "finding"}, {"medications", "medication"}, {"has_condition", "condition"},
      {"has_finding", "finding"}, {"has_goal", "goal"}, {"takes", "medication"}};
  std::string lowered(name);
  for (char& c : lowered) c = lower(c);
  for (const auto& [alias, op] : aliases) {
    if (lowered == alias && std::find(operators.begin(), operators.end(), op) != operators.end()) return op;
  }
  return nearest(name, operators);
}

std::string did_you_mean(std::string_view nearest) {
  return nearest.empty() ? std::string() : "; did you mean '" + std::string(nearest) + "'?";
}

}  // namespace knead
