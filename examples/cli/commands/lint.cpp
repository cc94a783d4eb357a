// knead lint: warnings a valid rule set may still deserve.

#include "cli.hpp"

#include <knead/lint.hpp>

#include <iostream>
#include <map>

namespace knead::cli {
namespace {

po::options_description visible_options() {
  po::options_description options("Options");
  add_rules_option(options);
  options.add_options()("fail-on-warnings", "exit with 1 when there is any warning (for CI)")(
      "show-accepted", "also list each finding an acknowledgement accepts")(
      "format", po::value<std::string>()->value_name("FORMAT")->default_value("text"), "text or json")(
      "help,h", "show this help");
  return options;
}

const char* const usage = "knead lint [PATH] [--rules PATH]... [--fail-on-warnings] [--show-accepted] [--format text|json]";

const char* const about =
    "Loads a rule set (default: the default rules; several --rules stack overlays) and reports the\n"
    "warnings of loading and of these checks:\n"
    "  lint.no_evidence       a rule without evidence\n"
    "  lint.empty_then        a rule that does nothing when it fires\n"
    "  lint.never_fires       a 'when' that can never hold: ranges no value meets (age < 18 and\n"
    "                         age > 65; pain.intensity > 10, outside its 0..10 scale or a declared\n"
    "                         input's range), or a concept both required and excluded\n"
    "  lint.duplicate_rule    two rules with the same 'when' and 'then'\n"
    "  lint.shadowed_rule     a rule whose 'when' strictly implies another's, with the same 'then'\n"
    "  lint.unused_concept    a concept no rule can reach (regions exempt)\n"
    "  lint.unsafe_modality   a modality no 'avoid' entry names, directly or through an ancestor\n"
    "  lint.veto_conflict     a rule recommends what another contraindicates and both can fire,\n"
    "                         with a patient both fire for\n"
    "  lint.unused_acceptance an acknowledgement that covers no finding\n"
    "A rule file acknowledges findings that are by design with\n"
    "  \"lint\": {\"accept\": [\"lint.veto_conflict\"], \"rules\": [\"safety.*\"], \"because\": \"...\"}\n"
    "(at the top of a file, for the whole rule set or the rules listed; inside a rule, for that rule).\n"
    "Accepted findings are counted and each acknowledgement is shown with its reason. Where an\n"
    "analysis gave up rather than guess, a note (lint.gave_up) says so.\n"
    "\n"
    "Diagnostics go to stderr, one line each with their code; the summary line (or, with --format\n"
    "json, the whole report) goes to stdout.\n"
    "\n"
    "Exit status: 0 the rule set is valid (even with warnings, unless --fail-on-warnings), 1 it is\n"
    "invalid (its errors go to stderr) or has warnings with --fail-on-warnings, 2 PATH cannot be read.";

const char* const examples =
    "  knead lint\n"
    "  knead lint rules/\n"
    "  knead lint --rules rules/ --rules clinic/ --fail-on-warnings\n"
    "  knead lint --format json rules/ | jq '.warnings[].code'\n";

nlohmann::json diagnostic_json(const Diagnostic& d) {
  nlohmann::json out{{"severity", to_string(d.severity)},
                     {"code", d.code},
                     {"message", d.message},
                     {"file", d.location.file},
                     {"line", d.location.line},
                     {"column", d.location.column},
                     {"pointer", d.pointer}};
  if (!d.notes.empty()) out["notes"] = d.notes;
  return out;
}

}  // namespace

void help_lint(std::ostream& out) { print_help(out, usage, about, visible_options(), examples); }

int run_lint(const std::vector<std::string>& args) {
  const auto parsed = parse_command("lint", args, visible_options(), Positionals{"path", 1}, help_lint);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json") {
    throw UsageError("lint: --format must be text or json, not '" + format + "'");
  }
  std::vector<std::string> paths = rules_paths(vm);
  if (auto path = optional_string(vm, "path")) paths.insert(paths.begin(), *path);
  const RuleSet rules = load_rules(paths);
  const LintReport report = lint_report(rules);
  std::vector<Diagnostic> warnings = rules.warnings();
  warnings.insert(warnings.end(), report.warnings.begin(), report.warnings.end());
  warnings.insert(warnings.end(), report.unused_acceptances.begin(), report.unused_acceptances.end());
  sort_diagnostics(warnings);

  // Accepted findings, grouped by the acknowledgement that accepts them.
  std::map<std::string, std::pair<const AcceptedFinding*, std::map<std::string, std::size_t>>> by_acceptance;
  for (const auto& a : report.accepted) {
    auto& entry = by_acceptance[a.accepted_at.to_string()];
    entry.first = &a;
    ++entry.second[a.finding.code];
  }

  if (format == "json") {
    nlohmann::json out{{"warnings", nlohmann::json::array()},
                       {"accepted", nlohmann::json::array()},
                       {"gave_up", nlohmann::json::array()}};
    for (const auto& d : warnings) out["warnings"].push_back(diagnostic_json(d));
    for (const auto& a : report.accepted) {
      auto j = diagnostic_json(a.finding);
      j["because"] = a.because;
      j["accepted_at"] = a.accepted_at.to_string();
      out["accepted"].push_back(std::move(j));
    }
    for (const auto& d : report.gave_up) out["gave_up"].push_back(diagnostic_json(d));
    std::cout << out.dump(2) << '\n';
  } else {
    print_diagnostics(warnings);
    for (const auto& d : report.gave_up) std::cerr << diagnostic_line(d) << '\n';
    for (const auto& [where, entry] : by_acceptance) {
      std::string counts;
      for (const auto& [code, n] : entry.second) counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + code;
      std::cerr << where << ": note: accepted " << counts << ": " << one_line(entry.first->because) << " (lint.accepted)\n";
    }
    if (vm.count("show-accepted") != 0) {
      for (const auto& a : report.accepted) std::cerr << "  accepted: " << diagnostic_line(a.finding) << '\n';
    }
    std::cout << warnings.size() << (warnings.size() == 1 ? " warning" : " warnings") << ", " << report.accepted.size()
              << " accepted";
    if (!report.gave_up.empty()) std::cout << ", " << report.gave_up.size() << " analysis notes (gave up)";
    std::cout << '\n';
  }
  return !warnings.empty() && vm.count("fail-on-warnings") != 0 ? exit_findings : exit_ok;
}

}  // namespace knead::cli
