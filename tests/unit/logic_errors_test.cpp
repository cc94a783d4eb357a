// Errors of the JsonLogic core: kinds, codes, values, one-line messages and rule pointers.

#include "support/catch.hpp"

#include <knead/logic.hpp>

#include <string>

using nlohmann::json;
using knead::logic::Error;

namespace {

Error error_of(const std::string& rule, const std::string& data = "null") {
  try {
    (void)knead::logic::apply(json::parse(rule), json::parse(data));
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected " << rule << " to raise");
  throw std::logic_error("unreachable");
}

Error compile_error_of(const std::string& rule) {
  try {
    (void)knead::logic::Program::compile(json::parse(rule));
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected " << rule << " not to compile");
  throw std::logic_error("unreachable");
}

bool one_line(const Error& e) { return std::string(e.what()).find('\n') == std::string::npos; }

}  // namespace

TEST_CASE("An unknown operator is a compile error that suggests the nearest operator", "[logic][errors]") {
  const Error e = compile_error_of(R"({"and": [true, {"ad": [1, 2]}]})");
  CHECK(e.kind() == Error::Kind::unknown_operator);
  CHECK(e.code() == "logic.unknown_operator");
  CHECK(e.pointer() == "/and/1");
  CHECK(std::string(e.what()) == "unknown operator 'ad'; did you mean 'and'? (at /and/1)");
  CHECK(one_line(e));

  const Error far = compile_error_of(R"({"frobnicate": 1})");
  CHECK(std::string(far.what()) == "unknown operator 'frobnicate'");
  CHECK(far.pointer().empty());

  const Error nasty = compile_error_of(R"({"!": {"a\nb/c": 1}})");
  CHECK(nasty.pointer() == "/!");
  CHECK(one_line(nasty));
  CHECK(std::string(nasty.what()).find("a\\nb/c") != std::string::npos);
}

TEST_CASE("Pointers name the offending node through operators and arrays", "[logic][errors]") {
  CHECK(compile_error_of(R"({"and": [true, {"or": [{"var": "x"}, {"%": [1]}]}]})").pointer() == "/and/1/or/1");
  CHECK(compile_error_of(R"({"if": [true, [1, {"nope": 2}]]})").pointer() == "/if/1/1");
  CHECK(compile_error_of(R"({"a/b~": 1})").code() == "logic.unknown_operator");
  CHECK(compile_error_of(R"({"!": {"a/b~": 1}})").pointer() == "/!");
  CHECK(compile_error_of(R"({"map": [[1], {"a/b~": 1}]})").pointer() == "/map/1");
  CHECK(compile_error_of(R"({"cat": [{"var": {"zz": 1}}]})").pointer() == "/cat/0/var");
  CHECK(compile_error_of(R"({"and": [true, {"foo": [1]}]})").pointer() == "/and/1");
  CHECK(error_of(R"({"and": [true, {"+": ["x", 1]}]})").pointer() == "/and/1");
  CHECK(error_of(R"({"and": [true, {"+": ["x", 1]}]})").what() ==
        std::string(R"(NaN: '+' operand "x" is not a number (at /and/1))"));
}

TEST_CASE("Statically wrong arguments are invalid-arguments errors at compile time", "[logic][errors]") {
  for (const char* rule : {R"({"%": [1]})", R"({"%": 1})", R"({"map": 5})", R"({"-": []})", R"({"/": []})",
                           R"({"<": [1]})", R"({"==": 5})", R"({"or": true})", R"({"if": {"preserve": [1]}})",
                           R"({"map": [null, 1]})", R"({"filter": [[1], null]})", R"({"reduce": [[1]]})",
                           R"({"all": [1, 2, 3]})", R"({"in": ["a"]})", R"({"substr": []})",
                           R"({"missing_some": [1]})", R"({"throw": [1, 2]})", R"({"val": {"a": 1, "b": 2}})",
                           R"({"max": [1, "2"]})"}) {
    CAPTURE(rule);
    const Error e = compile_error_of(rule);
    CHECK(e.kind() == Error::Kind::invalid_arguments);
    CHECK(e.code() == "logic.invalid_arguments");
    CHECK(e.value() == json{{"type", "Invalid Arguments"}});
    CHECK(one_line(e));
  }
}

TEST_CASE("Evaluation errors carry the conformance error values", "[logic][errors]") {
  const Error nan = error_of(R"({"/": [1, 0]})");
  CHECK(nan.kind() == Error::Kind::nan);
  CHECK(nan.code() == "logic.nan");
  CHECK(nan.value() == json{{"type", "NaN"}});
  CHECK(std::string(nan.what()) == "NaN: division by zero");

  const Error invalid = error_of(R"({"none": [{"var": "missing"}, true]})", "{}");
  CHECK(invalid.kind() == Error::Kind::invalid_arguments);
  CHECK(invalid.pointer().empty());

  const Error thrown = error_of(R"({"throw": "Out of stock"})");
  CHECK(thrown.kind() == Error::Kind::thrown);
  CHECK(thrown.code() == "logic.thrown");
  CHECK(thrown.value() == json{{"type", "Out of stock"}});

  const Error object = error_of(R"({"if": [true, {"throw": {"val": "e"}}]})", R"({"e": {"type": "T", "n": 1}})");
  CHECK(object.value() == json::parse(R"({"type": "T", "n": 1})"));
  CHECK(object.pointer() == "/if/1");
  CHECK(one_line(object));

  const Error multiline = error_of(R"({"throw": "line one\nline two"})");
  CHECK(one_line(multiline));
}

TEST_CASE("Errors are knead::Error with a stable code", "[logic][errors]") {
  try {
    (void)knead::logic::apply(json::parse(R"({"*": ["x"]})"), json());
    FAIL("no error");
  } catch (const knead::Error& e) {
    CHECK(e.code() == "logic.nan");
  }
  CHECK(Error::nan().code() == "logic.nan");
  CHECK(Error::invalid_arguments("x").what() == std::string("invalid arguments: x"));
  CHECK(Error::thrown(json("s")).value() == json{{"type", "s"}});
  CHECK(Error::limit("limit.size", "too big", "/a").what() == std::string("too big (at /a)"));
  CHECK_FALSE(Error::limit("limit.work", "w").catchable());
  CHECK(Error::thrown(json(1)).catchable());
}
