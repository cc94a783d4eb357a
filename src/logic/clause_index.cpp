#include "logic/clause_index.hpp"

#include "logic/coerce.hpp"
#include "logic/sharing.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

// A text look-up runs once per element of every array the clauses read: inlined into the
// loop over the elements, it costs about half as much as a call. The decision of a path's
// text clauses, once per path, is inlined too (a call with nine arguments costs dozens of
// instructions, about as many as the clauses of a typical path).
#if defined(__GNUC__)
#define KNEAD_INLINE_LOOKUP inline __attribute__((always_inline))
#else
#define KNEAD_INLINE_LOOKUP inline
#endif

namespace knead::logic::detail {

namespace {

std::uint8_t byte_of(bool truth) noexcept { return truth ? SharedNode::kTrue : SharedNode::kFalse; }

// Texts are short words: their length and first and last eight bytes spread them well, and
// are far cheaper to hash than every byte. Collisions only cost a comparison.
std::uint64_t hash_of(std::uint64_t head, std::uint64_t tail, std::size_t size) noexcept {
  const std::uint64_t h = (head * 0x9E3779B97F4A7C15ULL) ^ ((tail + size) * 0xC2B2AE3D27D4EB4FULL);
  return h ^ (h >> 31);
}

// The number of bits set in `w`. __builtin_popcountll is a call into libgcc unless the build
// assumes the popcount instruction (-mpopcnt); this is a dozen instructions inline.
inline int count_bits(std::uint64_t w) noexcept {
#if defined(__POPCNT__)
  return __builtin_popcountll(w);
#else
  w -= (w >> 1) & 0x5555555555555555ULL;
  w = (w & 0x3333333333333333ULL) + ((w >> 2) & 0x3333333333333333ULL);
  w = (w + (w >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<int>((w * 0x0101010101010101ULL) >> 56);
#endif
}

// The truth of what a path finds (read by `Reader`), or where it finds nothing, of its fallback
// (the constant a `var` with a default reads then), if any.
template <class Reader>
bool truth_or_fallback(typename Reader::Value value, const nlohmann::json* fallback) noexcept {
  return value != nullptr ? Reader::truth(value) : fallback != nullptr && truthy(*fallback);
}

// The largest magnitude up to which a double holds every integer.
constexpr std::int64_t kExactLimit = std::int64_t{1} << 53;

// Whether a double holds the number `n` exactly (every double does; integers up to 2^53).
bool exact_as_double(const nlohmann::json& n) noexcept {
  if (const auto* u = n.get_ptr<const nlohmann::json::number_unsigned_t*>()) {
    return *u <= static_cast<std::uint64_t>(kExactLimit);
  }
  if (const auto* i = n.get_ptr<const nlohmann::json::number_integer_t*>())
    return *i <= kExactLimit && *i >= -kExactLimit;
  return true;
}

// Whether `range` holds `x` (never for NaN).
bool in_range(double low, bool low_inclusive, double high, bool high_inclusive, double x) noexcept {
  // Without branches: bitwise & and | on the comparisons (NaN, compared, is never in range).
  const bool above = (low < x) | (low_inclusive & (low == x));
  const bool below = (x < high) | (high_inclusive & (x == high));
  return above & below;
}

}  // namespace

std::optional<StringClause> string_clause(const Node& node) {
  if (auto clause = string_in_clause(node)) return clause;
  if (auto clause = string_equality_clause(node)) return clause;
  return string_quantifier_clause(node);
}

KNEAD_INLINE_LOOKUP ClauseIndex::TextKey ClauseIndex::key_of(std::string_view text) noexcept {
  // Up to 8 bytes: the text, zero-extended, as head and tail.
  TextKey key;
  key.size = text.size();
  const char* p = text.data();
  const std::size_t n = text.size();
  if (n >= 8) {
    std::memcpy(&key.head, p, 8);
    std::memcpy(&key.tail, p + n - 8, 8);
  } else if (n > 0) {
    std::memcpy(&key.head, p, n);
    key.tail = key.head;
  }
  return key;
}

#if defined(__GLIBCXX__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
// The same key as key_of(std::string_view) without a branch on the length, which the processor
// cannot predict from one patient's text to the next, for texts whose first 8 bytes at `p` are
// always there to read; those past the text are masked off (little-endian: the first bytes are
// the low ones).
KNEAD_INLINE_LOOKUP ClauseIndex::TextKey ClauseIndex::masked_key(const char* p, std::size_t n) noexcept {
  const bool longer = n >= 8;
  std::uint64_t head = 0;
  std::uint64_t tail = 0;
  std::memcpy(&head, p, 8);
  std::memcpy(&tail, p + (longer ? n - 8 : 0), 8);
  const std::uint64_t keep = longer ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * (n & 7))) - 1;
  return TextKey{head & keep, tail & keep, n};
}

// libstdc++ keeps a string of up to 15 bytes in a 16-byte buffer inside the object and allocates
// at least 16 bytes for a longer one; a cell holds a text of up to 8 bytes in its payload and a
// longer one after it.
KNEAD_INLINE_LOOKUP ClauseIndex::TextKey ClauseIndex::key_of(const std::string& text) noexcept {
  return masked_key(text.data(), text.size());
}
KNEAD_INLINE_LOOKUP ClauseIndex::TextKey ClauseIndex::key_of(const Cell& text) noexcept {
  return masked_key(text.text_data(), text.size);
}
#else
KNEAD_INLINE_LOOKUP ClauseIndex::TextKey ClauseIndex::key_of(const std::string& text) noexcept {
  return key_of(std::string_view(text));
}
KNEAD_INLINE_LOOKUP ClauseIndex::TextKey ClauseIndex::key_of(const Cell& text) noexcept {
  return key_of(std::string_view(text.text_data(), text.size));
}
#endif

KNEAD_INLINE_LOOKUP std::size_t ClauseIndex::Path::home(const TextKey& key) const noexcept {
  return static_cast<std::size_t>((hash_of(key.head, key.tail, key.size) * multiplier) >> shift);
}

KNEAD_INLINE_LOOKUP std::uint32_t ClauseIndex::Path::find(const std::string& text) const noexcept {
  return find(key_of(text), text.data());
}

KNEAD_INLINE_LOOKUP std::uint32_t ClauseIndex::Path::find(const TextKey& key, const char* data) const noexcept {
  const auto same = [&](std::uint32_t i) {
    const TextKey& k = keys[i];
    return ((k.head ^ key.head) | (k.tail ^ key.tail) | (k.size ^ key.size)) == 0 &&
           (key.size <= 16 || same_bytes(texts[i - 1].data() + 8, data + 8, key.size - 16));
  };
  std::size_t at = home(key);
  if (perfect) {
    // A text not at its home slot is none of the path's texts. Whether a patient's text is
    // one of them is what the processor cannot predict: a select, not a branch.
    const std::uint32_t i = table[at];
    return same(i) ? i : 0;
  }
  const std::size_t mask = table.size() - 1;
  for (;; at = (at + 1) & mask) {
    const std::uint32_t i = table[at];
    if (i == 0) return 0;
    if (same(i)) return i;
  }
}

void ClauseIndex::Path::place_texts() {
  // Home slots by the top bits of hash * multiplier: try a few odd multipliers (fixed, so
  // that compiling is deterministic) with tables 4 to 16 times the number of texts, and keep
  // the first that puts every text at its home. Past that (hundreds of texts on one path,
  // where it would take a large table), linear probing from a table a quarter full.
  std::size_t smallest = 8;
  while (smallest < 4 * texts.size()) smallest *= 2;
  std::uint64_t state = 0x2545F4914F6CDD1DULL;
  const auto next_odd = [&state] {  // splitmix64
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (z ^ (z >> 31)) | 1U;
  };
  const auto fill = [&](std::size_t capacity, bool probe) {
    shift = 64;
    for (std::size_t c = capacity; c > 1; c /= 2) --shift;
    table.assign(capacity, 0);
    for (std::uint32_t i = 1; i < keys.size(); ++i) {
      std::size_t at = home(keys[i]);
      if (table[at] != 0 && !probe) return false;
      while (table[at] != 0) at = (at + 1) & (capacity - 1);
      table[at] = i;
    }
    return true;
  };
  constexpr int kTries = 128;
  for (std::size_t capacity = smallest; capacity <= 4 * smallest; capacity *= 2) {
    for (int t = 0; t < kTries; ++t) {
      multiplier = next_odd();
      if (fill(capacity, false)) {
        perfect = true;
        return;
      }
    }
  }
  perfect = false;
  (void)fill(smallest, true);
}

ClauseIndex::Path& ClauseIndex::path_of(const ScopeRead* read) {
  // Parents come before their children in paths_, so decide() finds them in one pass.
  std::uint32_t at = Path::kData;
  const std::size_t steps = read->path.size();
  for (std::size_t i = 0; i < std::max<std::size_t>(steps, 1); ++i) {
    const Segment* segment = steps == 0 ? nullptr : &read->path.segment(i);
    const auto same = [&](const Path& p) {
      return p.parent == at &&
             (p.segment == nullptr ? segment == nullptr : segment != nullptr && p.segment->key == segment->key);
    };
    const auto found = std::find_if(paths_.begin(), paths_.end(), same);
    if (found != paths_.end()) {
      at = static_cast<std::uint32_t>(found - paths_.begin());
      continue;
    }
    paths_.emplace_back();
    paths_.back().parent = at;
    paths_.back().segment = segment;
    at = static_cast<std::uint32_t>(paths_.size() - 1);
  }
  return paths_[at];
}

void ClauseIndex::add(std::uint32_t slot, StringClause clause) {
  Path& path = path_of(clause.read);
  const bool on_array = clause.kind != StringClause::Kind::equals;
  (on_array ? path.on_array : path.on_text).push_back(TextClause{slot, clause.kind, clause.negated});
  (on_array ? path.array_texts : path.text_texts).push_back(std::move(clause.texts));
  path.any_all = path.any_all || clause.kind == StringClause::Kind::all;
  ++clauses_;
}

void ClauseIndex::add(std::uint32_t slot, NumberClause clause) {
  Path& path = path_of(clause.read);
  ++clauses_;
  // The clause as an interval of the value read (x): each pair of the chain is a bound of x,
  // or a comparison of two constants, which holds or not whatever x is.
  Range range{slot, -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(), true, true};
  bool possible = true;
  for (std::size_t i = 0; i + 1 < clause.chain.size(); ++i) {
    // The pair as "lower before higher": a < b (a <= b) for < and <=, swapped for > and >=.
    const nlohmann::json* a = clause.ascending ? clause.chain[i] : clause.chain[i + 1];
    const nlohmann::json* b = clause.ascending ? clause.chain[i + 1] : clause.chain[i];
    if (a != nullptr && b != nullptr) {
      const Cmp c = compare(*a, *b);
      possible = possible && (c == Cmp::equal ? clause.or_equal : c == Cmp::less);
      continue;
    }
    const nlohmann::json* bound = a != nullptr ? a : b;
    if (!exact_as_double(*bound)) {
      path.exact.emplace_back(slot, std::move(clause));
      return;
    }
    (a != nullptr ? range.low : range.high) = bound->get<double>();
    (a != nullptr ? range.low_inclusive : range.high_inclusive) = clause.or_equal;
  }
  if (!possible) range = Range{slot, 1.0, 0.0, false, false};  // no number lies between
  path.ranges.push_back(range);
  path.range_clauses.push_back(std::move(clause));
}

void ClauseIndex::add(std::uint32_t slot, BoolClause clause) {
  Path& path = path_of(clause.read);
  path.bools.push_back(clause);
  path.bool_slots.push_back(slot);
  ++clauses_;
}

void ClauseIndex::add_truth(std::uint32_t slot, const ScopeRead* read) {
  Path& path = path_of(read);
  path.truth_slots.push_back(slot);
  path.truth_fallbacks.push_back(read->fallback);
  ++clauses_;
}

void ClauseIndex::finish(std::uint64_t max_work) {
  max_items_ = max_work / 8;
  for (Path& path : paths_) {
    std::vector<std::string_view> all;
    for (const auto* lists : {&path.array_texts, &path.text_texts}) {
      for (const auto& texts : *lists) all.insert(all.end(), texts.begin(), texts.end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    path.texts = std::move(all);
    path.words = (path.texts.size() + 1 + 63) / 64;
    widest_ = std::max(widest_, path.words);
    // Each clause's texts as the words and bits of their presence bits.
    const auto to_masks = [&](std::vector<TextClause>& clauses, std::vector<std::vector<std::string_view>>& texts) {
      for (std::size_t c = 0; c < clauses.size(); ++c) {
        std::vector<std::uint32_t> bits;
        for (const std::string_view text : texts[c]) {
          const auto at = std::lower_bound(path.texts.begin(), path.texts.end(), text);
          bits.push_back(static_cast<std::uint32_t>(at - path.texts.begin()) + 1);
        }
        std::sort(bits.begin(), bits.end());
        clauses[c].first = static_cast<std::uint32_t>(masks_.size());
        for (const std::uint32_t bit : bits) {
          const std::uint64_t one = std::uint64_t{1} << (bit % 64);
          if (masks_.size() > clauses[c].first && masks_.back().word == bit / 64) {
            masks_.back().bits |= one;
          } else {
            masks_.push_back(Mask{bit / 64, one});
          }
        }
        clauses[c].words = static_cast<std::uint32_t>(masks_.size()) - clauses[c].first;
      }
      texts.clear();
      texts.shrink_to_fit();
    };
    to_masks(path.on_array, path.array_texts);
    to_masks(path.on_text, path.text_texts);
    // Take out the clauses that test one word.
    const auto to_words = [&](std::vector<TextClause>& clauses, std::vector<WordClause>& word_clauses) {
      std::vector<TextClause> rest;
      for (const TextClause& c : clauses) {
        constexpr std::uint32_t kWords = 1U << 24;  // WordClause::word
        if (c.kind == StringClause::Kind::all || c.words > 1 || (c.words == 1 && masks_[c.first].word >= kWords)) {
          rest.push_back(c);
          continue;
        }
        const Mask mask = c.words == 1 ? masks_[c.first] : Mask{0, 0};  // no text: never present
        const bool holds_when_absent = (c.kind == StringClause::Kind::none) != c.negated;
        WordClause w{mask.bits, c.slot, mask.word, holds_when_absent ? SharedNode::kTrue : SharedNode::kFalse};
        word_clauses.push_back(w);
      }
      clauses = std::move(rest);
    };
    place_ranges(path);
    to_words(path.on_array, path.array_words);
    to_words(path.on_text, path.text_words);
    path.keys.reserve(path.texts.size() + 1);
    path.keys.push_back(TextKey{0, 0, ~std::size_t{0}});  // no text is that long
    for (const std::string_view text : path.texts) path.keys.push_back(key_of(text));
    path.place_texts();
  }
}

void ClauseIndex::place_ranges(Path& path) {
  std::vector<double> bounds;
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  for (const Range& r : path.ranges) {
    // An absent bound is an inclusive infinity, and no place of its own (see below); other
    // infinities (constants too large for a double) are left to the range-by-range loop.
    const bool low_absent = r.low == -kInfinity && r.low_inclusive;
    const bool high_absent = r.high == kInfinity && r.high_inclusive;
    if ((!low_absent && !std::isfinite(r.low)) || (!high_absent && !std::isfinite(r.high))) return;
    if (!low_absent) bounds.push_back(r.low);
    if (!high_absent) bounds.push_back(r.high);
  }
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  if (bounds.size() > kMaxBounds) return;
  // A number's place p counts, for every bound b, x > b and x >= b: place 2j + 1 is
  // bounds[j] itself, place 2j the numbers between bounds[j - 1] and bounds[j]. Every range's
  // bounds are among them (or absent), so a range holds at all numbers of a place or at none:
  // its truth at one number of each place is its truth at the place. The places below the
  // first bound and above the last are represented by the infinities (where absent, inclusive
  // bounds hold, and finite ones compare as at any number out there); one between two bounds
  // by the next double above the lower (an empty place when that is the upper bound: no
  // number falls there, whatever its bit says).
  const std::size_t places = 2 * bounds.size() + 1;
  path.place_truth.assign(path.ranges.size(), 0);
  for (std::size_t p = 0; p < places; ++p) {
    double x = 0;
    if (p % 2 == 1) {
      x = bounds[p / 2];
    } else if (p == 0) {
      x = -std::numeric_limits<double>::infinity();
    } else if (p == places - 1) {
      x = std::numeric_limits<double>::infinity();
    } else {
      x = std::nextafter(bounds[p / 2 - 1], std::numeric_limits<double>::infinity());
    }
    for (std::size_t i = 0; i < path.ranges.size(); ++i) {
      const Range& r = path.ranges[i];
      if (in_range(r.low, r.low_inclusive, r.high, r.high_inclusive, x)) path.place_truth[i] |= std::uint64_t{1} << p;
    }
  }
  path.bounds = std::move(bounds);
}

KNEAD_INLINE_LOOKUP void ClauseIndex::decide_texts(const std::vector<WordClause>& word_clauses,
                                                   const std::vector<TextClause>& clauses,
                                                   const std::vector<Mask>& masks, const std::uint64_t* present,
                                                   std::size_t words, std::size_t count, bool stray, bool any_all,
                                                   std::uint8_t* memo) noexcept {
  static_assert(SharedNode::kTrue == (SharedNode::kFalse | 2U), "a truth is kFalse with bit 1 set or not");
  if (words == 1) {
    // Most paths: every text in one word, held in a register (stores to the memo bytes may
    // alias anything, so the compiler would otherwise read it again for every clause).
    const std::uint64_t bits = present[0];
    for (const WordClause& c : word_clauses) {
      memo[c.slot] = static_cast<std::uint8_t>(c.absent ^ (static_cast<unsigned>((bits & c.bits) != 0) << 1));
    }
  } else {
    for (const WordClause& c : word_clauses) {
      memo[c.slot] =
          static_cast<std::uint8_t>(c.absent ^ (static_cast<unsigned>((present[c.word] & c.bits) != 0) << 1));
    }
  }
  // `all`: the array is not empty, every element is a text some clause names (no stray), and
  // the clause's texts hold every text present.
  int total = 0;
  if (any_all) {
    for (std::size_t w = 0; w < words; ++w) total += count_bits(present[w]);
    total -= static_cast<int>(present[0] & 1U);
  }
  for (const TextClause& c : clauses) memo[c.slot] = byte_of(text_truth(c, masks, present, count, stray, total));
}

KNEAD_INLINE_LOOKUP bool ClauseIndex::text_truth(const TextClause& c, const std::vector<Mask>& masks,
                                                 const std::uint64_t* present, std::size_t count, bool stray,
                                                 int total) noexcept {
  std::uint64_t hit = 0;
  for (std::uint32_t k = c.first; k < c.first + c.words; ++k) hit |= present[masks[k].word] & masks[k].bits;
  bool truth = c.kind == StringClause::Kind::none ? hit == 0 : hit != 0;
  if (c.kind == StringClause::Kind::all) {
    int inside = 0;
    for (std::uint32_t k = c.first; k < c.first + c.words; ++k) {
      inside += count_bits(present[masks[k].word] & masks[k].bits);
    }
    truth = count != 0 && !stray && inside == total;
  }
  return truth != c.negated;
}

void ClauseIndex::decide_numbers(const Path& path, const nlohmann::json& value, std::uint8_t* memo) const noexcept {
  for (const auto& [slot, clause] : path.exact) memo[slot] = byte_of(clause.holds(value));
  if (!exact_as_double(value)) {
    for (std::size_t i = 0; i < path.ranges.size(); ++i)
      memo[path.ranges[i].slot] = byte_of(path.range_clauses[i].holds(value));
    return;
  }
  const double x = value.get<double>();
  if (!path.place_truth.empty()) {
    unsigned place = 0;
    for (const double b : path.bounds) place += static_cast<unsigned>(x > b) + static_cast<unsigned>(x >= b);
    // NaN has place 0, where ranges without a lower bound hold: it is in none.
    const auto number = static_cast<std::uint64_t>(x == x);
    static_assert(SharedNode::kTrue == (SharedNode::kFalse | 2U), "a truth is kFalse with bit 1 set or not");
    // Through local pointers: a store to a memo byte may alias anything, so the compiler
    // would otherwise load the vectors' storage again for every range.
    const Range* const ranges = path.ranges.data();
    const std::uint64_t* const truths = path.place_truth.data();
    const std::size_t count = path.ranges.size();
    for (std::size_t i = 0; i < count; ++i) {
      memo[ranges[i].slot] = static_cast<std::uint8_t>(SharedNode::kFalse | (((truths[i] >> place) & number) << 1));
    }
    return;
  }
  for (const Range& r : path.ranges)
    memo[r.slot] = byte_of(in_range(r.low, r.low_inclusive, r.high, r.high_inclusive, x));
}

// The two readers of decide_with() and decide_words_with(): the same questions of an
// nlohmann::json tree and of a PackedData's cells, answered alike for the same value. A text's
// look-up is inlined into the loops over elements, as it was before there were two readers.
struct ClauseIndex::JsonReader {
  using Value = const nlohmann::json*;
  static Value step(Value from, const Path& path) noexcept { return detail::step(*from, *path.segment); }
  static bool truth(Value v) noexcept { return truthy(*v); }
  // The elements of an array: the first and how many; false for any other value.
  static bool items(Value v, Value& first, std::size_t& count) noexcept {
    const auto* array = v->get_ptr<const nlohmann::json::array_t*>();
    if (array == nullptr) return false;
    first = array->data();
    count = array->size();
    return true;
  }
  static bool is_text(Value v) noexcept { return v->is_string(); }
  // The presence bit of a text (strict equality: no other type equals a text).
  static KNEAD_INLINE_LOOKUP std::uint32_t bit(const Path& path, Value v) noexcept {
    const auto* s = v->get_ptr<const std::string*>();
    return s != nullptr ? path.find(*s) : 0;
  }
  // A number a double holds exactly, and not NaN; false for anything else.
  static bool number(Value v, double& x) noexcept {
    if (const auto* f = v->get_ptr<const nlohmann::json::number_float_t*>()) {
      x = *f;
      return x == x;
    }
    if (!v->is_number() || !exact_as_double(*v)) return false;
    x = v->get<double>();
    return true;
  }
  static bool is_number(Value v) noexcept { return v->is_number(); }
  // A number as the value it is (for the comparisons decided as the operator decides them).
  static const nlohmann::json& number_value(Value v) noexcept { return *v; }
  static bool boolean(Value v, bool& b) noexcept {
    const auto* truth = v->get_ptr<const nlohmann::json::boolean_t*>();
    if (truth == nullptr) return false;
    b = *truth;
    return true;
  }
};

struct ClauseIndex::PackedReader {
  using Value = const Cell*;
  static KNEAD_INLINE_LOOKUP Value step(Value from, const Path& path) noexcept {
    return packed_step(*from, *path.segment, path.packed_hint);
  }
  static bool truth(Value v) noexcept { return packed_truthy(*v); }
  static bool items(Value v, Value& first, std::size_t& count) noexcept {
    if (v->tag != Cell::array) return false;
    first = v->first();
    count = v->size;
    return true;
  }
  static bool is_text(Value v) noexcept { return v->tag == Cell::text; }
  static KNEAD_INLINE_LOOKUP std::uint32_t bit(const Path& path, Value v) noexcept {
    return v->tag == Cell::text ? path.find(key_of(*v), v->text_data()) : 0;
  }
  static bool number(Value v, double& x) noexcept {
    switch (v->tag) {
      case Cell::floating: x = v->as_double(); return x == x;
      case Cell::integer: {
        const std::int64_t i = v->as_integer();
        x = static_cast<double>(i);
        return i <= kExactLimit && i >= -kExactLimit;
      }
      case Cell::unsigned_integer:
        x = static_cast<double>(v->payload);
        return v->payload <= static_cast<std::uint64_t>(kExactLimit);
      default: return false;
    }
  }
  static bool is_number(Value v) noexcept {
    return v->tag == Cell::integer || v->tag == Cell::unsigned_integer || v->tag == Cell::floating;
  }
  static nlohmann::json number_value(Value v) noexcept {
    if (v->tag == Cell::integer) return v->as_integer();
    if (v->tag == Cell::unsigned_integer) return v->payload;
    return v->as_double();
  }
  static bool boolean(Value v, bool& b) noexcept {
    b = v->tag == Cell::boolean_true;
    return v->tag == Cell::boolean_true || v->tag == Cell::boolean_false;
  }
};

void ClauseIndex::decide(const nlohmann::json& data, std::uint8_t* memo) const { decide_with<JsonReader>(&data, memo); }

void ClauseIndex::decide(const Cell& data, std::uint8_t* memo) const { decide_with<PackedReader>(&data, memo); }

template <class Reader>
void ClauseIndex::decide_with(typename Reader::Value data, std::uint8_t* memo) const {
  using Value = typename Reader::Value;
  // Which texts of a path the data holds: bit 1 + i for texts[i], bit 0 for any other element
  // (one thread's scratch, reused); and what each path finds, parents first: a parent is
  // followed once for all its children.
  thread_local std::vector<std::uint64_t> present;
  present.resize(widest_);
  thread_local std::vector<Value> values;
  values.resize(paths_.size());
  for (std::size_t i = 0; i < paths_.size(); ++i) {
    const Path& path = paths_[i];
    const Value from = path.parent == Path::kData ? data : values[path.parent];
    const Value value = from == nullptr || path.segment == nullptr ? from : Reader::step(from, path);
    values[i] = value;
    for (std::size_t t = 0; t < path.truth_slots.size(); ++t) {
      memo[path.truth_slots[t]] = byte_of(truth_or_fallback<Reader>(value, path.truth_fallbacks[t]));
    }
    if (value == nullptr) continue;
    Value items = nullptr;
    std::size_t count = 0;
    bool truth = false;
    if (Reader::items(value, items, count)) {
      if ((path.on_array.empty() && path.array_words.empty()) || count > max_items_) continue;
      std::fill(present.begin(), present.begin() + static_cast<std::ptrdiff_t>(path.words), 0U);
      bool stray = false;
      for (std::size_t k = 0; k < count; ++k) {
        const std::uint32_t bit = Reader::bit(path, items + k);
        present[bit / 64] |= std::uint64_t{1} << (bit % 64);
        stray = stray || bit == 0;
      }
      decide_texts(path.array_words, path.on_array, masks_, present.data(), path.words, count, stray, path.any_all,
                   memo);
    } else if (Reader::is_text(value)) {
      if (path.on_text.empty() && path.text_words.empty()) continue;
      std::fill(present.begin(), present.begin() + static_cast<std::ptrdiff_t>(path.words), 0U);
      const std::uint32_t bit = Reader::bit(path, value);
      present[bit / 64] |= std::uint64_t{1} << (bit % 64);
      decide_texts(path.text_words, path.on_text, masks_, present.data(), path.words, 1, bit == 0, false, memo);
    } else if (Reader::is_number(value)) {
      decide_numbers(path, Reader::number_value(value), memo);
    } else if (Reader::boolean(value, truth)) {
      for (std::size_t b = 0; b < path.bools.size(); ++b) {
        memo[path.bool_slots[b]] = byte_of((truth == path.bools[b].constant) != path.bools[b].negated);
      }
    }
  }
}

bool ClauseIndex::prepare_words(std::vector<Leaf>& leaves) {
  // Where each slot is decided.
  enum class Kind : unsigned char { array_word, text_word, array_rest, text_rest, range, boolean, truth };
  struct Where {
    std::uint32_t slot;
    std::uint32_t path;
    Kind kind;
    std::uint32_t index;
  };
  std::vector<Where> where;
  for (std::uint32_t p = 0; p < paths_.size(); ++p) {
    const Path& path = paths_[p];
    const auto list = [&](Kind kind, std::size_t n, auto slot_of) {
      for (std::uint32_t i = 0; i < n; ++i) where.push_back(Where{slot_of(i), p, kind, i});
    };
    list(Kind::array_word, path.array_words.size(), [&](std::uint32_t i) { return path.array_words[i].slot; });
    list(Kind::text_word, path.text_words.size(), [&](std::uint32_t i) { return path.text_words[i].slot; });
    list(Kind::array_rest, path.on_array.size(), [&](std::uint32_t i) { return path.on_array[i].slot; });
    list(Kind::text_rest, path.on_text.size(), [&](std::uint32_t i) { return path.on_text[i].slot; });
    if (!path.place_truth.empty()) {  // else the ranges are decided one by one: not here
      list(Kind::range, path.ranges.size(), [&](std::uint32_t i) { return path.ranges[i].slot; });
    }
    list(Kind::boolean, path.bool_slots.size(), [&](std::uint32_t i) { return path.bool_slots[i]; });
    list(Kind::truth, path.truth_slots.size(), [&](std::uint32_t i) { return path.truth_slots[i]; });
  }
  const auto by_slot = [](const Where& a, const Where& b) { return a.slot < b.slot; };
  std::sort(where.begin(), where.end(), by_slot);
  // Each leaf's clause, and what its path must hold: one type per path.
  std::vector<const Where*> found(leaves.size());
  std::vector<Expect> expect(paths_.size(), Expect::anything);
  for (std::size_t l = 0; l < leaves.size(); ++l) {
    const auto at = std::lower_bound(where.begin(), where.end(), Where{leaves[l].slot, 0, Kind::truth, 0}, by_slot);
    if (at == where.end() || at->slot != leaves[l].slot) return false;
    found[l] = &*at;
    Expect need = Expect::anything;
    switch (at->kind) {
      case Kind::array_word:
      case Kind::array_rest: need = Expect::array; break;
      case Kind::text_word:
      case Kind::text_rest: need = Expect::text; break;
      case Kind::range: need = Expect::number; break;
      case Kind::boolean: need = Expect::boolean; break;
      case Kind::truth: break;
    }
    Expect& e = expect[at->path];
    if (need != Expect::anything && e != Expect::anything && e != need) return false;
    if (need != Expect::anything) e = need;
  }
  // Text bit (or boolean) -> the entries it sets, gathered then laid out per path.
  struct Bit {
    std::uint32_t bit;
    WordEntry entry;
  };
  std::vector<std::vector<Bit>> bits(paths_.size());
  std::vector<std::vector<std::vector<WordEntry>>> truths(paths_.size());
  for (std::uint32_t p = 0; p < paths_.size(); ++p) {
    Path& path = paths_[p];
    path.expect = expect[p];
    truths[p].resize(path.truth_slots.size());
    if (path.expect == Expect::number) path.places = 2 * path.bounds.size() + 1;
  }
  for (std::size_t l = 0; l < leaves.size(); ++l) {
    Leaf& leaf = leaves[l];
    const Where& w = *found[l];
    Path& path = paths_[w.path];
    const WordEntry entry{leaf.position, leaf.rules};
    switch (w.kind) {
      case Kind::array_word:
      case Kind::text_word: {
        const WordClause& c = (w.kind == Kind::array_word ? path.array_words : path.text_words)[w.index];
        leaf.inverted = c.absent == SharedNode::kTrue;
        for (std::uint64_t m = c.bits; m != 0; m &= m - 1) {
          bits[w.path].push_back(Bit{c.word * 64 + static_cast<std::uint32_t>(__builtin_ctzll(m)), entry});
        }
        break;
      }
      case Kind::array_rest:
      case Kind::text_rest: path.rest_leaves.emplace_back(w.index, entry); break;
      case Kind::range: {
        std::size_t j = 0;
        while (j < path.place_positions.size() && path.place_positions[j] != leaf.position) ++j;
        if (j == path.place_positions.size()) {
          path.place_positions.push_back(leaf.position);
          path.place_rules.resize(path.place_rules.size() + path.places, 0);
        }
        for (std::size_t place = 0; place < path.places; ++place) {
          if (((path.place_truth[w.index] >> place) & 1U) != 0) path.place_rules[j * path.places + place] |= leaf.rules;
        }
        break;
      }
      case Kind::boolean: {
        const BoolClause& c = path.bools[w.index];
        for (std::uint32_t value = 0; value < 2; ++value) {
          if (((value != 0) == c.constant) != c.negated) bits[w.path].push_back(Bit{value, entry});
        }
        break;
      }
      case Kind::truth: truths[w.path][w.index].push_back(entry); break;
    }
  }
  for (std::uint32_t p = 0; p < paths_.size(); ++p) {
    Path& path = paths_[p];
    // Entries of one bit and word merged: one OR each.
    std::vector<Bit>& b = bits[p];
    std::sort(b.begin(), b.end(), [](const Bit& x, const Bit& y) {
      return x.bit != y.bit ? x.bit < y.bit : x.entry.position < y.entry.position;
    });
    // Every value sets as many words (the most any sets; the others OR zeros into word 0):
    // a loop of the same length for every text, whichever the patient has.
    const std::size_t values = path.expect == Expect::boolean ? 2 : path.texts.size() + 1;
    std::vector<std::vector<WordEntry>> by_value(values);
    for (std::size_t i = 0; i < b.size(); ++i) {
      auto& list = by_value[b[i].bit];
      if (!list.empty() && list.back().position == b[i].entry.position) {
        list.back().rules |= b[i].entry.rules;
      } else {
        list.push_back(b[i].entry);
      }
    }
    std::size_t width = 0;
    for (const auto& list : by_value) width = std::max(width, list.size());
    path.entry_width = static_cast<std::uint32_t>(width);
    path.entries.assign(values * width, WordEntry{0, 0});
    for (std::size_t v = 0; v < values; ++v)
      std::copy(by_value[v].begin(), by_value[v].end(), path.entries.begin() + static_cast<std::ptrdiff_t>(v * width));
    path.truth_first.assign(1, 0);
    for (const auto& t : truths[p]) {
      path.truth_entries.insert(path.truth_entries.end(), t.begin(), t.end());
      path.truth_first.push_back(static_cast<std::uint32_t>(path.truth_entries.size()));
    }
  }
  words_ = true;
  return true;
}

bool ClauseIndex::decide_words(const nlohmann::json& data, std::uint64_t* words) const {
  return decide_words_with<JsonReader>(&data, words);
}

bool ClauseIndex::decide_words(const Cell& data, std::uint64_t* words) const {
  return decide_words_with<PackedReader>(&data, words);
}

template <class Reader>
bool ClauseIndex::decide_words_with(typename Reader::Value data, std::uint64_t* words) const {
  using Value = typename Reader::Value;
  // What each path finds, as decide() follows them, but in the same loop as the decisions:
  // on the stack for the usual few paths (a thread_local costs a look-up per call).
  constexpr std::size_t kOnStack = 32;
  Value on_stack[kOnStack];  // NOLINT(*-avoid-c-arrays)
  Value* found = on_stack;
  if (paths_.size() > kOnStack) {
    thread_local std::vector<Value> values;
    values.resize(paths_.size());
    found = values.data();
  }
  for (std::size_t i = 0; i < paths_.size(); ++i) {
    const Path& path = paths_[i];
    const Value from = path.parent == Path::kData ? data : found[path.parent];
    const Value value = from == nullptr || path.segment == nullptr ? from : Reader::step(from, path);
    found[i] = value;
    for (std::size_t t = 0; t + 1 < path.truth_first.size(); ++t) {
      const bool truth = truth_or_fallback<Reader>(value, path.truth_fallbacks[t]);
      const std::uint64_t holds = 0 - static_cast<std::uint64_t>(truth);
      for (std::uint32_t e = path.truth_first[t]; e < path.truth_first[t + 1]; ++e) {
        words[path.truth_entries[e].position] |= path.truth_entries[e].rules & holds;
      }
    }
    if (path.expect == Expect::anything) continue;
    if (value == nullptr) return false;
    const WordEntry* const entries = path.entries.data();
    const std::uint32_t width = path.entry_width;
    // The bits text `bit` of the path (or boolean `bit`) sets.
    const auto set = [words, entries, width](std::uint32_t bit) {
      const WordEntry* e = entries + std::size_t{bit} * width;
      for (std::uint32_t k = 0; k < width; ++k) words[e[k].position] |= e[k].rules;
    };
    switch (path.expect) {
      case Expect::anything: break;
      case Expect::array: {
        Value items = nullptr;
        std::size_t count = 0;
        if (!Reader::items(value, items, count) || count > max_items_) return false;
        if (path.rest_leaves.empty()) {
          for (std::size_t k = 0; k < count; ++k) set(Reader::bit(path, items + k));
        } else if (path.words == 1) {
          // An `all` on a path of fewer than 64 texts: its presence bits in a register.
          std::uint64_t present = 0;
          for (std::size_t k = 0; k < count; ++k) {
            const std::uint32_t bit = Reader::bit(path, items + k);
            set(bit);
            present |= std::uint64_t{1} << bit;
          }
          const bool stray = (present & 1U) != 0;
          const int total = count_bits(present) - static_cast<int>(stray);
          for (const auto& [index, entry] : path.rest_leaves) {
            const bool truth = text_truth(path.on_array[index], masks_, &present, count, stray, total);
            words[entry.position] |= entry.rules & (0 - static_cast<std::uint64_t>(truth));
          }
        } else {
          decide_rest_words<Reader>(path, items, count, true, words);
        }
        break;
      }
      case Expect::text: {
        if (!Reader::is_text(value)) return false;
        if (path.rest_leaves.empty()) {
          set(Reader::bit(path, value));
        } else {
          decide_rest_words<Reader>(path, value, 1, false, words);
        }
        break;
      }
      case Expect::number: {
        double x = 0;
        // NaN (in no range: decide() knows), no number, or an integer a double does not hold.
        if (!Reader::number(value, x)) return false;
        unsigned place = 0;
        for (const double b : path.bounds) place += static_cast<unsigned>(x > b) + static_cast<unsigned>(x >= b);
        const std::uint64_t* rules = path.place_rules.data() + place;
        for (const std::uint32_t position : path.place_positions) {
          words[position] |= *rules;
          rules += path.places;
        }
        break;
      }
      case Expect::boolean: {
        bool truth = false;
        if (!Reader::boolean(value, truth)) return false;
        set(truth ? 1 : 0);
        break;
      }
    }
  }
  return true;
}

template <class Reader>
void ClauseIndex::decide_rest_words(const Path& path, typename Reader::Value first, std::size_t count, bool array,
                                    std::uint64_t* words) const {
  thread_local std::vector<std::uint64_t> present;
  present.assign(path.words, 0);
  bool stray = false;
  const auto one = [&](typename Reader::Value v) {
    const std::uint32_t bit = Reader::bit(path, v);
    for (std::uint32_t k = 0; k < path.entry_width; ++k) {
      const WordEntry& e = path.entries[std::size_t{bit} * path.entry_width + k];
      words[e.position] |= e.rules;
    }
    present[bit / 64] |= std::uint64_t{1} << (bit % 64);
    stray = stray || bit == 0;
  };
  for (std::size_t k = 0; k < count; ++k) one(first + k);
  int total = 0;
  for (const std::uint64_t w : present) total += count_bits(w);
  total -= static_cast<int>(present[0] & 1U);
  const auto& clauses = array ? path.on_array : path.on_text;
  for (const auto& [index, entry] : path.rest_leaves) {
    const bool truth = text_truth(clauses[index], masks_, present.data(), count, stray, total);
    words[entry.position] |= entry.rules & (0 - static_cast<std::uint64_t>(truth));
  }
}

}  // namespace knead::logic::detail
