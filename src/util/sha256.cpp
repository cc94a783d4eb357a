#include "util/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace knead::detail {
namespace {

void check(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(std::string("SHA-256 through OpenSSL failed: ") + what);
}

}  // namespace

void Sha256::FreeContext::operator()(evp_md_ctx_st* context) const noexcept { EVP_MD_CTX_free(context); }

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (!context_) throw std::runtime_error("SHA-256 through OpenSSL failed: no memory for a digest context");
  check(EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr), "EVP_DigestInit_ex");
}

void Sha256::update(std::string_view data) {
  if (data.empty()) return;
  check(EVP_DigestUpdate(context_.get(), data.data(), data.size()), "EVP_DigestUpdate");
}

Sha256::Digest Sha256::finish() {
  Digest digest{};
  unsigned int length = 0;
  check(EVP_DigestFinal_ex(context_.get(), digest.data(), &length), "EVP_DigestFinal_ex");
  if (length != digest.size()) throw std::runtime_error("SHA-256 through OpenSSL gave a digest of the wrong length");
  check(EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr), "EVP_DigestInit_ex");
  return digest;
}

std::string to_hex(const Sha256::Digest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (const std::uint8_t byte : digest) {
    out += kDigits[byte >> 4U];
    out += kDigits[byte & 0x0FU];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Sha256 hash;
  hash.update(data);
  return to_hex(hash.finish());
}

}  // namespace knead::detail
