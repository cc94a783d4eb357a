// Runs the public JsonLogic conformance suites against knead::logic.
//
//   knead_conformance [DIR]
//
// DIR (default: $KNEAD_CONFORMANCE_DIR, else the build's KNEAD_DEFAULT_CONFORMANCE_DIR) holds
// index.json, the ordered list of suite files. A suite is an array of headings (strings) and
// cases {"description", "rule", "data" (absent = null), "result" | "error": {"type": ...}}.
// Prints one line per suite, the details of each failure, and "N passed, M failed".
// Exit status: 0 all passed, 1 some failed, 77 the suites are not there (ctest: skipped).

#include <knead/logic.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace {

using nlohmann::json;

// Equality with numbers compared by value (3 == 3.0), recursively.
bool same(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_number_integer() && b.is_number_integer()) {
      // Both integral: compare exactly (either may be unsigned).
      if (a.is_number_unsigned() || b.is_number_unsigned()) {
        const bool a_neg = !a.is_number_unsigned() && a.get<std::int64_t>() < 0;
        const bool b_neg = !b.is_number_unsigned() && b.get<std::int64_t>() < 0;
        return !a_neg && !b_neg && a.get<std::uint64_t>() == b.get<std::uint64_t>();
      }
      return a.get<std::int64_t>() == b.get<std::int64_t>();
    }
    return a.get<double>() == b.get<double>();
  }
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      const auto other = b.find(it.key());
      if (other == b.end() || !same(it.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

bool read_json(const std::filesystem::path& path, json& out, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot open " + path.string();
    return false;
  }
  try {
    out = json::parse(in);
  } catch (const json::exception& e) {
    error = path.string() + ": " + e.what();
    return false;
  }
  return true;
}

struct Outcome {
  bool ok = false;
  json actual;  // the result, or {"error": value} when evaluation raised
};

Outcome run_case(const json& c) {
  Outcome out;
  const json data = c.contains("data") ? c["data"] : json();
  try {
    const auto program = knead::logic::Program::compile(c.at("rule"));
    const json result = program.evaluate(data);
    out.actual = result;
    if (c.contains("result")) {
      out.ok = same(result, c["result"]);
      // test() must agree with the truthiness of evaluate().
      if (out.ok && program.test(data) != knead::logic::truthy(result)) {
        out.ok = false;
        out.actual = {{"test() disagrees with evaluate()", result}};
      }
    }
  } catch (const knead::logic::Error& e) {
    out.actual = {{"error", e.value()}, {"code", e.code()}, {"message", e.what()}};
    if (c.contains("error")) out.ok = same(e.value(), c["error"]);
  } catch (const std::exception& e) {
    out.actual = {{"exception", e.what()}};
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir;
  if (argc > 1) {
    dir = argv[1];
  } else if (const char* env = std::getenv("KNEAD_CONFORMANCE_DIR"); env != nullptr && *env != '\0') {
    dir = env;
  } else {
#ifdef KNEAD_DEFAULT_CONFORMANCE_DIR
    dir = KNEAD_DEFAULT_CONFORMANCE_DIR;
#endif
  }
  const std::filesystem::path index_path = dir / "index.json";
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_regular_file(index_path, ec)) {
    std::cout << "knead_conformance: no suites at '" << dir.string() << "' (index.json missing); skipped\n";
    return 77;
  }

  json index;
  std::string error;
  if (!read_json(index_path, index, error) || !index.is_array()) {
    std::cout << "knead_conformance: cannot read the index: " << (error.empty() ? "not an array" : error) << "\n";
    return 1;
  }

  std::size_t passed = 0;
  std::size_t failed = 0;
  for (const auto& entry : index) {
    const std::string name = entry.get<std::string>();
    json suite;
    if (!read_json(dir / name, suite, error) || !suite.is_array()) {
      std::cout << name << ": cannot read: " << error << "\n";
      ++failed;
      continue;
    }
    std::size_t suite_passed = 0;
    std::size_t suite_total = 0;
    std::string report;
    for (const auto& c : suite) {
      if (!c.is_object()) continue;  // a heading
      ++suite_total;
      const Outcome outcome = run_case(c);
      if (outcome.ok) {
        ++suite_passed;
        continue;
      }
      report += "  FAIL " + c.value("description", std::string("(no description)")) + "\n";
      report += "    rule:     " + dump(c["rule"]) + "\n";
      report += "    data:     " + dump(c.contains("data") ? c["data"] : json()) + "\n";
      report += "    expected: " + (c.contains("error") ? dump(json{{"error", c["error"]}}) : dump(c["result"])) + "\n";
      report += "    actual:   " + dump(outcome.actual) + "\n";
    }
    passed += suite_passed;
    failed += suite_total - suite_passed;
    std::cout << name << ": " << suite_passed << "/" << suite_total << " passed\n" << report;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}
