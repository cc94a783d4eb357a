#include <knead/patient.hpp>

#include <knead/matching.hpp>
#include <knead/scales.hpp>

#include "base/utf8.hpp"
#include "parse/parse_value.hpp"

#include <array>
#include <cmath>
#include <memory>
#include <string_view>

namespace knead {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& field, const std::string& what, const json& got) {
  const std::string shown = detail::utf8_truncate(got.dump(-1, ' ', false, json::error_handler_t::replace), 40);
  const std::string where = field.empty() ? "patient" : "patient." + field;
  throw PatientError("patient.type", field, where + ": must be " + what + ", got " + shown);
}

// The members of `object` named in `names`, found in one pass over it (nullptr for one that is
// absent): finding them one by one would compare names at every level of the object's tree.
template <std::size_t N>
std::array<const json*, N> find_members(const json& object, const std::string_view (&names)[N]) {
  std::array<const json*, N> found{};
  for (const auto& [key, value] : object.get_ref<const json::object_t&>()) {
    for (std::size_t i = 0; i < N; ++i) {
      if (key == names[i]) {
        found[i] = &value;
        break;
      }
    }
  }
  return found;
}

// `field()` gives the list's full name for a message, e.g. "findings[0].sites": names are
// built only when something is wrong, not for every entry of every valid patient.
template <typename Field>
void check_string_list(const json* list, const Field& field) {
  if (list == nullptr || list->is_null()) return;
  if (!list->is_array()) fail(field(), "an array of strings", *list);
  const json::array_t& items = list->get_ref<const json::array_t&>();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string()) fail(field() + "[" + std::to_string(i) + "]", "a string", items[i]);
  }
}

// Concept entries are ids or {"system", "code"}; findings may also be {"id", "sites"}.
void check_concept_list(const json* list, const char* key, bool allow_sites) {
  if (list == nullptr || list->is_null()) return;
  if (!list->is_array()) fail(key, "an array of ids or codes", *list);
  const json::array_t& items = list->get_ref<const json::array_t&>();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json& e = items[i];
    if (e.is_string()) continue;
    const auto field = [&](const char* member = "") {
      return std::string(key) + "[" + std::to_string(i) + "]" + member;
    };
    if (!e.is_object()) fail(field(), "an id or an object with \"system\" and \"code\"", e);
    const auto [id, system, code, sites] = find_members(e, {"id", "system", "code", "sites"});
    const bool has_id = id != nullptr;
    const bool has_code = system != nullptr || code != nullptr;
    if (has_id == has_code) fail(field(), "an object with either \"id\" or \"system\" and \"code\"", e);
    if (has_id && !id->is_string()) fail(field(".id"), "a string", *id);
    if (has_code) {
      // A code without a system is read as unresolved input, not rejected: the record is still usable.
      if (system != nullptr && !system->is_string() && !system->is_null()) fail(field(".system"), "a string", *system);
      if (code == nullptr || !code->is_string()) fail(field(".code"), "a string", code != nullptr ? *code : json());
    }
    if (sites != nullptr) {
      if (!allow_sites) fail(field(".sites"), "absent (only findings have sites)", *sites);
      check_string_list(sites, [&] { return field(".sites"); });
    }
  }
}

void check_number(const json* value, const std::string& field, double lo, double hi, const char* range) {
  if (value == nullptr || value->is_null()) return;
  if (!value->is_number()) fail(field, std::string("a number ") + range, *value);
  const double v = value->get<double>();
  if (!std::isfinite(v) || v < lo || v > hi) {
    throw PatientError("patient.range", field,
                       "patient." + field + ": must be a number " + range + ", got " +
                           value->dump(-1, ' ', false, json::error_handler_t::replace));
  }
}

void validate(const json& doc) {
  if (!doc.is_object()) fail("", "a JSON object", doc);
  const auto [id, sex, age, conditions, goals, findings, medications, pain, preferences] =
      find_members(doc, {"id", "sex", "age", "conditions", "goals", "findings", "medications", "pain", "preferences"});
  if (id != nullptr && !id->is_string() && !id->is_null()) fail("id", "a string", *id);
  if (sex != nullptr && !sex->is_string() && !sex->is_null()) fail("sex", "a string", *sex);
  check_number(age, "age", 0, 150, "from 0 to 150");
  check_concept_list(conditions, "conditions", false);
  check_concept_list(goals, "goals", false);
  check_concept_list(findings, "findings", true);
  check_concept_list(medications, "medications", false);
  if (pain != nullptr && !pain->is_null()) {
    if (!pain->is_object()) fail("pain", "an object", *pain);
    const auto [intensity, locations, flare] = find_members(*pain, {"intensity", "locations", "flare"});
    check_number(intensity, "pain.intensity", 0, 10, "from 0 to 10");
    if (locations != nullptr) {
      const json& l = *locations;
      if (!l.is_array()) fail("pain.locations", "an array of region ids", l);
      for (std::size_t i = 0; i < l.size(); ++i) {
        if (!l[i].is_string()) fail("pain.locations[" + std::to_string(i) + "]", "a string", l[i]);
      }
    }
    if (flare != nullptr && !flare->is_boolean() && !flare->is_null()) fail("pain.flare", "true or false", *flare);
  }
  if (preferences != nullptr && !preferences->is_null()) {
    if (!preferences->is_object()) fail("preferences", "an object", *preferences);
    const auto [pressure, declined] = find_members(*preferences, {"pressure", "declined"});
    if (pressure != nullptr && !pressure->is_null()) {
      if (!pressure->is_string() || !parse_pressure(normalize_name(pressure->get_ref<const std::string&>()))) {
        throw PatientError(
            "patient.range", "preferences.pressure",
            "patient.preferences.pressure: must be light, medium or firm, got " +
                detail::utf8_truncate(pressure->dump(-1, ' ', false, json::error_handler_t::replace), 40));
      }
    }
    if (declined != nullptr) {
      const json& d = *declined;
      if (!d.is_array()) fail("preferences.declined", "an array of ids", d);
      for (std::size_t i = 0; i < d.size(); ++i) {
        if (!d[i].is_string()) fail("preferences.declined[" + std::to_string(i) + "]", "a string", d[i]);
      }
    }
  }
}

// Empties `value`'s containers leaves first, so that freeing them allocates nothing: nlohmann
// frees a container by first moving its elements to a vector made for the purpose, one more
// allocation for every array and object of every patient. Deeper than a patient goes, the
// rest is left to nlohmann, which needs no stack of calls.
void empty_containers(json& value, int depth = 0) {
  if (depth == 8) return;
  if (json::object_t* object = value.get_ptr<json::object_t*>()) {
    for (auto& member : *object) {
      if (member.second.is_structured()) empty_containers(member.second, depth + 1);
    }
    object->clear();
  } else if (json::array_t* array = value.get_ptr<json::array_t*>()) {
    for (json& item : *array) {
      if (item.is_structured()) empty_containers(item, depth + 1);
    }
    array->clear();
  }
}

// The record of a parsed patient that this thread let go of last, kept for the thread's next
// Patient::parse to read into: the records of a batch mostly have one form, and parsing over
// one reuses its members, lists and strings (about forty allocations a record) instead of
// freeing them and allocating them again. Only a record read from at most kSpareBytes of text
// is kept, and the parse keeps no more room than about twice what the record it reads needs,
// so what a thread keeps stays small.
constexpr std::size_t kSpareBytes = 64 * 1024;

// Set once the thread's spare is destroyed (at thread exit): a patient freed later, by another
// thread_local's destructor, frees its record as usual.
thread_local bool spare_gone = false;
struct Spare {
  json document;
  ~Spare() {
    spare_gone = true;
    empty_containers(document);
  }
};

json* spare() {
  if (spare_gone) return nullptr;
  thread_local Spare s;
  return &s.document;
}

// A patient's document, shared by the patient's copies.
struct Held {
  json document;
  bool keep;  // whether the thread's spare may take it
  Held(json&& d, bool keep_it) : document(std::move(d)), keep(keep_it) {}
  Held(const Held&) = delete;
  Held& operator=(const Held&) = delete;
  ~Held() {
    if (json* s = keep ? spare() : nullptr; s != nullptr && s->is_null()) {
      s->swap(document);
      return;
    }
    empty_containers(document);
  }
};

std::shared_ptr<const json> hold(json&& document, bool keep = false) {
  auto held = std::make_shared<Held>(std::move(document), keep);
  return std::shared_ptr<const json>(held, &held->document);
}

}  // namespace

PatientError::PatientError(std::string code, std::string field, const std::string& message)
    : Error(std::move(code), message), field_(std::move(field)) {}

Patient::Patient() : document_(std::make_shared<const json>(json::object())) {}

Patient Patient::from_json(json document) {
  validate(document);
  return Patient(hold(std::move(document)));
}

Patient Patient::parse(std::string_view text, const std::string& file, const ParseLimits& limits) {
  json document;
  if (json* s = spare(); s != nullptr && text.size() <= kSpareBytes) document.swap(*s);
  detail::parse_value_into(text, file, limits, document);
  validate(document);
  return Patient(hold(std::move(document), text.size() <= kSpareBytes));
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
