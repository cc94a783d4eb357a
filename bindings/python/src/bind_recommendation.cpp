// knead.Recommendation and its parts, with its renderings: dict, JSON, text,
// CDS Hooks, and the rule-by-rule explanation.

#include "bindings.hpp"
#include "convert.hpp"

#include <pybind11/stl.h>

#include <sstream>
#include "base/utf8.hpp"

namespace knead::python {
namespace {

constexpr auto kInternal = py::return_value_policy::reference_internal;

template <class E>
std::string name_of(E value) {
  return std::string(to_string(value));
}

template <class E>
py::object optional_name(const std::optional<E>& value) {
  return value ? py::object(py::str(name_of(*value))) : py::object(py::none());
}

std::string quoted(const std::string& s) { return py::repr(py::str(s)).cast<std::string>(); }

std::string short_text(std::string s, std::size_t max) {
  return knead::detail::utf8_truncate(s, max);
}

// The explanation, rule by rule: fired or not, and for one that did not fire the first false
// clause and where it is written. Runs the engine again with explain on when the result was
// computed without a trace.
std::string explain_text(const PyRecommendation& self) {
  const Recommendation* r = &self.result;
  Recommendation traced;
  if (!r->trace) {
    RecommendOptions options = self.options;
    options.explain = true;
    {
      py::gil_scoped_release release;
      traced = self.engine.recommend(self.patient(), options);
    }
    r = &traced;
  }
  const auto& rules = self.engine.rules().rules();
  auto title_of = [&](const std::string& id) -> std::string {
    for (const auto& rule : rules) {
      if (rule.id == id) return rule.title;
    }
    return {};
  };
  std::size_t fired = 0;
  for (const auto& t : *r->trace) fired += t.fired ? 1 : 0;

  std::ostringstream out;
  out << "Patient " << (r->patient.empty() ? "(no id)" : r->patient) << ": " << fired << " of " << r->trace->size()
      << " rules fired (rules " << r->ruleset_name << " " << r->ruleset_version << "), status " << to_string(r->status)
      << "\n";
  for (const auto& t : *r->trace) {
    const std::string title = t.title.empty() ? title_of(t.rule) : t.title;
    out << (t.fired ? "  fired  " : (t.error.empty() ? "  -      " : "  ERROR  ")) << t.rule;
    if (!title.empty()) out << " - " << title;
    out << "\n";
    if (!t.error.empty()) out << "           error: " << t.error << "\n";
    if (!t.failed_pointer.empty()) {
      out << "           false: " << short_text(t.failed_clause.dump(), 200) << "\n"
          << "           at " << t.failed_location.to_string() << " [" << t.failed_pointer << "]\n";
    }
  }
  return out.str();
}

std::string repr_of(const Recommendation& r) {
  std::string out = "<Recommendation patient=" + quoted(r.patient) + " status=" + quoted(to_string(r.status));
  if (!r.modalities.empty()) out += " top=" + quoted(r.modalities.front().id);
  out += " modalities=" + std::to_string(r.modalities.size()) + " fired=" + std::to_string(r.fired.size()) + ">";
  return out;
}

}  // namespace

void bind_recommendation(py::module_& m) {
  py::class_<Caution>(m, "Caution", "A caution attached to a modality, a self-care item or the whole result.")
      .def_readonly("reason", &Caution::reason)
      .def_readonly("because", &Caution::because, "Ids of the rules that gave it.")
      .def_readonly("target", &Caution::target, "The modality or self-care id it names (\"\" if none).")
      .def_property_readonly(
          "pressure_max", [](const Caution& c) { return optional_name(c.pressure_max); },
          "The pressure cap it sets ('light', 'medium', 'firm') or None.")
      .def("__repr__", [](const Caution& c) { return "<Caution " + quoted(short_text(c.reason, 60)) + ">"; });

  py::class_<RecommendedModality>(m, "RecommendedModality", "A recommended massage modality, best first.")
      .def_readonly("id", &RecommendedModality::id)
      .def_readonly("label", &RecommendedModality::label)
      .def_readonly("score", &RecommendedModality::score, "Sum of the weights of the recommending rules.")
      .def_property_readonly(
          "pressure", [](const RecommendedModality& x) { return name_of(x.pressure); },
          "'light', 'medium' or 'firm', after every cap.")
      .def_readonly("duration_min", &RecommendedModality::duration_min)
      .def_readonly("because", &RecommendedModality::because, "Recommending rules, by priority then id.")
      .def_readonly("notes", &RecommendedModality::notes)
      .def_readonly("cautions", &RecommendedModality::cautions)
      .def("__repr__", [](const RecommendedModality& x) {
        return "<RecommendedModality " + x.id + " pressure=" + name_of(x.pressure) +
               " score=" + py::repr(py::float_(x.score)).cast<std::string>() + ">";
      });

  py::class_<ExcludedItem>(m, "ExcludedItem", "A modality removed by a contraindication or declined by the patient.")
      .def_readonly("id", &ExcludedItem::id)
      .def_readonly("label", &ExcludedItem::label)
      .def_readonly("reason", &ExcludedItem::reason)
      .def_readonly("because", &ExcludedItem::because, "Rule ids; empty for a patient's refusal.")
      .def("__repr__", [](const ExcludedItem& x) { return "<ExcludedItem " + x.id + ">"; });

  py::class_<RecommendedSelfCare>(m, "RecommendedSelfCare", "A self-care item to suggest.")
      .def_readonly("id", &RecommendedSelfCare::id)
      .def_readonly("label", &RecommendedSelfCare::label)
      .def_readonly("instructions", &RecommendedSelfCare::instructions)
      .def_readonly("because", &RecommendedSelfCare::because)
      .def_readonly("notes", &RecommendedSelfCare::notes)
      .def_readonly("cautions", &RecommendedSelfCare::cautions)
      .def("__repr__", [](const RecommendedSelfCare& x) { return "<RecommendedSelfCare " + x.id + ">"; });

  py::class_<AvoidedRegion>(m, "AvoidedRegion", "A body region to avoid (locally) or treat with care.")
      .def_readonly("id", &AvoidedRegion::id)
      .def_readonly("label", &AvoidedRegion::label)
      .def_property_readonly(
          "level", [](const AvoidedRegion& x) { return name_of(x.level); }, "'contraindicated' or 'caution'.")
      .def_readonly("reason", &AvoidedRegion::reason)
      .def_readonly("because", &AvoidedRegion::because)
      .def_property_readonly(
          "pressure_max", [](const AvoidedRegion& x) { return optional_name(x.pressure_max); },
          "For a caution: the highest pressure for work on this region, or None.")
      .def("__repr__", [](const AvoidedRegion& x) { return "<AvoidedRegion " + x.id + " " + name_of(x.level) + ">"; });

  py::class_<Interpreted>(m, "Interpreted", "An entry of the record read other than by its exact id, for audit.")
      .def_readonly("field", &Interpreted::field, "Where it stood: 'medications[0]'.")
      .def_readonly("input", &Interpreted::input, "As written (for a code, the code).")
      .def_readonly("system", &Interpreted::system, "A code's system ('icd10cm', ...), or ''.")
      .def_readonly("kind", &Interpreted::kind)
      .def_readonly("id", &Interpreted::id, "The id it was read as.")
      .def_readonly("by", &Interpreted::by, "'name', 'synonym', 'label', 'dose', 'code', 'code_branch' or 'other_kind'.")
      .def("__repr__", [](const Interpreted& x) { return "<Interpreted " + x.field + " " + quoted(x.input) + " -> " + x.id + ">"; });

  py::class_<Unresolved>(m, "Unresolved", "An entry of the record that could not be read (status 'review').")
      .def_readonly("field", &Unresolved::field)
      .def_readonly("input", &Unresolved::input)
      .def_readonly("problem", &Unresolved::problem,
                    "'unknown_key', 'unknown_id', 'unknown_code', 'unknown_system', 'unknown_site', or a reader's own.")
      .def_readonly("nearest", &Unresolved::nearest, "The nearest known id, key or system, or ''.")
      .def_readonly("message", &Unresolved::message)
      .def("__repr__", [](const Unresolved& x) { return "<Unresolved " + x.field + " " + x.problem + ">"; });

  py::class_<Question>(m, "Question", "A fact the record lacks, asked for by fired rules.")
      .def_readonly("fact", &Question::fact)
      .def_readonly("question", &Question::question)
      .def_readonly("because", &Question::because)
      .def("__repr__", [](const Question& x) { return "<Question " + x.fact + ">"; });

  py::class_<ReferralOut>(m, "Referral", "A referral, most urgent first.")
      .def_readonly("to", &ReferralOut::to)
      .def_property_readonly(
          "urgency", [](const ReferralOut& x) { return name_of(x.urgency); },
          "'emergency', 'same_day', 'urgent' or 'routine'.")
      .def_readonly("reason", &ReferralOut::reason)
      .def_readonly("because", &ReferralOut::because)
      .def("__repr__", [](const ReferralOut& x) { return "<Referral to=" + x.to + " " + name_of(x.urgency) + ">"; });

  py::class_<PlanOut>(m, "Plan", "The plan of sessions, from the highest-priority fired rule that has one.")
      .def_readonly("duration_min", &PlanOut::duration_min)
      .def_readonly("sessions_per_week", &PlanOut::sessions_per_week)
      .def_readonly("weeks", &PlanOut::weeks)
      .def_readonly("because", &PlanOut::because, "The rule it comes from.")
      .def("__repr__", [](const PlanOut& p) {
        auto n = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string("None"); };
        return "<Plan duration_min=" + n(p.duration_min) + " sessions_per_week=" + n(p.sessions_per_week) +
               " weeks=" + n(p.weeks) + ">";
      });

  py::class_<RuleError>(m, "RuleError", "A rule whose evaluation failed (it counts as not fired).")
      .def_readonly("rule", &RuleError::rule)
      .def_readonly("code", &RuleError::code)
      .def_readonly("message", &RuleError::message)
      .def("__repr__", [](const RuleError& e) { return "<RuleError " + e.rule + " " + e.code + ">"; });

  py::class_<RuleTrace>(m, "RuleTrace", R"pbdoc(
One rule in an explanation: whether it fired and, for one that did not, the first clause that was
false (``failed_clause``, as written, with its JSON ``failed_pointer`` and ``failed_location``).
)pbdoc")
      .def_readonly("rule", &RuleTrace::rule)
      .def_readonly("title", &RuleTrace::title)
      .def_readonly("fired", &RuleTrace::fired)
      .def_readonly("error", &RuleTrace::error)
      .def_readonly("failed_pointer", &RuleTrace::failed_pointer)
      .def_readonly("failed_location", &RuleTrace::failed_location)
      .def_property_readonly("failed_clause", [](const RuleTrace& t) { return to_python(t.failed_clause); })
      .def("__repr__",
           [](const RuleTrace& t) { return "<RuleTrace " + t.rule + (t.fired ? " fired" : " not fired") + ">"; });

  py::class_<PyRecommendation, std::shared_ptr<PyRecommendation>>(m, "Recommendation", R"pbdoc(
The recommendation for one patient. Immutable.

``status`` is a string equal to a ``knead.Status`` member: ``"ok"``, ``"review"`` (part of the record
could not be read, see ``unresolved``: the recommendation stands with every modality capped, for a
clinician to review), ``"refer"`` (an urgent referral: nothing is recommended) or ``"error"``
(a safety rule failed to evaluate: nothing is recommended). ``modalities`` are best first;
``to_dict()`` is the JSON form, equal to ``json.loads(rec.to_json())``.
)pbdoc")
      .def_property_readonly(
          "patient", [](const PyRecommendation& r) { return r.result.patient; }, "The patient's id, or \"\".")
      .def_property_readonly(
          "ruleset",
          [](const PyRecommendation& r) {
            py::dict d;
            d["name"] = r.result.ruleset_name;
            d["version"] = r.result.ruleset_version;
            d["digest"] = r.result.ruleset_digest;
            py::list layers;
            for (const auto& l : r.result.ruleset_layers) {
              py::dict layer;
              layer["name"] = l.name;
              layer["version"] = l.version;
              layer["digest"] = l.digest;
              layers.append(std::move(layer));
            }
            d["layers"] = std::move(layers);
            return d;
          },
          "The rule set that produced it: {'name', 'version', 'digest', 'layers'}.")
      .def_property_readonly("status", [](const PyRecommendation& r) { return name_of(r.result.status); })
      .def_property_readonly(
          "modalities", [](const PyRecommendation& r) -> const auto& { return r.result.modalities; }, kInternal)
      .def_property_readonly(
          "top_modality",
          [](const PyRecommendation& r) {
            return r.result.modalities.empty() ? py::object(py::none())
                                               : py::object(py::str(r.result.modalities.front().id));
          },
          "The id of the best modality, or None.")
      .def_property_readonly(
          "excluded", [](const PyRecommendation& r) -> const auto& { return r.result.excluded; }, kInternal)
      .def_property_readonly(
          "self_care", [](const PyRecommendation& r) -> const auto& { return r.result.self_care; }, kInternal)
      .def_property_readonly(
          "avoid_regions", [](const PyRecommendation& r) -> const auto& { return r.result.avoid_regions; }, kInternal)
      .def_property_readonly(
          "cautions", [](const PyRecommendation& r) -> const auto& { return r.result.cautions; }, kInternal)
      .def_property_readonly(
          "referrals", [](const PyRecommendation& r) -> const auto& { return r.result.referrals; }, kInternal)
      .def_property_readonly(
          "plan", [](const PyRecommendation& r) { return r.result.plan ? &*r.result.plan : nullptr; }, kInternal)
      .def_property_readonly("warnings", [](const PyRecommendation& r) { return r.result.warnings; })
      .def_property_readonly(
          "interpreted", [](const PyRecommendation& r) -> const auto& { return r.result.interpreted; }, kInternal,
          "Entries read other than by their exact id (list of Interpreted).")
      .def_property_readonly(
          "unresolved", [](const PyRecommendation& r) -> const auto& { return r.result.unresolved; }, kInternal,
          "Entries that could not be read (list of Unresolved); any makes the status 'review'.")
      .def_property_readonly(
          "questions", [](const PyRecommendation& r) -> const auto& { return r.result.questions; }, kInternal,
          "Facts to ask for (list of Question).")
      .def_property_readonly(
          "errors", [](const PyRecommendation& r) -> const auto& { return r.result.errors; }, kInternal,
          "Rules whose evaluation failed.")
      .def_property_readonly(
          "fired", [](const PyRecommendation& r) { return r.result.fired; },
          "Ids of the fired rules, in rule-set order.")
      .def_property_readonly(
          "trace",
          [](const py::object& self) -> py::object {
            // Not a pointer to the vector: GCC 12 then warns falsely in pybind11's list caster.
            const auto& r = self.cast<const PyRecommendation&>();
            if (!r.result.trace) return py::none();
            return py::cast(*r.result.trace, kInternal, self);
          },
          "Every rule with whether it fired (list of RuleTrace) when recommended with explain=True, else None.")
      .def(
          "to_dict", [](const PyRecommendation& r) { return to_python(to_json_value(r.result)); },
          "The JSON form (docs/result-format.md) as Python objects: equal to ``json.loads(self.to_json())``.")
      .def(
          "to_json", [](const PyRecommendation& r, int indent) { return to_json(r.result, indent); },
          py::arg("indent") = 2,
          "The JSON form as text; ``indent=-1`` gives one line. Same rule set and patient, same bytes.")
      .def(
          "to_text", [](const PyRecommendation& r) { return to_text(r.result, &r.engine.rules()); },
          "A plain-language note a therapist can act on, quoting rule titles and their evidence.")
      .def(
          "to_cds_hooks",
          [](const PyRecommendation& r) { return to_python(to_cds_hooks(r.result, &r.engine.rules())); },
          "A CDS Hooks response, ``{'cards': [...]}``, as Python objects.")
      .def("explain", &explain_text, R"pbdoc(
The explanation as text: every rule, whether it fired and, for one that did not, the first clause
that was false and where it is written. When the result was computed without ``explain=True``,
the patient is evaluated again with the trace on (same rule set, same options).
)pbdoc")
      .def(
          "__eq__",
          [](const PyRecommendation& a, const PyRecommendation& b) {
            return to_json(a.result, -1) == to_json(b.result, -1);
          },
          py::is_operator())
      .def("__repr__", [](const PyRecommendation& r) { return repr_of(r.result); });
}

}  // namespace knead::python
