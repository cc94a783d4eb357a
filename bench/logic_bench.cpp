// Throughput of the JsonLogic core on the peer workload (shared/bench/peers/workload):
// every rule of rules_N.json is compiled once, then each benchmark iteration evaluates every
// rule's Program::test against one patient (cycling through patients.jsonl). Items are
// patients, so "items_per_second" is patients/s.
//
// Before timing, the results are checked: the matching rule ids of every patient against
// expected_60.jsonl, and the match counts of expected_digests_1000.jsonl. A mismatch prints the
// details and exits with status 1.
//
//   KNEAD_BENCH_WORKLOAD=/path/to/workload ./knead_logic_bench

#include <knead/logic.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct Rule {
  std::string id;
  knead::logic::Program program;
};

struct Workload {
  std::vector<json> patients;
  std::map<int, std::vector<Rule>> rules;  // by rule-set size
  std::string error;                       // why the workload is unusable, if it is
};

fs::path workload_dir() {
  if (const char* env = std::getenv("KNEAD_BENCH_WORKLOAD"); env != nullptr && *env != '\0') return env;
  return KNEAD_BENCH_WORKLOAD_DIR;
}

std::vector<json> read_lines(const fs::path& path) {
  std::vector<json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

std::vector<Rule> compile_rules(const fs::path& path) {
  std::ifstream in(path);
  const json rules = json::parse(in);
  std::vector<Rule> out;
  out.reserve(rules.size());
  for (const auto& r : rules) {
    // A rule without "when" always fires.
    out.push_back(Rule{r.at("id").get<std::string>(), knead::logic::Program::compile(r.value("when", json(true)))});
  }
  return out;
}

std::vector<std::string> matches(const std::vector<Rule>& rules, const json& patient) {
  std::vector<std::string> ids;
  for (const auto& rule : rules) {
    if (rule.program.test(patient)) ids.push_back(rule.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Checks the engine against the reference results; returns false (after printing) on mismatch.
bool verify(const Workload& w, const fs::path& dir) {
  bool ok = true;
  const auto expected60 = read_lines(dir / "expected_60.jsonl");
  if (expected60.size() != w.patients.size()) {
    std::cerr << "verify: expected_60.jsonl has " << expected60.size() << " lines for " << w.patients.size()
              << " patients\n";
    return false;
  }
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < w.patients.size(); ++i) {
    const auto got = matches(w.rules.at(60), w.patients[i]);
    const auto want = expected60[i].at("matches").get<std::vector<std::string>>();
    if (got != want) {
      if (++mismatches <= 5) {
        std::cerr << "verify: rules_60 mismatch for patient " << expected60[i].at("id") << ": expected "
                  << json(want).dump() << ", got " << json(got).dump() << "\n";
      }
      ok = false;
    }
  }
  if (w.rules.count(1000) != 0 && fs::exists(dir / "expected_digests_1000.jsonl")) {
    const auto digests = read_lines(dir / "expected_digests_1000.jsonl");
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < w.patients.size(); ++i) index[w.patients[i].at("id").get<std::string>()] = i;
    for (const auto& d : digests) {
      const auto it = index.find(d.at("id").get<std::string>());
      if (it == index.end()) continue;
      const auto got = matches(w.rules.at(1000), w.patients[it->second]).size();
      if (got != d.at("n").get<std::size_t>()) {
        if (++mismatches <= 10) {
          std::cerr << "verify: rules_1000 count mismatch for patient " << d.at("id") << ": expected " << d.at("n")
                    << ", got " << got << "\n";
        }
        ok = false;
      }
    }
  }
  if (!ok) std::cerr << "verify: " << mismatches << " mismatching patients\n";
  return ok;
}

Workload& workload() {
  static Workload w = [] {
    Workload out;
    const fs::path dir = workload_dir();
    if (!fs::exists(dir / "patients.jsonl") || !fs::exists(dir / "rules_60.json")) {
      out.error = "workload not found at " + dir.string() + " (set KNEAD_BENCH_WORKLOAD)";
      return out;
    }
    out.patients = read_lines(dir / "patients.jsonl");
    out.rules[60] = compile_rules(dir / "rules_60.json");
    if (fs::exists(dir / "rules_1000.json")) out.rules[1000] = compile_rules(dir / "rules_1000.json");
    return out;
  }();
  return w;
}

void BM_RulesPerPatient(benchmark::State& state) {
  Workload& w = workload();
  const int size = static_cast<int>(state.range(0));
  if (!w.error.empty() || w.rules.count(size) == 0) {
    state.SkipWithError(w.error.empty() ? "rule set missing" : w.error.c_str());
    return;
  }
  const auto& rules = w.rules.at(size);
  std::size_t next = static_cast<std::size_t>(state.thread_index()) * 997U % w.patients.size();
  std::size_t fired = 0;
  for (auto _ : state) {
    const json& patient = w.patients[next];
    for (const auto& rule : rules) fired += rule.program.test(patient) ? 1U : 0U;
    if (++next == w.patients.size()) next = 0;
  }
  benchmark::DoNotOptimize(fired);
  state.SetItemsProcessed(state.iterations());
  state.counters["rule_evals_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(rules.size()),
                         benchmark::Counter::kIsRate);
}

BENCHMARK(BM_RulesPerPatient)->Arg(60)->Arg(1000)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_RulesPerPatient)->Arg(60)->Arg(1000)->Unit(benchmark::kMicrosecond)->UseRealTime()->Threads(2);

void BM_CompileRules(benchmark::State& state) {
  const fs::path path = workload_dir() / "rules_1000.json";
  if (!fs::exists(path)) {
    state.SkipWithError("rules_1000.json not found");
    return;
  }
  std::ifstream in(path);
  const json rules = json::parse(in);
  for (auto _ : state) {
    for (const auto& r : rules) benchmark::DoNotOptimize(knead::logic::Program::compile(r.at("when")));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rules.size()));
}

BENCHMARK(BM_CompileRules)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const Workload& w = workload();
  if (w.error.empty()) {
    if (!verify(w, workload_dir())) {
      std::cerr << "knead_logic_bench: results differ from the reference; not timing\n";
      return 1;
    }
    std::cerr << "verified: " << w.patients.size() << " patients x 60 rules match expected_60.jsonl\n";
  } else {
    std::cerr << "knead_logic_bench: " << w.error << "\n";
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
