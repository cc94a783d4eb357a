#pragma once
/// \file
/// One layer of a rule set: a rule set loaded on top of others (a clinic's own rules over the
/// shipped default), named in every result so that an audit can tell which layers decided.

#include <knead/export.hpp>
#include <knead/shared_list.hpp>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <utility>
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

/// A result's list of layers. Every result of a rule set names the same layers, so the list
/// refers to the rule set's own instead of copying it for every patient (the Recommendation
/// that holds it keeps its rule set alive, as it does for its Texts); a list made or copied
/// elsewhere is its own. It reads like a `const std::vector<RuleSetLayer>`: iterate it, index
/// it, or use it where such a vector is expected. Copying it makes a list of its own, which
/// outlives everything.
class KNEAD_API RuleSetLayers : public SharedList<RuleSetLayer> {
 public:
  RuleSetLayers() = default;
  using SharedList::SharedList;  // from a vector of layers, or a braced list

  /// A list that refers to `layers`, which must outlive it (a rule set's own).
  [[nodiscard]] static RuleSetLayers borrow(const std::vector<RuleSetLayer>& layers) noexcept {
    RuleSetLayers list;
    list.refer_to(layers.data(), layers.data() + layers.size());
    list.borrowed_ = &layers;
    return list;
  }

  RuleSetLayers(const RuleSetLayers& other) : SharedList(other) {}  // its own copy: refers to nothing
  RuleSetLayers(RuleSetLayers&& other) noexcept = default;
  RuleSetLayers& operator=(const RuleSetLayers& other) {
    if (this != &other) *this = RuleSetLayers(other);
    return *this;
  }
  RuleSetLayers& operator=(RuleSetLayers&& other) noexcept = default;
  ~RuleSetLayers() = default;

  /// The layers, as a vector (the rule set's, or its own).
  [[nodiscard]] const std::vector<RuleSetLayer>& list() const noexcept {
    return borrowed_ != nullptr ? *borrowed_ : own_list();
  }
  operator const std::vector<RuleSetLayer>&() const noexcept { return list(); }  // NOLINT(google-explicit-constructor)

 private:
  // Read-only: list() answers with the vector referred to, which editing would leave behind.
  using SharedList::clear;
  using SharedList::push_back;
  using SharedList::reserve;

  // The vector referred to, for list(); null when the list is its own.
  const std::vector<RuleSetLayer>* borrowed_ = nullptr;
};

}  // namespace knead
