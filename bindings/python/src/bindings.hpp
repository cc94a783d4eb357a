#pragma once
// What the bind_<concept>.cpp files share: the objects Python holds, and the registration
// functions module.cpp calls in order.

#include "text_caster.hpp"

#include <knead/knead.hpp>

#include <pybind11/pybind11.h>

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace knead::python {

namespace py = pybind11;

/// Python's `knead.RuleSet`: a rule set and the engine over it. Both are immutable and share
/// their state, so copies are cheap and every thread may use them at once.
struct PyRuleSet {
  explicit PyRuleSet(RuleSet rules) : engine(std::move(rules)) {}
  [[nodiscard]] const RuleSet& rules() const noexcept { return engine.rules(); }
  Engine engine;
};

/// Python's `knead.Recommendation`: the result, with what is needed to explain it later: the
/// engine (shared, not copied) and the patient. A patient read from JSON text is kept as that
/// text, one read from a dict as its compact JSON text: a result then frees one string rather
/// than a whole document. Python holds it through freed_in_background (background_free.hpp), so
/// that its destructors run on another thread, without the GIL.
struct PyRecommendation {
  /// Keeps the patient as it is.
  PyRecommendation(Recommendation r, Patient p, Engine e, RecommendOptions o)
      : result(std::move(r)), engine(std::move(e)), options(o), patient_(std::move(p)) {}
  /// Keeps the patient as the JSON text it is read from again: `parsed` when it was read with
  /// Patient::parse (its file named `file`), else with Patient::from_json.
  PyRecommendation(Recommendation r, std::string text, bool parsed, std::string file, Engine e, RecommendOptions o)
      : result(std::move(r)),
        engine(std::move(e)),
        options(o),
        text_(std::move(text)),
        file_(std::move(file)),
        parsed_(parsed) {}

  /// The patient the result was made for (read again from its text if kept as text).
  [[nodiscard]] Patient patient() const {
    if (patient_) return *patient_;
    if (parsed_) return Patient::parse(text_, file_);
    return Patient::from_json(nlohmann::json::parse(text_));
  }

  Recommendation result;
  Engine engine;
  RecommendOptions options;

 private:
  std::optional<Patient> patient_;
  std::string text_;
  std::string file_;
  bool parsed_ = false;
};

using RuleSetClass = py::class_<PyRuleSet, std::shared_ptr<PyRuleSet>>;

// ---- registration, in the order module.cpp calls them ----
void bind_errors(py::module_& m);
void bind_diagnostics(py::module_& m);
void bind_recommendation(py::module_& m);
RuleSetClass bind_rule_set(py::module_& m);
void bind_engine(py::module_& m, RuleSetClass& rule_set);
void bind_logic(py::module_& m);
void bind_cases(py::module_& m);
void bind_vocabulary(py::module_& m);  // after bind_recommendation: adds Recommendation.render
void bind_fhir(py::module_& m);

/// A patient from FHIR input (a Bundle, a resource, or a CDS Hooks request), read for `rules`.
[[nodiscard]] Patient patient_from_fhir_json(const nlohmann::json& document, const RuleSet* rules,
                                             const std::string& as_of);

// ---- shared helpers ----

/// The Python exception object (an instance of knead.Error or one of its subclasses, with its
/// attributes set) for a C++ exception. Non-knead standard exceptions become knead.Error with
/// code "internal"; std::bad_alloc becomes MemoryError. Needs the GIL.
py::object error_object(const std::exception_ptr& error);

/// Wraps a list of results or diagnostics in the list type the Python package registered
/// (`_core._result_list` / `_core._diagnostic_list`, which add notebook display), or returns it
/// as it is when the package did not register one.
py::object wrap_list(const char* hook, py::list items);

/// A file-system path from str or os.PathLike; raises TypeError for anything else.
std::string path_string(py::handle path);

}  // namespace knead::python
