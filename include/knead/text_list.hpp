#pragma once
/// \file
/// A list of a result's texts (rule ids, notes): its own, or a list the rule set holds.

#include <knead/export.hpp>
#include <knead/shared_list.hpp>
#include <knead/text.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace knead {

/// What Text is for one string, TextList is for a list of them (see SharedList). Most lists in
/// a result name one rule (the `because` of a caution, of an item recommended by one rule) or
/// hold one rule's note, the same for every patient who fires that rule: such a list refers to
/// the rule set's copy instead of allocating its own. A list of several rules is kept by the
/// rule set the first time a result has it (up to a few thousand), and the next results refer
/// to that.
///
/// It reads like a `const std::vector<Text>`: iterate it, index it, compare it with a vector of
/// strings. `push_back` and `clear` work too (a list that referred first becomes its own).
/// Copying a TextList makes a list of its own, whose Texts are their own: a copied item
/// outlives everything. A list that refers stays valid while the rule set lives, which the
/// Recommendation that holds it ensures (see Text).
class KNEAD_API TextList : public SharedList<Text> {
 public:
  TextList() = default;
  using SharedList::SharedList;  // from a vector of Texts, or a braced list
  // NOLINTNEXTLINE(google-explicit-constructor)
  TextList(const std::vector<std::string>& texts) : SharedList(std::vector<Text>(texts.begin(), texts.end())) {}

  /// A list that refers to [first, last), which must outlive it (the rule set's own Texts).
  [[nodiscard]] static TextList borrow(const Text* first, const Text* last) noexcept {
    TextList list;
    list.refer_to(first, last);
    return list;
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
};

/// The strings of `texts`, as copies.
[[nodiscard]] KNEAD_API std::vector<std::string> strings(const TextList& texts);

/// A TextList is a JSON array of strings.
KNEAD_API void to_json(nlohmann::json& out, const TextList& texts);

}  // namespace knead
