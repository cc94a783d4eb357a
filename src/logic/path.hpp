#pragma once
// Paths into data, as var, val, exists and missing use them.

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace knead::logic::detail {

/// Where a key was last found in an object's search tree: the turns from the root (bit i set =
/// right at depth i) below the depth + 1 in the top byte; 0 = not known. Records parsed from
/// documents with the same keys in the same order (patients, typically) have search trees of the
/// same shape, so the next record is searched by following the turns and comparing one key.
/// A stale hint costs one comparison; it is updated with relaxed atomics, so nodes that hold
/// hints stay safe to share between threads.
class TreeHint {
 public:
  TreeHint() = default;
  TreeHint(const TreeHint& other) noexcept : bits_(other.load()) {}
  TreeHint& operator=(const TreeHint& other) noexcept {
    store(other.load());
    return *this;
  }
  ~TreeHint() = default;
  [[nodiscard]] std::uint32_t load() const noexcept { return bits_.load(std::memory_order_relaxed); }
  void store(std::uint32_t bits) const noexcept { bits_.store(bits, std::memory_order_relaxed); }

 private:
  mutable std::atomic<std::uint32_t> bits_{0};
};

/// One step of a path: an object key, which is also an array index when it is a canonical
/// non-negative integer ("0", "17"; not "01" or "-1").
struct Segment {
  std::string key;
  std::size_t index = 0;
  bool is_index = false;
  TreeHint hint;
};

/// A segment for `key`.
Segment make_segment(std::string key);

/// A segment for a path element written as JSON (val): a string is a key, an integral number
/// an index (and its decimal form a key). False for other types, which match nothing.
bool segment_of(const nlohmann::json& element, Segment& out);

/// var's dotted path: "a.b.0" -> a, b, 0. "" is the empty path (the whole scope).
std::vector<Segment> split_dotted(std::string_view path);

/// Lexicographic byte comparison (as std::string::compare orders keys), inlined: object keys
/// are short and usually differ in their first byte, where a call to memcmp costs more than the
/// whole compare. Longer common prefixes are compared eight bytes at a time.
inline int compare_keys(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  if (n != 0 && a[0] != b[0]) return static_cast<unsigned char>(a[0]) < static_cast<unsigned char>(b[0]) ? -1 : 1;
  std::size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x = 0;
    std::uint64_t y = 0;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) return __builtin_bswap64(x) < __builtin_bswap64(y) ? -1 : 1;
  }
#endif
  for (; i < n; ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

/// Whether the `n` bytes at `a` and `b` are equal; inlined for the short strings of rules and
/// patient records (a call to memcmp costs more than comparing them). Compared in words, the
/// last one overlapping the one before when `n` is not a multiple of its size: no loop over
/// the bytes left over.
inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  const auto word = [](const char* p, auto zero) {
    decltype(zero) w = zero;
    std::memcpy(&w, p, sizeof w);
    return w;
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (word(a + i, std::uint64_t{0}) != word(b + i, std::uint64_t{0})) return false;
    }
    return word(a + n - 8, std::uint64_t{0}) == word(b + n - 8, std::uint64_t{0});
  }
  if (n >= 4) {
    return ((word(a, std::uint32_t{0}) ^ word(b, std::uint32_t{0})) |
            (word(a + n - 4, std::uint32_t{0}) ^ word(b + n - 4, std::uint32_t{0}))) == 0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

/// Whether two strings are equal (see same_bytes).
inline bool same_string(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && same_bytes(a.data(), b.data(), a.size());
}

/// A key to look up in a JSON object (whose std::map compares with std::less<>, so this type's
/// operator< is used for the search).
struct KeyView {
  std::string_view text;
};
inline bool operator<(const std::string& a, const KeyView& b) noexcept { return compare_keys(a, b.text) < 0; }
inline bool operator<(const KeyView& a, const std::string& b) noexcept { return compare_keys(a.text, b) < 0; }

/// The member `key` of `object`, or nullptr.
inline const nlohmann::json* member(const nlohmann::json::object_t& object, std::string_view key) noexcept {
#if defined(__GLIBCXX__)
  // std::map::find descends to a leaf and then compares the key again; with libstdc++ we walk
  // its red-black tree ourselves (the header's parent is the root) and stop at the first equal
  // key: about half the comparisons on the hottest path of evaluation. The unit tests check
  // this against find().
  using TreeNode = std::_Rb_tree_node<nlohmann::json::object_t::value_type>;
  const std::_Rb_tree_node_base* node = object.end()._M_node->_M_parent;
  while (node != nullptr) {
    const auto& entry = *static_cast<const TreeNode*>(node)->_M_valptr();
    const int c = compare_keys(key, entry.first);
    if (c == 0) return &entry.second;
    node = c < 0 ? node->_M_left : node->_M_right;
  }
  return nullptr;
#else
  const auto it = object.find(KeyView{key});
  return it == object.end() ? nullptr : &it->second;
#endif
}

/// The member `key` of `object`, or nullptr, trying `hint` first (see TreeHint).
inline const nlohmann::json* member(const nlohmann::json::object_t& object, std::string_view key,
                                    const TreeHint& hint) noexcept {
#if defined(__GLIBCXX__)
  using TreeNode = std::_Rb_tree_node<nlohmann::json::object_t::value_type>;
  constexpr unsigned kMaxDepth = 24;
  const std::_Rb_tree_node_base* root = object.end()._M_node->_M_parent;
  const std::uint32_t bits = hint.load();
  if (bits != 0) {
    const unsigned depth = (bits >> kMaxDepth) - 1;
    const std::_Rb_tree_node_base* node = root;
    for (unsigned i = 0; i < depth && node != nullptr; ++i) node = ((bits >> i) & 1U) != 0 ? node->_M_right : node->_M_left;
    if (node != nullptr) {
      const auto& entry = *static_cast<const TreeNode*>(node)->_M_valptr();
      if (same_string(entry.first, key)) return &entry.second;
    }
  }
  std::uint32_t turns = 0;
  unsigned depth = 0;
  for (const std::_Rb_tree_node_base* node = root; node != nullptr; ++depth) {
    const auto& entry = *static_cast<const TreeNode*>(node)->_M_valptr();
    const int c = compare_keys(key, entry.first);
    if (c == 0) {
      if (depth < kMaxDepth) {
        const std::uint32_t found = ((depth + 1) << kMaxDepth) | turns;
        if (found != bits) hint.store(found);
      }
      return &entry.second;
    }
    if (c > 0 && depth < kMaxDepth) turns |= 1U << depth;
    node = c < 0 ? node->_M_left : node->_M_right;
  }
  return nullptr;
#else
  (void)hint;
  return member(object, key);
#endif
}

/// One step down from `from`, or nullptr when there is nothing there.
inline const nlohmann::json* step(const nlohmann::json& from, const Segment& seg) noexcept {
  if (const auto* object = from.get_ptr<const nlohmann::json::object_t*>()) return member(*object, seg.key, seg.hint);
  if (const auto* array = from.get_ptr<const nlohmann::json::array_t*>()) {
    return seg.is_index && seg.index < array->size() ? &(*array)[seg.index] : nullptr;
  }
  return nullptr;
}

/// Follows `path` from `from`; nullptr when some step finds nothing.
inline const nlohmann::json* lookup(const nlohmann::json& from, const std::vector<Segment>& path) noexcept {
  const nlohmann::json* cur = &from;
  for (const auto& seg : path) {
    cur = step(*cur, seg);
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

/// A path fixed at compile time, with its first two steps inline (paths are short, so reading
/// one touches only the node that holds it). Empty = the whole scope.
class FixedPath {
 public:
  FixedPath() = default;
  explicit FixedPath(std::vector<Segment> segments) : count_(segments.size()) {
    if (count_ > 0) first_ = std::move(segments[0]);
    if (count_ > 1) second_ = std::move(segments[1]);
    for (std::size_t i = 2; i < count_; ++i) more_.push_back(std::move(segments[i]));
  }

  /// Whether the path is empty (reads the whole scope).
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }

  /// The number of steps.
  [[nodiscard]] std::size_t size() const noexcept { return count_; }

  /// Step `i` (< size()).
  [[nodiscard]] const Segment& segment(std::size_t i) const noexcept {
    return i == 0 ? first_ : (i == 1 ? second_ : more_[i - 2]);
  }

  /// Whether `other` is the same path (the same keys in the same order).
  [[nodiscard]] bool same_as(const FixedPath& other) const noexcept {
    if (count_ != other.count_) return false;
    if (count_ > 0 && first_.key != other.first_.key) return false;
    if (count_ > 1 && second_.key != other.second_.key) return false;
    for (std::size_t i = 0; i < more_.size(); ++i) {
      if (more_[i].key != other.more_[i].key) return false;
    }
    return true;
  }

  /// What the path finds from `from`, or nullptr.
  [[nodiscard]] const nlohmann::json* find(const nlohmann::json& from) const noexcept {
    if (count_ == 0) return &from;
    const nlohmann::json* cur = step(from, first_);
    if (count_ == 1 || cur == nullptr) return cur;
    cur = step(*cur, second_);
    for (std::size_t i = 0; i < more_.size() && cur != nullptr; ++i) cur = step(*cur, more_[i]);
    return cur;
  }

 private:
  std::size_t count_ = 0;
  Segment first_;
  Segment second_;
  std::vector<Segment> more_;
};

}  // namespace knead::logic::detail
