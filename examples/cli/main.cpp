// knead: the command-line tool to recommend treatment, and to write and test rule files.
//
// Every error ends as one line on stderr and an exit code (0 success, 1 findings, 2 usage or
// I/O error); nothing escapes main.

#include "commands/cli.hpp"

#include <knead/error.hpp>
#include <knead/version.hpp>

#include <iostream>
#include <new>

namespace {

using namespace knead::cli;

void print_general_help(std::ostream& out) {
  out << "usage: knead COMMAND [OPTIONS] [ARGS]\n"
         "       knead --version | --help | help COMMAND\n\n"
         "knead recommends massage and self-care for chronic-pain patients from JSON rule sets, and\n"
         "says why. Decision support for trained therapists, not a substitute for clinical judgement.\n\n"
         "Commands:\n";
  for (const auto& c : commands()) {
    out << "  " << c.name << std::string(12 - std::string(c.name).size(), ' ') << c.summary << '\n';
  }
  out << "\nWithout --rules, commands use the default rule set: $KNEAD_RULES, else the rules installed\n"
         "with knead (<prefix>/share/knead/rules), else the source tree's rules/.\n\n"
         "Exit codes: 0 success, 1 findings (invalid rules, failed cases, refer with --fail-on-refer),\n"
         "2 usage or I/O error.\n\n"
         "Examples:\n"
         "  knead recommend examples/patients/fibromyalgia_sleep.json\n"
         "  knead recommend --format json --explain - < patient.json\n"
         "  knead recommend --batch patients.jsonl --out results.jsonl -j 4\n"
         "  knead validate rules/\n"
         "  knead lint rules/\n"
         "  knead test --rules rules/ tests/cases/\n"
         "  knead graph --kind ontology | dot -Tsvg > ontology.svg\n\n"
         "Run 'knead COMMAND --help' for a command's options and more examples.\n";
}

const Command* find_command(const std::string& name) {
  for (const auto& c : commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

[[noreturn]] void unknown_command(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& c : commands()) names.emplace_back(c.name);
  const std::string near = nearest(name, names);
  throw UsageError("unknown command '" + name + "'" + (near.empty() ? "" : "; did you mean '" + near + "'?") +
                   " (see 'knead --help')");
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (args.empty()) {
    std::cerr << "usage: knead COMMAND [OPTIONS] [ARGS]  (see 'knead --help')\n";
    return exit_usage;
  }
  const std::string first = args.front();
  if (first == "--help" || first == "-h") {
    print_general_help(std::cout);
    return exit_ok;
  }
  if (first == "--version" || first == "-V") {
    std::cout << "knead " << knead::version() << '\n';
    return exit_ok;
  }
  if (first == "help") {
    if (args.size() == 1) {
      print_general_help(std::cout);
      return exit_ok;
    }
    const Command* c = find_command(args[1]);
    if (c == nullptr) unknown_command(args[1]);
    c->help(std::cout);
    return exit_ok;
  }
  if (!first.empty() && first[0] == '-') {
    throw UsageError("unknown option '" + first + "'; a command comes first (see 'knead --help')");
  }
  const Command* c = find_command(first);
  if (c == nullptr) unknown_command(first);
  args.erase(args.begin());
  return c->run(args);
}

}  // namespace

int main(int argc, char** argv) {
  int code = exit_usage;
  bool reported = false;  // an error message is printed once, however it ends
  auto fail = [&](const std::string& message) {
    print_error(message);
    reported = true;
    code = exit_usage;
  };
  try {
    code = run(argc, argv);
  } catch (const Exit& e) {
    code = e.code;
  } catch (const UsageError& e) {
    fail(e.what());
  } catch (const knead::Error& e) {
    fail(e.what());
  } catch (const std::bad_alloc&) {
    fail("out of memory");
  } catch (const std::exception& e) {
    fail(e.what());
  } catch (...) {
    fail("unexpected internal error");
  }
  // A full disk or a closed pipe must not pass for success.
  std::cout.flush();
  if (!std::cout) {
    if (!reported) print_error("cannot write to standard output");
    return exit_usage;
  }
  return code;
}
