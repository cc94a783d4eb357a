// knead test: run case files against a rule set.

#include "cli.hpp"

#include <knead/case_runner.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>

namespace knead::cli {
namespace {

po::options_description visible_options() {
  po::options_description options("Options");
  add_rules_option(options);
  options.add_options()("verbose,v", "also list the cases that pass, and every clause's coverage")(
      "quiet,q", "print only failures and the summary line")(
      "format", po::value<std::string>()->value_name("FORMAT")->default_value("text"), "text, json or junit")(
      "coverage", po::value<std::vector<std::string>>()->value_name("FILE|all")->composing(),
      "the rule files coverage is reported for (repeatable), or 'all'; default: the rule files named like "
      "the case files, else all")("fail-on-unfired", "exit with 1 when some rule in scope is fired by no case")(
      "help,h", "show this help");
  return options;
}

const char* const usage =
    "knead test [--rules PATH]... [--verbose | --quiet] [--format text|json|junit] [--coverage FILE|all]...\n"
    "                  [--fail-on-unfired] CASES...";

const char* const about =
    "Runs case files (a case, or an array of cases; a directory stands for its *.json files) against\n"
    "a rule set. Each failing case is listed with its location and name, then each unmet expectation\n"
    "with what was expected and what came out. Then coverage, for the rule files under test: the\n"
    "rules no case fired, and the clauses of fired rules' 'when' (each branch of an and, or, ! or if)\n"
    "that no case made true. Last a line 'N passed, N failed'. A case's 'expect' may hold: status,\n"
    "modalities_include, modalities_exclude, excluded_include, top_modality, max_pressure,\n"
    "self_care_include, self_care_exclude, avoid_regions_include, refer, refer_to, fired_include,\n"
    "fired_exclude, warnings_include.\n"
    "\n"
    "The rule files under test are those named like a case file (tests/cases/back_pain.json tests\n"
    "rules/back_pain.json), or every file when none is; --coverage names them, or 'all'. With\n"
    "several --rules, only the top layer's files are in scope by default.\n"
    "--format json prints the whole report as JSON, --format junit as JUnit XML for CI systems\n"
    "(both on stdout); malformed case files go to stderr.\n"
    "\n"
    "Exit status: 0 every case passed, 1 some case failed, a case file is malformed, no case was found\n"
    "(or a rule went unfired with --fail-on-unfired), 2 usage error or a CASES path cannot be read.";

const char* const examples =
    "  knead test tests/cases/\n"
    "  knead test --rules rules/ tests/cases/fibromyalgia.json tests/cases/safety_local.json\n"
    "  knead test --rules rules/ --rules clinic/ --fail-on-unfired clinic-cases/\n"
    "  knead test --format junit tests/cases/ > junit.xml\n";

std::string case_title(const CaseResult& r) {
  std::string out = r.location.to_string();
  if (!r.name.empty()) out += ": " + r.name;
  return out;
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

namespace fs = std::filesystem;

// The rule files coverage is reported for.
std::set<std::string> coverage_scope(const RuleSet& rules, const std::vector<std::string>& requested,
                                     const std::vector<fs::path>& case_paths, bool& all) {
  std::set<std::string> scope;
  all = false;
  for (const auto& r : requested) {
    if (r == "all") {
      all = true;
      return scope;
    }
  }
  if (!requested.empty()) {
    std::error_code ec;
    for (const auto& r : requested) {
      const fs::path want = fs::weakly_canonical(r, ec);
      bool found = false;
      for (const auto& f : rules.files()) {
        if (fs::weakly_canonical(f, ec) == want || fs::path(f).filename() == fs::path(r).filename()) {
          scope.insert(f);
          found = true;
        }
      }
      if (!found) throw UsageError("test: --coverage '" + r + "' is not a file of the rule set");
    }
    return scope;
  }
  // The top layer's files: with overlays, a clinic tests its own rules.
  std::set<std::string> candidates;
  for (const auto& rule : rules.rules()) candidates.insert(rule.location.file);
  if (rules.layers().size() > 1) {
    std::error_code ec;
    const fs::path top = fs::weakly_canonical(rules.layers().back().path, ec);
    std::set<std::string> top_files;
    for (const auto& f : candidates) {
      const fs::path p = fs::weakly_canonical(f, ec);
      if (p == top || p.parent_path() == top) top_files.insert(f);
    }
    if (!top_files.empty()) candidates = top_files;
  }
  std::set<std::string> stems;
  for (const auto& p : case_paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::directory_iterator(p, ec)) stems.insert(e.path().stem().string());
    } else {
      stems.insert(p.stem().string());
    }
  }
  for (const auto& f : candidates) {
    if (stems.count(fs::path(f).stem().string()) != 0) scope.insert(f);
  }
  // With a directory of cases, every file is under test.
  const bool directory = std::any_of(case_paths.begin(), case_paths.end(), [](const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
  });
  if (scope.empty() || directory) scope = candidates;
  return scope;
}

}  // namespace

void help_test(std::ostream& out) { print_help(out, usage, about, visible_options(), examples); }

int run_test(const std::vector<std::string>& args) {
  const auto parsed = parse_command("test", args, visible_options(), Positionals{"cases", -1}, help_test);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json" && format != "junit") {
    const std::string near = nearest(format, {"text", "json", "junit"});
    throw UsageError("test: --format must be text, json or junit, not '" + format + "'" +
                     (near.empty() ? "" : "; did you mean '" + near + "'?"));
  }
  if (vm.count("cases") == 0) throw UsageError("test: no case files given (see 'knead test --help')");
  std::vector<std::filesystem::path> paths;
  for (const auto& p : vm["cases"].as<std::vector<std::string>>()) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) throw UsageError("cannot read cases '" + p + "': no such file or directory");
    paths.emplace_back(p);
  }
  const bool verbose = vm.count("verbose") != 0;
  const bool quiet = vm.count("quiet") != 0;
  if (verbose && quiet) throw UsageError("test: give --verbose or --quiet, not both");

  const Engine engine{load_rules(rules_paths(vm))};
  const CaseReport report = run_case_files(engine, paths);
  std::vector<std::string> requested;
  if (vm.count("coverage") != 0) requested = vm["coverage"].as<std::vector<std::string>>();
  bool all_files = false;
  const std::set<std::string> scope = coverage_scope(engine.rules(), requested, paths, all_files);
  auto in_scope = [&](const Rule& rule) { return all_files || scope.count(rule.location.file) != 0; };

  std::vector<const Rule*> unfired;
  std::size_t rules_in_scope = 0;
  {
    std::set<std::string> unfired_ids(report.unfired_rules.begin(), report.unfired_rules.end());
    for (const auto& rule : engine.rules().rules()) {
      if (!in_scope(rule)) continue;
      ++rules_in_scope;
      if (unfired_ids.count(rule.id) != 0) unfired.push_back(&rule);
    }
  }
  // Clauses of fired rules in scope that no case made true (the rule's own root is covered by
  // the unfired list).
  std::vector<const ClauseCoverage*> clauses_in_scope;
  std::vector<const ClauseCoverage*> never_true;
  {
    std::set<std::string> unfired_ids(report.unfired_rules.begin(), report.unfired_rules.end());
    std::map<std::string, const Rule*> rule_by_id;
    for (const auto& rule : engine.rules().rules()) rule_by_id[rule.id] = &rule;
    for (const auto& c : report.clauses) {
      auto r = rule_by_id.find(c.rule);
      if (r == rule_by_id.end() || !in_scope(*r->second)) continue;
      clauses_in_scope.push_back(&c);
      if (!c.ever_true && unfired_ids.count(c.rule) == 0) never_true.push_back(&c);
    }
  }
  std::size_t both = 0;
  for (const auto* c : clauses_in_scope) both += c->ever_true && c->ever_false ? 1 : 0;

  print_diagnostics(report.diagnostics);
  if (format == "json") {
    nlohmann::ordered_json out{{"passed", report.passed}, {"failed", report.failed}, {"cases", nlohmann::ordered_json::array()}};
    for (const auto& r : report.results) {
      nlohmann::ordered_json c{{"name", r.name}, {"location", r.location.to_string()}, {"passed", r.passed}};
      if (!r.error.empty()) c["error"] = r.error;
      c["failures"] = nlohmann::ordered_json::array();
      for (const auto& f : r.failures) {
        c["failures"].push_back({{"expectation", f.expectation}, {"expected", f.expected}, {"actual", f.actual}});
      }
      out["cases"].push_back(std::move(c));
    }
    nlohmann::ordered_json coverage{{"files", all_files ? nlohmann::ordered_json("all") : nlohmann::ordered_json(scope)},
                            {"rules", rules_in_scope},
                            {"unfired_rules", nlohmann::ordered_json::array()},
                            {"clauses", nlohmann::ordered_json::array()}};
    for (const Rule* r : unfired) coverage["unfired_rules"].push_back({{"id", r->id}, {"location", r->location.to_string()}});
    for (const auto* c : clauses_in_scope) {
      coverage["clauses"].push_back({{"rule", c->rule},
                                     {"pointer", c->pointer},
                                     {"location", c->location.to_string()},
                                     {"clause", c->clause},
                                     {"ever_true", c->ever_true},
                                     {"ever_false", c->ever_false}});
    }
    out["coverage"] = std::move(coverage);
    std::cout << out.dump(2) << '\n';
  } else if (format == "junit") {
    std::cout << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              << "<testsuites tests=\"" << report.results.size() << "\" failures=\"" << report.failed << "\">\n"
              << "  <testsuite name=\"knead cases\" tests=\"" << report.results.size() << "\" failures=\""
              << report.failed << "\">\n";
    for (const auto& r : report.results) {
      std::cout << "    <testcase classname=\"" << xml_escape(r.location.file) << "\" name=\""
                << xml_escape(r.name.empty() ? r.location.to_string() : r.name) << "\"";
      if (r.passed) {
        std::cout << "/>\n";
        continue;
      }
      std::string text;
      if (!r.error.empty()) text += "error: " + r.error + "\n";
      for (const auto& f : r.failures) text += f.expectation + ": expected " + f.expected + ", got " + f.actual + "\n";
      const std::string first = r.error.empty() && !r.failures.empty() ? r.failures.front().expectation : "error";
      std::cout << ">\n      <failure message=\"" << xml_escape(one_line(first + " at " + r.location.to_string()))
                << "\">" << xml_escape(text) << "</failure>\n    </testcase>\n";
    }
    std::cout << "  </testsuite>\n</testsuites>\n";
  } else {
    for (const auto& r : report.results) {
      if (r.passed) {
        if (verbose) std::cout << "PASS " << one_line(case_title(r)) << '\n';
        continue;
      }
      std::cout << "FAIL " << one_line(case_title(r)) << '\n';
      if (!r.error.empty()) std::cout << "  error: " << one_line(r.error) << '\n';
      for (const auto& f : r.failures) {
        std::cout << "  " << f.expectation << ": expected " << f.expected << ", got " << f.actual << '\n';
      }
    }
    // With no case run, every rule is unfired: that list would only hide the real problem.
    if (!quiet && !report.results.empty()) {
      const std::string where = all_files ? std::string("all files") :
                                scope.size() == 1 ? *scope.begin() : std::to_string(scope.size()) + " files";
      if (!unfired.empty()) {
        std::cout << "rules no case fired (" << unfired.size() << " of " << rules_in_scope << " in " << where << "):\n";
        for (const Rule* r : unfired) std::cout << "  " << r->id << " (" << r->location.to_string() << ")\n";
      }
      if (!never_true.empty()) {
        std::cout << "clauses of fired rules no case made true (" << never_true.size() << "):\n";
        for (const auto* c : never_true) {
          std::cout << "  " << c->rule << ' ' << one_line(c->clause.dump()) << " (" << c->location.to_string() << ")\n";
        }
      }
      std::cout << "clause coverage: " << both << " of " << clauses_in_scope.size()
                << " clauses were both true and false in some case (" << where << ")\n";
      if (verbose) {
        for (const auto* c : clauses_in_scope) {
          std::cout << "  " << (c->ever_true ? "T" : "-") << (c->ever_false ? "F" : "-") << ' ' << c->rule << ' '
                    << c->pointer << '\n';
        }
      }
    }
    std::cout << report.passed << " passed, " << report.failed << " failed\n";
  }
  if (report.results.empty() && report.diagnostics.empty()) {
    print_error("test: no cases found in the given paths (a case file holds a case or an array of cases)");
    return exit_findings;
  }
  if (!report.ok()) return exit_findings;
  if (!unfired.empty() && vm.count("fail-on-unfired") != 0) return exit_findings;
  return exit_ok;
}

}  // namespace knead::cli
