// knead test: run case files against a rule set.

#include "cli.hpp"

#include <knead/case_runner.hpp>

#include <iostream>

namespace knead::cli {
namespace {

po::options_description visible_options() {
  po::options_description options("Options");
  options.add_options()("rules", po::value<std::string>()->value_name("PATH"),
                        "rule set file or directory (default: the default rules)")("verbose,v",
                                                                                   "also list the cases that pass")(
      "fail-on-unfired", "exit with 1 when some rule is fired by no case")("help,h", "show this help");
  return options;
}

const char* const usage = "knead test [--rules PATH] [--verbose] [--fail-on-unfired] CASES...";

const char* const about =
    "Runs case files (a case, or an array of cases; a directory stands for its *.json files) against\n"
    "a rule set. Each failing case is listed with its location and name, then each unmet expectation\n"
    "with what was expected and what came out. Then the rules that no case fired, and last a line\n"
    "'N passed, N failed'. A case's 'expect' may hold: status, modalities_include,\n"
    "modalities_exclude, excluded_include, top_modality, max_pressure, self_care_include,\n"
    "self_care_exclude, avoid_regions_include, refer, refer_to, fired_include, fired_exclude,\n"
    "warnings_include.\n"
    "\n"
    "Exit status: 0 every case passed, 1 some case failed, a case file is malformed, no case was found\n"
    "(or a rule went unfired with --fail-on-unfired), 2 usage error or a CASES path cannot be read.";

const char* const examples =
    "  knead test tests/cases/\n"
    "  knead test --rules rules/ tests/cases/fibromyalgia.json tests/cases/safety.json\n"
    "  knead test --rules my-rules/ --fail-on-unfired --verbose my-cases/\n";

std::string case_title(const CaseResult& r) {
  std::string out = r.location.to_string();
  if (!r.name.empty()) out += ": " + r.name;
  return out;
}

}  // namespace

void help_test(std::ostream& out) { print_help(out, usage, about, visible_options(), examples); }

int run_test(const std::vector<std::string>& args) {
  po::options_description all = visible_options();
  all.add_options()("cases", po::value<std::vector<std::string>>(), "case files");
  po::positional_options_description positional;
  positional.add("cases", -1);
  const po::variables_map vm = parse_options("test", args, all, positional);
  if (vm.count("help") != 0) {
    help_test(std::cout);
    return exit_ok;
  }
  if (vm.count("cases") == 0) throw UsageError("test: no case files given (see 'knead test --help')");
  std::vector<std::filesystem::path> paths;
  for (const auto& p : vm["cases"].as<std::vector<std::string>>()) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) throw UsageError("cannot read cases '" + p + "': no such file or directory");
    paths.emplace_back(p);
  }
  const bool verbose = vm.count("verbose") != 0;

  const Engine engine{load_rules(optional_string(vm, "rules"))};
  const CaseReport report = run_case_files(engine, paths);

  for (const auto& d : report.diagnostics) std::cerr << one_line(d.to_string()) << '\n';
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
  if (!report.results.empty() && !report.unfired_rules.empty()) {
    std::cout << "rules no case fired (" << report.unfired_rules.size() << "):\n";
    for (const auto& id : report.unfired_rules) {
      std::string where;
      for (const auto& rule : engine.rules().rules()) {
        if (rule.id == id) where = rule.location.to_string();
      }
      std::cout << "  " << id << " (" << where << ")\n";
    }
  }
  std::cout << report.passed << " passed, " << report.failed << " failed\n";
  if (report.results.empty() && report.diagnostics.empty()) {
    print_error("test: no cases found in the given paths (a case file holds a case or an array of cases)");
    return exit_findings;
  }
  if (!report.ok()) return exit_findings;
  if (!report.unfired_rules.empty() && vm.count("fail-on-unfired") != 0) return exit_findings;
  return exit_ok;
}

}  // namespace knead::cli
