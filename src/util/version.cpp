// The version compiled into the library (see knead/version.hpp).
#include <knead/version.hpp>

namespace knead {
const char* version() noexcept { return KNEAD_VERSION_STRING; }
}  // namespace knead
