#pragma once
/// \file
/// One layer of a rule set: a rule set loaded on top of others (a clinic's own rules over the
/// shipped default), named in every result so that an audit can tell which layers decided.

#include <knead/export.hpp>

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
class KNEAD_API RuleSetLayers {
 public:
  using value_type = RuleSetLayer;
  using size_type = std::size_t;
  using const_iterator = const RuleSetLayer*;
  using iterator = const RuleSetLayer*;
  using const_reference = const RuleSetLayer&;
  using reference = const RuleSetLayer&;

  RuleSetLayers() = default;
  // NOLINTNEXTLINE(google-explicit-constructor): reads as a vector
  RuleSetLayers(std::vector<RuleSetLayer> layers) noexcept : own_(std::move(layers)) {}
  RuleSetLayers(std::initializer_list<RuleSetLayer> layers) : own_(layers) {}

  /// A list that refers to `layers`, which must outlive it (a rule set's own).
  [[nodiscard]] static RuleSetLayers borrow(const std::vector<RuleSetLayer>& layers) noexcept {
    RuleSetLayers list;
    list.borrowed_ = &layers;
    return list;
  }

  RuleSetLayers(const RuleSetLayers& other) : own_(other.list()) {}
  RuleSetLayers(RuleSetLayers&& other) noexcept = default;
  RuleSetLayers& operator=(const RuleSetLayers& other) {
    if (this != &other) *this = RuleSetLayers(other);
    return *this;
  }
  RuleSetLayers& operator=(RuleSetLayers&& other) noexcept = default;
  ~RuleSetLayers() = default;

  /// The layers, as a vector (the rule set's, or its own).
  [[nodiscard]] const std::vector<RuleSetLayer>& list() const noexcept {
    return borrowed_ != nullptr ? *borrowed_ : own_;
  }
  operator const std::vector<RuleSetLayer>&() const noexcept { return list(); }  // NOLINT(google-explicit-constructor)

  [[nodiscard]] const RuleSetLayer* begin() const noexcept { return list().data(); }
  [[nodiscard]] const RuleSetLayer* end() const noexcept { return list().data() + list().size(); }
  [[nodiscard]] std::size_t size() const noexcept { return list().size(); }
  [[nodiscard]] bool empty() const noexcept { return list().empty(); }
  [[nodiscard]] const RuleSetLayer& operator[](std::size_t i) const noexcept { return list()[i]; }
  [[nodiscard]] const RuleSetLayer& front() const noexcept { return list().front(); }
  [[nodiscard]] const RuleSetLayer& back() const noexcept { return list().back(); }
  /// Whether it refers to a list it does not own.
  [[nodiscard]] bool borrowed() const noexcept { return borrowed_ != nullptr; }

 private:
  const std::vector<RuleSetLayer>* borrowed_ = nullptr;  // the rule set's list, or null for own_
  std::vector<RuleSetLayer> own_;
};

}  // namespace knead
