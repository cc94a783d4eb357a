#pragma once
// The normal form of a name (knead::normalize_name), written into a buffer the caller keeps:
// every name in a patient record that is not an exact id is normalized, and a buffer reused
// from name to name allocates nothing.

#include <string>
#include <string_view>

namespace knead::detail {

/// Sets `out` to normalize_name(text).
void normalize_name_into(std::string_view text, std::string& out);

}  // namespace knead::detail
