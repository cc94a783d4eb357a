// Stage 2, load (src/load/loader.hpp): a rule-set text, file or folder in, its documents out in
// load order (each include before the file that includes it), with every problem of reading,
// parsing and including as a diagnostic (io.*, parse.*, limit.*, load.*), never an exception.
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include "load/loader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/stat.h>
#endif

namespace {

namespace fs = std::filesystem;
using knead::Diagnostic;
using knead::ParseLimits;
using knead::detail::load_files;
using knead::detail::load_text;
using knead::detail::LoadedFiles;

using knead::testing::TempDir;

// A rule file whose third line is its include list, so that include problems stand at 3:15 and on.
std::string including(const std::string& name, const std::string& includes) {
  return "{\n  \"ruleset\": \"" + name + "\", \"version\": \"1.0.0\",\n  \"include\": [" + includes +
         "],\n  \"rules\": []\n}\n";
}

std::vector<std::string> files_of(const LoadedFiles& loaded) {
  std::vector<std::string> out;
  for (const auto& d : loaded.documents) out.push_back(fs::path(d.file()).filename().string());
  return out;
}

std::string listed(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

const Diagnostic& only(const LoadedFiles& loaded) {
  INFO(listed(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 1);
  return loaded.diagnostics.front();
}

}  // namespace

TEST_CASE("load: a rule set in one text is one document, named as given", "[load]") {
  const LoadedFiles loaded = load_text(R"({"ruleset": "one", "version": "1.0.0", "rules": []})", "inline.json", {});
  CHECK(loaded.diagnostics.empty());
  REQUIRE(loaded.documents.size() == 1);
  CHECK(loaded.documents[0].file() == "inline.json");
  CHECK(loaded.documents[0].root().at("ruleset") == "one");
  CHECK(loaded.documents[0].locate("/rules").to_string() == "inline.json:1:49");
}

TEST_CASE("load: broken text is a parse diagnostic with its line and column, not an exception", "[load]") {
  const LoadedFiles loaded = load_text("{\n  \"rules\": [1, 2\n}\n", "broken.json", {});
  CHECK(loaded.documents.empty());
  const Diagnostic& d = only(loaded);
  CHECK(d.code == "parse.syntax");
  CHECK(d.location.file == "broken.json");
  CHECK(d.location.line == 3);
  CHECK(d.location.column == 1);

  const LoadedFiles twice = load_text("{\"rules\": [],\n \"rules\": []}", "twice.json", {});
  CHECK(only(twice).code == "parse.duplicate_key");
  CHECK(only(twice).location.line == 2);
}

TEST_CASE("load: an include in a text is an error at the include, the document is still read", "[load]") {
  const LoadedFiles loaded = load_text(including("text", R"("other.json")"), "text.json", {});
  REQUIRE(loaded.documents.size() == 1);
  const Diagnostic& d = only(loaded);
  CHECK(d.code == "load.include_unsupported");
  CHECK(d.message == "'include' needs a rule set loaded from a file");
  CHECK(d.pointer == "/include");
  CHECK(d.location.to_string() == "text.json:3:14");
}

TEST_CASE("load: the parse limits bound every document", "[load]") {
  ParseLimits shallow;
  shallow.max_depth = 3;
  const LoadedFiles deep = load_text(R"({"rules": [{"when": {"and": [true]}}]})", "deep.json", shallow);
  CHECK(deep.documents.empty());
  CHECK(only(deep).code == "limit.depth");
  CHECK(only(deep).location.file == "deep.json");

  ParseLimits small;
  small.max_bytes = 16;
  const LoadedFiles big = load_text(R"({"ruleset": "far too long for sixteen bytes"})", "big.json", small);
  CHECK(big.documents.empty());
  CHECK(only(big).code == "limit.size");

  // In a folder the limit applies to each file: the others are still loaded.
  TempDir dir;
  (void)dir.write("a.json", R"({"rules": []})");
  (void)dir.write("b.json", R"({"rules": [{"when": {"and": [true]}}]})");
  const LoadedFiles folder = load_files(dir.path(), shallow);
  CHECK(files_of(folder) == std::vector<std::string>{"a.json"});
  CHECK(only(folder).code == "limit.depth");
  CHECK(only(folder).location.file == (dir.path() / "b.json").string());
}

TEST_CASE("load: a folder is its rule files in name order, each include before its includer, once", "[load]") {
  TempDir dir;
  (void)dir.write("ruleset.json", including("main", R"("parts/concepts.json", "parts/shared.json")"));
  (void)dir.write("safety.json", including("safety", R"("parts/shared.json")"));
  (void)dir.write("parts/concepts.json", R"({"concepts": {}})");
  (void)dir.write("parts/shared.json", R"({"rules": []})");
  (void)dir.write("knead.ruleset.schema.json", R"({"$schema": "not a rule file"})");
  (void)dir.write("README.md", "not json at all");

  const LoadedFiles loaded = load_files(dir.path(), {});
  INFO(listed(loaded.diagnostics));
  CHECK(loaded.diagnostics.empty());
  // Subfolders are read only through includes; schemas and other files are not rule files.
  CHECK(files_of(loaded) == std::vector<std::string>{"concepts.json", "shared.json", "ruleset.json", "safety.json"});
  CHECK(loaded.documents[2].file() == (dir.path() / "ruleset.json").string());
}

TEST_CASE("load: an included folder stands for its rule files, an empty one is reported", "[load]") {
  TempDir dir;
  const fs::path root = dir.write("ruleset.json", including("main", R"("parts", "empty")"));
  (void)dir.write("parts/b.json", R"({"rules": []})");
  (void)dir.write("parts/a.json", R"({"rules": []})");
  fs::create_directories(dir.path() / "empty");

  const LoadedFiles loaded = load_files(root, {});
  CHECK(files_of(loaded) == std::vector<std::string>{"a.json", "b.json", "ruleset.json"});
  const Diagnostic& d = only(loaded);
  CHECK(d.code == "load.empty");
  CHECK(d.message == "included folder 'empty' has no rule files (*.json)");
  CHECK(d.pointer == "/include/1");
  CHECK(d.location.to_string() == root.string() + ":3:24");
}

TEST_CASE("load: a missing include is an error at its entry, the rest still loads", "[load]") {
  TempDir dir;
  const fs::path root = dir.write("ruleset.json", including("main", R"("there.json", "missing.json")"));
  (void)dir.write("there.json", R"({"rules": []})");

  const LoadedFiles loaded = load_files(root, {});
  CHECK(files_of(loaded) == std::vector<std::string>{"there.json", "ruleset.json"});
  const Diagnostic& d = only(loaded);
  CHECK(d.code == "load.include_missing");
  CHECK(d.message ==
        "included file 'missing.json' does not exist (looked for " + (dir.path() / "missing.json").string() + ")");
  CHECK(d.pointer == "/include/1");
  CHECK(d.location.file == root.string());
  CHECK(d.location.line == 3);
  CHECK(d.location.column == 29);
}

TEST_CASE("load: an include may not leave the rule set's folder unless allowed", "[load]") {
  TempDir dir;
  (void)dir.write("outside.json", R"({"rules": []})");
  const fs::path root = dir.write("set/ruleset.json", including("main", R"("../outside.json")"));

  const LoadedFiles kept_in = load_files(root, {});
  CHECK(files_of(kept_in) == std::vector<std::string>{"ruleset.json"});
  const Diagnostic& d = only(kept_in);
  CHECK(d.code == "load.include_outside");
  CHECK(d.message ==
        "included file '../outside.json' is outside the rule set's folder " + (dir.path() / "set").string());
  CHECK(d.pointer == "/include/0");
  CHECK(d.location.to_string() == root.string() + ":3:15");

  // The same from the folder, and through a symbolic link that points out of it.
  fs::create_symlink(dir.path() / "outside.json", dir.path() / "set" / "link.json");
  (void)dir.write("set/ruleset.json", including("main", R"("link.json")"));
  const LoadedFiles linked = load_files(dir.path() / "set", {});
  std::vector<std::string> codes;
  for (const auto& e : linked.diagnostics) codes.push_back(e.code);
  // The link itself, listed in the folder, is a rule file of the set; included, it is outside.
  CHECK(codes == std::vector<std::string>{"load.include_outside"});

  const LoadedFiles anywhere = load_files(root, {}, /*includes_anywhere=*/true);
  CHECK(anywhere.diagnostics.empty());
  CHECK(files_of(anywhere) == std::vector<std::string>{"link.json", "ruleset.json"});
}

TEST_CASE("load: an include cycle is reported once, at the include that closes it", "[load]") {
  TempDir dir;
  const fs::path a = dir.write("a.json", including("a", R"("b.json")"));
  const fs::path b = dir.write("b.json", including("b", R"("a.json")"));

  const LoadedFiles loaded = load_files(a, {});
  CHECK(files_of(loaded) == std::vector<std::string>{"b.json", "a.json"});
  const Diagnostic& d = only(loaded);
  CHECK(d.code == "load.include_cycle");
  CHECK(d.message == "include cycle: " + a.string() + " -> " + b.string() + " -> " + a.string());
  CHECK(d.pointer == "/include/0");
  CHECK(d.location.to_string() == b.string() + ":3:15");

  // A file that includes itself is a cycle too.
  const fs::path self = dir.write("self.json", including("self", R"("self.json")"));
  const LoadedFiles looped = load_files(self, {});
  CHECK(only(looped).code == "load.include_cycle");
  CHECK(only(looped).location.to_string() == self.string() + ":3:15");
}

TEST_CASE("load: what is not a regular file is an error, never read or skipped", "[load]") {
  TempDir dir;
  SECTION("a folder named like a rule file, in the rule set's folder") {
    (void)dir.write("ruleset.json", R"({"rules": []})");
    fs::create_directories(dir.path() / "odd.json");
    const LoadedFiles loaded = load_files(dir.path(), {});
    CHECK(files_of(loaded) == std::vector<std::string>{"ruleset.json"});
    const Diagnostic& d = only(loaded);
    CHECK(d.code == "load.not_a_file");
    CHECK(d.message == "'" + (dir.path() / "odd.json").string() +
                           "' is not a readable regular file (a folder, socket, pipe or device)");
    CHECK(d.location.file == (dir.path() / "odd.json").string());
    CHECK_FALSE(d.location.known());
  }
  SECTION("a dangling symbolic link in the rule set's folder") {
    (void)dir.write("ruleset.json", R"({"rules": []})");
    fs::create_symlink(dir.path() / "gone.json", dir.path() / "safety.json");
    const LoadedFiles loaded = load_files(dir.path(), {});
    const Diagnostic& d = only(loaded);
    CHECK(d.code == "load.not_a_file");
    CHECK(d.message == "'" + (dir.path() / "safety.json").string() +
                           "' is not a readable regular file (a symbolic link to nothing readable)");
  }
#if defined(__unix__) || defined(__APPLE__)
  SECTION("an included pipe, which would block the load") {
    const fs::path root = dir.write("ruleset.json", including("main", R"("pipe.json")"));
    REQUIRE(::mkfifo((dir.path() / "pipe.json").c_str(), 0600) == 0);
    const LoadedFiles loaded = load_files(root, {});
    CHECK(files_of(loaded) == std::vector<std::string>{"ruleset.json"});
    const Diagnostic& d = only(loaded);
    CHECK(d.code == "load.not_a_file");
    CHECK(d.message == "included file 'pipe.json' is not a regular file (" + (dir.path() / "pipe.json").string() + ")");
    CHECK(d.location.to_string() == root.string() + ":3:15");
  }
#endif
}

TEST_CASE("load: a path that cannot be read is one diagnostic naming it", "[load]") {
  TempDir dir;
  SECTION("a missing file") {
    const LoadedFiles loaded = load_files(dir.path() / "nothing.json", {});
    CHECK(loaded.documents.empty());
    CHECK(only(loaded).code == "io.read");
    CHECK(only(loaded).location.file == (dir.path() / "nothing.json").string());
  }
  SECTION("a folder with no rule files") {
    (void)dir.write("notes.txt", "{}");
    const LoadedFiles loaded = load_files(dir.path(), {});
    CHECK(loaded.documents.empty());
    CHECK(only(loaded).code == "load.empty");
    CHECK(only(loaded).message == "no rule files (*.json) in directory '" + dir.path().string() + "'");
  }
  SECTION("a path with a NUL byte, which must not load the file before it") {
    (void)dir.write("a", R"({"rules": []})");
    const std::string path = (dir.path() / "a").string() + std::string(1, '\0') + "b";
    const LoadedFiles loaded = load_files(fs::path(path), {});
    CHECK(loaded.documents.empty());
    CHECK(only(loaded).code == "io.read");
    CHECK(only(loaded).message == "cannot read '" + (dir.path() / "a").string() + "?b': the path contains a NUL byte");
  }
}

TEST_CASE("load: the shipped rules folder loads every rule file once, in name order, without a problem", "[load]") {
  const fs::path folder = fs::path(KNEAD_SOURCE_DIR) / "rules";
  std::vector<std::string> expected;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    const bool schema = name.size() > 12 && name.compare(name.size() - 12, 12, ".schema.json") == 0;
    if (entry.path().extension() == ".json" && !schema) expected.push_back(name);
  }
  std::sort(expected.begin(), expected.end());
  REQUIRE(expected.size() > 5);

  const LoadedFiles loaded = load_files(folder, {});
  INFO(listed(loaded.diagnostics));
  CHECK(loaded.diagnostics.empty());
  CHECK(files_of(loaded) == expected);
}
