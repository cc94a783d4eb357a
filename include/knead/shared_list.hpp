#pragma once
/// \file
/// The shape of a result's lists that can refer to a list the rule set keeps (TextList,
/// CautionList, SelfCareList, RuleSetLayers).

#include <cstddef>
#include <initializer_list>
#include <utility>
#include <vector>

namespace knead {

/// A list of a result: its own vector, or a list kept elsewhere that it refers to. Many of a
/// result's lists are the same for every patient who has them (the cautions of an item, the
/// rules recommending it, the rule set's layers), so the rule set keeps one copy and results
/// refer to it instead of allocating their own.
///
/// It reads like a `const std::vector<T>`: iterate it, index it, `size()`, `empty()`;
/// `push_back`, `reserve` and `clear` work too (a list that referred first gets its own copy).
/// Copying it makes a list of its own, whose items are copies (a copied item outlives
/// everything). A list that refers stays valid while what it refers to lives, which the
/// Recommendation that holds it ensures (see Text).
template <class T>
class SharedList {
 public:
  using value_type = T;
  using size_type = std::size_t;
  using const_iterator = const T*;
  using iterator = const T*;
  using const_reference = const T&;
  using reference = const T&;

  [[nodiscard]] const T* begin() const noexcept { return first_ != nullptr ? first_ : own_.data(); }
  [[nodiscard]] const T* end() const noexcept { return first_ != nullptr ? last_ : own_.data() + own_.size(); }
  [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(end() - begin()); }
  [[nodiscard]] bool empty() const noexcept { return first_ == nullptr && own_.empty(); }
  [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return begin()[i]; }
  [[nodiscard]] const T& front() const noexcept { return *begin(); }
  [[nodiscard]] const T& back() const noexcept { return end()[-1]; }
  /// Whether it refers to a list it does not own.
  [[nodiscard]] bool borrowed() const noexcept { return first_ != nullptr; }

  SharedList() = default;
  // NOLINTNEXTLINE(google-explicit-constructor): reads as a vector
  SharedList(std::vector<T> items) noexcept : own_(std::move(items)) {}
  SharedList(std::initializer_list<T> items) : own_(items) {}
  SharedList(const SharedList& other) : own_(other.begin(), other.end()) {}
  SharedList(SharedList&& other) noexcept = default;
  SharedList& operator=(const SharedList& other) {
    if (this != &other) *this = SharedList(other);
    return *this;
  }
  SharedList& operator=(SharedList&& other) noexcept = default;
  ~SharedList() = default;

  /// A list that refers to [first, last), which must outlive it (a list the rule set keeps).
  [[nodiscard]] static SharedList borrow(const T* first, const T* last) noexcept {
    SharedList list;
    list.refer_to(first, last);
    return list;
  }

  void push_back(T item) {
    make_own();
    own_.push_back(std::move(item));
  }
  void reserve(std::size_t n) {
    make_own();
    own_.reserve(n);
  }
  void clear() noexcept {
    first_ = last_ = nullptr;
    own_.clear();
  }

 protected:
  /// Makes it refer to [first, last), which must outlive it (an empty range: an empty list).
  void refer_to(const T* first, const T* last) noexcept {
    own_.clear();
    first_ = first != last ? first : nullptr;
    last_ = first != last ? last : nullptr;
  }

  /// Its own items (empty when it refers).
  [[nodiscard]] const std::vector<T>& own_list() const noexcept { return own_; }

 private:
  void make_own() {
    if (first_ == nullptr) return;
    own_.assign(first_, last_);
    first_ = last_ = nullptr;
  }

  const T* first_ = nullptr;  // the list referred to, or null when the list is own_
  const T* last_ = nullptr;
  std::vector<T> own_;
};

}  // namespace knead
