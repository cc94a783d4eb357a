#pragma once
/// \file
/// One layer of a rule set: a rule set loaded on top of others (a clinic's own rules over the
/// shipped default), named in every result so that an audit can tell which layers decided.

#include <string>
#include <vector>

namespace knead {

/// A rule set given to RuleSet::load as one of a list of paths; later layers overlay earlier
/// ones.
struct RuleSetLayer {
  std::string name;      ///< its `ruleset` name ("unnamed" when it gives none)
  std::string version;   ///< its `version` ("0.0.0" when it gives none)
  /// "sha256:<hex>": in a stack, of this layer's own files (in load order, keys sorted); for a
  /// rule set of one layer, the rule set's digest.
  std::string digest;
  std::string path;      ///< the path it was loaded from
};

}  // namespace knead
