#include "resolve/resolve.hpp"

#include "resolve/by_concept.hpp"
#include "util/byte_flags.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace knead::detail {
namespace {

using Index = Ontology::Index;

// The rule set's strings go into the result by reference (see Text): the Recommendation keeps
// the rule set alive.
Text ref(const std::string& s) noexcept { return Text::borrow(s); }

struct Veto {
  std::size_t rule;
  const std::string* reason;
};
struct CautionHit {
  std::size_t rule;
  const Avoid* avoid;
  Index target;
};
struct Contribution {
  std::size_t rule;
  std::size_t at;  // the entry's place in the rule's recommend (or self_care) list
  const Recommend* entry = nullptr;
  const SelfCare* item = nullptr;
};

// An item that stays, with what orders it: its order is known before it is built, so each
// item is built in its place in the result and never moved.
struct Placed {
  Index index;
  Range<Contribution> contributions;
  double score;
  int top_priority;  // of its highest-priority rule
};
// An item listed as excluded. Gathered while resolving and built once at the end, in id order,
// in its place in the result.
struct Exclusion {
  ConceptKind kind;
  Index index;
  const std::string* reason;  // the top veto's reason, or null when the patient declined it
  Index declined;             // what the patient declined (the item or an ancestor), when declined
  TextList because;           // the vetoing rules (none when declined)
};
// A fired rule's question: the rule's own, or one made for this patient (where a finding is).
struct Asked {
  std::size_t rule;
  Text fact;
  Text question;
};

// What one resolve gathers from the fired rules. Kept per thread and cleared, not freed,
// between patients: a batch resolves patient after patient without allocating these again.
struct Hits {
  ByConcept<Contribution> modality_contrib;
  ByConcept<Contribution> self_care_contrib;
  ByConcept<Veto> modality_vetoes;
  ByConcept<Veto> self_care_vetoes;
  std::vector<CautionHit> modality_cautions;
  std::vector<CautionHit> self_care_cautions;
  ByConcept<CautionHit> region_hits;
  std::vector<std::pair<std::size_t, const Referral*>> referral_hits;
  std::vector<std::size_t> plans;
  std::vector<std::size_t> fired;  // fired rules, in rule-set order
  std::vector<std::size_t> ids;    // rules of one item
  std::vector<Veto> found;         // vetoes of one item
  std::vector<CautionHit> all_cautions;  // resolve_cautions
  std::vector<Placed> placed;            // items that stay, in their order
  std::vector<Asked> asks;               // fired questions
  std::vector<Exclusion> exclusions;     // items excluded, in the order found
  std::vector<const Text*> texts;        // a list to look up in RuleTexts
  std::vector<CautionKey> caution_keys;  // the cautions of one item, or of the result
  std::vector<CautionKey> region_caps;   // region cautions where the pain is: every modality's
  std::vector<std::uintptr_t> key;       // what decides the self-care list

  static Hits& cleared_for_this_thread() {
    thread_local Hits hits;
    hits.modality_contrib.clear();
    hits.self_care_contrib.clear();
    hits.modality_vetoes.clear();
    hits.self_care_vetoes.clear();
    hits.modality_cautions.clear();
    hits.self_care_cautions.clear();
    hits.region_hits.clear();
    hits.referral_hits.clear();
    hits.plans.clear();
    hits.fired.clear();
    hits.ids.clear();
    hits.found.clear();
    hits.all_cautions.clear();
    hits.placed.clear();
    hits.asks.clear();
    hits.exclusions.clear();
    hits.region_caps.clear();
    return hits;
  }
};

class Resolver {
 public:
  Resolver(const CompiledRuleSet& rules, const Patient& patient, Evaluation& ev, Recommendation& out)
      : rules_(rules), ontology_(rules.ontology), patient_(patient), ev_(ev), rec_(out) {}

  void run() {
    rec_.patient = patient_.id();
    rec_.ruleset_name = ref(rules_.name);
    rec_.ruleset_version = ref(rules_.version);
    rec_.ruleset_digest = ref(rules_.digest);
    rec_.ruleset_layers = RuleSetLayers::borrow(rules_.layers);
    rec_.warnings = std::move(ev_.patient.warnings);
    rec_.interpreted = std::move(ev_.patient.interpreted);
    rec_.unresolved = std::move(ev_.patient.unresolved);
    rec_.errors = std::move(ev_.errors);
    rec_.trace = std::move(ev_.trace);
    std::vector<std::size_t>& fired = hits_.fired;
    fired_rules(fired);
    rec_.fired.reserve(fired.size());
    for (auto i : fired) {
      rec_.fired.push_back(ref(rules_.rules[i].id));
      collect(i);
    }
    modality_contrib_.seal();
    self_care_contrib_.seal();
    modality_vetoes_.seal();
    self_care_vetoes_.seal();
    region_hits_.seal();
    resolve_referrals();
    if (ev_.fail_closed) {
      rec_.status = Status::error;
      rec_.warnings.push_back("a rule that can veto or refer failed to evaluate; nothing is recommended");
    } else if (!rec_.referrals.empty() && stops_treatment(rec_.referrals.front().urgency)) {
      rec_.status = Status::refer;
    } else if (!rec_.unresolved.empty()) {
      rec_.status = Status::review;
    }
    resolve_modalities();
    resolve_self_care();
    resolve_regions();
    resolve_cautions();
    resolve_questions();
    if (!rec_.unresolved.empty()) cap_for_review();
    const bool treats = rec_.status == Status::ok || rec_.status == Status::review;
    if (treats && !rec_.modalities.empty()) resolve_plan();
    if (!treats) {
      rec_.modalities.clear();
      rec_.self_care.clear();
    }
    build_excluded();
  }

 private:
  const Rule& rule(std::size_t i) const { return rules_.rules[i]; }

  // The fired rules, in rule-set order (a patient fires a few of a set's rules).
  void fired_rules(std::vector<std::size_t>& out) const {
    const char* flags = ev_.fired.data();
    for_each_flag(
        std::min(ev_.fired.size(), rules_.rules.size()), [&](std::size_t base) { return flag_word(flags + base); },
        [&](std::size_t i) { return flags[i] != 0; }, [&](std::size_t i) { out.push_back(i); });
  }

  // Higher priority first, then id: the order of every `because` list.
  bool before(std::size_t a, std::size_t b) const { return rules_.rank[a] < rules_.rank[b]; }
  void sort_rules(std::vector<std::size_t>& ids) const {
    if (ids.size() < 2) return;  // most items come from one rule
    std::sort(ids.begin(), ids.end(), [&](std::size_t a, std::size_t b) { return before(a, b); });
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  // The ids of these rules, in this order (sorted by sort_rules, unless said otherwise): a list
  // the rule set holds (see RuleTexts).
  TextList rule_ids(const std::vector<std::size_t>& ids) const {
    if (ids.size() == 1) return rules_.texts.id_list(ids.front());
    std::vector<const Text*>& texts = hits_.texts;
    texts.clear();
    for (auto i : ids) texts.push_back(&rules_.texts.id(i));
    return rules_.texts.list(texts);
  }

  // A contribution's note, the rule set's Text.
  const Text& note_of(const Contribution& c) const {
    return c.entry != nullptr ? rules_.texts.recommend_note(c.rule, c.at) : rules_.texts.self_care_note(c.rule, c.at);
  }

  // The notes of an item's contributions, in the order of `ids` (its rules, sorted): a list the
  // rule set holds (see RuleTexts).
  TextList notes(const std::vector<std::size_t>& ids, Range<Contribution> contributions) const {
    const Contribution* only = nullptr;
    std::size_t n = 0;
    for (const auto& c : contributions) {
      if (!note_of(c).empty()) only = &c, ++n;
    }
    if (n == 0) return {};
    if (n == 1) return RuleTexts::one(note_of(*only));
    std::vector<const Text*>& texts = hits_.texts;
    texts.clear();
    for (auto i : ids) {
      for (const auto& c : contributions) {
        if (c.rule == i && !note_of(c).empty()) texts.push_back(&note_of(c));
      }
    }
    return rules_.texts.list(texts);
  }

  void collect(std::size_t i) {
    const Rule& r = rule(i);
    const CompiledRule& c = rules_.compiled[i];
    for (std::size_t j = 0; j < r.recommend.size(); ++j)
      modality_contrib_.add(c.recommend[j], {i, j, &r.recommend[j], nullptr});
    for (std::size_t j = 0; j < r.self_care.size(); ++j)
      self_care_contrib_.add(c.self_care[j], {i, j, nullptr, &r.self_care[j]});
    for (std::size_t j = 0; j < r.avoid.size(); ++j) {
      const Avoid& a = r.avoid[j];
      const ConceptRef& target = c.avoid[j];
      switch (a.target) {
        case AvoidTarget::modality:
        case AvoidTarget::self_care: {
          auto& vetoes = a.target == AvoidTarget::modality ? modality_vetoes_ : self_care_vetoes_;
          auto& cautions = a.target == AvoidTarget::modality ? modality_cautions_ : self_care_cautions_;
          if (a.level == AvoidLevel::contraindicated)
            vetoes.add(target.index, {i, &a.reason});
          else cautions.push_back({i, &a, target.index});
          break;
        }
        case AvoidTarget::region: region_hits_.add(target.index, {i, &a, target.index}); break;
        case AvoidTarget::finding_sites: {
          bool any_site = false;
          for (const auto& [finding, sites] : ev_.patient.finding_sites) {
            if (!ontology_.is_a(ConceptKind::finding, finding, target.index)) continue;
            for (auto site : sites) region_hits_.add(site, {i, &a, site}), any_site = true;
          }
          // Only a finding the patient has can lack sites; warn so the therapist asks where.
          if (!any_site && ev_.patient.has(ConceptKind::finding, target.index)) {
            rec_.warnings.push_back("rule '" + r.id + "': the record gives no sites for '" + a.id +
                                    "'; ask where, and avoid that area");
            const Concept& finding = ontology_.at(ConceptKind::finding, target.index);
            asks_.push_back({i, Text("sites." + finding.id),
                             Text("Where is it (" + finding.label + ")? That area is to be avoided.")});
          }
          break;
        }
      }
    }
    for (const auto& ref : r.refer) referral_hits_.emplace_back(i, &ref);
    for (const auto& ask : r.ask) asks_.push_back({i, ref(ask.fact), ref(ask.question)});
    if (r.plan) plans_.push_back(i);
  }

  // Rules that veto `index` directly or through one of its ancestors (in a list reused per item).
  Range<Veto> vetoes_of(ConceptKind kind, Index index, const ByConcept<Veto>& vetoes) {
    std::vector<Veto>& out = hits_.found;
    out.clear();
    if (vetoes.groups().empty()) return {};  // most patients' rules veto nothing of this kind
    for (auto a : ontology_.self_and_ancestors(kind, index)) {
      const Range<Veto> found = vetoes.find(a);
      out.insert(out.end(), found.begin(), found.end());
    }
    return Range<Veto>(out);
  }

  // Whether an item with this one's id is already listed as excluded.
  bool listed_as_excluded(ConceptKind kind, Index index) const {
    for (const auto& x : exclusions_) {
      if (x.kind == kind ? x.index == index : ontology_.at(x.kind, x.index).id == ontology_.at(kind, index).id)
        return true;
    }
    return false;
  }

  void exclude(ConceptKind kind, Index index, Range<Veto> vetoes) {
    if (listed_as_excluded(kind, index)) return;
    std::vector<std::size_t>& ids = hits_.ids;
    ids.clear();
    for (const auto& v : vetoes) ids.push_back(v.rule);
    sort_rules(ids);
    const Veto& top = *std::find_if(vetoes.begin(), vetoes.end(), [&](const Veto& v) { return v.rule == ids.front(); });
    exclusions_.push_back(Exclusion{kind, index, top.reason, 0, rule_ids(ids)});
  }

  bool declined(ConceptKind kind, Index index, const std::vector<Index>& declined_list, Index& which) const {
    for (auto d : declined_list) {
      if (ontology_.is_a(kind, index, d)) {
        which = d;
        return true;
      }
    }
    return false;
  }

  void exclude_declined(ConceptKind kind, Index index, Index which) {
    if (listed_as_excluded(kind, index)) return;
    exclusions_.push_back(Exclusion{kind, index, nullptr, which, {}});
  }

  // The excluded items, by id, each built in its place.
  void build_excluded() {
    std::sort(exclusions_.begin(), exclusions_.end(), [&](const Exclusion& a, const Exclusion& b) {
      // A kind's concepts are numbered in the order of their ids.
      if (a.kind == b.kind) return a.index < b.index;
      return ontology_.at(a.kind, a.index).id < ontology_.at(b.kind, b.index).id;
    });
    rec_.excluded.reserve(exclusions_.size());
    for (auto& x : exclusions_) {
      const Concept& c = ontology_.at(x.kind, x.index);
      ExcludedItem& e = rec_.excluded.emplace_back();
      e.id = ref(c.id);
      e.label = ref(c.label);
      if (x.reason != nullptr) {
        e.reason = ref(*x.reason);
      } else if (x.declined == x.index) {
        static const std::string declined_by_patient = "declined by the patient";
        e.reason = ref(declined_by_patient);
      } else {
        e.reason = "declined by the patient ('" + ontology_.at(x.kind, x.declined).id + "')";
      }
      e.because = std::move(x.because);
    }
  }

  // Directly named vetoes are listed even when nothing recommended the item, each with every
  // rule that vetoes it, also through an ancestor: the reason is the top one's.
  void exclude_vetoed(ConceptKind kind, const ByConcept<Veto>& vetoes) {
    for (const auto& group : vetoes.groups()) exclude(kind, group.index, vetoes_of(kind, group.index, vetoes));
  }

  // Whether a recommended item is vetoed (by a rule on it or on one of its ancestors) or declined
  // by the patient; if so it is listed as excluded, with why.
  bool excluded(ConceptKind kind, Index index, const ByConcept<Veto>& vetoes, const std::vector<Index>& declined_list) {
    const Range<Veto> found = vetoes_of(kind, index, vetoes);
    if (!found.empty()) {
      exclude(kind, index, found);
      return true;
    }
    Index which = 0;
    if (!declined(kind, index, declined_list, which)) return false;
    exclude_declined(kind, index, which);
    return true;
  }

  // A caution of the result, naming `target` (the rule set's string).
  static CautionKey caution(const CautionHit& h, const std::string& target) { return {h.rule, h.avoid, &target}; }

  // The cautions on an item (on it or on one of its ancestors), in the list reused per item:
  // the result refers to the rule set's copy of the list (see RuleTexts).
  std::vector<CautionKey>& cautions_on(ConceptKind kind, Index index, const std::vector<CautionHit>& hits) {
    std::vector<CautionKey>& keys = hits_.caution_keys;
    keys.clear();
    for (const auto& h : hits) {
      if (ontology_.is_a(kind, index, h.target)) keys.push_back(caution(h, h.avoid->id));
    }
    return keys;
  }

  // The rules of an item's contributions, sorted (in the list reused per item).
  std::vector<std::size_t>& rules_of(Range<Contribution> contributions) {
    std::vector<std::size_t>& ids = hits_.ids;
    ids.clear();
    for (const auto& c : contributions) ids.push_back(c.rule);
    sort_rules(ids);
    return ids;
  }

  // The priority of the highest-priority rule among an item's contributions.
  int top_priority(Range<Contribution> contributions) const {
    int top = rule(contributions.begin()->rule).priority;
    for (const auto& c : contributions) top = std::max(top, rule(c.rule).priority);
    return top;
  }

  // Items in the order of the result: highest score first (self-care items all score 0), then
  // highest top priority, then id (a kind's concepts are numbered in the order of their ids).
  static void sort_placed(std::vector<Placed>& placed) {
    std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.top_priority != b.top_priority) return a.top_priority > b.top_priority;
      return a.index < b.index;
    });
  }

  void resolve_modalities() {
    const auto kind = ConceptKind::modality;
    exclude_vetoed(kind, modality_vetoes_);
    for (auto d : ev_.patient.declined_modalities) exclude_declined(kind, d, d);

    find_region_caps();
    std::vector<Placed>& placed = hits_.placed;
    placed.clear();
    for (const auto& [index, contributions] : modality_contrib_.groups()) {
      if (excluded(kind, index, modality_vetoes_, ev_.patient.declined_modalities)) continue;
      double score = 0;
      for (const auto& c : contributions) score += c.entry->weight;
      if (score > 0) placed.push_back({index, contributions, score, top_priority(contributions)});
    }
    sort_placed(placed);
    rec_.modalities.reserve(placed.size());
    for (const auto& [index, contributions, score, top_priority] : placed) {
      const std::vector<std::size_t>& ids = rules_of(contributions);
      const Concept& concept_ = ontology_.at(kind, index);
      RecommendedModality& m = rec_.modalities.emplace_back();
      m.id = ref(concept_.id);
      m.label = ref(concept_.label);
      m.score = score;
      m.duration_min = concept_.duration_min;
      m.pressure = concept_.pressure.value_or(Pressure::medium);
      // The highest-priority recommending rule that sets a pressure replaces the default; on a
      // tie the lighter pressure wins.
      std::optional<std::pair<int, Pressure>> chosen;
      for (const auto& c : contributions) {
        if (!c.entry->pressure) continue;
        std::pair<int, Pressure> candidate{rule(c.rule).priority, *c.entry->pressure};
        if (!chosen || candidate.first > chosen->first ||
            (candidate.first == chosen->first && candidate.second < chosen->second)) {
          chosen = candidate;
        }
      }
      if (chosen) m.pressure = chosen->second;
      // Its own cautions, then the region caps: each caps the pressure.
      std::vector<CautionKey>& cautions = cautions_on(kind, index, modality_cautions_);
      cautions.insert(cautions.end(), hits_.region_caps.begin(), hits_.region_caps.end());
      for (const auto& c : cautions) {
        const std::optional<Pressure>& cap = c.avoid->pressure_max;
        if (cap && *cap < m.pressure) m.pressure = *cap;
      }
      m.cautions = rules_.texts.cautions(cautions);
      if (ev_.patient.preferred_pressure && *ev_.patient.preferred_pressure < m.pressure) {
        m.pressure = *ev_.patient.preferred_pressure;
      }
      m.because = rule_ids(ids);
      m.notes = notes(ids, contributions);
    }
  }

  void resolve_self_care() {
    const auto kind = ConceptKind::self_care;
    exclude_vetoed(kind, self_care_vetoes_);
    std::vector<Placed>& placed = hits_.placed;
    placed.clear();
    for (const auto& [index, contributions] : self_care_contrib_.groups()) {
      if (excluded(kind, index, self_care_vetoes_, ev_.patient.declined_self_care)) continue;
      placed.push_back({index, contributions, 0, top_priority(contributions)});
    }
    if (placed.empty()) return;
    sort_placed(placed);
    // The items follow from those placed, the rule entries recommending each and the self-care
    // cautions fired: results with the same share the rule set's copy of the list (see
    // RuleTexts), keyed by the items' indexes and the addresses of those entries.
    std::vector<std::uintptr_t>& key = hits_.key;
    key.clear();
    for (const auto& p : placed) {
      key.push_back(p.index);
      key.push_back(p.contributions.size());
      for (const auto& c : p.contributions) key.push_back(reinterpret_cast<std::uintptr_t>(c.item));
    }
    key.push_back(~std::uintptr_t{0});  // no item's index: the cautions follow
    for (const auto& h : self_care_cautions_) key.push_back(reinterpret_cast<std::uintptr_t>(h.avoid));
    rec_.self_care = rules_.texts.self_care(bytes_of(key), [&] {
      std::vector<RecommendedSelfCare> items;
      items.reserve(placed.size());
      for (const auto& p : placed) {
        const std::vector<std::size_t>& ids = rules_of(p.contributions);
        const Concept& c = ontology_.at(kind, p.index);
        RecommendedSelfCare& s = items.emplace_back();
        s.id = ref(c.id);
        s.label = ref(c.label);
        s.instructions = ref(c.instructions);
        s.because = rule_ids(ids);
        s.notes = notes(ids, p.contributions);
        s.cautions = rules_.texts.cautions(cautions_on(kind, p.index, self_care_cautions_));
      }
      return items;
    });
  }

  void resolve_regions() {
    for (const auto& [index, hits] : region_hits_.groups()) {
      const Concept& c = ontology_.at(ConceptKind::region, index);
      std::vector<std::size_t>& ids = hits_.ids;
      ids.clear();
      AvoidLevel level = AvoidLevel::caution;
      for (const auto& h : hits) ids.push_back(h.rule), level = std::max(level, h.avoid->level);
      sort_rules(ids);
      // The reason shown comes from the highest-priority rule at the strongest level.
      const CautionHit* top = nullptr;
      for (auto i : ids) {
        for (const auto& h : hits) {
          if (h.rule == i && h.avoid->level == level && top == nullptr) top = &h;
        }
      }
      // A caution's cap on this region: the strictest of the fired ones.
      std::optional<Pressure> cap;
      if (level == AvoidLevel::caution) {
        for (const auto& h : hits) {
          if (h.avoid->pressure_max && (!cap || *h.avoid->pressure_max < *cap)) cap = h.avoid->pressure_max;
        }
      }
      rec_.avoid_regions.push_back(
          AvoidedRegion{ref(c.id), ref(c.label), level, ref(top->avoid->reason), rule_ids(ids), cap});
    }
    std::sort(rec_.avoid_regions.begin(), rec_.avoid_regions.end(), [](const AvoidedRegion& a, const AvoidedRegion& b) {
      if (a.level != b.level) return a.level > b.level;
      return a.id < b.id;
    });
  }

  // A region caution limits that region only; it caps a modality's own pressure when the region
  // is where the patient's pain is (either one inside the other in the region tree), and is
  // then one of every modality's cautions.
  void find_region_caps() {
    const auto region = ConceptKind::region;
    for (const auto& [index, hits] : region_hits_.groups()) {
      bool where_pain_is = false;
      for (auto pain : ev_.patient.pain_locations) {
        where_pain_is = where_pain_is || ontology_.is_a(region, pain, index) || ontology_.is_a(region, index, pain);
      }
      if (!where_pain_is) continue;
      for (const auto& h : hits) {
        if (h.avoid->level != AvoidLevel::caution || !h.avoid->pressure_max) continue;
        hits_.region_caps.push_back(caution(h, ontology_.at(region, index).id));
      }
    }
  }

  // Input that could not be read: keep the recommendation, but at no more than the rule set's
  // review pressure until a clinician has looked.
  void cap_for_review() {
    const Pressure cap = rules_.review_pressure_max;
    for (auto& m : rec_.modalities) {
      if (cap < m.pressure) m.pressure = cap;
    }
    // Written into room reserved once: most results of a batch are `review` and carry it.
    const std::size_t n = rec_.unresolved.size();
    std::string warning;
    warning.reserve(160);
    warning += std::to_string(n);
    warning += n == 1 ? " entry" : " entries";
    warning += " of the record could not be read (see unresolved); every modality is capped at ";
    warning += to_string(cap);
    warning += " pressure until a clinician reviews them";
    rec_.warnings.push_back(std::move(warning));
  }

  // Fired asks, one per fact: the question of the highest-priority rule, with every asking rule.
  void resolve_questions() {
    if (asks_.size() > 1) {  // std::stable_sort allocates a buffer even for one
      std::stable_sort(asks_.begin(), asks_.end(),
                       [&](const Asked& a, const Asked& b) { return before(a.rule, b.rule); });
    }
    for (std::size_t a = 0; a < asks_.size(); ++a) {
      Asked& ask = asks_[a];
      const bool asked = std::any_of(rec_.questions.begin(), rec_.questions.end(),
                                     [&](const Question& q) { return q.fact == ask.fact; });
      if (asked) continue;
      // This rule and the later ones asking the same (asks after this one are not moved yet).
      std::vector<std::size_t>& ids = hits_.ids;
      ids.assign(1, ask.rule);
      for (std::size_t b = a + 1; b < asks_.size(); ++b) {
        const Asked& other = asks_[b];
        if (other.fact == ask.fact && std::find(ids.begin(), ids.end(), other.rule) == ids.end())
          ids.push_back(other.rule);
      }
      rec_.questions.push_back(Question{std::move(ask.fact), std::move(ask.question), rule_ids(ids)});
    }
  }

  void resolve_cautions() {
    std::vector<CautionHit>& all = hits_.all_cautions;
    all.assign(modality_cautions_.begin(), modality_cautions_.end());
    all.insert(all.end(), self_care_cautions_.begin(), self_care_cautions_.end());
    std::sort(all.begin(), all.end(), [&](const CautionHit& a, const CautionHit& b) {
      if (a.rule != b.rule) return before(a.rule, b.rule);
      return a.avoid->id < b.avoid->id;
    });
    std::vector<CautionKey>& keys = hits_.caution_keys;
    keys.clear();
    for (const auto& h : all) keys.push_back(caution(h, h.avoid->id));
    rec_.cautions = rules_.texts.cautions(keys);
  }

  void resolve_referrals() {
    std::sort(referral_hits_.begin(), referral_hits_.end(), [&](const auto& a, const auto& b) {
      if (a.second->urgency != b.second->urgency) return a.second->urgency < b.second->urgency;
      return before(a.first, b.first);
    });
    const auto same = [](const Referral& a, const Referral& b) {
      return a.to == b.to && a.urgency == b.urgency && a.reason == b.reason;
    };
    for (std::size_t a = 0; a < referral_hits_.size(); ++a) {
      const Referral& ref = *referral_hits_[a].second;
      const bool listed = std::any_of(referral_hits_.begin(), referral_hits_.begin() + static_cast<std::ptrdiff_t>(a),
                                      [&](const auto& earlier) { return same(*earlier.second, ref); });
      if (listed) continue;
      // Every rule referring the same way, in this order.
      std::vector<std::size_t>& ids = hits_.ids;
      ids.clear();
      for (std::size_t b = a; b < referral_hits_.size(); ++b) {
        if (same(*referral_hits_[b].second, ref)) ids.push_back(referral_hits_[b].first);
      }
      rec_.referrals.push_back(ReferralOut{Text::borrow(ref.to), ref.urgency, Text::borrow(ref.reason), rule_ids(ids)});
    }
  }

  void resolve_plan() {
    if (plans_.empty()) return;
    auto best = *std::min_element(plans_.begin(), plans_.end(), [&](std::size_t a, std::size_t b) {
      if (rule(a).priority != rule(b).priority) return rule(a).priority > rule(b).priority;
      const int da = rule(a).plan->duration_min.value_or(1 << 30);
      const int db = rule(b).plan->duration_min.value_or(1 << 30);
      if (da != db) return da < db;
      return rule(a).id < rule(b).id;
    });
    const Plan& p = *rule(best).plan;
    rec_.plan = PlanOut{p.duration_min, p.sessions_per_week, p.weeks, ref(rule(best).id)};
  }

  const CompiledRuleSet& rules_;
  const Ontology& ontology_;
  const Patient& patient_;
  Evaluation& ev_;       // resolve's own (taken by value), read and emptied here
  Recommendation& rec_;  // the result, built where resolve returns it

  Hits& hits_ = Hits::cleared_for_this_thread();
  ByConcept<Contribution>& modality_contrib_ = hits_.modality_contrib;
  ByConcept<Contribution>& self_care_contrib_ = hits_.self_care_contrib;
  ByConcept<Veto>& modality_vetoes_ = hits_.modality_vetoes;
  ByConcept<Veto>& self_care_vetoes_ = hits_.self_care_vetoes;
  std::vector<CautionHit>& modality_cautions_ = hits_.modality_cautions;
  std::vector<CautionHit>& self_care_cautions_ = hits_.self_care_cautions;
  ByConcept<CautionHit>& region_hits_ = hits_.region_hits;
  std::vector<std::pair<std::size_t, const Referral*>>& referral_hits_ = hits_.referral_hits;
  std::vector<std::size_t>& plans_ = hits_.plans;
  std::vector<Asked>& asks_ = hits_.asks;
  std::vector<Exclusion>& exclusions_ = hits_.exclusions;
};

}  // namespace

Recommendation resolve(const CompiledRuleSet& rules, const Patient& patient, Evaluation evaluation) {
  Recommendation out;
  Resolver(rules, patient, evaluation, out).run();
  return out;
}

}  // namespace knead::detail
