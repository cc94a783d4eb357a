// knead's JsonLogic core on its own: knead.logic.apply(rule, data) and knead.logic.Program.

#include "bindings.hpp"
#include "convert.hpp"

namespace knead::python {
namespace {

// Rules and data from Python are accepted as deep as the converter safely goes; the compiler's
// own limit (logic::Limits::max_depth) then rejects over-deep rules with a LogicError, as it does
// for rules read from files.
constexpr std::size_t kLogicInputDepth = 1024;

nlohmann::json rule_json(const py::handle& rule) { return to_json(rule, "rule", kLogicInputDepth); }
nlohmann::json data_json(const py::handle& data) { return to_json(data, "data", kLogicInputDepth); }

}  // namespace

void bind_logic(py::module_& m) {
  py::module_ logic = m.def_submodule("logic", "knead's JsonLogic core, usable on its own.");

  logic.def(
      "apply",
      [](const py::object& rule, const py::object& data) {
        const nlohmann::json r = rule_json(rule);
        const nlohmann::json d = data_json(data);
        nlohmann::json result;
        {
          py::gil_scoped_release release;
          result = logic::apply(r, d);
        }
        return to_python(result);
      },
      py::arg("rule"), py::arg("data") = py::none(), R"pbdoc(
Evaluates a JsonLogic rule against data (classic operators and the community specification's
``val``, ``exists``, ``??``, ``try``, ``throw``, with JavaScript's truthiness and coercions).

    >>> knead.logic.apply({"+": [1, 2]}, None)
    3

Raises:
    LogicError: an unknown operator, wrong arguments, NaN, a value raised by ``throw``, or an
        exceeded limit (``.type``, ``.value``, ``.kind``, ``.code`` say which).
    TypeError / ValueError: the rule or data is not JSON.
)pbdoc");

  py::class_<logic::Program>(logic, "Program", R"pbdoc(
A compiled JsonLogic rule: compile once, evaluate many times (thread-safe, immutable).
)pbdoc")
      .def(py::init([](const py::object& rule) {
             const nlohmann::json r = rule_json(rule);
             py::gil_scoped_release release;
             return logic::Program::compile(r);
           }),
           py::arg("rule"), "Compiles ``rule``; raises LogicError for unknown operators, bad arguments, deep nesting.")
      .def(
          "evaluate",
          [](const logic::Program& p, const py::object& data) {
            const nlohmann::json d = data_json(data);
            nlohmann::json result;
            {
              py::gil_scoped_release release;
              result = p.evaluate(d);
            }
            return to_python(result);
          },
          py::arg("data") = py::none(), "The rule's value for ``data``; raises LogicError.")
      .def(
          "test",
          [](const logic::Program& p, const py::object& data) {
            const nlohmann::json d = data_json(data);
            py::gil_scoped_release release;
            return p.test(d);
          },
          py::arg("data") = py::none(), "The truthiness of the rule's value for ``data`` (JavaScript's rules).")
      .def("__repr__", [](const logic::Program&) { return std::string("<knead.logic.Program>"); });
}

}  // namespace knead::python
