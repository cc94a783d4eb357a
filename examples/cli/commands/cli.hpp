#pragma once
// Shared pieces of the `knead` command: exit codes, errors, option parsing, rule and input loading.

#include <knead/engine.hpp>
#include <knead/rule_set.hpp>

#include <boost/program_options.hpp>

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace knead::cli {

namespace po = boost::program_options;

/// Exit codes (docs/cli.md).
enum ExitCode : int {
  exit_ok = 0,        ///< success
  exit_findings = 1,  ///< invalid rules, failed cases, a refer result with --fail-on-refer, ...
  exit_usage = 2,     ///< usage or I/O error
};

/// A usage or I/O error: main prints "knead: error: <what>" and exits with 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Ends the command with `code` once its messages are printed (e.g. after the diagnostics of an
/// invalid rule set).
struct Exit {
  int code;
};

/// One subcommand of `knead`.
struct Command {
  const char* name;
  const char* summary;  ///< one line for `knead --help`
  int (*run)(const std::vector<std::string>& args);
  void (*help)(std::ostream& out);  ///< usage, options and examples
};

/// Every command, in the order `knead --help` lists them.
[[nodiscard]] const std::vector<Command>& commands();

int run_recommend(const std::vector<std::string>& args);
int run_validate(const std::vector<std::string>& args);
int run_lint(const std::vector<std::string>& args);
int run_test(const std::vector<std::string>& args);
int run_graph(const std::vector<std::string>& args);
int run_operators(const std::vector<std::string>& args);
int run_codes(const std::vector<std::string>& args);
int run_diff(const std::vector<std::string>& args);
int run_fmt(const std::vector<std::string>& args);
int run_serve(const std::vector<std::string>& args);
void help_recommend(std::ostream& out);
void help_validate(std::ostream& out);
void help_lint(std::ostream& out);
void help_test(std::ostream& out);
void help_graph(std::ostream& out);
void help_operators(std::ostream& out);
void help_codes(std::ostream& out);
void help_diff(std::ostream& out);
void help_fmt(std::ostream& out);
void help_serve(std::ostream& out);

/// Parses a command's arguments. Unknown options, missing values and surplus arguments become
/// UsageErrors naming the command (with a "did you mean" for a misspelt option). Long options
/// must be spelt out in full: no guessing from a prefix.
[[nodiscard]] po::variables_map parse_options(const std::string& command, const std::vector<std::string>& args,
                                              const po::options_description& options,
                                              const po::positional_options_description& positional);

/// The arguments a command takes after its options: `name` (for its messages), at most `max` of
/// them (-1: any number; 1: one, read as a string, else as a list of strings). No name: none.
struct Positionals {
  const char* name = nullptr;
  int max = 0;
};

/// Every command's start: parses `args` with the command's `options` and `positionals` (as
/// parse_options does) and, for --help, prints the command's help and returns nullopt.
[[nodiscard]] std::optional<po::variables_map> parse_command(const std::string& command,
                                                             const std::vector<std::string>& args,
                                                             po::options_description options,
                                                             const Positionals& positionals,
                                                             void (*help)(std::ostream&));

/// Prints a command's help: usage, what it does, its options and examples.
void print_help(std::ostream& out, const char* usage, const char* about, const po::options_description& options,
                const char* examples);

/// Where the rule set is when no --rules is given: `$KNEAD_RULES` if set, else the installed
/// layout next to the executable (`<exe dir>/../share/knead/rules`), else the library's default.
[[nodiscard]] std::filesystem::path default_rules_path();

/// Loads the rule set at `path` (or the default one). A missing path is a UsageError; an invalid
/// rule set prints its errors, one line each on stderr, and throws Exit{1}.
[[nodiscard]] RuleSet load_rules(const std::optional<std::string>& path);
/// Loads the stack of rule sets given by repeated --rules (later ones overlay earlier ones), or
/// the default rule set when there are none; errors as load_rules.
[[nodiscard]] RuleSet load_rules(const std::vector<std::string>& paths);
/// The --rules option, which may be given more than once.
void add_rules_option(po::options_description& options);
/// The values of --rules, in order.
[[nodiscard]] std::vector<std::string> rules_paths(const po::variables_map& vm);
/// Prints diagnostics on stderr, one line each, with their code: `file:line:col: error: message
/// [pointer] (code)`.
void print_diagnostics(const std::vector<Diagnostic>& diagnostics, bool errors_only = false);
/// One diagnostic's line, with its code.
[[nodiscard]] std::string diagnostic_line(const Diagnostic& d);

/// The most a command reads as one input document or one batch line, unless told otherwise.
inline constexpr std::size_t default_max_input_bytes = 64U * 1024U * 1024U;

/// The text of a file, or of standard input for "-". Throws UsageError when it cannot be read or
/// is longer than max_bytes (checked while reading).
[[nodiscard]] std::string read_input(const std::string& path, std::size_t max_bytes = default_max_input_bytes);

/// The name an input stands under in messages: "<stdin>" for "-".
[[nodiscard]] std::string input_name(const std::string& path);

/// Prints "knead: error: <message>" on one line to stderr.
void print_error(const std::string& message);

/// `text` with line breaks turned into spaces, so every message stays on one line.
[[nodiscard]] std::string one_line(std::string text);

/// The candidate nearest to `word` by edit distance, or "" when none is close.
[[nodiscard]] std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

/// The output line of one batch input line (numbered from 1): the JSON result, or an error
/// record. Always one line of valid UTF-8 JSON, whatever the input; never throws.
[[nodiscard]] std::string batch_record(const Engine& engine, std::size_t number, std::string text,
                                       const RecommendOptions& options);

/// An optional string option's value.
[[nodiscard]] std::optional<std::string> optional_string(const po::variables_map& vm, const char* name);

}  // namespace knead::cli
