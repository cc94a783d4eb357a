#pragma once
// The rules' ids and notes as Texts that refer to the rule set's strings, made once per rule
// set: a result's list of one rule id, or of one note, refers to one of these
// (TextList::borrow) instead of allocating a list of its own for every patient. Lists of
// several (the rules recommending one item, sorted), lists of cautions and of self-care items
// are kept as they are met: results of one rule set use a few hundred distinct lists, again and
// again.

#include "util/remembered.hpp"

#include <knead/recommendation.hpp>
#include <knead/rule.hpp>
#include <knead/text.hpp>
#include <knead/text_list.hpp>

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace knead::detail {

// A caution of a result, as resolve finds it: rule `rule`'s `avoid` entry, naming `target`
// (the rule set's string: the item's id, or the region's where the pain is).
struct CautionKey {
  std::size_t rule;
  const Avoid* avoid;
  const std::string* target;
};

// The bytes of a list of addresses (or of records of them), as a memo key.
template <class T>
[[nodiscard]] std::string_view bytes_of(const std::vector<T>& items) noexcept {
  return {reinterpret_cast<const char*>(items.data()), items.size() * sizeof(T)};
}

class RuleTexts {
 public:
  RuleTexts() = default;
  // `rules` must outlive it and not change (the compiled rule set's own).
  explicit RuleTexts(const std::vector<Rule>& rules) {
    ids_.reserve(rules.size());
    recommend_notes_.resize(rules.size());
    self_care_notes_.resize(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
      ids_.push_back(Text::borrow(rules[i].id));
      for (const auto& r : rules[i].recommend) recommend_notes_[i].push_back(Text::borrow(r.note));
      for (const auto& s : rules[i].self_care) self_care_notes_[i].push_back(Text::borrow(s.note));
    }
  }
  RuleTexts(const RuleTexts&) = delete;  // the lists refer into it: moved, never copied
  RuleTexts& operator=(const RuleTexts&) = delete;
  RuleTexts(RuleTexts&&) noexcept = default;
  RuleTexts& operator=(RuleTexts&&) noexcept = default;
  ~RuleTexts() = default;

  // A list of one of these Texts, which refers to it.
  [[nodiscard]] static TextList one(const Text& text) { return TextList::borrow(&text, &text + 1); }

  // Rule `rule`'s id, as a Text and as a list of one.
  [[nodiscard]] const Text& id(std::size_t rule) const { return ids_[rule]; }
  [[nodiscard]] TextList id_list(std::size_t rule) const { return one(ids_[rule]); }
  // The note of rule `rule`'s recommend (or self_care) entry `entry`.
  [[nodiscard]] const Text& recommend_note(std::size_t rule, std::size_t entry) const {
    return recommend_notes_[rule][entry];
  }
  [[nodiscard]] const Text& self_care_note(std::size_t rule, std::size_t entry) const {
    return self_care_notes_[rule][entry];
  }

  // The list of these Texts (ids or notes above, in this order): the same list for every
  // result that has it, or, once the memo is full, a list of its own.
  [[nodiscard]] TextList list(const std::vector<const Text*>& texts) const {
    return kept_or_own<TextList>(*lists_, bytes_of(texts), [&] {
      std::vector<Text> out;
      out.reserve(texts.size());
      for (const Text* t : texts) out.push_back(Text::borrow(t->str()));
      return out;
    });
  }

  // The self-care list that `key` stands for (see resolve), made by `make()` the first time: the
  // same list for every result that has it, or, once the memo is full, a list of its own.
  template <class Make>
  [[nodiscard]] SelfCareList self_care(std::string_view key, Make make) const {
    return kept_or_own<SelfCareList>(*self_care_, key, make);
  }

  // The list of these cautions, in this order: the same list for every result that has it, or,
  // once the memo is full, a list of its own.
  [[nodiscard]] CautionList cautions(const std::vector<CautionKey>& keys) const {
    if (keys.empty()) return {};
    static_assert(sizeof(CautionKey) == 3 * sizeof(void*), "a key's bytes are its fields, no padding");
    return kept_or_own<CautionList>(*cautions_, bytes_of(keys), [&] {
      std::vector<Caution> out;
      out.reserve(keys.size());
      for (const CautionKey& k : keys)
        out.push_back(
            Caution{Text::borrow(k.avoid->reason), id_list(k.rule), Text::borrow(*k.target), k.avoid->pressure_max});
      return out;
    });
  }

 private:
  // The list `key` stands for, made by `make()` the first time: the rule set's copy, which the
  // list refers to, or, once the memo is full, a list of its own.
  template <class List, class Item, class Make>
  static List kept_or_own(const Remembered<std::vector<Item>>& memo, std::string_view key, Make make) {
    if (const std::vector<Item>* kept = memo.remember(key, make))
      return List::borrow(kept->data(), kept->data() + kept->size());
    return make();
  }

  std::vector<Text> ids_;
  std::vector<std::vector<Text>> recommend_notes_;
  std::vector<std::vector<Text>> self_care_notes_;
  // Keyed by the addresses of the Texts listed (they never move once the rule set is built).
  std::unique_ptr<Remembered<std::vector<Text>>> lists_ = std::make_unique<Remembered<std::vector<Text>>>();
  // Keyed by the CautionKeys' bytes (addresses in the rule set, which never move).
  std::unique_ptr<Remembered<std::vector<Caution>>> cautions_ = std::make_unique<Remembered<std::vector<Caution>>>();
  std::unique_ptr<Remembered<std::vector<RecommendedSelfCare>>> self_care_ =
      std::make_unique<Remembered<std::vector<RecommendedSelfCare>>>();
};

}  // namespace knead::detail
