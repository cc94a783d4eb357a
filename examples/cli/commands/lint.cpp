// knead lint: warnings a valid rule set may still deserve.

#include "cli.hpp"

#include <knead/lint.hpp>

#include <iostream>

namespace knead::cli {
namespace {

po::options_description visible_options() {
  po::options_description options("Options");
  options.add_options()("rules", po::value<std::string>()->value_name("PATH"), "the rule set (same as PATH)")(
      "fail-on-warnings", "exit with 1 when there is any warning (for CI)")("help,h", "show this help");
  return options;
}

const char* const usage = "knead lint [PATH] [--fail-on-warnings]";

const char* const about =
    "Loads a rule set (default: the default rules) and prints on stdout, one line each, the warnings\n"
    "of loading and of these checks, then a count:\n"
    "  lint.no_evidence      a rule without evidence\n"
    "  lint.empty_then       a rule that does nothing when it fires\n"
    "  lint.never_fires      a 'when' that can never hold (e.g. age < 18 and age > 65)\n"
    "  lint.duplicate_rule   two rules with the same 'when' and 'then'\n"
    "  lint.unused_concept   a concept no rule can reach (regions exempt)\n"
    "  lint.unsafe_modality  a modality no 'avoid' entry names, directly or through an ancestor\n"
    "  lint.veto_conflict    a rule recommends what another contraindicates and both can fire\n"
    "\n"
    "Exit status: 0 the rule set is valid (even with warnings, unless --fail-on-warnings), 1 it is\n"
    "invalid (its errors go to stderr) or has warnings with --fail-on-warnings, 2 PATH cannot be read.";

const char* const examples =
    "  knead lint\n"
    "  knead lint rules/\n"
    "  knead lint --fail-on-warnings my-rules.json\n"
    "  knead lint rules/ | grep lint.veto_conflict\n";

}  // namespace

void help_lint(std::ostream& out) { print_help(out, usage, about, visible_options(), examples); }

int run_lint(const std::vector<std::string>& args) {
  po::options_description all = visible_options();
  all.add_options()("path", po::value<std::string>(), "rule set");
  po::positional_options_description positional;
  positional.add("path", 1);
  const po::variables_map vm = parse_options("lint", args, all, positional);
  if (vm.count("help") != 0) {
    help_lint(std::cout);
    return exit_ok;
  }
  auto path = optional_string(vm, "path");
  if (auto rules = optional_string(vm, "rules")) {
    if (path) throw UsageError("lint: give the rule set as PATH or --rules, not both");
    path = rules;
  }
  const RuleSet rules = load_rules(path);
  std::vector<Diagnostic> warnings = rules.warnings();
  const std::vector<Diagnostic> found = lint(rules);
  warnings.insert(warnings.end(), found.begin(), found.end());
  sort_diagnostics(warnings);
  for (const auto& d : warnings) std::cout << one_line(d.to_string()) << " (" << d.code << ")\n";
  std::cout << warnings.size() << (warnings.size() == 1 ? " warning" : " warnings") << '\n';
  return !warnings.empty() && vm.count("fail-on-warnings") != 0 ? exit_findings : exit_ok;
}

}  // namespace knead::cli
