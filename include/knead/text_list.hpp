#pragma once
/// \file
/// A list of a result's texts (rule ids, notes): its own, or a list the rule set holds.

#include <knead/export.hpp>
#include <knead/text.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace knead {

/// What Text is for one string, TextList is for a list of them. Most lists in a result name one
/// rule (the `because` of a caution, of an item recommended by one rule) or hold one rule's
/// note, the same for every patient who fires that rule: such a list refers to the rule set's
/// copy instead of allocating its own. Lists made for one patient (several rules, sorted) are
/// their own.
///
/// It reads like a `const std::vector<Text>`: iterate it, index it, compare it with a vector of
/// strings. `push_back` and `clear` work too (a list that referred first becomes its own).
/// Copying a TextList makes a list of its own, whose Texts are their own: a copied item
/// outlives everything. A list that refers stays valid while the rule set lives, which the
/// Recommendation that holds it ensures (see Text).
class KNEAD_API TextList {
 public:
  using value_type = Text;
  using size_type = std::size_t;
  using const_iterator = const Text*;
  using iterator = const Text*;
  using const_reference = const Text&;
  using reference = const Text&;

  TextList() = default;
  // NOLINTNEXTLINE(google-explicit-constructor): reads as a vector
  TextList(std::vector<Text> texts) noexcept : own_(std::move(texts)) {}
  TextList(std::initializer_list<Text> texts) : own_(texts) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  TextList(const std::vector<std::string>& texts) : own_(texts.begin(), texts.end()) {}

  /// A list that refers to [first, last), which must outlive it (the rule set's own Texts).
  [[nodiscard]] static TextList borrow(const Text* first, const Text* last) noexcept {
    TextList list;
    if (first != last) list.first_ = first, list.last_ = last;
    return list;
  }

  TextList(const TextList& other) : own_(other.begin(), other.end()) {}
  TextList(TextList&& other) noexcept = default;
  TextList& operator=(const TextList& other) {
    if (this != &other) *this = TextList(other);
    return *this;
  }
  TextList& operator=(TextList&& other) noexcept = default;
  ~TextList() = default;

  [[nodiscard]] const Text* begin() const noexcept { return first_ != nullptr ? first_ : own_.data(); }
  [[nodiscard]] const Text* end() const noexcept { return first_ != nullptr ? last_ : own_.data() + own_.size(); }
  [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(end() - begin()); }
  [[nodiscard]] bool empty() const noexcept { return first_ == nullptr && own_.empty(); }
  [[nodiscard]] const Text& operator[](std::size_t i) const noexcept { return begin()[i]; }
  [[nodiscard]] const Text& front() const noexcept { return *begin(); }
  [[nodiscard]] const Text& back() const noexcept { return end()[-1]; }
  /// Whether it refers to a list it does not own.
  [[nodiscard]] bool borrowed() const noexcept { return first_ != nullptr; }

  void push_back(Text text) {
    make_own();
    own_.push_back(std::move(text));
  }
  void reserve(std::size_t n) {
    make_own();
    own_.reserve(n);
  }
  void clear() noexcept {
    first_ = last_ = nullptr;
    own_.clear();
  }

  /// The texts, as a vector (copies that refer to what these refer to, like a moved Text).
  [[nodiscard]] std::vector<Text> texts() const;

  friend bool operator==(const TextList& a, const TextList& b) noexcept { return equal(a, b.begin(), b.end()); }
  friend bool operator!=(const TextList& a, const TextList& b) noexcept { return !(a == b); }
  friend bool operator==(const TextList& a, const std::vector<std::string>& b) noexcept {
    return equal(a, b.begin(), b.end());
  }
  friend bool operator==(const std::vector<std::string>& a, const TextList& b) noexcept { return b == a; }
  friend bool operator!=(const TextList& a, const std::vector<std::string>& b) noexcept { return !(a == b); }
  friend bool operator!=(const std::vector<std::string>& a, const TextList& b) noexcept { return !(b == a); }
  friend bool operator==(const TextList& a, const std::vector<Text>& b) noexcept {
    return equal(a, b.begin(), b.end());
  }
  friend bool operator==(const std::vector<Text>& a, const TextList& b) noexcept { return b == a; }
  friend bool operator!=(const TextList& a, const std::vector<Text>& b) noexcept { return !(a == b); }
  friend bool operator!=(const std::vector<Text>& a, const TextList& b) noexcept { return !(b == a); }

 private:
  template <class It>
  static bool equal(const TextList& a, It first, It last) noexcept {
    if (a.size() != static_cast<std::size_t>(last - first)) return false;
    for (const Text& t : a) {
      if (t.str() != *first++) return false;
    }
    return true;
  }
  // A list that referred gets its own copy of the Texts (which still refer to the rule set's
  // strings, as they did).
  void make_own() {
    if (first_ == nullptr) return;
    own_.reserve(static_cast<std::size_t>(last_ - first_));
    for (const Text* t = first_; t != last_; ++t) own_.push_back(Text::borrow(t->str()));
    first_ = last_ = nullptr;
  }

  const Text* first_ = nullptr;  // the list referred to, or null when the list is own_
  const Text* last_ = nullptr;
  std::vector<Text> own_;
};

/// The strings of `texts`, as copies.
[[nodiscard]] KNEAD_API std::vector<std::string> strings(const TextList& texts);

/// A TextList is a JSON array of strings.
KNEAD_API void to_json(nlohmann::json& out, const TextList& texts);

}  // namespace knead
