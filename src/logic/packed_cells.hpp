#pragma once
// The packed layout of a logic::PackedData, and how the clause pass reads it.
//
// Every value is a 16-byte Cell. Its payload is the number itself, the text itself when it is
// at most 8 bytes long (zero-padded), or else the distance in bytes from the cell to what it
// holds: a longer text's bytes, an array's cells one after the other, an object's members as
// (key cell, value cell) pairs in nlohmann's order (sorted by key). Distances are from the
// cell itself, so a cell is read without knowing where the block starts.

#include "logic/path.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace knead::logic::detail {

struct Cell {
  // binary (truthy) and discarded (falsy) values have no content here: they are not what a
  // clause decides, so it leaves them to the value itself.
  enum Tag : std::uint32_t {
    null,
    boolean_false,
    boolean_true,
    integer,
    unsigned_integer,
    floating,
    text,
    array,
    object,
    binary,
    discarded,
  };
  std::uint32_t tag;
  std::uint32_t size;  // a text's bytes, an array's elements, an object's members
  std::uint64_t payload;

  [[nodiscard]] const Cell* first() const noexcept {
    return reinterpret_cast<const Cell*>(reinterpret_cast<const char*>(this) + payload);
  }
  // A text's bytes: in the payload up to 8 bytes, else at its distance. Chosen without a
  // branch: whether a patient's text is short is what the processor cannot predict.
  [[nodiscard]] const char* text_data() const noexcept {
    const char* inside = reinterpret_cast<const char*>(&payload);
    const char* outside = reinterpret_cast<const char*>(this) + payload;
    return size <= 8 ? inside : outside;
  }
  [[nodiscard]] std::string_view text_view() const noexcept { return {text_data(), size}; }
  [[nodiscard]] std::int64_t as_integer() const noexcept {
    std::int64_t v = 0;
    std::memcpy(&v, &payload, sizeof v);
    return v;
  }
  [[nodiscard]] double as_double() const noexcept {
    double v = 0;
    std::memcpy(&v, &payload, sizeof v);
    return v;
  }
};
static_assert(sizeof(Cell) == 16, "a cell is 16 bytes");

// The member `key` of the object `object`, or nullptr; `hint` is where it was last found.
// Records of one shape put a key at the same place: the place it was last found is tried first.
inline const Cell* packed_member(const Cell& object, std::string_view key, const TreeHint& hint) noexcept {
  const Cell* members = object.first();
  const std::uint32_t n = object.size;
  const auto is_key = [&](const Cell& k) {
    return k.size == key.size() && same_bytes(k.text_data(), key.data(), key.size());
  };
  const std::uint32_t last = hint.load();
  if (last < n && is_key(members[2 * last])) return &members[2 * last + 1];
  for (std::uint32_t i = 0; i < n; ++i) {
    if (is_key(members[2 * i])) {
      hint.store(i);
      return &members[2 * i + 1];
    }
  }
  return nullptr;
}

// One step of a path from `from`, as step() in path.hpp on the value the cell packs.
inline const Cell* packed_step(const Cell& from, const Segment& seg, const TreeHint& hint) noexcept {
  if (from.tag == Cell::object) return packed_member(from, seg.key, hint);
  if (from.tag == Cell::array) return seg.is_index && seg.index < from.size ? from.first() + seg.index : nullptr;
  return nullptr;
}

// JavaScript truthiness (as logic::truthy) of the value a cell packs.
inline bool packed_truthy(const Cell& c) noexcept {
  switch (c.tag) {
    case Cell::null:
    case Cell::boolean_false: return false;
    case Cell::boolean_true: return true;
    case Cell::integer:
    case Cell::unsigned_integer: return c.payload != 0;
    case Cell::floating: {
      const double d = c.as_double();
      return d == d && d != 0;
    }
    case Cell::text:
    case Cell::array: return c.size != 0;
    case Cell::object:
    case Cell::binary: return true;
    default: return false;
  }
}

}  // namespace knead::logic::detail
