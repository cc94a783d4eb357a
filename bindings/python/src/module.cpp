// The extension module knead._core: the C++ API as Python sees it. The package `knead`
// re-exports it (see knead/__init__.py), adding the Python-only parts.

#include "background_free.hpp"
#include "bindings.hpp"

#include <knead/version.hpp>

namespace knead::python {
namespace {

// The module itself, for the list hooks; never released (it lives as long as the interpreter).
py::handle& core_module() {
  static py::handle module;
  return module;
}

}  // namespace

py::object wrap_list(const char* hook, py::list items) {
  const py::handle core = core_module();
  if (core && py::hasattr(core, hook)) {
    const py::object type = core.attr(hook);
    if (!type.is_none()) return type(std::move(items));
  }
  return std::move(items);
}

std::string path_string(py::handle path) {
  // os.fsencode accepts str, bytes and os.PathLike, and raises TypeError for anything else; its
  // bytes are what the file system sees (surrogate-escaped names survive).
  if (!PyUnicode_Check(path.ptr()) && !PyBytes_Check(path.ptr()) && !py::hasattr(path, "__fspath__")) {
    throw py::type_error("expected a path (str or os.PathLike), not " +
                         py::str(py::type::handle_of(path).attr("__name__")).cast<std::string>());
  }
  const py::bytes encoded = py::module_::import("os").attr("fsencode")(path);
  return encoded.cast<std::string>();
}

}  // namespace knead::python

PYBIND11_MODULE(_core, m) {
  namespace kp = knead::python;
  m.doc() = R"pbdoc(
knead's C++ core. Use it through the ``knead`` package, which re-exports it:

    import knead
    rules = knead.default_rules()
    rec = rules.recommend({"conditions": ["fibromyalgia"], "goals": ["improve_sleep_reduce_anxiety"]})
)pbdoc";
  m.attr("__version__") = knead::version();
  kp::core_module() = m.inc_ref();
  // Set by the package to list subclasses that display as tables; plain lists until then.
  m.attr("_result_list") = pybind11::none();
  m.attr("_diagnostic_list") = pybind11::none();

  // Results are freed on a thread of their own (background_free.hpp) until the interpreter
  // exits; what is freed while it shuts down is freed at once.
  pybind11::module_::import("atexit").attr("register")(pybind11::cpp_function([] {
    const pybind11::gil_scoped_release release;
    kp::background_free::stop();
  }));
  m.def(
      "_wait_for_frees",
      [] {
        const pybind11::gil_scoped_release release;
        kp::background_free::wait();
      },
      "Waits until the results Python has let go of are freed (benchmarks time it apart).");

  kp::bind_errors(m);
  kp::bind_diagnostics(m);
  kp::bind_recommendation(m);
  kp::bind_fhir(m);
  auto rule_set = kp::bind_rule_set(m);
  kp::bind_engine(m, rule_set);
  kp::bind_logic(m);
  kp::bind_cases(m);
  kp::bind_vocabulary(m);
}
