#pragma once
/// \file
/// The SAX handler that builds the nlohmann::json value and its LocationTable in one pass.

#include "parse/location_table.hpp"
#include "parse/text_scan.hpp"

#include "parse/sax_types.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace knead::detail::parsing {

/// Why a parse stopped, in knead's terms.
struct ParseFailure {
  std::string code;  ///< parse.syntax, parse.duplicate_key or limit.depth
  std::string message;
  std::size_t offset;   ///< the byte concerned
  std::string pointer;  ///< the value concerned ("" for syntax errors)
};

/// Builds the document like nlohmann's own DOM parser, and also: records each value's start
/// (taken from `starts`, in the same order as the SAX events) in `table`, rejects duplicate keys
/// and stops at `max_depth`. Containers are tracked on a heap stack, so depth costs no recursion.
/// Satisfies nlohmann's SAX concept without virtual calls.
class LocatedBuilder : public SaxTypes {
 public:
  LocatedBuilder(std::string_view text, std::size_t begin, const ValueStarts& starts, std::size_t max_depth,
                 LocationTable& table, json& root)
      : text_(text), begin_(begin), starts_(starts), max_depth_(max_depth), table_(table), root_(root) {}

  bool null() { return add_scalar(json(nullptr)); }
  bool boolean(bool value) { return add_scalar(json(value)); }
  bool number_integer(number_integer_t value) { return add_scalar(json(value)); }
  bool number_unsigned(number_unsigned_t value) { return add_scalar(json(value)); }
  bool number_float(number_float_t value, const string_t& /*text*/) { return add_scalar(json(value)); }
  bool string(string_t& value) { return add_scalar(json(std::move(value))); }
  bool binary(binary_t& value) { return add_scalar(json::binary(std::move(value))); }
  bool start_object(std::size_t /*elements*/);
  bool key(string_t& name);
  bool end_object();
  bool start_array(std::size_t /*elements*/);
  bool end_array();
  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& error);

  /// Set when a callback stopped the parse.
  [[nodiscard]] const std::optional<ParseFailure>& failure() const noexcept { return failure_; }

 private:
  struct Frame {
    json::array_t* array;  ///< the container being filled: exactly one of these is set
    json::object_t* object;
    std::size_t node;        ///< its index in the table
    std::size_t children;    ///< values added to it so far
    std::size_t member_key;  ///< for an object: table key of the member being parsed
  };

  bool add_scalar(json&& value) {
    place(std::move(value), LocationTable::Kind::scalar);
    return true;
  }
  json* place(json&& value, LocationTable::Kind kind);
  bool open(LocationTable::Kind kind);
  [[nodiscard]] std::size_t value_offset(std::size_t index) const noexcept;
  [[nodiscard]] std::string pointer_to_next() const;

  std::string_view text_;
  std::size_t begin_;
  const ValueStarts& starts_;
  std::size_t max_depth_;
  LocationTable& table_;
  json& root_;
  std::vector<Frame> frames_;
  json* member_ = nullptr;  ///< where the next member value goes, set by key()
  std::optional<ParseFailure> failure_;
};

}  // namespace knead::detail::parsing
