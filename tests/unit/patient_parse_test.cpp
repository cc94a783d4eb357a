#include "support/catch.hpp"

#include <knead/document.hpp>
#include <knead/error.hpp>
#include <knead/patient.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace {

// The same value with the same types all the way down (== alone takes 1 for 1u and 1.0).
bool same(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type() || a.size() != b.size() || a != b) return false;
  if (a.is_array()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same(a[i], b[i])) return false;
    }
  } else if (a.is_object()) {
    for (const auto& [key, value] : a.items()) {
      if (!b.contains(key) || !same(value, b.at(key))) return false;
    }
  }
  return a.dump() == b.dump();
}

}  // namespace

// A thread reads each patient into the storage of the record it let go of before: every
// record must come out exactly as a fresh parse gives it, whatever the one before held.
TEST_CASE("records parsed one after another are each what a fresh parse gives", "[parse]") {
  const std::vector<std::string> texts = {
      R"({"id":"p1","age":33,"sex":"female","conditions":["sciatica","psoriatic_arthritis"],"goals":["reduce_pain"],)"
      R"("findings":[],"medications":["warfarin"],"pain":{"intensity":5,"locations":["low_back","hands"],"flare":false},)"
      R"("preferences":{"pressure":"light","declined":[]}})",
      // Fewer members, lists shorter and longer, other types where strings were.
      R"({"id":"p2","conditions":["fibromyalgia"],"goals":["reduce_anxiety","sleep","mobility","workout_recovery","x"],)"
      R"("pain":{"intensity":7.5,"locations":[]}})",
      R"({"age":150,"conditions":[{"system":"http://snomed.info/sct","code":"279039007"},"neck_pain"],)"
      R"("findings":[{"id":"varicose_veins","sites":["left_calf"]}],"notes":{"free":[1,2,3]}})",
      // A long string where a short one was, and the other way round; an object where a list was.
      R"({"id":"a patient id that is much longer than sixteen bytes","notes":[null,true,"x"]})",
      R"({"id":"p","notes":"now a string","extra":{"deep":[[1],[2,[3]]]}})",
      R"({"id":"M\u00fcller","conditions":["caf\u00e9"]})",  // escapes: nlohmann's parser
      R"({})",
      R"({"id":"p1","age":33,"sex":"female","conditions":["sciatica","psoriatic_arthritis"]})",
  };
  std::vector<knead::Patient> kept;
  for (int round = 0; round < 2; ++round) {
    for (const std::string& text : texts) {
      CAPTURE(text);
      const knead::Patient patient = knead::Patient::parse(text, "p.json");
      CHECK(same(patient.document(), nlohmann::json::parse(text)));
      if (round == 1) kept.push_back(patient);
    }
  }
  // Patients still held keep their records: only a record nobody holds is read over.
  for (std::size_t i = 0; i < texts.size(); ++i) {
    CHECK(same(kept[i].document(), nlohmann::json::parse(texts[i])));
  }
}

TEST_CASE("a record read over the previous one is rejected as a fresh parse rejects it", "[parse]") {
  const std::string good = R"({"id":"p1","conditions":["sciatica"],"pain":{"intensity":5}})";
  const std::vector<std::string> bad = {
      R"({"id":"p1","conditions":["sciatica"],"id":"p2"})",              // a duplicate of a member reused
      R"({"id":"p1","conditions":["sciatica"],"pain":{"intensity":5,)",  // cut off inside a reused member
      R"({"id":"p1","conditions":["sciatica", 7]})",                     // a wrong type in a reused list
  };
  for (const std::string& text : bad) {
    CAPTURE(text);
    (void)knead::Patient::parse(good, "p.json");  // the record the next parse reads over
    std::string fresh;
    try {
      (void)knead::Document::parse_value(text, "p.json");
      fresh = "patient";
    } catch (const knead::ParseError& e) {
      fresh = e.what();
    }
    std::string reused;
    try {
      (void)knead::Patient::parse(text, "p.json");
    } catch (const knead::ParseError& e) {
      reused = e.what();
    } catch (const knead::PatientError&) {
      reused = "patient";
    }
    CHECK(reused == fresh);
    // And the next record is read right.
    const knead::Patient after = knead::Patient::parse(good, "p.json");
    CHECK(same(after.document(), nlohmann::json::parse(good)));
  }
}
