#include "parse/syntax_message.hpp"

#include <algorithm>
#include <cstdio>

namespace knead::detail::parsing {
namespace {

constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
constexpr bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool starts_with(std::string_view s, std::string_view prefix) noexcept { return s.substr(0, prefix.size()) == prefix; }

// Length of the well-formed UTF-8 sequence at the start of `s`, 0 if there is none.
std::size_t utf8_length(std::string_view s) noexcept {
  if (s.empty()) return 0;
  const auto lead = static_cast<unsigned char>(s[0]);
  std::size_t length = 0;
  unsigned min_second = 0x80;
  unsigned max_second = 0xBF;
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;  // overlong
    if (lead == 0xED) max_second = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;  // overlong
    if (lead == 0xF4) max_second = 0x8F;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const unsigned lo = i == 1 ? min_second : 0x80;
    const unsigned hi = i == 1 ? max_second : 0xBF;
    if (c < lo || c > hi) return 0;
  }
  return length;
}

std::string hex_byte(unsigned char c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", static_cast<unsigned>(c));
  return buffer;
}

// The token names nlohmann uses, as a user would say them.
std::string token_name(std::string_view name) {
  if (name == "string literal") return "string";
  if (name == "number literal") return "number";
  if (name == "'[', '{', or a literal") return "a value";
  return std::string(name);
}

std::string expectation(std::string_view expected) {
  if (expected == "'[', '{', or a literal") return "; expected a value";
  if (expected == "string literal") return "; expected a string key";
  // nlohmann names only the closing bracket, but a comma is just as welcome there.
  if (expected == "']'") return "; expected ',' or ']'";
  if (expected == "'}'") return "; expected ',' or '}'";
  if (expected == "end of input") return " after the document";
  if (expected.empty()) return {};
  return "; expected " + std::string(expected);
}

// The lexer reports bad UTF-8 at the first byte that does not fit, which may be a
// continuation byte; point at the lead byte of the sequence it broke instead.
std::size_t utf8_sequence_start(std::string_view text, std::size_t offset) noexcept {
  for (std::size_t back = 1; back <= 3 && back <= offset; ++back) {
    const auto c = static_cast<unsigned char>(text[offset - back]);
    if (c >= 0x80 && c < 0xC0) continue;  // a continuation byte: keep looking for the lead
    const std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return length > back ? offset - back : offset;
  }
  return offset;
}

// Start of the string, number or literal token whose last byte is at `offset`.
std::size_t token_start(const ValueStarts& starts, std::size_t offset) noexcept {
  std::size_t best = offset;
  bool found = false;
  for (const auto* list : {&starts.values, &starts.keys}) {
    auto it = std::upper_bound(list->begin(), list->end(), offset);
    if (it != list->begin()) {
      const std::size_t candidate = *(it - 1);
      if (!found || candidate > best) best = candidate;
      found = true;
    }
  }
  return best;
}

// "unexpected character 'x'" for a byte that cannot start any JSON token.
std::string unexpected_character(std::string_view text, std::size_t offset) {
  const auto c = static_cast<unsigned char>(text[offset]);
  if (c < 0x20 || c == 0x7F) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
    return std::string("unexpected control character ") + buffer;
  }
  // Comments are the commonest stray: say so rather than name the slash.
  if (c == '/' && offset + 1 < text.size() && (text[offset + 1] == '/' || text[offset + 1] == '*')) {
    return "comments ('" + std::string(text.substr(offset, 2)) +
           "') are not allowed in JSON; remove it, or say it in a \"description\" or \"note\" field";
  }
  if (c == '#') return "comments ('#') are not allowed in JSON; remove it, or say it in a \"description\" or \"note\" field";
  const std::size_t length = utf8_length(text.substr(offset));
  if (length == 0) return "invalid UTF-8 byte " + hex_byte(c);
  return "unexpected character '" + std::string(text.substr(offset, length)) + "'";
}

}  // namespace

std::size_t end_of_content(std::string_view text, std::size_t begin) noexcept {
  std::size_t end = text.size();
  while (end > begin && is_space(text[end - 1])) --end;
  return std::max(end, begin);
}

std::string printable(std::string_view text, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (out.size() >= max_bytes) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04X", static_cast<unsigned>(c));
      out += buffer;
      ++i;
      continue;
    }
    const std::size_t length = utf8_length(text.substr(i));
    if (length == 0) {
      out += "\\x" + hex_byte(c).substr(2);
      ++i;
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

SyntaxProblem describe_syntax_error(std::string_view text, std::size_t begin, const ValueStarts& starts,
                                    std::size_t position, const std::string& last_token,
                                    const nlohmann::detail::exception& error) {
  const std::size_t size = text.size();
  // `position` counts the bytes the lexer has read, so the last one is at position - 1; at the
  // end of the text it is one past the end.
  const std::size_t last = position == 0 ? 0 : std::min(position - 1, size);
  const std::size_t at_end = end_of_content(text, begin);

  std::string_view body = error.what();
  // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
  if (starts_with(body, "[json.exception.")) {
    const std::size_t close = body.find("] ");
    if (close != std::string_view::npos) body.remove_prefix(close + 2);
  }
  if (starts_with(body, "parse error")) {
    const std::size_t colon = body.find(": ");
    if (colon != std::string_view::npos) body.remove_prefix(colon + 2);
  }

  if (starts_with(body, "number overflow")) {  // out_of_range.406, e.g. 1e400
    return {"number out of range", token_start(starts, last)};
  }
  if (!starts_with(body, "syntax error")) return {printable(body, 200), std::min(last, at_end)};

  // "syntax error while parsing <context> - <detail>"
  const std::size_t dash = body.find(" - ");
  std::string_view detail = dash == std::string_view::npos ? body : body.substr(dash + 3);

  const std::string last_read = "; last read: '" + last_token + "'";
  const std::size_t lexer_part = detail.find(last_read);
  if (lexer_part != std::string_view::npos) {
    // The lexer rejected a token: detail is "<what>; last read: '<token>'[; expected <x>]".
    const std::string_view what = detail.substr(0, lexer_part);
    const std::string_view rest = detail.substr(lexer_part + last_read.size());
    const std::string suffix = rest == "; expected end of input" ? std::string(" after the document") : std::string();

    if (what == "invalid literal") {
      // The lexer stops at the first byte that does not fit. Letters before it mean a misspelt
      // true/false/null, reported at its start; otherwise the byte cannot start any token.
      std::size_t start = last;
      while (start > begin && is_lower(text[start - 1])) --start;
      if (start < last || last >= size) return {"invalid literal" + suffix, start};
      return {unexpected_character(text, last) + suffix, last};
    }
    if (what == "invalid string: ill-formed UTF-8 byte") {
      return {"invalid UTF-8 in string" + suffix, utf8_sequence_start(text, last)};
    }
    if (what == "invalid string: missing closing quote") {
      return {"unterminated string" + suffix, token_start(starts, last)};
    }
    if (starts_with(what, "invalid BOM")) return {"invalid byte order mark", 0};
    return {std::string(what) + suffix, last < size ? last : at_end};
  }

  // The parser rejected a well-formed token: detail is "unexpected <token>[; expected <x>]".
  std::string_view unexpected = detail;
  std::string_view expected;
  const std::size_t semicolon = detail.rfind("; expected ");
  if (semicolon != std::string_view::npos) {
    unexpected = detail.substr(0, semicolon);
    expected = detail.substr(semicolon + 11);
  }
  if (starts_with(unexpected, "unexpected ")) unexpected.remove_prefix(11);

  if (unexpected == "end of input") {
    // The lexer also ends the input at a NUL byte.
    if (last < size && text[last] == '\0') return {"unexpected NUL byte", last};
    return {"unexpected end of input" + expectation(expected), at_end};
  }
  std::size_t offset = last;
  if (unexpected == "string literal" || unexpected == "number literal" || unexpected == "'true'" ||
      unexpected == "'false'" || unexpected == "'null'") {
    offset = token_start(starts, last);
    // "01" lexes as two numbers; say what is wrong rather than "unexpected number".
    const std::size_t digit = offset < size && text[offset] == '-' ? offset + 1 : offset;
    if (unexpected == "number literal" && digit + 1 < size && text[digit] == '0' && is_digit(text[digit + 1])) {
      return {"invalid number: leading zero", offset};
    }
  }
  // A closing bracket right after a comma: a trailing comma, reported where the comma is.
  // ('}' where a value is expected is a mismatched bracket, not a trailing comma.)
  const bool closes = unexpected == "']'" || (unexpected == "'}'" && expected == "string literal");
  if (closes && offset < size) {
    std::size_t before = offset;
    while (before > begin && is_space(text[before - 1])) --before;
    if (before > begin && text[before - 1] == ',') {
      return {"trailing comma before " + token_name(unexpected) + " (JSON allows none); remove the comma", before - 1};
    }
  }
  return {"unexpected " + token_name(unexpected) + expectation(expected), offset};
}

}  // namespace knead::detail::parsing
