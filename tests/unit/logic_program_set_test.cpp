// ProgramSet: rules compiled together, shared subexpressions decided once per data, with the
// same answers and errors as the rules compiled one by one.

#include "support/catch.hpp"

#include <knead/logic.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

using knead::logic::Error;
using knead::logic::Program;
using knead::logic::ProgramSet;
using nlohmann::json;

namespace {

// The matches on `data`, checked to be the same on `data` as a PackedData.
std::vector<std::size_t> matches(const ProgramSet& set, const json& data) {
  std::vector<std::size_t> out;
  set.matches(data, out);
  std::vector<std::size_t> on_packed;
  set.matches(knead::logic::PackedData(data), on_packed);
  CHECK(on_packed == out);
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

TEST_CASE("Equal operations are kept once however many distinct ones a set holds", "[logic][program_set]") {
  // 100 rules of 21 distinct operations each: far more than the set makes room for up front.
  std::vector<json> rules;
  for (int k = 0; k < 100; ++k) {
    json any = json::array();
    for (int j = 0; j < 20; ++j) any.push_back(json{{"==", json::array({json{{"var", "n"}}, k * 20 + j})}});
    rules.push_back(json{{"or", any}});
  }
  const std::vector<json> first(rules);
  rules.insert(rules.end(), first.begin(), first.end());
  // The same comparison reached below a rule that is not an operation.
  rules.push_back(json::array({json{{"==", json::array({json{{"var", "n"}}, 5})}}}));
  const ProgramSet set = ProgramSet::compile(rules);
  CHECK(set.shared() == 100 * 21);
  CHECK(matches(set, json{{"n", 5}}) == std::vector<std::size_t>{0, 100, 200});
  CHECK(matches(set, json{{"n", 1999}}) == std::vector<std::size_t>{99, 199, 200});
  CHECK(matches(set, json{{"n", 2000}}) == std::vector<std::size_t>{200});
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

namespace {

// {"double_of": x} is 2 * x, compiled into a node that names itself "twice": an operator whose
// node's name is not the key it is written with.
class TwiceNode final : public knead::logic::Node {
 public:
  TwiceNode(const std::string& pointer, knead::logic::NodePtr arg) : Node("twice", pointer) { arg_ = std::move(arg); }
  knead::logic::Value evaluate(knead::logic::Context& ctx) const override {
    ctx.charge();
    return json(2 * arg_->evaluate(ctx)->get<double>());
  }

 private:
  knead::logic::NodePtr arg_;
};

}  // namespace

TEST_CASE("Every use of a shared operation has the operation's name and its own place", "[logic][program_set]") {
  knead::logic::OperatorTable table = knead::logic::OperatorTable::standard();
  table.add("double_of", [](knead::logic::Compiler& c, const json& args, const std::string& p) {
    return knead::logic::NodePtr(std::make_unique<TwiceNode>(p, c.compile(args, p + "/double_of")));
  });
  const json in_list = json::parse(R"({"in": ["fibromyalgia", {"var": "conditions_recorded_at_intake"}]})");
  const json above = json::parse(R"({">": [{"double_of": {"var": "x"}}, 5]})");
  // Rules 2 to 4 are operations that rule 0 holds nested: each root is a use of that one node,
  // named as the operation is (or, for double_of, as its node names itself), at the rule's root.
  const ProgramSet set =
      ProgramSet::compile({json{{"and", json::array({in_list, above})}}, json{{"or", json::array({false, above})}},
                           above, in_list, json::parse(R"({"double_of": {"var": "x"}})")},
                          table);
  REQUIRE(set.size() == 5);
  CHECK(set.root(0).op() == "and");
  CHECK(set.root(1).op() == "or");
  CHECK(set.root(2).op() == ">");
  CHECK(set.root(3).op() == "in");
  CHECK(set.root(4).op() == "twice");
  for (std::size_t i = 0; i < set.size(); ++i) CHECK(set.root(i).pointer().empty());
  CHECK(matches(set, json{{"x", 3}, {"conditions_recorded_at_intake", {"fibromyalgia"}}}) ==
        std::vector<std::size_t>{0, 1, 2, 3, 4});
  CHECK(matches(set, json{{"x", 0}, {"conditions_recorded_at_intake", json::array()}}) == std::vector<std::size_t>{});
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

namespace {

// Clauses on fixed paths of every shape the set decides up front (and some it must not),
// for data where those paths hold every type, are missing, or make an operator fail.
std::vector<json> clause_rules(std::mt19937& rng, std::size_t n) {
  const std::vector<json> atoms = {
      json::parse(R"({"in": ["a", {"var": "tags"}]})"),
      json::parse(R"({"in": ["b", {"var": "tags"}]})"),
      json::parse(R"({"!": {"in": ["1", {"var": "tags"}]}})"),
      json::parse(R"({"in": ["a", {"var": "nested.tags"}]})"),
      json::parse(R"({"in": ["a", {"var": ["tags", ["a"]]}]})"),
      json::parse(R"({"==": [{"var": "name"}, "x"]})"),
      json::parse(R"({"!=": ["1", {"var": "name"}]})"),
      json::parse(R"({"===": [{"var": "name"}, "y"]})"),
      json::parse(R"({"!==": [{"var": "name"}, "x"]})"),
      json::parse(R"({"in": [{"var": "name"}, ["x", "z", "1"]]})"),
      json::parse(R"({"some": [{"var": "tags"}, {"in": [{"var": ""}, ["a", "c"]]}]})"),
      json::parse(R"({"none": [{"var": "tags"}, {"in": [{"var": ""}, ["b", "1"]]}]})"),
      json::parse(R"({"all": [{"var": "tags"}, {"in": [{"var": ""}, ["a", "b", "c"]]}]})"),
      json::parse(R"({"some": [{"var": "items"}, {"in": ["a", {"var": "tags"}]}]})"),
      json::parse(R"({"<": [20, {"var": "age"}, 60]})"),
      json::parse(R"({">=": [{"var": "age"}, 40]})"),
      json::parse(R"({"<=": [{"var": "age"}, 30.5]})"),
      json::parse(R"({">": [{"var": "nested.n"}, 2]})"),
      json::parse(R"({"<": [{"var": "age"}, {"var": "nested.n"}]})"),
      json::parse(R"({"var": "flag"})"),
      json::parse(R"({"==": [{"var": "flag"}, true]})"),
      json::parse(R"({"!==": [false, {"var": "flag"}]})"),
      json::parse(R"({"===": [{"var": "nested.n"}, false]})"),
      json::parse(R"({"!": [{"var": ["nested.flag", true]}]})"),
      json::parse(R"({"!!": [{"var": "nested"}]})"),
      json::parse(R"({"if": [{">=": [{"var": "age"}, 40]}, {"in": ["a", {"var": "tags"}]}, {"var": "flag"}]})"),
      json::parse(R"({"?:": [{"==": [{"var": "name"}, "x"]}, {"!": {"var": "tags"}}, false]})"),
      json::parse(R"({"if": [{"var": "flag"}, {"<": [{"var": "age"}, 50]}]})"),
      json::parse(R"({"if": [{"in": ["b", {"var": "tags"}]}]})"),
      json::parse(R"({"!": []})"),
      json(false),
  };
  std::uniform_int_distribution<std::size_t> pick(0, atoms.size() - 1);
  std::uniform_int_distribution<int> count(1, 3);
  const std::vector<const char*> combiners = {"and", "or", "!", "!!"};
  std::vector<json> rules;
  for (std::size_t i = 0; i < n; ++i) {
    json clauses = json::array();
    for (int c = count(rng); c > 0; --c) {
      json inner = json::array();
      for (int k = count(rng); k > 0; --k) inner.push_back(atoms[pick(rng)]);
      const char* op = combiners[rng() % combiners.size()];
      clauses.push_back(json{{op, inner}});
    }
    rules.push_back(json{{(rng() % 4) != 0 ? "and" : "or", clauses}});
  }
  return rules;
}

json odd_value(std::mt19937& rng) {
  switch (rng() % 12) {
    case 10: return true;
    case 11: return false;
    case 0: return json::parse(R"(["a", "b", "a"])");
    case 1: return json::parse(R"(["c", 1, "1", null, ["a"]])");
    case 2: return json::array();
    case 3: return "ab";  // a string: `in` is a substring test, the iterators fail
    case 4: return nullptr;
    case 5: return 35;
    case 6: return 30.5;
    case 7: return "x";
    case 8: return "abc";  // not a number: comparing it with one fails
    default: return json::parse(R"({"tags": ["a"]})");
  }
}

json clause_data(std::mt19937& rng) {
  json d = json::object();
  const auto maybe = [&](const char* key, json value) {
    if (rng() % 6 != 0) d[key] = std::move(value);  // sometimes missing
  };
  maybe("tags", rng() % 3 == 0 ? odd_value(rng) : json::parse(R"(["a", "c"])"));
  maybe("name", rng() % 3 == 0 ? odd_value(rng) : json((rng() & 1U) != 0 ? "x" : "y"));
  maybe("age", rng() % 3 == 0 ? odd_value(rng) : json(static_cast<int>(rng() % 90)));
  maybe("flag", odd_value(rng));
  json nested = json::object();
  nested["tags"] = odd_value(rng);
  nested["n"] = rng() % 3 == 0 ? odd_value(rng) : json(static_cast<int>(rng() % 5));
  if (rng() % 2 == 0) nested["flag"] = odd_value(rng);
  maybe("nested", rng() % 4 == 0 ? odd_value(rng) : nested);
  json items = json::array();
  for (unsigned k = rng() % 3; k > 0; --k) items.push_back(json{{"tags", odd_value(rng)}});
  maybe("items", items);
  return d;
}

}  // namespace

namespace {

// Checks that `set` gives, on `data`, the matches of `rules` evaluated one by one, or the
// error (code and pointer) of the first rule that fails; and the same on `data` as a PackedData.
void check_same_as_programs(const std::vector<json>& rules, const ProgramSet& set, const json& data);

void check_input_same_as_programs(const std::vector<json>& rules, const ProgramSet& set, const json& data,
                                  bool as_packed) {
  INFO("data: " << data.dump() << (as_packed ? " (as a PackedData)" : ""));
  const std::optional<knead::logic::PackedData> packed =
      as_packed ? std::optional<knead::logic::PackedData>(knead::logic::PackedData(data)) : std::nullopt;
  const auto matches_on = [&](std::vector<std::size_t>& got) {
    if (packed) {
      set.matches(*packed, got);
    } else {
      set.matches(data, got);
    }
  };
  std::vector<std::size_t> want;
  std::optional<Error> first_error;
  for (std::size_t i = 0; i < rules.size() && !first_error; ++i) {
    try {
      if (Program::compile(rules[i]).test(data)) want.push_back(i);
    } catch (const Error& e) {
      first_error = e;
    }
  }
  std::vector<std::size_t> got;
  if (first_error) {
    try {
      matches_on(got);
      FAIL("expected " << first_error->what());
    } catch (const Error& e) {
      CHECK(e.code() == first_error->code());
      CHECK(e.pointer() == first_error->pointer());
    }
  } else {
    matches_on(got);
    std::string differing;  // the rules the set gets wrong, to say which
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const bool in_got = std::find(got.begin(), got.end(), i) != got.end();
      if (in_got != (std::find(want.begin(), want.end(), i) != want.end())) {
        differing += "\nrule " + std::to_string(i) + ": " + rules[i].dump();
      }
    }
    INFO("rules that differ:" << differing);
    REQUIRE(got == want);
  }
}

void check_same_as_programs(const std::vector<json>& rules, const ProgramSet& set, const json& data) {
  check_input_same_as_programs(rules, set, data, false);
  check_input_same_as_programs(rules, set, data, true);
}

}  // namespace

TEST_CASE("Clauses decided up front give the answers and errors of every rule evaluated alone",
          "[logic][program_set]") {
  std::mt19937 rng(23);
  for (int round = 0; round < 20; ++round) {
    const auto rules = clause_rules(rng, 40);
    const ProgramSet set = ProgramSet::compile(rules);
    for (int n = 0; n < 60; ++n) check_same_as_programs(rules, set, clause_data(rng));
  }
}

TEST_CASE("Combinations of text clauses on one path decided up front agree with the operators",
          "[logic][program_set]") {
  // Ors, ands, ! and !! of text clauses on one path (of the same or opposite senses, array
  // clauses with string equalities, other paths, a read with a default, all), nested: every
  // one must keep the operators' answers and errors.
  const std::vector<json> atoms = {
      json::parse(R"({"in": ["a", {"var": "tags"}]})"),
      json::parse(R"({"in": ["b", {"var": "tags"}]})"),
      json::parse(R"({"some": [{"var": "tags"}, {"in": [{"var": ""}, ["a", "c"]]}]})"),
      json::parse(R"({"none": [{"var": "tags"}, {"in": [{"var": ""}, ["b", "1"]]}]})"),
      json::parse(R"({"all": [{"var": "tags"}, {"in": [{"var": ""}, ["a", "b"]]}]})"),
      json::parse(R"({"==": [{"var": "tags"}, "ab"]})"),
      json::parse(R"({"in": ["a", {"var": "nested.tags"}]})"),
      json::parse(R"({"in": ["a", {"var": ["tags", ["a"]]}]})"),
      json::parse(R"({"==": [{"var": "name"}, "x"]})"),
      json::parse(R"({"!=": [{"var": "name"}, "y"]})"),
      json::parse(R"({"===": ["z", {"var": "name"}]})"),
      json::parse(R"({"in": [{"var": "name"}, ["x", "1"]]})"),
      json::parse(R"({"!==": [{"var": "name"}, "x"]})"),
  };
  const std::vector<const char*> combiners = {"and", "or", "!", "!!"};
  std::mt19937 rng(41);
  std::uniform_int_distribution<std::size_t> pick(0, atoms.size() - 1);
  std::uniform_int_distribution<int> count(1, 3);
  // A combination of atoms, or of combinations of atoms (depth 1 or 2).
  const auto combination = [&](int depth, const auto& self) -> json {
    json inner = json::array();
    for (int k = count(rng); k > 0; --k)
      inner.push_back(depth > 1 && (rng() & 1U) != 0 ? self(depth - 1, self) : atoms[pick(rng)]);
    return json{{combiners[rng() % combiners.size()], inner}};
  };
  for (int round = 0; round < 20; ++round) {
    std::vector<json> rules;
    for (int i = 0; i < 40; ++i) rules.push_back(combination(2, combination));
    const ProgramSet set = ProgramSet::compile(rules);
    for (int n = 0; n < 60; ++n) check_same_as_programs(rules, set, clause_data(rng));
  }
  // The cases by hand: a string where the array was expected is a substring test.
  const std::vector<json> rules = {
      json::parse(R"({"or": [{"in": ["a", {"var": "tags"}]}, {"in": ["b", {"var": "tags"}]}]})"),
      json::parse(R"({"and": [{"!": {"in": ["a", {"var": "tags"}]}}, {"!": {"in": ["b", {"var": "tags"}]}}]})"),
      json::parse(R"({"!": {"or": [{"==": [{"var": "name"}, "x"]}, {"===": [{"var": "name"}, "y"]}]}})"),
      json::parse(R"({"or": [{"in": ["a", {"var": "tags"}]}, {"in": ["a", {"var": "nested.tags"}]}]})"),
      json::parse(R"({"or": [{"in": ["c", {"var": "tags"}]}, {"in": ["b", {"var": ["tags", ["b"]]}]}]})"),
  };
  const ProgramSet set = ProgramSet::compile(rules);
  CHECK(matches(set, json::parse(R"({"tags": ["c", "b"], "name": "x"})")) == std::vector<std::size_t>{0, 4});
  CHECK(matches(set, json::parse(R"({"tags": ["c"], "name": "z"})")) == std::vector<std::size_t>{1, 2, 4});
  CHECK(matches(set, json::parse(R"({"tags": "xbx", "name": "w"})")) == std::vector<std::size_t>{0, 2, 4});
  CHECK(matches(set, json::parse(R"({"tags": [1, null], "name": "y"})")) == std::vector<std::size_t>{1});
  CHECK(matches(set, json::parse(R"({"tags": ["b"], "nested": {"tags": ["a"]}})")) ==
        std::vector<std::size_t>{0, 2, 3, 4});
  CHECK(matches(set, json::parse("{}")) == std::vector<std::size_t>{1, 2, 4});
}

TEST_CASE("Rules that read other types on an indexed path are evaluated, not decided", "[logic][program_set]") {
  const ProgramSet set = ProgramSet::compile({
      json::parse(R"({"in": ["b", {"var": "tags"}]})"),
      json::parse(R"({"==": [{"var": "n"}, "1"]})"),
      json::parse(R"({"some": [{"var": "tags"}, {"in": [{"var": ""}, ["a"]]}]})"),
      json::parse(R"({"<": [1, {"var": "n"}, 3]})"),
  });
  CHECK(matches(set, json::parse(R"({"tags": ["a", "b"], "n": 2})")) == std::vector<std::size_t>{0, 2, 3});
  // A string haystack is a substring test; 1 == "1" loosely; "2" compares as a number.
  CHECK(matches(set, json::parse(R"({"tags": [], "n": "2"})")) == std::vector<std::size_t>{3});
  CHECK(matches(set, json::parse(R"({"tags": ["b"], "n": 1})")) == std::vector<std::size_t>{0, 1});
  // "tags" as a string: rule 0 finds "b" in "abc"; rule 2 fails (some needs an array).
  std::vector<std::size_t> out;
  CHECK_THROWS_AS(set.matches(json::parse(R"({"tags": "abc", "n": 0})"), out), Error);
  CHECK_THROWS_AS(set.matches(knead::logic::PackedData(json::parse(R"({"tags": "abc", "n": 0})")), out), Error);
  CHECK(set.test(0, json::parse(R"({"tags": "abc", "n": 0})")));
}

TEST_CASE("A huge list still exhausts the work budget of the rule that reads it", "[logic][program_set]") {
  knead::logic::Limits limits;
  limits.max_work = 100;
  const std::vector<json> rules = {
      json::parse(R"({"in": ["b", {"var": "tags"}]})"),
      json::parse(R"({"some": [{"var": "tags"}, {"in": [{"var": ""}, ["z"]]}]})"),
      json::parse(R"({"or": [{"in": ["c", {"var": "tags"}]}, {"in": ["d", {"var": "tags"}]}]})")};
  const ProgramSet set = ProgramSet::compile(rules, knead::logic::OperatorTable::standard(), limits);
  json data;
  data["tags"] = json::array();
  for (int i = 0; i < 8; ++i) data["tags"].push_back("a");
  CHECK(matches(set, data).empty());  // short lists are decided by the index
  for (int i = 0; i < 200; ++i) data["tags"].push_back("a");
  std::vector<std::size_t> out;
  try {
    set.matches(data, out);
    FAIL("expected limit.work");
  } catch (const Error& e) {
    CHECK(e.code() == "limit.work");
  }
  try {
    set.matches(knead::logic::PackedData(data), out);
    FAIL("expected limit.work on a PackedData");
  } catch (const Error& e) {
    CHECK(e.code() == "limit.work");
  }
}

TEST_CASE("Comparisons with numbers decided up front agree with the operators at every magnitude",
          "[logic][program_set]") {
  // Decided as intervals of doubles: exact only up to 2^53, so larger integers must still
  // compare as integers, and comparisons of two constants hold or fail whatever is read. The
  // intervals are looked up by a number's place among all the bounds on the path: numbers
  // next to a bound, beyond every bound, infinite or NaN must land where the operators say.
  std::vector<json> rules;
  const std::vector<json> constants = {json(1),
                                       json(-3),
                                       json(1.5),
                                       json(9007199254740992),
                                       json(9007199254740993),
                                       json(-9007199254740993),
                                       json(18446744073709551615U),
                                       json(std::numeric_limits<double>::infinity()),
                                       json(-std::numeric_limits<double>::max())};
  // The same rules read "n" and "m", but only "n" has one with an infinite constant (which
  // leaves that path to the range-by-range loop).
  for (const char* path : {"n", "m"}) {
    const json read{{"var", path}};
    for (const char* op : {"<", "<=", ">", ">="}) {
      for (const auto& c : constants) {
        if (path[0] == 'm' && c.is_number_float() && std::isinf(c.get<double>())) continue;
        rules.push_back(json{{op, json::array({read, c})}});
        rules.push_back(json{{op, json::array({c, read})}});
      }
    }
    for (const char* op : {"<", "<="}) {
      rules.push_back(json{{op, json::array({1, read, 9007199254740993})}});
      rules.push_back(json{{op, json::array({-3, read, 1.5})}});
      rules.push_back(json{{op, json::array({5, 3, read})}});
      rules.push_back(json{{op, json::array({1, 1, read})}});
    }
  }
  const ProgramSet set = ProgramSet::compile(rules);
  std::vector<Program> programs;
  for (const auto& r : rules) programs.push_back(Program::compile(r));
  const std::vector<json> values = {json(0),
                                    json(1),
                                    json(1.5),
                                    json(-3),
                                    json(-4.25),
                                    json(9007199254740992),
                                    json(9007199254740993),
                                    json(-9007199254740993),
                                    json(18446744073709551615U),
                                    json(1e300),
                                    json(std::nextafter(1.5, 2.0)),
                                    json(std::numeric_limits<double>::infinity()),
                                    json(-std::numeric_limits<double>::infinity()),
                                    json(-std::numeric_limits<double>::max()),
                                    json(std::numeric_limits<double>::quiet_NaN()),
                                    json(true),
                                    json("2"),
                                    json(nullptr)};
  for (const auto& n : values) {
    INFO("n: " << n.dump());
    const json data{{"n", n}, {"m", n}};
    std::vector<std::size_t> want;
    for (std::size_t i = 0; i < programs.size(); ++i) {
      if (programs[i].test(data)) want.push_back(i);
    }
    CHECK(matches(set, data) == want);
  }
}

TEST_CASE("Empty and, or and if decided up front agree with the operators", "[logic][program_set]") {
  // Written twice each so that they are shared operations, decided before any rule runs.
  const std::vector<json> rules = {
      json::parse(R"({"and": []})"),
      json::parse(R"({"and": []})"),
      json::parse(R"({"or": []})"),
      json::parse(R"({"or": []})"),
      json::parse(R"({"!": {"and": []}})"),
      json::parse(R"({"!": {"or": []}})"),
      json::parse(R"({"and": [{"and": []}, true]})"),
      json::parse(R"({"or": [{"or": []}, {"in": ["a", {"var": "tags"}]}]})"),
      json::parse(R"({"or": [{"or": []}, {"in": ["a", {"var": "tags"}]}]})"),
      json::parse(R"({"if": []})"),
      json::parse(R"({"if": []})"),
      json::parse(R"({"!!": []})"),
      json::parse(R"({"!!": []})"),
  };
  const ProgramSet set = ProgramSet::compile(rules);
  for (const json& data : {json::parse(R"({"tags": ["a"]})"), json::parse(R"({"tags": []})"), json::object()}) {
    std::vector<std::size_t> alone;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (Program::compile(rules[i]).test(data)) alone.push_back(i);
    }
    INFO("data " << data.dump());
    CHECK(matches(set, data) == alone);
  }
}

TEST_CASE("Keys and texts that differ in a single byte are told apart at every length", "[logic][program_set]") {
  // Object keys and the texts the clauses name are compared a word at a time, the last word
  // overlapping the one before: a difference at any position of any length must show.
  for (std::size_t length = 1; length <= 40; ++length) {
    const std::string name(length, 'k');
    json data = json::object();
    data[name] = 1;
    json tags = json::array();
    std::vector<json> rules{json{{"==", json::array({json{{"var", name}}, 1})}},
                            json{{"in", json::array({name, json{{"var", "tags"}}})}}};
    for (std::size_t at = 0; at < length; ++at) {
      std::string near = name;
      near[at] = 'j';
      data[near] = 0;
      tags.push_back(near);
      rules.push_back(json{{"==", json::array({json{{"var", near}}, 1})}});
    }
    data["tags"] = tags;
    INFO("length " << length);
    CHECK(matches(ProgramSet::compile(rules), data) == std::vector<std::size_t>{0});
    data["tags"].push_back(name);
    CHECK(matches(ProgramSet::compile(rules), data) == std::vector<std::size_t>{0, 1});
  }
}

TEST_CASE("Texts are found on paths that name a few of them or thousands", "[logic][program_set]") {
  // Paths with a few texts are looked up with one probe (every text at its home slot); one
  // with thousands falls back to probing: both must tell the texts named, short and long,
  // from others.
  std::mt19937 rng(41);
  for (const std::size_t n : {1U, 7U, 60U, 500U, 3000U}) {
    const auto text = [](const std::string& stem, std::size_t i) {
      return i % 3 == 0 ? "a_much_longer_" + stem + "_" + std::to_string(i) : stem + std::to_string(i);
    };
    json named = json::array();
    for (std::size_t i = 0; i < n; ++i) named.push_back(text("t", i));
    std::vector<json> rules{
        json{{"some", json::array({json{{"var", "tags"}}, json{{"in", {json{{"var", ""}}, named}}}})}},
        json{{"in", json::array({"absent", json{{"var", "tags"}}})}}};
    for (std::size_t k = 0; k < 20; ++k) {
      rules.push_back(json{{"in", json::array({text("t", rng() % n), json{{"var", "tags"}}})}});
    }
    const ProgramSet set = ProgramSet::compile(rules);
    std::vector<Program> programs;
    for (const auto& r : rules) programs.push_back(Program::compile(r));
    for (int round = 0; round < 40; ++round) {
      json data;
      data["tags"] = json::array();
      for (unsigned k = rng() % 6; k > 0; --k) data["tags"].push_back(text((rng() & 1U) != 0 ? "t" : "u", rng() % n));
      std::vector<std::size_t> want;
      for (std::size_t i = 0; i < programs.size(); ++i) {
        if (programs[i].test(data)) want.push_back(i);
      }
      INFO(n << " texts, data " << data.dump());
      CHECK(matches(set, data) == want);
    }
  }
}

namespace {

// Clauses that sets of up to 64 rules decide as bits of words: texts in arrays (some, none,
// all; one of more than 64 texts on a path), string equalities, numbers, booleans, truth
// reads, if, constants.
std::vector<json> word_atoms() {
  json many = json::array();
  for (int i = 0; i < 70; ++i) many.push_back("t" + std::to_string(i));
  json long_list = json::parse(R"({"some": [{"var": "tags"}, {"in": [{"var": ""}, []]}]})");
  long_list["some"][1]["in"][1] = many;
  return {
      json::parse(R"({"in": ["a", {"var": "tags"}]})"),
      json::parse(R"({"in": ["b", {"var": "tags"}]})"),
      json::parse(R"({"in": ["a_longer_text_past_sixteen", {"var": "tags"}]})"),
      json::parse(R"({"!": {"in": ["c", {"var": "tags"}]}})"),
      json::parse(R"({"some": [{"var": "tags"}, {"in": [{"var": ""}, ["a", "t3"]]}]})"),
      json::parse(R"({"none": [{"var": "tags"}, {"in": [{"var": ""}, ["b", "t69"]]}]})"),
      json::parse(R"({"all": [{"var": "tags"}, {"in": [{"var": ""}, ["a", "b", "c"]]}]})"),
      long_list,
      json::parse(R"({"in": ["x", {"var": "nested.tags"}]})"),
      json::parse(R"({"all": [{"var": "nested.tags"}, {"in": [{"var": ""}, ["x", "y"]]}]})"),
      json::parse(R"({"==": [{"var": "name"}, "x"]})"),
      json::parse(R"({"!=": [{"var": "name"}, "y"]})"),
      json::parse(R"({"in": [{"var": "name"}, ["x", "z"]]})"),
      json::parse(R"({"<": [20, {"var": "age"}, 60]})"),
      json::parse(R"({">=": [{"var": "age"}, 40]})"),
      json::parse(R"({"<=": [{"var": "nested.n"}, 2.5]})"),
      json::parse(R"({"==": [{"var": "flag"}, true]})"),
      json::parse(R"({"!==": [false, {"var": "flag"}]})"),
      json::parse(R"({"!": {"var": "tags"}})"),
      json::parse(R"({"!!": [{"var": ["nested.missing", 1]}]})"),
      json::parse(
          R"({"if": [{">=": [{"var": "age"}, 40]}, {"in": ["a", {"var": "tags"}]}, {"==": [{"var": "flag"}, true]}]})"),
      json::parse(
          R"({"if": [{"in": ["b", {"var": "tags"}]}, true, {"<": [{"var": "age"}, 30]}, {"!": {"var": "tags"}}, false]})"),
      json::parse(R"({"if": [{"==": [{"var": "name"}, "x"]}, {"in": ["c", {"var": "tags"}]}]})"),
      json::parse(R"({"and": []})"),
      json(true),
  };
}

// Rules of those clauses under and, or, !, !! and if, nested up to three levels.
std::vector<json> word_rules(std::mt19937& rng, std::size_t n) {
  const std::vector<json> atoms = word_atoms();
  const std::vector<const char*> combiners = {"and", "or", "!", "!!", "and", "or", "if"};
  std::uniform_int_distribution<std::size_t> pick(0, atoms.size() - 1);
  std::uniform_int_distribution<int> count(1, 4);
  const auto combination = [&](int depth, const auto& self) -> json {
    if (depth == 0 || rng() % 4 == 0) return atoms[pick(rng)];
    json inner = json::array();
    for (int k = count(rng); k > 0; --k) inner.push_back(self(depth - 1, self));
    return json{{combiners[rng() % combiners.size()], inner}};
  };
  std::vector<json> rules;
  for (std::size_t i = 0; i < n; ++i) rules.push_back(combination(3, combination));
  return rules;
}

// Data of the types those clauses decide, now and then another type or nothing.
json word_data(std::mt19937& rng) {
  const std::vector<std::string> texts = {
      "a", "b", "c", "t3", "t41", "t69", "a_longer_text_past_sixteen", "a_longer_text_past_sixteeN", "other"};
  json d = json::object();
  json tags = json::array();
  for (unsigned k = rng() % 4; k > 0; --k) tags.push_back(texts[rng() % texts.size()]);
  d["tags"] = tags;
  d["name"] = (rng() & 1U) != 0 ? "x" : ((rng() & 1U) != 0 ? "y" : "zz");
  d["age"] = rng() % 5 == 0 ? json(39.5) : json(static_cast<int>(rng() % 80));
  d["flag"] = (rng() & 1U) != 0;
  json nested_tags = json::array();
  for (unsigned k = rng() % 3; k > 0; --k)
    nested_tags.push_back((rng() % 3) == 0 ? "z" : ((rng() & 1U) != 0 ? "x" : "y"));
  d["nested"] = json{{"tags", nested_tags}, {"n", static_cast<int>(rng() % 5)}};
  if (rng() % 8 == 0) {
    const char* keys[] = {"tags", "name", "age", "flag", "nested"};
    const char* key = keys[rng() % 5];
    if ((rng() & 1U) != 0) {
      d.erase(key);
    } else {
      d[key] = odd_value(rng);
    }
  }
  return d;
}

}  // namespace

TEST_CASE("Sets of up to 64 rules decided as words give the answers of every rule alone", "[logic][program_set]") {
  // Around the size that is decided as words: one rule, 63, 64 (one bit each) and 65 (the
  // general pass), each on well-typed data (decided as words) and on other types (not).
  std::mt19937 rng(97);
  for (const std::size_t size : {std::size_t{1}, std::size_t{2}, std::size_t{63}, std::size_t{64}, std::size_t{65}}) {
    for (int round = 0; round < 6; ++round) {
      const auto rules = word_rules(rng, size);
      const ProgramSet set = ProgramSet::compile(rules);
      for (int n = 0; n < 60; ++n) check_same_as_programs(rules, set, word_data(rng));
    }
  }
}

TEST_CASE("Rules decided as words that fire are reported for every bit", "[logic][program_set]") {
  // 64 rules, rule i true exactly when age is i: every bit of the word, the last one too.
  std::vector<json> rules;
  for (int i = 0; i < 64; ++i) rules.push_back(json{{"==", json::array({json{{"var", "age"}}, i})}});
  for (auto& r : rules)
    r = json{{"and", json::array({json{{"<=", json::array({r["=="][1], json{{"var", "age"}}})}},
                                  json{{"<=", json::array({json{{"var", "age"}}, r["=="][1]})}}})}};
  const ProgramSet set = ProgramSet::compile(rules);
  for (int age = 0; age < 64; ++age) {
    CHECK(matches(set, json{{"age", age}}) == std::vector<std::size_t>{static_cast<std::size_t>(age)});
  }
  CHECK(matches(set, json{{"age", 64}}).empty());
  CHECK(matches(set, json{{"age", "3"}}) == std::vector<std::size_t>{3});  // a text: the operators decide
  check_same_as_programs(rules, set, json::object());                      // null compares as 0
}
