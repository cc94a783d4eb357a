#pragma once
/// \file
/// Stages 2-4: load rule files, check them, compile them into an immutable rule set.

#include <knead/export.hpp>
#include <knead/diagnostic.hpp>
#include <knead/document.hpp>
#include <knead/input_field.hpp>
#include <knead/layer.hpp>
#include <knead/lint_acceptance.hpp>
#include <knead/logic/limits.hpp>
#include <knead/ontology.hpp>
#include <knead/rule.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace knead {

namespace detail {
struct CompiledRuleSet;
}

struct LoadResult;

/// Options for loading a rule set.
struct KNEAD_API LoadOptions {
  ParseLimits parse;       ///< bounds on each file
  logic::Limits logic;     ///< bounds on each rule's condition
  /// Whether `include` may name files outside the rule set's folder (the folder loaded, or the
  /// folder of the file loaded). Off: rule sets from elsewhere cannot read arbitrary files.
  bool includes_outside_root = false;
};

/// A loaded, checked and compiled rule set. Immutable, cheap to copy (shares its state) and
/// safe to use from many threads.
class KNEAD_API RuleSet {
 public:
  /// Loads a rule set from a file or a directory (every `*.json` in it, sorted by name, except
  /// `*.schema.json`), following `include`s. Throws LoadError carrying every diagnostic.
  [[nodiscard]] static RuleSet load(const std::filesystem::path& path, const LoadOptions& options = {});
  /// Like load, but never throws for problems in the rule set: returns the rule set or the
  /// diagnostics.
  [[nodiscard]] static LoadResult try_load(const std::filesystem::path& path, const LoadOptions& options = {});
  /// Loads a stack of rule sets, each a file or a directory: later ones overlay earlier ones.
  /// They add concepts and rules; a rule takes the place of one beneath only with
  /// `"replaces": "id"`, and a file removes rules beneath only with `"disable": ["id", ...]`;
  /// any other repeated id is an error. The digest covers the whole stack; layers() names each.
  [[nodiscard]] static RuleSet load(const std::vector<std::filesystem::path>& paths, const LoadOptions& options = {});
  /// Like load(paths), returning the diagnostics instead of throwing.
  [[nodiscard]] static LoadResult try_load(const std::vector<std::filesystem::path>& paths,
                                           const LoadOptions& options = {});
  /// Loads from JSON text; `name` stands for the file in locations. Includes are not allowed.
  [[nodiscard]] static RuleSet parse(std::string_view text, const std::string& name = "<rules>",
                                     const LoadOptions& options = {});
  /// The shipped default rule set: `$KNEAD_RULES` if set; else the rules installed with the
  /// library, found relative to the library's own location (so an installation can be moved);
  /// for a binary in the build tree, the source tree's `rules/`. Throws LoadError when none is found.
  [[nodiscard]] static RuleSet load_default(const LoadOptions& options = {});
  /// Where load_default looks, in order; the first that exists is used.
  [[nodiscard]] static std::filesystem::path default_path();

  [[nodiscard]] const std::string& name() const noexcept;
  [[nodiscard]] const std::string& version() const noexcept;
  /// "sha256:<hex>" of the canonical content (concepts and rules sorted by id, keys sorted).
  [[nodiscard]] const std::string& digest() const noexcept;
  [[nodiscard]] const std::vector<Rule>& rules() const noexcept;
  [[nodiscard]] const Ontology& ontology() const noexcept;
  /// `defaults.goals`.
  [[nodiscard]] const std::vector<std::string>& default_goals() const noexcept;
  /// `defaults.review_pressure_max`: the pressure every modality is capped at when some input
  /// could not be read (status `review`); `light` unless the rule set says otherwise.
  [[nodiscard]] Pressure review_pressure_max() const noexcept;
  /// The patient fields beyond the standard ones that the rule set declares under `inputs`.
  [[nodiscard]] const std::vector<InputField>& inputs() const noexcept;
  /// Non-fatal diagnostics found while loading (warnings).
  [[nodiscard]] const std::vector<Diagnostic>& warnings() const noexcept;
  /// The files read, in load order.
  [[nodiscard]] const std::vector<std::string>& files() const noexcept;
  /// Where the value at `pointer` of `file` stands (for explanations).
  [[nodiscard]] SourceLocation locate(const std::string& file, const std::string& pointer) const;
  /// The canonical content the digest is computed from.
  [[nodiscard]] const nlohmann::json& canonical() const noexcept;
  /// The rule sets this one was stacked from, bottom first (one for a single path or text).
  /// name() and version() are the top layer's. A pickled stack comes back as one layer.
  [[nodiscard]] const std::vector<RuleSetLayer>& layers() const noexcept;
  /// The `lint` acknowledgements written in the rule files.
  [[nodiscard]] const std::vector<LintAcceptance>& lint_acceptances() const noexcept;

 private:
  // The compiled form is not API: only the Engine reads it.
  friend class Engine;
  [[nodiscard]] const detail::CompiledRuleSet& compiled() const noexcept { return *impl_; }

  explicit RuleSet(std::shared_ptr<const detail::CompiledRuleSet> impl) : impl_(std::move(impl)) {}
  friend struct detail::CompiledRuleSet;
  std::shared_ptr<const detail::CompiledRuleSet> impl_;
};

/// The result of RuleSet::try_load: a rule set, or the diagnostics that prevent one (errors
/// first); warnings may accompany a rule set.
struct KNEAD_API LoadResult {
  std::optional<RuleSet> rule_set;
  std::vector<Diagnostic> diagnostics;
  [[nodiscard]] bool ok() const noexcept { return rule_set.has_value(); }
};

}  // namespace knead
