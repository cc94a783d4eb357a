#include "parse/text_scan.hpp"

#include <algorithm>
#include <cstring>

namespace knead::detail::parsing {
namespace {

constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Characters that continue a number or literal token (and harmlessly swallow garbage).
constexpr bool continues_word(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '+' || c == '-';
}

}  // namespace

ValueStarts scan_value_starts(std::string_view text, std::size_t begin, std::size_t max_depth) {
  ValueStarts out;
  // Rule files have a value every ~8 bytes; the cap keeps a huge single string from reserving
  // memory it will never use.
  out.values.reserve(std::min<std::size_t>(text.size() / 8, std::size_t{1} << 16) + 4);
  const char* const p = text.data();
  const std::size_t n = text.size();
  std::size_t depth = 0;
  std::size_t i = begin;
  while (i < n) {
    switch (p[i]) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case ',':
      case ':':
        ++i;
        break;
      case '{':
      case '[':
        out.values.push_back(i++);
        if (++depth > max_depth) return out;
        break;
      case '}':
      case ']':
        if (depth != 0) --depth;
        ++i;
        break;
      case '"': {
        const std::size_t start = i++;
        // Find the closing quote: memchr to the next quote, then skip it if an odd run of
        // backslashes escapes it.
        while (i < n) {
          const void* q = std::memchr(p + i, '"', n - i);
          if (q == nullptr) {
            i = n;
            break;
          }
          const auto quote = static_cast<std::size_t>(static_cast<const char*>(q) - p);
          std::size_t backslashes = 0;
          while (quote - backslashes > start + 1 && p[quote - backslashes - 1] == '\\') ++backslashes;
          i = quote + 1;
          if (backslashes % 2 == 0) break;
        }
        std::size_t j = i;
        while (j < n && is_space(p[j])) ++j;
        if (j < n && p[j] == ':') {
          out.keys.push_back(start);
        } else {
          out.values.push_back(start);
        }
        break;
      }
      default:  // number or literal (or garbage, which nlohmann reports)
        out.values.push_back(i++);
        while (i < n && continues_word(p[i])) ++i;
        break;
    }
  }
  return out;
}

LineIndex::LineIndex(std::string_view text, std::size_t first_line_start) {
  starts_.push_back(first_line_start);
  const char* const p = text.data();
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const void* q = std::memchr(p + i, '\n', n - i);
    if (q == nullptr) break;
    i = static_cast<std::size_t>(static_cast<const char*>(q) - p) + 1;
    starts_.push_back(i);
  }
}

LineIndex::Position LineIndex::position(std::size_t offset) const noexcept {
  if (starts_.empty()) return {1, offset + 1};
  // The last line starting at or before `offset`; offsets inside a BOM count as column 1.
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  if (it == starts_.begin()) return {1, 1};
  const auto line = static_cast<std::size_t>(it - starts_.begin());
  return {line, offset - *(it - 1) + 1};
}

}  // namespace knead::detail::parsing
