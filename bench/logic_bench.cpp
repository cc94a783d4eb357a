// Throughput of the JsonLogic core on the peer workload (the peer benchmark's workload folder):
// every rule of rules_N.json (60, 1,000, 10,000) is compiled once, then each benchmark iteration
// evaluates every rule against one patient (cycling through patients.jsonl), either one
// Program per rule or all rules as one ProgramSet (shared subexpressions decided once per
// patient), the patient read as nlohmann::json or as a logic::PackedData built before timing
// (BM_RuleSetPerPackedData). Items are patients, so "items_per_second" is patients/s.
//
// Before timing, the ProgramSet and the Programs are checked: the matching rule ids of every
// patient against expected_60.jsonl, and count + SHA-1 against expected_digests_{1000,10000}.jsonl;
// the ProgramSet's matches on every patient as a PackedData against those on it as JSON.
// A mismatch prints the details and exits with status 1.
//
//   KNEAD_BENCH_WORKLOAD=/path/to/workload ./knead_logic_bench

#include <knead/logic.hpp>

#include "sha1.hpp"
#include "workload.hpp"

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

struct RuleSet {
  std::vector<Rule> rules;
  knead::logic::ProgramSet set;
};

struct Workload {
  std::vector<json> patients;
  std::vector<knead::logic::PackedData> documents;  // the same patients
  std::map<int, RuleSet> rules;            // by rule-set size
  std::string error;                       // why the workload is unusable, if it is
};

using knead::bench::read_lines;
using knead::bench::workload_dir;

RuleSet compile_rules(const fs::path& path) {
  std::ifstream in(path);
  const json rules = json::parse(in);
  RuleSet out;
  std::vector<json> whens;
  out.rules.reserve(rules.size());
  for (const auto& r : rules) {
    // A rule without "when" always fires.
    whens.push_back(r.value("when", json(true)));
    out.rules.push_back(Rule{r.at("id").get<std::string>(), knead::logic::Program::compile(whens.back())});
  }
  out.set = knead::logic::ProgramSet::compile(whens);
  return out;
}

// The sorted ids of the matching rules, by the ProgramSet; with `check_programs`, `differs` is
// set when the Programs one by one disagree with it.
std::vector<std::string> matches(const RuleSet& rules, const json& patient, bool check_programs, bool& differs) {
  std::vector<std::size_t> hits;
  rules.set.matches(patient, hits);
  std::vector<std::string> ids;
  std::size_t next = 0;
  for (std::size_t i = 0; i < rules.rules.size(); ++i) {
    const bool hit = next < hits.size() && hits[next] == i;
    if (hit) {
      ids.push_back(rules.rules[i].id);
      ++next;
    }
    if (check_programs && rules.rules[i].program.test(patient) != hit) differs = true;
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ',';
    out += id;
  }
  return out;
}

// Checks the engine against the reference results; returns false (after printing) on mismatch.
bool verify(const Workload& w, const fs::path& dir) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < w.patients.size(); ++i) index[w.patients[i].at("id").get<std::string>()] = i;
  std::size_t mismatches = 0;
  for (const auto& [size, rules] : w.rules) {
    const bool full = size == 60;
    const fs::path file = dir / (full ? "expected_60.jsonl" : "expected_digests_" + std::to_string(size) + ".jsonl");
    if (!fs::exists(file)) continue;
    for (const auto& want : read_lines(file)) {
      const auto it = index.find(want.at("id").get<std::string>());
      if (it == index.end()) continue;
      bool differs = false;
      // The Programs one by one are checked too, except at 10,000 rules (slow, and the same code).
      const auto got = matches(rules, w.patients[it->second], size < 10000, differs);
      std::vector<std::size_t> on_json;
      std::vector<std::size_t> on_document;
      rules.set.matches(w.patients[it->second], on_json);
      rules.set.matches(w.documents[it->second], on_document);
      differs = differs || on_document != on_json;
      const bool same = full ? got == want.at("matches").get<std::vector<std::string>>()
                             : got.size() == want.at("n").get<std::size_t>() &&
                                   knead::bench::sha1_hex(joined(got)) == want.at("sha1");
      if (!same || differs) {
        if (++mismatches <= 10) {
          std::cerr << "verify: rules_" << size << " mismatch for patient " << want.at("id") << ": got " << got.size()
                    << " matches" << (differs ? " (ProgramSet, Programs and PackedData values disagree)" : "") << "\n";
        }
      }
    }
  }
  if (mismatches != 0) std::cerr << "verify: " << mismatches << " mismatching patients\n";
  return mismatches == 0;
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
    out.documents.reserve(out.patients.size());
    for (const json& p : out.patients) out.documents.emplace_back(p);
    out.rules[60] = compile_rules(dir / "rules_60.json");
    for (const int size : {1000, 10000}) {
      const fs::path file = dir / ("rules_" + std::to_string(size) + ".json");
      if (fs::exists(file)) out.rules[size] = compile_rules(file);
    }
    return out;
  }();
  return w;
}

// How a benchmark evaluates the rules on a patient.
enum class Way { set, set_on_packed, programs };

// Every rule against one patient per iteration: through the ProgramSet (on the patient as JSON
// or as a PackedData), or one Program::test per rule.
void rules_per_patient(benchmark::State& state, Way way) {
  Workload& w = workload();
  const int size = static_cast<int>(state.range(0));
  if (!w.error.empty() || w.rules.count(size) == 0) {
    state.SkipWithError(w.error.empty() ? "rule set missing" : w.error.c_str());
    return;
  }
  const auto& rules = w.rules.at(size);
  std::size_t next = static_cast<std::size_t>(state.thread_index()) * 997U % w.patients.size();
  std::size_t fired = 0;
  std::vector<std::size_t> hits;
  for (auto _ : state) {
    const json& patient = w.patients[next];
    if (way == Way::set) {
      rules.set.matches(patient, hits);
      fired += hits.size();
    } else if (way == Way::set_on_packed) {
      rules.set.matches(w.documents[next], hits);
      fired += hits.size();
    } else {
      for (const auto& rule : rules.rules) fired += rule.program.test(patient) ? 1U : 0U;
    }
    if (++next == w.patients.size()) next = 0;
  }
  benchmark::DoNotOptimize(fired);
  state.SetItemsProcessed(state.iterations());
  state.counters["rule_evals_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(rules.rules.size()), benchmark::Counter::kIsRate);
}

void BM_RuleSetPerPatient(benchmark::State& state) { rules_per_patient(state, Way::set); }
void BM_RuleSetPerPackedData(benchmark::State& state) { rules_per_patient(state, Way::set_on_packed); }
void BM_ProgramsPerPatient(benchmark::State& state) { rules_per_patient(state, Way::programs); }

// At 60, 1,000 and 10,000 rules, in microseconds of wall time.
void at_every_size(benchmark::internal::Benchmark* b) {
  b->Arg(60)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond)->UseRealTime();
}

BENCHMARK(BM_RuleSetPerPatient)->Apply(at_every_size);
BENCHMARK(BM_RuleSetPerPatient)->Apply(at_every_size)->Threads(2);
BENCHMARK(BM_RuleSetPerPackedData)->Apply(at_every_size);
BENCHMARK(BM_RuleSetPerPackedData)->Apply(at_every_size)->Threads(2);
BENCHMARK(BM_ProgramsPerPatient)->Apply(at_every_size);

// Compiling rules_N.json (already parsed) as a ProgramSet; items are rules.
void BM_CompileRuleSet(benchmark::State& state) {
  const fs::path path = workload_dir() / ("rules_" + std::to_string(state.range(0)) + ".json");
  if (!fs::exists(path)) {
    state.SkipWithError("rule set not found");
    return;
  }
  std::ifstream in(path);
  std::vector<json> whens;
  for (const auto& r : json::parse(in)) whens.push_back(r.value("when", json(true)));
  for (auto _ : state) benchmark::DoNotOptimize(knead::logic::ProgramSet::compile(whens));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(whens.size()));
}

BENCHMARK(BM_CompileRuleSet)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

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
    std::cerr << "verified: every rule set against the expected match lists and digests\n";
  } else {
    std::cerr << "knead_logic_bench: " << w.error << "\n";
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
