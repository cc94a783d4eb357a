#include "logic/clause_index.hpp"

#include "logic/sharing.hpp"

#include <algorithm>
#include <cstring>

namespace knead::logic::detail {

namespace {

// Texts are short words; hashing their length and first and last eight bytes is enough to
// spread them, and far cheaper than hashing every byte. Collisions only cost a comparison.
std::uint64_t text_hash(std::string_view s) noexcept {
  std::uint64_t head = 0;
  std::uint64_t tail = 0;
  const std::size_t n = s.size();
  if (n >= 8) {
    std::memcpy(&head, s.data(), 8);
    std::memcpy(&tail, s.data() + n - 8, 8);
  } else {
    std::memcpy(&head, s.data(), n);
  }
  const std::uint64_t h = (head * 0x9E3779B97F4A7C15ULL) ^ ((tail + n) * 0xC2B2AE3D27D4EB4FULL);
  return h ^ (h >> 31);
}

std::uint8_t byte_of(bool truth) noexcept { return truth ? SharedNode::kTrue : SharedNode::kFalse; }

}  // namespace

std::optional<StringClause> string_clause(const Node& node) {
  if (auto clause = string_in_clause(node)) return clause;
  if (auto clause = string_equality_clause(node)) return clause;
  return string_quantifier_clause(node);
}

void ClauseIndex::add(std::uint32_t slot, StringClause clause) {
  const bool array = clause.kind != StringClause::Kind::equals;
  auto group = std::find_if(groups_.begin(), groups_.end(), [&](const Group& g) {
    return g.array == array && g.read->path.same_as(clause.read->path);
  });
  if (group == groups_.end()) {
    groups_.emplace_back();
    group = groups_.end() - 1;
    group->array = array;
    group->read = clause.read;
  }
  const auto index = static_cast<std::uint32_t>(group->clauses.size());
  group->clauses.push_back(Clause{slot, clause.kind, clause.negated});
  std::sort(clause.texts.begin(), clause.texts.end());
  clause.texts.erase(std::unique(clause.texts.begin(), clause.texts.end()), clause.texts.end());
  for (const std::string_view text : clause.texts) group->pending.emplace_back(text, index);
  widest_ = std::max(widest_, group->clauses.size());
  ++clauses_;
}

void ClauseIndex::add(std::uint32_t slot, NumberClause clause) {
  auto group = std::find_if(number_groups_.begin(), number_groups_.end(),
                            [&](const NumberGroup& g) { return g.read->path.same_as(clause.read->path); });
  if (group == number_groups_.end()) {
    number_groups_.push_back(NumberGroup{clause.read, {}});
    group = number_groups_.end() - 1;
  }
  group->clauses.emplace_back(slot, std::move(clause));
  ++clauses_;
}

void ClauseIndex::finish(std::uint64_t max_work) {
  max_items_ = max_work / 8;
  for (Group& g : groups_) {
    std::sort(g.pending.begin(), g.pending.end());
    for (const auto& [text, clause] : g.pending) {
      if (g.texts.empty() || g.texts.back() != text) {
        g.texts.push_back(text);
        g.first.push_back(static_cast<std::uint32_t>(g.of_text.size()));
      }
      g.of_text.push_back(clause);
    }
    g.first.push_back(static_cast<std::uint32_t>(g.of_text.size()));
    g.pending.clear();
    g.pending.shrink_to_fit();
    std::size_t capacity = 4;
    while (capacity < 2 * g.texts.size()) capacity *= 2;
    g.table.assign(capacity, 0);
    for (std::uint32_t i = 0; i < g.texts.size(); ++i) {
      std::size_t at = text_hash(g.texts[i]) & (capacity - 1);
      while (g.table[at] != 0) at = (at + 1) & (capacity - 1);
      g.table[at] = i + 1;
    }
  }
}

std::uint32_t ClauseIndex::Group::find(std::string_view text) const noexcept {
  const std::size_t mask = table.size() - 1;
  for (std::size_t at = text_hash(text) & mask;; at = (at + 1) & mask) {
    const std::uint32_t i = table[at];
    if (i == 0 || same_string(texts[i - 1], text)) return i;
  }
}

void ClauseIndex::decide(const nlohmann::json& data, std::uint8_t* memo) const {
  // How many elements of the array each clause's texts hold (one thread's scratch, reused).
  thread_local std::vector<std::uint32_t> hits;
  hits.resize(widest_);
  for (const Group& g : groups_) {
    const nlohmann::json* value = g.read->path.find(data);
    if (value == nullptr) continue;
    std::fill(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(g.clauses.size()), 0U);
    std::size_t count = 1;
    if (g.array) {
      const auto* items = value->get_ptr<const nlohmann::json::array_t*>();
      if (items == nullptr || items->size() > max_items_) continue;
      count = items->size();
      for (const auto& item : *items) {
        const auto* s = item.get_ptr<const std::string*>();
        if (s == nullptr) continue;  // strict equality: no other type equals a text
        if (const std::uint32_t i = g.find(*s)) {
          for (std::uint32_t k = g.first[i - 1]; k < g.first[i]; ++k) ++hits[g.of_text[k]];
        }
      }
    } else {
      const auto* s = value->get_ptr<const std::string*>();
      if (s == nullptr) continue;
      if (const std::uint32_t i = g.find(*s)) {
        for (std::uint32_t k = g.first[i - 1]; k < g.first[i]; ++k) ++hits[g.of_text[k]];
      }
    }
    for (std::size_t c = 0; c < g.clauses.size(); ++c) {
      const Clause& clause = g.clauses[c];
      bool truth = false;
      switch (clause.kind) {
        case StringClause::Kind::some:
        case StringClause::Kind::equals: truth = hits[c] != 0; break;
        case StringClause::Kind::none: truth = hits[c] == 0; break;
        case StringClause::Kind::all: truth = count != 0 && hits[c] == count; break;
      }
      memo[clause.slot] = byte_of(truth != clause.negated);
    }
  }
  for (const NumberGroup& g : number_groups_) {
    const nlohmann::json* value = g.read->path.find(data);
    if (value == nullptr || !value->is_number()) continue;
    for (const auto& [slot, clause] : g.clauses) memo[slot] = byte_of(clause.holds(*value));
  }
}

}  // namespace knead::logic::detail
