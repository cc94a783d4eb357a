// FHIR R4 resources to a patient document. Everything a resource of a read type says that
// cannot be read becomes an `unresolved` entry naming the resource and why: nothing that could
// matter for safety is dropped without a trace.

#include <knead/fhir.hpp>

#include <knead/patient.hpp>
#include <knead/rule_set.hpp>

#include "fhir/calendar.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace knead {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxResources = 10000;
constexpr const char* kLoinc = "http://loinc.org";
constexpr const char* kSnomed = "http://snomed.info/sct";

// LOINC codes read (each checked against the LOINC table; see docs/fhir-and-cds-hooks.md).
constexpr const char* kPainSeverity = "72514-3";        // Pain severity - 0-10 verbal numeric rating [Score] - Reported
constexpr const char* kPlateletsAuto = "777-3";         // Platelets [#/volume] in Blood by Automated count
constexpr const char* kPlatelets = "26515-7";           // Platelets [#/volume] in Blood
constexpr const char* kPregnancyStatus = "82810-3";     // Pregnancy status
constexpr const char* kBloodPressurePanel = "85354-9";  // Blood pressure panel with all children optional
constexpr const char* kSystolic = "8480-6";             // Systolic blood pressure
constexpr const char* kDiastolic = "8462-4";            // Diastolic blood pressure

// SNOMED CT answers to the pregnancy status question.
constexpr const char* kPregnant = "77386006";
constexpr const char* kNotPregnant = "60001007";
constexpr const char* kUnknownAnswer = "261665006";

struct KnownSystem {
  const char* uri;
  const char* name;
};
constexpr std::array<KnownSystem, 4> kSystems{{{"http://hl7.org/fhir/sid/icd-10-cm", "icd10cm"},
                                               {"http://snomed.info/sct", "snomed"},
                                               {"http://www.whocc.no/atc", "atc"},
                                               {"http://www.nlm.nih.gov/research/umls/rxnorm", "rxnorm"}}};

std::string str(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string shown(const json& value) {
  std::string s = value.is_string() ? value.get<std::string>() : value.dump();
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

// The codes of a CodeableConcept's codings in one system (e.g. a status's code).
std::vector<std::string> codes_of(const json& cc) {
  std::vector<std::string> out;
  if (!cc.is_object()) return out;
  auto codings = cc.find("coding");
  if (codings == cc.end() || !codings->is_array()) return out;
  for (const auto& c : *codings) {
    if (c.is_object()) {
      const std::string code = str(c, "code");
      if (!code.empty()) out.push_back(code);
    }
  }
  return out;
}

bool has_coding(const json& cc, const std::string& system, const std::string& code) {
  if (!cc.is_object() || !cc.contains("coding") || !cc["coding"].is_array()) return false;
  for (const auto& c : cc["coding"]) {
    if (c.is_object() && str(c, "system") == system && str(c, "code") == code) return true;
  }
  return false;
}

// The words a CodeableConcept gives: its text, else the first coding's display.
std::string words_of(const json& cc) {
  if (!cc.is_object()) return {};
  std::string text = str(cc, "text");
  if (!text.empty()) return text;
  if (cc.contains("coding") && cc["coding"].is_array()) {
    for (const auto& c : cc["coding"]) {
      if (c.is_object() && !str(c, "display").empty()) return str(c, "display");
    }
  }
  return {};
}

// Which patient list a concept kind is filed under.
const char* list_of(ConceptKind kind) {
  switch (kind) {
    case ConceptKind::finding: return "findings";
    case ConceptKind::medication: return "medications";
    case ConceptKind::goal: return "goals";
    default: return "conditions";
  }
}

class Reader {
 public:
  explicit Reader(const FhirOptions& options) : options_(options) {
    if (options.as_of.empty()) {
      as_of_ = fhir::today_utc();
    } else if (auto d = fhir::parse_date(options.as_of); d && d->precision == fhir::Precision::day) {
      as_of_ = *d;
    } else {
      throw PatientError("fhir.as_of", "as_of", "as_of: must be a date YYYY-MM-DD, got \"" + options.as_of + "\"");
    }
  }

  FhirReading run(const json& input) {
    if (!input.is_object()) {
      throw PatientError("fhir.type", "", "FHIR input: must be a Bundle, a resource or a CDS Hooks prefetch object, got " + shown(input));
    }
    if (input.contains("resourceType")) {
      collect(input, "", 0);
    } else {
      // A CDS Hooks prefetch: each key the EHR filled holds a resource or a Bundle.
      for (auto it = input.begin(); it != input.end(); ++it) {
        const std::string where = "prefetch." + it.key();
        if (it->is_null()) {
          unresolved(where, "null", "the EHR sent nothing for this prefetch; the record may be incomplete",
                     "missing_prefetch");
        } else if (!it->is_object() || !it->contains("resourceType")) {
          unresolved(where, shown(*it), "not a FHIR resource or Bundle");
        } else {
          collect(*it, where, 0);
        }
      }
    }
    for (const auto& r : resources_) {
      if (str(*r.resource, "resourceType") == "Patient") read_patient(r);
    }
    for (const auto& r : resources_) {
      const std::string type = str(*r.resource, "resourceType");
      if (type == "Patient" || !is_this_patient(r)) continue;
      if (type == "Condition") read_condition(r);
      else if (type == "MedicationStatement" || type == "MedicationRequest") read_medication(r);
      else if (type == "AllergyIntolerance") read_allergy(r);
      else if (type == "Observation") note_observation(r);
      // Other resource types carry nothing knead reads; a prefetch asks only for these.
    }
    read_observations();
    return std::move(out_);
  }

 private:
  struct Resource {
    const json* resource;
    std::string name;  // "Condition/c1", or where it stood when it has no id
  };

  // `problem` classes the entry for programs; the message says it for people.
  void unresolved(const std::string& field, const std::string& input, const std::string& message,
                  const char* problem = "unreadable_resource") {
    out_.unresolved.push_back(Unresolved{field, input, problem, "", message});
  }

  void collect(const json& node, const std::string& where, int depth) {
    const std::string type = str(node, "resourceType");
    if (type == "Bundle") {
      if (depth > 2) {
        unresolved(where, "Bundle", "Bundles nested this deep are not read");
        return;
      }
      auto entries = node.find("entry");
      if (entries == node.end() || entries->is_null()) return;
      if (!entries->is_array()) {
        unresolved(where + (where.empty() ? "" : ".") + "entry", shown(*entries), "Bundle.entry must be an array");
        return;
      }
      for (std::size_t i = 0; i < entries->size(); ++i) {
        const json& e = (*entries)[i];
        const std::string at = where + (where.empty() ? "" : ".") + "entry[" + std::to_string(i) + "]";
        if (!e.is_object() || !e.contains("resource") || !e["resource"].is_object()) {
          unresolved(at, shown(e), "a Bundle entry without a resource");
          continue;
        }
        collect(e["resource"], at, depth + 1);
      }
      return;
    }
    if (type.empty()) {
      unresolved(where.empty() ? "resource" : where, shown(node), "not a FHIR resource (no resourceType)");
      return;
    }
    if (resources_.size() >= kMaxResources) {
      throw PatientError("fhir.limit", where, "FHIR input: more than " + std::to_string(kMaxResources) + " resources");
    }
    const std::string id = str(node, "id");
    const std::string name = !id.empty() ? type + "/" + id : (where.empty() ? type : where + " (" + type + ")");
    resources_.push_back({&node, name});
    if (!id.empty()) by_reference_.emplace(type + "/" + id, &node);
  }

  // A resource naming another patient as its subject is not this patient's.
  bool is_this_patient(const Resource& r) {
    if (patient_id_.empty()) return true;
    const json& res = *r.resource;
    const char* key = str(res, "resourceType") == "AllergyIntolerance" ? "patient" : "subject";
    auto subject = res.find(key);
    if (subject == res.end() || !subject->is_object()) return true;
    const std::string ref = str(*subject, "reference");
    if (ref.empty() || ref.find("Patient/") == std::string::npos) return true;
    const std::string id = ref.substr(ref.rfind("Patient/") + 8);
    if (id == patient_id_) return true;
    unresolved(r.name, ref, "belongs to another patient than Patient/" + patient_id_ + "; not read", "other_patient");
    return false;
  }

  void read_patient(const Resource& r) {
    const json& p = *r.resource;
    const std::string id = str(p, "id");
    if (patients_seen_++ > 0) {
      if (id != patient_id_) {
        throw PatientError("fhir.patients", r.name, "FHIR input: holds more than one patient (Patient/" + patient_id_ +
                                                        " and " + r.name + "); send one patient's record");
      }
      return;
    }
    patient_id_ = id;
    if (!id.empty()) out_.patient["id"] = id;
    if (auto b = p.find("birthDate"); b != p.end() && !b->is_null()) {
      auto date = b->is_string() ? fhir::parse_date(b->get<std::string>()) : std::nullopt;
      if (!date) {
        unresolved(r.name + ".birthDate", shown(*b), "not a FHIR date");
      } else {
        const int age = fhir::age_at(*date, as_of_);
        if (age < 0 || age > 150) {
          unresolved(r.name + ".birthDate", shown(*b), "gives an age of " + std::to_string(age) + " on " + fhir::to_string(as_of_));
        } else {
          out_.patient["age"] = age;
        }
      }
    }
    if (auto g = p.find("gender"); g != p.end() && !g->is_null()) {
      const std::string gender = g->is_string() ? g->get<std::string>() : "";
      if (gender == "female" || gender == "male" || gender == "other") {
        out_.patient["sex"] = gender;
      } else if (gender != "unknown") {
        unresolved(r.name + ".gender", shown(*g), "gender must be female, male, other or unknown");
      }
    }
  }

  // Applies a status filter: true to read the resource. `read` and `skip` are the codes that
  // say so; any other code is unresolved (a status knead cannot place is not guessed at).
  bool status_allows(const Resource& r, const char* key, std::initializer_list<const char*> read,
                     std::initializer_list<const char*> skip, bool coded) {
    const json& res = *r.resource;
    auto it = res.find(key);
    if (it == res.end() || it->is_null()) return true;
    const std::vector<std::string> codes = coded ? codes_of(*it) : std::vector<std::string>{it->is_string() ? it->get<std::string>() : ""};
    for (const auto& c : codes) {
      for (const char* s : skip) {
        if (c == s) return false;
      }
    }
    for (const auto& c : codes) {
      for (const char* s : read) {
        if (c == s) return true;
      }
    }
    unresolved(r.name + "." + key, shown(*it), "a status knead does not read; the resource is not used");
    return false;
  }

  // A rule set's concept kind for a code, trying the FHIR URI and the short name.
  std::optional<ConceptKind> known_kind(const std::string& uri, const std::string& short_name, const std::string& code,
                                        std::initializer_list<ConceptKind> kinds) const {
    if (options_.rules == nullptr) return std::nullopt;
    const Ontology& o = options_.rules->ontology();
    for (ConceptKind k : kinds) {
      if (o.find_code(k, uri, code) != nullptr || o.find_code(k, short_name, code) != nullptr) return k;
    }
    return std::nullopt;
  }

  struct Entry {
    json value;                  // a word, or {"system": URI, "code": C}
    ConceptKind kind;            // where the rule set files it (or the default)
  };

  // The entries a CodeableConcept reads into. With a rule set, the first coding it knows (in the
  // kinds given); else its words; else the codings in known systems (the engine reports the
  // ones it does not know). Empty when nothing can be read: the caller lists it as unresolved.
  std::vector<Entry> entries_of(const json& cc, ConceptKind default_kind, std::initializer_list<ConceptKind> kinds) {
    std::vector<Entry> coded;
    if (cc.is_object() && cc.contains("coding") && cc["coding"].is_array()) {
      for (const auto& c : cc["coding"]) {
        if (!c.is_object()) continue;
        const std::string system = str(c, "system");
        const std::string code = str(c, "code");
        auto name = fhir_system_short_name(system);
        if (!name || code.empty()) continue;
        json value = {{"system", system}, {"code", code}};
        if (auto k = known_kind(system, *name, code, kinds)) return {Entry{value, *k}};
        coded.push_back(Entry{value, default_kind});
      }
    }
    const std::string words = words_of(cc);
    if (options_.rules != nullptr && !words.empty()) return {Entry{words, default_kind}};
    if (!coded.empty()) return coded;
    if (!words.empty()) return {Entry{words, default_kind}};
    return {};
  }

  void add(const Entry& e) { out_.patient[list_of(e.kind)].push_back(e.value); }

  // Body sites as region ids (through the rule set's region codes) or words; unreadable ones
  // are unresolved.
  json sites_of(const Resource& r, const json& body_site) {
    json sites = json::array();
    if (!body_site.is_array()) {
      unresolved(r.name + ".bodySite", shown(body_site), "bodySite must be an array");
      return sites;
    }
    for (std::size_t i = 0; i < body_site.size(); ++i) {
      const json& cc = body_site[i];
      std::string site;
      if (options_.rules != nullptr && cc.is_object() && cc.contains("coding") && cc["coding"].is_array()) {
        const Ontology& o = options_.rules->ontology();
        for (const auto& c : cc["coding"]) {
          if (!c.is_object()) continue;
          auto name = fhir_system_short_name(str(c, "system"));
          if (!name) continue;
          const Concept* region = o.find_code(ConceptKind::region, str(c, "system"), str(c, "code"));
          if (region == nullptr) region = o.find_code(ConceptKind::region, *name, str(c, "code"));
          if (region != nullptr) {
            site = region->id;
            break;
          }
        }
      }
      if (site.empty()) site = words_of(cc);
      if (site.empty()) {
        unresolved(r.name + ".bodySite[" + std::to_string(i) + "]", shown(cc), "a body site with neither a known code nor words");
      } else {
        sites.push_back(site);
      }
    }
    return sites;
  }

  void read_condition(const Resource& r) {
    const json& c = *r.resource;
    if (!status_allows(r, "verificationStatus", {"confirmed", "unconfirmed", "provisional", "differential"},
                       {"refuted", "entered-in-error"}, true)) {
      return;
    }
    if (!status_allows(r, "clinicalStatus", {"active", "recurrence", "relapse"}, {"inactive", "remission", "resolved"}, true)) {
      return;
    }
    const json code = c.value("code", json());
    std::vector<Entry> entries = entries_of(code, ConceptKind::condition, {ConceptKind::finding, ConceptKind::condition});
    if (entries.empty()) {
      unresolved(r.name + ".code", shown(code), "a condition with neither a code in a known system nor words");
      return;
    }
    std::string onset;
    if (auto o = c.find("onsetDateTime"); o != c.end() && o->is_string()) onset = o->get<std::string>();
    else if (auto p = c.find("onsetPeriod"); p != c.end() && p->is_object()) onset = str(*p, "start");
    else if (auto s = c.find("onsetString"); s != c.end() && s->is_string()) onset = s->get<std::string>();
    json sites;
    if (auto b = c.find("bodySite"); b != c.end() && !b->is_null()) sites = sites_of(r, *b);
    for (auto& e : entries) {
      if (e.kind == ConceptKind::finding && sites.is_array() && !sites.empty()) {
        if (e.value.is_string()) e.value = json{{"id", e.value}};
        e.value["sites"] = sites;
      }
      if (!onset.empty()) {
        if (e.value.is_string()) e.value = json{{"id", e.value}};
        e.value["onset"] = onset;
      }
      add(e);
    }
  }

  void read_medication(const Resource& r) {
    const json& m = *r.resource;
    auto status = m.find("status");
    const std::string s = status != m.end() && status->is_string() ? status->get<std::string>() : "";
    if (s == "unknown" || s.empty()) {
      // Read as taken (the safe side for bleeding risks) and shown to the clinician.
      unresolved(r.name + ".status", s.empty() ? "(none)" : s, "not known whether the patient takes this medicine");
    } else if (s != "active") {
      return;  // completed, stopped, cancelled, draft, ...: not taken now
    }
    const json* concept = nullptr;
    if (auto cc = m.find("medicationCodeableConcept"); cc != m.end() && cc->is_object()) {
      concept = &*cc;
    } else if (auto ref = m.find("medicationReference"); ref != m.end() && ref->is_object()) {
      const std::string target = str(*ref, "reference");
      if (!target.empty() && target[0] == '#') {
        if (auto contained = m.find("contained"); contained != m.end() && contained->is_array()) {
          for (const auto& c : *contained) {
            if (c.is_object() && str(c, "id") == target.substr(1) && c.contains("code")) concept = &c["code"];
          }
        }
      } else if (auto it = by_reference_.find(target.substr(target.find("Medication/") == std::string::npos ? 0 : target.find("Medication/")));
                 it != by_reference_.end() && it->second->contains("code")) {
        concept = &(*it->second)["code"];
      }
    }
    std::vector<Entry> entries;
    if (concept != nullptr) {
      entries = entries_of(*concept, ConceptKind::medication, {ConceptKind::medication});
    } else if (auto ref = m.find("medicationReference"); ref != m.end() && ref->is_object() && !str(*ref, "display").empty()) {
      entries.push_back(Entry{str(*ref, "display"), ConceptKind::medication});
    }
    if (entries.empty()) {
      unresolved(r.name + ".medication", concept ? shown(*concept) : "(none)", "a medicine with neither a code in a known system nor words");
      return;
    }
    for (const auto& e : entries) add(e);
  }

  void read_allergy(const Resource& r) {
    const json& a = *r.resource;
    if (!status_allows(r, "verificationStatus", {"confirmed", "unconfirmed", "presumed"}, {"refuted", "entered-in-error"}, true)) return;
    if (!status_allows(r, "clinicalStatus", {"active"}, {"inactive", "resolved"}, true)) return;
    const json code = a.value("code", json());
    std::vector<Entry> entries;
    if (options_.rules != nullptr) {
      for (auto& e : entries_of(code, ConceptKind::finding, {ConceptKind::finding})) {
        if (!e.value.is_string() && known_kind(e.value["system"], *fhir_system_short_name(e.value["system"]),
                                               e.value["code"], {ConceptKind::finding})) {
          entries.push_back(e);
        }
      }
    } else {
      for (auto& e : entries_of(code, ConceptKind::finding, {})) {
        if (!e.value.is_string()) entries.push_back(e);
      }
    }
    const std::string words = words_of(code);
    if (entries.empty() && options_.rules != nullptr && !words.empty()) {
      // A rule set may name allergies in words ("nut oil allergy") through its synonyms.
      for (const std::string& text : {words, "allergy to " + words, words + " allergy"}) {
        if (options_.rules->ontology().match_name(ConceptKind::finding, text)) {
          entries.push_back(Entry{text, ConceptKind::finding});
          break;
        }
      }
    }
    if (entries.empty()) {
      // Massage uses oils and lotions: an allergy knead cannot place goes to the clinician.
      unresolved(r.name + ".code", words.empty() ? shown(code) : words,
                 "an allergy the rule set does not know; check it against the oils and products used");
      return;
    }
    for (const auto& e : entries) add(e);
  }

  // Observations: the latest of each kind counts.
  void note_observation(const Resource& r) {
    const json& o = *r.resource;
    const std::string status = str(o, "status");
    if (status == "entered-in-error" || status == "cancelled" || status == "registered") return;
    const json code = o.value("code", json());
    const char* kind = nullptr;
    for (const char* c : {kPainSeverity, kPlateletsAuto, kPlatelets, kPregnancyStatus, kBloodPressurePanel, kSystolic, kDiastolic}) {
      if (has_coding(code, kLoinc, c)) {
        kind = c;
        break;
      }
    }
    if (kind == nullptr) return;  // an observation knead does not read
    std::string group = kind;
    if (group == kPlateletsAuto) group = kPlatelets;
    if (group == kSystolic || group == kDiastolic) group = kBloodPressurePanel + std::string(":") + kind;
    std::string when = str(o, "effectiveDateTime");
    if (when.empty() && o.contains("effectivePeriod") && o["effectivePeriod"].is_object()) when = str(o["effectivePeriod"], "start");
    if (when.empty()) when = str(o, "issued");
    auto& latest = observations_[group];
    if (latest.resource == nullptr || when > latest.when) latest = Observation{r.resource, r.name, kind, when};
  }

  struct Observation {
    const json* resource = nullptr;
    std::string name;
    std::string loinc;
    std::string when;
  };

  std::optional<double> quantity(const Observation& ob, const json& holder, const std::string& field,
                                 std::initializer_list<const char*> units, double scale_if_per_ul) {
    if (auto q = holder.find("valueQuantity"); q != holder.end() && q->is_object()) {
      auto v = q->find("value");
      if (v == q->end() || !v->is_number()) {
        unresolved(ob.name + "." + field, shown(*q), "no numeric value");
        return std::nullopt;
      }
      const std::string unit = !str(*q, "code").empty() ? str(*q, "code") : str(*q, "unit");
      double value = v->get<double>();
      bool ok = units.size() == 0;
      for (const char* u : units) ok = ok || unit == u;
      if (!ok && scale_if_per_ul > 0 && (unit == "/uL" || unit == "/mm3" || unit == "/mm[3]")) {
        ok = true;
        value *= scale_if_per_ul;
      }
      if (!ok) {
        unresolved(ob.name + "." + field, shown(*q), "the unit '" + unit + "' is not one knead reads here");
        return std::nullopt;
      }
      return value;
    }
    if (auto i = holder.find("valueInteger"); i != holder.end() && i->is_number()) return i->get<double>();
    unresolved(ob.name + "." + field, shown(holder.value("code", json())), "no value knead can read");
    return std::nullopt;
  }

  void read_observations() {
    for (const auto& [group, ob] : observations_) {
      const json& o = *ob.resource;
      if (ob.loinc == kPainSeverity) {
        if (auto v = quantity(ob, o, "value", {"{score}", "1", "score", ""}, 0)) {
          if (*v < 0 || *v > 10) unresolved(ob.name + ".value", shown(*v), "a 0-10 pain score outside 0..10");
          else out_.patient["pain"]["intensity"] = *v;
        }
      } else if (ob.loinc == kPlateletsAuto || ob.loinc == kPlatelets) {
        // 10^9/L and 10^3/uL are the same number; a count per microlitre is a thousand times it.
        if (auto v = quantity(ob, o, "value", {"10*9/L", "10*3/uL", "10^9/L", "10^3/uL", "x10E9/L", "x10E3/uL", "K/uL"}, 0.001)) {
          if (*v < 0 || *v > 2000) unresolved(ob.name + ".value", shown(*v), "a platelet count outside 0..2000 x 10^9/L");
          else out_.patient["labs"]["platelets"] = *v;
        }
      } else if (ob.loinc == kPregnancyStatus) {
        const json answer = o.value("valueCodeableConcept", json());
        if (has_coding(answer, kSnomed, kPregnant)) {
          out_.patient["findings"].push_back({{"system", kSnomed}, {"code", kPregnant}});
        } else if (!has_coding(answer, kSnomed, kNotPregnant) && !has_coding(answer, kSnomed, kUnknownAnswer)) {
          unresolved(ob.name + ".valueCodeableConcept", shown(answer), "a pregnancy status knead cannot read");
        }
        // Not pregnant, or unknown: nothing to record; rules that need it ask.
      } else {
        read_blood_pressure(ob);
      }
    }
  }

  void read_blood_pressure(const Observation& ob) {
    const json& o = *ob.resource;
    auto put = [&](const char* loinc, const json& holder, const std::string& field) {
      const bool systolic = loinc == std::string(kSystolic);
      if (auto v = quantity(ob, holder, field, {"mm[Hg]", "mmHg"}, 0)) {
        // The plausible ranges the default rule set declares for these inputs.
        if (*v < (systolic ? 40 : 20) || *v > (systolic ? 300 : 200)) {
          unresolved(ob.name + "." + field, shown(*v), "a blood pressure outside the plausible range");
        } else {
          out_.patient["vitals"][systolic ? "systolic_bp" : "diastolic_bp"] = *v;
        }
      }
    };
    if (ob.loinc == kSystolic || ob.loinc == kDiastolic) {
      put(ob.loinc.c_str(), o, "value");
      return;
    }
    auto components = o.find("component");
    if (components == o.end() || !components->is_array()) {
      unresolved(ob.name + ".component", "(none)", "a blood pressure panel without components");
      return;
    }
    for (std::size_t i = 0; i < components->size(); ++i) {
      const json& c = (*components)[i];
      if (!c.is_object()) continue;
      const json code = c.value("code", json());
      const std::string field = "component[" + std::to_string(i) + "]";
      if (has_coding(code, kLoinc, kSystolic)) put(kSystolic, c, field);
      else if (has_coding(code, kLoinc, kDiastolic)) put(kDiastolic, c, field);
    }
  }

  const FhirOptions& options_;
  fhir::Date as_of_;
  FhirReading out_;
  std::vector<Resource> resources_;
  std::map<std::string, const json*> by_reference_;
  std::map<std::string, Observation> observations_;
  std::string patient_id_;
  int patients_seen_ = 0;
};

}  // namespace

std::optional<std::string> fhir_system_short_name(const std::string& uri) {
  for (const auto& s : kSystems) {
    if (uri == s.uri) return std::string(s.name);
  }
  return std::nullopt;
}

bool is_fhir_resource(const nlohmann::json& document) noexcept {
  return document.is_object() && document.contains("resourceType");
}

FhirReading read_fhir(const nlohmann::json& input, const FhirOptions& options) { return Reader(options).run(input); }

}  // namespace knead
