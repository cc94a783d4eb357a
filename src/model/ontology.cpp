#include <knead/ontology.hpp>

#include <knead/suggest.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <unordered_map>

namespace knead {

struct Ontology::Impl {
  struct Kind {
    std::vector<Concept> concepts;                               // sorted by id
    std::unordered_map<std::string, Index> by_id;
    std::vector<std::vector<Index>> closure;                     // self and ancestors, sorted
    std::map<std::pair<std::string, std::string>, Index> by_code;  // (system, code)
    std::vector<std::string> ids;
  };
  std::array<Kind, std::size(all_concept_kinds)> kinds;
  const Kind& of(ConceptKind k) const { return kinds[static_cast<std::size_t>(k)]; }
};

Ontology::Ontology() : impl_(std::make_shared<Impl>()) {}

Ontology::Ontology(std::vector<Concept> concepts) {
  auto impl = std::make_shared<Impl>();
  for (auto& c : concepts) impl->kinds[static_cast<std::size_t>(c.kind)].concepts.push_back(std::move(c));
  for (auto& kind : impl->kinds) {
    std::sort(kind.concepts.begin(), kind.concepts.end(),
              [](const Concept& a, const Concept& b) { return a.id < b.id; });
    for (Index i = 0; i < kind.concepts.size(); ++i) {
      kind.by_id.emplace(kind.concepts[i].id, i);
      kind.ids.push_back(kind.concepts[i].id);
      for (const auto& [system, codes] : kind.concepts[i].codes) {
        for (const auto& code : codes) kind.by_code.emplace(std::make_pair(system, code), i);
      }
    }
    // Ancestor closure by iterative DFS over is_a; the checker guarantees the graph is acyclic.
    kind.closure.resize(kind.concepts.size());
    for (Index i = 0; i < kind.concepts.size(); ++i) {
      std::vector<Index> stack{i};
      std::vector<bool> seen(kind.concepts.size(), false);
      while (!stack.empty()) {
        const Index at = stack.back();
        stack.pop_back();
        if (seen[at]) continue;
        seen[at] = true;
        kind.closure[i].push_back(at);
        for (const auto& parent : kind.concepts[at].is_a) {
          auto it = kind.by_id.find(parent);
          if (it != kind.by_id.end()) stack.push_back(it->second);
        }
      }
      std::sort(kind.closure[i].begin(), kind.closure[i].end());
    }
  }
  impl_ = std::move(impl);
}

std::size_t Ontology::size(ConceptKind kind) const noexcept { return impl_->of(kind).concepts.size(); }

const Concept* Ontology::find(ConceptKind kind, std::string_view id) const noexcept {
  auto i = index(kind, id);
  return i ? &impl_->of(kind).concepts[*i] : nullptr;
}

std::optional<Ontology::Index> Ontology::index(ConceptKind kind, std::string_view id) const noexcept {
  const auto& k = impl_->of(kind);
  auto it = k.by_id.find(std::string(id));
  if (it == k.by_id.end()) return std::nullopt;
  return it->second;
}

const Concept& Ontology::at(ConceptKind kind, Index index) const { return impl_->of(kind).concepts.at(index); }

const Concept* Ontology::find_code(ConceptKind kind, std::string_view system, std::string_view code) const noexcept {
  const auto& k = impl_->of(kind);
  auto it = k.by_code.find(std::make_pair(std::string(system), std::string(code)));
  return it == k.by_code.end() ? nullptr : &k.concepts[it->second];
}

const std::vector<Ontology::Index>& Ontology::self_and_ancestors(ConceptKind kind, Index index) const {
  return impl_->of(kind).closure.at(index);
}

bool Ontology::is_a(ConceptKind kind, Index index, Index ancestor) const {
  const auto& c = self_and_ancestors(kind, index);
  return std::binary_search(c.begin(), c.end(), ancestor);
}

const std::vector<Concept>& Ontology::concepts(ConceptKind kind) const noexcept { return impl_->of(kind).concepts; }

std::string Ontology::nearest(ConceptKind kind, std::string_view id) const {
  return knead::nearest(id, impl_->of(kind).ids);
}

}  // namespace knead
