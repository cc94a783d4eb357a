#pragma once
/// \file
/// Where every value of a parsed document starts, navigable by JSON pointer.

#include "parse/text_scan.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace knead::detail::parsing {

/// The values of a document in pre-order (document order, parents before children). Each
/// node knows where its subtree ends, so children are found by skipping siblings' subtrees;
/// members of objects keep their keys in document order (nlohmann's objects are sorted maps).
/// This costs a few words per value, much less than a map from pointer strings.
class LocationTable {
 public:
  static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

  enum class Kind : std::uint8_t { scalar, array, object };

  struct Node {
    std::size_t offset;  ///< first byte of the value in the text
    std::size_t end;     ///< index one past the last node of this value's subtree
    std::size_t key;     ///< index into keys() for an object member, npos otherwise
    Kind kind;
  };

  struct Key {
    std::size_t offset;  ///< opening quote of the key in the text
    std::size_t begin;   ///< the unescaped key is key_text_[begin, begin + size)
    std::size_t size;
  };

  /// Makes room for a document of this many values and keys.
  void reserve(std::size_t values, std::size_t keys) {
    nodes_.reserve(values);
    keys_.reserve(keys);
  }

  /// Appends a value; `end` is index + 1 until close() for containers.
  std::size_t add_node(std::size_t offset, Kind kind, std::size_t key) {
    nodes_.push_back(Node{offset, nodes_.size() + 1, key, kind});
    return nodes_.size() - 1;
  }
  /// Marks the end of container `index`'s subtree (everything added since belongs to it).
  void close(std::size_t index) noexcept { nodes_[index].end = nodes_.size(); }
  /// Records an object key (before its value).
  std::size_t add_key(std::size_t offset, std::string_view text) {
    keys_.push_back(Key{offset, key_text_.size(), text.size()});
    key_text_.append(text);
    return keys_.size() - 1;
  }

  [[nodiscard]] std::size_t size() const noexcept { return nodes_.size(); }
  [[nodiscard]] std::size_t keys_size() const noexcept { return keys_.size(); }
  [[nodiscard]] const Node& node(std::size_t index) const noexcept { return nodes_[index]; }
  [[nodiscard]] const Key& key(std::size_t index) const noexcept { return keys_[index]; }
  [[nodiscard]] std::string_view key_text(std::size_t index) const noexcept {
    return std::string_view(key_text_).substr(keys_[index].begin, keys_[index].size);
  }

  /// Index of the member of object node `object` whose key is `name`, or npos.
  [[nodiscard]] std::size_t find_member(std::size_t object, std::string_view name) const noexcept;
  /// Index of element `position` of array node `array`, or npos.
  [[nodiscard]] std::size_t find_element(std::size_t array, std::size_t position) const noexcept;

  /// The node `pointer` names, or its nearest existing ancestor; `exact` tells which.
  /// An ill-formed pointer (not starting with '/') resolves to the root. Requires size() > 0.
  [[nodiscard]] std::size_t resolve(std::string_view pointer, bool* exact = nullptr) const;

  LineIndex lines;  ///< turns node and key offsets into lines and columns

 private:
  std::vector<Node> nodes_;
  std::vector<Key> keys_;
  std::string key_text_;  ///< all keys, back to back, so that keys cost no allocation each
};

}  // namespace knead::detail::parsing
