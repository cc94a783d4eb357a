#include <knead/patient.hpp>

#include <knead/matching.hpp>
#include <knead/scales.hpp>

#include "base/utf8.hpp"

#include <cmath>

namespace knead {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& field, const std::string& what, const json& got) {
  const std::string shown = detail::utf8_truncate(got.dump(-1, ' ', false, json::error_handler_t::replace), 40);
  const std::string where = field.empty() ? "patient" : "patient." + field;
  throw PatientError("patient.type", field, where + ": must be " + what + ", got " + shown);
}

// `field()` gives the list's full name for a message, e.g. "findings[0].sites": names are
// built only when something is wrong, not for every entry of every valid patient.
template <typename Field>
void check_string_list(const json& doc, const char* key, const Field& field) {
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return;
  if (!it->is_array()) fail(field(), "an array of strings", *it);
  const json::array_t& list = it->get_ref<const json::array_t&>();
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string()) fail(field() + "[" + std::to_string(i) + "]", "a string", list[i]);
  }
}

// Concept entries are ids or {"system", "code"}; findings may also be {"id", "sites"}.
void check_concept_list(const json& doc, const char* key, bool allow_sites) {
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return;
  if (!it->is_array()) fail(key, "an array of ids or codes", *it);
  const json::array_t& list = it->get_ref<const json::array_t&>();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& e = list[i];
    if (e.is_string()) continue;
    const auto field = [&](const char* member = "") {
      return std::string(key) + "[" + std::to_string(i) + "]" + member;
    };
    if (!e.is_object()) fail(field(), "an id or an object with \"system\" and \"code\"", e);
    const auto id = e.find("id");
    const auto system = e.find("system");
    const auto code = e.find("code");
    const bool has_id = id != e.end();
    const bool has_code = system != e.end() || code != e.end();
    if (has_id == has_code) fail(field(), "an object with either \"id\" or \"system\" and \"code\"", e);
    if (has_id && !id->is_string()) fail(field(".id"), "a string", *id);
    if (has_code) {
      // A code without a system is read as unresolved input, not rejected: the record is still usable.
      if (system != e.end() && !system->is_string() && !system->is_null()) fail(field(".system"), "a string", *system);
      if (code == e.end() || !code->is_string()) fail(field(".code"), "a string", code != e.end() ? *code : json());
    }
    if (const auto sites = e.find("sites"); sites != e.end()) {
      if (!allow_sites) fail(field(".sites"), "absent (only findings have sites)", *sites);
      check_string_list(e, "sites", [&] { return field(".sites"); });
    }
  }
}

void check_number(const json& obj, const char* key, const std::string& field, double lo, double hi, const char* range) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return;
  if (!it->is_number()) fail(field, std::string("a number ") + range, *it);
  const double v = it->get<double>();
  if (!std::isfinite(v) || v < lo || v > hi) {
    throw PatientError("patient.range", field, "patient." + field + ": must be a number " + range + ", got " + it->dump(-1, ' ', false, json::error_handler_t::replace));
  }
}

void validate(const json& doc) {
  if (!doc.is_object()) fail("", "a JSON object", doc);
  if (auto it = doc.find("id"); it != doc.end() && !it->is_string() && !it->is_null()) fail("id", "a string", *it);
  if (auto it = doc.find("sex"); it != doc.end() && !it->is_string() && !it->is_null()) fail("sex", "a string", *it);
  check_number(doc, "age", "age", 0, 150, "from 0 to 150");
  check_concept_list(doc, "conditions", false);
  check_concept_list(doc, "goals", false);
  check_concept_list(doc, "findings", true);
  check_concept_list(doc, "medications", false);
  if (auto it = doc.find("pain"); it != doc.end() && !it->is_null()) {
    if (!it->is_object()) fail("pain", "an object", *it);
    check_number(*it, "intensity", "pain.intensity", 0, 10, "from 0 to 10");
    if (it->contains("locations")) {
      const json& l = (*it)["locations"];
      if (!l.is_array()) fail("pain.locations", "an array of region ids", l);
      for (std::size_t i = 0; i < l.size(); ++i) {
        if (!l[i].is_string()) fail("pain.locations[" + std::to_string(i) + "]", "a string", l[i]);
      }
    }
    if (auto f = it->find("flare"); f != it->end() && !f->is_boolean() && !f->is_null()) fail("pain.flare", "true or false", *f);
  }
  if (auto it = doc.find("preferences"); it != doc.end() && !it->is_null()) {
    if (!it->is_object()) fail("preferences", "an object", *it);
    if (auto p = it->find("pressure"); p != it->end() && !p->is_null()) {
      if (!p->is_string() || !parse_pressure(normalize_name(p->get_ref<const std::string&>()))) {
        throw PatientError("patient.range", "preferences.pressure",
                           "patient.preferences.pressure: must be light, medium or firm, got " + detail::utf8_truncate(p->dump(-1, ' ', false, json::error_handler_t::replace), 40));
      }
    }
    if (it->contains("declined")) {
      const json& d = (*it)["declined"];
      if (!d.is_array()) fail("preferences.declined", "an array of ids", d);
      for (std::size_t i = 0; i < d.size(); ++i) {
        if (!d[i].is_string()) fail("preferences.declined[" + std::to_string(i) + "]", "a string", d[i]);
      }
    }
  }
}

}  // namespace

PatientError::PatientError(std::string code, std::string field, const std::string& message)
    : Error(std::move(code), message), field_(std::move(field)) {}

Patient::Patient() : document_(std::make_shared<const json>(json::object())) {}

Patient Patient::from_json(json document) {
  validate(document);
  return Patient(std::make_shared<const json>(std::move(document)));
}

Patient Patient::parse(std::string_view text, const std::string& file, const ParseLimits& limits) {
  return from_json(Document::parse_value(text, file, limits));
}

Patient Patient::with_unresolved(std::vector<Unresolved> entries) const {
  Patient copy = *this;
  if (unresolved_) entries.insert(entries.begin(), unresolved_->begin(), unresolved_->end());
  copy.unresolved_ = std::make_shared<const std::vector<Unresolved>>(std::move(entries));
  return copy;
}

const std::vector<Unresolved>& Patient::unresolved() const noexcept {
  static const std::vector<Unresolved> none;
  return unresolved_ ? *unresolved_ : none;
}

std::string Patient::id() const {
  auto it = document_->find("id");
  return it != document_->end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace knead
