#include <knead/logic/node.hpp>

#include <cstring>

namespace knead::logic {

namespace {

// A node's names block: the operator's length, the pointer's length, then their characters.
constexpr std::size_t kLengths = 2 * sizeof(std::size_t);

std::size_t length_at(const char* block, std::size_t index) noexcept {
  std::size_t n = 0;
  std::memcpy(&n, block + index * sizeof(std::size_t), sizeof n);
  return n;
}

}  // namespace

Node::Node(std::string_view op, std::string_view pointer, std::vector<NodePtr> args) : args_(std::move(args)) {
  auto block = std::make_unique<char[]>(kLengths + op.size() + pointer.size());
  const std::size_t lengths[2] = {op.size(), pointer.size()};
  std::memcpy(block.get(), lengths, kLengths);
  if (!op.empty()) std::memcpy(block.get() + kLengths, op.data(), op.size());
  if (!pointer.empty()) std::memcpy(block.get() + kLengths + op.size(), pointer.data(), pointer.size());
  names_ = std::move(block);
}

std::string_view Node::op() const noexcept { return {names_.get() + kLengths, length_at(names_.get(), 0)}; }

std::string_view Node::pointer() const noexcept {
  return {names_.get() + kLengths + length_at(names_.get(), 0), length_at(names_.get(), 1)};
}

}  // namespace knead::logic
