#pragma once
// A fresh directory under the system's temporary directory, removed with everything in it when
// the object goes: for tests that write files (rule folders, batch inputs).

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace knead::testing {

class TempDir {
 public:
  TempDir() {
    // The clock and a counter: unique across processes run together and within one.
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("knead-test-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" +
             std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Writes `content` to `name` (which may name subfolders) inside the directory.
  std::filesystem::path write(const std::string& name, const std::string& content) const {
    const std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace knead::testing
