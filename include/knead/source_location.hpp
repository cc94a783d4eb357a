#pragma once
/// \file
/// Where a value stood in a source file.

#include <knead/export.hpp>
#include <cstddef>
#include <string>

namespace knead {

/// A position in a source file. `line` and `column` are 1-based (column counts bytes);
/// `offset` is the 0-based byte offset. A location with line 0 names only the file.
struct KNEAD_API SourceLocation {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;
  std::size_t offset = 0;

  [[nodiscard]] bool known() const noexcept { return line != 0; }
  /// "file:line:col", or "file" when the position is not known, or "<input>" without a file.
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const SourceLocation& a, const SourceLocation& b) noexcept {
    return a.file == b.file && a.line == b.line && a.column == b.column;
  }
  friend bool operator<(const SourceLocation& a, const SourceLocation& b) noexcept {
    if (a.file != b.file) return a.file < b.file;
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
  }
};

}  // namespace knead
