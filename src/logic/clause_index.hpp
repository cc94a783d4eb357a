#pragma once
// The path clauses of a ProgramSet (see path_clause.hpp), decided together once per data before
// any rule runs. Rules read the answers from their memo bytes, so a patient whose conditions
// are ["sciatica", "hypertension"] costs two table look-ups, then one bit test for every clause
// of the set that reads "conditions", however many rules and distinct clauses there are, and a
// rule whose first clause is known false is not started at all.
//
// Deciding is written to branch on the rules' shape, not on the data: which texts a patient
// has, or how old they are, is what the processor cannot predict from one patient to the
// next, and a mispredicted branch costs more than the work it guards.

#include "logic/packed_cells.hpp"
#include "logic/path_clause.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace knead::logic::detail {

class ClauseIndex {
 public:
  /// Decide `clause` (the shared operation with memo byte `slot`, in test position) per data.
  void add(std::uint32_t slot, StringClause clause);
  /// The same for a comparison with numbers (decided when the value read is a number).
  void add(std::uint32_t slot, NumberClause clause);
  /// The same for an equality with true or false (decided when the value read is a boolean).
  void add(std::uint32_t slot, BoolClause clause);
  /// Decide the truthiness of what `read` reads (its fallback when the path finds nothing):
  /// always decided.
  void add_truth(std::uint32_t slot, const ScopeRead* read);
  /// Builds the look-up tables; call once after the last add(). Arrays longer than an eighth
  /// of `max_work` are left to the rules' evaluation, which charges for every element: a
  /// patient with a huge list still exhausts the work budget as it would without the index.
  void finish(std::uint64_t max_work);

  /// Sets the memo byte of every clause it can decide on `data` (SharedNode::kTrue/kFalse) and
  /// leaves the others alone: a path that finds nothing, or a value of another type than the
  /// clause expects (a string where an array was expected is a substring test, a number
  /// compared with a text follows loose equality) stays with the rules' own evaluation.
  void decide(const nlohmann::json& data, std::uint8_t* memo) const;
  /// The same on the packed form of a logic::PackedData (its root cell).
  void decide(const Cell& data, std::uint8_t* memo) const;

  /// How many clauses it decides.
  [[nodiscard]] std::size_t size() const noexcept { return clauses_; }

  /// A clause where the word form of a small rule set (see ProgramSet) reads it: its truth is
  /// ORed into `words[position]` as the bits `rules`, inverted when prepare_words() sets
  /// `inverted` (the clause holds when its texts are absent: `none`, `!=`), which the reader
  /// of that word then flips.
  struct Leaf {
    std::uint32_t slot;
    std::uint32_t position;
    std::uint64_t rules;
    bool inverted = false;
  };
  /// Prepares decide_words() for `leaves` (after finish()); false, with nothing prepared, when
  /// one of them is not a clause this index decides that way (a comparison evaluated by its
  /// operator, a number not placed among bounds) or paths would need values of two types.
  bool prepare_words(std::vector<Leaf>& leaves);
  /// Whether prepare_words() succeeded.
  [[nodiscard]] bool has_words() const noexcept { return words_; }
  /// ORs the rules' bits of every leaf that holds on `data` into `words` (inverted leaves as
  /// said above): a few words per text found instead of a memo byte per clause. False when
  /// some path holds what its leaves do not decide (nothing, or a value of another type):
  /// then `words` is partly written and decide() must be used.
  bool decide_words(const nlohmann::json& data, std::uint64_t* words) const;
  /// The same on the packed form of a logic::PackedData (its root cell): the same answers as on
  /// the value it packs, true and false alike.
  bool decide_words(const Cell& data, std::uint64_t* words) const;

 private:
  // A text reduced to its length and its first and last eight bytes (fewer, overlapping, when
  // it is shorter): equal keys mean equal texts up to 16 bytes; longer ones compare the rest.
  struct TextKey {
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
    std::size_t size = 0;
  };
  static TextKey key_of(std::string_view text) noexcept;
  static TextKey key_of(const std::string& text) noexcept;
  static TextKey key_of(const Cell& text) noexcept;
  static TextKey masked_key(const char* p, std::size_t n) noexcept;  // see clause_index.cpp

  // How decide_words() reads the data: a tree of nlohmann::json, or a PackedData's cells. The
  // word form is written once, over either (see the definitions).
  struct JsonReader;
  struct PackedReader;

  static constexpr std::size_t kMaxBounds = 31;  // 2 * 31 + 1 places fit a 64-bit mask

  // The rules' bits a leaf sets in a word of the word form.
  struct WordEntry {
    std::uint32_t position;
    std::uint64_t rules;
  };
  // The type of value a path's leaves decide (anything: only truth reads).
  enum class Expect : unsigned char { anything, array, text, number, boolean };

  // A string clause as a set of texts: the bits of those texts in a path's presence bitset
  // (see Path), as (word, bits) pairs masks_[first .. first + words).
  struct TextClause {
    std::uint32_t slot;
    StringClause::Kind kind;
    bool negated;
    std::uint32_t first = 0;
    std::uint32_t words = 0;
  };
  struct Mask {
    std::uint32_t word;
    std::uint64_t bits;
  };
  // Most clauses: some, none or equals with their texts in one word of the bitset (all of
  // them, for paths with fewer than 64 distinct texts). Truth = (present[word] & bits) != 0,
  // flipped for none and for != and !==: the memo byte is `absent` (the byte when none of the
  // texts is there) with bit 1 flipped when one is.
  struct WordClause {
    std::uint64_t bits;
    std::uint32_t slot;
    std::uint32_t word : 24;
    std::uint32_t absent : 8;
  };

  // A relational clause as an interval: low < x < high, or <=, per bound (an absent bound is
  // an infinite one, inclusive). Exact for every number a double holds exactly, which covers
  // the integers up to 2^53 that compare() compares as integers.
  struct Range {
    std::uint32_t slot;
    double low;
    double high;
    bool low_inclusive;
    bool high_inclusive;
  };

  // Every clause that reads one path, so that the path is followed once per data. The paths
  // form a tree: "pain.intensity" is the step "intensity" from the path "pain", whose value
  // is found once for every path below it.
  struct Path {
    static constexpr std::uint32_t kData = ~std::uint32_t{0};
    std::uint32_t parent = kData;      // index into paths_, or the data itself
    const Segment* segment = nullptr;  // the step from the parent; nullptr: the data itself
    // The distinct texts of the path's string clauses; text i has bit i + 1 of the presence
    // bitset (bit 0 stands for the texts none of the clauses names).
    std::vector<std::string_view> texts;
    std::vector<TextKey> keys;            // keys[1 + i] of texts[i]; keys[0] matches no text
    std::vector<std::uint32_t> table;     // open addressing: 1 + index into texts, 0 = empty
    // A text's home slot is (hash * multiplier) >> shift. When every text sits at its home
    // slot (`perfect`: a multiplier and table size were found for that), a look-up is one
    // probe and one comparison, with no loop and no branch on whether the text is there.
    std::uint64_t multiplier = 1;
    unsigned shift = 61;
    bool perfect = false;
    std::size_t words = 1;                // of the presence bitset
    std::vector<TextClause> on_array;     // some, none, all: decided when the path holds an array
    std::vector<TextClause> on_text;      // equals: decided when it holds a string
    std::vector<WordClause> array_words;  // the clauses of on_array that are WordClauses...
    std::vector<WordClause> text_words;   // ...and of on_text (taken out of those by finish())
    bool any_all = false;                 // whether on_array has an `all`
    std::vector<Range> ranges;            // decided when it holds a number
    // The ranges' bounds, sorted and distinct, when they are at most kMaxBounds finite numbers:
    // a number's place among them (below the first, equal to it, between it and the next, ...,
    // above the last) is then one of at most 63, and ranges[i] holds exactly at the places
    // whose bits are set in place_truth[i]. A few comparisons per path, then one shift per
    // clause, instead of two comparisons of each bound per clause.
    std::vector<double> bounds;
    std::vector<std::uint64_t> place_truth;  // empty: decide range by range
    // Comparisons with constants a double cannot hold exactly, and every comparison when
    // the value read is such a number: decided as the operator does.
    std::vector<std::pair<std::uint32_t, NumberClause>> exact;
    std::vector<NumberClause> range_clauses;  // ranges[i] as written, for such values
    std::vector<BoolClause> bools;            // decided when it holds a boolean
    std::vector<std::uint32_t> bool_slots;
    // Truthiness reads, decided whatever the path holds: truth_slots[i] is the truth of the
    // value, or of truth_fallbacks[i] (nullptr: null) when the path finds nothing.
    std::vector<std::uint32_t> truth_slots;
    std::vector<const nlohmann::json*> truth_fallbacks;
    // The word form (see prepare_words): what the path must hold, and which bits each value
    // sets. Text bit b (or boolean b) sets entries[b * entry_width ..][.. entry_width]; a
    // number at place p sets place_rules[j * places + p] in word place_positions[j]; truth
    // read t sets truth_entries[truth_first[t] .. truth_first[t + 1]) when it holds, and
    // clause on_array[i] (on_text[i]) of rest_leaves, evaluated as decide() does, its word.
    Expect expect = Expect::anything;
    std::uint32_t entry_width = 0;
    std::vector<WordEntry> entries;
    std::size_t places = 0;
    std::vector<std::uint32_t> place_positions;
    std::vector<std::uint64_t> place_rules;
    std::vector<std::uint32_t> truth_first;
    std::vector<WordEntry> truth_entries;
    std::vector<std::pair<std::uint32_t, WordEntry>> rest_leaves;
    // The texts of on_array[i] and on_text[i] until finish().
    std::vector<std::vector<std::string_view>> array_texts;
    std::vector<std::vector<std::string_view>> text_texts;

    // The step from the parent in a PackedData: where its key was last found (see packed_member).
    TreeHint packed_hint;

    // The presence bit (1 + index into texts) of `text`, 0 if no clause names it.
    [[nodiscard]] std::uint32_t find(const std::string& text) const noexcept;
    // The same for the text of `size` bytes at `data` whose key is `key`.
    [[nodiscard]] std::uint32_t find(const TextKey& key, const char* data) const noexcept;
    [[nodiscard]] std::size_t home(const TextKey& key) const noexcept;
    // Fills table (and multiplier, shift, perfect) from keys.
    void place_texts();
  };

  // The path `read` reads (added with the paths above it if new).
  Path& path_of(const ScopeRead* read);
  static void decide_texts(const std::vector<WordClause>& word_clauses, const std::vector<TextClause>& clauses,
                           const std::vector<Mask>& masks, const std::uint64_t* present, std::size_t words,
                           std::size_t count, bool stray, bool any_all, std::uint8_t* memo) noexcept;
  void decide_numbers(const Path& path, const nlohmann::json& value, std::uint8_t* memo) const noexcept;
  // The truth of `c`, one of the clauses decide_texts() leaves to the loop over masks.
  static bool text_truth(const TextClause& c, const std::vector<Mask>& masks, const std::uint64_t* present,
                         std::size_t count, bool stray, int total) noexcept;
  template <class Reader>
  bool decide_words_with(typename Reader::Value data, std::uint64_t* words) const;
  // decide_words() for a path with clauses that need the whole presence bitset (`all`, and
  // texts past the first word): the `count` elements from `first` of an array (`array`), or
  // the text `first` (count 1).
  template <class Reader>
  void decide_rest_words(const Path& path, typename Reader::Value first, std::size_t count, bool array,
                         std::uint64_t* words) const;
  template <class Reader>
  void decide_with(typename Reader::Value data, std::uint8_t* memo) const;
  // Fills path.bounds and path.place_truth (left empty when the bounds are too many or not
  // all finite).
  static void place_ranges(Path& path);

  std::vector<Path> paths_;
  std::vector<Mask> masks_;
  std::size_t clauses_ = 0;
  std::size_t widest_ = 1;  // most words in a presence bitset
  std::uint64_t max_items_ = 0;
  bool words_ = false;
};

}  // namespace knead::logic::detail
