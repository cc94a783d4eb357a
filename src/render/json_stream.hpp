#pragma once
// The compact JSON of a recommendation written straight into a string: no document is built
// and strings are escaped in runs. Byte for byte what to_json_value(r).dump() gives, invalid
// UTF-8 replaced as to_json replaces it.

#include <knead/recommendation.hpp>

#include <string>

namespace knead::detail {

/// Appends the compact JSON of `r` to `out`.
void write_compact_json(const Recommendation& r, std::string& out);

}  // namespace knead::detail
