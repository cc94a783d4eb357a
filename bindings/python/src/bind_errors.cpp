// knead's exceptions as Python exceptions: knead.Error and its subclasses, each carrying what
// the C++ exception carries (code, diagnostics, field, JsonLogic error value).

#include "bindings.hpp"
#include "convert.hpp"

#include <pybind11/stl.h>

#include <new>
#include <stdexcept>

namespace knead::python {
namespace {

// The exception classes, created once at import. The references are never released: the
// classes live as long as the interpreter, and a static py::object would outlive it.
struct ErrorTypes {
  py::handle error;
  py::handle load;
  py::handle parse;
  py::handle patient;
  py::handle logic;
};

ErrorTypes& error_types() {
  static ErrorTypes types;
  return types;
}

const char* kind_name(logic::Error::Kind kind) {
  switch (kind) {
    case logic::Error::Kind::nan:
      return "nan";
    case logic::Error::Kind::invalid_arguments:
      return "invalid_arguments";
    case logic::Error::Kind::thrown:
      return "thrown";
    case logic::Error::Kind::unknown_operator:
      return "unknown_operator";
    case logic::Error::Kind::limit:
      return "limit";
  }
  return "unknown";
}

py::object instance(py::handle type, const char* message, const std::string& code) {
  py::object exc = py::reinterpret_borrow<py::object>(type)(py::str(message));
  exc.attr("code") = code;
  return exc;
}

py::object diagnostics_list(const std::vector<Diagnostic>& diagnostics) {
  return wrap_list("_diagnostic_list", py::cast(diagnostics));
}

}  // namespace

py::object error_object(const std::exception_ptr& error) {
  const ErrorTypes& t = error_types();
  try {
    std::rethrow_exception(error);
  } catch (const LoadError& e) {
    py::object exc = instance(t.load, e.what(), e.code());
    exc.attr("diagnostics") = diagnostics_list(e.diagnostics());
    return exc;
  } catch (const ParseError& e) {
    py::object exc = instance(t.parse, e.what(), e.code());
    exc.attr("diagnostic") = py::cast(e.diagnostic());
    exc.attr("diagnostics") = diagnostics_list({e.diagnostic()});
    return exc;
  } catch (const PatientError& e) {
    py::object exc = instance(t.patient, e.what(), e.code());
    exc.attr("field") = e.field();
    return exc;
  } catch (const logic::Error& e) {
    py::object exc = instance(t.logic, e.what(), e.code());
    const auto& value = e.value();
    const auto type = value.is_object() ? value.find("type") : value.end();
    exc.attr("type") = type != value.end() && type->is_string() ? py::object(py::str(type->get<std::string>()))
                                                                : py::object(py::none());
    exc.attr("value") = to_python(value);
    exc.attr("kind") = kind_name(e.kind());
    exc.attr("pointer") = e.pointer();
    return exc;
  } catch (const Error& e) {
    return instance(t.error, e.what(), e.code());
  } catch (const std::bad_alloc&) {
    return py::reinterpret_borrow<py::object>(PyExc_MemoryError)();
  } catch (const std::exception& e) {
    return instance(t.error, e.what(), "internal");
  }
}

void bind_errors(py::module_& m) {
  // The classes: knead.Error derives from Exception, the others from knead.Error.
  // register_exception also installs a plain translator for each; the richer one below,
  // registered later, is tried first.
  auto& error = py::register_exception<Error>(m, "Error", PyExc_Exception);
  auto& load = py::register_exception<LoadError>(m, "LoadError", error.ptr());
  auto& parse = py::register_exception<ParseError>(m, "ParseError", error.ptr());
  auto& patient = py::register_exception<PatientError>(m, "PatientError", error.ptr());
  auto& logic_error = py::register_exception<logic::Error>(m, "LogicError", error.ptr());

  ErrorTypes& t = error_types();
  t.error = error.inc_ref();
  t.load = load.inc_ref();
  t.parse = parse.inc_ref();
  t.patient = patient.inc_ref();
  t.logic = logic_error.inc_ref();

  // Class-level defaults, so that an exception raised from Python code has the attributes too.
  error.attr("__doc__") = R"pbdoc(Base class of every error knead raises.

Attributes:
    code: stable dotted identifier of the kind of error (``"parse.syntax"``,
        ``"check.unknown_concept"``, ``"limit.depth"``, ...), or None.
    index: in ``recommend_many``, the position of the patient that failed; else None.)pbdoc";
  error.attr("code") = py::none();
  error.attr("index") = py::none();
  load.attr("__doc__") =
      R"pbdoc(A rule set could not be loaded. ``diagnostics`` lists every problem found, sorted.)pbdoc";
  load.attr("diagnostics") = py::tuple();
  parse.attr("__doc__") = R"pbdoc(A JSON document (a patient or a rule file given as text) could not be parsed.

``diagnostic`` is the problem, with its line and column; ``diagnostics`` is the same as a list.)pbdoc";
  parse.attr("diagnostic") = py::none();
  parse.attr("diagnostics") = py::tuple();
  patient.attr("__doc__") =
      R"pbdoc(A malformed patient: a wrong type or an out-of-range value, or (strict mode) an unknown id.

``field`` is the dotted path of the offending field, e.g. ``"pain.intensity"``.)pbdoc";
  patient.attr("field") = py::none();
  logic_error.attr("__doc__") = R"pbdoc(A JsonLogic expression failed to compile or to evaluate.

Attributes:
    type: the error type as JsonLogic's ``try`` sees it: ``"NaN"``, ``"Invalid Arguments"``, or the
        string given to ``throw``; None when the thrown value is not an object with a type.
    value: the error value itself (e.g. ``{"type": "NaN"}``, or whatever ``throw`` raised).
    kind: ``"nan"``, ``"invalid_arguments"``, ``"thrown"``, ``"unknown_operator"`` or ``"limit"``.
    pointer: JSON pointer of the failing node within the rule ("" when unknown).)pbdoc";
  logic_error.attr("type") = py::none();
  logic_error.attr("value") = py::none();
  logic_error.attr("kind") = py::none();
  logic_error.attr("pointer") = "";

  // For the tests of this translation: throws the C++ exception named by `kind`.
  m.def(
      "_raise_for_test",
      [](const std::string& kind) {
        Diagnostic d;
        d.code = "check.type";
        d.message = "'x' must be a string";
        d.location = SourceLocation{"f.json", 3, 5, 40};
        d.pointer = "/rules/0/x";
        if (kind == "error") throw Error("test.error", "a knead error");
        if (kind == "load") throw LoadError({d, d});
        if (kind == "parse") throw ParseError(d);
        if (kind == "patient")
          throw PatientError("patient.range", "pain.intensity", "patient.pain.intensity: out of range");
        if (kind == "logic") throw logic::Error::thrown(nlohmann::json{{"type", "Custom"}, {"detail", 1}}, "/x");
        if (kind == "logic_value") throw logic::Error::thrown(42);
        if (kind == "std") throw std::runtime_error("a standard exception");
        if (kind == "out_of_range") throw std::out_of_range("an index out of range");
        if (kind == "bad_alloc") throw std::bad_alloc();
        if (kind == "cast") throw py::cast_error("cannot convert the value");
        throw py::value_error("unknown kind '" + kind + "'");
      },
      py::arg("kind"));

  py::register_exception_translator([](std::exception_ptr p) {
    if (!p) return;
    try {
      std::rethrow_exception(p);
    } catch (const py::cast_error& e) {
      // A Python value of the wrong type reached the glue code: a TypeError (pybind11 would
      // make it a RuntimeError).
      PyErr_SetString(PyExc_TypeError, e.what());
    } catch (const py::builtin_exception&) {
      throw;  // pybind11's own TypeError, ValueError, ...: its translator handles them
    } catch (const py::error_already_set&) {
      throw;
    } catch (const std::bad_alloc&) {
      throw;  // MemoryError, by pybind11
    } catch (const std::exception&) {
      py::object exc = error_object(p);
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
    }
  });
}

}  // namespace knead::python
