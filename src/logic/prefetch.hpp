#pragma once
// Bringing a JSON document into the cache before reading it.
//
// A parsed document is a tree of separately allocated nodes: each object a red-black tree,
// each array and string a block of its own. Following one path through it is a chain of
// memory loads, each waiting for the one before; when a record is not in the cache, every
// path the clauses read pays a memory latency per step, one path after the other. Visiting
// the document breadth first instead issues the loads of a whole level together, so that
// their latencies overlap.
//
// The levels still come one after the other (a level's addresses are read from the one
// above). But a document parsed in one go was allocated in one go: most of its nodes follow
// its root object's storage in memory, a few cache lines per member. Those lines are fetched
// first, all at once, so that the walk mostly finds its levels already on the way.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>

namespace knead::logic::detail {

/// Loads the first `max_items` nodes (object members, array elements, string texts) of
/// `document`, breadth first, into the cache. Only a hint to the processor: it has no other
/// effect, and costs at most `max_items` steps however large the document.
inline void prefetch_document(const nlohmann::json& document, std::size_t max_items) noexcept {
#if defined(__GLIBCXX__) && (defined(__GNUC__) || defined(__clang__))
  // Objects are std::maps; as in path.hpp, their red-black trees are walked directly.
  using TreeNode = std::_Rb_tree_node<nlohmann::json::object_t::value_type>;
  struct Item {
    const void* at;
    bool tree_node;  // an object's tree node (else a JSON value)
  };
  constexpr std::size_t kQueue = 256;
  Item queue[kQueue];
  const std::size_t limit = max_items < kQueue ? max_items : kQueue;
  std::size_t head = 0;
  std::size_t tail = 0;
  queue[tail++] = Item{&document, false};
  if (const auto* object = document.get_ptr<const nlohmann::json::object_t*>()) {
    // Only a hint: lines that hold something else cost a little bandwidth, nothing more.
    constexpr std::size_t kLinesPerMember = 4;
    constexpr std::size_t kMaxLines = 64;
    const std::size_t lines = std::min(object->size() * kLinesPerMember, kMaxLines);
    const char* storage = reinterpret_cast<const char*>(object);
    for (std::size_t line = 0; line < lines; ++line) __builtin_prefetch(storage + 64 * line);
  }
  while (head < tail) {
    const Item item = queue[head++];
    if (item.tree_node) {
      const auto* node = static_cast<const std::_Rb_tree_node_base*>(item.at);
      if (node->_M_left != nullptr && tail < limit) queue[tail++] = Item{node->_M_left, true};
      if (node->_M_right != nullptr && tail < limit) queue[tail++] = Item{node->_M_right, true};
      if (tail < limit) queue[tail++] = Item{&static_cast<const TreeNode*>(node)->_M_valptr()->second, false};
      continue;
    }
    const auto& value = *static_cast<const nlohmann::json*>(item.at);
    if (const auto* object = value.get_ptr<const nlohmann::json::object_t*>()) {
      const std::_Rb_tree_node_base* root = object->end()._M_node->_M_parent;
      if (root != nullptr && tail < limit) queue[tail++] = Item{root, true};
    } else if (const auto* array = value.get_ptr<const nlohmann::json::array_t*>()) {
      for (auto it = array->begin(); it != array->end() && tail < limit; ++it) queue[tail++] = Item{&*it, false};
    } else if (const auto* text = value.get_ptr<const std::string*>()) {
      // The characters too (a long text is a block of its own). The empty asm keeps the walk:
      // a prefetch alone counts as no effect, and the compiler would drop everything.
      const char* chars = text->data();
      __builtin_prefetch(chars);
      asm volatile("" : : "r"(chars));
    }
  }
#else
  (void)document;
  (void)max_items;
#endif
}

}  // namespace knead::logic::detail
