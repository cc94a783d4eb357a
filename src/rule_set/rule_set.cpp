#include <knead/rule_set.hpp>

#include "check/checker.hpp"
#include "compile/compile.hpp"
#include "load/loader.hpp"
#include "compile/compiled_rule_set.hpp"
#include "overlay/overlay.hpp"
#include "util/library_location.hpp"

#include <algorithm>
#include <cstdlib>

namespace knead {
namespace {

LoadResult finish(detail::LoadedFiles files, const LoadOptions& options, const detail::OverlayPlan* overlay = nullptr) {
  LoadResult result;
  auto checked = detail::check(files.documents, overlay);
  if (overlay != nullptr) {
    // The stack's content is what its rules say now; how a rule came to replace another is not.
    if (auto rules = checked.canonical.find("rules"); rules != checked.canonical.end()) {
      for (auto& r : *rules) r.erase("replaces");
    }
  }
  auto compiled = detail::compile(checked, files.documents, options);
  if (compiled) {
    compiled->lint_acceptances = checked.lint_acceptances;
    if (overlay != nullptr) compiled->layers = overlay->layers;
    // A rule set of one layer (a path, or text) is that layer: same name, version and digest,
    // so that a result reads the same however the rule set was loaded or rebuilt.
    if (compiled->layers.size() <= 1) {
      const std::string path = compiled->layers.empty() ? (compiled->files.empty() ? std::string() : compiled->files.front())
                                                        : compiled->layers.front().path;
      compiled->layers = {RuleSetLayer{compiled->name, compiled->version, compiled->digest, path}};
    }
  }
  result.diagnostics = std::move(files.diagnostics);
  result.diagnostics.insert(result.diagnostics.end(), checked.diagnostics.begin(), checked.diagnostics.end());
  sort_diagnostics(result.diagnostics);
  // Errors first, then warnings, each sorted by location.
  std::stable_partition(result.diagnostics.begin(), result.diagnostics.end(),
                        [](const Diagnostic& d) { return d.severity == Severity::error; });
  const bool failed = std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                                  [](const Diagnostic& d) { return d.severity == Severity::error; });
  if (!failed && compiled) result.rule_set = detail::CompiledRuleSet::wrap(std::move(compiled));
  return result;
}

RuleSet or_throw(LoadResult result) {
  if (!result.ok()) {
    std::vector<Diagnostic> errors;
    for (auto& d : result.diagnostics) {
      if (d.severity == Severity::error) errors.push_back(std::move(d));
    }
    throw LoadError(std::move(errors));
  }
  return std::move(*result.rule_set);
}

}  // namespace

LoadResult RuleSet::try_load(const std::filesystem::path& path, const LoadOptions& options) {
  return try_load(std::vector<std::filesystem::path>{path}, options);
}

LoadResult RuleSet::try_load(const std::vector<std::filesystem::path>& paths, const LoadOptions& options) {
  if (paths.empty()) throw Error("load.no_rule_set", "no rule set given: name at least one file or directory");
  detail::LoadedLayers layers = detail::load_layers(paths, options.parse, options.includes_outside_root);
  return finish(std::move(layers.files), options, &layers.plan);
}

RuleSet RuleSet::load(const std::vector<std::filesystem::path>& paths, const LoadOptions& options) {
  return or_throw(try_load(paths, options));
}

RuleSet RuleSet::load(const std::filesystem::path& path, const LoadOptions& options) {
  return or_throw(try_load(path, options));
}

RuleSet RuleSet::parse(std::string_view text, const std::string& name, const LoadOptions& options) {
  return or_throw(finish(detail::load_text(text, name, options.parse), options));
}

std::filesystem::path RuleSet::default_path() { return detail::default_rules_location(); }

RuleSet RuleSet::load_default(const LoadOptions& options) { return load(default_path(), options); }

const std::string& RuleSet::name() const noexcept { return impl_->name; }
const std::string& RuleSet::version() const noexcept { return impl_->version; }
const std::string& RuleSet::digest() const noexcept { return impl_->digest; }
const std::vector<Rule>& RuleSet::rules() const noexcept { return impl_->rules; }
const Ontology& RuleSet::ontology() const noexcept { return impl_->ontology; }
const std::vector<std::string>& RuleSet::default_goals() const noexcept { return impl_->default_goals; }
Pressure RuleSet::review_pressure_max() const noexcept { return impl_->review_pressure_max; }
const std::vector<InputField>& RuleSet::inputs() const noexcept { return impl_->fields.inputs(); }
const std::vector<Diagnostic>& RuleSet::warnings() const noexcept { return impl_->warnings; }
const std::vector<std::string>& RuleSet::files() const noexcept { return impl_->files; }
const nlohmann::json& RuleSet::canonical() const noexcept { return impl_->canonical; }
const std::vector<RuleSetLayer>& RuleSet::layers() const noexcept { return impl_->layers; }
const std::vector<LintAcceptance>& RuleSet::lint_acceptances() const noexcept { return impl_->lint_acceptances; }

SourceLocation RuleSet::locate(const std::string& file, const std::string& pointer) const {
  auto it = impl_->documents.find(file);
  if (it == impl_->documents.end()) return SourceLocation{file, 0, 0, 0};
  return it->second.locate(pointer);
}

}  // namespace knead
