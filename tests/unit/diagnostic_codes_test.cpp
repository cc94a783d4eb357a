// The table of diagnostic codes: every code raised under src/ is declared, and something triggers it.
#include "support/catch.hpp"

#include <knead/diagnostic_codes.hpp>
#include <knead/fhir.hpp>
#include <knead/patient.hpp>
#include <knead/rule_set.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The families of codes: those of the table, and the pipeline's stages (a new family is caught too).
std::set<std::string> families() {
  std::set<std::string> out{"parse",  "load",    "check", "compile", "evaluate", "eval",  "resolve",
                            "render", "patient", "cases", "lint",    "logic",    "limit", "io"};
  for (const auto& d : knead::diagnostic_codes()) {
    const std::string code = d.code;
    out.insert(code.substr(0, code.find('.')));
  }
  return out;
}

// Every string literal under `dir` that reads like a code of one of the families.
std::map<std::string, std::string> codes_written_under(const fs::path& dir) {
  std::string alternatives;
  for (const auto& f : families()) alternatives += (alternatives.empty() ? "" : "|") + f;
  const std::regex literal("\"((" + alternatives + ")\\.[a-z_]+)\"");
  std::map<std::string, std::string> out;  // code -> first file
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
    const std::string text = read(entry.path());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator(); ++it) {
      out.emplace((*it)[1].str(), entry.path().lexically_relative(dir).string());
    }
  }
  return out;
}

// True when `text` has `word` standing alone (not inside a longer code or identifier).
bool mentions(const std::string& text, const std::string& word) {
  auto part_of_code = [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == '.'; };
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !part_of_code(text[at - 1]);
    const std::size_t end = at + word.size();
    const bool ends = end == text.size() || !part_of_code(text[end]) || text[end] == '.';
    if (starts && ends && (end == text.size() || text[end] != '_')) return true;
  }
  return false;
}

const fs::path source_dir{KNEAD_SOURCE_DIR};

}  // namespace

TEST_CASE("Every diagnostic code raised under src/ is in the table", "[diagnostic_codes]") {
  const auto written = codes_written_under(source_dir / "src");
  REQUIRE(written.size() >= 30);
  for (const auto& [code, file] : written) {
    CAPTURE(code, file);
    CHECK(knead::find_diagnostic_code(code) != nullptr);
  }
}

TEST_CASE("Every diagnostic code has a bad-input fixture or a test that triggers it", "[diagnostic_codes]") {
  // The fixtures' expected codes, and every code the C++, CLI and Python tests name (this file's
  // tests below included).
  std::string corpus = read(source_dir / "tests/bad_input/expected.json");
  for (const char* dir : {"tests/unit", "tests/property", "tests/cli", "bindings/python/tests"}) {
    if (!fs::exists(source_dir / dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(source_dir / dir)) {
      if (entry.is_regular_file()) corpus += read(entry.path());
    }
  }
  for (const auto& d : knead::diagnostic_codes()) {
    CAPTURE(d.code);
    if (d.internal) continue;
    // The code as a whole word: "check.type" in C++ and Python, (check.type) in a CLI check.
    CHECK(mentions(corpus, d.code));
  }
}

TEST_CASE("The table is sorted, without duplicates, each code with a one-line summary", "[diagnostic_codes]") {
  const auto& table = knead::diagnostic_codes();
  REQUIRE(table.size() >= 40);
  for (std::size_t i = 0; i < table.size(); ++i) {
    CAPTURE(table[i].code);
    CHECK(std::regex_match(table[i].code, std::regex("[a-z]+\\.[a-z_]+")));
    CHECK(std::string(table[i].summary).find('\n') == std::string::npos);
    if (i > 0) CHECK(std::string(table[i - 1].code) < std::string(table[i].code));
  }
  REQUIRE(knead::find_diagnostic_code("check.unknown_concept") != nullptr);
  CHECK(knead::find_diagnostic_code("check.unknown_concept")->severity == knead::Severity::error);
  CHECK(knead::find_diagnostic_code("lint.no_evidence")->severity == knead::Severity::warning);
  CHECK(knead::find_diagnostic_code("check.unknown") == nullptr);
}

TEST_CASE("A rule set without a name loads with the warning check.no_name", "[diagnostic_codes][check]") {
  const auto rules =
      knead::RuleSet::parse(R"({"concepts": {"modalities": [{"id": "massage", "pressure": "medium"}]}, "rules": []})");
  REQUIRE(rules.warnings().size() == 1);
  CHECK(rules.warnings()[0].code == "check.no_name");
  CHECK(rules.name() == "unnamed");
}

TEST_CASE("An include in a rule set given as text is load.include_unsupported", "[diagnostic_codes][load]") {
  try {
    (void)knead::RuleSet::parse(R"({"ruleset": "t", "version": "1.0.0", "include": ["other.json"]})");
    FAIL("expected a LoadError");
  } catch (const knead::LoadError& e) {
    REQUIRE(!e.diagnostics().empty());
    CHECK(e.diagnostics()[0].code == "load.include_unsupported");
    CHECK(e.diagnostics()[0].pointer == "/include");
  }
}

namespace {

std::vector<std::string> load_error_codes(const std::string& text) {
  std::vector<std::string> codes;
  try {
    (void)knead::RuleSet::parse(text);
  } catch (const knead::LoadError& e) {
    for (const auto& d : e.diagnostics()) codes.push_back(d.code);
  }
  return codes;
}

bool has(const std::vector<std::string>& codes, const std::string& code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string fhir_error_code(const nlohmann::json& input, const std::string& as_of = "2026-12-01") {
  try {
    (void)knead::read_fhir(input, knead::FhirOptions{as_of, nullptr});
  } catch (const knead::PatientError& e) {
    return e.code();
  }
  return "";
}

}  // namespace

TEST_CASE("Declared inputs and synonyms are checked: check.input_items, check.synonym", "[diagnostic_codes][check]") {
  const char* head = R"({"ruleset": "t", "version": "1.0.0", )";
  const char* modalities = R"("modalities": [{"id": "massage", "pressure": "medium"}])";
  CHECK(has(load_error_codes(std::string(head) + R"("inputs": {"labs.platelets": {"type": "number", "items": "number"}},)" +
                             R"( "concepts": {)" + modalities + R"(}, "rules": []})"),
            "check.input_items"));
  CHECK(has(load_error_codes(std::string(head) + R"("concepts": {)" + modalities +
                             R"(, "conditions": [{"id": "knee_oa", "synonyms": ["--"]}]}, "rules": []})"),
            "check.synonym"));
}

TEST_CASE("A 'lint' acknowledgement naming an unknown rule is the warning check.unknown_rule", "[diagnostic_codes][check]") {
  const auto rules = knead::RuleSet::parse(
      R"({"ruleset": "t", "version": "1.0.0", "concepts": {"modalities": [{"id": "massage", "pressure": "medium"}]},
          "lint": {"accept": ["lint.no_evidence"], "because": "reviewed", "rules": ["no_such_rule"]}, "rules": []})");
  REQUIRE(rules.warnings().size() == 1);
  CHECK(rules.warnings()[0].code == "check.unknown_rule");
}

TEST_CASE("Loading no rule set at all is load.no_rule_set", "[diagnostic_codes][load]") {
  try {
    (void)knead::RuleSet::try_load(std::vector<std::filesystem::path>{});
    FAIL("expected an Error");
  } catch (const knead::Error& e) {
    CHECK(e.code() == "load.no_rule_set");
  }
}

TEST_CASE("FHIR input errors: fhir.as_of, fhir.type, fhir.patients, fhir.limit", "[diagnostic_codes][fhir]") {
  const nlohmann::json patient = {{"resourceType", "Patient"}, {"id", "p"}};
  CHECK(fhir_error_code(patient, "1.12.2026") == "fhir.as_of");
  CHECK(fhir_error_code(nlohmann::json::array()) == "fhir.type");
  nlohmann::json two = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", nlohmann::json::array()}};
  two["entry"].push_back({{"resource", patient}});
  two["entry"].push_back({{"resource", {{"resourceType", "Patient"}, {"id", "q"}}}});
  CHECK(fhir_error_code(two) == "fhir.patients");
  nlohmann::json many = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", nlohmann::json::array()}};
  for (int i = 0; i <= 10000; ++i) {
    many["entry"].push_back({{"resource", {{"resourceType", "Observation"}, {"id", "o" + std::to_string(i)}}}});
  }
  CHECK(fhir_error_code(many) == "fhir.limit");
}
