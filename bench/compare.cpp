// knead against the fastest peer engine on the shared peer workload, in one invocation:
// JsonLogic throughput at 60, 1,000 and 10,000 rules (single thread), compile time of 10,000
// rules in a fresh process, and peak memory with 10,000 rules loaded and compiled; then the
// ratios. Every answer is checked against the workload's expected files before timing (full
// match lists at 60 rules, count + SHA-1 digests at 1,000 and 10,000).
//
// knead reads the patients as logic::PackedData values built before timing (as the peer reads objects
// parsed before timing), and, in a column of its own, as the parsed nlohmann::json values.
//
//   knead_compare [--workload DIR] [--peers DIR] [--sizes 60,1000,10000] [--seconds S]
//                 [--reps N] [--peer-engine jle-build] [--no-peers] [--programs] [--cli PATH]
//                 [--rules DIR] [--batch-copies N]
//
// --cli PATH (default: the knead command built alongside) also times `knead recommend --batch`
// on the rules in --rules DIR (default: the repository's rules folder, named to the command so
// that one from elsewhere reads the same rules), JSON lines in and out, with -j 1 and -j 2 (the
// peer patients, with the pressure "deep", which knead does not have, read as "firm"), each
// patient --batch-copies times (default 5: 50,000 lines, so that starting the process and
// loading the rules, about 20 ms on one thread, do not stand for a batch's throughput). The
// command is tried once before anything else: one that fails, or leaves a patient without its
// result line, stops the run with what it said and status 2.
//
// --programs compiles and evaluates each rule as its own Program instead of one ProgramSet
// (how knead evaluated rule sets before ProgramSet shared their subexpressions).
//
// The peer side runs `node run_peers.js --child` in DIR (a copy of the peer harness with its
// node_modules installed; `bash run.sh` in the harness folder makes one in $TMPDIR/knead-peers).
// Without the workload it exits with status 77 (skipped) and says why; without node or the
// peers' node_modules it times knead alone and says why the peers are missing.

#include <knead/logic.hpp>

#include "sha1.hpp"
#include "workload.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kSkipped = 77;

struct Options {
  fs::path workload;
  std::optional<fs::path> peers;
  std::vector<int> sizes{60, 1000, 10000};
  double seconds = 1.5;
  int reps = 5;
  std::string peer_engine = "jle-build";
  bool no_peers = false;
  std::string cli;
  bool cli_given = false;  // --cli, rather than the command built alongside
  std::string rules;
  int batch_copies = 5;
};

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

using knead::bench::read_json;
using knead::bench::read_lines;

// ---- knead's side ----

bool g_programs = false;  // --programs

// The compiled rules of one set: one ProgramSet (shared subexpressions computed once per
// patient), or with --programs one Program per rule.
struct KneadRules {
  std::vector<std::string> ids;
  knead::logic::ProgramSet set;
  std::vector<knead::logic::Program> one_by_one;

  void matches(const json& patient, std::vector<std::size_t>& out) const {
    if (!g_programs) return set.matches(patient, out);
    out.clear();
    for (std::size_t i = 0; i < one_by_one.size(); ++i) {
      if (one_by_one[i].test(patient)) out.push_back(i);
    }
  }
  void matches(const knead::logic::PackedData& patient, std::vector<std::size_t>& out) const {
    if (!g_programs) return set.matches(patient, out);
    matches(patient.value(), out);
  }
};

KneadRules compile_rules(const json& rules) {
  KneadRules out;
  out.ids.reserve(rules.size());
  static const json always(true);  // a rule without "when" always fires
  std::vector<const json*> whens;
  whens.reserve(rules.size());
  for (const auto& r : rules) {
    out.ids.push_back(r.at("id").get<std::string>());
    const auto when = r.find("when");
    whens.push_back(when != r.end() ? &*when : &always);
  }
  if (g_programs) {
    out.one_by_one.reserve(whens.size());
    for (const json* w : whens) out.one_by_one.push_back(knead::logic::Program::compile(*w));
  } else {
    out.set = knead::logic::ProgramSet::compile(whens);
  }
  return out;
}

template <class Patient>
std::vector<std::string> match_ids(const KneadRules& rules, const Patient& patient, std::vector<std::size_t>& scratch) {
  rules.matches(patient, scratch);
  std::vector<std::string> ids;
  ids.reserve(scratch.size());
  for (const std::size_t i : scratch) ids.push_back(rules.ids[i]);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string join(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ',';
    out += id;
  }
  return out;
}

// Checks every patient the expected files cover, read as `Patient` (json or PackedData); returns
// the number of mismatches.
template <class Patient>
std::size_t verify(const KneadRules& rules, int size, const std::vector<json>& patients,
                   const std::vector<Patient>& read_as, const fs::path& dir, std::size_t& checked) {
  std::map<std::string, const Patient*> by_id;
  for (std::size_t i = 0; i < patients.size(); ++i) by_id[patients[i].at("id").get<std::string>()] = &read_as[i];
  std::vector<std::size_t> scratch;
  std::size_t mismatches = 0;
  checked = 0;
  const bool full = size == 60;
  const fs::path file = dir / (full ? "expected_60.jsonl" : "expected_digests_" + std::to_string(size) + ".jsonl");
  for (const auto& want : read_lines(file)) {
    const auto it = by_id.find(want.at("id").get<std::string>());
    if (it == by_id.end()) continue;
    const auto got = match_ids(rules, *it->second, scratch);
    bool same = false;
    if (full) {
      same = got == want.at("matches").get<std::vector<std::string>>();
    } else {
      same = got.size() == want.at("n").get<std::size_t>() && knead::bench::sha1_hex(join(got)) == want.at("sha1");
    }
    ++checked;
    if (!same && ++mismatches <= 5) {
      std::cerr << "mismatch: " << size << " rules, patient " << want.at("id") << ": got " << got.size()
                << " matches\n";
    }
  }
  return mismatches;
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The median of `values` (the upper one of an even count).
double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Rate {
  double wall = 0;  // patients per second of elapsed time (what the peer harness reports)
  double cpu = 0;   // patients per second of this thread's CPU time (steadier on a busy machine)
};

// Median patients/s over `reps` reps of about `seconds` each (after one untimed rep), every
// rule against each patient in turn, as the peer harness does.
template <class Patient>
Rate time_knead(const KneadRules& rules, const std::vector<Patient>& patients, double seconds, int reps) {
  std::vector<std::size_t> scratch;
  std::size_t sink = 0;
  // Pick the patients per rep from a short probe.
  std::size_t n = 0;
  const auto probe = Clock::now();
  while (seconds_since(probe) < std::min(0.2, seconds / 4) || n < 20) {
    rules.matches(patients[n % patients.size()], scratch);
    sink += scratch.size();
    ++n;
  }
  const auto per_rep = static_cast<std::size_t>(static_cast<double>(n) * seconds / seconds_since(probe)) + 1;
  std::vector<double> rates, cpu_rates;
  for (int r = -1; r < reps; ++r) {
    const auto t0 = Clock::now();
    const double cpu0 = thread_cpu_seconds();
    for (std::size_t i = 0; i < per_rep; ++i) {
      rules.matches(patients[i % patients.size()], scratch);
      sink += scratch.size();
    }
    if (r >= 0) {
      rates.push_back(static_cast<double>(per_rep) / seconds_since(t0));
      cpu_rates.push_back(static_cast<double>(per_rep) / (thread_cpu_seconds() - cpu0));
    }
  }
  if (sink == 42) std::cerr << "";  // keeps the work observable
  return Rate{median(rates), median(cpu_rates)};
}

// ---- child processes ----

struct ChildRun {
  int status = -1;
  std::string out;
  long peak_kb = 0;  // peak resident set of the child
  double cpu_s = 0;  // its user + system CPU time
};

// Runs argv in `cwd`, capturing stdout; stderr goes to `err` (dropped when empty). Never throws.
ChildRun run_child(const std::vector<std::string>& argv, const fs::path& cwd = {}, const fs::path& err = {}) {
  ChildRun run;
  int pipefd[2];
  if (pipe(pipefd) != 0) return run;
  const pid_t pid = fork();
  if (pid < 0) {
    close(pipefd[0]);
    close(pipefd[1]);
    return run;
  }
  if (pid == 0) {
    dup2(pipefd[1], STDOUT_FILENO);
    close(pipefd[0]);
    close(pipefd[1]);
    if (std::FILE* to = std::fopen(err.empty() ? "/dev/null" : err.c_str(), "w")) dup2(fileno(to), STDERR_FILENO);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(pipefd[1]);
  char buf[4096];
  ssize_t got = 0;
  while ((got = read(pipefd[0], buf, sizeof buf)) > 0) run.out.append(buf, static_cast<std::size_t>(got));
  close(pipefd[0]);
  struct rusage usage {};
  int status = 0;
  if (wait4(pid, &status, 0, &usage) == pid) {
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.peak_kb = usage.ru_maxrss;
    run.cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  }
  return run;
}

// `knead_compare --compile-only FILE`: read and parse the rules (not timed), compile them (timed),
// print the milliseconds and the peak memory of this process.
int compile_only(const fs::path& file) {
  const json rules = read_json(file);
  const auto t0 = Clock::now();
  const std::clock_t cpu0 = std::clock();
  const KneadRules compiled = compile_rules(rules);
  const double ms = seconds_since(t0) * 1000;
  const double cpu_ms = static_cast<double>(std::clock() - cpu0) * 1000.0 / CLOCKS_PER_SEC;
  // The peak resident set of this process (VmHWM): the parent's wait4 would also count the
  // memory of the process it forked from.
  long peak_kb = 0;
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) peak_kb = std::stol(line.substr(6));
  }
  std::cout << json{{"compile_ms", ms},
                    {"compile_cpu_ms", cpu_ms},
                    {"peak_kb", peak_kb},
                    {"rules", compiled.ids.size()}}
                   .dump()
            << "\n";
  return 0;
}

// Patients/s of `knead recommend --batch` over the workload's patients with `jobs` threads
// (best of `reps` runs; the whole process, start and rule loading included). Throws, with what
// the command said, when it fails or leaves a patient without its result line.
Rate time_cli_batch(const Options& opts, const std::vector<json>& patients, int jobs, int reps) {
  const int copies = opts.batch_copies;
  const fs::path dir = fs::temp_directory_path() / ("knead-compare-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path in = dir / "patients.jsonl";
  {
    std::string lines;
    for (json p : patients) {
      if (auto& prefs = p["preferences"]; prefs.value("pressure", "") == "deep") prefs["pressure"] = "firm";
      lines += p.dump() + "\n";
    }
    std::ofstream out(in);
    for (int c = 0; c < copies; ++c) out << lines;
  }
  Rate best;
  const std::size_t expected = patients.size() * static_cast<std::size_t>(copies);
  const auto n = static_cast<double>(expected);
  const std::vector<std::string> argv{opts.cli,  "recommend",         "--rules", opts.rules,
                                      "--batch", in.string(),         "--out",   (dir / "out.jsonl").string(),
                                      "-j",      std::to_string(jobs)};
  for (int r = 0; r < reps; ++r) {
    // Every run writes a new file, as a batch usually does: replacing the previous run's
    // output (about 5 KB a line) would add the file system's freeing of its blocks, tens of
    // milliseconds that are not the batch's work and that only the second run onwards pays.
    std::error_code gone;
    fs::remove(dir / "out.jsonl", gone);
    const auto t0 = Clock::now();
    const ChildRun run = run_child(argv, {}, dir / "stderr.txt");
    const double s = seconds_since(t0);
    // Status 1 is normal (some result is a referral or an error record), but then every
    // patient must have its line.
    std::size_t lines = 0;
    if (run.status == 0 || run.status == 1) {
      std::ifstream written(dir / "out.jsonl");
      std::string line;
      while (std::getline(written, line)) ++lines;
    }
    if (lines != expected) {
      std::ifstream err(dir / "stderr.txt");
      std::string said;
      std::getline(err, said);
      std::error_code ec;
      fs::remove_all(dir, ec);
      std::string command;
      for (const auto& a : argv) command += (command.empty() ? "" : " ") + a;
      throw std::runtime_error("the batch rows failed: " + command + " exited with status " +
                               std::to_string(run.status) + " and wrote " + std::to_string(lines) + " of " +
                               std::to_string(expected) + " results" + (said.empty() ? "" : ": " + said));
    }
    best.wall = std::max(best.wall, n / s);
    best.cpu = std::max(best.cpu, n / run.cpu_s);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return best;
}

std::optional<fs::path> find_peers(const Options& opts) {
  if (opts.peers) return opts.peers;
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("KNEAD_BENCH_PEERS"); env != nullptr && *env != '\0') candidates.emplace_back(env);
  candidates.push_back(opts.workload.parent_path());
  const char* tmp = std::getenv("TMPDIR");
  candidates.push_back(fs::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") / "knead-peers");
  for (const auto& c : candidates) {
    if (fs::exists(c / "run_peers.js") && fs::exists(c / "node_modules" / "json-logic-engine")) return c;
  }
  return std::nullopt;
}

struct PeerResult {
  double patients_per_s = 0;
  double load_ms = 0;
  double rss_mb_after_load = 0;
  long peak_kb = 0;
  std::string error;
};

PeerResult run_peer(const Options& opts, const fs::path& dir, int size) {
  PeerResult out;
  std::ostringstream rep_seconds;
  rep_seconds << opts.seconds;
  const ChildRun run =
      run_child({"node", "--expose-gc", "run_peers.js", "--child", "--engine", opts.peer_engine, "--size",
                 std::to_string(size), "--reps", std::to_string(opts.reps), "--rep-seconds", rep_seconds.str()},
                dir);
  const auto pos = run.out.find("RESULT ");
  if (pos == std::string::npos) {
    out.error = "node exited with status " + std::to_string(run.status);
    return out;
  }
  const json r = json::parse(run.out.substr(pos + 7, run.out.find('\n', pos) - pos - 7));
  if (r.contains("error")) {
    out.error = r.at("error").get<std::string>();
    return out;
  }
  if (r.at("verify").at("mismatches").get<int>() != 0) out.error = "peer answers differ from the expected files";
  out.patients_per_s = r.at("patients_per_s").get<double>();
  out.load_ms = r.at("load_ms").get<double>();
  out.rss_mb_after_load = r.at("rss_mb_after_load").get<double>();
  out.peak_kb = run.peak_kb;
  return out;
}

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(digits);
  s << v;
  return s.str();
}

std::string rate(double v) {
  if (v >= 1e6) return fixed(v / 1e6, 2) + "M";
  if (v >= 1e4) return fixed(v / 1e3, 1) + "k";
  return fixed(v, 0);
}

std::optional<Options> parse_args(int argc, char** argv) {
  Options opts;
#ifdef KNEAD_CLI
  opts.cli = KNEAD_CLI;
#endif
  opts.rules = KNEAD_DEFAULT_RULES_DIR;
  opts.workload = knead::bench::workload_dir();
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--workload") {
      opts.workload = value();
    } else if (a == "--peers") {
      opts.peers = fs::path(value());
    } else if (a == "--sizes") {
      opts.sizes.clear();
      std::istringstream list(value());
      std::string item;
      while (std::getline(list, item, ',')) opts.sizes.push_back(std::stoi(item));
    } else if (a == "--seconds") {
      opts.seconds = std::stod(value());
    } else if (a == "--reps") {
      opts.reps = std::max(1, std::stoi(value()));
    } else if (a == "--peer-engine") {
      opts.peer_engine = value();
    } else if (a == "--no-peers") {
      opts.no_peers = true;
    } else if (a == "--cli") {
      opts.cli = value();
      opts.cli_given = true;
    } else if (a == "--rules") {
      opts.rules = value();
    } else if (a == "--batch-copies") {
      opts.batch_copies = std::max(1, std::stoi(value()));
    } else if (a == "--programs") {
      g_programs = true;
    } else {
      throw std::runtime_error("unknown option " + a);
    }
  }
  return opts;
}

int run(const Options& opts, const char* self) {
  // The batch rows need the command and the rules; a command named with --cli must be there.
  bool batch_rows = !opts.cli.empty();
  if (batch_rows && !fs::is_regular_file(opts.cli)) {
    if (opts.cli_given) throw std::runtime_error("--cli " + opts.cli + ": no such file");
    std::cout << "batch rows skipped: no knead command at " << opts.cli << " (give --cli PATH)\n";
    batch_rows = false;
  }
  if (batch_rows && !fs::exists(opts.rules)) {
    throw std::runtime_error("--rules " + opts.rules + ": no such file or directory");
  }
  if (batch_rows) {  // a command that cannot run says so now, not after the timings
    Options once = opts;
    once.batch_copies = 1;
    (void)time_cli_batch(once, {json{{"id", "knead-compare-check"}, {"preferences", json::object()}}}, 1, 1);
  }
  const fs::path& dir = opts.workload;
  if (!fs::exists(dir / "patients.jsonl") || !fs::exists(dir / "expected_60.jsonl")) {
    std::cout << "knead_compare: skipped: the peer workload is not at " << dir.string()
              << " (give --workload DIR or set KNEAD_BENCH_WORKLOAD)\n";
    return kSkipped;
  }
  std::optional<fs::path> peers;
  std::string peers_missing;
  if (opts.no_peers) {
    peers_missing = "--no-peers";
  } else if (run_child({"node", "--version"}).status != 0) {
    peers_missing = "node is not installed";
  } else if (!(peers = find_peers(opts))) {
    peers_missing =
        "no peer harness with node_modules found (run `bash run.sh --sizes 60 --reps 1` in the peer "
        "folder once, or give --peers DIR)";
  }
  if (!peers_missing.empty()) std::cout << "peers skipped: " << peers_missing << "\n";

  const std::vector<json> patients = read_lines(dir / "patients.jsonl");
  std::vector<knead::logic::PackedData> documents;
  documents.reserve(patients.size());
  for (const json& p : patients) documents.emplace_back(p);
  std::cout << "workload: " << dir.string() << " (" << patients.size() << " patients); knead evaluates "
            << (g_programs ? "one Program per rule" : "one ProgramSet") << "\n";
  if (std::ifstream load("/proc/loadavg"); load) {
    std::string one;
    load >> one;
    std::cout << "load average when starting: " << one << "\n";
  }
  std::cout << "\n| rules | knead patients/s (PackedData input) | " << opts.peer_engine
            << " patients/s | ratio | knead per CPU second | knead, nlohmann::json input | ratio | checked |\n"
            << "|---|---|---|---|---|---|---|---|\n";
  bool all_ok = true;
  for (const int size : opts.sizes) {
    const fs::path file = dir / ("rules_" + std::to_string(size) + ".json");
    if (!fs::exists(file)) {
      std::cout << "| " << size << " | (no " << file.filename().string() << ") | | | | | | |\n";
      continue;
    }
    const KneadRules rules = compile_rules(read_json(file));
    std::size_t checked = 0;
    std::size_t checked_json = 0;
    const std::size_t mismatches = verify(rules, size, patients, documents, dir, checked) +
                                   verify(rules, size, patients, patients, dir, checked_json);
    if (mismatches != 0) {
      std::cout << "| " << size << " | WRONG: " << mismatches << " of " << checked + checked_json
                << " answers differ | | | | | | |\n";
      all_ok = false;
      continue;
    }
    const Rate knead_rate = time_knead(rules, documents, opts.seconds, opts.reps);
    const Rate json_rate = time_knead(rules, patients, opts.seconds, opts.reps);
    std::string peer_cell = "-", ratio = "-", json_ratio = "-";
    if (peers) {
      const PeerResult peer = run_peer(opts, *peers, size);
      if (peer.error.empty()) {
        peer_cell = rate(peer.patients_per_s);
        ratio = fixed(knead_rate.wall / peer.patients_per_s, 1) + "x";
        json_ratio = fixed(json_rate.wall / peer.patients_per_s, 1) + "x";
      } else {
        peer_cell = "error: " + peer.error;
      }
    }
    std::cout << "| " << size << " | " << rate(knead_rate.wall) << " | " << peer_cell << " | " << ratio << " | "
              << rate(knead_rate.cpu) << " | " << rate(json_rate.wall) << " | " << json_ratio << " | " << checked
              << " patients, both inputs, 0 mismatches |\n";
  }

  // Compile time and memory of the largest set, each engine in a fresh process.
  const int largest = *std::max_element(opts.sizes.begin(), opts.sizes.end());
  const fs::path file = dir / ("rules_" + std::to_string(largest) + ".json");
  if (fs::exists(file)) {
    std::vector<std::string> argv{self, "--compile-only", file.string()};
    if (g_programs) argv.emplace_back("--programs");
    // One fresh process per rep: the median time, and the largest peak (a single start-up
    // is at the mercy of whatever else the machine does at that moment).
    std::vector<double> wall_ms, cpu_ms;
    double peak_kb = 0;
    for (int r = 0; r < opts.reps; ++r) {
      const ChildRun child = run_child(argv);
      if (child.status != 0) {
        std::cout << "\ncompile in a fresh process failed (status " << child.status << ")\n";
        return 1;
      }
      const json compiled = json::parse(child.out);
      wall_ms.push_back(compiled.at("compile_ms").get<double>());
      cpu_ms.push_back(compiled.at("compile_cpu_ms").get<double>());
      peak_kb = std::max(peak_kb, compiled.at("peak_kb").get<double>());
    }
    const double knead_ms = median(wall_ms);
    const double knead_cpu_ms = median(cpu_ms);
    const double knead_mb = peak_kb / 1024;  // MiB, as the peer reports its resident set
    std::cout << "\n| " << largest << " rules, fresh process | knead | " << opts.peer_engine << " | ratio |\n"
              << "|---|---|---|---|\n";
    std::string peer_ms = "-", peer_mb = "-", ms_ratio = "-", mb_ratio = "-";
    if (peers) {
      Options brief = opts;  // the compile time and memory do not need long reps
      brief.seconds = 0.2;
      brief.reps = 1;
      // As many fresh processes as knead's, for the same reason: the median load time and the
      // largest resident set.
      std::vector<double> load_ms;
      double rss_mb = 0;
      std::string error;
      for (int r = 0; r < opts.reps && error.empty(); ++r) {
        const PeerResult peer = run_peer(brief, *peers, largest);
        error = peer.error;
        load_ms.push_back(peer.load_ms);
        rss_mb = std::max(rss_mb, peer.rss_mb_after_load);
      }
      if (!error.empty()) {
        peer_ms = "error: " + error;
      } else {
        const double peer_load_ms = median(load_ms);
        peer_ms = fixed(peer_load_ms, 0) + " ms";
        peer_mb = fixed(rss_mb, 0) + " MiB";
        ms_ratio = fixed(peer_load_ms / knead_ms, 1) + "x faster";
        mb_ratio = fixed(rss_mb / knead_mb, 1) + "x less";
      }
    }
    std::cout << "| compile | " << fixed(knead_ms, 1) << " ms (CPU " << fixed(knead_cpu_ms, 1) << " ms) | " << peer_ms
              << " | " << ms_ratio << " |\n"
              << "| peak resident, loaded and compiled | " << fixed(knead_mb, 1) << " MiB | " << peer_mb << " | "
              << mb_ratio << " |\n";
  }
  if (batch_rows) {
    const Rate one = time_cli_batch(opts, patients, 1, std::min(opts.reps, 3));
    const Rate two = time_cli_batch(opts, patients, 2, std::min(opts.reps, 3));
    const std::string rules = opts.rules == KNEAD_DEFAULT_RULES_DIR ? "default rules" : "rules " + opts.rules;
    std::cout << "\n| knead recommend --batch, " << rules << ", JSONL in and out, "
              << patients.size() * static_cast<std::size_t>(opts.batch_copies)
              << " patients | patients/s | per CPU second |\n"
              << "|---|---|---|\n"
              << "| -j 1 | " << rate(one.wall) << " | " << rate(one.cpu) << " |\n"
              << "| -j 2 | " << rate(two.wall) << " (" << fixed(one.wall > 0 ? two.wall / one.wall : 0, 2)
              << "x -j 1) | " << rate(two.cpu) << " |\n";
  }
  std::cout
      << "\n(single thread; patients/s is the median of " << opts.reps << " reps of ~" << opts.seconds
      << " s; each engine's compile time is the median of as many fresh processes; the peer's memory is the largest"
         " resident set after loading, knead's the largest peak, of its processes)\n";
  return all_ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 3 && std::strcmp(argv[1], "--compile-only") == 0) {
      g_programs = argc == 4 && std::strcmp(argv[3], "--programs") == 0;
      return compile_only(argv[2]);
    }
    const auto opts = parse_args(argc, argv);
    return run(*opts, "/proc/self/exe");
  } catch (const std::exception& e) {
    std::cerr << "knead_compare: " << e.what() << "\n";
    return 2;
  }
}
