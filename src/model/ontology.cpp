#include <knead/ontology.hpp>

#include <knead/suggest.hpp>

#include <knead/code_system.hpp>
#include <knead/matching.hpp>

#include "util/remembered.hpp"
#include "util/text_table.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <unordered_map>

namespace knead {

struct Ontology::Impl {
  struct Kind {
    std::vector<Concept> concepts;                               // sorted by id
    detail::TextTable<Index> by_id;                              // the concepts' ids
    std::vector<std::vector<Index>> closure;                     // self and ancestors, sorted
    std::unordered_map<std::string, Index> by_code;              // "system|normalized code"
    std::unordered_map<std::string, Index> by_branch;            // "system|normalized prefix"
    std::size_t longest_branch = 0;
    detail::TextTable<NameMatch> by_name;  // normalized id, synonym or label
    std::vector<std::string> ids;
    // Every synonym normalized, and who claims it: "did you mean" searches them when no id is
    // close, once per unknown name, so they are normalized once here.
    std::vector<std::string> synonym_names;
    std::vector<SynonymMatch> synonym_owners;
  };
  std::array<Kind, std::size(all_concept_kinds)> kinds;
  const Kind& of(ConceptKind k) const { return kinds[static_cast<std::size_t>(k)]; }

  // "Did you mean" searches every id and synonym of a kind: answers are remembered per kind
  // and name ("condition|fibromyalga").
  static std::string memo_key(ConceptKind kind, std::string_view name) {
    std::string key(to_string(kind));
    key += '|';
    key += name;
    return key;
  }
  detail::Remembered<std::string> nearest_ids;
  detail::Remembered<std::optional<SynonymMatch>> nearest_synonyms;
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
        const std::string canonical(canonical_code_system(system));
        for (const auto& code : codes) {
          if (!code.empty() && code.back() == '*') {
            std::string prefix = normalize_code(canonical, std::string_view(code).substr(0, code.size() - 1));
            kind.longest_branch = std::max(kind.longest_branch, prefix.size());
            kind.by_branch.emplace(canonical + "|" + prefix, i);
          } else {
            kind.by_code.emplace(canonical + "|" + normalize_code(canonical, code), i);
          }
        }
      }
    }
    // Names: ids and synonyms (the checker rejects one claimed by two concepts), then labels
    // where the words are nobody else's.
    for (Index i = 0; i < kind.concepts.size(); ++i) {
      kind.by_name.emplace(normalize_name(kind.concepts[i].id), NameMatch{i, MatchedBy::name});
    }
    for (Index i = 0; i < kind.concepts.size(); ++i) {
      for (const auto& s : kind.concepts[i].synonyms) {
        kind.by_name.emplace(normalize_name(s), NameMatch{i, MatchedBy::synonym});
        kind.synonym_names.push_back(normalize_name(s));
        kind.synonym_owners.push_back(SynonymMatch{i, &s});
      }
    }
    std::unordered_map<std::string, std::size_t> label_count;
    for (const auto& c : kind.concepts) ++label_count[normalize_name(c.label)];
    for (Index i = 0; i < kind.concepts.size(); ++i) {
      const std::string label = normalize_name(kind.concepts[i].label);
      if (!label.empty() && label_count[label] == 1) kind.by_name.emplace(label, NameMatch{i, MatchedBy::label});
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
          if (const Index* p = kind.by_id.find(parent)) stack.push_back(*p);
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
  // Every name in a record is tried as an id first: one hash lookup, no copy of `id`.
  const auto& k = impl_->of(kind);
  const Index* i = k.by_id.find(id);
  if (i == nullptr) return std::nullopt;
  return *i;
}

const Concept& Ontology::at(ConceptKind kind, Index index) const { return impl_->of(kind).concepts.at(index); }

const Concept* Ontology::find_code(ConceptKind kind, std::string_view system, std::string_view code) const noexcept {
  try {
    auto m = match_code(kind, system, code);
    return m ? &impl_->of(kind).concepts[m->index] : nullptr;
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

std::optional<Ontology::CodeMatch> Ontology::match_code(ConceptKind kind, std::string_view system, std::string_view code) const {
  const std::string_view canonical = canonical_code_system(system);
  if (canonical.empty()) return std::nullopt;
  const auto& k = impl_->of(kind);
  std::string key(canonical);
  key += '|';
  const std::size_t base = key.size();
  key += normalize_code(canonical, code);
  if (auto it = k.by_code.find(key); it != k.by_code.end()) return CodeMatch{it->second, false};
  // The most specific branch claim: the longest prefix claimed.
  for (std::size_t len = std::min(key.size() - base, k.longest_branch) + 1; len-- > 0;) {
    if (auto it = k.by_branch.find(key.substr(0, base + len)); it != k.by_branch.end()) return CodeMatch{it->second, true};
  }
  return std::nullopt;
}

std::optional<Ontology::NameMatch> Ontology::match_name(ConceptKind kind, std::string_view text) const {
  if (auto i = index(kind, text)) return NameMatch{*i, MatchedBy::id};
  return match_normalized(kind, normalize_name(text));
}

std::optional<Ontology::NameMatch> Ontology::match_normalized(ConceptKind kind, const std::string& normalized) const {
  const auto& k = impl_->of(kind);
  const NameMatch* m = k.by_name.find(normalized);
  if (m == nullptr) return std::nullopt;
  return *m;
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
  return impl_->nearest_ids.get(Impl::memo_key(kind, id), [&] { return knead::nearest(id, impl_->of(kind).ids); });
}

std::optional<Ontology::SynonymMatch> Ontology::nearest_synonym(ConceptKind kind, std::string_view normalized) const {
  const auto& k = impl_->of(kind);
  return impl_->nearest_synonyms.get(Impl::memo_key(kind, normalized), [&]() -> std::optional<SynonymMatch> {
    const std::string word = knead::nearest(normalized, k.synonym_names);
    if (word.empty()) return std::nullopt;
    for (std::size_t i = 0; i < k.synonym_names.size(); ++i) {
      if (k.synonym_names[i] == word) return k.synonym_owners[i];
    }
    return std::nullopt;
  });
}

}  // namespace knead
