#include <knead/code_system.hpp>
#include <knead/matching.hpp>

#include "model/name_form.hpp"

#include <array>

namespace knead {
namespace {

bool ascii_alnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r' || s.back() == '/')) {
    s.remove_suffix(1);
  }
  return s;
}

// Letters and digits only, lower case: "ICD-10-CM" and "icd10cm" both give "icd10cm".
std::string squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (ascii_alnum(static_cast<unsigned char>(c))) out += ascii_lower(c);
  }
  return out;
}

struct SystemName {
  const char* canonical;
  std::array<const char*, 4> spellings;  // squeezed short names
  const char* uri;                        // FHIR URI without scheme
};

constexpr SystemName systems[] = {
    {"icd10cm", {"icd10cm", "icd10", nullptr, nullptr}, "hl7.org/fhir/sid/icd-10-cm"},
    {"snomed", {"snomed", "snomedct", "sct", nullptr}, "snomed.info/sct"},
    {"atc", {"atc", "whoatc", nullptr, nullptr}, "www.whocc.no/atc"},
    {"rxnorm", {"rxnorm", "rxcui", nullptr, nullptr}, "www.nlm.nih.gov/research/umls/rxnorm"},
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// Already in normal form: lower-case letters and digits in words joined by single underscores.
// Most names are written that way (ids, and names close to ids), and are then their own form.
bool normal_form(std::string_view text) {
  if (text.empty() || text.front() == '_' || text.back() == '_') return false;
  char previous = 0;
  for (const char c : text) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!word && (c != '_' || previous == '_')) return false;
    previous = c;
  }
  return true;
}

}  // namespace

namespace detail {

void normalize_name_into(std::string_view text, std::string& out) {
  if (normal_form(text)) {
    out.assign(text);
    return;
  }
  out.clear();
  out.reserve(text.size());
  bool gap = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\'') continue;
    // U+2019 (right single quotation mark), the apostrophe word processors write.
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        static_cast<unsigned char>(text[i + 2]) == 0x99) {
      i += 2;
      continue;
    }
    if (ascii_alnum(c) || c >= 0x80) {
      if (gap && !out.empty()) out += '_';
      gap = false;
      out += ascii_lower(static_cast<char>(c));
    } else {
      gap = true;
    }
  }
}

}  // namespace detail

std::string normalize_name(std::string_view text) {
  std::string out;
  detail::normalize_name_into(text, out);
  return out;
}

const std::vector<std::string>& known_code_systems() {
  static const std::vector<std::string> names{"icd10cm", "snomed", "atc", "rxnorm"};
  return names;
}

std::string_view canonical_code_system(std::string_view system) noexcept {
  system = trim(system);
  for (const auto& s : systems) {
    for (std::string_view scheme : {"http://", "https://"}) {
      if (system.size() > scheme.size() && iequals(system.substr(0, scheme.size()), scheme) &&
          iequals(system.substr(scheme.size()), s.uri)) {
        return s.canonical;
      }
    }
  }
  if (system.size() > 64) return {};
  const std::string squeezed = squeeze(system);
  for (const auto& s : systems) {
    for (const char* spelling : s.spellings) {
      if (spelling != nullptr && squeezed == spelling) return s.canonical;
    }
  }
  return {};
}

std::string normalize_code(std::string_view canonical_system, std::string_view code) {
  code = trim(code);
  std::string out;
  out.reserve(code.size());
  const bool icd = canonical_system == "icd10cm";
  const bool upper = icd || canonical_system == "atc";
  for (char c : code) {
    if (icd && c == '.') continue;
    out += upper ? ascii_upper(c) : c;
  }
  return out;
}

}  // namespace knead
