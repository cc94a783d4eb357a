#pragma once
// A hash table from texts to small values, filled once and then only read: the ontology's ids
// and names, looked up for every name in every patient record. Open addressing in a
// power-of-two array of slots, each holding a part of its key's hash, so that a look-up reads
// one slot and compares one key (std::unordered_map divides by a prime and follows a list);
// the hash reads a text eight bytes at a time.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace knead::detail {

/// A hash of a text for tables of power-of-two size (the low bits are as good as the high
/// ones), reading it eight bytes at a time.
inline std::uint64_t text_hash(std::string_view text) noexcept {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = text.size() * kMul;
  const char* p = text.data();
  std::size_t n = text.size();
  while (n > 0) {
    std::uint64_t word = 0;
    const std::size_t take = n < 8 ? n : 8;
    std::memcpy(&word, p, take);
    h = (h ^ word) * kMul;
    h ^= h >> 29;
    p += take;
    n -= take;
  }
  h *= kMul;
  return h ^ (h >> 32);
}

template <class Value>
class TextTable {
 public:
  /// Adds `key` with `value` unless it is there already (then the first value stays). Returns
  /// whether it was added.
  bool emplace(std::string_view key, Value value) {
    if (find(key) != nullptr) return false;
    if ((entries_.size() + 1) * 2 > slots_.size()) grow();
    entries_.emplace_back(std::string(key), std::move(value));
    place(hash(key), static_cast<std::uint32_t>(entries_.size()));
    return true;
  }

  /// The value of `key`, or nullptr.
  [[nodiscard]] const Value* find(std::string_view key) const noexcept {
    if (slots_.empty()) return nullptr;
    const std::uint64_t h = hash(key);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.entry == 0) return nullptr;
      if (s.tag == tag) {
        const auto& [text, value] = entries_[s.entry - 1];
        if (text.size() == key.size() && std::memcmp(text.data(), key.data(), key.size()) == 0) return &value;
      }
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Slot {
    std::uint32_t tag = 0;    // the high half of the key's hash
    std::uint32_t entry = 0;  // 1 + its index in entries_; 0: empty
  };

  static std::uint64_t hash(std::string_view text) noexcept { return text_hash(text); }

  void place(std::uint64_t h, std::uint32_t entry) {
    std::size_t i = h & (slots_.size() - 1);
    while (slots_[i].entry != 0) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = Slot{static_cast<std::uint32_t>(h >> 32), entry};
  }

  void grow() {
    slots_.assign(slots_.empty() ? 16 : slots_.size() * 2, Slot{});
    for (std::size_t e = 0; e < entries_.size(); ++e) place(hash(entries_[e].first), static_cast<std::uint32_t>(e + 1));
  }

  std::vector<std::pair<std::string, Value>> entries_;
  std::vector<Slot> slots_;
};

}  // namespace knead::detail
