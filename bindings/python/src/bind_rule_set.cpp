// knead.RuleSet (load, parse, inspect, pickle), knead.Rule and knead.Concept.

#include "bindings.hpp"
#include "convert.hpp"

#include <pybind11/stl.h>

#include <filesystem>
#include <map>

namespace knead::python {
namespace {

constexpr auto kInternal = py::return_value_policy::reference_internal;

// Version of the pickled state; bump when its layout changes.
constexpr int kPickleFormat = 1;
// The name pickled rule sets are rebuilt under (it appears in their locations).
constexpr const char* kPickledName = "<pickled rule set>";

ConceptKind parse_kind(const std::string& name) {
  for (ConceptKind kind : all_concept_kinds) {
    if (name == to_string(kind) || name == plural(kind)) return kind;
  }
  std::string known;
  for (ConceptKind kind : all_concept_kinds) known += (known.empty() ? "" : ", ") + std::string(to_string(kind));
  throw py::value_error("unknown concept kind '" + name + "'; expected one of " + known);
}

// The content a pickle carries: the canonical document (what the digest is computed from,
// itself a loadable single-file rule set), with its rules put back in rule-set order, which
// the canonical form sorts by id but which `fired` and explanations follow.
std::string pickled_text(const RuleSet& rules) {
  nlohmann::json doc = rules.canonical();
  auto& canonical_rules = doc["rules"];
  std::map<std::string, nlohmann::json*> by_id;
  for (auto& r : canonical_rules) by_id.emplace(r.value("id", ""), &r);
  nlohmann::json ordered = nlohmann::json::array();
  for (const auto& r : rules.rules()) {
    auto it = by_id.find(r.id);
    if (it == by_id.end()) throw Error("python.pickle", "rule '" + r.id + "' is missing from the canonical content");
    ordered.push_back(std::move(*it->second));
  }
  canonical_rules = std::move(ordered);
  return doc.dump();
}

// A path, or a list of paths: a stack of rule sets, later ones overlaying earlier ones.
std::shared_ptr<PyRuleSet> load_path(const py::handle& path) {
  if (py::isinstance<py::list>(path) || py::isinstance<py::tuple>(path)) {
    std::vector<std::filesystem::path> paths;
    for (const auto& item : path) paths.emplace_back(path_string(item));
    if (paths.empty()) throw py::value_error("RuleSet.load: the list of rule sets is empty");
    py::gil_scoped_release release;
    return std::make_shared<PyRuleSet>(RuleSet::load(paths));
  }
  const std::string p = path_string(path);
  py::gil_scoped_release release;
  return std::make_shared<PyRuleSet>(RuleSet::load(p));
}

py::object evidence_dict(const Rule& r) {
  if (!r.evidence) return py::none();
  py::dict d;
  d["grade"] = std::string(to_string(r.evidence->grade));
  d["source"] = r.evidence->source;
  d["note"] = r.evidence->note;
  return std::move(d);
}

}  // namespace

RuleSetClass bind_rule_set(py::module_& m) {
  py::class_<Rule>(m, "Rule", "One rule of a rule set, as written (read-only).")
      .def_readonly("id", &Rule::id)
      .def_readonly("title", &Rule::title)
      .def_readonly("description", &Rule::description)
      .def_readonly("priority", &Rule::priority)
      .def_property_readonly(
          "when", [](const Rule& r) { return to_python(r.when); },
          "The JsonLogic condition as written (None: always fires).")
      .def_property_readonly(
          "modalities",
          [](const Rule& r) {
            std::vector<std::string> ids;
            for (const auto& x : r.recommend) ids.push_back(x.modality);
            return ids;
          },
          "Ids of the modalities it recommends.")
      .def_property_readonly("evidence", &evidence_dict, "{'grade', 'source', 'note'} or None.")
      .def_readonly("tags", &Rule::tags)
      .def_readonly("location", &Rule::location, "Where the rule object starts.")
      .def_readonly("pointer", &Rule::pointer, "JSON pointer of the rule in its file, e.g. '/rules/3'.")
      .def_property_readonly("safety_relevant", &Rule::safety_relevant,
                             "True when it can veto or stop treatment (has avoid or refer).")
      .def("__repr__", [](const Rule& r) { return "<Rule " + r.id + ">"; });

  py::class_<Concept>(m, "Concept", "A concept of the rule set's ontology (read-only).")
      .def_property_readonly("kind", [](const Concept& c) { return std::string(to_string(c.kind)); })
      .def_readonly("id", &Concept::id)
      .def_readonly("label", &Concept::label)
      .def_readonly("description", &Concept::description)
      .def_readonly("is_a", &Concept::is_a, "Direct parents (same kind).")
      .def_readonly("codes", &Concept::codes, "Code system ('icd10cm', 'snomed') -> codes.")
      .def_property_readonly(
          "pressure",
          [](const Concept& c) {
            return c.pressure ? py::object(py::str(std::string(to_string(*c.pressure)))) : py::object(py::none());
          },
          "Modalities: default pressure; else None.")
      .def_readonly("duration_min", &Concept::duration_min)
      .def_readonly("instructions", &Concept::instructions)
      .def_readonly("location", &Concept::location)
      .def("__repr__",
           [](const Concept& c) { return "<Concept " + std::string(to_string(c.kind)) + " " + c.id + ">"; });

  RuleSetClass cls(m, "RuleSet", R"pbdoc(
A loaded, checked and compiled rule set, with the engine that applies it. Immutable, and safe to
share between threads. Pickles (by its canonical content, checked against the digest on load), so
batch jobs can ship it to other processes.

Create one with ``RuleSet(path)`` (the same as ``RuleSet.load(path)``), ``RuleSet.parse(text)`` or
``knead.default_rules()``.
)pbdoc");
  cls.def(py::init(&load_path), py::arg("path"), R"pbdoc(
Loads a rule set from a JSON file or a directory: the same as ``RuleSet.load(path)``. For JSON
text use ``RuleSet.parse(text)``; for the shipped rules, ``knead.default_rules()``.

Raises:
    LoadError: the rule set has errors; ``.diagnostics`` lists all of them.
    TypeError: ``path`` is not a str or os.PathLike.
)pbdoc");
  cls.def_static("load", &load_path, py::arg("path"), R"pbdoc(
Loads a rule set from a JSON file or a directory (every ``*.json`` in it, sorted by name, except
``*.schema.json``), following ``include``s. Given a list of paths, stacks them: each later rule
set overlays those before it (new concepts and rules; ``"replaces"`` and ``"disable"`` take base
rules away, and only they do); ``layers`` names each.

Raises:
    LoadError: the rule set has errors; ``.diagnostics`` lists all of them.
    TypeError: ``path`` is not a str, os.PathLike or a list of them.
)pbdoc")
      .def_static(
          "parse",
          [](const std::string& text, const std::string& name) {
            py::gil_scoped_release release;
            return std::make_shared<PyRuleSet>(RuleSet::parse(text, name));
          },
          py::arg("text"), py::arg("name") = "<rules>", R"pbdoc(
Loads a rule set from JSON text (one document; ``include`` is not allowed). ``name`` stands for the
file in diagnostics and explanations.

Raises:
    LoadError: the text is not valid JSON or the rule set has errors.
)pbdoc")
      .def_static(
          "load_default",
          []() {
            py::gil_scoped_release release;
            return std::make_shared<PyRuleSet>(RuleSet::load_default());
          },
          R"pbdoc(
The shipped default rule set: ``$KNEAD_RULES`` if set, else the source tree's ``rules/``, else the
installed copy. Raises LoadError when none is found.
)pbdoc")
      .def_static(
          "default_path", []() { return RuleSet::default_path().string(); },
          "Where load_default() looks first (``$KNEAD_RULES`` or the shipped rules directory).")
      .def_property_readonly("name", [](const PyRuleSet& s) { return s.rules().name(); })
      .def_property_readonly("version", [](const PyRuleSet& s) { return s.rules().version(); })
      .def_property_readonly(
          "digest", [](const PyRuleSet& s) { return s.rules().digest(); },
          "'sha256:<hex>' of the canonical content, for audit.")
      .def_property_readonly(
          "rules", [](const PyRuleSet& s) -> const auto& { return s.rules().rules(); }, kInternal,
          "The rules (list of Rule), in rule-set order.")
      .def_property_readonly(
          "default_goals", [](const PyRuleSet& s) { return s.rules().default_goals(); },
          "Goals used for a patient who gives none.")
      .def_property_readonly(
          "files", [](const PyRuleSet& s) { return s.rules().files(); }, "The files read, in load order.")
      .def_property_readonly(
          "layers",
          [](const PyRuleSet& s) {
            py::list out;
            for (const auto& l : s.rules().layers()) {
              py::dict d;
              d["name"] = l.name;
              d["version"] = l.version;
              d["digest"] = l.digest;
              d["path"] = l.path;
              out.append(std::move(d));
            }
            return out;
          },
          "The rule sets stacked to make this one, bottom first: [{'name', 'version', 'digest', 'path'}].")
      .def_property_readonly(
          "warnings", [](const PyRuleSet& s) { return wrap_list("_diagnostic_list", py::cast(s.rules().warnings())); },
          "Non-fatal diagnostics found while loading.")
      .def(
          "concepts", [](const PyRuleSet& s, const std::string& kind) -> const auto& {
            return s.rules().ontology().concepts(parse_kind(kind));
          },
          py::arg("kind"), kInternal, R"pbdoc(
The concepts of one kind, sorted by id.

Args:
    kind: ``"condition"``, ``"goal"``, ``"finding"``, ``"medication"``, ``"modality"``,
        ``"self_care"`` or ``"region"`` (the plural forms work too).

Raises:
    ValueError: unknown kind.
)pbdoc")
      .def(
          "canonical", [](const PyRuleSet& s) { return to_python(s.rules().canonical()); },
          "The canonical content the digest is computed from (a single loadable rule-set document).")
      .def("__len__", [](const PyRuleSet& s) { return s.rules().rules().size(); })
      .def("__repr__",
           [](const PyRuleSet& s) {
             const auto& r = s.rules();
             return "<RuleSet " + r.name() + " " + r.version() + " (" + std::to_string(r.rules().size()) + " rules) " +
                    r.digest().substr(0, 19) + ">";
           })
      // Immutable: copies are the object itself.
      .def("__copy__", [](const py::object& self) { return self; })
      .def(
          "__deepcopy__", [](const py::object& self, const py::object&) { return self; }, py::arg("memo"))
      // Pickled through a function rather than py::pickle, whose __setstate__ cannot rebuild a
      // pybind11 object under pickle protocols 0 and 1. The function is the package's Python
      // one: pybind11's own functions cannot be pickled by reference.
      .def(
          "__reduce__",
          [](const PyRuleSet& s) {
            const auto& r = s.rules();
            return py::make_tuple(py::module_::import("knead").attr("_rule_set_from_pickle"),
                                  py::make_tuple(kPickleFormat, r.name(), r.digest(), py::bytes(pickled_text(r))));
          },
          "Pickles the rule set by its canonical content (rules in rule-set order) and digest.");

  m.def(
      "_rule_set_from_pickle",
      [](const py::object& format, const py::object& name, const std::string& digest, const py::bytes& text) {
        (void)name;  // carried for readers of the pickle; the content names itself
        if (!py::isinstance<py::int_>(format) || !format.equal(py::int_(kPickleFormat))) {
          throw Error("python.pickle", "not a pickled knead.RuleSet of a format this version reads");
        }
        const std::string content = text;
        std::shared_ptr<PyRuleSet> rebuilt;
        {
          py::gil_scoped_release release;
          rebuilt = std::make_shared<PyRuleSet>(RuleSet::parse(content, kPickledName));
        }
        if (rebuilt->rules().digest() != digest) {
          throw Error("python.pickle", "the unpickled rule set's digest " + rebuilt->rules().digest() +
                                           " differs from the pickled one " + digest);
        }
        return rebuilt;
      },
      py::arg("format"), py::arg("name"), py::arg("digest"), py::arg("text"),
      "Rebuilds a pickled RuleSet, checking its digest (knead._rule_set_from_pickle calls it).");
  return cls;
}

}  // namespace knead::python
