#include "logic/sharing.hpp"

#include "logic/nodes.hpp"

#include <utility>

namespace knead::logic {

NodePtr Sharing::reuse(const nlohmann::json& expr, std::size_t hash, std::size_t depth,
                       const std::string& pointer) const {
  const auto [first, last] = index_.equal_range(hash);
  for (auto it = first; it != last; ++it) {
    const Entry& e = it->second;
    if (depth <= e.depth && *e.expr == expr) return std::make_unique<SharedNode>(*e.node, e.slot, pointer);
  }
  return nullptr;
}

NodePtr Sharing::keep(const nlohmann::json& expr, std::size_t hash, std::size_t depth, NodePtr node,
                      const std::string& pointer) {
  if (dynamic_cast<const detail::BorrowingNode*>(node.get()) != nullptr) return node;
  const auto slot = static_cast<std::uint32_t>(nodes_.size());
  index_.emplace(hash, Entry{&expr, depth, node.get(), slot});
  nodes_.push_back(std::move(node));
  return std::make_unique<SharedNode>(*nodes_.back(), slot, pointer);
}

Value SharedNode::evaluate(Context& ctx) const {
  try {
    return target_.evaluate(ctx);
  } catch (const Error& e) {
    relocate(e);
  }
}

bool SharedNode::test_here(Context& ctx) const {
  try {
    return target_.test(ctx);
  } catch (const Error& e) {
    relocate(e);
  }
}

void SharedNode::relocate(const Error& error) const {
  // The shared node carries the pointers of the rule that first used it; say where in this
  // rule the error happened instead.
  const std::string& at = error.pointer();
  const std::string& from = target_.pointer();
  if (from == pointer() || at.compare(0, from.size(), from) != 0) throw error;
  std::string message = error.what();
  const std::string suffix = " (at " + at + ")";
  if (message.size() >= suffix.size() && message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0) {
    message.resize(message.size() - suffix.size());
  }
  throw Error(error.kind(), error.code(), error.value(), message, pointer() + at.substr(from.size()));
}

}  // namespace knead::logic
