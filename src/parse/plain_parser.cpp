#include "parse/plain_parser.hpp"

#include "base/plain_text.hpp"

#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <utility>
#include <vector>

namespace knead::detail::parsing {
namespace {

using json = nlohmann::json;

// Deeper than this the parse leaves the text to the general parser (which keeps its own stack
// on the heap) rather than recurse further: a patient is three levels deep.
constexpr std::size_t kMaxRecursion = 32;

// Whole numbers of at most this many digits fit both int64 and uint64, so they are read
// exactly as nlohmann reads them; longer ones (which it may read as doubles) are left to it.
constexpr std::size_t kMaxDigits = 18;

// How much more room than needed an earlier document's string or list may keep when it is
// parsed over (a short string keeps its 15 bytes inside the object anyway).
constexpr std::size_t kSlack = 32;

// The most members' places a thread keeps between two parses (a patient names a few dozen).
constexpr std::size_t kKeptTouched = 1024;

class PlainParser {
 public:
  PlainParser(std::string_view text, std::size_t max_depth)
      : p_(text.data()), end_(text.data() + text.size()), max_depth_(max_depth) {}
  ~PlainParser() {
    if (touched_.capacity() > kKeptTouched) std::vector<json*>().swap(touched_);  // after a huge object
  }
  PlainParser(const PlainParser&) = delete;
  PlainParser& operator=(const PlainParser&) = delete;

  bool document(json& root) {
    skip_space();
    if (!value(root, 0)) return false;
    skip_space();
    return p_ == end_;
  }

 private:
  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  // `out` may hold a value of an earlier document (see parse_plain): its storage is reused
  // where the new value has the same type. `depth` counts the containers around it.
  bool value(json& out, std::size_t depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(out, depth);
      case '[': return array(out, depth);
      case '"': {
        std::string_view s;
        if (!string(s)) return false;
        // An earlier string's storage is reused only if it is not much bigger than needed
        // (here and for lists), so that what a document keeps follows what it holds.
        std::string* old = out.get_ptr<std::string*>();
        if (old != nullptr && old->capacity() <= 2 * s.size() + kSlack) {
          old->assign(s.data(), s.size());
        } else {
          out = json(s);
        }
        return true;
      }
      case 't': return literal("true", json(true), out);
      case 'f': return literal("false", json(false), out);
      case 'n': return literal("null", json(nullptr), out);
      default: return number(out);
    }
  }

  bool object(json& out, std::size_t depth) {
    if (depth >= max_depth_ || depth >= kMaxRecursion) return false;
    ++p_;
    if (!out.is_object()) out = json(json::value_t::object);
    json::object_t& members = *out.get_ptr<json::object_t*>();
    // The earlier document's members are parsed over by key, where they stand in the map. The
    // members named, in order, are listed above `start` in touched_ (nested objects list theirs
    // above, and take them off again): close() finds a key named twice and drops the earlier
    // members the text does not name.
    const std::size_t start = touched_.size();
    skip_space();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      members.clear();
      return true;
    }
    for (;;) {
      std::string_view key;
      if (p_ == end_ || *p_ != '"' || !string(key)) return false;
      const auto found = members.find(key);
      json& member = found != members.end() ? found->second : members.try_emplace(std::string(key)).first->second;
      touched_.push_back(&member);
      skip_space();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      skip_space();
      if (!value(member, depth + 1)) return false;
      skip_space();
      if (p_ == end_) return false;
      if (*p_ == '}') {
        ++p_;
        return close(members, start);
      }
      if (*p_ != ',') return false;
      ++p_;
      skip_space();
    }
  }

  // The end of an object whose members named are touched_[start...]; false at a duplicate key
  // (the located parse names it).
  bool close(json::object_t& members, std::size_t start) {
    const auto first = touched_.begin() + static_cast<std::ptrdiff_t>(start);
    std::sort(first, touched_.end());
    const bool duplicate = std::adjacent_find(first, touched_.end()) != touched_.end();
    if (!duplicate && members.size() > touched_.size() - start) {
      for (auto it = members.begin(); it != members.end();) {
        it = std::binary_search(first, touched_.end(), &it->second) ? std::next(it) : members.erase(it);
      }
    }
    touched_.resize(start);
    return !duplicate;
  }

  bool array(json& out, std::size_t depth) {
    if (depth >= max_depth_ || depth >= kMaxRecursion) return false;
    ++p_;
    if (!out.is_array()) out = json(json::value_t::array);
    json::array_t& items = *out.get_ptr<json::array_t*>();
    skip_space();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      items.clear();
      if (items.capacity() > kSlack) items.shrink_to_fit();
      return true;
    }
    // Room for a few at the first: a patient's lists are short, and growing one element at a
    // time would allocate and move again at the second and the third.
    if (items.capacity() == 0) items.reserve(4);
    // The earlier document's items are parsed over, one by one; those left over are dropped.
    std::size_t n = 0;
    for (;;) {
      if (n == items.size()) items.emplace_back();
      if (!value(items[n++], depth + 1)) return false;
      skip_space();
      if (p_ == end_) return false;
      if (*p_ == ']') {
        ++p_;
        items.erase(items.begin() + static_cast<std::ptrdiff_t>(n), items.end());
        if (items.capacity() > 2 * n + kSlack) items.shrink_to_fit();
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
      skip_space();
    }
  }

  // A string without escapes: runs of plain bytes (printable ASCII but '"' and '\\'), found
  // sixteen at a time, and well-formed UTF-8 sequences between them; `p_` is at its opening
  // quote. The value is the bytes as they are, as nlohmann keeps them.
  bool string(std::string_view& out) {
    const char* begin = p_ + 1;
    const char* q = begin;
    for (;;) {
      q += plain_text::plain_prefix(std::string_view(q, static_cast<std::size_t>(end_ - q)));
      if (q == end_) return false;  // no closing quote
      if (*q == '"') break;
      const std::size_t n = utf8_sequence(q);
      if (n == 0) return false;  // an escape, a control byte or invalid UTF-8
      q += n;
    }
    out = std::string_view(begin, static_cast<std::size_t>(q - begin));
    p_ = q + 1;
    return true;
  }

  // The length of the well-formed UTF-8 sequence of two to four bytes at `q`, or 0: the
  // sequences nlohmann's lexer accepts (no overlong form, no surrogate, nothing past U+10FFFF).
  [[nodiscard]] std::size_t utf8_sequence(const char* q) const {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(q[i]); };
    const auto left = static_cast<std::size_t>(end_ - q);
    const auto tail = [&](std::size_t from, std::size_t n) {  // continuation bytes 0x80-0xBF
      for (std::size_t i = from; i < n; ++i) {
        if ((byte(i) & 0xC0) != 0x80) return false;
      }
      return true;
    };
    const unsigned c = byte(0);
    std::size_t n = 0;
    unsigned lo = 0x80;  // the range of the second byte
    unsigned hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return 0;
    }
    if (left < n || byte(1) < lo || byte(1) > hi || !tail(2, n)) return 0;
    return n;
  }

  template <std::size_t N>
  bool literal(const char (&word)[N], json&& value, json& out) {
    constexpr std::size_t n = N - 1;
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    out = std::move(value);
    return true;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number(json& out) {
    const char* q = p_;
    const bool negative = *q == '-';
    if (negative) ++q;
    const char* digits = q;
    std::uint64_t magnitude = 0;
    for (; q != end_ && is_digit(*q); ++q) magnitude = magnitude * 10 + static_cast<std::uint64_t>(*q - '0');
    const auto count = static_cast<std::size_t>(q - digits);
    if (count == 0 || (*digits == '0' && count > 1)) return false;
    bool whole = true;
    if (q != end_ && *q == '.') {
      whole = false;
      if (!skip_digits(++q)) return false;
    }
    if (q != end_ && (*q == 'e' || *q == 'E')) {
      whole = false;
      ++q;
      if (q != end_ && (*q == '+' || *q == '-')) ++q;
      if (!skip_digits(q)) return false;
    }
    if (!whole) return fraction(q, out);
    if (count > kMaxDigits) return false;
    p_ = q;
    if (negative) {
      out = json(-static_cast<json::number_integer_t>(magnitude));
    } else {
      out = json(static_cast<json::number_unsigned_t>(magnitude));
    }
    return true;
  }

  // A number with a fraction or an exponent, from `p_` to `last`, read as nlohmann reads it:
  // strtod over its text with the locale's decimal point; one out of a double's range is left
  // to nlohmann, which rejects it.
  bool fraction(const char* last, json& out) {
    char text[64];
    const auto n = static_cast<std::size_t>(last - p_);
    if (n >= sizeof text) return false;
    std::memcpy(text, p_, n);
    text[n] = '\0';
    const std::lconv* locale = std::localeconv();
    const char point = locale->decimal_point != nullptr ? *locale->decimal_point : '.';
    if (point != '.') {
      if (auto* dot = static_cast<char*>(std::memchr(text, '.', n))) *dot = point;
    }
    char* stop = nullptr;
    const double value = std::strtod(text, &stop);
    if (stop != text + n || !std::isfinite(value)) return false;
    p_ = last;
    out = json(value);
    return true;
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  // Moves `q` past one or more digits; false when there is none.
  bool skip_digits(const char*& q) const {
    const char* first = q;
    while (q != end_ && is_digit(*q)) ++q;
    return q != first;
  }

  const char* p_;
  const char* end_;
  std::size_t max_depth_;
  std::vector<json*>& touched_ = thread_touched();  // the members of the open objects named so far

  static std::vector<json*>& thread_touched() {
    thread_local std::vector<json*> touched;  // kept by the thread: no allocation per record
    touched.clear();
    return touched;
  }
};

}  // namespace

bool parse_plain(std::string_view text, std::size_t max_depth, json& root) {
  return PlainParser(text, max_depth).document(root);
}

}  // namespace knead::detail::parsing
