// Diagnostics as data: knead.SourceLocation, knead.Diagnostic, and the functions that return
// them without raising for problems in the rules (knead.validate, knead.lint).

#include "bindings.hpp"

#include <pybind11/stl.h>

namespace knead::python {
namespace {

Severity parse_severity(const std::string& name) {
  if (name == "error") return Severity::error;
  if (name == "warning") return Severity::warning;
  if (name == "note") return Severity::note;
  throw py::value_error("severity must be 'error', 'warning' or 'note', not '" + name + "'");
}

std::vector<Diagnostic> validate_one(const std::string& path) {
  LoadResult result;
  {
    py::gil_scoped_release release;
    result = RuleSet::try_load(path);
  }
  return std::move(result.diagnostics);
}

py::dict location_dict(const SourceLocation& l) {
  py::dict d;
  d["file"] = l.file;
  d["line"] = l.line;
  d["column"] = l.column;
  d["offset"] = l.offset;
  return d;
}

}  // namespace

void bind_diagnostics(py::module_& m) {
  py::class_<SourceLocation>(m, "SourceLocation", R"pbdoc(
Where a value stood in a source file: ``file``, 1-based ``line`` and ``column`` (bytes), 0-based
byte ``offset``. A location with line 0 names only the file.
)pbdoc")
      .def(py::init([](std::string file, std::size_t line, std::size_t column, std::size_t offset) {
             return SourceLocation{std::move(file), line, column, offset};
           }),
           py::arg("file") = "", py::arg("line") = 0, py::arg("column") = 0, py::arg("offset") = 0)
      .def_readonly("file", &SourceLocation::file)
      .def_readonly("line", &SourceLocation::line)
      .def_readonly("column", &SourceLocation::column)
      .def_readonly("offset", &SourceLocation::offset)
      .def_property_readonly("known", &SourceLocation::known, "True when the line is known.")
      .def("to_dict", &location_dict, "The location as a dict.")
      .def("__str__", &SourceLocation::to_string)
      .def("__repr__", [](const SourceLocation& l) { return "<SourceLocation " + l.to_string() + ">"; })
      .def("__eq__", [](const SourceLocation& a, const SourceLocation& b) { return a == b && a.offset == b.offset; })
      .def("__reduce__", [](const py::object& self) {
        const auto& l = self.cast<const SourceLocation&>();
        return py::make_tuple(py::type::of(self), py::make_tuple(l.file, l.line, l.column, l.offset));
      });

  py::class_<Diagnostic>(m, "Diagnostic", R"pbdoc(
One problem in a rule set, a patient or a case file, as data.

``severity`` is ``"error"``, ``"warning"`` or ``"note"``; ``code`` a stable dotted identifier
(``"check.unknown_concept"``, ``"lint.no_evidence"``, ...); ``pointer`` the JSON pointer of the value
concerned within its file; ``notes`` further lines. ``str(d)`` gives
``file:line:col: error: message [pointer]``.
)pbdoc")
      .def(py::init([](const std::string& severity, std::string code, std::string message, SourceLocation location,
                       std::string pointer, std::vector<std::string> notes) {
             Diagnostic d;
             d.severity = parse_severity(severity);
             d.code = std::move(code);
             d.message = std::move(message);
             d.location = std::move(location);
             d.pointer = std::move(pointer);
             d.notes = std::move(notes);
             return d;
           }),
           py::arg("severity"), py::arg("code"), py::arg("message"), py::arg("location") = SourceLocation{},
           py::arg("pointer") = "", py::arg("notes") = std::vector<std::string>{},
           "A diagnostic of your own (e.g. from a tool that checks rule files further).")
      .def_property_readonly("severity", [](const Diagnostic& d) { return std::string(to_string(d.severity)); })
      .def_readonly("code", &Diagnostic::code)
      .def_readonly("message", &Diagnostic::message)
      .def_readonly("location", &Diagnostic::location)
      .def_property_readonly("file", [](const Diagnostic& d) { return d.location.file; })
      .def_property_readonly("line", [](const Diagnostic& d) { return d.location.line; })
      .def_property_readonly("column", [](const Diagnostic& d) { return d.location.column; })
      .def_readonly("pointer", &Diagnostic::pointer)
      .def_readonly("notes", &Diagnostic::notes)
      .def_property_readonly(
          "is_error", [](const Diagnostic& d) { return d.severity == Severity::error; }, "True for severity 'error'.")
      .def(
          "to_dict",
          [](const Diagnostic& d) {
            py::dict out;
            out["severity"] = to_string(d.severity);
            out["code"] = d.code;
            out["message"] = d.message;
            out["file"] = d.location.file;
            out["line"] = d.location.line;
            out["column"] = d.location.column;
            out["pointer"] = d.pointer;
            out["notes"] = d.notes;
            return out;
          },
          "The diagnostic as a dict (severity, code, message, file, line, column, pointer, notes).")
      .def("__str__", &Diagnostic::to_string)
      .def("__repr__",
           [](const Diagnostic& d) {
             return "<Diagnostic " + std::string(to_string(d.severity)) + " " + d.code + " at " +
                    d.location.to_string() + ": " + d.message + ">";
           })
      .def("__reduce__", [](const py::object& self) {
        const auto& d = self.cast<const Diagnostic&>();
        return py::make_tuple(py::type::of(self), py::make_tuple(std::string(to_string(d.severity)), d.code, d.message,
                                                                 d.location, d.pointer, d.notes));
      });

  m.def(
      "validate",
      [](const py::object& paths) {
        std::vector<Diagnostic> all;
        if (PyUnicode_Check(paths.ptr()) || py::hasattr(paths, "__fspath__")) {
          all = validate_one(path_string(paths));
        } else {
          std::vector<std::string> list;
          for (const py::handle p : paths) list.push_back(path_string(p));
          for (const auto& p : list) {
            auto more = validate_one(p);
            all.insert(all.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
          }
        }
        return wrap_list("_diagnostic_list", py::cast(all));
      },
      py::arg("paths"), R"pbdoc(
Checks rule files without raising for problems in them.

Args:
    paths: a rule-set file or directory, or a list of them (each checked as its own rule set).

Returns:
    Every diagnostic found (errors first, then warnings; each group sorted by location). An empty
    list means the rule set loads cleanly. An unreadable path is a diagnostic too (``io.read``).

Raises:
    TypeError: ``paths`` is neither a path nor an iterable of paths.
)pbdoc");

  m.def(
      "lint",
      [](const py::object& rules) {
        std::vector<Diagnostic> found;
        if (py::isinstance<PyRuleSet>(rules)) {
          const RuleSet r = rules.cast<const PyRuleSet&>().rules();
          py::gil_scoped_release release;
          found = knead::lint(r);
        } else {
          const std::string path = path_string(rules);
          py::gil_scoped_release release;
          const RuleSet r = RuleSet::load(path);
          found = knead::lint(r);
        }
        return wrap_list("_diagnostic_list", py::cast(found));
      },
      py::arg("rules"), R"pbdoc(
Warnings a valid rule set may still deserve: rules that can never fire, that
recommend what another contraindicates, duplicates, unused concepts, modalities without a safety
rule, rules without evidence.

Args:
    rules: a RuleSet, or a path to load one from.

Returns:
    A list of warning-severity Diagnostic objects (codes ``lint.*``).

Raises:
    LoadError: ``rules`` is a path whose rule set does not load.
)pbdoc");
}

}  // namespace knead::python
