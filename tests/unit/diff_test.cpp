// Differences between two versions of a rule set: content, field by field, and behaviour over
// the shipped case files.
#include "support/catch.hpp"

#include <knead/knead.hpp>
#include <knead/diff.hpp>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path source_dir{KNEAD_SOURCE_DIR};

json read(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

void write(const fs::path& p, const json& doc) {
  std::ofstream out(p);
  out << doc.dump(2);
}

// The shipped rules as they might have been one version earlier: without the anticoagulant
// rule, and with a lighter weight on Swedish for fibromyalgia sleep problems.
fs::path older_rules() {
  const fs::path dir = fs::temp_directory_path() / "knead-diff-test-old-rules";
  fs::remove_all(dir);
  fs::copy(source_dir / "rules", dir);
  json safety = read(dir / "safety_precautions.json");
  auto& rules = safety["rules"];
  rules.erase(std::remove_if(rules.begin(), rules.end(),
                             [](const json& r) { return r["id"] == "safety.anticoagulant.deep_pressure"; }),
              rules.end());
  write(dir / "safety_precautions.json", safety);
  json fibro = read(dir / "fibromyalgia.json");
  for (auto& r : fibro["rules"]) {
    if (r["id"] == "fibromyalgia.sleep.swedish") r["then"]["recommend"][0]["weight"] = 1;
  }
  write(dir / "fibromyalgia.json", fibro);
  return dir;
}

std::vector<knead::DiffPatient> shipped_cases() {
  std::vector<knead::DiffPatient> out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(source_dir / "tests" / "cases")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    const json doc = read(f);
    for (const auto& c : doc.is_array() ? doc : json::array({doc})) {
      out.push_back(knead::DiffPatient{c.value("name", ""), f.string(), c["patient"]});
    }
  }
  return out;
}

}  // namespace

TEST_CASE("diff between two versions of the shipped rules over the shipped cases", "[diff]") {
  const knead::RuleSet before = knead::RuleSet::load(older_rules());
  const knead::RuleSet after = knead::RuleSet::load(source_dir / "rules");
  const auto patients = shipped_cases();
  const knead::RuleSetDiff diff = knead::diff_rule_sets(before, after, patients);

  REQUIRE(diff.items.size() == 2);
  const auto& changed = diff.items[0];
  CHECK(changed.item == "rule");
  CHECK(changed.id == "fibromyalgia.sleep.swedish");
  CHECK(changed.change == knead::ItemChange::Kind::changed);
  REQUIRE(changed.fields.size() == 1);
  CHECK(changed.fields[0].field == "/then/recommend/0/weight");
  CHECK(changed.fields[0].before == 1);
  CHECK(changed.fields[0].after == 2);
  CHECK(changed.after.file.find("fibromyalgia.json") != std::string::npos);
  CHECK(changed.after.line > 0);
  const auto& added = diff.items[1];
  CHECK(added.id == "safety.anticoagulant.deep_pressure");
  CHECK(added.change == knead::ItemChange::Kind::added);
  CHECK(added.before.file.empty());

  CHECK(diff.patients_compared == patients.size());
  REQUIRE_FALSE(diff.patients.empty());
  CHECK(diff.patients.size() < patients.size());
  // Someone on a blood thinner loses deep pressure work.
  bool deep_excluded = false;
  for (const auto& p : diff.patients) {
    for (const auto& line : p.differences) deep_excluded = deep_excluded || line == "excluded added: deep_tissue";
  }
  CHECK(deep_excluded);

  const json j = knead::to_json(diff);
  CHECK(j["rules"][0]["fields"][0]["field"] == "/then/recommend/0/weight");
  CHECK(j["patients"]["compared"] == patients.size());
  CHECK(j["after"]["digest"] == after.digest());
  const std::string text = knead::to_text(diff);
  CHECK(text.find("changed rule 'fibromyalgia.sleep.swedish'") != std::string::npos);
  CHECK(text.find("    /then/recommend/0/weight: 1 -> 2") != std::string::npos);

  // A rule set compared with itself: nothing.
  CHECK(knead::diff_rule_sets(after, after, patients).empty());
}

TEST_CASE("diff_results lists each kind of change in a result", "[diff]") {
  knead::Recommendation a;
  knead::Recommendation b;
  a.modalities.push_back({});
  a.modalities[0].id = "swedish";
  a.modalities[0].pressure = knead::Pressure::medium;
  b.modalities = a.modalities;
  b.modalities[0].pressure = knead::Pressure::light;
  b.modalities.push_back({});
  b.modalities[1].id = "craniosacral";
  b.status = knead::Status::refer;
  b.referrals.push_back({"physician", knead::Urgency::same_day, "r", {}});
  b.avoid_regions.push_back({"neck", "Neck", knead::AvoidLevel::contraindicated, "r", {}, std::nullopt});
  CHECK(knead::diff_results(a, b) == std::vector<std::string>{"status: ok -> refer", "modality added: craniosacral",
                                                              "pressure of swedish: medium -> light",
                                                              "referral added: physician (same_day)",
                                                              "region added: neck (contraindicated)"});
}
