#pragma once
/// \file
/// The result of evaluating one node: a borrowed or an owned JSON value.

#include <knead/export.hpp>
#include <nlohmann/json.hpp>

#include <utility>

namespace knead::logic {

/// The result of evaluating a node. Reading a field of the data or a literal borrows it
/// (no copy); computing a new value owns it. A borrowed value refers to the data document or
/// to the compiled rule, both of which outlive an evaluation.
class KNEAD_API Value {
 public:
  /// null
  Value() noexcept = default;
  /// An owned value.
  Value(nlohmann::json owned) noexcept : owned_(std::move(owned)) {}  // NOLINT: implicit on purpose
  /// A borrowed value: `j` must outlive every use of this Value.
  static Value ref(const nlohmann::json& j) noexcept {
    Value v;
    v.ref_ = &j;
    return v;
  }

  /// The value, borrowed or owned.
  [[nodiscard]] const nlohmann::json& get() const noexcept { return ref_ ? *ref_ : owned_; }
  /// Same as get().
  const nlohmann::json& operator*() const noexcept { return get(); }
  /// Member access to the value.
  const nlohmann::json* operator->() const noexcept { return &get(); }
  /// True when the value refers to JSON owned elsewhere (data, rule or an enclosing scope).
  [[nodiscard]] bool borrowed() const noexcept { return ref_ != nullptr; }

  /// The value itself: moved out when owned, copied when borrowed.
  [[nodiscard]] nlohmann::json release() && {
    return ref_ ? nlohmann::json(*ref_) : std::move(owned_);
  }

 private:
  const nlohmann::json* ref_ = nullptr;
  nlohmann::json owned_;
};

/// JavaScript truthiness as JsonLogic defines it: false, null, 0, NaN, "" and [] are false;
/// everything else (including "0" and {}) is true.
[[nodiscard]] KNEAD_API bool truthy(const nlohmann::json& value) noexcept;

}  // namespace knead::logic
