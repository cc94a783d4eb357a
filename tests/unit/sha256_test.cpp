#include "util/sha256.hpp"

#include "support/catch.hpp"

#include <string>
#include <vector>

using knead::detail::Sha256;
using knead::detail::sha256_hex;
using knead::detail::to_hex;

namespace {

const std::string k448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const std::string k896 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

}  // namespace

TEST_CASE("SHA-256 of the NIST short messages matches FIPS 180-4 examples", "[sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex(k448) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(k896) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST_CASE("SHA-256 of one million 'a' matches the NIST long message", "[sha256]") {
  const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  CHECK(sha256_hex(std::string(1000000, 'a')) == expected);

  // The same message fed in pieces that never line up with the 64-byte blocks.
  Sha256 hash;
  const std::string piece(997, 'a');
  std::size_t fed = 0;
  while (fed + piece.size() <= 1000000) {
    hash.update(piece);
    fed += piece.size();
  }
  hash.update(std::string(1000000 - fed, 'a'));
  CHECK(to_hex(hash.finish()) == expected);
}

TEST_CASE("SHA-256 padding is right at the lengths around a block boundary", "[sha256]") {
  // Lengths 55 and 56 decide whether the length fits in the last block; 64 fills one exactly.
  CHECK(sha256_hex(std::string(55, 'a')) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(57, 'a')) == "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6");
  CHECK(sha256_hex(std::string(63, 'a')) == "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34");
  CHECK(sha256_hex(std::string(64, 'a')) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  CHECK(sha256_hex(std::string(65, 'a')) == "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0");
  CHECK(sha256_hex(std::string(119, 'a')) == "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb");
  CHECK(sha256_hex(std::string(120, 'a')) == "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c");
}

TEST_CASE("SHA-256 gives the same digest however a message is split across updates", "[sha256]") {
  const std::string expected = sha256_hex(k896);
  // Every pair of cut points: empty pieces, pieces inside and across the 64-byte block.
  for (std::size_t first = 0; first <= k896.size(); ++first) {
    for (std::size_t second = first; second <= k896.size(); second += 7) {
      Sha256 hash;
      hash.update(std::string_view(k896).substr(0, first));
      hash.update(std::string_view(k896).substr(first, second - first));
      hash.update(std::string_view(k896).substr(second));
      const std::string got = to_hex(hash.finish());
      if (got != expected) {
        CAPTURE(first, second);
        CHECK(got == expected);
      }
    }
  }

  Sha256 bytewise;
  for (const char c : k896) bytewise.update(std::string_view(&c, 1));
  CHECK(to_hex(bytewise.finish()) == expected);
}

TEST_CASE("SHA-256 finish resets the hash for the next message", "[sha256]") {
  Sha256 hash;
  hash.update("ab");
  hash.update("c");
  CHECK(to_hex(hash.finish()) == sha256_hex("abc"));
  CHECK(to_hex(hash.finish()) == sha256_hex(""));
  hash.update(k448);
  CHECK(to_hex(hash.finish()) == sha256_hex(k448));
}

TEST_CASE("SHA-256 hashes every byte value, including NUL and high bytes", "[sha256]") {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  // Printed by an independent implementation (Python's hashlib).
  CHECK(sha256_hex(all) == "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880");
}
