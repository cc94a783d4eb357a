// Operator semantics beyond the conformance suites: numbers at the edges, non-ASCII strings,
// scopes, try/throw, and the agreement of test() with evaluate().

#include "support/catch.hpp"

#include <knead/logic.hpp>

#include <string>
#include <vector>

using nlohmann::json;

namespace {

json run(const std::string& rule, const std::string& data = "null") {
  return knead::logic::apply(json::parse(rule), json::parse(data));
}

knead::logic::Error error_of(const std::string& rule, const std::string& data = "null") {
  try {
    (void)run(rule, data);
  } catch (const knead::logic::Error& e) {
    return e;
  }
  FAIL("expected " << rule << " to raise");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("Integer arithmetic stays exact beyond 2^53 and falls back to doubles on overflow", "[logic]") {
  CHECK(run(R"({"+": [9007199254740993, 0]})") == json(9007199254740993LL));
  CHECK(run(R"({"-": [9223372036854775807, 1]})") == json(9223372036854775806LL));
  CHECK(run(R"({"*": [3037000500, 3037000500]})").is_number_float());
  CHECK(run(R"({"*": [3037000500, 3037000500]})").get<double>() == Approx(9.223372037e18));
  CHECK(run(R"({"+": [9223372036854775807, 1]})").get<double>() == Approx(9.223372036854775808e18));
  CHECK(run(R"({"-": [-9223372036854775807, 1]})") == json(std::numeric_limits<std::int64_t>::min()));
  CHECK(run(R"({"-": [{"-": [-9223372036854775807, 1]}]})").get<double>() == Approx(9.223372036854775808e18));
  CHECK(run(R"({"/": [-9223372036854775807, -1]})") == json(9223372036854775807LL));
  CHECK(run(R"({"%": [-9223372036854775807, -1]})") == json(0));
  CHECK(run(R"({"+": [18446744073709551615, 0]})").get<double>() == Approx(1.8446744073709552e19));
}

TEST_CASE("Integral results are JSON integers and fractional ones doubles", "[logic]") {
  CHECK(run(R"({"/": [6, 3]})").is_number_integer());
  CHECK(run(R"({"+": [1.5, 1.5]})").is_number_integer());
  CHECK(run(R"({"+": [1.5, 1.5]})").dump() == "3");
  CHECK(run(R"({"/": [1, 3]})").get<double>() == Approx(1.0 / 3.0));
  CHECK(run(R"({"+": [0.1, 0.2]})").get<double>() == 0.1 + 0.2);
  CHECK(run(R"({"*": [-1, 0]})").dump() == "0");
  CHECK(run(R"({"-": 0})").dump() == "0");
  CHECK(run(R"({"*": [-0.0, 5]})").dump() == "0");
  CHECK(run(R"({"+": ["1e3", "2E1", "0x10"]})") == json(1036));
  CHECK(run(R"({"+": [1e300, 1e300]})").get<double>() == Approx(2e300));
  CHECK(run(R"({"%": [7.5, 2]})").get<double>() == 1.5);
  CHECK(run(R"({"%": [-7, 3]})") == json(-1));
}

TEST_CASE("Non-finite arithmetic results raise NaN", "[logic]") {
  CHECK(error_of(R"({"*": [1e308, 10]})").value() == json{{"type", "NaN"}});
  CHECK(error_of(R"({"+": [1e308, 1e308]})").code() == "logic.nan");
  CHECK(error_of(R"({"-": [{"*": [1e308, 10]}, {"*": [1e308, 10]}]})").code() == "logic.nan");
  CHECK(error_of(R"({"+": "Infinity"})").code() == "logic.nan");
  CHECK(error_of(R"({"%": [5, 0]})").code() == "logic.nan");
  CHECK(error_of(R"({"/": [5, 0.0]})").code() == "logic.nan");
}

TEST_CASE("max and min return the winning number unchanged and reject non-numbers", "[logic]") {
  CHECK(run(R"({"max": [1, 2.5, -3]})") == json(2.5));
  CHECK(run(R"({"min": [9007199254740993, 9007199254740994]})") == json(9007199254740993LL));
  CHECK(run(R"({"max": {"var": "xs"}})", R"({"xs": [4, 9, 2]})") == json(9));
  CHECK(run(R"({"min": {"var": "x"}})", R"({"x": 7})") == json(7));
  CHECK(error_of(R"({"max": []})").code() == "logic.invalid_arguments");
  CHECK(error_of(R"({"max": ["1", 2]})").code() == "logic.invalid_arguments");
  CHECK(error_of(R"({"min": {"var": "xs"}})", R"({"xs": []})").code() == "logic.invalid_arguments");
  CHECK(error_of(R"({"min": {"var": "xs"}})", R"({"xs": [1, null]})").code() == "logic.invalid_arguments");
}

TEST_CASE("substr counts characters, not bytes, in non-ASCII strings", "[logic]") {
  CHECK(run(R"({"substr": ["héllo wörld", 1, 4]})") == "éllo");
  CHECK(run(R"({"substr": ["héllo wörld", -5]})") == "wörld");
  CHECK(run(R"({"substr": ["日本語テキスト", -3]})") == "キスト");
  CHECK(run(R"({"substr": ["日本語テキスト", 0, -4]})") == "日本語");
  CHECK(run(R"({"substr": ["a😀b", 1, 1]})") == "😀");
  CHECK(run(R"({"substr": ["abc", 5]})") == "");
  CHECK(run(R"({"substr": ["abc", -10, 2]})") == "ab");
  CHECK(run(R"({"substr": ["abc", 1, -5]})") == "");
  CHECK(run(R"({"substr": [12345, 1, 2]})") == "23");
  CHECK(run(R"({"substr": ["abc", "1"]})") == "bc");
  CHECK(run(R"({"substr": "abc"})") == "abc");
}

TEST_CASE("in and cat handle non-ASCII strings", "[logic]") {
  CHECK(run(R"({"in": ["ö", "wörld"]})") == true);
  CHECK(run(R"({"in": ["ø", "wörld"]})") == false);
  CHECK(run(R"({"in": ["日本", {"var": "s"}]})", R"({"s": "日本語"})") == true);
  CHECK(run(R"({"in": ["é", ["e", "é"]]})") == true);
  CHECK(run(R"({"cat": ["ä", 1, "😀"]})") == "ä1😀");
  CHECK(run(R"({"<": ["a", "é"]})") == true);
}

TEST_CASE("in searches arrays with strict equality and strings for substrings", "[logic]") {
  CHECK(run(R"({"in": [1, [1, 2]]})") == true);
  CHECK(run(R"({"in": ["1", [1, 2]]})") == false);
  CHECK(run(R"({"in": [1.0, [1, 2]]})") == true);
  CHECK(run(R"({"in": [{"var": "x"}, ["b", "a", "c"]]})", R"({"x": "c"})") == true);
  CHECK(run(R"({"in": [{"var": "x"}, ["b", "a", "c"]]})", R"({"x": "d"})") == false);
  CHECK(run(R"({"in": [{"var": "x"}, ["b", "a", "c"]]})", R"({"x": 1})") == false);
  CHECK(run(R"({"in": [{"var": "x"}, []]})", R"({"x": "a"})") == false);
  CHECK(run(R"({"in": [12, "a12b"]})") == true);
  CHECK(run(R"({"in": ["a", null]})") == false);
  CHECK(run(R"({"in": ["a", {"var": "missing"}]})") == false);
  CHECK(run(R"({"in": {"preserve": ["b", "abc"]}})") == true);
}

TEST_CASE("var reads dotted paths, array indices and defaults", "[logic]") {
  const std::string data = R"({"a": {"b": [10, {"c": "deep"}], "": {"x": 1}, "n": null}, "1": "one"})";
  CHECK(run(R"({"var": "a.b.1.c"})", data) == "deep");
  CHECK(run(R"({"var": "a.b.0"})", data) == 10);
  CHECK(run(R"({"var": "a.b.01"})", data) == nullptr);
  CHECK(run(R"({"var": "a..x"})", data) == 1);
  CHECK(run(R"({"var": 1})", data) == "one");
  CHECK(run(R"({"var": ["a.n", "default"]})", data) == nullptr);
  CHECK(run(R"({"var": ["a.zz", "default"]})", data) == "default");
  CHECK(run(R"({"var": ["a.zz", {"cat": ["d", "ef"]}]})", data) == "def");
  CHECK(run(R"({"var": {"cat": ["a.", "b.", 0]}})", data) == 10);
  CHECK(run(R"({"var": ""})", "5") == 5);
}

TEST_CASE("val climbs scopes and reads iteration indices", "[logic]") {
  CHECK(run(R"({"map": [{"val": "xs"}, {"+": [{"val": []}, {"val": [[1], "k"]}]}]})", R"({"xs": [1, 2], "k": 10})") ==
        json::parse("[11, 12]"));
  CHECK(run(R"({"map": [{"val": "xs"}, {"map": [{"val": "ys"}, {"val": [[2], "index"]}]}]})",
            R"({"xs": [{"ys": [0, 0]}, {"ys": [0]}]})") == json::parse("[[0, 0], [1]]"));
  CHECK(run(R"({"map": [[5, 6], {"val": [[1], "index"]}]})") == json::parse("[0, 1]"));
  CHECK(run(R"({"val": [[1], "index"]})", R"({"index": "root"})") == "root");
  CHECK(run(R"({"val": [[5], "k"]})", R"({"k": 3})") == 3);
  CHECK(run(R"({"val": ["a", null, "b"]})", R"({"a": {"b": 2}})") == 2);
  CHECK(run(R"({"val": ["a", true]})", R"({"a": {"true": 2}})") == nullptr);
  CHECK(run(R"({"exists": ["a", "b"]})", R"({"a": {"b": null}})") == true);
  CHECK(run(R"({"exists": {"cat": ["a", "b"]}})", R"({"ab": 0})") == true);
  CHECK(run(R"({"exists": "c"})", R"({"a": 1})") == false);
}

TEST_CASE("reduce exposes current and accumulator and keeps results independent of its scope", "[logic]") {
  CHECK(run(R"({"reduce": [[1, 2, 3], {"var": "accumulator"}, {"preserve": {"k": 1}}]})") == json{{"k", 1}});
  CHECK(run(R"({"reduce": [[1, 2, 3], {"merge": [{"var": "accumulator"}, {"var": "current"}]}, []]})") ==
        json::parse("[1, 2, 3]"));
  CHECK(run(R"({"reduce": [{"var": "xs"}, {"var": "current"}, 0]})", R"({"xs": [[1], [2]]})") == json::parse("[2]"));
  CHECK(run(R"({"reduce": [{"filter": [[1, 2, 3, 4], {">": [{"var": ""}, 1]}]}, {"+": [{"var": "accumulator"}, {"var": "current"}]}, 0]})") == 9);
}

TEST_CASE("filter and map over computed arrays return owned copies", "[logic]") {
  CHECK(run(R"({"map": [{"filter": [{"var": "xs"}, {">": [{"var": ""}, 1]}]}, {"var": ""}]})", R"({"xs": [1, 2, 3]})") ==
        json::parse("[2, 3]"));
  CHECK(run(R"({"filter": [{"map": [[1, 2, 3], {"*": [{"var": ""}, 2]}]}, {">": [{"var": ""}, 2]}]})") ==
        json::parse("[4, 6]"));
  CHECK(run(R"({"map": [{"var": "o"}, 1]})", R"({"o": {"a": 1}})") == json::array());
}

TEST_CASE("try recovers from errors and exposes the caught error as the scope", "[logic]") {
  CHECK(run(R"({"try": [{"/": [1, 0]}, {"val": "type"}]})") == "NaN");
  CHECK(run(R"({"try": [{"throw": {"type": "x", "detail": [1, 2]}}, {"val": "detail"}]})") == json::parse("[1, 2]"));
  CHECK(run(R"({"try": [{"throw": "a"}, {"throw": "b"}, {"cat": [{"val": "type"}, "!"]}]})") == "b!");
  CHECK(run(R"({"try": [{"%": {"preserve": [1]}}, {"val": "type"}]})") == "Invalid Arguments");
  CHECK(run(R"({"try": [{"all": [{"var": "nothing"}, true]}, "fallback"]})") == "fallback");
  CHECK(run(R"({"try": 5})") == 5);
  CHECK(run(R"({"try": []})") == nullptr);
  const auto e = error_of(R"({"try": [{"throw": "first"}, {"throw": 42}]})");
  CHECK(e.kind() == knead::logic::Error::Kind::thrown);
  CHECK(e.value() == 42);
}

TEST_CASE("test() agrees with the truthiness of evaluate() for every operator", "[logic]") {
  const json data = json::parse(R"({"n": 3, "s": "", "xs": [1, 2, 3], "o": {}, "z": 0})");
  const std::vector<std::string> rules = {
      R"({"and": [1, {"var": "n"}]})", R"({"and": [1, {"var": "s"}]})", R"({"or": [0, {"var": "s"}]})",
      R"({"or": [0, {"var": "xs"}]})", R"({"if": [{"var": "z"}, 1, {"var": "s"}]})",
      R"({"if": [{"var": "n"}, {"var": "xs"}]})", R"({"!": {"var": "o"}})", R"({"!!": [{"var": "xs"}]})",
      R"({"var": "o"})", R"({"var": ["missing", {"var": "n"}]})", R"({"val": "z"})",
      R"({"exists": "z"})", R"({"some": [{"var": "xs"}, {"==": [{"var": ""}, 2]}]})",
      R"({"all": [{"var": "xs"}, {"var": ""}]})", R"({"none": [{"var": "xs"}, {">": [{"var": ""}, 5]}]})",
      R"({"filter": [{"var": "xs"}, {">": [{"var": ""}, 5]}]})", R"({"map": [{"var": "xs"}, 0]})",
      R"({"<": [1, {"var": "n"}, 5]})", R"({"in": [2, {"var": "xs"}]})", R"({"cat": [{"var": "s"}]})",
      R"({"??": [null, {"var": "s"}]})", R"({"missing": ["n", "q"]})", R"([{"var": "s"}])", R"([])",
      R"({"try": [{"throw": "x"}, {"val": "type"}]})", R"({"-": [{"var": "n"}, 3]})"};
  for (const auto& rule : rules) {
    CAPTURE(rule);
    const auto program = knead::logic::Program::compile(json::parse(rule));
    CHECK(program.test(data) == knead::logic::truthy(program.evaluate(data)));
  }
}

TEST_CASE("Arrays of constants fold into one literal and arrays of expressions are rebuilt", "[logic]") {
  const auto folded = knead::logic::Program::compile(json::parse(R"([1, [2, {"preserve": {"a": 1}}]])"));
  REQUIRE(folded.root().literal() != nullptr);
  CHECK(*folded.root().literal() == json::parse(R"([1, [2, {"a": 1}]])"));
  const auto built = knead::logic::Program::compile(json::parse(R"([1, {"var": "x"}])"));
  CHECK(built.root().literal() == nullptr);
  CHECK(built.root().args().size() == 2);
  CHECK(built.evaluate(json::parse(R"({"x": "y"})")) == json::parse(R"([1, "y"])"));
}
