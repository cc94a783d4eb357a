// ProgramSet: rules compiled together, shared subexpressions decided once per data, with the
// same answers and errors as the rules compiled one by one.

#include "support/catch.hpp"

#include <knead/logic.hpp>

#include <random>
#include <string>
#include <thread>
#include <vector>

using knead::logic::Error;
using knead::logic::Program;
using knead::logic::ProgramSet;
using nlohmann::json;

namespace {

std::vector<std::size_t> matches(const ProgramSet& set, const json& data) {
  std::vector<std::size_t> out;
  set.matches(data, out);
  return out;
}

// Rules built from a small pool of clauses, so that many rules share clauses.
std::vector<json> generated_rules(std::mt19937& rng, std::size_t n) {
  const std::vector<json> atoms = {
      json::parse(R"({"in": ["a", {"var": "tags"}]})"),
      json::parse(R"({"in": ["b", {"var": "tags"}]})"),
      json::parse(R"({">": [{"var": "age"}, 40]})"),
      json::parse(R"({"<": [20, {"var": "age"}, 60]})"),
      json::parse(R"({"some": [{"var": "items"}, {">": [{"var": ""}, 2]}]})"),
      json::parse(R"({"all": [{"var": "items"}, {"<": [{"var": ""}, 5]}]})"),
      json::parse(R"({"!": {"var": "tags"}})"),
      json::parse(R"({"==": [{"var": "name"}, "x"]})"),
  };
  std::uniform_int_distribution<std::size_t> pick(0, atoms.size() - 1);
  std::uniform_int_distribution<int> count(1, 3);
  std::vector<json> rules;
  for (std::size_t i = 0; i < n; ++i) {
    json clauses = json::array();
    for (int c = count(rng); c > 0; --c) {
      json inner = json::array();
      for (int k = count(rng); k > 0; --k) inner.push_back(atoms[pick(rng)]);
      clauses.push_back(json{{(rng() & 1U) != 0 ? "or" : "and", inner}});
    }
    rules.push_back(json{{"and", clauses}});
  }
  return rules;
}

json generated_data(std::mt19937& rng) {
  const std::vector<std::string> tags = {"a", "b", "c"};
  json d;
  d["age"] = static_cast<int>(rng() % 90);
  d["tags"] = json::array();
  for (const auto& t : tags) {
    if ((rng() & 1U) != 0) d["tags"].push_back(t);
  }
  d["items"] = json::array();
  for (unsigned k = rng() % 4; k > 0; --k) d["items"].push_back(static_cast<int>(rng() % 7));
  d["name"] = (rng() & 1U) != 0 ? "x" : "y";
  return d;
}

}  // namespace

TEST_CASE("A ProgramSet gives the answers of its rules compiled one by one", "[logic][program_set]") {
  std::mt19937 rng(7);
  const auto rules = generated_rules(rng, 300);
  const ProgramSet set = ProgramSet::compile(rules);
  REQUIRE(set.size() == rules.size());
  CHECK(set.shared() < 1000);  // without sharing the 300 rules hold about 3,000 operations
  std::vector<Program> programs;
  for (const auto& r : rules) programs.push_back(Program::compile(r));
  for (int n = 0; n < 200; ++n) {
    const json data = generated_data(rng);
    std::vector<std::size_t> want;
    for (std::size_t i = 0; i < programs.size(); ++i) {
      if (programs[i].test(data)) want.push_back(i);
      REQUIRE(set.test(i, data) == programs[i].test(data));
    }
    REQUIRE(matches(set, data) == want);
  }
}

TEST_CASE("Text shared by an iterator body and the root reads the right scope", "[logic][program_set]") {
  // {">": [{"var": "n"}, 2]} reads the element's n inside "some" and the data's n at the root;
  // neither may reuse the other's result, whichever rule comes first.
  const json inside = json::parse(R"({"some": [{"var": "items"}, {">": [{"var": "n"}, 2]}]})");
  const json root = json::parse(R"({">": [{"var": "n"}, 2]})");
  const json small_root = json::parse(R"({"n": 1, "items": [{"n": 5}]})");
  const json large_root = json::parse(R"({"n": 5, "items": [{"n": 1}]})");
  const ProgramSet inside_first = ProgramSet::compile({inside, root});
  CHECK(matches(inside_first, small_root) == std::vector<std::size_t>{0});
  CHECK(matches(inside_first, large_root) == std::vector<std::size_t>{1});
  const ProgramSet root_first = ProgramSet::compile({root, inside});
  CHECK(matches(root_first, small_root) == std::vector<std::size_t>{1});
  CHECK(matches(root_first, large_root) == std::vector<std::size_t>{0});
}

TEST_CASE("An error in a shared subexpression is reported where the rule uses it", "[logic][program_set]") {
  const ProgramSet set = ProgramSet::compile({
      json::parse(R"({"and": [{"<": [{"/": [1, {"var": "d"}]}, 2]}, true]})"),
      json::parse(R"({"or": [false, {"<": [{"/": [1, {"var": "d"}]}, 2]}]})"),
  });
  const json data = json::parse(R"({"d": 0})");
  try {
    (void)set.test(1, data);
    FAIL("expected a NaN error");
  } catch (const Error& e) {
    CHECK(e.code() == "logic.nan");
    CHECK(e.pointer() == "/or/1/</0");
    CHECK(std::string(e.what()).find("(at /or/1/</0)") != std::string::npos);
    CHECK(std::string(e.what()).find("/and/") == std::string::npos);
  }
  std::vector<std::size_t> out;
  CHECK_THROWS_AS(set.matches(data, out), Error);
}

TEST_CASE("A compile error in a ProgramSet names the rule", "[logic][program_set]") {
  try {
    (void)ProgramSet::compile({json(true), json::parse(R"({"and": [{"nope": 1}]})")});
    FAIL("expected an unknown operator");
  } catch (const Error& e) {
    CHECK(e.code() == "logic.unknown_operator");
    CHECK(e.pointer() == "/1/and/0");
  }
}

TEST_CASE("One ProgramSet evaluates correctly from four threads at once", "[logic][program_set]") {
  std::mt19937 rng(11);
  const auto rules = generated_rules(rng, 200);
  const ProgramSet set = ProgramSet::compile(rules);
  std::vector<json> data;
  std::vector<std::vector<std::size_t>> want;
  for (int n = 0; n < 50; ++n) {
    data.push_back(generated_data(rng));
    want.push_back(matches(set, data.back()));
  }
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (std::size_t i = 0; i < data.size(); ++i)
          wrong[static_cast<std::size_t>(t)] += matches(set, data[i]) != want[i];
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(wrong == std::vector<int>(4, 0));
}
