#pragma once
/// \file
/// The SAX handler that builds a nlohmann::json value with the checks of a located parse
/// (duplicate keys, depth) but without recording where values stand.

#include "parse/sax_types.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <utility>
#include <vector>

namespace knead::detail::parsing {

/// Builds the document like nlohmann's own DOM parser, stopping (returning false) at a syntax
/// error, a duplicate key or a container nested deeper than `max_depth`. It says only *that* it
/// stopped: the caller parses again with LocatedBuilder to say where and why, so a text that
/// parses cleanly (nearly every patient in a batch) never pays for a location table.
class PlainBuilder : public SaxTypes {
 public:
  PlainBuilder(std::size_t max_depth, json& root) : max_depth_(max_depth), root_(root) {}

  bool null() { return place(json(nullptr)); }
  bool boolean(bool value) { return place(json(value)); }
  bool number_integer(number_integer_t value) { return place(json(value)); }
  bool number_unsigned(number_unsigned_t value) { return place(json(value)); }
  bool number_float(number_float_t value, const string_t& /*text*/) { return place(json(value)); }
  bool string(string_t& value) { return place(json(std::move(value))); }
  bool binary(binary_t& value) { return place(json::binary(std::move(value))); }
  bool start_object(std::size_t /*elements*/) { return open(json::value_t::object); }
  bool start_array(std::size_t /*elements*/) { return open(json::value_t::array); }
  bool end_object() {
    frames_.pop_back();
    return true;
  }
  bool end_array() { return end_object(); }
  bool key(string_t& name) {
    // The lexer clears its buffer before the next string, so the name can be moved.
    const auto [it, inserted] = frames_.back().object->try_emplace(std::move(name));
    member_ = &it->second;
    return inserted;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*error*/) {
    return false;
  }

 private:
  struct Frame {
    json::array_t* array;  ///< the container being filled: exactly one of these is set
    json::object_t* object;
  };

  // Puts a value where the parse is (and remembers where); returns true, a SAX callback's "go on".
  bool place(json&& value) {
    if (frames_.empty()) {
      root_ = std::move(value);
      slot_ = &root_;
    } else if (json::array_t* array = frames_.back().array) {
      // Room for a few at the first: a patient's lists are short, and growing one element at
      // a time would allocate and move again at the second and the third.
      if (array->capacity() == 0) array->reserve(4);
      array->push_back(std::move(value));
      slot_ = &array->back();
    } else {
      *member_ = std::move(value);
      slot_ = member_;
    }
    return true;
  }
  bool open(json::value_t type) {
    if (frames_.size() >= max_depth_) return false;
    place(json(type));
    frames_.push_back(type == json::value_t::object ? Frame{nullptr, slot_->get_ptr<json::object_t*>()}
                                                    : Frame{slot_->get_ptr<json::array_t*>(), nullptr});
    return true;
  }

  std::size_t max_depth_;
  json& root_;
  std::vector<Frame> frames_;
  json* member_ = nullptr;  ///< where the next member value goes, set by key()
  json* slot_ = nullptr;    ///< where the last value went
};

}  // namespace knead::detail::parsing
