#include "cli.hpp"

#include <knead/suggest.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
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
      {"operators", "list the operators rule conditions may use", run_operators, help_operators},
      {"codes", "list the codes of diagnostics and errors", run_codes, help_codes},
      {"diff", "what changed between two rule sets, and for which patients", run_diff, help_diff},
      {"fmt", "format rule files canonically (or check that they are)", run_fmt, help_fmt},
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
  return knead::nearest(word, candidates);  // the library's distance and threshold, for one feel
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

std::optional<po::variables_map> parse_command(const std::string& command, const std::vector<std::string>& args,
                                               po::options_description options, const Positionals& positionals,
                                               void (*help)(std::ostream&)) {
  po::positional_options_description positional;
  if (positionals.name != nullptr) {
    if (positionals.max == 1) {
      options.add_options()(positionals.name, po::value<std::string>(), positionals.name);
    } else {
      options.add_options()(positionals.name, po::value<std::vector<std::string>>(), positionals.name);
    }
    positional.add(positionals.name, positionals.max);
  }
  po::variables_map vm = parse_options(command, args, options, positional);
  if (vm.count("help") != 0) {
    help(std::cout);
    return std::nullopt;
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
  return load_rules(path ? std::vector<std::string>{*path} : std::vector<std::string>{});
}

RuleSet load_rules(const std::vector<std::string>& paths) {
  std::vector<fs::path> where;
  for (const auto& p : paths) where.emplace_back(p);
  if (where.empty()) where.push_back(default_rules_path());
  std::error_code ec;
  for (const auto& w : where) {
    if (fs::exists(w, ec)) continue;
    if (!paths.empty()) throw UsageError("cannot read rules '" + w.string() + "': no such file or directory");
    throw UsageError("no default rule set at '" + w.string() + "'; name one with --rules PATH or set KNEAD_RULES");
  }
  LoadResult result = RuleSet::try_load(where);
  if (!result.ok()) {
    print_diagnostics(result.diagnostics, true);
    throw Exit{exit_findings};
  }
  return std::move(*result.rule_set);
}

void add_rules_option(po::options_description& options) {
  options.add_options()("rules", po::value<std::vector<std::string>>()->value_name("PATH")->composing(),
                        "rule set file or directory (default: the default rules); give it again to overlay "
                        "another rule set on the ones before");
}

std::vector<std::string> rules_paths(const po::variables_map& vm) {
  if (vm.count("rules") == 0) return {};
  return vm["rules"].as<std::vector<std::string>>();
}

std::string diagnostic_line(const Diagnostic& d) {
  std::string line = one_line(d.to_string());
  if (!d.code.empty()) line += " (" + d.code + ")";
  return line;
}

void print_diagnostics(const std::vector<Diagnostic>& diagnostics, bool errors_only) {
  for (const auto& d : diagnostics) {
    if (!errors_only || d.severity == Severity::error) std::cerr << diagnostic_line(d) << '\n';
  }
}

std::string input_name(const std::string& path) { return path == "-" ? std::string("<stdin>") : path; }

namespace {

// Reads all of `in`, but never more than max_bytes: an endless source (/dev/zero, a stuck pipe
// feeding garbage) fails as soon as it passes the limit instead of eating memory.
std::string read_bounded(std::istream& in, const std::string& name, std::size_t max_bytes) {
  std::string text;
  char buffer[64 * 1024];
  while (in) {
    in.read(buffer, sizeof buffer);
    const auto got = static_cast<std::size_t>(in.gcount());
    if (text.size() + got > max_bytes) {
      throw UsageError("cannot read '" + name + "': larger than the limit of " + std::to_string(max_bytes) +
                       " bytes (see --max-input-bytes)");
    }
    text.append(buffer, got);
  }
  if (in.bad()) throw UsageError("cannot read '" + name + "'");
  return text;
}

}  // namespace

std::string read_input(const std::string& path, std::size_t max_bytes) {
  if (path == "-") return read_bounded(std::cin, "<stdin>", max_bytes);
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw UsageError("cannot read '" + path + "': it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const std::string why = fs::exists(path, ec) ? "permission denied or unreadable" : "no such file or directory";
    throw UsageError("cannot read '" + path + "': " + why);
  }
  return read_bounded(in, path, max_bytes);
}

}  // namespace knead::cli
