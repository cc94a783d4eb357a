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

void BM_Recommend(benchmark::State& state) {
  const auto& ps = patients();
  if (ps.empty()) {
    state.SkipWithError("peer workload not found (set KNEAD_BENCH_WORKLOAD)");
    return;
  }
  const auto& e = engine();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = e.recommend(ps[i++ % ps.size()]);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["rules"] = static_cast<double>(e.rules().rules().size());
}
BENCHMARK(BM_Recommend);

void BM_RecommendToJson(benchmark::State& state) {
  const auto& ps = patients();
  if (ps.empty()) {
    state.SkipWithError("peer workload not found (set KNEAD_BENCH_WORKLOAD)");
    return;
  }
  const auto& e = engine();
  std::size_t i = 0;
  for (auto _ : state) {
    auto s = knead::to_json(e.recommend(ps[i++ % ps.size()]), -1);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
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
