#pragma once
/// \file
/// Data for JsonLogic packed into one block of memory, for evaluating rule sets over it many times.

#include <knead/export.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace knead::logic {

/// A JSON value packed into one block of memory, which `ProgramSet::matches` reads directly.
///
/// An `nlohmann::json` is a tree of separate allocations: every string, array and object
/// member is a block of its own, scattered over the heap, and reading one record waits on
/// memory at every step. A PackedData lays the value out in one contiguous block (values as
/// 16-byte cells, objects as runs of key and value, arrays as runs, texts of up to 8 bytes
/// inside their cell and longer ones next to them), about a third of the tree's size, so that
/// evaluating a rule set over many records reads a few consecutive cache lines per record.
/// Numbers keep the three kinds nlohmann keeps (signed, unsigned, floating point), since
/// answers depend on them.
///
/// `ProgramSet::matches(data, ...)` gives exactly the answers, errors and work limits of
/// `matches(data.value(), ...)`: what the packed form does not decide is evaluated on the
/// value, which the PackedData unpacks the first time it is needed and then keeps. Build a
/// PackedData once per record and keep it while rule sets are evaluated over it.
///
/// Immutable; cheap to copy and move (copies share the data); safe to read from many threads.
class KNEAD_API PackedData {
 public:
  /// null.
  PackedData();
  /// Packs `value` (the PackedData keeps no reference to it). Throws `logic::Error` with code
  /// `limit.size` for a text, array or object of more than 2^32 - 1 bytes or elements.
  explicit PackedData(const nlohmann::json& value);
  /// Parses JSON text (as `nlohmann::json::parse`) into a PackedData. Throws `knead::Error` with
  /// code `parse.syntax`, naming the byte where the text went wrong.
  [[nodiscard]] static PackedData parse(std::string_view text);

  /// The value, equal to the one packed, numbers of the same kinds included: unpacked on the
  /// first call (which allocates) and kept for the next ones.
  [[nodiscard]] const nlohmann::json& value() const;
  /// The size of the packed form, in bytes.
  [[nodiscard]] std::size_t packed_size() const noexcept { return packed_size_; }

  /// The packed form's first cell (knead's own readers; the layout is not part of the API).
  [[nodiscard]] const void* packed() const noexcept { return root_; }

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
  const void* root_ = nullptr;
  std::size_t packed_size_ = 0;
};

}  // namespace knead::logic
