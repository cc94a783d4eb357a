// `cat` of one operand between empty texts ({"cat": ["", {"var": "occupation"}]}) returns the
// operand's string without building a new one, and an operator reading it as an argument reads
// the data's string in place: the same result, work and errors as the join.

#include "support/catch.hpp"

#include <knead/logic.hpp>

#include <optional>
#include <string>
#include <vector>

using knead::logic::Error;
using knead::logic::Limits;
using knead::logic::OperatorTable;
using knead::logic::Program;
using nlohmann::json;

namespace {

struct Outcome {
  std::optional<json> value;
  std::string error;  // its code, when it raised one
};

Outcome run(const json& rule, const json& data, const Limits& limits) {
  try {
    return {Program::compile(rule, OperatorTable::standard(), limits).evaluate(data), ""};
  } catch (const Error& e) {
    return {std::nullopt, e.code()};
  }
}

// The fewest work units the rule evaluates in (it fails with limit.work below that).
std::uint64_t work_of(const json& rule, const json& data) {
  Limits limits;
  for (limits.max_work = 1; limits.max_work < 64; ++limits.max_work) {
    if (run(rule, data, limits).error != "limit.work") return limits.max_work;
  }
  return 0;
}

// `a` and `b` give the same value or error under a tight size limit (`tight` bytes) and a loose one.
void same_answers(const json& a, const json& b, const json& data, std::size_t tight) {
  for (const std::size_t max_size : {tight, std::size_t{1024}}) {
    Limits limits;
    limits.max_size = max_size;
    const Outcome x = run(a, data, limits);
    const Outcome y = run(b, data, limits);
    CHECK(x.error == y.error);
    CHECK(x.value == y.value);
  }
}

// `fast` (the join of one read) and `general` (the same join with one more empty operand, taken
// the general way) give the same answers, and `fast` costs exactly the one operand less.
void same_outcomes(const json& fast, const json& general, const json& data) {
  same_answers(fast, general, data, 4);
  CHECK(work_of(fast, data) + 1 == work_of(general, data));
}

// `shape` with "X" replaced by `operand`.
json with(const json& shape, const json& operand) {
  json out = shape;
  for (auto& arg : out["cat"]) {
    if (arg == "X") arg = operand;
  }
  return out;
}

}  // namespace

TEST_CASE("cat of one operand between empty texts is the join, without building it", "[logic][cat]") {
  const std::vector<json> shapes{json::parse(R"({"cat": ["", "X"]})"), json::parse(R"({"cat": ["X", ""]})"),
                                 json::parse(R"({"cat": ["", "X", "", ""]})"), json::parse(R"({"cat": ["X"]})")};
  const std::vector<json> values{"office work",
                                 "",
                                 "desk",
                                 "héllo",
                                 nullptr,
                                 0,
                                 -2.5,
                                 12,
                                 true,
                                 false,
                                 json::parse(R"([1, [2, null], "a"])"),
                                 json::parse(R"({"a": 1})"),
                                 json::array(),
                                 std::string(40, 'x')};
  const json read = json::parse(R"({"var": "field"})");
  // The same join taken the general way: a second operand that reads an empty text.
  const json blank = json::parse(R"({"var": "blank"})");
  for (const json& shape : shapes) {
    for (const json& value : values) {
      INFO(shape.dump() << " with " << value.dump());
      const json data = {{"field", value}, {"blank", ""}};
      const json fast = with(shape, read);
      json general = fast;
      general["cat"].push_back(blank);
      same_outcomes(fast, general, data);
      // Searched or compared as a text, as rules do: the operator reads the text in place.
      for (const char* op : {"in", "==", "!="}) {
        same_outcomes({{op, {"desk", fast}}}, {{op, {"desk", general}}}, data);
      }
    }
  }
  CHECK(run(json::parse(R"({"cat": ["", {"var": "field"}]})"), {{"field", "a desk"}}, {}).value == "a desk");
  CHECK(run(json::parse(R"({"cat": ["", {"var": "missing"}]})"), json::object(), {}).value == "");
  CHECK(run(json::parse(R"({"in": ["desk", {"cat": ["", {"var": "job"}]}]})"), {{"job", "desk work"}}, {}).value ==
        true);
}

TEST_CASE("cat of one computed operand keeps the operand's result", "[logic][cat]") {
  // An owned string (from a nested cat) is moved out, not copied.
  CHECK(run(json::parse(R"({"cat": ["", {"cat": ["a", "b"]}, ""]})"), json(nullptr), {}).value == "ab");
  // An error in the operand is still the operand's.
  CHECK(run(json::parse(R"({"cat": ["", {"throw": "x"}]})"), json(nullptr), {}).error ==
        run(json::parse(R"({"cat": ["a", {"throw": "x"}]})"), json(nullptr), {}).error);
}

TEST_CASE("an or of words searched in one field's text reads the field once, with the same answers", "[logic][cat]") {
  // The shape rules write: the text of one field, searched for several words.
  const json words = json::parse(R"(["desk", "Office", "driv", "", "typing"])");
  json fast = {{"or", json::array()}};
  json general = {{"or", json::array()}};
  for (const auto& word : words) {
    if (word == "") continue;
    fast["or"].push_back({{"in", {word, json::parse(R"({"cat": ["", {"var": "job.title"}]})")}}});
    // The same searches, each wrapped in !!: no longer the shape, evaluated one by one.
    general["or"].push_back({{"!!", {{{"in", {word, json::parse(R"({"cat": ["", {"var": "job.title"}, ""]})")}}}}}});
  }
  const std::vector<json> values{"a desk job",
                                 "Office",
                                 "driver",
                                 "nurse",
                                 "",
                                 nullptr,
                                 12,
                                 true,
                                 json::parse(R"(["desk"])"),
                                 std::string(40, 'x') + "typing"};
  for (const json& value : values) {
    INFO(value.dump());
    const json data = {{"job", {{"title", value}}}};
    same_answers(fast, general, data, 8);
    // Work: 1 for the or, then per search 1 for the in, 1 for the cat, 2 for its operands (and
    // in the general form 1 more for !! and 1 for the extra empty text), up to the first found.
    const std::uint64_t fast_work = work_of(fast, data);
    const std::uint64_t general_work = work_of(general, data);
    CHECK((fast_work - 1) % 4 == 0);
    CHECK((general_work - 1) % 6 == 0);
    CHECK((fast_work - 1) / 4 == (general_work - 1) / 6);
  }
  // Absent, the field is null: no word is found (and the empty word is found in any text).
  CHECK(run(fast, json::object(), {}).value == false);
  CHECK(run(json::parse(
                R"({"or": [{"in": ["x", {"cat": ["", {"var": "a"}]}]}, {"in": ["", {"cat": ["", {"var": "a"}]}]}]})"),
            json::object(), {})
            .value == true);
  // Different fields are not one text: each search reads its own.
  CHECK(run(json::parse(
                R"({"or": [{"in": ["x", {"cat": ["", {"var": "a"}]}]}, {"in": ["y", {"cat": ["", {"var": "b"}]}]}]})"),
            {{"a", "q"}, {"b", "y"}}, {})
            .value == true);
}
