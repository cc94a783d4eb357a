// Bounded evaluation: nesting depth, work budget, result size, and large inputs.

#include "support/catch.hpp"

#include <knead/logic.hpp>

#include <chrono>
#include <string>

using nlohmann::json;
using knead::logic::Error;
using knead::logic::Limits;
using knead::logic::OperatorTable;
using knead::logic::Program;

namespace {

// Nested text built as a string and parsed: nlohmann's parser does not recurse.
std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

Error error_of(const json& rule, const json& data, const Limits& limits = {}) {
  try {
    (void)Program::compile(rule, OperatorTable::standard(), limits).evaluate(data);
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected an error");
  throw std::logic_error("unreachable");
}

json range(std::size_t n) {
  json a = json::array();
  for (std::size_t i = 0; i < n; ++i) a.push_back(i);
  return a;
}

}  // namespace

TEST_CASE("A 100000-deep rule is rejected with limit.depth, not a stack overflow", "[logic][limits]") {
  constexpr std::size_t kDepth = 100000;
  const json nots = json::parse(repeat(R"({"!":)", kDepth) + "true" + repeat("}", kDepth));
  const Error e = error_of(nots, json());
  CHECK(e.kind() == Error::Kind::limit);
  CHECK(e.code() == "limit.depth");

  const json arrays = json::parse(repeat("[", kDepth) + repeat("]", kDepth));
  CHECK(error_of(arrays, json()).code() == "limit.depth");

  // Literal objects (several keys, so not operations) are data, but their depth counts too.
  const json objects = json::parse(R"({"==": [)" + repeat(R"({"k": 0, "a": )", kDepth) + "1" + repeat("}", kDepth) + ", 1]}");
  CHECK(error_of(objects, json()).code() == "limit.depth");

  const json preserved = json::parse(R"({"preserve": )" + repeat("[", kDepth) + repeat("]", kDepth) + "}");
  CHECK(error_of(preserved, json()).code() == "limit.depth");
}

TEST_CASE("Rules up to the depth limit compile and deeper ones do not", "[logic][limits]") {
  Limits limits;
  limits.max_depth = 10;
  // {"!": ... true}: n operators plus the literal make n + 1 levels.
  const auto nested = [](std::size_t n) { return json::parse(repeat(R"({"!":)", n) + "true" + repeat("}", n)); };
  CHECK(Program::compile(nested(9), OperatorTable::standard(), limits).evaluate(json()) == false);
  CHECK_THROWS_AS(Program::compile(nested(10), OperatorTable::standard(), limits), Error);
  CHECK(Program::compile(json::parse(R"({"preserve": [[[[[[[[1]]]]]]]]})"), OperatorTable::standard(), limits)
            .evaluate(json()) == json::parse("[[[[[[[[1]]]]]]]]"));
  CHECK_THROWS_AS(Program::compile(json::parse(R"({"preserve": [[[[[[[[[1]]]]]]]]]})"), OperatorTable::standard(), limits),
                  Error);
}

TEST_CASE("Nested maps over large arrays exhaust the work budget quickly", "[logic][limits]") {
  json data;
  data["xs"] = range(10000);
  const json rule = json::parse(R"({"map": [{"val": "xs"}, {"map": [{"val": [[1], "xs"]}, {"+": [{"val": []}, 1]}]}]})");
  const auto start = std::chrono::steady_clock::now();
  const Error e = error_of(rule, data);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(e.code() == "limit.work");
  CHECK(e.kind() == Error::Kind::limit);
  CHECK(elapsed < std::chrono::seconds(30));
}

TEST_CASE("try does not catch an exhausted work budget", "[logic][limits]") {
  Limits limits;
  limits.max_work = 1000;
  json data;
  data["xs"] = range(2000);
  const json rule = json::parse(R"({"try": [{"map": [{"var": "xs"}, {"var": ""}]}, "caught"]})");
  CHECK(error_of(rule, data, limits).code() == "limit.work");
}

TEST_CASE("The work budget counts nodes and visited elements", "[logic][limits]") {
  Limits limits;
  limits.max_work = 50;
  const auto program = Program::compile(json::parse(R"({"some": [{"var": "xs"}, {"==": [{"var": ""}, -1]}]})"),
                                        OperatorTable::standard(), limits);
  json small;
  small["xs"] = range(5);
  CHECK(program.test(small) == false);
  json large;
  large["xs"] = range(100);
  CHECK_THROWS_AS(program.test(large), Error);
}

TEST_CASE("Strings and arrays built beyond max_size raise limit.size", "[logic][limits]") {
  Limits limits;
  limits.max_size = 1000;
  json data;
  data["xs"] = json::array();
  for (int i = 0; i < 2000; ++i) data["xs"].push_back("x");
  const json cat = json::parse(R"({"reduce": [{"var": "xs"}, {"cat": [{"var": "accumulator"}, {"var": "current"}]}, ""]})");
  const Error e = error_of(cat, data, limits);
  CHECK(e.code() == "limit.size");
  CHECK(e.pointer() == "/reduce/1");

  const json merge = json::parse(R"({"merge": [{"var": "xs"}, {"var": "xs"}]})");
  CHECK(error_of(merge, data, limits).code() == "limit.size");

  limits.max_size = 5000;
  CHECK(Program::compile(merge, OperatorTable::standard(), limits).evaluate(data).size() == 4000);
}

TEST_CASE("Operators handle arrays of a million elements", "[logic][limits]") {
  constexpr std::size_t kN = 1000000;
  json data;
  data["xs"] = range(kN);
  const auto eval = [&](const char* rule) { return Program::compile(json::parse(rule)).evaluate(data); };
  CHECK(eval(R"({"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, {"var": "current"}]}, 0]})") ==
        json(static_cast<std::int64_t>(kN) * (kN - 1) / 2));
  CHECK(eval(R"({"some": [{"var": "xs"}, {"==": [{"var": ""}, 999999]}]})") == true);
  CHECK(eval(R"({"in": [999999, {"var": "xs"}]})") == true);
  CHECK(eval(R"({"max": {"var": "xs"}})") == 999999);
  CHECK(eval(R"({"filter": [{"var": "xs"}, {">=": [{"var": ""}, 999998]}]})") == json::parse("[999998, 999999]"));
  CHECK(eval(R"({"map": [{"var": "xs"}, {"%": [{"var": ""}, 2]}]})").size() == kN);
  CHECK(eval(R"({"merge": [{"var": "xs"}, [1]]})").size() == kN + 1);
}

TEST_CASE("Deeply nested data is compared and printed without exhausting the stack", "[logic][limits]") {
  // Within the data depth bound: equality and ToString walk it.
  constexpr std::size_t kDepth = 500;
  const std::string deep = repeat("[", kDepth) + repeat("]", kDepth);
  const json data = json::parse(R"({"a": )" + deep + R"(, "b": )" + deep + "}");
  CHECK(Program::compile(json::parse(R"({"===": [{"var": "a"}, {"var": "b"}]})")).evaluate(data) == true);
  CHECK(Program::compile(json::parse(R"({"cat": [{"var": "a"}]})")).evaluate(data) == "");
  CHECK(Program::compile(json::parse(R"({"!!": {"var": "a"}})")).evaluate(data) == true);
}

TEST_CASE("Data nested beyond the bound is refused, not copied or printed recursively", "[logic][limits]") {
  // 200,000 levels: copying or printing it recursively would overflow the stack.
  constexpr std::size_t kDepth = 200000;
  json data = json::array();
  for (std::size_t i = 0; i < kDepth; ++i) data = json::array({std::move(data)});
  json wrapped{{"a", std::move(data)}};
  for (const char* rule : {R"({"var": "a"})", R"({"merge": [{"var": "a"}]})", R"({"===": [{"var": "a"}, 1]})"}) {
    try {
      (void)knead::logic::apply(json::parse(rule), wrapped);
      FAIL("no error for " << rule);
    } catch (const Error& e) {
      CHECK(e.code() == "limit.depth");
      CHECK(std::string(e.what()).find("nested more than 512 levels") != std::string::npos);
    }
  }
  CHECK_THROWS_AS(Program::compile(json::parse(R"({"!!": {"var": "a"}})")).test(wrapped), Error);
}

TEST_CASE("Arrays built in a loop cannot nest without bound", "[logic][limits]") {
  // reduce wraps the accumulator in one more array each step.
  const json rule = json::parse(R"({"reduce": [{"var": "xs"}, [{"var": "accumulator"}], 0]})");
  json data;
  data["xs"] = range(5000);
  try {
    (void)Program::compile(rule).evaluate(data);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == "limit.depth");
  }
  data["xs"] = range(100);
  CHECK(Program::compile(rule).evaluate(data).is_array());
}

TEST_CASE("Bytes built count toward a memory budget per evaluation", "[logic][limits]") {
  // Each cat result is under the size limit; a thousand of them are not under the budget.
  json data;
  data["xs"] = range(1000);
  const json rule{{"map", json::array({json{{"var", "xs"}}, json{{"cat", json::array({std::string(1U << 20, 'x'), json{{"var", ""}}})}}})}};
  try {
    (void)Program::compile(rule).evaluate(data);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == "limit.memory");
    CHECK(std::string(e.what()).find("memory budget of 268435456 bytes") != std::string::npos);
  }
  // A small map stays well inside the budget.
  data["xs"] = range(10);
  CHECK(Program::compile(rule).evaluate(data).size() == 10);
}

TEST_CASE("Size-limit messages say what was exceeded, never 'result of 0'", "[logic][limits]") {
  Limits small;
  small.max_size = 10;
  for (const char* rule : {R"({"cat": ["0123456789", "abc"]})", R"({"substr": [["0123456789", "abc"], 1]})",
                           R"({"merge": [[1,2,3,4,5,6], [7,8,9,10,11]]})"}) {
    try {
      (void)Program::compile(json::parse(rule), OperatorTable::standard(), small).evaluate(json());
      FAIL("no error for " << rule);
    } catch (const Error& e) {
      const std::string what = e.what();
      CHECK(e.code() == "limit.size");
      CHECK(what.find("result of 0") == std::string::npos);
      CHECK(what.find("size limit of 10") != std::string::npos);
    }
  }
}
