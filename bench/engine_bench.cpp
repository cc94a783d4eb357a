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

// The peer patients use a few ids the default rules do not know; they become warnings.
const std::vector<knead::Patient>& patients() {
  static const std::vector<knead::Patient> loaded = [] {
    std::vector<knead::Patient> out;
    std::ifstream in(workload_dir() + "/patients.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) out.push_back(knead::Patient::from_json(nlohmann::json::parse(line)));
    }
    return out;
  }();
  return loaded;
}

const knead::Engine& engine() {
  static const knead::Engine e{knead::RuleSet::load(KNEAD_DEFAULT_RULES_DIR)};
  return e;
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
