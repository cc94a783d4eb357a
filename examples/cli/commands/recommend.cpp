// knead recommend: one patient, or a batch of them, against a rule set.

#include "cli.hpp"

#include <knead/batch.hpp>
#include <knead/engine.hpp>
#include <knead/patient.hpp>
#include <knead/render.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace knead::cli {
namespace {

po::options_description visible_options() {
  po::options_description options("Options");
  options.add_options()("rules", po::value<std::string>()->value_name("PATH"),
                        "rule set file or directory (default: the default rules)")(
      "format,f", po::value<std::string>()->value_name("FORMAT")->default_value("text"),
      "output: text (a note for the therapist), json or cds-hooks")(
      "explain", "also show every rule: fired or not, and the first false clause of one that did not fire")(
      "strict", "unknown ids or codes in the patient are errors (exit 2), not warnings")(
      "fail-on-refer", "exit with 1 when the result is a referral (status refer)")(
      "batch", po::value<std::string>()->value_name("IN.jsonl"),
      "read one patient per line ('-' for stdin) and write one JSON result per line")(
      "out,o", po::value<std::string>()->value_name("OUT.jsonl"),
      "with --batch: write the results there, not to stdout")(
      "jobs,j", po::value<int>()->value_name("N")->default_value(0), "with --batch: worker threads (0: one per core)")(
      "help,h", "show this help");
  return options;
}

const char* const usage =
    "knead recommend [PATIENT.json|-] [--rules PATH] [--format text|json|cds-hooks] [--explain]\n"
    "                       [--strict] [--fail-on-refer]\n"
    "       knead recommend --batch IN.jsonl [--out OUT.jsonl] [-j N] [--rules PATH] [--explain] [--strict]";

const char* const about =
    "Recommends massage modalities, self-care and referrals for a patient (a JSON document, SPEC\n"
    "section 4) and says why. Without PATIENT, or with '-', the patient is read from stdin.\n"
    "\n"
    "With --batch, IN.jsonl holds one patient per line. Each non-blank line gives exactly one output\n"
    "line, in input order: the JSON result, or for a line that cannot be used an error record\n"
    "{\"line\": N, \"error\": {\"code\": ..., \"message\": ...}} (N counts every input line from 1); the\n"
    "other lines go on. Blank lines are skipped and give no output line. Progress is shown on stderr\n"
    "when it is a terminal.\n"
    "\n"
    "Exit status: 0 done; 1 when the result is an error (a safety rule failed, nothing is\n"
    "recommended), when a batch line gave an error record, or for a referral with --fail-on-refer;\n"
    "2 for a usage error, an unreadable or malformed patient.";

const char* const examples =
    "  knead recommend examples/patients/fibromyalgia_sleep.json\n"
    "  knead recommend --format json --explain examples/patients/knee_osteoarthritis.json\n"
    "  echo '{\"conditions\": [\"sciatica\"]}' | knead recommend --format cds-hooks -\n"
    "  knead recommend --strict --fail-on-refer --rules my-rules/ patient.json\n"
    "  knead recommend --batch examples/patients/batch.jsonl --out results.jsonl -j 4\n";

enum class Format { text, json, cds_hooks };

Format parse_format(const std::string& name) {
  if (name == "text") return Format::text;
  if (name == "json") return Format::json;
  if (name == "cds-hooks") return Format::cds_hooks;
  const std::string near = nearest(name, {"text", "json", "cds-hooks"});
  throw UsageError("recommend: --format must be text, json or cds-hooks, not '" + name + "'" +
                   (near.empty() ? "" : "; did you mean '" + near + "'?"));
}

int recommend_one(const Engine& engine, const std::string& path, Format format, const RecommendOptions& options,
                  bool fail_on_refer) {
  const std::string name = input_name(path);
  const std::string text = read_input(path);
  Recommendation rec;
  try {
    rec = engine.recommend(Patient::parse(text, name), options);
  } catch (const ParseError& e) {
    // A broken patient document: its diagnostic line says where.
    std::cerr << one_line(e.diagnostic().to_string()) << '\n';
    return exit_usage;
  } catch (const PatientError& e) {
    print_error(name + ": " + e.what());
    return exit_usage;
  }
  switch (format) {
    case Format::text:
      std::cout << to_text(rec, &engine.rules());
      break;
    case Format::json:
      std::cout << to_json(rec, 2) << '\n';
      break;
    case Format::cds_hooks:
      std::cout << to_cds_hooks(rec, &engine.rules()).dump(2) << '\n';
      break;
  }
  if (rec.status == Status::error) return exit_findings;
  if (fail_on_refer && rec.status == Status::refer) return exit_findings;
  return exit_ok;
}

// ---- batch ----

std::string error_record(std::size_t line, const std::string& code, const std::string& message) {
  nlohmann::ordered_json record;
  record["line"] = line;
  record["error"] = {{"code", code}, {"message", one_line(message)}};
  return record.dump();
}

struct BatchCounts {
  std::atomic<std::size_t> errors{0};
  std::atomic<std::size_t> refers{0};
  std::atomic<std::size_t> done{0};
};

std::string recommend_line(const Engine& engine, const BatchLine& line, const RecommendOptions& options,
                           BatchCounts& counts) {
  try {
    const Recommendation rec =
        engine.recommend(Patient::parse(line.text, "line " + std::to_string(line.number)), options);
    if (rec.status == Status::refer) ++counts.refers;
    if (rec.status == Status::error) ++counts.errors;
    return to_json(rec, -1);
  } catch (const ParseError& e) {
    const Diagnostic& d = e.diagnostic();
    ++counts.errors;
    const std::string where = d.location.column != 0 ? "column " + std::to_string(d.location.column) + ": " : "";
    return error_record(line.number, d.code, where + d.message);
  } catch (const Error& e) {
    ++counts.errors;
    return error_record(line.number, e.code(), e.what());
  } catch (const std::exception& e) {
    ++counts.errors;
    return error_record(line.number, "internal", e.what());
  }
}

// Lines are read in chunks (line numbers count blank lines too): the workers share one Engine.
// Memory stays bounded by two chunks, whatever the input's size.
int recommend_batch(const Engine& engine, const std::string& in_path, const std::optional<std::string>& out_path,
                    int jobs, const RecommendOptions& options, bool fail_on_refer) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (in_path != "-") {
    std::error_code ec;
    if (std::filesystem::is_directory(in_path, ec))
      throw UsageError("cannot read '" + in_path + "': it is a directory");
    file.open(in_path, std::ios::binary);
    if (!file) throw UsageError("cannot read '" + in_path + "': no such file or directory");
    in = &file;
  }
  std::ofstream out_file;
  std::ostream* out = &std::cout;
  if (out_path) {
    out_file.open(*out_path, std::ios::binary | std::ios::trunc);
    if (!out_file) throw UsageError("cannot write '" + *out_path + "'");
    out = &out_file;
  }

  // One pool for the whole batch: the workers compute a chunk while this thread writes the
  // previous chunk's results and reads the next lines.
  WorkerPool pool(jobs > 0 ? static_cast<std::size_t>(jobs) : 0);
  const bool progress = isatty(STDERR_FILENO) != 0;
  auto last_progress = std::chrono::steady_clock::now();
  BatchCounts counts;

  auto show_progress = [&](bool force) {
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_progress < std::chrono::milliseconds(200)) return;
    last_progress = now;
    const std::size_t done = counts.done.load();
    const std::size_t errors = counts.errors.load();
    std::cerr << "\rknead: " << done << (done == 1 ? " patient, " : " patients, ") << errors
              << (errors == 1 ? " error" : " errors") << std::flush;
  };

  std::size_t number = 0;
  const auto read = [&](BatchLine& line) {
    while (std::getline(*in, line.text)) {
      ++number;
      if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
      if (line.text.find_first_not_of(" \t\f\v") == std::string::npos) continue;
      line.number = number;
      return true;
    }
    if (in->bad()) throw UsageError("cannot read '" + input_name(in_path) + "'");
    return false;
  };
  const auto work = [&](const BatchLine& line) {
    std::string result = recommend_line(engine, line, options, counts);
    ++counts.done;
    return result;
  };
  const auto write = [&](std::string& result) {
    *out << result << '\n';
    if (!*out) throw UsageError(out_path ? "cannot write '" + *out_path + "'" : "cannot write to standard output");
    if (progress) show_progress(false);
  };
  ordered_pipeline(pool, read, work, write);
  out->flush();
  if (!*out) throw UsageError(out_path ? "cannot write '" + *out_path + "'" : "cannot write to standard output");
  if (progress) {
    show_progress(true);
    std::cerr << '\n';
  }
  if (counts.errors > 0) return exit_findings;
  if (fail_on_refer && counts.refers > 0) return exit_findings;
  return exit_ok;
}

}  // namespace

void help_recommend(std::ostream& out) { print_help(out, usage, about, visible_options(), examples); }

int run_recommend(const std::vector<std::string>& args) {
  po::options_description all = visible_options();
  all.add_options()("patient", po::value<std::string>(), "patient file");
  po::positional_options_description positional;
  positional.add("patient", 1);
  const po::variables_map vm = parse_options("recommend", args, all, positional);
  if (vm.count("help") != 0) {
    help_recommend(std::cout);
    return exit_ok;
  }

  const Format format = parse_format(vm["format"].as<std::string>());
  RecommendOptions options;
  options.explain = vm.count("explain") != 0;
  options.strict = vm.count("strict") != 0;
  const bool fail_on_refer = vm.count("fail-on-refer") != 0;
  const auto batch = optional_string(vm, "batch");
  const auto patient = optional_string(vm, "patient");
  const int jobs = vm["jobs"].as<int>();

  if (batch) {
    if (patient) throw UsageError("recommend: give a PATIENT or --batch IN.jsonl, not both");
    if (!vm["format"].defaulted() && format != Format::json) {
      throw UsageError("recommend: --batch writes JSON lines; --format " + vm["format"].as<std::string>() +
                       " is not available");
    }
    if (jobs < 0) throw UsageError("recommend: -j must be 0 (one per core) or more, not " + std::to_string(jobs));
  } else {
    if (vm.count("out") != 0)
      throw UsageError("recommend: --out goes with --batch; the result of one patient goes to stdout");
    if (!vm["jobs"].defaulted()) throw UsageError("recommend: -j goes with --batch");
    if (!patient && isatty(STDIN_FILENO) != 0) {
      throw UsageError("recommend: no patient given; name a file, or '-' to read stdin (see 'knead recommend --help')");
    }
  }

  const Engine engine{load_rules(optional_string(vm, "rules"))};
  if (batch) return recommend_batch(engine, *batch, optional_string(vm, "out"), jobs, options, fail_on_refer);
  return recommend_one(engine, patient.value_or("-"), format, options, fail_on_refer);
}

}  // namespace knead::cli
