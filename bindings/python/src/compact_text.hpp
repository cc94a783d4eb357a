#pragma once
// A document as compact JSON text that reads back as the same document: what a result keeps of
// a patient given as a dict, for explain() to read again. Several times faster than dump(),
// whose exact bytes nobody sees here: strings are written as the compact result writer writes
// them (render/json_string.hpp), and numbers take the shortest text that reads back as the
// same value.

#include "render/json_string.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

namespace knead::python {
namespace detail {

template <class T>
void write_compact_number(T value, std::string& out) {
  char buffer[32];
  const std::to_chars_result r = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, r.ptr);
  if constexpr (std::is_floating_point_v<T>) {
    // A float stays a float: "2.0", not "2", which would read back as an integer.
    bool integral = true;
    for (const char* c = buffer; c != r.ptr && integral; ++c) integral = *c == '-' || (*c >= '0' && *c <= '9');
    if (integral) out += ".0";
  }
}

}  // namespace detail

/// Appends `value` as compact JSON text. Its strings must be valid UTF-8 (as every string
/// converted from Python is) and its numbers finite; binary values are not written (false).
inline bool write_compact_text(const nlohmann::json& value, std::string& out) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::null: out += "null"; return true;
    case Type::boolean: out += value.get<bool>() ? "true" : "false"; return true;
    case Type::number_integer: detail::write_compact_number(value.get<std::int64_t>(), out); return true;
    case Type::number_unsigned: detail::write_compact_number(value.get<std::uint64_t>(), out); return true;
    case Type::number_float: detail::write_compact_number(value.get<double>(), out); return true;
    case Type::string: knead::detail::append_json_string(value.get_ref<const std::string&>(), out); return true;
    case Type::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += ',';
        first = false;
        if (!write_compact_text(item, out)) return false;
      }
      out += ']';
      return true;
    }
    case Type::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ',';
        first = false;
        knead::detail::append_json_string(it.key(), out);
        out += ':';
        if (!write_compact_text(it.value(), out)) return false;
      }
      out += '}';
      return true;
    }
    case Type::binary:
    case Type::discarded: return false;
  }
  return false;
}

}  // namespace knead::python
