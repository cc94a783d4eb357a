#pragma once
// Overlays: rule sets stacked on one another (a clinic's own rules over the shipped default).
// Later layers add concepts and rules; they take a rule of an earlier layer away only by saying
// so: a rule with `"replaces": "id"`, or a file with `"disable": ["id", ...]`. Any other rule id
// met twice stays a duplicate, as within one rule set.

#include "load/loader.hpp"

#include <knead/layer.hpp>

#include <map>
#include <string>
#include <vector>

namespace knead::detail {

/// What the checker needs to know about the layers of a stack.
struct OverlayPlan {
  std::vector<std::size_t> layer_of;              ///< layer of each document, parallel to the documents
  std::map<std::string, std::size_t> removed;     ///< rule id -> the layer that replaces or disables it
  std::vector<RuleSetLayer> layers;               ///< name, version, digest and path of each layer
};

/// The loaded files of every layer, in layer order.
struct LoadedLayers {
  LoadedFiles files;   ///< every layer's documents, one after the other, and their diagnostics
  OverlayPlan plan;
};

/// Reads each path as a layer, checks every `replaces` and `disable` against the rules of the
/// layers beneath (an unknown id is an error suggesting the nearest), and plans which rules the
/// stack drops. Never throws for problems in the files.
[[nodiscard]] LoadedLayers load_layers(const std::vector<std::filesystem::path>& paths, const ParseLimits& limits,
                                       bool includes_anywhere = false);

}  // namespace knead::detail
