#include "load/loader.hpp"

#include "graph/cycles.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <system_error>

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

// The rule files of a directory, sorted by name.
std::vector<fs::path> rule_files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && is_rule_file(entry.path())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Depth-first loading; each file is read once, keyed by its canonical path.
class Loader {
 public:
  explicit Loader(const ParseLimits& limits) : limits_(limits) {}

  void load_root(const fs::path& path) { visit(path, std::nullopt); }

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
  struct IncludeSite {
    std::size_t from;
    std::string pointer;
    std::string written;  // the path as the including file gives it
  };

  std::size_t visit(const fs::path& path, std::optional<IncludeSite> site) {
    std::error_code ec;
    fs::path key = fs::weakly_canonical(path, ec);
    if (ec) key = path.lexically_normal();
    auto found = index_.find(key.string());
    if (found != index_.end()) {
      if (site) edges_.emplace_back(site->from, found->second), edge_sites_.push_back(*site);
      return found->second;
    }
    const std::size_t me = documents_.size();
    index_.emplace(key.string(), me);
    names_.push_back(path.string());
    documents_.emplace_back();
    if (site) edges_.emplace_back(site->from, me), edge_sites_.push_back(*site);

    if (site && !fs::exists(path, ec)) {
      const Document& from = *documents_[site->from];
      diagnostics_.push_back(make_diagnostic("load.include_missing",
                                             "included file '" + site->written + "' does not exist (looked for " + path.string() + ")",
                                             from.locate(site->pointer), site->pointer));
      return me;
    }
    try {
      documents_[me] = Document::load(path, limits_);
    } catch (const ParseError& e) {
      diagnostics_.push_back(e.diagnostic());
      return me;
    }
    const Document& doc = *documents_[me];
    const auto& root = doc.root();
    if (root.is_object()) {
      auto inc = root.find("include");
      if (inc != root.end() && inc->is_array()) {
        for (std::size_t k = 0; k < inc->size(); ++k) {
          const auto& entry = (*inc)[k];
          if (!entry.is_string()) continue;  // the checker reports the type
          const fs::path target = path.parent_path() / entry.get<std::string>();
          const IncludeSite here{me, "/include/" + std::to_string(k), entry.get<std::string>()};
          // A folder stands for its rule files, as a rule set given by directory does.
          if (fs::is_directory(target, ec)) {
            const auto files = rule_files_in(target);
            if (files.empty()) {
              diagnostics_.push_back(make_diagnostic("load.empty", "included folder '" + here.written + "' has no rule files (*.json)",
                                                     doc.locate(here.pointer), here.pointer));
            }
            for (const auto& f : files) visit(f, here);
            continue;
          }
          visit(target, here);
        }
      }
    }
    order_.push_back(me);
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

}  // namespace

LoadedFiles load_files(const fs::path& path, const ParseLimits& limits) {
  Loader loader(limits);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    const std::vector<fs::path> files = rule_files_in(path);
    if (files.empty()) {
      LoadedFiles out;
      out.diagnostics.push_back(make_diagnostic("load.empty", "no rule files (*.json) in directory '" + path.string() + "'",
                                                SourceLocation{path.string(), 0, 0, 0}));
      return out;
    }
    for (const auto& f : files) loader.load_root(f);
  } else {
    loader.load_root(path);
  }
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
