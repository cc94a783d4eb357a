#include "support/catch.hpp"

#include <knead/diagnostic.hpp>

#include <string>
#include <vector>

using knead::Diagnostic;
using knead::Severity;
using knead::SourceLocation;

namespace {

Diagnostic make(std::string file, std::size_t line, std::size_t column, std::string code, std::string message = "m") {
  Diagnostic d;
  d.code = std::move(code);
  d.message = std::move(message);
  d.location = SourceLocation{std::move(file), line, column, 0};
  return d;
}

}  // namespace

TEST_CASE("A source location prints as file:line:col, or less when less is known", "[diagnostic]") {
  CHECK(SourceLocation{"rules/core.json", 12, 7, 300}.to_string() == "rules/core.json:12:7");
  CHECK(SourceLocation{"rules/core.json", 0, 0, 0}.to_string() == "rules/core.json");
  CHECK(SourceLocation{"rules/core.json", 3, 0, 0}.to_string() == "rules/core.json:3");
  CHECK(SourceLocation{"", 2, 5, 0}.to_string() == "<input>:2:5");
  CHECK(SourceLocation{}.to_string() == "<input>");
  CHECK_FALSE(SourceLocation{"f", 0, 0, 0}.known());
  CHECK(SourceLocation{"f", 1, 1, 0}.known());
}

TEST_CASE("Severities print in lower case", "[diagnostic]") {
  CHECK(std::string(knead::to_string(Severity::error)) == "error");
  CHECK(std::string(knead::to_string(Severity::warning)) == "warning");
  CHECK(std::string(knead::to_string(Severity::note)) == "note");
}

TEST_CASE("A diagnostic prints as file:line:col: severity: message [pointer]", "[diagnostic]") {
  Diagnostic d = make("rules/core.json", 4, 9, "check.unknown_concept", "unknown condition 'fibro'");
  d.pointer = "/rules/3/when";
  CHECK(d.to_string() == "rules/core.json:4:9: error: unknown condition 'fibro' [/rules/3/when]");

  SECTION("without a pointer the brackets are left out") {
    d.pointer.clear();
    CHECK(d.to_string() == "rules/core.json:4:9: error: unknown condition 'fibro'");
  }
  SECTION("a location without a line names only the file") {
    d.location.line = 0;
    d.location.column = 0;
    CHECK(d.to_string() == "rules/core.json: error: unknown condition 'fibro' [/rules/3/when]");
  }
  SECTION("a diagnostic without a file is <input>") {
    d.location.file.clear();
    CHECK(d.to_string() == "<input>:4:9: error: unknown condition 'fibro' [/rules/3/when]");
  }
  SECTION("warnings and notes say so, and notes stay off the line") {
    d.severity = Severity::warning;
    d.notes = {"previous definition at a.json:1:1"};
    CHECK(d.to_string() == "rules/core.json:4:9: warning: unknown condition 'fibro' [/rules/3/when]");
  }
}

TEST_CASE("Diagnostics sort by file, line, column and code, stably", "[diagnostic]") {
  std::vector<Diagnostic> list = {
      make("b.json", 1, 1, "x.a"),           make("a.json", 10, 2, "x.b"), make("a.json", 2, 30, "x.c"),
      make("a.json", 2, 4, "x.z"),           make("a.json", 2, 4, "x.a"),  make("a.json", 0, 0, "io.read"),
      make("a.json", 2, 4, "x.z", "second"),
  };
  knead::sort_diagnostics(list);
  std::vector<std::string> order;
  for (const Diagnostic& d : list) order.push_back(d.to_string());
  CHECK(order == std::vector<std::string>{
                     "a.json: error: m",
                     "a.json:2:4: error: m",  // x.a
                     "a.json:2:4: error: m",  // x.z
                     "a.json:2:4: error: second",
                     "a.json:2:30: error: m",
                     "a.json:10:2: error: m",
                     "b.json:1:1: error: m",
                 });
  CHECK(list[1].code == "x.a");
  CHECK(list[2].code == "x.z");
  CHECK(list[2].message == "m");  // equal keys keep their order
}

TEST_CASE("A ParseError carries its diagnostic, code and one-line message", "[diagnostic]") {
  Diagnostic d = make("p.json", 3, 14, "parse.syntax", "unexpected '}'; expected a value");
  const knead::ParseError error(d);
  CHECK(error.code() == "parse.syntax");
  CHECK(std::string(error.what()) == "p.json:3:14: error: unexpected '}'; expected a value");
  CHECK(error.diagnostic().location.line == 3);

  // Callers can catch every knead error by the common base.
  CHECK_THROWS_AS(throw knead::ParseError(d), knead::Error);
}

TEST_CASE("A LoadError sorts its diagnostics and shows the first with a count of the rest", "[diagnostic]") {
  SECTION("several diagnostics") {
    const knead::LoadError error({make("b.json", 1, 1, "check.b", "later"), make("a.json", 5, 2, "check.a", "first"),
                                  make("a.json", 9, 1, "check.c", "middle")});
    CHECK(std::string(error.what()) == "a.json:5:2: error: first (and 2 more)");
    CHECK(error.code() == "check.a");
    REQUIRE(error.diagnostics().size() == 3);
    CHECK(error.diagnostics()[0].message == "first");
    CHECK(error.diagnostics()[2].message == "later");
  }
  SECTION("a single diagnostic has no count") {
    const knead::LoadError error({make("a.json", 1, 2, "load.include_cycle", "include cycle")});
    CHECK(std::string(error.what()) == "a.json:1:2: error: include cycle");
  }
  SECTION("no diagnostics still makes a readable error") {
    const knead::LoadError error({});
    CHECK_FALSE(std::string(error.what()).empty());
    CHECK(error.diagnostics().empty());
  }
}
