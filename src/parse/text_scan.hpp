#pragma once
/// \file
/// Byte-level passes over JSON text that nlohmann/json does not offer: where each value and key
/// starts, and offset-to-line/column conversion.

#include <cstddef>
#include <string_view>
#include <vector>

namespace knead::detail::parsing {

/// Where the values and keys of a JSON text start, each list in document order.
struct ValueStarts {
  std::vector<std::size_t> values;  ///< first byte of every value, in pre-order (root first)
  std::vector<std::size_t> keys;    ///< opening quote of every object key
};

/// Records where every value and key of `text` starts, from byte `begin` on (after a BOM).
///
/// A value starts at `{`, `[`, a number, a literal or a string that is not followed by `:`;
/// a string followed by `:` is a key. For text that nlohmann/json accepts this yields exactly
/// one entry per SAX value event and per `key` event, in the same order. For broken text it
/// yields something harmless (the caller reports the syntax error nlohmann finds first). It
/// stops after the first array or object nested deeper than `max_depth`, so hostile nesting
/// costs neither time nor memory.
[[nodiscard]] ValueStarts scan_value_starts(std::string_view text, std::size_t begin, std::size_t max_depth);

/// The byte offset at which each line starts, to turn offsets into 1-based line and column.
class LineIndex {
 public:
  struct Position {
    std::size_t line;
    std::size_t column;
  };

  LineIndex() = default;
  /// `first_line_start` is where line 1 starts: 3 after a UTF-8 BOM, so that columns do not
  /// count it, 0 otherwise. Lines end at `\n` (a CR before it is an ordinary byte of the line).
  LineIndex(std::string_view text, std::size_t first_line_start);

  /// Line and column (1-based, in bytes) of byte `offset`.
  [[nodiscard]] Position position(std::size_t offset) const noexcept;

 private:
  std::vector<std::size_t> starts_;
};

}  // namespace knead::detail::parsing
