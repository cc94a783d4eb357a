#pragma once
// A bounded, thread-safe memo: answers computed once per key and shared by the threads that
// use one rule set. A batch of records from one clinic meets the same few unknown names again
// and again; past the bound, answers are computed each time instead of remembered.

#include "util/text_table.hpp"

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace knead::detail {

template <class T>
class Remembered {
 public:
  static constexpr std::size_t kMax = 4096;

  Remembered() = default;
  Remembered(const Remembered&) = delete;
  Remembered& operator=(const Remembered&) = delete;
  ~Remembered() {
    if (Slot* slots = slots_.load(std::memory_order_relaxed)) {
      for (std::size_t i = 0; i < kSlots; ++i) delete slots[i].load(std::memory_order_relaxed);
      delete[] slots;
    }
  }

  /// The answer for `key`, from `compute()` the first time.
  template <class Compute>
  T get(std::string_view key, Compute compute) const {
    const auto hash = static_cast<std::size_t>(text_hash(key));
    if (const Entry* known = find(key, hash)) return known->answer;
    T answer = compute();
    (void)insert(key, hash, [&] { return answer; });
    return answer;
  }

  /// The remembered answer for `key`, from `compute()` the first time; null when `key` is not
  /// remembered and there is no room left (the caller then makes its own). An answer stays
  /// where it is, unchanged, while the memo lives, so that results can refer to it.
  template <class Compute>
  const T* remember(std::string_view key, Compute compute) const {
    const auto hash = static_cast<std::size_t>(text_hash(key));
    if (const Entry* known = find(key, hash)) return &known->answer;
    if (full_.load(std::memory_order_relaxed)) return nullptr;
    const Entry* added = insert(key, hash, compute);
    return added != nullptr ? &added->answer : nullptr;
  }

 private:
  struct Entry {
    std::string key;
    T answer;
  };
  using Slot = std::atomic<const Entry*>;
  // Open addressing, at most half full. Answers are only added, each published whole by one
  // atomic store, so a look-up takes no lock: readers of every thread share the memo without
  // waiting on each other, and only a new answer is stored under the lock.
  static constexpr std::size_t kSlots = 2 * kMax;
  static_assert((kSlots & (kSlots - 1)) == 0, "the slots are indexed by a mask");

  // Adds the answer for `key` (made by `make()`) under the lock, unless another thread has
  // meanwhile; the entry, or null when there is no room.
  template <class Make>
  const Entry* insert(std::string_view key, std::size_t hash, Make make) const {
    const std::lock_guard<std::mutex> lock(insert_);
    if (count_ >= kMax) return nullptr;
    Slot* slots = slots_.load(std::memory_order_relaxed);
    if (slots == nullptr) {
      slots = new Slot[kSlots]();
      slots_.store(slots, std::memory_order_release);
    }
    for (std::size_t i = hash;; ++i) {
      Slot& slot = slots[i & (kSlots - 1)];
      const Entry* e = slot.load(std::memory_order_relaxed);
      if (e == nullptr) {
        e = new Entry{std::string(key), make()};
        slot.store(e, std::memory_order_release);
        if (++count_ == kMax) full_.store(true, std::memory_order_relaxed);
        return e;
      }
      if (e->key == key) return e;  // another thread remembered it meanwhile
    }
  }

  const Entry* find(std::string_view key, std::size_t hash) const {
    const Slot* slots = slots_.load(std::memory_order_acquire);
    if (slots == nullptr) return nullptr;
    for (std::size_t i = hash;; ++i) {
      const Entry* e = slots[i & (kSlots - 1)].load(std::memory_order_acquire);
      if (e == nullptr) return nullptr;
      if (e->key == key) return e;
    }
  }

  mutable std::atomic<Slot*> slots_{nullptr};  // allocated with the first answer
  mutable std::mutex insert_;
  mutable std::size_t count_ = 0;  // under insert_
  mutable std::atomic<bool> full_{false};  // count_ has reached kMax: remember() computes nothing
};

}  // namespace knead::detail
