#pragma once
// Compact JSON text that reads back as the same document: what a result keeps of a patient
// given as a dict, for explain() to read again, and what a batch makes of a dict to parse on its
// threads (convert.hpp). Several times faster than dump(),
// whose exact bytes nobody sees here: strings are written as the compact result writer writes
// them (render/json_string.hpp), and numbers take the shortest text that reads back as the
// same value.

#include "render/json_string.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
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

namespace detail {

// Thrown by a TextWriter at a Mapping that is not a dict.
struct NotPlainJson {};

// Writes compact JSON text from the events of a walk over a value (a document's, below, or a
// Python value's, convert.hpp). Objects come only from documents and dicts: another Mapping may
// name a key twice, which a document keeps once and JSON text cannot (NotPlainJson).
class TextWriter {
 public:
  explicit TextWriter(std::string& out) : out_(out) {}
  void null() { literal("null"); }
  void boolean(bool b) { literal(b ? "true" : "false"); }
  void integer(std::int64_t v) { number_value(v); }
  void unsigned_integer(std::uint64_t v) { number_value(v); }
  void number(double d) { number_value(d); }
  void string(std::string_view s) {
    separate();
    knead::detail::append_json_string(s, out_);
  }
  void begin_array(std::size_t /*size*/) { open('['); }
  void end_array() { close(']'); }
  void begin_object(bool is_dict) {
    if (!is_dict) throw NotPlainJson{};
    open('{');
  }
  void key(std::string_view k) {
    separate();
    knead::detail::append_json_string(k, out_);
    out_ += ':';
    first_ = true;  // the member's value follows without a comma
  }
  void end_object() { close('}'); }

 private:
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  void literal(const char* text) {
    separate();
    out_ += text;
  }
  template <class T>
  void number_value(T v) {
    separate();
    write_compact_number(v, out_);
  }
  void open(char bracket) {
    separate();
    out_ += bracket;
    first_ = true;
  }
  void close(char bracket) {
    out_ += bracket;
    first_ = false;
  }

  std::string& out_;
  bool first_ = true;
};

// Tells `out` the events of `value`; false at a binary value, which has no JSON text.
inline bool walk_document(const nlohmann::json& value, TextWriter& out) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::null: out.null(); return true;
    case Type::boolean: out.boolean(value.get<bool>()); return true;
    case Type::number_integer: out.integer(value.get<std::int64_t>()); return true;
    case Type::number_unsigned: out.unsigned_integer(value.get<std::uint64_t>()); return true;
    case Type::number_float: out.number(value.get<double>()); return true;
    case Type::string: out.string(value.get_ref<const std::string&>()); return true;
    case Type::array:
      out.begin_array(value.size());
      for (const auto& item : value) {
        if (!walk_document(item, out)) return false;
      }
      out.end_array();
      return true;
    case Type::object:
      out.begin_object(true);
      for (auto it = value.begin(); it != value.end(); ++it) {
        out.key(it.key());
        if (!walk_document(it.value(), out)) return false;
      }
      out.end_object();
      return true;
    case Type::binary:
    case Type::discarded: return false;
  }
  return false;
}

}  // namespace detail

/// Appends `value` as compact JSON text. Its strings must be valid UTF-8 (as every string
/// converted from Python is) and its numbers finite; binary values are not written (false).
inline bool write_compact_text(const nlohmann::json& value, std::string& out) {
  detail::TextWriter writer(out);
  return detail::walk_document(value, writer);
}

}  // namespace knead::python
