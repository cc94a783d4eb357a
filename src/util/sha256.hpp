#pragma once
/// \file
/// SHA-256 (FIPS 180-4), for content digests of rule sets and results. Not for secrets: no
/// constant-time guarantees are needed or given.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace knead::detail {

/// Incremental SHA-256: `update` any number of times, then `finish` once.
class Sha256 {
 public:
  using Digest = std::array<std::uint8_t, 32>;

  Sha256() noexcept;
  /// Feeds more of the message.
  void update(std::string_view data) noexcept;
  /// Pads, returns the digest and resets the object for a new message.
  [[nodiscard]] Digest finish() noexcept;

 private:
  void compress(const std::uint8_t* block) noexcept;

  std::array<std::uint32_t, 8> state_{};
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;       ///< bytes waiting in buffer_
  std::uint64_t total_bytes_ = 0;  ///< message length so far
};

/// Lowercase hex of a digest.
[[nodiscard]] std::string to_hex(const Sha256::Digest& digest);

/// Lowercase hex SHA-256 of `data`.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace knead::detail
