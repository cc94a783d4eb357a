// JavaScript coercion rules of the JsonLogic core: numbers, strings, equality, truthiness.

#include "support/catch.hpp"

#include "logic/coerce.hpp"
#include "logic/nearest.hpp"

#include <knead/logic.hpp>

#include <cmath>
#include <limits>

using nlohmann::json;
namespace detail = knead::logic::detail;

namespace {

json run(const std::string& rule, const std::string& data = "null") {
  return knead::logic::apply(json::parse(rule), json::parse(data));
}

detail::Number parsed(const std::string& text) {
  detail::Number n;
  REQUIRE(detail::parse_js_number(text, n));
  return n;
}

bool parses(const std::string& text) {
  detail::Number n;
  return detail::parse_js_number(text, n);
}

}  // namespace

TEST_CASE("Numeric strings parse the way JavaScript's Number() does", "[logic][coerce]") {
  CHECK(parsed("42").is_int);
  CHECK(parsed("42").i == 42);
  CHECK(parsed("  -7\n").i == -7);
  CHECK(parsed("").i == 0);
  CHECK(parsed("   ").i == 0);
  CHECK(parsed("1e2").as_double() == 100.0);
  CHECK(parsed("1E-2").as_double() == 0.01);
  CHECK(parsed(".5").as_double() == 0.5);
  CHECK(parsed("5.").as_double() == 5.0);
  CHECK(parsed("+3.25").as_double() == 3.25);
  CHECK(parsed("0x1F").i == 31);
  CHECK(parsed("0b101").i == 5);
  CHECK(parsed("0o17").i == 15);
  CHECK(std::isinf(parsed("Infinity").as_double()));
  CHECK(parsed("-Infinity").as_double() < 0);
  CHECK(std::isinf(parsed("1e400").as_double()));
  CHECK(parsed("1e-400").as_double() == 0.0);
  CHECK(parsed("9007199254740993").i == 9007199254740993LL);
  CHECK(parsed("\xC2\xA0 12 \xE2\x80\xA8").i == 12);  // no-break space, line separator
  CHECK_FALSE(parses("abc"));
  CHECK_FALSE(parses("1_000"));
  CHECK_FALSE(parses("12px"));
  CHECK_FALSE(parses("-0x10"));
  CHECK_FALSE(parses("0x"));
  CHECK_FALSE(parses("1e"));
  CHECK_FALSE(parses("."));
  CHECK_FALSE(parses("NaN"));
  CHECK_FALSE(parses("infinity"));
}

TEST_CASE("Numbers print the way JavaScript's String() does", "[logic][coerce]") {
  CHECK(detail::js_number_string(0.1) == "0.1");
  CHECK(detail::js_number_string(-0.0) == "0");
  CHECK(detail::js_number_string(1.5) == "1.5");
  CHECK(detail::js_number_string(1e21) == "1e+21");
  CHECK(detail::js_number_string(1e20) == "100000000000000000000");
  CHECK(detail::js_number_string(123456789012345680000.0) == "123456789012345680000");
  CHECK(detail::js_number_string(1e-7) == "1e-7");
  CHECK(detail::js_number_string(0.000001) == "0.000001");
  CHECK(detail::js_number_string(1.2345e-10) == "1.2345e-10");
  CHECK(detail::js_number_string(-2.5e30) == "-2.5e+30");
  CHECK(detail::js_number_string(0.1 + 0.2) == "0.30000000000000004");
  CHECK(detail::js_number_string(std::numeric_limits<double>::infinity()) == "Infinity");
  CHECK(detail::js_number_string(std::nan("")) == "NaN");
}

TEST_CASE("Values become strings as in JavaScript when concatenated", "[logic][coerce]") {
  CHECK(run(R"({"cat": [1, 2.5, true, null, "x"]})") == "12.5truex");
  CHECK(run(R"({"cat": [[1, [2, 3]], {"preserve": {"a": 1}}]})") == "1,2,3[object Object]");
  CHECK(run(R"({"cat": [[null, 1]]})") == ",1");
  CHECK(run(R"({"cat": [1e21, 0.1, -0.0]})") == "1e+210.10");
}

TEST_CASE("Truthiness follows JavaScript: [] and \"\" are false, {} and \"0\" are true", "[logic][coerce]") {
  using knead::logic::truthy;
  CHECK_FALSE(truthy(json()));
  CHECK_FALSE(truthy(json(false)));
  CHECK_FALSE(truthy(json(0)));
  CHECK_FALSE(truthy(json(0.0)));
  CHECK_FALSE(truthy(json(-0.0)));
  CHECK_FALSE(truthy(json(std::nan(""))));
  CHECK_FALSE(truthy(json("")));
  CHECK_FALSE(truthy(json::array()));
  CHECK(truthy(json::object()));
  CHECK(truthy(json("0")));
  CHECK(truthy(json(-1)));
  CHECK(truthy(json(0.5)));
  CHECK(truthy(json::array({0})));
  CHECK(truthy(json(std::numeric_limits<std::uint64_t>::max())));
}

TEST_CASE("Loose equality coerces primitives and rejects collections against primitives", "[logic][coerce]") {
  using detail::Cmp;
  CHECK(detail::loose_equals(json(1), json("1")) == Cmp::equal);
  CHECK(detail::loose_equals(json(0), json(false)) == Cmp::equal);
  CHECK(detail::loose_equals(json(""), json(0)) == Cmp::equal);
  CHECK(detail::loose_equals(json(), json(0)) == Cmp::unordered);
  CHECK(detail::loose_equals(json(), json()) == Cmp::equal);
  CHECK(detail::loose_equals(json(1), json("A")) == Cmp::nan);
  CHECK(detail::loose_equals(json::object(), json(1)) == Cmp::nan);
  CHECK(detail::loose_equals(json::array({1, 2}), json::array({1, 2})) == Cmp::equal);
  CHECK(detail::loose_equals(json(3), json(3.0)) == Cmp::equal);
}

TEST_CASE("Strict equality needs the same type but treats all numbers as one type", "[logic][coerce]") {
  CHECK(detail::strict_equals(json(3), json(3.0)));
  CHECK(detail::strict_equals(json(3U), json(3)));
  CHECK_FALSE(detail::strict_equals(json(1), json("1")));
  CHECK_FALSE(detail::strict_equals(json(0), json(false)));
  CHECK(detail::strict_equals(json::parse(R"({"a": [1, {"b": null}]})"), json::parse(R"({"a": [1.0, {"b": null}]})")));
  CHECK_FALSE(detail::strict_equals(json::parse(R"({"a": 1})"), json::parse(R"({"b": 1})")));
}

TEST_CASE("Relational comparison orders strings by code point and numbers numerically", "[logic][coerce]") {
  using detail::Cmp;
  CHECK(detail::compare(json("a"), json("b")) == Cmp::less);
  CHECK(detail::compare(json("Z"), json("a")) == Cmp::less);
  CHECK(detail::compare(json("é"), json("z")) == Cmp::greater);
  CHECK(detail::compare(json("10"), json(9)) == Cmp::greater);
  CHECK(detail::compare(json(), json(0)) == Cmp::equal);
  CHECK(detail::compare(json(true), json(1)) == Cmp::equal);
  CHECK(detail::compare(json(1), json("x")) == Cmp::nan);
  CHECK(detail::compare(json::array(), json(1)) == Cmp::nan);
  CHECK(detail::compare(json("x"), json()) == Cmp::unordered);
  CHECK(detail::compare(json(9007199254740993LL), json(9007199254740992LL)) == Cmp::greater);
}

TEST_CASE("The nearest name is suggested only for likely typos", "[logic][nearest]") {
  const std::vector<std::string> names = knead::logic::OperatorTable::standard().names();
  CHECK(knead::logic::nearest("ad", names) == "and");
  CHECK(knead::logic::nearest("fitler", names) == "filter");
  CHECK(knead::logic::nearest("reduec", names) == "reduce");
  CHECK(knead::logic::nearest("MAP", names) == "map");
  CHECK(knead::logic::nearest("substring", names) == "substr");
  CHECK(knead::logic::nearest("xyzzy", names) == "");
  CHECK(knead::logic::nearest("x", {"+"}).empty());
  CHECK(knead::logic::nearest("", names).empty());
  CHECK(knead::logic::nearest("anything", {}).empty());
  CHECK(detail::edit_distance("kitten", "sitting") == 3);
  CHECK(detail::edit_distance("ab", "ba") == 1);
}
