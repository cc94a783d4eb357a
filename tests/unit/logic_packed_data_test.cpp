// logic::PackedData: a JSON value packed into one block, equal to the value it packs, read by
// ProgramSet::matches with the answers of the value itself (see logic_program_set_test.cpp
// for the random rule sets, which check every data on both).

#include "support/catch.hpp"

#include <knead/logic.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

using knead::logic::PackedData;
using knead::logic::ProgramSet;
using nlohmann::json;

namespace {

// Equal, and of the same type at every level: 1 and 1u and 1.0 compare equal in nlohmann,
// but answers may depend on the kind of number.
void check_same_value(const json& got, const json& want) {
  REQUIRE(got.type() == want.type());
  if (want.is_number_float()) {
    const double a = got.get<double>();
    const double b = want.get<double>();
    CHECK(((std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b))));
  } else if (want.is_array()) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) check_same_value(got[i], want[i]);
  } else if (want.is_object()) {
    REQUIRE(got.size() == want.size());
    for (auto it = want.begin(); it != want.end(); ++it) {
      REQUIRE(got.contains(it.key()));
      check_same_value(got.at(it.key()), it.value());
    }
  } else {
    CHECK(got == want);
  }
}

json random_value(std::mt19937& rng, int depth) {
  switch (rng() % (depth > 0 ? 10 : 7)) {
    case 0: return nullptr;
    case 1: return (rng() & 1U) != 0;
    case 2: return static_cast<std::int64_t>(rng()) - (std::int64_t{1} << 31);
    case 3: return static_cast<std::uint64_t>(rng()) << 32 | rng();
    case 4: return static_cast<double>(rng()) / 7.0;
    case 5:
    case 6: {
      std::string text(rng() % 40, 'a');
      for (char& c : text) c = static_cast<char>('a' + rng() % 26);
      return text;
    }
    case 7:
    case 8: {
      json a = json::array();
      for (unsigned n = rng() % 5; n > 0; --n) a.push_back(random_value(rng, depth - 1));
      return a;
    }
    default: {
      json o = json::object();
      for (unsigned n = rng() % 6; n > 0; --n) o["k" + std::to_string(rng() % 20)] = random_value(rng, depth - 1);
      return o;
    }
  }
}

}  // namespace

TEST_CASE("A PackedData gives back the value it packs, every type and kind of number", "[logic][packed]") {
  const std::vector<json> values = {
      nullptr,
      true,
      false,
      0,
      -1,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::int64_t>::max(),
      json(std::uint64_t{0}),
      json(std::numeric_limits<std::uint64_t>::max()),
      json(std::uint64_t{1} << 53),
      json((std::uint64_t{1} << 53) + 1),
      0.0,
      -0.0,
      1.5,
      1e308,
      std::numeric_limits<double>::infinity(),
      std::numeric_limits<double>::quiet_NaN(),  // no JSON text holds it, a value can
      std::numeric_limits<double>::denorm_min(),
      "",
      "a",
      "exactly8",
      "nine char",
      "sixteen bytes!!!",
      "seventeen bytes!!",
      std::string(1000, 'x'),
      std::string("nul\0inside", 10),
      "gr\u00fc\u00df \u65e5\u672c \U0001F600",
      json::array(),
      json::object(),
      json::array({json::array(), json::object(), json::array({json::array()})}),
      json::parse(R"({"id":"p1","age":33,"conditions":["sciatica","psoriatic_arthritis"],)"
                  R"("pain":{"intensity":5,"locations":["low_back"],"flare":false},"preferences":{"declined":[]}})"),
      json::parse(R"({"": 1, "a": {"": {"": [1, 2.5, -3, "x"]}}, "a longer key than sixteen": null})"),
  };
  for (const json& v : values) {
    INFO(v.dump());
    const PackedData d(v);
    check_same_value(d.value(), v);
    CHECK(d.packed_size() % 16 == 0);
    CHECK(d.packed_size() >= 16);
  }
  std::mt19937 rng(5);
  for (int i = 0; i < 300; ++i) {
    const json v = random_value(rng, 4);
    INFO(v.dump());
    check_same_value(PackedData(v).value(), v);
  }
}

TEST_CASE("A PackedData is smaller than the tree it packs and shares its data when copied", "[logic][packed]") {
  const json record =
      json::parse(R"({"id":"p00001","age":33,"sex":"female","conditions":["sciatica","psoriatic_arthritis"],)"
                  R"("goals":["reduce_anxiety","workout_recovery"],"findings":["dvt_history"],)"
                  R"("medications":["pregabalin","naproxen","sertraline"],)"
                  R"("pain":{"intensity":5,"locations":["low_back","hands"],"flare":false},)"
                  R"("preferences":{"pressure":"light","declined":[]}})");
  const PackedData d(record);
  CHECK(d.packed_size() < 1024);  // 52 cells and the texts longer than 8 bytes
  const PackedData copy = d;      // NOLINT(performance-unnecessary-copy-initialization)
  CHECK(copy.packed() == d.packed());
  CHECK(&copy.value() == &d.value());
  PackedData moved = PackedData(record);
  moved = copy;
  CHECK(moved.packed() == d.packed());
  CHECK(PackedData().value().is_null());
}

TEST_CASE("A PackedData parses JSON text and says where broken text goes wrong", "[logic][packed]") {
  const PackedData d = PackedData::parse(R"({"a": [1, 2.0, "x"], "b": {"c": true}})");
  check_same_value(d.value(), json::parse(R"({"a": [1, 2.0, "x"], "b": {"c": true}})"));
  try {
    (void)PackedData::parse(R"({"a": [1,)");
    FAIL("expected parse.syntax");
  } catch (const knead::Error& e) {
    CHECK(e.code() == "parse.syntax");
    CHECK(std::string(e.what()).find("byte") != std::string::npos);
  }
}

TEST_CASE("A PackedData holding a binary value keeps it", "[logic][packed]") {
  json v = json::object();
  v["bytes"] = json::binary({1, 2, 3});
  v["tags"] = json::array({"a"});
  const PackedData d(v);
  CHECK(d.value() == v);
  const ProgramSet set = ProgramSet::compile(
      {json::parse(R"({"!!": [{"var": "bytes"}]})"), json::parse(R"({"in": ["a", {"var": "tags"}]})")});
  std::vector<std::size_t> on_json;
  std::vector<std::size_t> on_packed;
  set.matches(v, on_json);
  set.matches(d, on_packed);
  CHECK(on_packed == on_json);
}

TEST_CASE("PackedData values read from many threads unpack their value once", "[logic][packed][threads]") {
  std::mt19937 rng(9);
  std::vector<PackedData> packed_records;
  std::vector<json> values;
  for (int i = 0; i < 64; ++i) {
    values.push_back(random_value(rng, 3));
    packed_records.emplace_back(values.back());
  }
  std::vector<const json*> seen(2 * packed_records.size());
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < packed_records.size(); ++i)
        seen[t * packed_records.size() + i] = &packed_records[i].value();
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t i = 0; i < packed_records.size(); ++i) {
    CHECK(seen[i] == seen[packed_records.size() + i]);
    check_same_value(*seen[i], values[i]);
  }
}

TEST_CASE("Patients as PackedData get the matches of the same patients as json values", "[logic][packed]") {
  // Rules of the shapes the word form decides, over records that hold what they expect, miss
  // it, or hold another type: the PackedData's answers are the value's.
  const std::vector<json> rules = {
      json::parse(R"({"and": [{"in": ["sciatica", {"var": "conditions"}]}, {"<": [30, {"var": "age"}, 45]}]})"),
      json::parse(R"({"or": [{"==": [{"var": "pain.flare"}, true]}, {"!": {"var": "findings"}}]})"),
      json::parse(R"({"some": [{"var": "medications"}, {"in": [{"var": ""}, ["warfarin", "apixaban"]]}]})"),
      json::parse(R"({"!=": [{"var": "preferences.pressure"}, "light"]})"),
      json::parse(R"({"all": [{"var": "pain.locations"}, {"in": [{"var": ""}, ["neck", "low_back"]]}]})"),
      json::parse(R"({">=": [{"var": "pain.intensity"}, 7]})"),
      // Integers past 2^53 compare as integers, not as the doubles nearest them.
      json::parse(R"({"or": [{">": [{"var": "age"}, 9007199254740992]}, {"<": [{"var": "age"}, -9007199254740992]}]})"),
  };
  const ProgramSet set = ProgramSet::compile(rules);
  const std::vector<json> patients = {
      json::parse(R"({"age": 33, "conditions": ["sciatica"], "findings": [], "medications": ["warfarin"],)"
                  R"("pain": {"flare": false, "locations": ["neck"], "intensity": 7},)"
                  R"("preferences": {"pressure": "firm"}})"),
      json::parse(R"({"age": 33.5, "conditions": "sciatica", "pain": {"flare": true, "intensity": 7.0}})"),
      json::parse(R"({"age": 18446744073709551615, "conditions": ["sciatica", 3, null],)"
                  R"("pain": {"locations": [], "intensity": -9223372036854775808}})"),
      json::parse(R"({"age": 9007199254740993, "medications": [["warfarin"]], "preferences": {"pressure": 1}})"),
      json::parse(R"({"findings": {"a": 1}, "pain": [1, 2], "preferences": "light"})"),
      json::parse(R"({"age": -9007199254740993, "conditions": [], "findings": [], "medications": [],)"
                  R"("pain": {"flare": false, "locations": ["neck"], "intensity": 1},)"
                  R"("preferences": {"pressure": "light"}})"),
      json::parse(R"({"age": 9007199254740993, "conditions": [], "findings": [], "medications": [],)"
                  R"("pain": {"flare": false, "locations": ["neck"], "intensity": 1},)"
                  R"("preferences": {"pressure": "light"}})"),
      json::parse(R"([1, 2, 3])"),
      json::parse(R"("text")"),
      json::parse(R"(null)"),
  };
  // The matches, or the error's code and pointer.
  const auto answer = [&set](const auto& data) {
    std::vector<std::size_t> out;
    try {
      set.matches(data, out);
    } catch (const knead::logic::Error& e) {
      return json{{"error", e.code()}, {"at", e.pointer()}};
    }
    return json(out);
  };
  int errors = 0;
  for (const json& p : patients) {
    INFO(p.dump());
    const json want = answer(p);
    CHECK(answer(PackedData(p)) == want);
    errors += want.is_object() ? 1 : 0;
  }
  CHECK(errors > 0);  // some of the records make a rule fail
}

TEST_CASE("Records of different shapes in turn find each key where it is", "[logic][packed]") {
  // A key is first looked for where the last record had it: the next record may hold another
  // key of the same length and type there.
  const ProgramSet set = ProgramSet::compile(
      {json::parse(R"({"in": ["x", {"var": "bb"}]})"), json::parse(R"({"==": [{"var": "cc.dd"}, "y"]})")});
  const std::vector<json> records = {
      json::parse(R"({"aa": [], "bb": ["x"], "cc": {"dd": "y"}})"),
      json::parse(R"({"bb": [], "cc": ["x"], "dd": {"dd": "y"}})"),
      json::parse(R"({"bb": ["z"], "cc": {"ee": "y", "dd": "n"}})"),
      json::parse(R"({"aa": ["x"], "bb": ["x"], "cc": {"dc": "y", "dd": "y", "de": "y"}})"),
      json::parse(R"({"ab": ["x"], "ba": ["x"], "cc": {"d": "y"}})"),
  };
  // Only "bb" read: a record where another key of its length holds an array is decided.
  const ProgramSet one_path = ProgramSet::compile(
      {json::parse(R"({"in": ["x", {"var": "bb"}]})"), json::parse(R"({"!": {"in": ["y", {"var": "bb"}]}})")});
  const std::vector<json> arrays = {
      json::parse(R"({"aa": ["y"], "bb": ["x"]})"),
      json::parse(R"({"bb": ["x"], "cc": ["y"]})"),
      json::parse(R"({"aa": ["x"], "bb": ["y"], "cc": []})"),
      json::parse(R"({"bb": [], "cc": ["x"]})"),
  };
  for (int round = 0; round < 2; ++round) {
    for (const auto& [rules, data] : {std::pair{&set, &records}, std::pair{&one_path, &arrays}}) {
      for (const json& r : *data) {
        INFO(r.dump());
        std::vector<std::size_t> on_json;
        std::vector<std::size_t> on_packed;
        rules->matches(r, on_json);
        rules->matches(PackedData(r), on_packed);
        CHECK(on_packed == on_json);
      }
    }
  }
}
