// knead diff: what changed between two versions of a rule set, and for which patients.

#include "cli.hpp"

#include <knead/diff.hpp>

#include <algorithm>
#include <iostream>
#include <sstream>

namespace knead::cli {
namespace {

namespace fs = std::filesystem;

po::options_description visible_options() {
  po::options_description options("Options");
  options.add_options()("patients", po::value<std::string>()->value_name("FILE.jsonl"),
                        "patients to compare results for, one JSON document a line")(
      "format", po::value<std::string>()->value_name("FORMAT")->default_value("text"), "text or json")(
      "fail-on-change", "exit with 1 when anything changed (for CI)")("help,h", "show this help");
  return options;
}

const char* const usage = "knead diff OLD NEW [--patients FILE.jsonl | CASES...] [--format text|json] [--fail-on-change]";

const char* const about =
    "Compares two rule sets (each a file or a directory). Lists the rules and concepts added,\n"
    "removed and changed, each changed one field by field (JSON pointer: old -> new) with its\n"
    "location. With patients (a JSONL file, or case files whose 'patient's are used), runs each\n"
    "through both rule sets and lists every patient whose recommendation changes and how: status,\n"
    "modality added or removed, pressure, referral, exclusion, avoided region, self-care.\n"
    "The result goes to stdout (text, or JSON with --format json); problems go to stderr.\n"
    "\n"
    "Exit status: 0 done (1 with --fail-on-change when something changed), 1 a rule set is invalid,\n"
    "2 usage error or a file cannot be read.";

const char* const examples =
    "  knead diff old-rules/ rules/\n"
    "  knead diff old-rules/ rules/ tests/cases/\n"
    "  knead diff --patients patients.jsonl --format json v1/ v2/ > review.json\n";

// Every patient of the case files: a file holds a case or an array; a directory its *.json.
void read_cases(const fs::path& path, std::vector<DiffPatient>& out) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(path, ec)) {
      const std::string name = e.path().filename().string();
      if (e.is_regular_file(ec) && e.path().extension() == ".json" && name.find(".schema.json") == std::string::npos) {
        files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) read_cases(f, out);
    return;
  }
  Document doc = [&] {
    try {
      return Document::parse(read_input(path.string()), path.string());
    } catch (const ParseError& e) {
      throw UsageError("cannot read cases: " + e.diagnostic().to_string());
    }
  }();
  auto one = [&](const nlohmann::json& c, const std::string& pointer) {
    if (!c.is_object() || !c.contains("patient")) return;
    DiffPatient p;
    p.name = c.value("name", pointer);
    p.source = doc.locate(pointer).to_string();
    p.document = c["patient"];
    out.push_back(std::move(p));
  };
  if (doc.root().is_array()) {
    for (std::size_t i = 0; i < doc.root().size(); ++i) one(doc.root()[i], "/" + std::to_string(i));
  } else {
    one(doc.root(), "");
  }
}

void read_jsonl(const std::string& path, std::vector<DiffPatient>& out) {
  std::istringstream in(read_input(path));
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    DiffPatient p;
    try {
      p.document = Document::parse(line, input_name(path) + ":" + std::to_string(n)).root();
    } catch (const ParseError& e) {
      throw UsageError("cannot read patients: " + input_name(path) + " line " + std::to_string(n) + ": " +
                       e.diagnostic().message);
    }
    p.name = p.document.is_object() && p.document.contains("id") && p.document["id"].is_string()
                 ? p.document["id"].get<std::string>()
                 : "line " + std::to_string(n);
    p.source = input_name(path) + ":" + std::to_string(n);
    out.push_back(std::move(p));
  }
}

}  // namespace

void help_diff(std::ostream& out) { print_help(out, usage, about, visible_options(), examples); }

int run_diff(const std::vector<std::string>& args) {
  const auto parsed = parse_command("diff", args, visible_options(), Positionals{"paths", -1}, help_diff);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json") throw UsageError("diff: --format must be text or json, not '" + format + "'");
  std::vector<std::string> paths;
  if (vm.count("paths") != 0) paths = vm["paths"].as<std::vector<std::string>>();
  if (paths.size() < 2) throw UsageError("diff: give the OLD and NEW rule sets (see 'knead diff --help')");
  const auto patients_file = optional_string(vm, "patients");
  if (patients_file && paths.size() > 2) throw UsageError("diff: give patients as --patients FILE.jsonl or as CASES, not both");

  const RuleSet before = load_rules(std::vector<std::string>{paths[0]});
  const RuleSet after = load_rules(std::vector<std::string>{paths[1]});
  std::vector<DiffPatient> patients;
  if (patients_file) read_jsonl(*patients_file, patients);
  for (std::size_t i = 2; i < paths.size(); ++i) {
    std::error_code ec;
    if (!fs::exists(paths[i], ec)) throw UsageError("cannot read cases '" + paths[i] + "': no such file or directory");
    read_cases(paths[i], patients);
  }
  const RuleSetDiff diff = patients.empty() && !patients_file && paths.size() == 2
                               ? diff_rule_sets(before, after)
                               : diff_rule_sets(before, after, patients);
  if (format == "json") {
    std::cout << to_json(diff).dump(2) << '\n';
  } else {
    std::cout << to_text(diff);
  }
  return !diff.empty() && vm.count("fail-on-change") != 0 ? exit_findings : exit_ok;
}

}  // namespace knead::cli
