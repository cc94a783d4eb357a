// Case files (tests of a rule set): knead.test and knead.run_case.

#include "bindings.hpp"
#include "convert.hpp"

#include <pybind11/stl.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace knead::python {
namespace {

std::shared_ptr<PyRuleSet> rule_set_of(const py::object& rules) {
  if (py::isinstance<PyRuleSet>(rules)) return rules.cast<std::shared_ptr<PyRuleSet>>();
  const std::string path = path_string(rules);
  py::gil_scoped_release release;
  return std::make_shared<PyRuleSet>(RuleSet::load(path));
}

std::vector<std::filesystem::path> case_paths(const py::object& cases) {
  std::vector<std::filesystem::path> out;
  if (PyUnicode_Check(cases.ptr()) || PyBytes_Check(cases.ptr()) || py::hasattr(cases, "__fspath__")) {
    out.emplace_back(path_string(cases));
  } else {
    for (const py::handle p : cases) out.emplace_back(path_string(p));
  }
  return out;
}

}  // namespace

void bind_cases(py::module_& m) {
  py::class_<CaseFailure>(m, "CaseFailure", "One unmet expectation of a case.")
      .def_readonly("expectation", &CaseFailure::expectation, "The ``expect`` key, e.g. 'modalities_include'.")
      .def_readonly("expected", &CaseFailure::expected, "What the case expected, as JSON text.")
      .def_readonly("actual", &CaseFailure::actual, "What came out, as JSON text.")
      .def("__str__",
           [](const CaseFailure& f) { return f.expectation + ": expected " + f.expected + ", got " + f.actual; })
      .def("__repr__", [](const CaseFailure& f) { return "<CaseFailure " + f.expectation + ">"; });

  py::class_<CaseResult>(m, "CaseResult", "The outcome of one case.")
      .def_readonly("name", &CaseResult::name)
      .def_readonly("location", &CaseResult::location, "Where the case starts.")
      .def_readonly("passed", &CaseResult::passed)
      .def_readonly("failures", &CaseResult::failures)
      .def_readonly("error", &CaseResult::error, "Set when the case is malformed or its patient is rejected.")
      .def_readonly("fired", &CaseResult::fired, "Rules the case fired.")
      .def("__bool__", [](const CaseResult& r) { return r.passed; })
      .def("__repr__", [](const CaseResult& r) {
        return "<CaseResult " + py::repr(py::str(r.name)).cast<std::string>() + (r.passed ? " passed>" : " FAILED>");
      });

  py::class_<CaseReport>(m, "CaseReport", R"pbdoc(
The outcome of a run of case files: ``passed`` and ``failed`` counts, every ``CaseResult``, the
rules no case fired (``unfired_rules``) and the unreadable or malformed files (``diagnostics``).
``ok`` is true when nothing failed.
)pbdoc")
      .def_readonly("results", &CaseReport::results)
      .def_readonly("passed", &CaseReport::passed)
      .def_readonly("failed", &CaseReport::failed)
      .def_readonly("unfired_rules", &CaseReport::unfired_rules)
      .def_property_readonly("diagnostics",
                             [](const CaseReport& r) { return wrap_list("_diagnostic_list", py::cast(r.diagnostics)); })
      .def_property_readonly("ok", &CaseReport::ok)
      .def("__bool__", &CaseReport::ok)
      .def("__str__",
           [](const CaseReport& r) {
             return std::to_string(r.passed) + " passed, " + std::to_string(r.failed) + " failed";
           })
      .def("__repr__", [](const CaseReport& r) {
        return "<CaseReport " + std::to_string(r.passed) + " passed, " + std::to_string(r.failed) + " failed>";
      });

  m.def(
      "test",
      [](const py::object& rules, const py::object& cases) {
        const auto rs = rule_set_of(rules);
        const auto paths = case_paths(cases);
        // A case file that does not exist is a mistake in the call, not a test that passed.
        for (const auto& path : paths) {
          std::error_code ec;
          if (!std::filesystem::exists(path, ec)) {
            const py::object not_found = py::module_::import("builtins").attr("FileNotFoundError");
            PyErr_SetObject(not_found.ptr(),
                            not_found(ENOENT, "no such case file or directory", path.string()).ptr());
            throw py::error_already_set();
          }
        }
        py::gil_scoped_release release;
        return run_case_files(rs->engine, paths);
      },
      py::arg("rules"), py::arg("cases"), R"pbdoc(
Runs case files against a rule set, as ``knead test`` does.

Args:
    rules: a RuleSet, or a path to load one from.
    cases: a case file or directory, or a list of them (a file holds one case or an array).

Returns:
    A CaseReport (``passed``, ``failed``, ``results``, ``unfired_rules``, ``diagnostics``).

Raises:
    LoadError: ``rules`` is a path whose rule set does not load. Unreadable case files are
        reported in ``diagnostics``, not raised.
    FileNotFoundError: a case file or directory named in ``cases`` does not exist.
)pbdoc");

  m.def(
      "run_case",
      [](const py::object& rules, const py::object& test_case) {
        const auto rs = rule_set_of(rules);
        nlohmann::json doc;
        if (PyUnicode_Check(test_case.ptr())) {
          doc = Document::parse(detail::utf8(test_case), "<case>").root();
        } else {
          doc = to_json(test_case, "case");
        }
        py::gil_scoped_release release;
        return run_case(rs->engine, doc);
      },
      py::arg("rules"), py::arg("case"), R"pbdoc(
Runs one case (``{"name", "patient", "expect"}``, as a dict or JSON text) against a rule set.

Returns:
    A CaseResult; a malformed case or a rejected patient sets its ``error``.

Raises:
    ParseError: the JSON text is malformed. TypeError / ValueError: the dict is not JSON.
)pbdoc");
}

}  // namespace knead::python
