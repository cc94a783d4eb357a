// The library's tables as Python sees them: operators, diagnostic codes, output formats; and
// Recommendation.render, which renders through the same table of formats as the `knead` command.

#include "bindings.hpp"

#include <pybind11/stl.h>

namespace knead::python {

void bind_vocabulary(py::module_& m) {
  m.def(
      "operators",
      [] {
        py::list out;
        for (const auto& op : condition_operators()) {
          py::dict d;
          d["name"] = op.name;
          d["min_args"] = op.min_args;
          d["max_args"] =
              op.max_args == logic::OperatorInfo::any ? py::object(py::none()) : py::object(py::int_(op.max_args));
          d["arguments"] = op.arguments;
          d["summary"] = op.summary;
          d["domain"] = is_domain_operator(op.name);
          out.append(std::move(d));
        }
        return out;
      },
      "Every operator a rule's ``when`` may use, as dicts (name, min_args, max_args or None, arguments, "
      "summary, domain), sorted by name.");
  m.def(
      "diagnostic_codes",
      [] {
        py::list out;
        for (const auto& c : diagnostic_codes()) {
          py::dict d;
          d["code"] = c.code;
          d["severity"] = to_string(c.severity);
          d["summary"] = c.summary;
          out.append(std::move(d));
        }
        return out;
      },
      "Every diagnostic and error code, as dicts (code, severity, summary), sorted by code.");
  m.def("formats", &renderer_names, "The names of the output formats ``Recommendation.render`` accepts.");

  py::object recommendation = m.attr("Recommendation");
  recommendation.attr("render") = py::cpp_function(
      [](const PyRecommendation& r, const std::string& format) {
        const Renderer* renderer = find_renderer(format);
        if (renderer == nullptr) {
          throw py::value_error("unknown format '" + format + "'" + did_you_mean(nearest(format, renderer_names())) +
                                " (see knead.formats())");
        }
        return renderer->render(r.result, &r.engine.rules());
      },
      py::name("render"), py::is_method(recommendation), py::arg("format") = "text",
      "The recommendation in an output format (``knead.formats()``), exactly as ``knead recommend --format`` "
      "prints it.");
}

}  // namespace knead::python
