#pragma once
/// \file
/// SHA-256 for content digests of rule sets and results, through OpenSSL's EVP interface (a
/// validated implementation, as health IT deployments often require).

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of knead's headers

namespace knead::detail {

/// Incremental SHA-256: `update` any number of times, then `finish` once. Throws
/// std::runtime_error if OpenSSL cannot provide SHA-256 (a broken installation).
class Sha256 {
 public:
  using Digest = std::array<std::uint8_t, 32>;

  Sha256();
  /// Feeds more of the message.
  void update(std::string_view data);
  /// Returns the digest and resets the object for a new message.
  [[nodiscard]] Digest finish();

 private:
  struct FreeContext {
    void operator()(evp_md_ctx_st* context) const noexcept;
  };
  std::unique_ptr<evp_md_ctx_st, FreeContext> context_;
};

/// Lowercase hex of a digest.
[[nodiscard]] std::string to_hex(const Sha256::Digest& digest);

/// Lowercase hex SHA-256 of `data`.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace knead::detail
