#pragma once
// A string as JSON text, escaped in runs between the bytes that need it: what the compact
// result writer and the Python bindings' compact patient text both append.

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace knead::detail {

namespace json_string {

// The bytes written as they are: printable ASCII except '"' and '\\'.
inline constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (unsigned c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

// Whether the eight bytes at `p` are all plain (see kPlain), tested on one 64-bit word: no
// byte below 0x20 or from 0x80 up, none equal to '"' or '\\'.
inline bool all_plain(const char* p) noexcept {
  std::uint64_t x = 0;
  std::memcpy(&x, p, 8);
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const std::uint64_t control = (x - kOnes * 0x20) & ~x & kHigh;  // some byte < 0x20
  return ((x & kHigh) | control | has_zero(x ^ (kOnes * '"')) | has_zero(x ^ (kOnes * '\\'))) == 0;
}

inline void escape(unsigned char c, std::string& out) {
  switch (c) {
    case '"': out.append("\\\""); break;
    case '\\': out.append("\\\\"); break;
    case '\b': out.append("\\b"); break;
    case '\f': out.append("\\f"); break;
    case '\n': out.append("\\n"); break;
    case '\r': out.append("\\r"); break;
    case '\t': out.append("\\t"); break;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(escaped, sizeof escaped);
    }
  }
}

}  // namespace json_string

/// Appends `s` as a JSON string, byte for byte what nlohmann::json's dump() writes. Text with
/// bytes above ASCII goes through nlohmann::json, which checks the UTF-8 and replaces invalid
/// bytes as dump() does with error_handler_t::replace.
inline void append_json_string(std::string_view s, std::string& out) {
  const std::size_t start = out.size();
  out.push_back('"');
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Eight bytes at a time while none needs a second look: most text needs no escape.
    while (i + 8 <= s.size() && json_string::all_plain(s.data() + i)) i += 8;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (json_string::kPlain[c]) continue;
    if (c >= 0x80) {
      out.resize(start);
      out.append(nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      return;
    }
    out.append(s.data() + run, i - run);
    run = i + 1;
    json_string::escape(c, out);
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

}  // namespace knead::detail
