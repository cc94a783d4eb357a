#pragma once
/// \file
/// Bounds that keep hostile rules and data from exhausting the stack, time or memory.

#include <knead/export.hpp>
#include <cstddef>
#include <cstdint>

namespace knead::logic {

/// Limits applied when compiling and evaluating an expression. Exceeding one raises
/// `logic::Error` of kind `limit` with code `limit.depth`, `limit.work` or `limit.size`.
struct KNEAD_API Limits {
  /// Deepest nesting of operators and literals in a rule.
  std::size_t max_depth = 128;
  /// Work units one evaluation may spend: one per node evaluated and per array element visited.
  std::uint64_t max_work = 10'000'000;
  /// Largest string (bytes) or array (elements) an evaluation may build.
  std::size_t max_size = 16U * 1024U * 1024U;
};

}  // namespace knead::logic
