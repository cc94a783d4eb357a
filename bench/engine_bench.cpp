// Whole-engine throughput on the shipped default rule set, over the 10,000 peer-workload
// patients, stage by stage: reading a patient's JSON text, building the Patient, recommending
// (normalize, evaluate every rule, resolve), rendering to JSON, and the whole line-in/line-out
// path a batch takes (BM_LineToLine with a string per result, BM_BatchLine appending to a
// chunk's buffer as the command does). Items are patients.
//
// The peer patients use the pressure "deep", which knead's patient format does not have: it is
// read as "firm", the strongest pressure knead knows. Ids the default rules do not know make a
// result status review, as they would for a user; patients the engine rejects are skipped and
// counted ("skipped").
#include <knead/knead.hpp>

#include <benchmark/benchmark.h>

#include "workload.hpp"

#include "evaluate/evaluate.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

using knead::bench::workload_dir;

const knead::Engine& engine() {
  static const knead::Engine e{knead::RuleSet::load(KNEAD_DEFAULT_RULES_DIR)};
  return e;
}

// Patients the engine cannot take (malformed JSON, a value knead's format does not have) are
// left out and counted, so one bad line does not abort the run; many peer ids are unknown to
// the default rules, so most results are status review, which costs the same to compute.
std::size_t skipped_patients = 0;

// The patients as JSON lines, in knead's vocabulary; only those the engine takes.
const std::vector<std::string>& lines() {
  static const std::vector<std::string> loaded = [] {
    std::vector<std::string> out;
    std::ifstream in(workload_dir() / "patients.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      try {
        auto doc = nlohmann::json::parse(line);
        if (auto prefs = doc.find("preferences");
            prefs != doc.end() && prefs->is_object() && prefs->value("pressure", "") == "deep") {
          (*prefs)["pressure"] = "firm";
        }
        std::string text = doc.dump();
        (void)engine().recommend(knead::Patient::parse(text));
        out.push_back(std::move(text));
      } catch (const std::exception&) {
        ++skipped_patients;
      }
    }
    return out;
  }();
  return loaded;
}

const std::vector<knead::Patient>& patients() {
  static const std::vector<knead::Patient> loaded = [] {
    std::vector<knead::Patient> out;
    for (const auto& line : lines()) out.push_back(knead::Patient::parse(line));
    return out;
  }();
  return loaded;
}

// Runs `step` on item i % n, one per iteration; items processed = patients.
template <typename Step>
void over(benchmark::State& state, std::size_t n, Step step) {
  if (n == 0) {
    state.SkipWithError("peer workload not found (set KNEAD_BENCH_WORKLOAD)");
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) step(i++ % n);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["patients"] = static_cast<double>(lines().size());
  state.counters["skipped"] = static_cast<double>(skipped_patients);
}

void BM_ParseJsonText(benchmark::State& state) {
  over(state, lines().size(), [](std::size_t i) {
    auto doc = nlohmann::json::parse(lines()[i]);
    benchmark::DoNotOptimize(doc);
  });
}
BENCHMARK(BM_ParseJsonText);

void BM_PatientParse(benchmark::State& state) {
  over(state, lines().size(), [](std::size_t i) {
    auto p = knead::Patient::parse(lines()[i]);
    benchmark::DoNotOptimize(p);
  });
}
BENCHMARK(BM_PatientParse);

void BM_Recommend(benchmark::State& state) {
  over(state, patients().size(), [](std::size_t i) {
    auto r = engine().recommend(patients()[i]);
    benchmark::DoNotOptimize(r);
  });
  state.counters["rules"] = static_cast<double>(engine().rules().rules().size());
}
BENCHMARK(BM_Recommend);

void BM_ToJson(benchmark::State& state) {
  std::vector<knead::Recommendation> results;
  for (std::size_t i = 0; i < 500 && i < patients().size(); ++i) results.push_back(engine().recommend(patients()[i]));
  over(state, results.size(), [&](std::size_t i) {
    auto s = knead::to_json(results[i], -1);
    benchmark::DoNotOptimize(s);
  });
}
BENCHMARK(BM_ToJson);

// A batch line: text in, JSON line out.
void BM_LineToLine(benchmark::State& state) {
  over(state, lines().size(), [](std::size_t i) {
    auto s = knead::to_json(engine().recommend(knead::Patient::parse(lines()[i])), -1);
    benchmark::DoNotOptimize(s);
  });
}
BENCHMARK(BM_LineToLine);

// A batch line as knead recommend --batch runs it: the result appended to the chunk's output,
// a buffer reused from chunk to chunk (about 64 KB of input, some 200 lines).
void BM_BatchLine(benchmark::State& state) {
  std::string output;
  std::size_t in_chunk = 0;
  over(state, lines().size(), [&](std::size_t i) {
    if (++in_chunk == 200) {
      output.clear();
      in_chunk = 0;
    }
    knead::append_json(engine().recommend(knead::Patient::parse(lines()[i])), output);
    output += '\n';
    benchmark::DoNotOptimize(output.data());
  });
}
BENCHMARK(BM_BatchLine);

void BM_LoadDefaultRules(benchmark::State& state) {
  for (auto _ : state) {
    auto rules = knead::RuleSet::load(KNEAD_DEFAULT_RULES_DIR);
    benchmark::DoNotOptimize(rules);
  }
}
BENCHMARK(BM_LoadDefaultRules)->Unit(benchmark::kMillisecond);

// The recommend stage before resolving, on its own (the library's internal stages): mapping
// the patient onto the ontology, and that plus evaluating every rule.
void BM_Normalize(benchmark::State& state) {
  const auto& rules = knead::detail::CompiledRuleSet::of(engine().rules());
  over(state, patients().size(), [&](std::size_t i) {
    auto facts = knead::detail::normalize(rules, patients()[i], false);
    benchmark::DoNotOptimize(facts);
  });
}
BENCHMARK(BM_Normalize);

void BM_NormalizeAndRules(benchmark::State& state) {
  const auto& rules = knead::detail::CompiledRuleSet::of(engine().rules());
  over(state, patients().size(), [&](std::size_t i) {
    auto evaluation = knead::detail::evaluate(rules, patients()[i], knead::RecommendOptions{});
    benchmark::DoNotOptimize(evaluation);
  });
}
BENCHMARK(BM_NormalizeAndRules);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  try {
    (void)patients();  // read up front: patients knead rejects are counted here, not mid-run
  } catch (const std::exception& e) {
    std::cerr << "knead_engine_bench: " << e.what() << "\n";
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
