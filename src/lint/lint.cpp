#include <knead/lint.hpp>

#include "compile/domain_operators.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace knead {
namespace {

using nlohmann::json;

std::size_t slot(ConceptKind kind) { return static_cast<std::size_t>(kind); }

// ---- reading conditions ---------------------------------------------------------------------

// The operator and arguments of a JsonLogic operation ({"op": args}), or nullopt for a literal.
std::optional<std::pair<std::string, const json*>> operation(const json& node) {
  if (!node.is_object() || node.size() != 1) return std::nullopt;
  auto it = node.begin();
  return std::make_pair(it.key(), &it.value());
}

// Arguments as a list: JsonLogic lets a single argument stand without its array.
std::vector<const json*> arguments(const json& args) {
  std::vector<const json*> out;
  if (args.is_array()) {
    for (const auto& a : args) out.push_back(&a);
  } else {
    out.push_back(&args);
  }
  return out;
}

// The compiler's own declaration of each domain operator, so that lint knows every one it knows.
const detail::DomainOperator* domain_operator(const std::string& op) { return detail::find_domain_operator(op); }

bool is_domain_operator(const std::string& op, ConceptKind& kind) {
  const auto* d = domain_operator(op);
  if (d != nullptr) kind = d->kind;
  return d != nullptr;
}

// Every concept id a condition names through a domain operator, and every string literal in it
// (a rule may also test a list directly, e.g. {"in": ["fibromyalgia", {"var": "conditions"}]}).
void collect_references(const json& node, std::array<std::set<std::string>, std::size(all_concept_kinds)>& named,
                        std::set<std::string>& literals) {
  if (node.is_string()) {
    literals.insert(node.get<std::string>());
  } else if (node.is_array()) {
    for (const auto& child : node) collect_references(child, named, literals);
  } else if (node.is_object()) {
    ConceptKind kind{};
    if (auto op = operation(node); op && is_domain_operator(op->first, kind)) {
      for (const json* id : arguments(*op->second)) {
        if (id->is_string()) named[slot(kind)].insert(id->get<std::string>());
      }
    }
    for (const auto& item : node.items()) collect_references(item.value(), named, literals);
  }
}

// ---- interval analysis ----------------------------------------------------------------------
//
// For one value v, every numeric comparison of v with a number literal compares the same number
// ToNumber(v) (JavaScript's coercion, which `==` also applies to strings and booleans; `null == n`
// and `===` with a non-number are false, which only makes the claim "this comparison implies v is
// in the interval" hold more often). So if the comparisons an `and` requires on one `var` leave an
// empty interval, the `and` can never be true, whatever the patient.

struct Bound {
  double value = 0;
  bool strict = false;
  std::string text;  // "< 18", as written
};

struct Interval {
  std::optional<Bound> lower;
  std::optional<Bound> upper;

  void raise(const Bound& b) {
    if (!lower || b.value > lower->value || (b.value == lower->value && b.strict)) lower = b;
  }
  void cap(const Bound& b) {
    if (!upper || b.value < upper->value || (b.value == upper->value && b.strict)) upper = b;
  }
  [[nodiscard]] bool empty() const {
    if (!lower || !upper) return false;
    return lower->value > upper->value || (lower->value == upper->value && (lower->strict || upper->strict));
  }
};

using Intervals = std::map<std::string, Interval>;

// {"var": "age"} or {"var": ["age"]} (a default value would change what a missing field means).
std::optional<std::string> var_path(const json& node) {
  auto op = operation(node);
  if (!op || op->first != "var") return std::nullopt;
  const json& a = *op->second;
  if (a.is_string() && !a.get_ref<const std::string&>().empty()) return a.get<std::string>();
  if (a.is_array() && a.size() == 1 && a[0].is_string() && !a[0].get_ref<const std::string&>().empty()) {
    return a[0].get<std::string>();
  }
  return std::nullopt;
}

std::optional<double> number(const json& node) {
  if (!node.is_number()) return std::nullopt;
  const double v = node.get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

// `op` with the operands swapped: 18 < x is x > 18.
std::string flipped(const std::string& op) {
  if (op == "<") return ">";
  if (op == "<=") return ">=";
  if (op == ">") return "<";
  if (op == ">=") return "<=";
  return op;
}

void constrain(Intervals& out, const std::string& var, const std::string& op, const json& literal) {
  const double v = literal.get<double>();
  const std::string text = op + " " + literal.dump();
  Interval& i = out[var];
  if (op == "<" || op == "<=") i.cap(Bound{v, op == "<", text});
  if (op == ">" || op == ">=") i.raise(Bound{v, op == ">", text});
  if (op == "==" || op == "===") {
    i.raise(Bound{v, false, text});
    i.cap(Bound{v, false, text});
  }
}

// Adds what a comparison of a `var` with number literals requires; false when `node` is not one.
bool add_comparison(const json& node, Intervals& out) {
  auto op = operation(node);
  if (!op) return false;
  const std::string& name = op->first;
  if (name != "<" && name != "<=" && name != ">" && name != ">=" && name != "==" && name != "===") return false;
  const json& a = *op->second;
  if (!a.is_array()) return false;
  if (a.size() == 2) {
    if (auto var = var_path(a[0]); var && number(a[1])) {
      constrain(out, *var, name, a[1]);
      return true;
    }
    if (auto var = var_path(a[1]); var && number(a[0])) {
      constrain(out, *var, flipped(name), a[0]);
      return true;
    }
  }
  // The between forms: {"<": [lo, x, hi]}.
  if (a.size() == 3 && (name == "<" || name == "<=")) {
    if (auto var = var_path(a[1]); var && number(a[0]) && number(a[2])) {
      constrain(out, *var, flipped(name), a[0]);
      constrain(out, *var, name, a[2]);
      return true;
    }
  }
  return false;
}

std::string describe_empty(const std::string& var, const Interval& i) {
  return "'" + var + "' cannot be both " + i.lower->text + " and " + i.upper->text;
}

// The clauses an `and` requires, with nested `and`s flattened; a non-`and` is its own clause.
void conjuncts(const json& node, std::vector<const json*>& out) {
  if (auto op = operation(node); op && op->first == "and") {
    for (const json* a : arguments(*op->second)) conjuncts(*a, out);
  } else {
    out.push_back(&node);
  }
}

// Plausible ranges of patient fields: those the patient format bounds, and those a rule set
// declares under `inputs` ({"path": {"range": [lo, hi]}} or {"minimum": lo, "maximum": hi}).
// A comparison outside them can never hold for a patient the engine accepts.
Intervals known_ranges(const json& canonical) {
  Intervals out;
  auto text = [](double v) {
    return std::floor(v) == v && std::fabs(v) < 1e15 ? std::to_string(static_cast<long long>(v)) : json(v).dump();
  };
  auto set = [&](const std::string& path, double lo, double hi, const std::string& why) {
    out[path].raise(Bound{lo, false, ">= " + text(lo) + " (" + why + ")"});
    out[path].cap(Bound{hi, false, "<= " + text(hi) + " (" + why + ")"});
  };
  set("pain.intensity", 0, 10, "the pain scale");
  set("age", 0, 150, "a patient's age");
  if (auto inputs = canonical.find("inputs"); inputs != canonical.end() && inputs->is_object()) {
    for (const auto& [path, spec] : inputs->items()) {
      if (!spec.is_object()) continue;
      if (auto r = spec.find("range"); r != spec.end() && r->is_array() && r->size() == 2 && number((*r)[0]) &&
                                       number((*r)[1])) {
        set(path, (*r)[0].get<double>(), (*r)[1].get<double>(), "its declared range");
      } else if (spec.contains("minimum") && spec.contains("maximum") && number(spec["minimum"]) &&
                 number(spec["maximum"])) {
        set(path, spec["minimum"].get<double>(), spec["maximum"].get<double>(), "its declared range");
      }
    }
  }
  return out;
}

const Intervals& no_ranges() {
  static const Intervals none;
  return none;
}

// Why `node` can never be true, or nullopt when this simple analysis cannot tell. `ranges` are
// the plausible ranges of fields.
std::optional<std::string> never_true(const json& node, const Intervals& ranges = no_ranges()) {
  if (node.is_boolean() && !node.get<bool>()) return std::string("its condition is the literal false");
  if (auto op = operation(node); op && op->first == "or") {
    const auto branches = arguments(*op->second);
    if (branches.empty()) return std::nullopt;
    std::optional<std::string> first;
    for (const json* b : branches) {
      auto why = never_true(*b, ranges);
      if (!why) return std::nullopt;
      if (!first) first = why;
    }
    return "no branch of its 'or' can be true (" + *first + ")";
  }
  std::vector<const json*> clauses;
  conjuncts(node, clauses);
  Intervals intervals;
  for (const json* c : clauses) {
    if (add_comparison(*c, intervals)) continue;
    // A clause of an `and` that can never be true; `node` itself was handled above.
    if (c != &node) {
      if (auto why = never_true(*c, ranges)) return why;
    }
  }
  for (const auto& [var, interval] : intervals) {
    if (interval.empty()) return describe_empty(var, interval);
    auto known = ranges.find(var);
    if (known == ranges.end()) continue;
    Interval both = known->second;
    if (interval.lower) both.raise(*interval.lower);
    if (interval.upper) both.cap(*interval.upper);
    if (both.empty()) return describe_empty(var, both);
  }
  return std::nullopt;
}

// ---- concepts -------------------------------------------------------------------------------

// The concept's JSON pointer in its file: the loader keeps only its location, so find the entry of
// `concepts.<kind>` that stands there.
std::string concept_pointer(const RuleSet& rules, const Concept& c) {
  const std::string base = "/concepts/" + std::string(plural(c.kind)) + "/";
  const std::size_t n = rules.ontology().size(c.kind);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string pointer = base + std::to_string(i);
    if (rules.locate(c.location.file, pointer) == c.location) return pointer;
  }
  return {};
}

// Pairs of rules the pairwise analyses look at before giving up.
constexpr std::size_t max_rule_pairs = 4'000'000;

class Linter {
 public:
  explicit Linter(const RuleSet& rules)
      : rules_(rules), ontology_(rules.ontology()), ranges_(known_ranges(rules.canonical())) {
    if (auto it = rules.canonical().find("rules"); it != rules.canonical().end() && it->is_array()) {
      for (const auto& r : *it) {
        if (r.is_object() && r.contains("id") && r["id"].is_string()) rule_json_[r["id"].get<std::string>()] = &r;
      }
    }
  }

  LintReport run() {
    for (const auto& rule : rules_.rules()) {
      no_evidence(rule);
      empty_then(rule);
      never_fires(rule);
    }
    duplicate_rules();
    shadowed_rules();
    unused_concepts();
    unsafe_modalities();
    veto_conflicts();
    report_gave_up();
    return apply_acceptances();
  }

 private:
  // A domain test a condition requires, or requires to be false: {"finding": [...]} or
  // {"!": {"finding": [...]}} among the clauses of its top-level `and`.
  struct Atom {
    ConceptKind kind;
    std::vector<std::size_t> ids;
    std::string field;   // the patient field it reads, a JSON pointer ("/conditions")
  };
  struct Atoms {
    std::vector<Atom> positive;
    std::vector<Atom> negative;
  };

  void warn(std::string code, std::string message, const Rule& rule, std::vector<std::string> notes = {},
            std::vector<std::string> also = {}) {
    Diagnostic d;
    d.severity = Severity::warning;
    d.code = std::move(code);
    d.message = std::move(message);
    d.location = rule.location;
    d.pointer = rule.pointer;
    d.notes = std::move(notes);
    out_.push_back(std::move(d));
    also.insert(also.begin(), rule.id);
    subjects_.push_back(std::move(also));
  }
  void note_gave_up(const std::string& analysis, const std::string& message, const std::vector<const Rule*>& rules) {
    Diagnostic d;
    d.severity = Severity::note;
    d.code = "lint.gave_up";
    d.message = analysis + ": " + message;
    if (!rules.empty()) {
      d.location = rules.front()->location;
      d.pointer = rules.front()->pointer;
      std::string ids;
      for (std::size_t i = 0; i < rules.size() && i < 5; ++i) ids += (i == 0 ? "'" : ", '") + rules[i]->id + "'";
      if (rules.size() > 5) ids += " and " + std::to_string(rules.size() - 5) + " more";
      d.message += " (" + ids + ")";
    }
    gave_up_.push_back(std::move(d));
  }

  // Findings an acknowledgement covers move to `accepted`; acknowledgements that cover nothing
  // are reported, since a stale one would hide the next real finding.
  LintReport apply_acceptances() {
    LintReport report;
    const auto& acceptances = rules_.lint_acceptances();
    std::vector<char> used(acceptances.size(), 0);
    for (std::size_t i = 0; i < out_.size(); ++i) {
      const Diagnostic& d = out_[i];
      bool accepted = false;
      for (std::size_t a = 0; a < acceptances.size() && !accepted; ++a) {
        const LintAcceptance& acc = acceptances[a];
        if (std::find(acc.codes.begin(), acc.codes.end(), d.code) == acc.codes.end()) continue;
        // In scope: the rule the finding is about, or every other rule it names (all the vetoing
        // rules of a conflict), so that one stray rule outside the scope still shows.
        auto covered = [&](const std::string& id) {
          return std::any_of(acc.rules.begin(), acc.rules.end(), [&](const std::string& pattern) {
            if (!pattern.empty() && pattern.back() == '*') return id.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
            return id == pattern;
          });
        };
        const auto& subjects = subjects_[i];
        // A finding about a concept is in scope only of an acknowledgement that names it.
        const std::string about = i < concept_subjects_.size() ? concept_subjects_[i] : std::string();
        const bool in_scope =
            !about.empty()
                ? (acc.rules.empty() && acc.concepts.empty()) ||
                      std::find(acc.concepts.begin(), acc.concepts.end(), about) != acc.concepts.end()
                : (acc.rules.empty() && acc.concepts.empty()) || (!subjects.empty() && covered(subjects.front())) ||
                      (subjects.size() > 1 && std::all_of(subjects.begin() + 1, subjects.end(), covered));
        if (!in_scope) continue;
        used[a] = 1;
        accepted = true;
        report.accepted.push_back(AcceptedFinding{d, acc.because, acc.location});
      }
      if (!accepted) report.warnings.push_back(d);
    }
    for (std::size_t a = 0; a < acceptances.size(); ++a) {
      if (used[a] != 0) continue;
      Diagnostic d;
      d.severity = Severity::warning;
      d.code = "lint.unused_acceptance";
      std::string codes;
      for (const auto& c : acceptances[a].codes) codes += (codes.empty() ? "" : ", ") + c;
      d.message = "this 'lint' acknowledgement (" + codes + ") covers no finding; remove it";
      d.location = acceptances[a].location;
      report.unused_acceptances.push_back(d);
    }
    sort_diagnostics(report.warnings);
    sort_diagnostics(report.unused_acceptances);
    report.gave_up = std::move(gave_up_);
    return report;
  }
  void warn(std::string code, std::string message, const Concept& c) {
    Diagnostic d;
    d.severity = Severity::warning;
    d.code = std::move(code);
    d.message = std::move(message);
    d.location = c.location;
    d.pointer = concept_pointer(rules_, c);
    out_.push_back(std::move(d));
    subjects_.emplace_back();
    concept_subjects_.resize(out_.size());
    concept_subjects_.back() = c.id;
  }

  void no_evidence(const Rule& rule) {
    if (!rule.evidence) {
      warn("lint.no_evidence", "rule '" + rule.id + "' has no evidence; add 'evidence' with a grade and a source",
           rule);
    }
  }

  void empty_then(const Rule& rule) {
    if (rule.recommend.empty() && rule.avoid.empty() && rule.self_care.empty() && rule.refer.empty() && !rule.plan) {
      warn("lint.empty_then", "rule '" + rule.id + "' does nothing when it fires: its 'then' is empty", rule);
    }
  }

  void never_fires(const Rule& rule) {
    if (rule.when.is_null()) return;
    if (auto why = never_true(rule.when, ranges_)) {
      warn("lint.never_fires", "rule '" + rule.id + "' can never fire: " + *why, rule);
      return;
    }
    const Atoms a = atoms(rule.when);
    for (const auto& p : a.positive) {
      for (const auto& n : a.negative) {
        if (!excludes(p, n)) continue;
        warn("lint.never_fires",
             "rule '" + rule.id + "' can never fire: it requires " + std::string(to_string(p.kind)) + " '" +
                 ontology_.concepts(p.kind)[p.ids.front()].id + "' and also that the patient has none of " +
                 describe(n),
             rule);
        return;
      }
    }
    if (!modelled(rule.when)) unmodelled_.push_back(&rule);
  }

  std::string describe(const Atom& a) const {
    std::string out;
    for (std::size_t i = 0; i < a.ids.size(); ++i) {
      out += (i == 0 ? "'" : ", '") + ontology_.concepts(a.kind)[a.ids[i]].id + "'";
    }
    return out;
  }

  // True when every clause of `when` is one the analyses reason about: a domain test, its
  // negation, a comparison of a field with a number, a literal, or an `and`/`or` of those.
  bool modelled(const json& when) const {
    if (when.is_boolean() || when.is_null()) return true;
    auto op = operation(when);
    if (!op) return false;
    if (op->first == "and" || op->first == "or") {
      const auto args = arguments(*op->second);
      return std::all_of(args.begin(), args.end(), [&](const json* a) { return modelled(*a); });
    }
    if (op->first == "!") {
      const auto args = arguments(*op->second);
      return args.size() == 1 && atom(*args[0]).has_value();
    }
    if (atom(when)) return true;
    Intervals scratch;
    return add_comparison(when, scratch);
  }

  void report_gave_up() {
    if (!unmodelled_.empty()) {
      note_gave_up("never_fires, shadowed_rule and veto_conflict",
                   std::to_string(unmodelled_.size()) + " of " + std::to_string(rules_.rules().size()) +
                       " rules have conditions beyond what the analyses model (operators other than domain tests, "
                       "'!', 'and', 'or' and comparisons with numbers); for these they prove nothing and assume the "
                       "rules can fire together",
                   unmodelled_);
    }
    if (pairs_skipped_) {
      note_gave_up("shadowed_rule and veto_conflict",
                   "more than " + std::to_string(max_rule_pairs) + " pairs of rules; pairs beyond were not compared",
                   {});
    }
  }

  // ---- shadowing ----

  // True when `a` holding proves `b` holds, as far as this analysis can tell.
  bool clause_implies(const json& a, const json& b) const {
    if (a == b) return true;
    if (auto op = operation(b); op && op->first == "or") {
      const auto branches = arguments(*op->second);
      return std::any_of(branches.begin(), branches.end(), [&](const json* x) { return clause_implies(a, *x); });
    }
    if (auto op = operation(a); op && op->first == "and") {
      std::vector<const json*> parts;
      conjuncts(a, parts);
      return std::any_of(parts.begin(), parts.end(), [&](const json* x) { return clause_implies(*x, b); });
    }
    auto x = atom(a);
    auto y = atom(b);
    if (x && y) return excludes(*x, *y);  // each of a's concepts is one of b's or narrower
    auto negated = [&](const json& n) -> std::optional<Atom> {
      auto op = operation(n);
      if (!op || op->first != "!") return std::nullopt;
      const auto args = arguments(*op->second);
      return args.size() == 1 ? atom(*args[0]) : std::nullopt;
    };
    auto nx = negated(a);
    auto ny = negated(b);
    if (nx && ny) return excludes(*ny, *nx);  // not X implies not Y when Y implies X
    return false;
  }

  // `a`'s condition implies `b`'s: every clause of b follows from a clause of a, or (for a
  // comparison) from the interval a's comparisons allow for that field.
  bool implies(const Rule& a, const Rule& b) const {
    if (b.when.is_null()) return true;
    if (a.when.is_null()) return false;
    std::vector<const json*> ca;
    std::vector<const json*> cb;
    conjuncts(a.when, ca);
    conjuncts(b.when, cb);
    Intervals ia;
    for (const json* c : ca) add_comparison(*c, ia);
    return std::all_of(cb.begin(), cb.end(), [&](const json* c) {
      Intervals ib;
      if (add_comparison(*c, ib)) {
        for (const auto& [var, need] : ib) {
          auto have = ia.find(var);
          if (have == ia.end() || !within(have->second, need)) return false;
        }
        return true;
      }
      return std::any_of(ca.begin(), ca.end(), [&](const json* x) { return clause_implies(*x, *c); });
    });
  }

  static bool within(const Interval& have, const Interval& need) {
    if (need.lower) {
      if (!have.lower) return false;
      if (have.lower->value < need.lower->value) return false;
      if (have.lower->value == need.lower->value && need.lower->strict && !have.lower->strict) return false;
    }
    if (need.upper) {
      if (!have.upper) return false;
      if (have.upper->value > need.upper->value) return false;
      if (have.upper->value == need.upper->value && need.upper->strict && !have.upper->strict) return false;
    }
    return true;
  }

  // A rule whose condition strictly implies another's, with the same `then`: whenever it fires
  // the other fires too, so it only doubles the weight of what they both say.
  void shadowed_rules() {
    const auto& rules = rules_.rules();
    std::map<std::string, std::vector<const Rule*>> by_then;
    for (const auto& rule : rules) {
      auto it = rule_json_.find(rule.id);
      if (it == rule_json_.end()) continue;
      by_then[it->second->value("then", json::object()).dump()].push_back(&rule);
    }
    std::size_t pairs = 0;
    for (const auto& [then, group] : by_then) {
      for (const Rule* a : group) {
        for (const Rule* b : group) {
          if (a == b) continue;
          if (++pairs > max_rule_pairs) {
            pairs_skipped_ = true;
            return;
          }
          if (!implies(*a, *b) || implies(*b, *a)) continue;
          warn("lint.shadowed_rule",
               "rule '" + a->id + "' is shadowed by rule '" + b->id + "' (" + b->location.to_string() +
                   "): whenever it fires, that rule fires too and says the same, so it only doubles the weight",
               *a, {"shadowed by '" + b->id + "' at " + b->location.to_string()}, {b->id});
        }
      }
    }
  }

  // ---- a patient both rules fire for ----

  // A sketch of a patient meeting both conditions: the concepts they require and a value in the
  // range their comparisons allow; empty when the analysis cannot build one.
  std::string patient_meeting(const Rule& a, const Rule& b) const {
    json patient = json::object();
    Intervals ranges;
    std::map<std::string, std::pair<ConceptKind, std::vector<std::size_t>>> picked;  // by patient field
    bool complete = true;
    for (const Rule* r : {&a, &b}) {
      if (r->when.is_null()) continue;
      std::vector<const json*> clauses;
      conjuncts(r->when, clauses);
      for (const json* c : clauses) {
        const json* pick = c;
        if (auto op = operation(*c); op && op->first == "or") {
          const auto branches = arguments(*op->second);
          if (!branches.empty()) pick = branches.front();
        }
        if (auto at = atom(*pick)) {
          if (at->ids.empty()) continue;
          // One concept per field line of descent: the narrowest meets both rules.
          auto& slot = picked[at->field];
          slot.first = at->kind;
          auto& chosen = slot.second;
          const std::size_t id = at->ids.front();
          bool covered = false;
          for (auto& kept : chosen) {
            if (ontology_.is_a(at->kind, kept, id)) {
              covered = true;
            } else if (ontology_.is_a(at->kind, id, kept)) {
              kept = id;
              covered = true;
            }
          }
          if (!covered) chosen.push_back(id);
          continue;
        }
        if (add_comparison(*pick, ranges)) continue;
        if (auto op = operation(*pick); op && op->first == "!" && arguments(*op->second).size() == 1 &&
                                        atom(*arguments(*op->second)[0])) {
          continue;  // an absence: the sketch has only what it names
        }
        complete = false;
      }
    }
    for (const auto& [field, slot] : picked) {
      json list = json::array();
      for (std::size_t id : slot.second) list.push_back(ontology_.concepts(slot.first)[id].id);
      patient[json::json_pointer(field)] = std::move(list);
    }
    for (const auto& [var, i] : ranges) {
      double v = 0;
      if (i.lower && i.upper) {
        v = (i.lower->value + i.upper->value) / 2;
      } else if (i.lower) {
        v = i.lower->value + (i.lower->strict ? 1 : 0);
      } else if (i.upper) {
        v = i.upper->value - (i.upper->strict ? 1 : 0);
      }
      std::string path = var;  // a copy: clang 14 lets no lambda capture a structured binding
      std::replace(path.begin(), path.end(), '.', '/');
      json::json_pointer ptr("/" + path);
      try {
        patient[ptr] = std::floor(v) == v ? json(static_cast<long long>(v)) : json(v);
      } catch (const json::exception&) {
        complete = false;
      }
    }
    if (patient.empty()) return complete ? "any patient" : std::string();
    return patient.dump() + (complete ? "" : " (plus what their other clauses require)");
  }

  // Two rules with the same `when` and `then` (as written, key order aside): one is redundant,
  // and it doubles the weight of what it recommends.
  void duplicate_rules() {
    std::map<std::string, const json*> by_id;
    const json& canonical = rules_.canonical();
    if (auto it = canonical.find("rules"); it != canonical.end() && it->is_array()) {
      for (const auto& r : *it) {
        if (r.is_object() && r.contains("id") && r["id"].is_string()) by_id[r["id"].get<std::string>()] = &r;
      }
    }
    std::map<std::string, const Rule*> first;
    for (const auto& rule : rules_.rules()) {
      auto it = by_id.find(rule.id);
      if (it == by_id.end()) continue;
      const json& r = *it->second;
      const std::string key = json{{"when", r.value("when", json())}, {"then", r.value("then", json::object())}}.dump();
      auto [seen, inserted] = first.emplace(key, &rule);
      if (!inserted) {
        warn("lint.duplicate_rule",
             "rule '" + rule.id + "' has the same 'when' and 'then' as rule '" + seen->second->id + "' (" +
                 seen->second->location.to_string() + ")",
             rule, {"first defined at " + seen->second->location.to_string()});
      }
    }
  }

  // A concept is used when a rule (or the default goals) can reach it. Conditions, goals, findings
  // and medications come from patients: one is used when it, a broader concept (an ancestor) or a
  // narrower one (a descendant) is named by a condition, since `{"condition": "arthritis"}` fires
  // for knee_osteoarthritis and knee_osteoarthritis is how a record says arthritis. A medication no
  // rule can see is a real gap (a warfarin entry not filed under anticoagulant would escape the
  // bleeding rules), so medications are checked too. Modalities and self-care items are outputs:
  // one is used when a rule recommends it or one of its kinds. Regions are exempt: they are the
  // vocabulary of finding sites and pain locations in patient records, and the region tree must be
  // complete whether or not a rule names each part.
  void unused_concepts() {
    std::array<std::set<std::string>, std::size(all_concept_kinds)> named;
    std::set<std::string> literals;
    for (const auto& rule : rules_.rules()) {
      if (!rule.when.is_null()) collect_references(rule.when, named, literals);
      for (const auto& r : rule.recommend) named[slot(ConceptKind::modality)].insert(r.modality);
      for (const auto& s : rule.self_care) named[slot(ConceptKind::self_care)].insert(s.item);
      // An avoid names a finding through its sites; the finding must reach the rule.
      for (const auto& a : rule.avoid) {
        if (a.target == AvoidTarget::finding_sites) named[slot(ConceptKind::finding)].insert(a.id);
      }
    }
    for (const auto& g : rules_.default_goals()) named[slot(ConceptKind::goal)].insert(g);

    for (auto kind : all_concept_kinds) {
      if (kind == ConceptKind::region) continue;
      const bool output = kind == ConceptKind::modality || kind == ConceptKind::self_care;
      const auto& concepts = ontology_.concepts(kind);
      std::vector<char> referenced(concepts.size(), 0);
      for (std::size_t i = 0; i < concepts.size(); ++i) {
        const std::string& id = concepts[i].id;
        referenced[i] = named[slot(kind)].count(id) != 0 || (!output && literals.count(id) != 0);
      }
      std::vector<char> used(concepts.size(), 0);
      for (std::size_t i = 0; i < concepts.size(); ++i) {
        const auto& line = ontology_.self_and_ancestors(kind, i);
        const bool reached =
            output ? referenced[i] != 0
                   : std::any_of(line.begin(), line.end(), [&](std::size_t a) { return referenced[a] != 0; });
        if (!reached) continue;
        for (auto a : line) used[a] = 1;  // the kinds of a used concept are used
      }
      for (std::size_t i = 0; i < concepts.size(); ++i) {
        if (used[i] != 0) continue;
        const Concept& c = concepts[i];
        std::string message;
        if (kind == ConceptKind::modality) {
          message = "modality '" + c.id + "' is defined but no rule recommends it";
        } else if (kind == ConceptKind::self_care) {
          message = "self-care item '" + c.id + "' is defined but no rule suggests it";
        } else {
          message = std::string(to_string(kind)) + " '" + c.id +
                    "' is defined but no rule uses it, nor a broader or narrower " + std::string(to_string(kind));
        }
        warn("lint.unused_concept", message, c);
      }
    }
  }

  // Every modality should have some safety rule: an avoid entry (any level) naming it or one of
  // its ancestors, the root `massage` included (a rule that stops all massage is a safety rule
  // for each).
  void unsafe_modalities() {
    std::set<std::size_t> avoided;
    for (const auto& rule : rules_.rules()) {
      for (const auto& a : rule.avoid) {
        if (a.target != AvoidTarget::modality) continue;
        if (auto i = ontology_.index(ConceptKind::modality, a.id)) avoided.insert(*i);
      }
    }
    const auto& modalities = ontology_.concepts(ConceptKind::modality);
    for (std::size_t i = 0; i < modalities.size(); ++i) {
      const auto& line = ontology_.self_and_ancestors(ConceptKind::modality, i);
      if (std::any_of(line.begin(), line.end(), [&](std::size_t a) { return avoided.count(a) != 0; })) continue;
      warn("lint.unsafe_modality",
           "modality '" + modalities[i].id +
               "' has no safety rule: no 'avoid' entry names it or a modality it is a kind of",
           modalities[i]);
    }
  }

  // ---- veto conflicts ----

  // A domain test a condition requires, or requires to be false: {"finding": [...]} or
  // {"!": {"finding": [...]}} among the clauses of its top-level `and`.

  std::optional<Atom> atom(const json& node) const {
    auto op = operation(node);
    ConceptKind kind{};
    if (!op || !is_domain_operator(op->first, kind)) return std::nullopt;
    Atom a{kind, {}, domain_operator(op->first)->patient_field};
    for (const json* id : arguments(*op->second)) {
      if (!id->is_string()) return std::nullopt;
      auto i = ontology_.index(kind, id->get<std::string>());
      if (!i) return std::nullopt;
      a.ids.push_back(*i);
    }
    return a;
  }

  Atoms atoms(const json& when) const {
    Atoms out;
    if (when.is_null()) return out;
    std::vector<const json*> clauses;
    conjuncts(when, clauses);
    for (const json* c : clauses) {
      if (auto a = atom(*c)) {
        out.positive.push_back(*a);
      } else if (auto op = operation(*c); op && op->first == "!") {
        auto args = arguments(*op->second);
        if (args.size() == 1) {
          if (auto n = atom(*args[0])) out.negative.push_back(*n);
        }
      }
    }
    return out;
  }

  // True when P (the patient has one of P's concepts, or a narrower one) rules out N's test: each of
  // P's concepts is one of N's or narrower, so N is true whenever P is, and "not N" is false.
  bool excludes(const Atom& p, const Atom& n) const {
    if (p.kind != n.kind || p.field != n.field || p.ids.empty()) return false;
    return std::all_of(p.ids.begin(), p.ids.end(), [&](std::size_t id) {
      return std::any_of(n.ids.begin(), n.ids.end(), [&](std::size_t m) { return ontology_.is_a(p.kind, id, m); });
    });
  }

  // Conservative: two conditions can both hold unless this can prove otherwise, either by the
  // interval analysis of their conjunction (age < 18 against age >= 18) or because one requires a
  // concept the other requires absent ({"finding": "pc_pregnancy"} against
  // {"!": {"finding": "pc_pregnancy"}}). Anything else (var tests against domain tests, `or`s,
  // `if`s) counts as possibly both true.
  bool can_both_hold(const Rule& a, const Rule& b) const {
    json both = json::array();
    if (!a.when.is_null()) both.push_back(a.when);
    if (!b.when.is_null()) both.push_back(b.when);
    if (!both.empty() && never_true(json{{"and", both}})) return false;
    const Atoms x = atoms(a.when);
    const Atoms y = atoms(b.when);
    for (const auto& p : x.positive) {
      for (const auto& n : y.negative) {
        if (excludes(p, n)) return false;
      }
    }
    for (const auto& p : y.positive) {
      for (const auto& n : x.negative) {
        if (excludes(p, n)) return false;
      }
    }
    return true;
  }

  // A rule recommends a modality (or self-care item) that another rule contraindicates, directly
  // or through an ancestor, and both rules can fire for one patient: the recommendation is then
  // silently removed. One warning per recommending rule and item, naming the vetoing rules.
  // Vetoes of the root modality (`massage`: fever, red flags, "no massage today") are left out:
  // they conflict with every recommendation by design. A rule that recommends and vetoes the same
  // item is always reported.
  void veto_conflicts() {
    struct Veto {
      const Rule* rule;
      ConceptKind kind;
      std::size_t target;
    };
    std::vector<Veto> vetoes;
    for (const auto& rule : rules_.rules()) {
      for (const auto& a : rule.avoid) {
        if (a.level != AvoidLevel::contraindicated) continue;
        ConceptKind kind{};
        if (a.target == AvoidTarget::modality)
          kind = ConceptKind::modality;
        else if (a.target == AvoidTarget::self_care)
          kind = ConceptKind::self_care;
        else
          continue;
        if (auto i = ontology_.index(kind, a.id)) vetoes.push_back(Veto{&rule, kind, *i});
      }
    }
    for (const auto& rule : rules_.rules()) {
      std::vector<std::pair<ConceptKind, std::string>> items;
      for (const auto& r : rule.recommend) items.emplace_back(ConceptKind::modality, r.modality);
      for (const auto& s : rule.self_care) items.emplace_back(ConceptKind::self_care, s.item);
      std::set<std::pair<ConceptKind, std::string>> done;
      for (const auto& [kind, id] : items) {
        if (!done.insert({kind, id}).second) continue;
        auto index = ontology_.index(kind, id);
        if (!index) continue;
        std::vector<const Rule*> by;
        for (const auto& v : vetoes) {
          if (v.kind != kind || !ontology_.is_a(kind, *index, v.target)) continue;
          const bool self = v.rule == &rule;
          const bool root = kind == ConceptKind::modality && ontology_.concepts(kind)[v.target].is_a.empty();
          if (!self && root) continue;
          if (!self && !can_both_hold(rule, *v.rule)) continue;
          if (std::find(by.begin(), by.end(), v.rule) == by.end()) by.push_back(v.rule);
        }
        if (by.empty()) continue;
        const std::string what = kind == ConceptKind::modality ? "modality" : "self-care item";
        std::string names;
        for (std::size_t i = 0; i < by.size() && i < 3; ++i) {
          names += (i == 0 ? "" : (i + 1 == by.size() ? " and " : ", ")) + std::string("'") + by[i]->id + "'";
        }
        if (by.size() > 3) names += " and " + std::to_string(by.size() - 3) + " more";
        std::string message = "rule '" + rule.id + "' recommends " + what + " '" + id + "', which ";
        if (by.size() == 1 && by.front() == &rule) {
          message += "it also contraindicates";
        } else {
          message += (by.size() == 1 ? "rule " : "rules ") + names +
                     (by.size() == 1 ? " contraindicates" : " contraindicate") +
                     " under conditions both can meet; the veto wins";
        }
        std::vector<std::string> notes;
        std::vector<std::string> also;
        for (const Rule* r : by) {
          std::string line = "contraindicated by '" + r->id + "' at " + r->location.to_string();
          if (r != &rule) {
            const std::string who = patient_meeting(rule, *r);
            if (!who.empty()) line += "; both fire for e.g. " + who;
          }
          notes.push_back(std::move(line));
          also.push_back(r->id);
        }
        if (by.front() != &rule) {
          const std::string who = patient_meeting(rule, *by.front());
          if (!who.empty()) message += " (e.g. for " + who + ")";
        }
        warn("lint.veto_conflict", message, rule, std::move(notes), std::move(also));
      }
    }
  }

  const RuleSet& rules_;
  const Ontology& ontology_;
  Intervals ranges_;
  std::map<std::string, const json*> rule_json_;
  std::vector<Diagnostic> out_;
  std::vector<std::vector<std::string>> subjects_;   // the rules each finding concerns, parallel to out_
  std::vector<std::string> concept_subjects_;          // the concept a finding concerns ("" for none), by index into out_
  std::vector<Diagnostic> gave_up_;
  std::vector<const Rule*> unmodelled_;
  bool pairs_skipped_ = false;
};

}  // namespace

const std::vector<std::string>& lint_codes() {
  static const std::vector<std::string> codes{
      "lint.no_evidence",    "lint.empty_then",     "lint.never_fires",     "lint.duplicate_rule",
      "lint.shadowed_rule",  "lint.unused_concept", "lint.unsafe_modality", "lint.veto_conflict",
  };
  return codes;
}

LintReport lint_report(const RuleSet& rules) { return Linter(rules).run(); }

std::vector<Diagnostic> lint(const RuleSet& rules) {
  LintReport report = lint_report(rules);
  std::vector<Diagnostic> out = std::move(report.warnings);
  out.insert(out.end(), report.unused_acceptances.begin(), report.unused_acceptances.end());
  sort_diagnostics(out);
  return out;
}

}  // namespace knead
