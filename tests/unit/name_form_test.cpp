// normalize_name: a name already in normal form is its own form (the fast path); every other
// name is normalized letter by letter. Both agree with the rule on generated names.

#include "support/catch.hpp"

#include <knead/matching.hpp>

#include <random>
#include <string>

namespace {

// The rule, written out plainly: letters and digits (and bytes of non-ASCII characters) kept
// in lower case, apostrophes dropped, every other run of bytes one underscore between words.
std::string expected_form(const std::string& text) {
  std::string out;
  bool gap = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\'') continue;
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        static_cast<unsigned char>(text[i + 2]) == 0x99) {
      i += 2;
      continue;
    }
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
    if (!word) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += '_';
    gap = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  }
  return out;
}

}  // namespace

TEST_CASE("normalize_name gives the same form with and without the fast path", "[matching]") {
  CHECK(knead::normalize_name("chronic_low_back_pain") == "chronic_low_back_pain");
  CHECK(knead::normalize_name("reduce_pain2") == "reduce_pain2");
  CHECK(knead::normalize_name("_reduce_pain") == "reduce_pain");
  CHECK(knead::normalize_name("reduce__pain_") == "reduce_pain");
  CHECK(knead::normalize_name("Reduce pain") == "reduce_pain");
  CHECK(knead::normalize_name("").empty());
  CHECK(knead::normalize_name("_").empty());
  // Names made mostly of the bytes the fast path accepts, with a few that it must not.
  const std::string alphabet = "abz09__________AZ -'/.\xE2\x80\x99\xC3\xA9";
  std::mt19937 random(20261201);
  for (int n = 0; n < 20000; ++n) {
    std::string name;
    const std::size_t length = random() % 24;
    for (std::size_t i = 0; i < length; ++i) {
      // Mostly lower-case words and underscores; now and then any byte of the alphabet.
      name += random() % 4 != 0 ? alphabet[random() % 14] : alphabet[random() % alphabet.size()];
    }
    INFO(name);
    CHECK(knead::normalize_name(name) == expected_form(name));
  }
}
