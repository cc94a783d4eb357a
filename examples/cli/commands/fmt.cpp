// knead fmt: rule files in one canonical layout, so that reviews show content, not whitespace.

#include "cli.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>

namespace knead::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

po::options_description visible_options() {
  po::options_description options("Options");
  options.add_options()("check", "change nothing; list the files not in canonical form and exit with 1 (for CI)")(
      "stdout", "print the formatted text instead of rewriting the files")("help,h", "show this help");
  return options;
}

const char* const usage = "knead fmt [--check | --stdout] PATH...";

const char* const about =
    "Formats rule files (a file, or a directory of *.json files, except *.schema.json) canonically:\n"
    "keys in a fixed order (a rule's id, replaces, title, description, priority, when, then,\n"
    "evidence, tags; a recommendation's modality, weight, pressure, note; ... and\n"
    "unknown keys last, alphabetically), two-space indentation, one rule per block, and anything\n"
    "short enough on one line. Content is never changed: the file means the same before and after.\n"
    "A file that is not valid JSON is reported and left alone.\n"
    "\n"
    "Exit status: 0 done (with --check: every file is canonical), 1 some file is not canonical\n"
    "(--check) or cannot be parsed, 2 usage error or a PATH cannot be read.";

const char* const examples =
    "  knead fmt my-rules.json\n"
    "  knead fmt --check rules/\n"
    "  knead fmt --stdout clinic/extra.json | diff clinic/extra.json -\n";

// Where each key goes, by where the object stands; keys not listed follow, alphabetically.
enum class Context { root, rule, then, concepts, other };

const std::vector<std::string>& key_order(Context context) {
  static const std::vector<std::string> root{"$schema", "ruleset", "version", "description", "include", "disable",
                                             "lint", "defaults", "inputs", "concepts", "rules"};
  static const std::vector<std::string> rule{"id", "replaces", "title", "description", "priority", "when",
                                             "then", "evidence", "tags", "lint"};
  static const std::vector<std::string> then{"recommend", "avoid", "self_care", "refer", "plan", "ask"};
  static const std::vector<std::string> concepts{"conditions", "goals", "findings", "medications",
                                                 "modalities", "self_care", "regions"};
  static const std::vector<std::string> other{
      "id", "label", "title", "description", "is_a", "codes", "synonyms", "modality", "self_care", "item",
      "region", "finding_sites", "to", "fact", "level", "urgency", "weight", "pressure", "pressure_max",
      "duration_min", "sessions_per_week", "weeks", "instructions", "question", "note", "reason", "grade",
      "source", "accept", "rules", "because"};
  switch (context) {
    case Context::root: return root;
    case Context::rule: return rule;
    case Context::then: return then;
    case Context::concepts: return concepts;
    case Context::other: break;
  }
  return other;
}

// The context of a member's value, from its key.
Context context_of(const std::string& key) {
  if (key == "then") return Context::then;
  if (key == "concepts") return Context::concepts;
  return Context::other;
}

std::vector<std::string> ordered_keys(const json& object, Context context) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : object.items()) keys.push_back(k);
  const auto& order = key_order(context);
  auto rank = [&](const std::string& k) {
    auto it = std::find(order.begin(), order.end(), k);
    return it == order.end() ? order.size() : static_cast<std::size_t>(it - order.begin());
  };
  std::stable_sort(keys.begin(), keys.end(), [&](const std::string& a, const std::string& b) {
    const auto ra = rank(a);
    const auto rb = rank(b);
    return ra != rb ? ra < rb : a < b;
  });
  return keys;
}

// A value on one line: {"a": 1, "b": [2, 3]}.
std::string compact(const json& v, Context context) {
  if (v.is_object()) {
    if (v.empty()) return "{}";
    std::string out = "{";
    bool first = true;
    for (const auto& k : ordered_keys(v, context)) {
      out += (first ? "" : ", ") + json(k).dump() + ": " + compact(v[k], context_of(k));
      first = false;
    }
    return out + "}";
  }
  if (v.is_array()) {
    if (v.empty()) return "[]";
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i == 0 ? "" : ", ") + compact(v[i], context);
    return out + "]";
  }
  return v.dump();
}

constexpr std::size_t max_width = 110;

// `v` at `indent`, after `prefix` (the key, if any) on the same line. A value goes on one line
// when it fits, except rules, which always take a block each.
void layout(const json& v, Context context, std::size_t indent, const std::string& prefix, bool force_block,
            std::string& out) {
  const std::string pad(indent, ' ');
  const std::string one = compact(v, context);
  if (!force_block && (indent + prefix.size() + one.size() <= max_width || (!v.is_object() && !v.is_array()) ||
                       v.empty())) {
    out += pad + prefix + one;
    return;
  }
  const bool object = v.is_object();
  out += pad + prefix + (object ? "{\n" : "[\n");
  if (object) {
    const auto keys = ordered_keys(v, context);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      layout(v[keys[i]], context_of(keys[i]), indent + 2, json(keys[i]).dump() + ": ", false, out);
      out += i + 1 < keys.size() ? ",\n" : "\n";
    }
  } else {
    for (std::size_t i = 0; i < v.size(); ++i) {
      layout(v[i], context, indent + 2, "", false, out);
      out += i + 1 < v.size() ? ",\n" : "\n";
    }
  }
  out += pad + (object ? "}" : "]");
}

std::string format_document(const json& root) {
  std::string out;
  if (!root.is_object()) {
    layout(root, Context::other, 0, "", false, out);
    return out + "\n";
  }
  out += "{\n";
  const auto keys = ordered_keys(root, Context::root);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const json& v = root[keys[i]];
    const std::string prefix = json(keys[i]).dump() + ": ";
    if (keys[i] == "rules" && v.is_array() && !v.empty()) {
      out += "  " + prefix + "[\n";
      for (std::size_t r = 0; r < v.size(); ++r) {
        layout(v[r], Context::rule, 4, "", v[r].is_object(), out);
        out += r + 1 < v.size() ? ",\n" : "\n";
      }
      out += "  ]";
    } else {
      layout(v, context_of(keys[i]), 2, prefix, keys[i] == "concepts" && v.is_object() && !v.empty(), out);
    }
    out += i + 1 < keys.size() ? ",\n" : "\n";
  }
  return out + "}\n";
}

void collect(const fs::path& path, std::vector<fs::path>& out) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    out.push_back(path);
    return;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(path, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file(ec) && e.path().extension() == ".json" && name.find(".schema.json") == std::string::npos) {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  out.insert(out.end(), files.begin(), files.end());
}

}  // namespace

void help_fmt(std::ostream& out) { print_help(out, usage, about, visible_options(), examples); }

int run_fmt(const std::vector<std::string>& args) {
  const auto parsed = parse_command("fmt", args, visible_options(), Positionals{"paths", -1}, help_fmt);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;
  if (vm.count("paths") == 0) throw UsageError("fmt: no files given (see 'knead fmt --help')");
  const bool check = vm.count("check") != 0;
  const bool to_stdout = vm.count("stdout") != 0;
  if (check && to_stdout) throw UsageError("fmt: give --check or --stdout, not both");
  std::vector<fs::path> files;
  for (const auto& p : vm["paths"].as<std::vector<std::string>>()) {
    std::error_code ec;
    if (!fs::exists(p, ec)) throw UsageError("cannot read '" + p + "': no such file or directory");
    collect(p, files);
  }
  int code = exit_ok;
  for (const auto& f : files) {
    const std::string text = read_input(f.string());
    std::string formatted;
    try {
      formatted = format_document(Document::parse(text, f.string()).root());
    } catch (const ParseError& e) {
      std::cerr << diagnostic_line(e.diagnostic()) << '\n';
      code = exit_findings;
      continue;
    }
    if (to_stdout) {
      std::cout << formatted;
    } else if (formatted != text) {
      if (check) {
        std::cerr << f.string() << ": not in canonical form (run 'knead fmt " << f.string() << "') (fmt.changed)\n";
        code = exit_findings;
      } else {
        std::ofstream out(f, std::ios::binary | std::ios::trunc);
        out << formatted;
        if (!out) throw UsageError("cannot write '" + f.string() + "'");
        std::cout << "formatted " << f.string() << '\n';
      }
    }
  }
  return code;
}

}  // namespace knead::cli
