#include <knead/logic/context.hpp>
#include <knead/logic/error.hpp>

#include <algorithm>
#include <string>

namespace knead::logic {

Context::Context(const nlohmann::json& data, const Host* host, const Limits& limits) noexcept
    : base_(inline_),
      top_(inline_),
      end_(inline_ + kInlineScopes),
      host_(host),
      limits_(limits),
      max_work_(limits.max_work) {
  top_->value = &data;
  top_->index = -1;
}

const nlohmann::json& Context::scope_up(std::size_t levels) const noexcept {
  const std::size_t d = depth();
  return *(top_ - std::min(levels, d))->value;
}

std::int64_t Context::index_up(std::size_t levels) const noexcept {
  const std::size_t d = depth();
  if (levels > d) return -1;
  return (top_ - levels)->index;
}

void Context::grow() {
  const std::size_t size = static_cast<std::size_t>(end_ - base_);
  const std::size_t used = depth() + 1;
  auto bigger = std::make_unique<Scope[]>(size * 2);
  std::copy(base_, base_ + used, bigger.get());
  heap_ = std::move(bigger);
  base_ = heap_.get();
  top_ = base_ + used - 1;
  end_ = base_ + size * 2;
}

void Context::exceeded_work() const {
  throw Error::limit("limit.work",
                     "evaluation exceeded its work budget of " + std::to_string(limits_.max_work) + " units");
}

void Context::exceeded_memory() const {
  throw Error::limit("limit.memory", "evaluation built more than its memory budget of " +
                                         std::to_string(limits_.max_memory) + " bytes");
}

}  // namespace knead::logic
