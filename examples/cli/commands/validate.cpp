// knead validate: load rule sets and report every problem, one line each.

#include "cli.hpp"

#include <iostream>

namespace knead::cli {
namespace {

po::options_description visible_options() {
  po::options_description options("Options");
  options.add_options()("rules", po::value<std::vector<std::string>>()->value_name("PATH")->composing(),
                        "check a stack of rule sets as one: give it once per layer, bottom first")(
      "help,h", "show this help");
  return options;
}

const char* const usage = "knead validate [PATH...] [--rules BASE --rules OVERLAY...]";

const char* const about =
    "Loads each rule set (a file, or a directory of *.json files), follows its includes and checks\n"
    "its structure, references, ontology and include graphs. Every problem is printed on stderr,\n"
    "one line each, as 'file:line:col: error: message [json-pointer] (code)' (warnings likewise),\n"
    "then one summary line per rule set on stdout. Without PATH, the default rule set is checked.\n"
    "The --rules, together, are checked as one stack: each later one overlays those before it.\n"
    "\n"
    "Exit status: 0 all valid (warnings allowed), 1 some rule set has errors, 2 a PATH cannot be read.";

const char* const examples =
    "  knead validate\n"
    "  knead validate rules/\n"
    "  knead validate rules/ clinic-extra.json\n"
    "  knead validate --rules rules/ --rules clinic/\n";

std::string plural(std::size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

}  // namespace

void help_validate(std::ostream& out) { print_help(out, usage, about, visible_options(), examples); }

int run_validate(const std::vector<std::string>& args) {
  const auto parsed = parse_command("validate", args, visible_options(), Positionals{"path", -1}, help_validate);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;
  // Each PATH is a rule set of its own; the --rules, together, one stack.
  std::vector<std::vector<std::string>> sets;
  if (vm.count("path") != 0) {
    for (const auto& p : vm["path"].as<std::vector<std::string>>()) sets.push_back({p});
  }
  if (vm.count("rules") != 0) sets.push_back(vm["rules"].as<std::vector<std::string>>());
  if (sets.empty()) sets.push_back({default_rules_path().string()});

  int code = exit_ok;
  for (const auto& stack : sets) {
    std::string path;
    std::vector<std::filesystem::path> layers;
    bool missing = false;
    for (const auto& p : stack) {
      std::error_code ec;
      if (!std::filesystem::exists(p, ec)) {
        print_error("cannot read '" + p + "': no such file or directory");
        missing = true;
      }
      path += (path.empty() ? "" : " + ") + p;
      layers.emplace_back(p);
    }
    if (missing) {
      code = exit_usage;
      continue;
    }
    const LoadResult result = RuleSet::try_load(layers);
    std::size_t errors = 0;
    std::size_t warnings = 0;
    for (const auto& d : result.diagnostics) {
      std::cerr << diagnostic_line(d) << '\n';
      ++(d.severity == Severity::error ? errors : warnings);
    }
    if (result.ok()) {
      std::size_t concepts = 0;
      for (auto kind : all_concept_kinds) concepts += result.rule_set->ontology().size(kind);
      std::cout << path << ": valid: " << plural(result.rule_set->rules().size(), "rule") << ", "
                << plural(concepts, "concept") << ", " << plural(warnings, "warning") << '\n';
    } else {
      std::cout << path << ": invalid: " << plural(errors, "error") << ", " << plural(warnings, "warning") << '\n';
      code = std::max(code, static_cast<int>(exit_findings));
    }
  }
  return code;
}

}  // namespace knead::cli
