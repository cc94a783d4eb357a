// Whole-engine throughput: normalize, evaluate every rule of the shipped default rule set,
// resolve, and (separately) render to JSON, for the 10,000 peer-workload patients.
#include <knead/knead.hpp>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

std::string workload_dir() {
  if (const char* env = std::getenv("KNEAD_BENCH_WORKLOAD")) return env;
  return KNEAD_BENCH_WORKLOAD_DIR;
}

const knead::Engine& engine() {
  static const knead::Engine e{knead::RuleSet::load(KNEAD_DEFAULT_RULES_DIR)};
  return e;
}

// Patients the engine cannot take (malformed JSON, a pressure of "deep") are left out and
// counted, so one bad line does not abort the run; many peer ids are unknown to the default
// rules, so most results are status review, which costs the same to compute.
std::size_t skipped_patients = 0;

const std::vector<knead::Patient>& patients() {
  static const std::vector<knead::Patient> loaded = [] {
    std::vector<knead::Patient> out;
    std::ifstream in(workload_dir() + "/patients.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      try {
        auto p = knead::Patient::from_json(nlohmann::json::parse(line));
        (void)engine().recommend(p);
        out.push_back(std::move(p));
      } catch (const std::exception&) {
        ++skipped_patients;
      }
    }
    return out;
  }();
  return loaded;
}

// Runs `step` on the patients in turn, one per iteration; items processed = patients.
template <typename Step>
void over_patients(benchmark::State& state, Step step) {
  const auto& ps = patients();
  if (ps.empty()) {
    state.SkipWithError("peer workload not found (set KNEAD_BENCH_WORKLOAD)");
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) step(ps[i++ % ps.size()]);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["rules"] = static_cast<double>(engine().rules().rules().size());
  state.counters["patients"] = static_cast<double>(ps.size());
  state.counters["skipped"] = static_cast<double>(skipped_patients);
}

void BM_Recommend(benchmark::State& state) {
  over_patients(state, [](const knead::Patient& p) {
    auto r = engine().recommend(p);
    benchmark::DoNotOptimize(r);
  });
}
BENCHMARK(BM_Recommend);

void BM_RecommendToJson(benchmark::State& state) {
  over_patients(state, [](const knead::Patient& p) {
    auto s = knead::to_json(engine().recommend(p), -1);
    benchmark::DoNotOptimize(s);
  });
}
BENCHMARK(BM_RecommendToJson);

void BM_LoadDefaultRules(benchmark::State& state) {
  for (auto _ : state) {
    auto rules = knead::RuleSet::load(KNEAD_DEFAULT_RULES_DIR);
    benchmark::DoNotOptimize(rules);
  }
}
BENCHMARK(BM_LoadDefaultRules)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
