#include "evaluate/evaluate.hpp"

#include <knead/suggest.hpp>

#include "compile/written_condition.hpp"
#include "logic/path.hpp"
#include "logic/prefetch.hpp"
#include "model/name_form.hpp"
#include "util/byte_flags.hpp"

#include <knead/code_system.hpp>
#include <knead/logic/context.hpp>
#include <knead/logic/error.hpp>
#include <knead/matching.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>
#include <unordered_set>

namespace knead::detail {
namespace {

using nlohmann::json;

// Words a medication entry may carry after the drug's name: strength, form, route, frequency and
// salt. An entry is read past them only when everything after the name is such a word or a number.
bool dose_word(const std::string& token) {
  static const std::unordered_set<std::string> words{
      "mg", "mcg", "ug", "g", "gram", "grams", "ml", "l", "iu", "unit", "units", "u", "meq", "mmol", "percent",
      "tablet", "tablets", "tab", "tabs", "capsule", "capsules", "cap", "caps", "oral", "orally", "po", "by", "mouth",
      "solution", "suspension", "injection", "inj", "injectable", "syrup", "drops", "patch", "cream", "gel", "ointment",
      "spray", "inhaler", "subcutaneous", "sc", "sq", "iv", "im", "topical", "er", "xr", "sr", "cr", "dr", "ec", "xl",
      "la", "odt", "film", "coated", "chewable", "extended", "delayed", "release", "sustained", "modified", "prefilled",
      "syringe", "pen", "daily", "once", "twice", "three", "four", "times", "a", "day", "per", "week", "weekly",
      "monthly", "bid", "tid", "qid", "qd", "qod", "qhs", "hs", "prn", "od", "bd", "tds", "qds", "as", "needed",
      "required", "morning", "evening", "night", "nightly", "bedtime", "at", "in", "the", "with", "food", "meals",
      "before", "after", "every", "hours", "hour", "h", "hr", "hrs", "x", "and", "take", "sodium", "potassium",
      "calcium", "magnesium", "hydrochloride", "hcl", "mesylate", "besylate", "maleate", "tartrate", "succinate",
      "citrate", "sulfate", "sulphate", "phosphate", "acetate", "bitartrate", "etexilate"};
  if (std::any_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) return true;
  return words.count(token) != 0;
}

// How a name was read, in the words an interpreted entry refers to.
const std::string& matched_by(const ReadingWords& words, Ontology::MatchedBy by) {
  switch (by) {
    case Ontology::MatchedBy::id: return words.by_id;
    case Ontology::MatchedBy::name: return words.by_name;
    case Ontology::MatchedBy::synonym: return words.by_synonym;
    case Ontology::MatchedBy::label: return words.by_label;
  }
  return words.by_name;
}

std::string shown(const json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

// An entry's field name, "medications[2]", written whole and made a string once (most are
// short enough to sit inside the string, with no allocation and no append call).
std::string indexed(std::string_view list, std::size_t i) {
  char text[64];
  if (list.size() + 24 > sizeof text) {
    return std::string(list) + "[" + std::to_string(i) + "]";
  }
  std::memcpy(text, list.data(), list.size());
  char* at = text + list.size();
  *at++ = '[';
  at = std::to_chars(at, text + sizeof text - 1, i).ptr;
  *at++ = ']';
  return std::string(text, static_cast<std::size_t>(at - text));
}

std::string number_text(double v) {
  json j = v;
  if (std::floor(v) == v && std::fabs(v) < 1e15) j = static_cast<long long>(v);
  return j.dump();
}

class Normalizer {
 public:
  Normalizer(const CompiledRuleSet& rules, bool strict)
      : rules_(rules), ontology_(rules.ontology), words_(rules.words), strict_(strict), keys_(thread_keys()) {
    out_.clear_present(ontology_, rules.fields.root().ordered.size());
    keys_.clear();
  }

  NormalizedPatient run(const Patient& patient) {
    const json& doc = patient.document();
    // Walking the record's keys waits on one node after the other; a record not in the cache
    // (a patient read a while ago) is fetched all at once first.
    logic::detail::prefetch_document(doc);
    out_.unresolved = patient.unresolved();
    check_keys(doc, rules_.fields.root());  // also finds the fields below (top_)
    read_list(top(Top::conditions), "conditions", ConceptKind::condition);
    read_list(top(Top::goals), "goals", ConceptKind::goal);
    read_list(top(Top::findings), "findings", ConceptKind::finding);
    read_list(top(Top::medications), "medications", ConceptKind::medication);
    auto& goals = out_.direct[static_cast<std::size_t>(ConceptKind::goal)];
    if (goals.empty() && !rules_.default_goals.empty() && !has_entries(top(Top::goals))) {
      std::string names;
      for (const auto& g : rules_.default_goals) names += (names.empty() ? "" : ", ") + g;
      out_.warnings.push_back("no goals given; using the rule set's default goals: " + names);
      for (auto g : rules_.default_goal_indices) mark(ConceptKind::goal, g);
    }
    if (const json* pain = top(Top::pain); pain != nullptr && pain->is_object()) {
      if (auto loc = pain->find(std::string_view("locations")); loc != pain->end() && loc->is_array()) {
        for (std::size_t i = 0; i < loc->size(); ++i) {
          auto field = [i] { return indexed("pain.locations", i); };
          auto at = [i] { return json::json_pointer("/pain/locations") / i; };
          if (auto r = region((*loc)[i].get_ref<const std::string&>(), "/pain/locations", field, at)) {
            mark(ConceptKind::region, *r);  // regions present are pain locations only
            out_.pain_locations.push_back(*r);
          }
        }
      }
    }
    if (const json* prefs = top(Top::preferences); prefs != nullptr && prefs->is_object()) {
      if (auto p = prefs->find(std::string_view("pressure")); p != prefs->end() && p->is_string()) {
        const std::string& given = p->get_ref<const std::string&>();
        out_.preferred_pressure = parse_pressure(given);
        if (!out_.preferred_pressure) {
          // "Medium", " light ": Patient::from_json has checked it names a pressure.
          out_.preferred_pressure = parse_pressure(normalize_name(given));
          if (out_.preferred_pressure) {
            const std::string id(to_string(*out_.preferred_pressure));
            out_.interpreted.push_back(Interpreted{"preferences.pressure", given, "", "pressure", id, "name"});
            rewrite(
                "/preferences/pressure", [] { return json::json_pointer("/preferences/pressure"); }, id);
          }
        }
      }
      if (auto d = prefs->find(std::string_view("declined")); d != prefs->end() && d->is_array()) {
        for (std::size_t i = 0; i < d->size(); ++i) declined((*d)[i].get_ref<const std::string&>(), i);
      }
    }
    if (!rewrites_.empty()) {
      json copy = doc;
      for (const auto& [pointer, id] : rewrites_) copy[pointer] = id;
      out_.document = std::move(copy);
    }
    if (strict_ && !out_.unresolved.empty()) {
      const Unresolved& u = out_.unresolved.front();
      throw PatientError("patient.unresolved", u.field, "patient." + u.field + ": " + u.message);
    }
    return std::move(out_);
  }

 private:
  using Top = PatientFields::Top;
  // A standard field at the top of the record, or nullptr when it has none.
  const json* top(Top field) const { return top_[static_cast<std::size_t>(field)]; }

  static bool has_entries(const json* list) { return list != nullptr && list->is_array() && !list->empty(); }

  void mark(ConceptKind kind, Ontology::Index index) {
    out_.direct[static_cast<std::size_t>(kind)].push_back(index);
    out_.set_present(ontology_, kind, index);
  }

  void unresolved(Text field, Text input, Text problem, Text nearest, Text message) {
    if (out_.unresolved.capacity() == 0) out_.unresolved.reserve(4);  // records that have one mostly have a few
    // Made in its place: a temporary would move each text twice.
    Unresolved& u = out_.unresolved.emplace_back();
    u.field = std::move(field);
    u.input = std::move(input);
    u.problem = std::move(problem);
    u.nearest = std::move(nearest);
    u.message = std::move(message);
  }

  // The kind, the id and how it was read are the rule set's strings.
  void interpreted(Text field, const std::string& input, std::string_view system, ConceptKind kind,
                   Ontology::Index index, Text by) {
    if (out_.interpreted.capacity() == 0) out_.interpreted.reserve(4);
    Interpreted& i = out_.interpreted.emplace_back();
    i.field = std::move(field);
    i.input = input;
    if (!system.empty()) i.system = std::string(system);
    i.kind = Text::borrow(words_.kind(kind));
    i.id = Text::borrow(ontology_.at(kind, index).id);
    i.by = std::move(by);
  }

  // The entry of a name the rule set does not know. What it says of the name refers to the
  // rule set's strings when the rule set remembers them (`remembered`); else it is copied.
  void unknown_entry(Text field, const std::string& problem, const UnknownName& name, bool remembered) {
    auto text = [remembered](const std::string& s) { return remembered ? Text::borrow(s) : Text(s); };
    unresolved(std::move(field), text(name.input), Text::borrow(problem), text(name.nearest), text(name.message));
  }

  // A name read other than by its exact id is replaced by the id in the copy of the record the
  // rules read, where a rule can read it as data: `under` is the list (or field) it stands in,
  // `at` gives its JSON pointer. The copy costs more than the rest of normalizing, and most rule
  // sets read names through the patient's facts, not as data.
  template <class PointerOf>
  void rewrite(std::string_view under, const PointerOf& at, const std::string& id) {
    if (rules_.data_reads.may_read(under)) rewrites_.emplace_back(at(), id);
  }

  // ---- keys and declared inputs ----
  // Where the value being checked is, from the keys walked to it (and the index of an array
  // item): its field name ("pain.intensity", "medications[2]") and its JSON pointer, both built
  // only when an entry is reported or rewritten, which few records need.
  std::string field_here(std::optional<std::size_t> item) const {
    std::string field;
    for (const std::string* key : keys_) field += (field.empty() ? "" : ".") + *key;
    if (item) field += "[" + std::to_string(*item) + "]";
    return field;
  }
  json::json_pointer pointer_here(std::optional<std::size_t> item) const {
    json::json_pointer at;
    for (const std::string* key : keys_) at /= *key;
    if (item) at /= *item;
    return at;
  }

  // The order of two keys, as std::string::compare gives it (their bytes unsigned, then their
  // lengths), compared in place: keys are short, and most differ in their first letter.
  static int order_of(std::string_view known, const std::string& key) {
    return logic::detail::compare_keys(known, key);
  }

  // The record has the known key at place `place` at its top: a fact for the rules gated on it
  // (rule_gate.hpp), set only when some rule is.
  void has_key(std::size_t place) {
    const std::size_t fact = out_.offset.back() + place;
    if (fact + 1 >= rules_.fact_gates.size() || rules_.fact_gates[fact] == rules_.fact_gates[fact + 1]) return;
    out_.present[fact] = 1;
    out_.facts.push_back(static_cast<std::uint32_t>(fact));
  }

  void check_keys(const json& obj, const PatientFields::Node& node) {
    if (!obj.is_object()) return;
    // The record's keys and the known ones are both in string order: one walk through both
    // finds every key with fewer comparisons than a look-up per key.
    auto it = node.ordered.begin();
    const auto end = node.ordered.end();
    for (const auto& [key, value] : obj.get_ref<const json::object_t&>()) {
      int order = 1;
      while (it != end && (order = order_of(it->first, key)) < 0) ++it;
      if (order != 0) {
        std::vector<std::string> names;
        for (const auto& [name, child] : node.children) names.push_back(name);
        const std::string near = knead::nearest(key, names);
        const std::string prefix = field_here(std::nullopt);
        const std::string path = prefix.empty() ? key : prefix + "." + key;
        unresolved(path, key, Text::borrow(words_.unknown_key), near,
                   "unknown patient field '" + path + "'" +
                       did_you_mean(prefix.empty() || near.empty() ? near : prefix + "." + near));
        continue;
      }
      const PatientFields::Node& child = *it->second;
      if (child.top != Top::none) top_[static_cast<std::size_t>(child.top)] = &value;
      if (&node == &rules_.fields.root()) has_key(static_cast<std::size_t>(it - node.ordered.begin()));
      keys_.push_back(&key);
      if (child.input != nullptr) {
        check_input(value, *child.input);
      } else if (!child.open) {
        check_keys(value, child);
      }
      keys_.pop_back();
    }
  }

  [[noreturn]] static void bad_input(const std::string& code, const std::string& field, const std::string& message) {
    throw PatientError(code, field, "patient." + field + ": " + message);
  }

  static bool has_type(const json& v, InputType type) {
    switch (type) {
      case InputType::number: return v.is_number();
      case InputType::integer:
        return v.is_number_integer() || v.is_number_unsigned() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
      case InputType::string: return v.is_string();
      case InputType::boolean: return v.is_boolean();
      case InputType::array: return v.is_array();
      case InputType::object: return v.is_object();
    }
    return false;
  }

  void check_value(const json& v, const InputField& f, InputType type, std::optional<std::size_t> item) {
    if (!has_type(v, type)) {
      const std::string unit = f.unit.empty() ? "" : " (" + f.unit + ")";
      bad_input("patient.type", field_here(item),
                std::string("must be ") + (type == InputType::integer ? "an " : "a ") + to_string(type) + unit +
                    ", got " + shown(v));
    }
    if (v.is_number()) {
      const double x = v.get<double>();
      if (!std::isfinite(x) || (f.min && x < *f.min) || (f.max && x > *f.max)) {
        std::string range = f.min && f.max ? "from " + number_text(*f.min) + " to " + number_text(*f.max)
                            : f.min       ? "at least " + number_text(*f.min)
                                          : "at most " + number_text(*f.max);
        bad_input("patient.range", field_here(item),
                  v.dump() + " is outside the plausible range, " + range + (f.unit.empty() ? "" : " " + f.unit) +
                      (f.unit.empty() ? "" : "; give the value in " + f.unit));
      }
    }
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      if (!f.enum_values.empty()) {
        const std::string key = normalize_name(s);
        bool found = false;
        for (const auto& e : f.enum_values) found = found || normalize_name(e) == key;
        if (!found) {
          std::string list;
          for (const auto& e : f.enum_values) list += (list.empty() ? "" : ", ") + e;
          bad_input("patient.range", field_here(item),
                    "must be one of " + list + ", got " + v.dump() + did_you_mean(knead::nearest(s, f.enum_values)));
        }
      }
      if (f.kind) {
        (void)concept_named(
            *f.kind, s, [&] { return field_here(item); },
            [&](const std::string& id) {
              rewrite(
                  pointer_here(item).to_string(), [&] { return pointer_here(item); }, id);
            });
      }
    }
  }

  void check_input(const json& v, const InputField& f) {
    if (v.is_null()) return;
    check_value(v, f, f.type, std::nullopt);
    if (f.type == InputType::array && f.items) {
      for (std::size_t i = 0; i < v.size(); ++i) check_value(v[i], f, *f.items, i);
    }
  }

  // ---- names ----
  // A name of a concept: exact id, normalized id, synonym or label; a medication also with its
  // strength, form and frequency read past. The second member says how, for `interpreted`.
  std::optional<std::pair<Ontology::NameMatch, const std::string*>> match(ConceptKind kind,
                                                                          const std::string& text) const {
    // Ontology::match_name, with the normalized name kept for the medication's words.
    if (auto i = ontology_.index(kind, text))
      return std::make_pair(Ontology::NameMatch{*i, Ontology::MatchedBy::id}, &words_.by_id);
    // In a buffer kept per thread: most names a record gives that are not ids are not known
    // either ("reduce_pain"), and a batch meets them record after record.
    thread_local std::string normalized;
    normalize_name_into(text, normalized);
    const std::string& name = normalized;
    if (auto m = ontology_.match_normalized(kind, name)) return std::make_pair(*m, &matched_by(words_, m->by));
    if (kind != ConceptKind::medication) return std::nullopt;
    // Word boundaries of the normalized name, from the end: try the longest name first.
    for (std::size_t end = name.rfind('_'); end != std::string::npos && end > 0; end = name.rfind('_', end - 1)) {
      auto m = ontology_.match_normalized(kind, name.substr(0, end));
      if (!m) continue;
      bool rest_is_dose = true;
      std::size_t start = end + 1;
      while (rest_is_dose && start <= name.size()) {
        std::size_t stop = name.find('_', start);
        if (stop == std::string::npos) stop = name.size();
        rest_is_dose = dose_word(name.substr(start, stop - start));
        start = stop + 1;
      }
      if (rest_is_dose) return std::make_pair(*m, &words_.by_dose);
    }
    return std::nullopt;
  }

  // What an unresolved entry says of a name `kind` has not: the nearest id, or else the nearest
  // synonym ("Eliquiss": did you mean 'Eliquis' (apixaban)?), and the message.
  UnknownName unknown(ConceptKind kind, const std::string& input) const {
    const std::string normalized = normalize_name(input);
    std::string nearest = ontology_.nearest(kind, normalized);
    std::string hint = did_you_mean(nearest);
    if (nearest.empty()) {
      if (auto synonym = ontology_.nearest_synonym(kind, normalized)) {
        nearest = ontology_.at(kind, synonym->index).id;
        hint = "; did you mean '" + *synonym->synonym + "' (" + nearest + ")?";
      }
    }
    std::string message = "unknown " + std::string(to_string(kind)) + " '" + input + "'" + hint;
    return UnknownName{input, std::move(nearest), std::move(message)};
  }

  // How `text`, which is not an exact id of `kind`, reads. The rule set remembers it by kind and
  // name as written, while there is room (past that, `own` holds it): a batch meets the same
  // names record after record, and most are not known at all ("reduce_pain").
  const NameReading& reading(ConceptKind kind, const std::string& text, std::optional<NameReading>& own) const {
    auto read = [&] {
      NameReading r;
      if (auto m = match(kind, text)) {
        r.match = m->first;
        r.by = m->second;
      } else {
        r.unknown = unknown(kind, text);
      }
      return r;
    };
    if (const NameReading* known = rules_.names[static_cast<std::size_t>(kind)].remember(text, read)) return *known;
    return own.emplace(read());
  }

  // `text` as a name of `kind`: its index, or none when the rule set does not know it (then an
  // unresolved entry says so). `field()` gives the entry's field name, built only when the
  // entry is reported, and `rewrite_as(id)` is called for a name read other than by its id.
  template <class FieldOf, class RewriteAs>
  std::optional<Ontology::Index> concept_named(ConceptKind kind, const std::string& text, const FieldOf& field,
                                               const RewriteAs& rewrite_as) {
    if (auto i = ontology_.index(kind, text)) return *i;  // most names are exact ids: one look-up
    std::optional<NameReading> own;
    const NameReading& r = reading(kind, text, own);
    if (!r.match) {
      unknown_entry(field(), kind == ConceptKind::region ? words_.unknown_site : words_.unknown_id, r.unknown, !own);
      return std::nullopt;
    }
    interpreted(field(), text, "", kind, r.match->index, Text::borrow(*r.by));
    rewrite_as(ontology_.at(kind, r.match->index).id);
    return r.match->index;
  }

  // `field` gives the entry's field name and `at` its JSON pointer, built only when the entry
  // is reported or rewritten.
  template <class FieldOf, class PointerOf>
  std::optional<Ontology::Index> name(ConceptKind kind, const std::string& text, std::string_view under,
                                      const FieldOf& field, const PointerOf& at) {
    return concept_named(kind, text, field, [&](const std::string& id) { rewrite(under, at, id); });
  }

  // `list` is the record's list called `key`, or nullptr when it has none.
  void read_list(const json* list, const char* key, ConceptKind kind) {
    if (list == nullptr || !list->is_array()) return;
    const std::string under = std::string("/") + key;
    out_.direct[static_cast<std::size_t>(kind)].reserve(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& e = (*list)[i];
      auto field = [key, i] { return indexed(key, i); };
      auto at = [&under, i] { return json::json_pointer(under) / i; };
      std::optional<Ontology::Index> index;
      if (e.is_object()) entry_keys(e, field(), kind == ConceptKind::finding);
      if (e.is_string()) {
        index = name(kind, e.get_ref<const std::string&>(), under, field, at);
      } else if (e.contains("id")) {
        index = name(kind, e["id"].get_ref<const std::string&>(), under, field, [&at] { return at() / "id"; });
      } else {
        index = code(e, kind, field());
      }
      if (!index) continue;
      mark(kind, *index);
      if (kind == ConceptKind::finding && e.is_object() && e.contains("sites")) {
        std::vector<Ontology::Index> sites;
        const json& s = e["sites"];
        for (std::size_t k = 0; k < s.size(); ++k) {
          if (auto r = region(
                  s[k].get_ref<const std::string&>(), under, [&field, k] { return field() + indexed(".sites", k); },
                  [&at, k] { return at() / "sites" / k; })) {
            sites.push_back(*r);
          }
        }
        out_.finding_sites.emplace_back(*index, std::move(sites));
      }
    }
  }

  // An entry object's keys are closed too: a misspelt "site" would lose where to avoid. A coded
  // finding has sites as an id one does, and FHIR input gives an entry its "onset".
  void entry_keys(const json& e, const std::string& field, bool finding) {
    static const std::vector<std::string> coded{"system", "code", "display", "sites", "onset"};
    static const std::vector<std::string> with_id{"id", "sites", "onset"};
    const auto& known = e.contains("id") ? with_id : coded;
    for (const auto& item : e.items()) {
      const std::string& key = item.key();
      if (std::find(known.begin(), known.end(), key) != known.end() && (finding || key != "sites")) continue;
      const std::string near = knead::nearest(key, known);
      unresolved(field + "." + key, key, Text::borrow(words_.unknown_key), near,
                 "unknown key '" + key + "' in " + field + did_you_mean(near));
    }
  }

  std::optional<Ontology::Index> code(const json& e, ConceptKind kind, const std::string& field) {
    const std::string code = e.value("code", std::string());
    if (!e.contains("system") || e["system"].is_null()) {
      unresolved(field, code, "unknown_system", "",
                 "code '" + code + "' gives no system (icd10cm, snomed, atc, rxnorm or a FHIR URI)");
      return std::nullopt;
    }
    const std::string system = e["system"].get<std::string>();
    const std::string canonical(canonical_code_system(system));
    if (canonical.empty()) {
      const std::string near = knead::nearest(system, known_code_systems());
      unresolved(field, code, "unknown_system", near,
                 "unknown code system '" + system + "'" + did_you_mean(near) + " (known: icd10cm, snomed, atc, rxnorm and their FHIR URIs)");
      return std::nullopt;
    }
    if (auto m = ontology_.match_code(kind, canonical, code)) {
      interpreted(field, code, canonical, kind, m->index, m->branch ? "code_branch" : "code");
      return m->index;
    }
    for (auto other : {ConceptKind::condition, ConceptKind::finding, ConceptKind::medication, ConceptKind::goal}) {
      if (other == kind) continue;
      if (auto m = ontology_.match_code(other, canonical, code)) {
        // A code filed under the wrong list still counts, in its own kind: safety rules about
        // a finding must see it even when the record lists it among the conditions.
        const Concept& target = ontology_.at(other, m->index);
        out_.warnings.push_back(field + ": " + canonical + " code '" + code + "' is the " + std::string(to_string(other)) + " '" +
                                target.id + "'; taken as such");
        interpreted(field, code, canonical, other, m->index, "other_kind");
        mark(other, m->index);
        return std::nullopt;
      }
    }
    std::string message = "no " + std::string(to_string(kind)) + " has the " + canonical + " code '" + code + "'";
    if (e.contains("display") && e["display"].is_string()) message += " (" + shown(e["display"]) + ")";
    unresolved(field, code, "unknown_code", "", message);
    return std::nullopt;
  }

  template <class FieldOf, class PointerOf>
  std::optional<Ontology::Index> region(const std::string& text, std::string_view under, const FieldOf& field,
                                        const PointerOf& at) {
    return name(ConceptKind::region, text, under, field, at);
  }

  void declined(const std::string& text, std::size_t i) {
    auto field = [i] { return indexed("preferences.declined", i); };
    for (auto kind : {ConceptKind::modality, ConceptKind::self_care}) {
      auto m = match(kind, text);
      if (!m) continue;
      if (m->first.by != Ontology::MatchedBy::id) {
        interpreted(field(), text, "", kind, m->first.index, Text::borrow(*m->second));
        rewrite(
            "/preferences/declined", [i] { return json::json_pointer("/preferences/declined") / i; },
            ontology_.at(kind, m->first.index).id);
      }
      (kind == ConceptKind::modality ? out_.declined_modalities : out_.declined_self_care).push_back(m->first.index);
      return;
    }
    auto say = [&] {
      std::string nearest = knead::nearest(normalize_name(text), rules_.declinable_ids);
      std::string message = "unknown modality or self-care item '" + text + "'" + did_you_mean(nearest);
      return UnknownName{text, std::move(nearest), std::move(message)};
    };
    if (const UnknownName* known = rules_.unknown_refusals.remember(text, say)) {
      unknown_entry(field(), words_.unknown_id, *known, true);
    } else {
      unknown_entry(field(), words_.unknown_id, say(), false);
    }
  }

  const CompiledRuleSet& rules_;
  const Ontology& ontology_;
  const ReadingWords& words_;
  bool strict_;
  NormalizedPatient out_;
  std::vector<std::pair<json::json_pointer, std::string>> rewrites_;
  std::array<const json*, static_cast<std::size_t>(Top::count)> top_{};  // found by check_keys
  // check_keys: the keys from the root to the value checked. Kept per thread, so that a patient
  // does not allocate it again.
  std::vector<const std::string*>& keys_;
  static std::vector<const std::string*>& thread_keys() {
    thread_local std::vector<const std::string*> keys;
    return keys;
  }
};

// The first false clause: descend through `and`s to the first child that is false.
void explain_failure(const CompiledRuleSet& rules, const Rule& rule, const std::string& file, const logic::Node& root,
                     logic::Context& ctx, RuleTrace& trace) {
  const logic::Node* node = &root;
  try {
    while (node->op() == "and") {
      const logic::Node* next = nullptr;
      for (const auto& child : node->args()) {
        if (!child->test(ctx)) {
          next = child.get();
          break;
        }
      }
      if (next == nullptr) break;
      node = next;
    }
  } catch (const logic::Error&) {
    // The clause itself errors; report the node reached so far.
  }
  trace.failed_pointer = node->pointer();
  auto doc = rules.documents.find(file);
  if (doc != rules.documents.end()) trace.failed_location = doc->second.locate(trace.failed_pointer);
  const std::string when_at = rule.pointer + "/when";
  const json* clause = WrittenCondition{rule.when, when_at}.clause_at(trace.failed_pointer);
  trace.failed_clause = clause != nullptr ? *clause : json(nullptr);
}

}  // namespace

NormalizedPatient normalize(const CompiledRuleSet& rules, const Patient& patient, bool strict) {
  return Normalizer(rules, strict).run(patient);
}

Evaluation evaluate(const CompiledRuleSet& rules, const Patient& patient, const RecommendOptions& options) {
  Evaluation ev;
  ev.patient = normalize(rules, patient, options.strict);
  ev.fired.assign(rules.rules.size(), 0);
  if (options.explain) ev.trace.emplace();
  // Rules read the record with every name read as its id.
  const json& data = ev.patient.document ? *ev.patient.document : patient.document();
  // Which gated rules the patient meets (has one of their gate's facts), in fired[rule], before
  // the rule's own result replaces it: the patient's few facts each open the rules gated on them.
  char* open = ev.fired.data();
  const std::uint32_t* fact_gates = rules.fact_gates.data();
  const std::uint32_t* fact_rules = rules.fact_rules.data();
  for (const std::uint32_t f : ev.patient.facts) {
    for (std::uint32_t k = fact_gates[f]; k < fact_gates[f + 1]; ++k) open[fact_rules[k]] = 1;
  }
  const char* gated = rules.gated.data();
  auto run = [&](std::size_t i) {
    const Rule& rule = rules.rules[i];
    const CompiledRule& compiled = rules.compiled[i];
    const auto& when = compiled.when;
    bool fired = true;
    std::string error;
    if (gated[i] != 0 && open[i] == 0) {
      fired = false;  // its gate: the evaluation would have been false, with no error
    } else if (when) {
      try {
        logic::Context ctx(data, &ev.patient, rules.limits);
        fired = when->test(ctx);
      } catch (const logic::Error& e) {
        fired = false;
        error = e.what();
        ev.errors.push_back(RuleError{rule.id, e.code(), e.what()});
      } catch (const std::exception& e) {  // e.g. memory exhausted by a hostile rule
        fired = false;
        error = e.what();
        ev.errors.push_back(RuleError{rule.id, "eval.failure", e.what()});
      }
      if (!error.empty() && rule.safety_relevant()) ev.fail_closed = true;
    }
    ev.fired[i] = fired ? 1 : 0;
    if (ev.trace) {
      RuleTrace t;
      t.rule = rule.id;
      t.title = rule.title;
      t.fired = fired;
      t.error = error;
      if (!fired && error.empty() && when) {
        logic::Context ctx(data, &ev.patient, rules.limits);
        explain_failure(rules, rule, rule.location.file, *when, ctx, t);
      }
      ev.trace->push_back(std::move(t));
    }
  };
  const std::size_t count = rules.rules.size();
  if (ev.trace) {
    for (std::size_t i = 0; i < count; ++i) run(i);  // every rule, for its trace
    return ev;
  }
  // A gated rule the patient does not meet is false (fired[i] is 0) without being visited: the
  // rules due, ungated or opened, are found eight at a time (gated and open bytes are 0 or 1),
  // in order, so that errors are listed in rule order as before.
  for_each_flag(
      count, [&](std::size_t base) { return ~flag_word(gated + base) | flag_word(open + base); },
      [&](std::size_t i) { return gated[i] == 0 || open[i] != 0; }, run);
  return ev;
}

}  // namespace knead::detail
