#include "parse/located_builder.hpp"

#include "parse/syntax_message.hpp"

#include <knead/document.hpp>

#include <utility>

namespace knead::detail::parsing {

std::size_t LocatedBuilder::value_offset(std::size_t index) const noexcept {
  // The scan agrees with the parser on every text the parser accepts. On broken text a value
  // just before the error may get a wrong start, but the parser then stops at the error, which
  // is what gets reported.
  if (index < starts_.values.size()) return starts_.values[index];
  return starts_.values.empty() ? begin_ : starts_.values.back();
}

LocatedBuilder::json* LocatedBuilder::place(json&& value, LocationTable::Kind kind) {
  const std::size_t index = table_.size();
  std::size_t key = LocationTable::npos;
  json* slot = nullptr;
  if (frames_.empty()) {
    root_ = std::move(value);
    slot = &root_;
  } else {
    Frame& parent = frames_.back();
    ++parent.children;
    if (parent.array != nullptr) {
      parent.array->push_back(std::move(value));
      slot = &parent.array->back();
    } else {
      *member_ = std::move(value);
      slot = member_;
      key = parent.member_key;
    }
  }
  table_.add_node(value_offset(index), kind, key);
  return slot;
}

bool LocatedBuilder::open(LocationTable::Kind kind) {
  if (frames_.size() >= max_depth_) {
    failure_ = ParseFailure{"limit.depth", "nesting deeper than the limit of " + std::to_string(max_depth_) + " levels",
                            value_offset(table_.size()), pointer_to_next()};
    return false;
  }
  const bool is_object = kind == LocationTable::Kind::object;
  json* slot = place(is_object ? json(json::value_t::object) : json(json::value_t::array), kind);
  frames_.push_back(Frame{is_object ? nullptr : slot->get_ptr<json::array_t*>(),
                          is_object ? slot->get_ptr<json::object_t*>() : nullptr, table_.size() - 1, 0,
                          LocationTable::npos});
  return true;
}

bool LocatedBuilder::start_object(std::size_t /*elements*/) { return open(LocationTable::Kind::object); }
bool LocatedBuilder::start_array(std::size_t /*elements*/) { return open(LocationTable::Kind::array); }

bool LocatedBuilder::end_object() {
  table_.close(frames_.back().node);
  frames_.pop_back();
  return true;
}

bool LocatedBuilder::end_array() { return end_object(); }

bool LocatedBuilder::key(string_t& name) {
  Frame& frame = frames_.back();
  const std::size_t index = table_.keys_size();
  const std::size_t offset = index < starts_.keys.size() ? starts_.keys[index] : value_offset(table_.size());
  frame.member_key = table_.add_key(offset, name);
  // The lexer clears its buffer before the next string, so the name can be moved.
  const auto [it, inserted] = frame.object->try_emplace(std::move(name));
  if (inserted) {
    member_ = &it->second;
    return true;
  }

  // nlohmann keeps the last of duplicate keys silently; rule authors need to hear about it.
  const std::string_view duplicate = table_.key_text(frame.member_key);
  std::size_t first_offset = offset;
  for (std::size_t child = frame.node + 1; child < table_.size(); child = table_.node(child).end) {
    const std::size_t k = table_.node(child).key;
    if (k != LocationTable::npos && table_.key_text(k) == duplicate) {
      first_offset = table_.key(k).offset;
      break;
    }
  }
  const LineIndex::Position first = table_.lines.position(first_offset);
  failure_ = ParseFailure{"parse.duplicate_key",
                          "duplicate key '" + printable(duplicate) + "' (first at line " + std::to_string(first.line) +
                              ", column " + std::to_string(first.column) + ")",
                          offset, pointer_to_next()};
  return false;
}

bool LocatedBuilder::parse_error(std::size_t position, const std::string& last_token,
                                 const nlohmann::detail::exception& error) {
  SyntaxProblem problem = describe_syntax_error(text_, begin_, starts_, position, last_token, error);
  failure_ = ParseFailure{"parse.syntax", std::move(problem.message), problem.offset, std::string()};
  return false;
}

std::string LocatedBuilder::pointer_to_next() const {
  std::string pointer;
  for (std::size_t i = 0; i < frames_.size(); ++i) {
    const Frame& frame = frames_[i];
    pointer += '/';
    if (frame.array != nullptr) {
      // The innermost container's next value is not added yet; outer ones hold theirs.
      const bool innermost = i + 1 == frames_.size();
      pointer += std::to_string(innermost ? frame.children : frame.children - 1);
    } else if (frame.member_key != LocationTable::npos) {
      pointer += pointer_escape(table_.key_text(frame.member_key));
    }
  }
  return pointer;
}

}  // namespace knead::detail::parsing
