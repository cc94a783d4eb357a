#pragma once
// Fired-rule hits grouped by the concept they name, in one flat array per kind of hit.

#include <knead/ontology.hpp>

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace knead::detail {

/// A contiguous run of items (a view; valid while its ByConcept lives and is not added to).
template <class T>
class Range {
 public:
  Range() = default;
  Range(const T* first, const T* last) : first_(first), last_(last) {}
  explicit Range(const std::vector<T>& items) : first_(items.data()), last_(items.data() + items.size()) {}
  [[nodiscard]] const T* begin() const noexcept { return first_; }
  [[nodiscard]] const T* end() const noexcept { return last_; }
  [[nodiscard]] bool empty() const noexcept { return first_ == last_; }
  [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(last_ - first_); }

 private:
  const T* first_ = nullptr;
  const T* last_ = nullptr;
};

/// Items added under a concept's index in rule order, then sealed: sorted by concept (stably,
/// so each group keeps rule order) and read a group at a time in ascending concept order, as a
/// std::map<Index, std::vector<T>> would give them, but without two allocations per concept
/// for every patient.
template <class T>
class ByConcept {
 public:
  using Index = Ontology::Index;
  struct Group {
    Index index;
    Range<T> items;
  };

  void add(Index index, T item) { added_.emplace_back(index, std::move(item)); }

  /// Empties it for reuse, keeping the storage.
  void clear() noexcept {
    added_.clear();
    items_.clear();
    groups_.clear();
  }

  /// Sorts what was added into groups; call once, after the last add().
  void seal() {
    const auto less = [](const auto& a, const auto& b) { return a.first < b.first; };
    // A patient's hits are a few dozen at most: an insertion sort (stable) needs none of the
    // buffer std::stable_sort allocates on every call.
    if (added_.size() <= 64) {
      for (std::size_t i = 1; i < added_.size(); ++i) {
        if (!less(added_[i], added_[i - 1])) continue;
        auto moving = std::move(added_[i]);
        std::size_t j = i;
        for (; j > 0 && less(moving, added_[j - 1]); --j) added_[j] = std::move(added_[j - 1]);
        added_[j] = std::move(moving);
      }
    } else {
      std::stable_sort(added_.begin(), added_.end(), less);
    }
    items_.reserve(added_.size());  // never reallocated below: ranges point into it as it fills
    for (auto& [index, item] : added_) {
      const bool starts = groups_.empty() || groups_.back().index != index;
      items_.push_back(std::move(item));
      const T* first = starts ? &items_.back() : groups_.back().items.begin();
      if (starts) groups_.push_back(Group{index, {}});
      groups_.back().items = Range<T>(first, items_.data() + items_.size());
    }
    added_.clear();
  }

  /// The groups, by ascending concept index.
  [[nodiscard]] const std::vector<Group>& groups() const noexcept { return groups_; }
  /// The items added under `index` (empty when none).
  [[nodiscard]] Range<T> find(Index index) const {
    const auto it =
        std::lower_bound(groups_.begin(), groups_.end(), index, [](const Group& g, Index i) { return g.index < i; });
    return it != groups_.end() && it->index == index ? it->items : Range<T>();
  }

 private:
  std::vector<std::pair<Index, T>> added_;
  std::vector<T> items_;
  std::vector<Group> groups_;
};

}  // namespace knead::detail
