// knead.Patient: a patient read from FHIR (a Bundle or a CDS Hooks request), with what could
// not be read. RuleSet.recommend takes it, or the Bundle itself.

#include "bindings.hpp"
#include "convert.hpp"

#include <knead/cds_hooks.hpp>

#include <pybind11/stl.h>

#include <optional>

namespace knead::python {

Patient patient_from_fhir_json(const nlohmann::json& document, const RuleSet* rules, const std::string& as_of) {
  const FhirOptions options{as_of, rules};
  if (is_cds_hooks_request(document)) return patient_from_cds_hooks_request(document, options);
  return Patient::from_fhir(document, options);
}

void bind_fhir(py::module_& m) {
  py::class_<Patient>(m, "Patient", R"pbdoc(
A patient record as knead reads it. Made from FHIR with ``Patient.from_fhir``; ``RuleSet.recommend``
takes it as it takes a dict.
)pbdoc")
      .def_static(
          "from_fhir",
          [](const py::object& resource, const std::shared_ptr<PyRuleSet>& rules, const std::optional<std::string>& as_of) {
            nlohmann::json document;
            if (PyUnicode_Check(resource.ptr())) {
              const std::string text = detail::utf8(resource);
              py::gil_scoped_release release;
              document = Document::parse(text, "<fhir>").root();
            } else {
              document = to_json(resource, "resource");
            }
            py::gil_scoped_release release;
            return patient_from_fhir_json(document, rules ? &rules->rules() : nullptr, as_of.value_or(""));
          },
          py::arg("resource"), py::kw_only(), py::arg("rules") = nullptr, py::arg("as_of") = py::none(), R"pbdoc(
Reads FHIR R4 into a patient: a Bundle, a CDS Hooks request (its prefetch), or one resource,
as a dict or JSON text.

Args:
    resource: the FHIR input.
    rules: the RuleSet the patient is for; with it, a resource's alternative codings are chosen
        among those the rule set knows, and a finding's body sites stay with it.
    as_of: the date ages are computed at, "YYYY-MM-DD" (default: today, UTC).

Returns:
    A Patient, whose ``unresolved`` lists every resource, coding or value that could not be read.

Raises:
    PatientError: the input is not FHIR, or holds more than one patient.
)pbdoc")
      .def_property_readonly("document", [](const Patient& p) { return to_python(p.document()); },
                             "The patient document read (a dict).")
      .def_property_readonly("unresolved",
                             [](const Patient& p) {
                               py::list out;
                               for (const auto& u : p.unresolved()) {
                                 py::dict d;
                                 d["field"] = u.field;
                                 d["input"] = u.input;
                                 d["problem"] = u.problem;
                                 d["nearest"] = u.nearest.empty() ? py::object(py::none()) : py::str(u.nearest);
                                 d["message"] = u.message;
                                 out.append(std::move(d));
                               }
                               return out;
                             },
                             "What could not be read: a list of {field, input, problem, nearest, message}.")
      .def_property_readonly("id", &Patient::id, "The patient's id, or ''.")
      .def("__repr__", [](const Patient& p) {
        return "<knead.Patient " + (p.id().empty() ? std::string("(no id)") : p.id()) + ", " +
               std::to_string(p.unresolved().size()) + " unresolved>";
      });
}

}  // namespace knead::python
