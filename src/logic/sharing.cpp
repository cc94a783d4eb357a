#include "logic/sharing.hpp"

#include "logic/nodes.hpp"

#include <algorithm>
#include <functional>
#include <string>
#include <utility>

namespace knead::logic {

namespace {

// The same mixing as nlohmann::json's own hash, so equal values hash equal.
std::size_t combine(std::size_t seed, std::size_t h) noexcept {
  seed ^= h + 0x9e3779b9 + (seed << 6U) + (seed >> 2U);
  return seed;
}

// The key of an operation ({"in": [...]}: "in").
std::string_view operation_key(const nlohmann::json& operation) { return operation.begin().key(); }

// How far past `next_` a lookup searches before hashing afresh: an operator that compiles its
// arguments out of order costs a fresh hash, never a long scan.
constexpr std::size_t kLookAhead = 64;

}  // namespace

std::size_t Sharing::hash_tree(const nlohmann::json& v, bool record) {
  using json = nlohmann::json;
  if (!v.is_structured()) return std::hash<json>{}(v);
  const bool operation = record && detail::is_operation(v);
  std::size_t at = 0;
  if (operation) {
    // Reserve the place first: the compiler reaches an operation before its arguments.
    at = nested_.size();
    nested_.emplace_back(&v, 0);
  }
  auto seed = combine(static_cast<std::size_t>(v.type()), v.size());
  if (v.is_object()) {
    for (const auto& [key, value] : v.get_ref<const json::object_t&>()) {
      seed = combine(seed, std::hash<std::string>{}(key));
      seed = combine(seed, hash_tree(value, record));
    }
  } else {
    for (const auto& element : v.get_ref<const json::array_t&>()) seed = combine(seed, hash_tree(element, record));
  }
  if (operation) nested_[at].second = seed;
  return seed;
}

std::size_t Sharing::hash(const nlohmann::json& expr, bool root) {
  if (root) {
    nested_.clear();
    const std::size_t h = hash_tree(expr, true);
    next_ = 1;
    return h;
  }
  const std::size_t end = std::min(nested_.size(), next_ + kLookAhead);
  for (std::size_t i = next_; i < end; ++i) {
    if (nested_[i].first == &expr) {
      next_ = i + 1;
      return nested_[i].second;
    }
  }
  return hash_tree(expr, false);
}

void Sharing::rehash(std::size_t buckets) {
  std::size_t size = 16;
  while (size < buckets) size *= 2;
  heads_.assign(size, kNone);
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    std::uint32_t& head = heads_[bucket(entries_[i].hash)];
    entries_[i].older = head;
    head = static_cast<std::uint32_t>(i);
  }
}

NodePtr Sharing::reuse(const nlohmann::json& expr, std::size_t hash, std::size_t depth,
                       const std::string& pointer) const {
  if (heads_.empty()) return nullptr;
  for (std::uint32_t i = heads_[bucket(hash)]; i != kNone; i = entries_[i].older) {
    const Entry& e = entries_[i];
    if (e.hash == hash && depth <= e.depth && *e.expr == expr) {
      return std::make_unique<SharedNode>(*e.node, i, e.op_is_key ? operation_key(expr) : e.node->op(), pointer);
    }
  }
  return nullptr;
}

NodePtr Sharing::keep(const nlohmann::json& expr, std::size_t hash, std::size_t depth, NodePtr node,
                      const std::string& pointer) {
  if (dynamic_cast<const detail::BorrowingNode*>(node.get()) != nullptr) return node;
  if (entries_.size() >= kNone - 1) throw Error::limit("limit.size", "rule set too large to compile", pointer);
  const auto slot = static_cast<std::uint32_t>(nodes_.size());
  if ((entries_.size() + 1) * 2 > heads_.size()) rehash((entries_.size() + 1) * 2);
  std::uint32_t& head = heads_[bucket(hash)];
  const std::string_view op = node->op();
  entries_.push_back(Entry{&expr, hash, depth, node.get(), head, op == operation_key(expr)});
  head = slot;
  nodes_.push_back(std::move(node));
  return std::make_unique<SharedNode>(*nodes_.back(), slot, op, pointer);
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
  const std::string_view from = target_.pointer();
  if (from == pointer() || at.compare(0, from.size(), from) != 0) throw error;
  std::string message = error.what();
  const std::string suffix = " (at " + at + ")";
  if (message.size() >= suffix.size() && message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0) {
    message.resize(message.size() - suffix.size());
  }
  throw Error(error.kind(), error.code(), error.value(), message, std::string(pointer()) + at.substr(from.size()));
}

}  // namespace knead::logic
