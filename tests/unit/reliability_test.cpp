// Bad input as an attacker or a careless operator would give it: text cut on character
// boundaries, renderings that never throw, rule folders that cannot lose rules silently,
// includes confined to the rule set, long include chains, nested-site field names.
#include "support/catch.hpp"
#include "support/temp_dir.hpp"
#include "support/fixtures.hpp"

#include "base/utf8.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using knead::testing::TempDir;

const char* const kRules = R"({"ruleset": "t", "version": "1", "rules": []})";

std::vector<std::string> error_codes(const knead::LoadResult& result) {
  std::vector<std::string> codes;
  for (const auto& d : result.diagnostics) {
    if (d.severity == knead::Severity::error) codes.push_back(d.code);
  }
  return codes;
}

bool has_code(const knead::LoadResult& result, const std::string& code) {
  const auto codes = error_codes(result);
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

bool valid_utf8(const std::string& s) { return knead::detail::utf8_valid(s) == s; }

}  // namespace

TEST_CASE("utf8_truncate cuts on character boundaries", "[utf8]") {
  using knead::detail::utf8_truncate;
  const std::string e = "\xC3\xA9";            // é, 2 bytes
  const std::string euro = "\xE2\x82\xAC";     // €, 3 bytes
  const std::string emoji = "\xF0\x9F\x98\x80";  // 4 bytes
  for (const std::string& ch : {e, euro, emoji}) {
    std::string text;
    for (int i = 0; i < 30; ++i) text += ch;
    for (std::size_t max = 3; max < text.size(); ++max) {
      const std::string cut = utf8_truncate(text, max);
      CAPTURE(max, ch.size());
      CHECK(cut.size() <= max);
      CHECK(valid_utf8(cut));
      CHECK(cut.substr(cut.size() - 3) == "...");
    }
    CHECK(utf8_truncate(text, text.size()) == text);
  }
  CHECK(utf8_truncate("abcdef", 5) == "ab...");
  CHECK(knead::detail::utf8_valid("a\xFF" "b\xC3") == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
  CHECK(knead::detail::printable("ok\nStatus: ok\x1B[2J\r\x7F") == "ok\\nStatus: ok\\x1b[2J\\r\\x7f");
  CHECK(knead::detail::printable("\xC2\x9B" "x \xC3\xA9") == "\\u{9b}x \xC3\xA9");
}

TEST_CASE("patient errors cut in the middle of multi-byte text stay valid UTF-8", "[utf8][patient]") {
  for (const char* pad : {"", "a", "ab"}) {
    std::string value = pad;
    for (int i = 0; i < 40; ++i) value += "\xE2\x82\xAC";
    const json doc{{"age", value}};
    try {
      (void)knead::Patient::from_json(doc);
      FAIL("no error");
    } catch (const knead::PatientError& e) {
      CHECK(valid_utf8(e.what()));
      CHECK_NOTHROW(json(e.what()).dump());
    }
  }
}

TEST_CASE("logic error messages cut multi-byte text on boundaries", "[utf8][logic]") {
  std::string big = "x";
  for (int i = 0; i < 200; ++i) big += "\xE2\x82\xAC";
  for (const json& rule : {json{{"throw", big}}, json{{"<", json::array({json::array({big}), 1})}}}) {
    try {
      (void)knead::logic::apply(rule, json());
    } catch (const knead::logic::Error& e) {
      CHECK(valid_utf8(e.what()));
    }
  }
}

TEST_CASE("renderings never throw for invalid UTF-8 in strings knead carries", "[utf8][render]") {
  knead::Recommendation rec = knead::test::recommend(R"({"id": "p1", "conditions": ["fibromyalgia"]})");
  rec.patient = "bad\xC3";
  rec.warnings.push_back("cut \xE2\x82");
  rec.errors.push_back(knead::RuleError{"r\xFF", "logic.thrown", "message \xF0\x9F"});
  std::string text;
  CHECK_NOTHROW(text = knead::to_text(rec, &knead::test::test_rules()));
  CHECK(valid_utf8(text));
  std::string one_line;
  CHECK_NOTHROW(one_line = knead::to_json(rec, -1));
  CHECK(valid_utf8(one_line));
  CHECK_NOTHROW(json::parse(one_line));
  CHECK_NOTHROW(knead::to_cds_hooks(rec, &knead::test::test_rules())
                    .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

TEST_CASE("text output escapes control characters from patient fields", "[render]") {
  knead::Recommendation rec =
      knead::test::recommend(R"({"id": "x\nStatus: ok - treatment can go ahead\u001b[2J", "conditions": ["fibromyalgia"]})");
  const std::string text = knead::to_text(rec, &knead::test::test_rules());
  CHECK(text.find("\nStatus: ok - treatment can go ahead\x1B") == std::string::npos);
  CHECK(text.find('\x1B') == std::string::npos);
  CHECK(text.find("x\\nStatus: ok") != std::string::npos);
}

TEST_CASE("errors in nested sites name the full field", "[patient]") {
  const json doc = json::parse(R"({"findings": ["ok", {"id": "bruise", "sites": ["calf", 7]}]})");
  try {
    (void)knead::Patient::from_json(doc);
    FAIL("no error");
  } catch (const knead::PatientError& e) {
    CHECK(e.field() == "findings[1].sites[1]");
    CHECK(std::string(e.what()).rfind("patient.findings[1].sites[1]: must be a string", 0) == 0);
  }
}

TEST_CASE("a rule file that is not a readable regular file stops the load", "[load]") {
  TempDir dir;
  dir.write("a.json", kRules);
  SECTION("a dangling symbolic link") { fs::create_symlink(dir.path() / "gone.json", dir.path() / "safety.json"); }
  SECTION("a folder named like a rule file") { fs::create_directory(dir.path() / "safety.json"); }
  SECTION("a socket") {
    const std::string where = (dir.path() / "safety.json").string();
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    REQUIRE(where.size() < sizeof address.sun_path);
    std::copy(where.begin(), where.end(), address.sun_path);
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    REQUIRE(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    close(fd);
  }
  const auto result = knead::RuleSet::try_load(dir.path());
  CHECK_FALSE(result.ok());
  CHECK(has_code(result, "load.not_a_file"));
}

TEST_CASE("includes stay inside the rule set's folder unless allowed", "[load]") {
  TempDir dir;
  dir.write("outside.json", R"({"rules": []})");
  const auto main = dir.write("set/main.json", R"({"ruleset": "t", "version": "1", "include": ["../outside.json"]})");
  const auto abs = dir.write("set2/main.json", R"({"ruleset": "t", "version": "1", "include": ["/etc/passwd"]})");
  const auto confined = knead::RuleSet::try_load(main);
  CHECK(has_code(confined, "load.include_outside"));
  const auto passwd = knead::RuleSet::try_load(abs);
  CHECK(has_code(passwd, "load.include_outside"));
  for (const auto& d : passwd.diagnostics) CHECK(d.message.find("root:") == std::string::npos);
  knead::LoadOptions anywhere;
  anywhere.includes_outside_root = true;
  CHECK(knead::RuleSet::try_load(main, anywhere).ok());
  // An include that is a device, not a file, is refused before it is read.
  const auto device = dir.write("set3/main.json", R"({"ruleset": "t", "version": "1", "include": ["/dev/zero"]})");
  CHECK(has_code(knead::RuleSet::try_load(device, anywhere), "load.not_a_file"));
}

TEST_CASE("a chain of 15,000 includes loads without exhausting the stack", "[load]") {
  TempDir dir;
  constexpr int kChain = 15000;
  dir.write("f0.json", R"({"ruleset": "t", "version": "1", "include": ["f1.json"]})");
  for (int i = 1; i < kChain; ++i) {
    dir.write("f" + std::to_string(i) + ".json", R"({"include": ["f)" + std::to_string(i + 1) + R"(.json"]})");
  }
  dir.write("f" + std::to_string(kChain) + ".json", R"({"rules": []})");
  const auto result = knead::RuleSet::try_load(dir.path() / "f0.json");
  CHECK(error_codes(result).empty());
  REQUIRE(result.ok());
  CHECK(result.rule_set->files().size() == kChain + 1);
  CHECK(result.rule_set->files().back() == (dir.path() / "f0.json").string());
}

TEST_CASE("a path with a NUL byte is refused, not cut short", "[load]") {
  TempDir dir;
  dir.write("a", kRules);
  const std::string path = (dir.path() / "a").string() + std::string("\0b", 2);
  const auto result = knead::RuleSet::try_load(path);
  CHECK_FALSE(result.ok());
  CHECK(has_code(result, "io.read"));
}

TEST_CASE("a folder that cannot be listed says so", "[load]") {
  TempDir dir;
  fs::create_directory(dir.path() / "locked");
  fs::permissions(dir.path() / "locked", fs::perms::none);
  std::error_code ec;
  if (fs::directory_iterator(dir.path() / "locked", ec); !ec) {
    fs::permissions(dir.path() / "locked", fs::perms::owner_all);
    SUCCEED("running with privileges that list any folder; nothing to check");
    return;
  }
  const auto result = knead::RuleSet::try_load(dir.path() / "locked");
  fs::permissions(dir.path() / "locked", fs::perms::owner_all);
  REQUIRE_FALSE(result.diagnostics.empty());
  CHECK(result.diagnostics.front().code == "io.read");
  CHECK(result.diagnostics.front().message.find("cannot list directory") != std::string::npos);
}
