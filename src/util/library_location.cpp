#include "util/library_location.hpp"

#include <cstdlib>
#include <string>
#include <system_error>

#if defined(__unix__) || defined(__APPLE__)
#include <dlfcn.h>
#endif

namespace knead::detail {
namespace fs = std::filesystem;

namespace {

bool inside(const fs::path& path, const fs::path& directory) {
  std::error_code ec;
  const std::string p = fs::weakly_canonical(path, ec).generic_string();
  if (ec) return false;
  std::string d = fs::weakly_canonical(directory, ec).generic_string();
  if (ec || d.empty()) return false;
  if (d.back() != '/') d += '/';
  return p.compare(0, d.size(), d) == 0;
}

bool directory_exists(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

}  // namespace

fs::path library_location() {
#if defined(__unix__) || defined(__APPLE__)
  Dl_info info{};
  // The address of a function of this library: dladdr names the object that contains it.
  if (dladdr(reinterpret_cast<const void*>(&library_location), &info) != 0 && info.dli_fname != nullptr &&
      *info.dli_fname != '\0') {
    std::error_code ec;
    fs::path file = fs::canonical(info.dli_fname, ec);
    if (!ec) return file;
  }
#endif
  return {};
}

fs::path default_rules_location() {
  if (const char* env = std::getenv("KNEAD_RULES"); env != nullptr && *env != '\0') return env;

  const fs::path self = library_location();
  fs::path relative_guess;
  if (!self.empty()) {
    // An installed layout, wherever it was put: libknead.so in <prefix>/lib..., a program in
    // <prefix>/bin, a Python module with rules/ beside it. A build tree has none of these.
    for (const char* relative : {KNEAD_RULES_FROM_LIBDIR, KNEAD_RULES_FROM_BINDIR, "rules"}) {
      const fs::path candidate = (self.parent_path() / relative).lexically_normal();
      if (relative_guess.empty()) relative_guess = candidate;
      if (directory_exists(candidate)) return candidate;
    }
    // A build-tree binary: the rules it was built with, never an older installed copy.
    if (inside(self, KNEAD_BUILD_DIR) && directory_exists(KNEAD_SOURCE_RULES_DIR)) return KNEAD_SOURCE_RULES_DIR;
  }
  if (directory_exists(KNEAD_INSTALL_RULES_DIR)) return KNEAD_INSTALL_RULES_DIR;
  return relative_guess.empty() ? fs::path(KNEAD_INSTALL_RULES_DIR) : relative_guess;
}

}  // namespace knead::detail
