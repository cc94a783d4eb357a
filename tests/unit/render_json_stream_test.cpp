// The compact JSON of a recommendation is written without building a document; it must be
// byte for byte the document's dump, for every shape a result can take.

#include "support/catch.hpp"
#include "support/fixtures.hpp"

#include <knead/render.hpp>

#include <algorithm>
#include <random>
#include <string>

namespace {

class ResultGenerator {
 public:
  explicit ResultGenerator(std::uint32_t seed) : rng_(seed) {}

  knead::Recommendation next() {
    knead::Recommendation r;
    r.patient = text();
    r.ruleset_name = text();
    r.ruleset_version = text();
    r.ruleset_digest = text();
    r.status = static_cast<knead::Status>(pick(0, 3));  // ok, refer, error, review
    for (int n = pick(0, 3); n > 0; --n) {
      knead::RecommendedModality m;
      m.id = text();
      m.label = text();
      m.score = chance() ? pick(-5, 30) : pick(-500, 500) / 7.0;
      m.pressure = static_cast<knead::Pressure>(pick(1, 3));
      if (chance()) m.duration_min = pick(0, 90);
      m.because = texts();
      m.notes = texts();
      m.cautions = cautions();
      r.modalities.push_back(m);
    }
    for (int n = pick(0, 2); n > 0; --n) r.excluded.push_back({text(), text(), text(), texts()});
    for (int n = pick(0, 2); n > 0; --n) r.self_care.push_back({text(), text(), text(), texts(), texts(), cautions()});
    for (int n = pick(0, 2); n > 0; --n) {
      knead::AvoidedRegion a{text(), text(), static_cast<knead::AvoidLevel>(pick(1, 2)), text(), texts(), std::nullopt};
      if (chance()) a.pressure_max = static_cast<knead::Pressure>(pick(1, 3));
      r.avoid_regions.push_back(a);
    }
    r.cautions = cautions();
    for (int n = pick(0, 2); n > 0; --n)
      r.referrals.push_back({text(), static_cast<knead::Urgency>(pick(0, 3)), text(), texts()});
    if (chance()) {
      knead::PlanOut plan;
      if (chance()) plan.duration_min = pick(10, 90);
      if (chance()) plan.sessions_per_week = pick(1, 3);
      if (chance()) plan.weeks = pick(1, 12);
      plan.because = text();
      r.plan = plan;
    }
    r.warnings = texts<std::string>();
    for (int n = pick(0, 3); n > 0; --n) {
      knead::Interpreted i{text(), text(), chance() ? text() : std::string(), text(), text(), text()};
      r.interpreted.push_back(i);
    }
    for (int n = pick(0, 3); n > 0; --n) {
      r.unresolved.push_back({text(), text(), text(), chance() ? text() : std::string(), text()});
    }
    for (int n = pick(0, 3); n > 0; --n) r.questions.push_back({text(), text(), texts()});
    for (int n = pick(0, 2); n > 0; --n) r.errors.push_back({text(), text(), text()});
    r.fired = texts();
    if (chance()) {
      r.trace.emplace();
      for (int n = pick(0, 3); n > 0; --n) {
        knead::RuleTrace t;
        t.rule = text();
        t.title = text();
        t.fired = chance();
        if (chance()) t.error = text();
        if (chance()) {
          t.failed_pointer = "/rules/" + std::to_string(pick(0, 9)) + "/when";
          t.failed_location = {text(), static_cast<std::size_t>(pick(1, 99)), static_cast<std::size_t>(pick(1, 99))};
          t.failed_clause =
              nlohmann::json::parse(R"({"in": ["x", {"var": "conditions"}], "z": [1.5, null, "\u00e9"]})");
        }
        r.trace->push_back(t);
      }
    }
    return r;
  }

 private:
  bool chance() { return (rng_() & 1U) != 0; }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  // Strings with everything that needs escaping: quotes, backslashes, control characters,
  // DEL, multi-byte UTF-8, and bytes that are not UTF-8 (replaced, never thrown on).
  std::string text() {
    static const std::vector<std::string> pieces = {"a",
                                                    "fibromyalgia",
                                                    " ",
                                                    "\"",
                                                    "\\",
                                                    "/",
                                                    "\n",
                                                    "\t",
                                                    "\r",
                                                    "\b",
                                                    "\f",
                                                    std::string(1, '\x01'),
                                                    std::string(1, '\x1f'),
                                                    "\x7f",
                                                    "\xc3\xa9",
                                                    "\xe2\x80\x94",
                                                    "\xf0\x9f\x98\x80",
                                                    "\xff",
                                                    "\xc3",
                                                    ""};
    std::string out;
    for (int n = pick(0, 6); n > 0; --n)
      out += pieces[static_cast<std::size_t>(pick(0, static_cast<int>(pieces.size()) - 1))];
    return out;
  }
  // A list of texts: of the result's Text (rule ids, notes) or of plain strings (warnings).
  template <typename T = knead::Text>
  std::vector<T> texts() {
    std::vector<T> out;
    for (int n = pick(0, 3); n > 0; --n) out.push_back(text());
    return out;
  }
  std::vector<knead::Caution> cautions() {
    std::vector<knead::Caution> out;
    for (int n = pick(0, 2); n > 0; --n) {
      knead::Caution c;
      c.reason = text();
      c.because = texts();
      if (chance()) c.target = text();
      if (chance()) c.pressure_max = static_cast<knead::Pressure>(pick(1, 3));
      out.push_back(c);
    }
    return out;
  }

  std::mt19937 rng_;
};

// The document's compact dump as to_json writes it: invalid UTF-8 replaced, never thrown on.
std::string dom_dump(const knead::Recommendation& r) {
  return knead::to_json_value(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

TEST_CASE("Compact JSON output is the document's dump, byte for byte, on generated results", "[render][json]") {
  ResultGenerator gen(2024);
  bool seen_review = false;
  bool seen_interpreted = false;
  bool seen_unresolved = false;
  bool seen_questions = false;
  bool seen_region_cap = false;
  for (int i = 0; i < 3000; ++i) {
    const knead::Recommendation r = gen.next();
    REQUIRE(knead::to_json(r, -1) == dom_dump(r));
    seen_review = seen_review || r.status == knead::Status::review;
    seen_interpreted = seen_interpreted || !r.interpreted.empty();
    seen_unresolved = seen_unresolved || !r.unresolved.empty();
    seen_questions = seen_questions || !r.questions.empty();
    for (const auto& a : r.avoid_regions) seen_region_cap = seen_region_cap || a.pressure_max.has_value();
  }
  // The generator reaches every field a result can carry.
  CHECK(seen_review);
  CHECK(seen_interpreted);
  CHECK(seen_unresolved);
  CHECK(seen_questions);
  CHECK(seen_region_cap);
}

TEST_CASE("Compact JSON output is the document's dump on real results", "[render][json]") {
  for (const char* patient :
       {R"({"id": "p1", "conditions": ["fibromyalgia"], "pain": {"intensity": 6}})",
        R"({"id": "p2", "conditions": ["chronic_low_back_pain"], "findings": ["dvt_history"]})",
        R"({"id": "p\"3", "age": 70})",
        // read by synonym and brand, one unreadable entry: status review
        R"({"id": "p4", "conditions": ["fibromylagia", "low back pain"], "medications": ["Eliquis"]})"}) {
    for (const bool explain : {false, true}) {
      knead::RecommendOptions options;
      options.explain = explain;
      const auto r = knead::test::recommend(patient, options);
      CHECK(knead::to_json(r, -1) == dom_dump(r));
    }
  }
}

TEST_CASE("Compact JSON output replaces invalid UTF-8 as the indented output does", "[render][json]") {
  knead::Recommendation r;
  r.patient = "bad \xff byte";
  std::string compact;
  REQUIRE_NOTHROW(compact = knead::to_json(r, -1));
  CHECK(compact == dom_dump(r));
  CHECK(compact.find("bad \xef\xbf\xbd byte") != std::string::npos);
}

TEST_CASE("Compact JSON output escapes every byte value at every place in a string", "[render][json]") {
  // Strings are scanned sixteen bytes at a time, the last sixteen overlapping, and shorter
  // strings padded: put each byte before, inside and after a block, in strings of every kind.
  knead::Recommendation r;
  for (const std::size_t size : {1, 7, 8, 15, 16, 17, 31, 32, 33, 40}) {
    for (int byte = 0; byte < 256; ++byte) {
      for (std::size_t at = 0; at < size; ++at) {
        r.patient.assign(size, 'x');
        r.patient[at] = static_cast<char>(byte);
        CAPTURE(size, byte, at);
        REQUIRE(knead::to_json(r, -1) == dom_dump(r));
      }
    }
  }
  // A short string is read sixteen bytes at a time from its buffer, past its end: what lies
  // there (here quotes and control bytes left by a longer text) is not part of it.
  for (std::size_t size = 0; size < 40; ++size) {
    for (const char left : {'"', '\n', '\x80'}) {
      r.patient.assign(40, left);
      r.patient.resize(size);
      std::fill(r.patient.begin(), r.patient.end(), 'x');
      std::string small(15, left);
      small.resize(size < 15 ? size : 15);
      std::fill(small.begin(), small.end(), 'y');
      r.ruleset_name = small;
      CAPTURE(size, left);
      REQUIRE(knead::to_json(r, -1) == dom_dump(r));
    }
  }
}
