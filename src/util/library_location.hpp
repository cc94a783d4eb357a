#pragma once
/// \file
/// Where the code of libknead was loaded from, so that an installed library finds the files
/// installed with it (its rules) wherever the installation was put or moved.

#include <filesystem>

namespace knead::detail {

/// The file holding this library's code: libknead.so for a shared build, else the program or
/// module it is linked into. Empty when the platform cannot tell.
[[nodiscard]] std::filesystem::path library_location();

/// The default rules, in order: $KNEAD_RULES; the rules installed beside this library (relative
/// to its location, so a moved installation still finds them); for a binary inside the build
/// tree, the source tree's rules/; the configured install directory. The first existing
/// directory wins; without one, the installed location is returned so that the error names
/// where rules were expected.
[[nodiscard]] std::filesystem::path default_rules_location();

}  // namespace knead::detail
