#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <knead/document.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <random>
#include <string>
#include <system_error>
#include <vector>

using knead::Document;
using knead::ParseError;
using knead::ParseLimits;

namespace {

// Line and column of a value, as "line:col", for compact checks.
std::string at(const Document& doc, std::string_view pointer) {
  const knead::SourceLocation loc = doc.locate(pointer);
  return std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

std::string key_at(const Document& doc, std::string_view pointer) {
  const knead::SourceLocation loc = doc.locate_key(pointer);
  return std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

// The diagnostic Document::parse throws for `text` (fails the test when it parses).
knead::Diagnostic parse_failure(std::string_view text, const ParseLimits& limits = {}, std::string file = "t.json") {
  try {
    (void)Document::parse(text, std::move(file), limits);
  } catch (const ParseError& e) {
    CHECK(e.code() == e.diagnostic().code);
    CHECK(std::string(e.what()) == e.diagnostic().to_string());
    return e.diagnostic();
  }
  FAIL("parsed without error: " << text);
  return {};
}

using knead::testing::TempDir;

}  // namespace

TEST_CASE("A document remembers the line and column of nested values", "[parse]") {
  const std::string text =
      "{\n"
      "  \"ruleset\": \"core\",\n"
      "  \"rules\": [\n"
      "    {\"id\": \"a\", \"when\": {\"and\": [true, {\"var\": \"age\"}]}},\n"
      "    {\"id\": \"b\", \"n\": -12.5e1}\n"
      "  ]\n"
      "}\n";
  const Document doc = Document::parse(text, "rules/core.json");

  CHECK(doc.file() == "rules/core.json");
  CHECK(doc.root() == nlohmann::json::parse(text));
  CHECK(at(doc, "") == "1:1");
  CHECK(at(doc, "/ruleset") == "2:14");
  CHECK(at(doc, "/rules") == "3:12");
  CHECK(at(doc, "/rules/0") == "4:5");
  CHECK(at(doc, "/rules/0/id") == "4:12");
  CHECK(at(doc, "/rules/0/when") == "4:25");
  CHECK(at(doc, "/rules/0/when/and") == "4:33");
  CHECK(at(doc, "/rules/0/when/and/0") == "4:34");
  CHECK(at(doc, "/rules/0/when/and/1") == "4:40");
  CHECK(at(doc, "/rules/0/when/and/1/var") == "4:48");
  CHECK(at(doc, "/rules/1") == "5:5");
  CHECK(at(doc, "/rules/1/n") == "5:22");

  const knead::SourceLocation loc = doc.locate("/ruleset");
  CHECK(loc.file == "rules/core.json");
  CHECK(loc.offset == 15);
  CHECK(text.substr(loc.offset, 6) == "\"core\"");
  CHECK(loc.to_string() == "rules/core.json:2:14");
}

TEST_CASE("Columns count bytes, past escapes and multi-byte UTF-8 earlier on the line", "[parse]") {
  // "k" holds é as two raw bytes, then \u00e9, \" and \\ escapes.
  const std::string text = "{\"k\": \"\xC3\xA9\\u00e9\\\"\\\\\", \"n\": 1}";
  const Document doc = Document::parse(text, "u.json");
  CHECK(doc.root()["k"] == "\xC3\xA9\xC3\xA9\"\\");
  CHECK(at(doc, "/k") == "1:7");
  CHECK(at(doc, "/n") == "1:28");
  CHECK(doc.locate("/n").offset == 27);
}

TEST_CASE("CRLF line endings and tabs give lines by LF and columns by byte", "[parse]") {
  const Document doc = Document::parse("{\r\n\t\"a\":\t[1,\r\n\t\t2]\r\n}\r\n", "crlf.json");
  CHECK(at(doc, "/a") == "2:7");
  CHECK(at(doc, "/a/0") == "2:8");
  CHECK(at(doc, "/a/1") == "3:3");
}

TEST_CASE("Pointer tokens escape '~' as ~0 and '/' as ~1", "[parse]") {
  CHECK(knead::pointer_escape("plain") == "plain");
  CHECK(knead::pointer_escape("a/b") == "a~1b");
  CHECK(knead::pointer_escape("m~n") == "m~0n");
  CHECK(knead::pointer_escape("~/") == "~0~1");
  CHECK(knead::pointer_escape("~1") == "~01");
  CHECK(knead::pointer_escape("") == "");

  const Document doc = Document::parse(R"({"a/b": {"m~n": [10, 20]}, "a": {"b": 0}})", "p.json");
  CHECK(at(doc, "/a~1b") == "1:9");
  CHECK(at(doc, "/a~1b/m~0n") == "1:17");
  CHECK(at(doc, "/a~1b/m~0n/1") == "1:22");
  CHECK(at(doc, "/a") == "1:33");
  CHECK(at(doc, "/a/b") == "1:39");
  CHECK(at(doc, "/" + knead::pointer_escape("a/b") + "/" + knead::pointer_escape("m~n")) == "1:17");
}

TEST_CASE("A pointer that names no value locates its nearest existing ancestor", "[parse]") {
  const Document doc = Document::parse(R"({"a/b": {"m~n": [10, 20]}, "a": {"b": 0}})", "p.json");
  CHECK(at(doc, "/a~1b/m~0n/2") == "1:17");   // past the end
  CHECK(at(doc, "/a~1b/m~0n/-") == "1:17");   // "-" names no element
  CHECK(at(doc, "/a~1b/m~0n/01") == "1:17");  // leading zero is not an index
  CHECK(at(doc, "/a~1b/zz/1") == "1:9");
  CHECK(at(doc, "/a/b/c") == "1:39");  // below a scalar
  CHECK(at(doc, "/a~2") == "1:1");     // bad escape
  CHECK(at(doc, "/") == "1:1");        // the key "" does not exist here
  CHECK(at(doc, "not-a-pointer") == "1:1");

  const Document empty_key = Document::parse(R"({"": 5})", "e.json");
  CHECK(at(empty_key, "/") == "1:6");
}

TEST_CASE("locate_key points at the key of an object member", "[parse]") {
  const Document doc = Document::parse("{\"a/b\": {\"m~n\": [10, 20]},\n \"z\": 1}", "p.json");
  CHECK(key_at(doc, "/a~1b/m~0n") == "1:10");
  CHECK(key_at(doc, "/z") == "2:2");
  CHECK(key_at(doc, "/a~1b/m~0n/1") == at(doc, "/a~1b/m~0n/1"));  // array elements have no key
  CHECK(key_at(doc, "/missing") == "1:1");
  CHECK(key_at(doc, "") == "1:1");
}

TEST_CASE("Numbers keep nlohmann's types", "[parse]") {
  const std::string text =
      "[1, -1, 18446744073709551615, 1.5, 1e2, -0, 9223372036854775807, -9223372036854775808, 0.1]";
  const Document doc = Document::parse(text, "n.json");
  const nlohmann::json plain = nlohmann::json::parse(text);
  REQUIRE(doc.root().size() == plain.size());
  for (std::size_t i = 0; i < plain.size(); ++i) {
    CAPTURE(i);
    CHECK(doc.root()[i].type() == plain[i].type());
    CHECK(doc.root()[i] == plain[i]);
  }
  CHECK(doc.root()[0].is_number_unsigned());
  CHECK(doc.root()[1].is_number_integer());
  CHECK_FALSE(doc.root()[1].is_number_unsigned());
  CHECK(doc.root()[2].get<std::uint64_t>() == 18446744073709551615ULL);
  CHECK(doc.root()[4].is_number_float());
}

TEST_CASE("Scalars, empty containers and the whole rule file parse like nlohmann", "[parse]") {
  for (const std::string text : {"0", "\"s\"", "true", "null", "[]", "{}", " [ [ ] , { } ] ", "{\"a\":{\"b\":[{}]}}"}) {
    CAPTURE(text);
    CHECK(Document::parse(text, "s.json").root() == nlohmann::json::parse(text));
  }
  CHECK(at(Document::parse("  \n  42", "s.json"), "") == "2:3");
  // A view into a larger buffer: nothing past its end is read.
  const std::string buffer = "[1]xyz";
  CHECK(Document::parse(std::string_view(buffer).substr(0, 3), "v.json").root() == nlohmann::json::array({1}));
}

TEST_CASE("A UTF-8 byte order mark is skipped and not counted in columns", "[parse]") {
  const Document doc = Document::parse("\xEF\xBB\xBF{\"a\": 1}", "bom.json");
  CHECK(doc.root() == nlohmann::json{{"a", 1}});
  CHECK(at(doc, "") == "1:1");
  CHECK(doc.locate("").offset == 3);
  CHECK(at(doc, "/a") == "1:7");
  CHECK(doc.locate("/a").offset == 9);

  const knead::Diagnostic after_bom = parse_failure("\xEF\xBB\xBF[1,]");
  CHECK(after_bom.message == "trailing comma before ']' (JSON allows none); remove the comma");
  CHECK(after_bom.location.column == 3);

  const knead::Diagnostic broken = parse_failure("\xEF\xBB[]");
  CHECK(broken.message == "invalid byte order mark");
  CHECK(broken.location.to_string() == "t.json:1:1");
}

TEST_CASE("Syntax errors are parse.syntax with a short message at the right line and column", "[parse]") {
  struct Case {
    std::string text;
    std::size_t line;
    std::size_t column;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"}", 1, 1, "unexpected '}'; expected a value"},
      {"[1,}", 1, 4, "unexpected '}'; expected a value"},
      {"{\n  \"a\": 1,\n  \"b\": }", 3, 8, "unexpected '}'; expected a value"},
      {"[1 2]", 1, 4, "unexpected number; expected ',' or ']'"},
      {"{\"a\" \"b\"}", 1, 6, "unexpected string; expected ':'"},
      {"{\"a\": 1 \"b\": 2}", 1, 9, "unexpected string; expected ',' or '}'"},
      {"{\"a\":1,}", 1, 7, "trailing comma before '}' (JSON allows none); remove the comma"},
      {"[1,\n  2 ,\n]", 2, 5, "trailing comma before ']' (JSON allows none); remove the comma"},
      {"{\n  // a note\n  \"a\": 1}", 2, 3,
       "comments ('//') are not allowed in JSON; remove it, or say it in a \"description\" or \"note\" field"},
      {"[1, /* x */ 2]", 1, 5,
       "comments ('/*') are not allowed in JSON; remove it, or say it in a \"description\" or \"note\" field"},
      {"{1:2}", 1, 2, "unexpected number; expected a string key"},
      {"[tru]", 1, 2, "invalid literal"},
      {"[truex]", 1, 2, "invalid literal"},
      {"[1,\n  @]", 2, 3, "unexpected character '@'"},
      {"[\xC3\xA9]", 1, 2, "unexpected character '\xC3\xA9'"},
      {"[\x01]", 1, 2, "unexpected control character U+0001"},
      {"\"abc", 1, 1, "unterminated string"},
      {"[\"a\nb\"]", 1, 4, "invalid string: control character U+000A (LF) must be escaped to \\u000A or \\n"},
      {"[\"\\x\"]", 1, 4, "invalid string: forbidden character after backslash"},
      {"[-a]", 1, 3, "invalid number; expected digit after '-'"},
      {"[1.]", 1, 4, "invalid number; expected digit after '.'"},
      {"[01]", 1, 2, "invalid number: leading zero"},
      {"[1e400]", 1, 2, "number out of range"},
      {"{\"a\": 1", 1, 8, "unexpected end of input; expected ',' or '}'"},
      {"{\n  \"a\": [\n\n", 2, 9, "unexpected end of input; expected a value"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const knead::Diagnostic d = parse_failure(c.text);
    CHECK(d.code == "parse.syntax");
    CHECK(d.message == c.message);
    CHECK(d.location.file == "t.json");
    CHECK(d.location.line == c.line);
    CHECK(d.location.column == c.column);
    CHECK(d.pointer.empty());
    CHECK(d.message.find("json.exception") == std::string::npos);
  }
  // nlohmann's lexer takes NUL for the end of the input; knead names it.
  const knead::Diagnostic nul = parse_failure(std::string("[1,\0]", 5));
  CHECK(nul.message == "unexpected NUL byte");
  CHECK(nul.location.column == 4);

  CHECK(parse_failure("[1,\n 2,\n }", {}, "rules/x.json").to_string() ==
        "rules/x.json:3:2: error: unexpected '}'; expected a value");
}

TEST_CASE("Empty input is an empty document", "[parse]") {
  for (const std::string text : {"", "  \n\t \r\n", "\xEF\xBB\xBF"}) {
    CAPTURE(text);
    const knead::Diagnostic d = parse_failure(text, {}, "e.json");
    CHECK(d.code == "parse.syntax");
    CHECK(d.to_string() == "e.json:1:1: error: empty document");
  }
}

TEST_CASE("Anything after the document is a syntax error", "[parse]") {
  CHECK(parse_failure("[1] ]").message == "unexpected ']' after the document");
  CHECK(parse_failure("{} {}").location.column == 4);
  CHECK(parse_failure("\"a\" \"b\"").message == "unexpected string after the document");
  const knead::Diagnostic garbage = parse_failure("[1]\n  x");
  CHECK(garbage.message == "unexpected character 'x' after the document");
  CHECK(garbage.location.line == 2);
  CHECK(garbage.location.column == 3);
  // nlohmann stops at a NUL byte; knead does not let it hide what follows.
  const knead::Diagnostic nul = parse_failure(std::string("[1]\0x", 5));
  CHECK(nul.message == "unexpected NUL byte after the document");
  CHECK(nul.location.column == 4);
}

TEST_CASE("Invalid UTF-8 is a syntax error at its first byte", "[parse]") {
  const knead::Diagnostic in_string = parse_failure("[\"ok\", \"\xC3(\"]");
  CHECK(in_string.message == "invalid UTF-8 in string");
  CHECK(in_string.location.column == 9);
  CHECK(parse_failure("[\"\xF0\x9F\x98\"]").location.column == 3);                  // truncated 4-byte sequence
  CHECK(parse_failure("[\"\xED\xA0\x80\"]").message == "invalid UTF-8 in string");  // encoded surrogate
  const knead::Diagnostic outside = parse_failure("[\xFF]");
  CHECK(outside.message == "invalid UTF-8 byte 0xFF");
  CHECK(outside.location.column == 2);
}

TEST_CASE("An object naming a key twice is parse.duplicate_key at the second", "[parse]") {
  const std::string text =
      "{\n"
      "  \"rules\": [\n"
      "    {\"id\": \"a\", \"title\": \"x\",\n"
      "     \"id\": \"b\"}\n"
      "  ]\n"
      "}\n";
  const knead::Diagnostic d = parse_failure(text, {}, "d.json");
  CHECK(d.code == "parse.duplicate_key");
  CHECK(d.message == "duplicate key 'id' (first at line 3, column 6)");
  CHECK(d.pointer == "/rules/0/id");
  CHECK(d.to_string() == "d.json:4:6: error: duplicate key 'id' (first at line 3, column 6) [/rules/0/id]");

  SECTION("keys are compared after unescaping") {
    const knead::Diagnostic escaped = parse_failure(R"({"a": 1, "\u0061": 2})");
    CHECK(escaped.message == "duplicate key 'a' (first at line 1, column 2)");
    CHECK(escaped.location.column == 10);
  }
  SECTION("the pointer escapes the keys on the way") {
    CHECK(parse_failure(R"({"x/y": {"k": 1, "k~": 2, "k": 3}})").pointer == "/x~1y/k");
  }
  SECTION("the same key in different objects is fine") {
    CHECK(Document::parse(R"([{"a": 1}, {"a": 2}, {"a": {"a": 3}}])", "ok.json").root().size() == 3);
  }
}

TEST_CASE("Nesting deeper than max_depth is limit.depth at the first container too deep", "[parse]") {
  ParseLimits limits;
  limits.max_depth = 3;
  CHECK(Document::parse("[[[1]]]", "ok.json", limits).root() == nlohmann::json::parse("[[[1]]]"));

  const knead::Diagnostic arrays = parse_failure("[[[[1]]]]", limits);
  CHECK(arrays.code == "limit.depth");
  CHECK(arrays.message == "nesting deeper than the limit of 3 levels");
  CHECK(arrays.location.column == 4);
  CHECK(arrays.pointer == "/0/0/0");

  const knead::Diagnostic objects = parse_failure(R"({"a": {"b": {"c": {}}}})", limits);
  CHECK(objects.code == "limit.depth");
  CHECK(objects.location.column == 19);
  CHECK(objects.pointer == "/a/b/c");

  SECTION("the default limit is 128 levels") {
    CHECK_NOTHROW(Document::parse(std::string(128, '[') + std::string(128, ']'), "ok.json"));
    CHECK(parse_failure(std::string(129, '[') + std::string(129, ']')).code == "limit.depth");
  }
}

TEST_CASE("Ten million nested brackets fail quickly with limit.depth", "[parse]") {
  const std::string text(10'000'000, '[');
  const auto start = std::chrono::steady_clock::now();
  const knead::Diagnostic d = parse_failure(text);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(d.code == "limit.depth");
  CHECK(d.location.column == 129);
  CHECK(elapsed < std::chrono::seconds(5));
}

TEST_CASE("Deep nesting allowed by the limits parses and is destroyed without recursion", "[parse]") {
  ParseLimits limits;
  limits.max_depth = 200'000;
  const std::size_t depth = 100'000;
  const Document doc = Document::parse(std::string(depth, '[') + std::string(depth, ']'), "deep.json", limits);
  std::string pointer;
  for (std::size_t i = 1; i < depth; ++i) pointer += "/0";
  CHECK(doc.locate(pointer).column == depth);
  CHECK(doc.locate(pointer + "/0").column == depth);  // no such element: its parent
}

TEST_CASE("Text larger than max_bytes is limit.size", "[parse]") {
  ParseLimits limits;
  limits.max_bytes = 10;
  CHECK_NOTHROW(Document::parse("[1,2,3,45]", "ok.json", limits));
  const knead::Diagnostic d = parse_failure("[1,2,3,456]", limits, "big.json");
  CHECK(d.code == "limit.size");
  CHECK(d.to_string() == "big.json: error: document is larger than the limit of 10 bytes");
}

TEST_CASE("load reads a file and names it in locations", "[parse]") {
  const TempDir dir;
  const std::filesystem::path file = dir.write("rules.json", "{\n  \"a\": [1, 2]\n}\n");
  const Document doc = Document::load(file);
  CHECK(doc.file() == file.string());
  CHECK(doc.locate("/a/1").to_string() == file.string() + ":2:12");

  const std::filesystem::path broken = dir.write("broken.json", "{\n  \"a\": [1, 2\n}\n");
  try {
    (void)Document::load(broken);
    FAIL("loaded a broken file");
  } catch (const ParseError& e) {
    CHECK(e.code() == "parse.syntax");
    CHECK(e.diagnostic().location.to_string() == broken.string() + ":3:1");
  }
}

TEST_CASE("load reports a file it cannot read as io.read with the path and the reason", "[parse]") {
  const TempDir dir;
  SECTION("a missing file") {
    const std::filesystem::path missing = dir.path() / "missing.json";
    try {
      (void)Document::load(missing);
      FAIL("loaded a missing file");
    } catch (const ParseError& e) {
      CHECK(e.code() == "io.read");
      CHECK(e.diagnostic().message == "cannot read '" + missing.string() +
                                          "': " + std::make_error_code(std::errc::no_such_file_or_directory).message());
      CHECK(e.diagnostic().location.file == missing.string());
      CHECK_FALSE(e.diagnostic().location.known());
    }
  }
  SECTION("a directory") {
    try {
      (void)Document::load(dir.path());
      FAIL("loaded a directory");
    } catch (const ParseError& e) {
      CHECK(e.code() == "io.read");
      CHECK(e.diagnostic().message ==
            "cannot read '" + dir.path().string() + "': " + std::make_error_code(std::errc::is_a_directory).message());
    }
  }
  SECTION("a file larger than max_bytes is limit.size, without parsing it") {
    ParseLimits limits;
    limits.max_bytes = 4;
    const std::filesystem::path big = dir.write("big.json", "[1, 2]");
    try {
      (void)Document::load(big, limits);
      FAIL("loaded a file over the limit");
    } catch (const ParseError& e) {
      CHECK(e.code() == "limit.size");
      CHECK(e.diagnostic().location.file == big.string());
    }
  }
}

TEST_CASE("Copies of a document share its data", "[parse]") {
  const Document a = Document::parse(R"({"x": [1]})", "c.json");
  const Document b = a;  // NOLINT(performance-unnecessary-copy-initialization): the point of the test
  CHECK(&a.root() == &b.root());
  CHECK(b.locate("/x/0").to_string() == "c.json:1:8");
}

TEST_CASE("parse_value gives the value parse gives, and the same error where parse rejects the text", "[parse]") {
  const ParseLimits small{4, 64};
  // Accepted: the same value, types included.
  for (const std::string text : {"0", "-7", "18446744073709551615", "1.5e3", "\"s\\u00e9\"", "true", "null", "[]", "{}",
                                 "\xEF\xBB\xBF{\"a\": [1, {\"b\": null}]}", " [ [ ] , { } ] ", "[[[[]]]]",
                                 // Strings read in one copy, and those with escapes or bytes above ASCII.
                                 "[\"\", \"a\", \"plain text longer than sixteen bytes\", \"\x7F\"]",
                                 "{\"k\\\"ey\": \"line\\nbreak\", \"caf\xC3\xA9\": \"\xE2\x82\xAC 5\"}",
                                 "[\"a sixteen+ byte run, then an escape \\/ here\"]"}) {
    CAPTURE(text);
    const nlohmann::json plain = Document::parse_value(text, "v.json", small);
    const nlohmann::json located = Document::parse(text, "v.json", small).root();
    CHECK(plain == located);
    CHECK(plain.type() == located.type());
    CHECK(plain == nlohmann::json::parse(text));
  }
  // The plain parse's numbers and layout (larger texts than the small limits allow): whole
  // numbers up to 18 digits are read without nlohmann's lexer, the others by it.
  for (const std::string& text : std::vector<std::string>{
           "[-0, 0, -12, 7, 123456789012345678, -123456789012345678]",
           "[1234567890123456789, -9223372036854775808, 18446744073709551616, 0.5, 1E2, -1e-2]",
           "[-0.0, 0.1, 6.5, 1.5e+300, 2.2250738585072014e-308, 4.9e-324, 1e-400, 123456.789e-3, 0e0]",
           "\t\r\n{ \"b\" : [ true , false , null ] , \"a\" : { } , \"\" : [ [ ] ] }\r\n",
           R"({"id":"p1","age":33,"pain":{"intensity":5,"locations":["neck"]},"x":[{"y":[1]}]})",
           // Deeper than the plain parse recurses: read by nlohmann's parser.
           std::string(40, '[') + "\"deep\"" + std::string(40, ']')}) {
    CAPTURE(text);
    const nlohmann::json plain = Document::parse_value(text, "v.json");
    const nlohmann::json expected = nlohmann::json::parse(text);
    CHECK(plain == expected);
    CHECK(plain.dump() == expected.dump());
    const auto same_types = [](const nlohmann::json& a, const nlohmann::json& b, auto& self) -> bool {
      if (a.type() != b.type() || a.size() != b.size()) return false;
      if (a.is_array()) {
        for (std::size_t i = 0; i < a.size(); ++i) {
          if (!self(a[i], b[i], self)) return false;
        }
      } else if (a.is_object()) {
        for (const auto& [key, value] : a.items()) {
          if (!b.contains(key) || !self(value, b.at(key), self)) return false;
        }
      }
      return true;
    };
    CHECK(same_types(plain, expected, same_types));
  }
  // UTF-8 in strings: what parse_value accepts (and the value it gives) is what nlohmann
  // accepts, for every pair of bytes from 0x80 and the edges of every longer sequence.
  const auto same_as_nlohmann = [](const std::string& text) {
    CAPTURE(text);
    bool accepted = true;
    nlohmann::json expected;
    try {
      expected = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error&) {
      accepted = false;
    }
    try {
      const nlohmann::json plain = Document::parse_value(text, "v.json");
      CHECK(accepted);
      CHECK(plain == expected);
    } catch (const ParseError&) {
      CHECK_FALSE(accepted);
    }
  };
  for (unsigned first = 0x80; first <= 0xFF; ++first) {
    for (unsigned second = 0; second <= 0xFF; ++second) {
      if (second == '"' || second == '\\' || second == 0) continue;
      same_as_nlohmann(std::string("{\"k\xC3\xA9y\": [\"a") + static_cast<char>(first) + static_cast<char>(second) +
                       "z\"]}");
    }
  }
  const std::vector<unsigned> edges = {0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0};
  for (unsigned first = 0xE0; first <= 0xF5; ++first) {
    for (const unsigned b1 : edges) {
      for (const unsigned b2 : edges) {
        const std::string three = {static_cast<char>(first), static_cast<char>(b1), static_cast<char>(b2)};
        same_as_nlohmann("\"" + three + "\"");
        same_as_nlohmann("\"" + three);  // no closing quote
        for (const unsigned b3 : edges) same_as_nlohmann("[\"" + three + static_cast<char>(b3) + "\"]");
      }
    }
  }
  // Rejected by the plain parse and by every other: the located parse's diagnostic.
  for (const std::string& text : std::vector<std::string>{
           // Grammar.
           "01", "-", "[1,]", "[-]", "{\"a\" 1}", "[tru]", "nul", "{\"a\":1 \"b\":2}", "{\"a\": 1}}", "[\"a\",",
           "{\"a\": [1 }", "{,}", "{\"a\":}", "[1]]", "[\"\\u00e9\", \"x\" \"y\"]",
           // Keys.
           "[{\"x\": 1, \"x\": 2}]",
           // Numbers.
           "[1e]", "[.5]", "[1e400]", "[-1.5e999]", "[1.e5]", "[1.5e]", "[-.5]", "[1e+]", "[0.5.5]", "[01.5]",
           "[1.5x]"}) {
    CAPTURE(text);
    const knead::Diagnostic want = parse_failure(text, ParseLimits{}, "v.json");
    try {
      (void)Document::parse_value(text, "v.json");
      FAIL("parse_value accepted what parse rejects");
    } catch (const ParseError& e) {
      CHECK(e.diagnostic().to_string() == want.to_string());
    }
  }
  // Rejected: exactly the diagnostic of the located parse (code, message, line and column).
  for (const std::string& text : std::vector<std::string>{
           "", "  ", "{\"a\": 1,}", "[1 2]", "{\"id\": 1,\n \"id\": 2}", "[[[[[]]]]]",
           "{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}", "[1]x", std::string("[1]\0", 4), "\"\xFF\"", "\"abc", "[\"a\tb\"]",
           "[\"a long string that never ends", "\"\\x\"", "{\"a\": \"\\ud800\"}", std::string(65, ' ') + "1"}) {
    CAPTURE(text);
    const knead::Diagnostic want = parse_failure(text, small, "v.json");
    try {
      (void)Document::parse_value(text, "v.json", small);
      FAIL("parse_value accepted what parse rejects");
    } catch (const ParseError& e) {
      CHECK(e.diagnostic().to_string() == want.to_string());
    }
  }
}
