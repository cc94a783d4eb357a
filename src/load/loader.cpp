#include "load/loader.hpp"

#include "graph/cycles.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <system_error>
#include <utility>

namespace knead::detail {
namespace fs = std::filesystem;
namespace {

Diagnostic make_diagnostic(std::string code, std::string message, SourceLocation location, std::string pointer = {}) {
  Diagnostic d;
  d.code = std::move(code);
  d.message = std::move(message);
  d.location = std::move(location);
  d.pointer = std::move(pointer);
  return d;
}

bool is_rule_file(const fs::path& p);

// The rule files of a folder, sorted by name. An entry named like a rule file that is not a
// readable regular file is a problem, never skipped: its safety rules would silently be missing
// (is_regular_file follows symbolic links; a dangling one is not). Returns false when the folder
// cannot be listed.
bool list_rule_files(const fs::path& dir, std::vector<fs::path>& files, std::vector<Diagnostic>& problems,
                     std::error_code& ec) {
  fs::directory_iterator it(dir, ec);
  if (ec) return false;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return false;
    if (!is_rule_file(it->path())) continue;
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) {
      const bool is_link = it->is_symlink(type_ec);
      problems.push_back(make_diagnostic(
          "load.not_a_file",
          "'" + it->path().string() + "' is not a readable regular file" +
              (is_link ? " (a symbolic link to nothing readable)" : " (a folder, socket, pipe or device)"),
          SourceLocation{it->path().string(), 0, 0, 0}));
      continue;
    }
    files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return true;
}

// Depth-first loading; each file is read once, keyed by its canonical path. The traversal keeps
// its own stack, so a chain of includes however long cannot overflow the call stack.
class Loader {
 public:
  Loader(const ParseLimits& limits, IncludeScope scope) : limits_(limits), scope_(std::move(scope)) {}

  void load_root(const fs::path& path) {
    const std::size_t me = enter(path, std::nullopt);
    if (me == kNone) return;
    std::vector<Frame> stack{Frame{me, path, 0}};
    while (!stack.empty()) {
      Frame& top = stack.back();
      const json* include = includes_of(top.index);
      if (include == nullptr || top.next >= include->size()) {
        order_.push_back(top.index);
        stack.pop_back();
        continue;
      }
      const std::size_t k = top.next++;
      const auto& entry = (*include)[k];
      if (!entry.is_string()) continue;  // the checker reports the type
      const std::string written = entry.get<std::string>();
      const IncludeSite site{top.index, "/include/" + std::to_string(k), written};
      const fs::path target = top.path.parent_path() / written;
      std::error_code ec;
      if (fs::is_directory(target, ec)) {
        // A folder stands for its rule files, as a rule set given by folder does.
        if (!inside_root(target, site)) continue;
        std::vector<fs::path> files;
        if (!list_rule_files(target, files, diagnostics_, ec)) {
          report_at(site, "io.read", "cannot list included folder '" + written + "': " + ec.message());
          continue;
        }
        if (files.empty()) report_at(site, "load.empty", "included folder '" + written + "' has no rule files (*.json)");
        // Pushed last to first, so that they are read in name order.
        for (auto f = files.rbegin(); f != files.rend(); ++f) {
          const std::size_t child = enter(*f, site);
          if (child != kNone) stack.push_back(Frame{child, *f, 0});
        }
        continue;
      }
      if (!allowed(target, site)) continue;
      const std::size_t child = enter(target, site);
      if (child != kNone) stack.push_back(Frame{child, target, 0});  // `top` may dangle from here
    }
  }

  LoadedFiles finish() {
    report_cycles();
    LoadedFiles out;
    for (std::size_t i : order_) {
      if (documents_[i]) out.documents.push_back(*documents_[i]);
    }
    out.diagnostics = std::move(diagnostics_);
    return out;
  }

 private:
  using json = nlohmann::json;
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  struct IncludeSite {
    std::size_t from;
    std::string pointer;
    std::string written;  // the path as the including file gives it
  };

  struct Frame {
    std::size_t index;
    fs::path path;
    std::size_t next;  // the next entry of its include list to visit
  };

  const json* includes_of(std::size_t index) const {
    if (!documents_[index]) return nullptr;
    const json& root = documents_[index]->root();
    if (!root.is_object()) return nullptr;
    auto inc = root.find("include");
    return inc != root.end() && inc->is_array() ? &*inc : nullptr;
  }

  void report_at(const IncludeSite& site, std::string code, std::string message) {
    const Document& from = *documents_[site.from];
    diagnostics_.push_back(make_diagnostic(std::move(code), std::move(message), from.locate(site.pointer), site.pointer));
  }

  // An include must stay inside the rule set's root folder (unless the caller allows otherwise)
  // and name a regular file: never /etc/passwd, a device or a pipe that would block the load.
  bool inside_root(const fs::path& target, const IncludeSite& site) {
    if (scope_.anywhere) return true;
    std::error_code ec;
    const fs::path real = fs::weakly_canonical(target, ec);
    const fs::path root = fs::weakly_canonical(scope_.root, ec);
    const auto rel = real.lexically_relative(root);
    if (real.empty() || rel.empty() || *rel.begin() == ".." || rel.is_absolute()) {
      report_at(site, "load.include_outside",
                "included file '" + site.written + "' is outside the rule set's folder " + scope_.root.string());
      return false;
    }
    return true;
  }

  bool allowed(const fs::path& target, const IncludeSite& site) {
    if (!inside_root(target, site)) return false;
    std::error_code ec;
    const fs::file_status status = fs::status(target, ec);
    if (status.type() == fs::file_type::not_found || status.type() == fs::file_type::none) {
      report_at(site, "load.include_missing",
                "included file '" + site.written + "' does not exist (looked for " + target.string() + ")");
      return false;
    }
    if (status.type() != fs::file_type::regular) {
      report_at(site, "load.not_a_file", "included file '" + site.written + "' is not a regular file (" + target.string() + ")");
      return false;
    }
    return true;
  }

  // Registers a file and reads it; kNone when it was seen before (only the edge is added).
  std::size_t enter(const fs::path& path, const std::optional<IncludeSite>& site) {
    std::error_code ec;
    fs::path key = fs::weakly_canonical(path, ec);
    if (ec) key = path.lexically_normal();
    auto found = index_.find(key.string());
    if (found != index_.end()) {
      if (site) edges_.emplace_back(site->from, found->second), edge_sites_.push_back(*site);
      return kNone;
    }
    const std::size_t me = documents_.size();
    index_.emplace(key.string(), me);
    names_.push_back(path.string());
    documents_.emplace_back();
    if (site) edges_.emplace_back(site->from, me), edge_sites_.push_back(*site);
    try {
      documents_[me] = Document::load(path, limits_);
    } catch (const ParseError& e) {
      diagnostics_.push_back(e.diagnostic());
    }
    return me;
  }

  void report_cycles() {
    for (const auto& cycle : find_cycles(documents_.size(), edges_)) {
      std::string text;
      for (std::size_t v : cycle) text += names_[v] + " -> ";
      text += names_[cycle.front()];
      // Report at the include that closes the cycle: from the last member back to the first.
      const std::size_t last = cycle.back();
      for (std::size_t e = 0; e < edges_.size(); ++e) {
        if (edges_[e].first == last && edges_[e].second == cycle.front() && documents_[last]) {
          const auto& s = edge_sites_[e];
          diagnostics_.push_back(make_diagnostic("load.include_cycle", "include cycle: " + text,
                                                 documents_[last]->locate(s.pointer), s.pointer));
          break;
        }
      }
    }
  }

  const ParseLimits& limits_;
  IncludeScope scope_;
  std::vector<std::optional<Document>> documents_;
  std::vector<std::string> names_;
  std::vector<std::size_t> order_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::pair<std::size_t, std::size_t>> edges_;
  std::vector<IncludeSite> edge_sites_;
  std::vector<Diagnostic> diagnostics_;
};

bool is_rule_file(const fs::path& p) {
  const std::string name = p.filename().string();
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with(".json") && !ends_with(".schema.json");
}

LoadedFiles fail_with(std::string code, std::string message, const fs::path& path) {
  LoadedFiles out;
  out.diagnostics.push_back(make_diagnostic(std::move(code), std::move(message), SourceLocation{path.string(), 0, 0, 0}));
  return out;
}

}  // namespace

LoadedFiles load_files(const fs::path& path, const ParseLimits& limits, bool includes_anywhere) {
  // The operating system would take the path only up to a NUL byte: "a\0b" must not load "a".
  if (path.native().find('\0') != std::string::npos) {
    std::string shown = path.native();
    for (char& c : shown) c = c == '\0' ? '?' : c;
    return fail_with("io.read", "cannot read '" + shown + "': the path contains a NUL byte", shown);
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    Loader loader(limits, IncludeScope{path, includes_anywhere});
    std::vector<fs::path> files;
    std::vector<Diagnostic> problems;
    if (!list_rule_files(path, files, problems, ec)) {
      return fail_with("io.read", "cannot list directory '" + path.string() + "': " + ec.message(), path);
    }
    if (files.empty() && problems.empty()) {
      return fail_with("load.empty", "no rule files (*.json) in directory '" + path.string() + "'", path);
    }
    for (const auto& f : files) loader.load_root(f);
    LoadedFiles out = loader.finish();
    out.diagnostics.insert(out.diagnostics.end(), problems.begin(), problems.end());
    return out;
  }
  Loader loader(limits, IncludeScope{path.parent_path().empty() ? fs::path(".") : path.parent_path(), includes_anywhere});
  loader.load_root(path);
  return loader.finish();
}

LoadedFiles load_text(std::string_view text, const std::string& name, const ParseLimits& limits) {
  LoadedFiles out;
  try {
    Document doc = Document::parse(text, name, limits);
    if (doc.root().is_object() && doc.root().contains("include")) {
      out.diagnostics.push_back(make_diagnostic("load.include_unsupported",
                                                "'include' needs a rule set loaded from a file",
                                                doc.locate("/include"), "/include"));
    }
    out.documents.push_back(std::move(doc));
  } catch (const ParseError& e) {
    out.diagnostics.push_back(e.diagnostic());
  }
  return out;
}

}  // namespace knead::detail
