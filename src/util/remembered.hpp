#pragma once
// A bounded, thread-safe memo: answers computed once per key and shared by the threads that
// use one rule set. A batch of records from one clinic meets the same few unknown names again
// and again; past the bound, answers are computed each time instead of remembered.

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace knead::detail {

template <class T>
class Remembered {
 public:
  static constexpr std::size_t kMax = 4096;

  /// The answer for `key`, from `compute()` the first time.
  template <class Compute>
  T get(const std::string& key, Compute compute) const {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = answers_.find(key); it != answers_.end()) return it->second;
    }
    T answer = compute();
    const std::lock_guard<std::mutex> lock(mutex_);
    if (answers_.size() < kMax) answers_.emplace(key, answer);
    return answer;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, T> answers_;
};

}  // namespace knead::detail
