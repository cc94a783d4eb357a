#pragma once
/// \file
/// The state of one evaluation: the data, the iterator scopes, the work budget.

#include <knead/export.hpp>
#include <knead/logic/host.hpp>
#include <knead/logic/limits.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace knead::logic {

/// State of one evaluation, passed to every node. Not shared between threads: each call of
/// `Program::evaluate` makes its own, which is what makes a compiled Program thread-safe.
class KNEAD_API Context {
 public:
  /// `data` is the document rules read with var/val; `host` is what the embedding application
  /// gives its own operators (see Host; knead's engine gives the patient's facts), or nullptr.
  /// Both must outlive the Context.
  Context(const nlohmann::json& data, const Host* host, const Limits& limits) noexcept;
  /// The same, with `memo` holding the results of the subexpressions a `ProgramSet` shares
  /// between its rules (one byte per shared subexpression, zeroed before the first rule of a
  /// new `data`); it must outlive the Context.
  Context(const nlohmann::json& data, const Host* host, const Limits& limits, std::uint8_t* memo) noexcept
      : Context(data, host, limits) {
    memo_ = memo;
  }
  /// A Context refers to its own scope storage, so it is neither copied nor moved.
  Context(const Context&) = delete;
  /// Not assignable (see the copy constructor).
  Context& operator=(const Context&) = delete;
  ~Context() = default;

  /// The current scope: the data, or inside an iterator the current element.
  [[nodiscard]] const nlohmann::json& scope() const noexcept { return *top_->value; }
  /// The scope `levels` up from the current one (0 = current); clamps at the root.
  [[nodiscard]] const nlohmann::json& scope_up(std::size_t levels) const noexcept;
  /// The iteration index of the scope `levels` up (0 = current), or -1 outside iterators.
  [[nodiscard]] std::int64_t index_up(std::size_t levels) const noexcept;
  /// The root data.
  [[nodiscard]] const nlohmann::json& root() const noexcept { return *base_->value; }
  /// How many scopes are pushed above the root (0 outside iterators and `try`).
  [[nodiscard]] std::size_t depth() const noexcept { return static_cast<std::size_t>(top_ - base_); }

  /// Enter a scope (an iterator element or an error context); `value` must outlive it.
  void push_scope(const nlohmann::json& value, std::int64_t index = -1) {
    if (top_ + 1 == end_) grow();
    ++top_;
    top_->value = &value;
    top_->index = index;
  }
  /// Leave the innermost scope (never the root).
  void pop_scope() noexcept {
    if (top_ != base_) --top_;
  }

  /// The host given to the constructor (nullptr for none).
  [[nodiscard]] const Host* host() const noexcept { return host_; }
  /// The host as a `T` (see Host), or nullptr when there is none or it is of another kind.
  template <class T>
  [[nodiscard]] const T* host_as() const noexcept {
    return host_ != nullptr ? host_->as<T>() : nullptr;
  }
  /// The shared-subexpression results of this evaluation (nullptr outside a ProgramSet).
  [[nodiscard]] std::uint8_t* memo() const noexcept { return memo_; }
  /// The limits of this evaluation.
  [[nodiscard]] const Limits& limits() const noexcept { return limits_; }

  /// Spend work units; throws `logic::Error` (limit.work) when the budget is exhausted.
  void charge(std::uint64_t units = 1) {
    work_ += units;
    if (work_ > max_work_) exceeded_work();
  }
  /// Work units spent so far.
  [[nodiscard]] std::uint64_t work() const noexcept { return work_; }
  /// Count bytes built toward the memory budget; throws `logic::Error` (limit.memory) when the
  /// budget is exhausted.
  void allocate(std::uint64_t bytes) {
    memory_ += bytes;
    if (memory_ > limits_.max_memory) exceeded_memory();
  }

 private:
  [[noreturn]] void exceeded_work() const;
  [[noreturn]] void exceeded_memory() const;
  void grow();

  struct Scope {
    const nlohmann::json* value;
    std::int64_t index;
  };
  // Most evaluations never nest deeper than a few iterators: keep the scopes inline so that
  // creating a Context (once per Program::test) does not allocate.
  static constexpr std::size_t kInlineScopes = 16;
  Scope inline_[kInlineScopes];
  std::unique_ptr<Scope[]> heap_;
  Scope* base_;
  Scope* top_;
  Scope* end_;
  const Host* host_;
  std::uint8_t* memo_ = nullptr;
  const Limits& limits_;
  std::uint64_t max_work_;  // limits_.max_work, kept here for the hot path
  std::uint64_t work_ = 0;
  std::uint64_t memory_ = 0;  // bytes built so far
};

/// Pushes a scope for the lifetime of the guard.
class KNEAD_API ScopeGuard {
 public:
  /// Pushes `value` (with the iteration `index`, or -1) until the guard is destroyed.
  ScopeGuard(Context& ctx, const nlohmann::json& value, std::int64_t index = -1) : ctx_(ctx) {
    ctx_.push_scope(value, index);
  }
  ~ScopeGuard() { ctx_.pop_scope(); }
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;

 private:
  Context& ctx_;
};

}  // namespace knead::logic
