#pragma once
/// \file
/// What an application's own operators read during an evaluation, besides the data.

#include <knead/export.hpp>

namespace knead::logic {

/// The base of an evaluation's host: what an embedding application's operators read besides the
/// data (knead's engine gives its operators the patient's facts). A host type derives from Host
/// and names its kind with a tag of its own, `static const char kHostKind;`, defined once in a
/// source file; operators get the host back typed with `Context::host_as<T>()`, which is nullptr
/// when the evaluation was given no host or one of another kind. The check is one comparison, so
/// operators may make it on every call.
class KNEAD_API Host {
 public:
  /// This host as a `T`, or nullptr when it is of another kind.
  template <class T>
  [[nodiscard]] const T* as() const noexcept {
    return kind_ == &T::kHostKind ? static_cast<const T*>(this) : nullptr;
  }

 protected:
  /// `kind` is the deriving type's `&kHostKind`.
  explicit Host(const char* kind) noexcept : kind_(kind) {}
  Host(const Host&) = default;
  Host(Host&&) = default;
  Host& operator=(const Host&) = default;
  Host& operator=(Host&&) = default;
  ~Host() = default;  // never deleted through a Host*

 private:
  const char* kind_;
};

}  // namespace knead::logic
