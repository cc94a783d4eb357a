#include <knead/suggest.hpp>

#include <algorithm>
#include <utility>
#include <limits>

namespace knead {

namespace {
char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  // Three rolling rows: the transposition step looks two rows back.
  std::vector<std::size_t> prev2(m + 1);
  std::vector<std::size_t> prev(m + 1);
  std::vector<std::size_t> cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      std::size_t best = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
        best = std::min(best, prev2[j - 2] + 1);
      }
      cur[j] = best;
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

namespace {

std::size_t common_prefix(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && lower(a[n]) == lower(b[n])) ++n;
  return n;
}

}  // namespace

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  const std::size_t allowed = word.size() <= 4 ? 1 : (word.size() <= 8 ? 2 : 3);
  std::size_t best = std::numeric_limits<std::size_t>::max();
  std::size_t best_prefix = 0;
  const std::string* found = nullptr;
  for (const auto& c : candidates) {
    // Cheap bound first: lengths alone may already rule a candidate out.
    const std::size_t diff = c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
    if (diff > allowed || diff > best) continue;
    const std::size_t d = edit_distance(word, c);
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
