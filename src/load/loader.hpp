#pragma once
// Stage 2, load: the files of a rule set, with their includes, in load order.

#include <knead/diagnostic.hpp>
#include <knead/document.hpp>

#include <filesystem>
#include <string_view>
#include <vector>

namespace knead::detail {

struct LoadedFiles {
  std::vector<Document> documents;       // includes before the file that includes them
  std::vector<Diagnostic> diagnostics;   // io.*, parse.*, load.*
};

/// Where includes may point: inside `root` (the rule-set folder, or the folder of a rule-set
/// file), or anywhere.
struct IncludeScope {
  std::filesystem::path root;
  bool anywhere = false;
};

/// Reads a rule-set file or directory and everything it includes. Never throws for problems in
/// the files: they become diagnostics. Includes must stay inside the rule set's folder unless
/// `includes_anywhere`.
[[nodiscard]] LoadedFiles load_files(const std::filesystem::path& path, const ParseLimits& limits,
                                     bool includes_anywhere = false);

/// One document from text; an `include` in it is an error (there is no directory to resolve it).
[[nodiscard]] LoadedFiles load_text(std::string_view text, const std::string& name, const ParseLimits& limits);

}  // namespace knead::detail
