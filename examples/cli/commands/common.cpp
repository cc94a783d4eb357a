#include "cli.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <system_error>

#ifndef KNEAD_CLI_RULES_RELPATH
#define KNEAD_CLI_RULES_RELPATH "../share/knead/rules"
#endif

namespace knead::cli {

namespace fs = std::filesystem;

const std::vector<Command>& commands() {
  static const std::vector<Command> list{
      {"recommend", "recommend treatment for a patient (or a batch of patients)", run_recommend, help_recommend},
      {"validate", "check rule sets and report every problem", run_validate, help_validate},
      {"lint", "warn about questionable rules in a valid rule set", run_lint, help_lint},
      {"test", "run case files against a rule set", run_test, help_test},
      {"graph", "draw the ontology or the rules as Graphviz DOT", run_graph, help_graph},
      {"serve", "run a CDS Hooks service for EHRs (FHIR in, cards out)", run_serve, help_serve},
  };
  return list;
}

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

void print_error(const std::string& message) { std::cerr << "knead: error: " << one_line(message) << '\n'; }

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  // Levenshtein distance; a suggestion must be closer than a third of the word.
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_distance = word.size() / 3 + 1;
  for (const auto& c : candidates) {
    const std::size_t d = distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

po::variables_map parse_options(const std::string& command, const std::vector<std::string>& args,
                                const po::options_description& options,
                                const po::positional_options_description& positional) {
  po::variables_map vm;
  try {
    const int style = po::command_line_style::unix_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(args).options(options).positional(positional).style(style).run(), vm);
    po::notify(vm);
  } catch (const po::unknown_option& e) {
    std::vector<std::string> names;
    for (const auto& option : options.options()) names.push_back("--" + option->long_name());
    const std::string name = e.get_option_name();
    const std::string near = nearest(name, names);
    throw UsageError(command + ": unknown option '" + name + "'" +
                     (near.empty() ? "" : "; did you mean '" + near + "'?") + " (see 'knead " + command + " --help')");
  } catch (const po::too_many_positional_options_error&) {
    throw UsageError(command + ": too many arguments (see 'knead " + command + " --help')");
  } catch (const po::error& e) {
    throw UsageError(command + ": " + e.what() + " (see 'knead " + command + " --help')");
  }
  return vm;
}

void print_help(std::ostream& out, const char* usage, const char* about, const po::options_description& options,
                const char* examples) {
  out << "usage: " << usage << "\n\n" << about << "\n\n" << options << "\nExamples:\n" << examples;
}

std::optional<std::string> optional_string(const po::variables_map& vm, const char* name) {
  if (vm.count(name) == 0) return std::nullopt;
  return vm[name].as<std::string>();
}

fs::path default_rules_path() {
  // The environment wins, as for every entry point; then an installed knead finds its own rules
  // next to it, whichever prefix it was installed or moved to.
  if (const char* env = std::getenv("KNEAD_RULES"); env != nullptr && *env != '\0') return RuleSet::default_path();
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = (exe.parent_path() / KNEAD_CLI_RULES_RELPATH).lexically_normal();
    if (fs::is_directory(installed, ec)) return installed;
  }
  return RuleSet::default_path();
}

RuleSet load_rules(const std::optional<std::string>& path) {
  const fs::path where = path ? fs::path(*path) : default_rules_path();
  std::error_code ec;
  if (!fs::exists(where, ec)) {
    if (path) throw UsageError("cannot read rules '" + where.string() + "': no such file or directory");
    throw UsageError("no default rule set at '" + where.string() + "'; name one with --rules PATH or set KNEAD_RULES");
  }
  LoadResult result = RuleSet::try_load(where);
  if (!result.ok()) {
    for (const auto& d : result.diagnostics) {
      if (d.severity == Severity::error) std::cerr << one_line(d.to_string()) << '\n';
    }
    throw Exit{exit_findings};
  }
  return std::move(*result.rule_set);
}

std::string input_name(const std::string& path) { return path == "-" ? std::string("<stdin>") : path; }

std::string read_input(const std::string& path) {
  if (path == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    if (std::cin.bad()) throw UsageError("cannot read standard input");
    return text.str();
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw UsageError("cannot read '" + path + "': it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const std::string why = fs::exists(path, ec) ? "permission denied or unreadable" : "no such file or directory";
    throw UsageError("cannot read '" + path + "': " + why);
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw UsageError("cannot read '" + path + "'");
  return text;
}

}  // namespace knead::cli
