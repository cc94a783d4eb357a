#pragma once
/// \file
/// The root of every exception knead throws.

#include <knead/export.hpp>
#include <stdexcept>
#include <string>

namespace knead {

/// Base class of every exception thrown by knead. `code()` is a stable, dotted identifier
/// (`parse.syntax`, `load.include_cycle`, `logic.nan`, ...) that tools and tests can rely on;
/// `what()` is a one-line human-readable message.
class KNEAD_API Error : public std::runtime_error {
 public:
  Error(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}

  /// Stable machine-readable identifier of the kind of error.
  [[nodiscard]] const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

}  // namespace knead
