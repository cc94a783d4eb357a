#include "evaluate/evaluate.hpp"
#include "compile/compiled_rule_set.hpp"
#include "compile/written_condition.hpp"
#include "base/utf8.hpp"

#include <knead/logic/context.hpp>
#include <knead/logic/error.hpp>
#include <knead/suggest.hpp>

#include <knead/case_runner.hpp>
#include <knead/document.hpp>

#include <algorithm>
#include <optional>
#include <set>
#include <system_error>

namespace knead {
namespace {

using nlohmann::json;

// A value as JSON text for messages; never throws, whatever the strings hold.
std::string shown(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// A malformed case: reported as the case's error, never thrown out of run_case.
struct CaseError {
  std::string message;
};

const std::vector<std::string>& case_keys() {
  static const std::vector<std::string> keys{"$schema", "name", "description", "patient", "expect"};
  return keys;
}

// What an `expect` value must be, and which ids it names (checked against the rule set, so that a
// misspelt id in an expectation cannot pass silently forever).
enum class Shape { id_list, id, urgency, pressure, status, text_list };
enum class Names { none, modality, self_care, region, rule };

struct ExpectKey {
  const char* key;
  Shape shape;
  Names names;
};

// The order here is the order failures are reported in.
const std::vector<ExpectKey>& expect_keys() {
  static const std::vector<ExpectKey> keys{
      {"status", Shape::status, Names::none},
      {"modalities_include", Shape::id_list, Names::modality},
      {"modalities_exclude", Shape::id_list, Names::modality},
      {"excluded_include", Shape::id_list, Names::modality},
      {"top_modality", Shape::id, Names::modality},
      {"max_pressure", Shape::pressure, Names::none},
      {"self_care_include", Shape::id_list, Names::self_care},
      {"self_care_exclude", Shape::id_list, Names::self_care},
      {"avoid_regions_include", Shape::id_list, Names::region},
      {"refer", Shape::urgency, Names::none},
      {"refer_to", Shape::id, Names::none},
      {"fired_include", Shape::id_list, Names::rule},
      {"fired_exclude", Shape::id_list, Names::rule},
      {"warnings_include", Shape::text_list, Names::none},
      {"unresolved_include", Shape::text_list, Names::none},
      {"interpreted_include", Shape::text_list, Names::none},
      {"questions_include", Shape::text_list, Names::none},
  };
  return keys;
}

std::vector<std::string> key_names(const std::vector<ExpectKey>& keys) {
  std::vector<std::string> out;
  for (const auto& k : keys) out.emplace_back(k.key);
  return out;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  return knead::did_you_mean(knead::nearest(word, candidates));
}

void check_known_keys(const json& object, const std::vector<std::string>& allowed, const std::string& where) {
  for (const auto& item : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      throw CaseError{"unknown key '" + item.key() + "' in " + where + did_you_mean(item.key(), allowed)};
    }
  }
}

// The ids of one kind the rule set knows, to check the ids an expectation names.
std::vector<std::string> known_ids(const RuleSet& rules, Names names) {
  std::vector<std::string> ids;
  auto concepts = [&](ConceptKind kind) {
    for (const auto& c : rules.ontology().concepts(kind)) ids.push_back(c.id);
  };
  switch (names) {
    case Names::modality:
      concepts(ConceptKind::modality);
      break;
    case Names::self_care:
      concepts(ConceptKind::self_care);
      break;
    case Names::region:
      concepts(ConceptKind::region);
      break;
    case Names::rule:
      for (const auto& r : rules.rules()) ids.push_back(r.id);
      break;
    case Names::none:
      break;
  }
  return ids;
}

const char* names_word(Names names) {
  switch (names) {
    case Names::modality:
      return "modality";
    case Names::self_care:
      return "self-care item";
    case Names::region:
      return "region";
    case Names::rule:
      return "rule";
    case Names::none:
      break;
  }
  return "id";
}

void check_expect_value(const RuleSet& rules, const ExpectKey& key, const json& value) {
  const std::string where = std::string("expect.") + key.key;
  auto want_string = [&](const json& v, const std::string& field) {
    if (!v.is_string()) throw CaseError{field + ": must be a string, got " + detail::utf8_truncate(shown(v), 40)};
  };
  auto want_one_of = [&](const json& v, const std::vector<std::string>& allowed) {
    want_string(v, where);
    const auto& s = v.get_ref<const std::string&>();
    if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    throw CaseError{where + ": must be one of " + list + ", got '" + s + "'" + did_you_mean(s, allowed)};
  };
  auto want_known = [&](const std::string& id, const std::string& field) {
    if (key.names == Names::none) return;
    const auto ids = known_ids(rules, key.names);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      throw CaseError{field + ": unknown " + std::string(names_word(key.names)) + " '" + id + "'" +
                      did_you_mean(id, ids)};
    }
  };
  switch (key.shape) {
    case Shape::status:
      want_one_of(value, {"ok", "review", "refer", "error"});
      break;
    case Shape::urgency:
      want_one_of(value, {"none", "emergency", "same_day", "urgent", "routine"});
      break;
    case Shape::pressure:
      want_one_of(value, {"light", "medium", "firm"});
      break;
    case Shape::id:
      // `top_modality: null` expects that no modality is recommended.
      if (value.is_null() && key.names == Names::modality) break;
      want_string(value, where);
      want_known(value.get<std::string>(), where);
      break;
    case Shape::id_list:
    case Shape::text_list:
      if (!value.is_array()) throw CaseError{where + ": must be an array of strings, got " + detail::utf8_truncate(shown(value), 40)};
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string field = where + "[" + std::to_string(i) + "]";
        want_string(value[i], field);
        want_known(value[i].get<std::string>(), field);
      }
      break;
  }
}

template <typename List>  // a std::vector of items, or a SelfCareList
json ids_of(const List& items) {
  json out = json::array();
  for (const auto& i : items) out.push_back(i.id);
  return out;
}

bool contains(const json& list, const std::string& id) {
  return std::any_of(list.begin(), list.end(), [&](const json& v) { return v == id; });
}

// The most urgent referral (the resolver lists them most urgent first; do not rely on it).
const ReferralOut* most_urgent(const Recommendation& rec) {
  const ReferralOut* best = nullptr;
  for (const auto& r : rec.referrals) {
    if (best == nullptr || r.urgency < best->urgency) best = &r;
  }
  return best;
}

class Checker {
 public:
  explicit Checker(const Recommendation& rec) : rec_(rec) {}

  // Checks one expectation; a failure is recorded with what was expected and what came out.
  void check(const std::string& key, const json& want) {
    if (key == "status") {
      same(key, want, json(to_string(rec_.status)));
    } else if (key == "modalities_include") {
      include(key, want, ids_of(rec_.modalities));
    } else if (key == "modalities_exclude") {
      exclude(key, want, ids_of(rec_.modalities));
    } else if (key == "excluded_include") {
      include(key, want, ids_of(rec_.excluded));
    } else if (key == "top_modality") {
      same(key, want, rec_.modalities.empty() ? json(nullptr) : json(rec_.modalities.front().id));
    } else if (key == "max_pressure") {
      max_pressure(key, want);
    } else if (key == "self_care_include") {
      include(key, want, ids_of(rec_.self_care));
    } else if (key == "self_care_exclude") {
      exclude(key, want, ids_of(rec_.self_care));
    } else if (key == "avoid_regions_include") {
      include(key, want, ids_of(rec_.avoid_regions));
    } else if (key == "refer") {
      const ReferralOut* r = most_urgent(rec_);
      same(key, want, r == nullptr ? json("none") : json(std::string(to_string(r->urgency))));
    } else if (key == "refer_to") {
      const ReferralOut* r = most_urgent(rec_);
      same(key, want, r == nullptr ? json(nullptr) : json(r->to));
    } else if (key == "fired_include") {
      include(key, want, json(rec_.fired));
    } else if (key == "fired_exclude") {
      exclude(key, want, json(rec_.fired));
    } else if (key == "warnings_include") {
      warnings(key, want);
    } else if (key == "unresolved_include") {
      json fields = json::array();
      for (const auto& u : rec_.unresolved) fields.push_back(u.field);
      include(key, want, fields);
    } else if (key == "interpreted_include") {
      json reads = json::array();
      for (const auto& i : rec_.interpreted) reads.push_back(i.field + "=" + i.id);
      include(key, want, reads);
    } else if (key == "questions_include") {
      json facts = json::array();
      for (const auto& q : rec_.questions) facts.push_back(q.fact);
      include(key, want, facts);
    }
  }

  std::vector<CaseFailure> failures;

 private:
  void fail(const std::string& key, const json& want, const json& got) {
    failures.push_back(CaseFailure{key, shown(want), shown(got)});
  }
  void same(const std::string& key, const json& want, const json& got) {
    if (want != got) fail(key, want, got);
  }
  void include(const std::string& key, const json& want, const json& got) {
    for (const auto& id : want) {
      if (!contains(got, id.get<std::string>())) return fail(key, want, got);
    }
  }
  void exclude(const std::string& key, const json& want, const json& got) {
    for (const auto& id : want) {
      if (contains(got, id.get<std::string>())) return fail(key, want, got);
    }
  }
  void max_pressure(const std::string& key, const json& want) {
    const Pressure cap = parse_pressure(want.get<std::string>()).value_or(Pressure::firm);
    json above = json::object();
    for (const auto& m : rec_.modalities) {
      if (m.pressure > cap) above[m.id] = std::string(to_string(m.pressure));
    }
    if (!above.empty()) fail(key, want, above);
  }
  void warnings(const std::string& key, const json& want) {
    for (const auto& text : want) {
      const auto& needle = text.get_ref<const std::string&>();
      const bool found = std::any_of(rec_.warnings.begin(), rec_.warnings.end(),
                                     [&](const std::string& w) { return w.find(needle) != std::string::npos; });
      if (!found) return fail(key, want, json(rec_.warnings));
    }
  }

  const Recommendation& rec_;
};

// Every `*.json` of a directory except `*.schema.json`, sorted by name; a file stands for itself.
std::vector<std::filesystem::path> expand(const std::vector<std::filesystem::path>& paths) {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  for (const auto& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      out.push_back(path);
      continue;
    }
    std::vector<fs::path> files;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      const bool schema = name.size() >= 12 && name.compare(name.size() - 12, 12, ".schema.json") == 0;
      if (it->path().extension() == ".json" && !schema && !it->is_directory(ec)) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

}  // namespace

CaseResult run_case(const Engine& engine, const json& test_case, const SourceLocation& location) {
  CaseResult result;
  result.location = location;
  try {
    if (!test_case.is_object()) throw CaseError{"a case must be an object, got " + detail::utf8_truncate(shown(test_case), 40)};
    if (auto name = test_case.find("name"); name != test_case.end()) {
      if (!name->is_string()) throw CaseError{"name: must be a string, got " + detail::utf8_truncate(shown(*name), 40)};
      result.name = name->get<std::string>();
    }
    check_known_keys(test_case, case_keys(), "a case");
    if (!test_case.contains("patient")) throw CaseError{"a case needs 'patient'"};
    if (!test_case.contains("expect")) throw CaseError{"a case needs 'expect'"};
    const json& expect = test_case["expect"];
    if (!expect.is_object()) throw CaseError{"expect: must be an object, got " + detail::utf8_truncate(shown(expect), 40)};
    check_known_keys(expect, key_names(expect_keys()), "'expect'");
    for (const auto& key : expect_keys()) {
      if (auto it = expect.find(key.key); it != expect.end()) check_expect_value(engine.rules(), key, *it);
    }

    const Recommendation rec = engine.recommend(Patient::from_json(test_case["patient"]));
    result.fired = strings(rec.fired);
    Checker checker(rec);
    for (const auto& key : expect_keys()) {
      if (auto it = expect.find(key.key); it != expect.end()) checker.check(key.key, *it);
    }
    result.failures = std::move(checker.failures);
  } catch (const CaseError& e) {
    result.error = e.message;
  } catch (const Error& e) {  // PatientError, or a limit the patient hit
    result.error = e.what();
  }
  result.passed = result.error.empty() && result.failures.empty();
  return result;
}

namespace {

// The clauses of a condition: the node itself and, through the logical connectives, each branch.
void clause_nodes(const logic::Node& node, std::vector<const logic::Node*>& out) {
  out.push_back(&node);
  const std::string_view op = node.op();
  if (op == "and" || op == "or" || op == "!" || op == "!!" || op == "if" || op == "?:") {
    for (const auto& child : node.args()) {
      if (child) clause_nodes(*child, out);
    }
  }
}

// Records, for each clause of each rule, whether it held for this patient.
class ClauseTracker {
 public:
  explicit ClauseTracker(const RuleSet& rules) : rules_(detail::CompiledRuleSet::of(rules)) {
    for (std::size_t i = 0; i < rules_.rules.size(); ++i) {
      const auto& when = rules_.compiled[i].when;
      std::vector<const logic::Node*> nodes;
      if (when) clause_nodes(*when, nodes);
      const Rule& rule = rules_.rules[i];
      auto doc = rules_.documents.find(rule.location.file);
      const std::string when_at = rule.pointer + "/when";
      const detail::WrittenCondition written{rule.when, when_at};
      for (const logic::Node* n : nodes) {
        ClauseCoverage c;
        c.rule = rule.id;
        c.pointer = n->pointer();
        c.location = doc != rules_.documents.end() ? doc->second.locate(c.pointer) : rule.location;
        if (const json* clause = written.clause_at(c.pointer)) c.clause = *clause;
        nodes_.push_back(n);
        clauses_.push_back(std::move(c));
      }
    }
  }

  void record(const json& patient_document) {
    try {
      const Patient patient = Patient::from_json(patient_document);
      const detail::NormalizedPatient normalized = detail::normalize(rules_, patient, false);
      for (std::size_t i = 0; i < nodes_.size(); ++i) {
        try {
          logic::Context ctx(patient.document(), &normalized, rules_.limits);
          (nodes_[i]->test(ctx) ? clauses_[i].ever_true : clauses_[i].ever_false) = true;
        } catch (const logic::Error&) {
          // An erroring clause is neither true nor false; the case reports the error.
        }
      }
    } catch (const Error&) {
      // A rejected patient: its case reports why.
    }
  }

  std::vector<ClauseCoverage> take() { return std::move(clauses_); }

 private:
  const detail::CompiledRuleSet& rules_;
  std::vector<const logic::Node*> nodes_;
  std::vector<ClauseCoverage> clauses_;
};

}  // namespace

CaseReport run_case_files(const Engine& engine, const std::vector<std::filesystem::path>& paths) {
  CaseReport report;
  ClauseTracker clauses(engine.rules());
  std::set<std::string> fired;
  for (const auto& path : expand(paths)) {
    std::optional<Document> doc;
    try {
      doc = Document::load(path);
    } catch (const ParseError& e) {
      report.diagnostics.push_back(e.diagnostic());
      continue;
    }
    const json& root = doc->root();
    std::vector<std::string> pointers;
    if (root.is_array()) {
      for (std::size_t i = 0; i < root.size(); ++i) pointers.push_back("/" + std::to_string(i));
    } else if (root.is_object()) {
      pointers.emplace_back("");
    } else {
      Diagnostic d;
      d.code = "cases.type";
      d.message = "a case file holds one case (an object) or an array of cases";
      d.location = doc->locate("");
      report.diagnostics.push_back(std::move(d));
      continue;
    }
    for (const auto& pointer : pointers) {
      const json& test_case = pointer.empty() ? root : root.at(json::json_pointer(pointer));
      CaseResult result = run_case(engine, test_case, doc->locate(pointer));
      if (test_case.is_object() && test_case.contains("patient")) clauses.record(test_case["patient"]);
      fired.insert(result.fired.begin(), result.fired.end());
      ++(result.passed ? report.passed : report.failed);
      report.results.push_back(std::move(result));
    }
  }
  for (const auto& rule : engine.rules().rules()) {
    if (fired.count(rule.id) == 0) report.unfired_rules.push_back(rule.id);
  }
  report.clauses = clauses.take();
  return report;
}

}  // namespace knead
