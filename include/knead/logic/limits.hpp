#pragma once
/// \file
/// Bounds that keep hostile rules and data from exhausting the stack, time or memory.

#include <knead/export.hpp>
#include <cstddef>
#include <cstdint>

namespace knead::logic {

/// Limits applied when compiling and evaluating an expression. Exceeding one raises
/// `logic::Error` of kind `limit` with code `limit.depth`, `limit.work`, `limit.size` or
/// `limit.memory`.
struct KNEAD_API Limits {
  /// Deepest nesting of operators and literals in a rule.
  std::size_t max_depth = 128;
  /// Work units one evaluation may spend: one per node evaluated and per array element visited.
  std::uint64_t max_work = 10'000'000;
  /// Largest string (bytes) or array (elements) an evaluation may build.
  std::size_t max_size = 16U * 1024U * 1024U;
  /// Bytes one evaluation may build in all (strings, arrays and the values copied into them),
  /// counted as they are built, so that many values each under max_size cannot add up to
  /// gigabytes. At least max_size, or a single largest value could not be built.
  std::uint64_t max_memory = 256U * 1024U * 1024U;
};

}  // namespace knead::logic
