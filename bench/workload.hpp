#pragma once
// The peer benchmark workload, shared by the benchmarks: where it is (KNEAD_BENCH_WORKLOAD at run
// time, else the directory configured at build time) and how its files are read.

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace knead::bench {

inline std::filesystem::path workload_dir() {
  if (const char* env = std::getenv("KNEAD_BENCH_WORKLOAD"); env != nullptr && *env != '\0') return env;
  return KNEAD_BENCH_WORKLOAD_DIR;
}

/// A JSON-lines file, one value per non-empty line.
inline std::vector<nlohmann::json> read_lines(const std::filesystem::path& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

inline nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

}  // namespace knead::bench
