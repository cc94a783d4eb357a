// Rule sets stacked on one another: a clinic's own rules over a base rule set.
#include "support/catch.hpp"
#include "support/fixtures.hpp"

#include <knead/knead.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {

std::string overlay(const std::string& name) { return knead::test::data_path("overlay/" + name); }

bool has_rule(const knead::RuleSet& rules, const std::string& id) {
  const auto& all = rules.rules();
  return std::any_of(all.begin(), all.end(), [&](const knead::Rule& r) { return r.id == id; });
}

const knead::Rule& rule(const knead::RuleSet& rules, const std::string& id) {
  for (const auto& r : rules.rules()) {
    if (r.id == id) return r;
  }
  FAIL("no rule " << id);
  throw std::logic_error("unreachable");
}

std::vector<std::string> codes(const knead::LoadResult& result) {
  std::vector<std::string> out;
  for (const auto& d : result.diagnostics) out.push_back(d.code);
  return out;
}

}  // namespace

TEST_CASE("a two-layer rule set adds, replaces and disables only what it says", "[overlay]") {
  const knead::RuleSet base = knead::RuleSet::load(overlay("base.json"));
  const knead::RuleSet stack = knead::RuleSet::load(std::vector<std::filesystem::path>{overlay("base.json"), overlay("clinic.json")});

  CHECK(has_rule(stack, "headache.craniosacral"));      // added
  CHECK_FALSE(has_rule(stack, "gout.swedish"));         // disabled
  CHECK(has_rule(stack, "safety.anticoagulant"));       // kept
  REQUIRE(has_rule(stack, "fibro.swedish"));            // replaced: the clinic's version
  CHECK(rule(stack, "fibro.swedish").recommend.size() == 1);
  CHECK(rule(stack, "fibro.swedish").location.file == overlay("clinic.json"));
  CHECK(stack.ontology().index(knead::ConceptKind::modality, "craniosacral").has_value());

  // The top layer names the stack; every layer is listed, and the digest covers the stack.
  CHECK(stack.name() == "clinic-extra");
  CHECK(stack.version() == "1.2.0");
  REQUIRE(stack.layers().size() == 2);
  CHECK(stack.layers()[0].name == "overlay-base");
  CHECK(stack.layers()[0].version == "1.0.0");
  CHECK(stack.layers()[1].name == "clinic-extra");
  CHECK(stack.layers()[0].digest.rfind("sha256:", 0) == 0);
  CHECK(stack.layers()[0].digest != stack.layers()[1].digest);
  CHECK(stack.digest() != base.digest());
  REQUIRE(base.layers().size() == 1);
  CHECK(base.layers()[0].name == "overlay-base");
  CHECK(base.layers()[0].digest == base.digest());  // one layer: the rule set itself

  // The result names every layer.
  const knead::Engine engine{stack};
  const auto rec = engine.recommend(knead::Patient::from_json({{"conditions", {"fibromyalgia", "tension_headache"}}}));
  const auto doc = nlohmann::json::parse(knead::to_json(rec));
  CHECK(doc["ruleset"]["name"] == "clinic-extra");
  REQUIRE(doc["ruleset"]["layers"].size() == 2);
  CHECK(doc["ruleset"]["layers"][0]["name"] == "overlay-base");
  CHECK(doc["ruleset"]["layers"][1]["digest"] == stack.layers()[1].digest);
  // The result refers to the rule set's list of layers; a copy of it is a list of its own.
  CHECK(rec.ruleset_layers.borrowed());
  CHECK(&rec.ruleset_layers.list() == &stack.layers());
  const knead::RuleSetLayers copied = rec.ruleset_layers;
  CHECK_FALSE(copied.borrowed());
  CHECK(&copied.list() != &stack.layers());
  REQUIRE(copied.size() == 2);
  CHECK(copied[1].name == "clinic-extra");
  CHECK(knead::test::contains_id(rec.modalities, "craniosacral"));
  CHECK_FALSE(knead::test::contains_id(rec.modalities, "deep_tissue"));  // the replaced rule recommended it
}

TEST_CASE("an overlay that reuses a base rule's id without saying so is an error", "[overlay]") {
  const auto result =
      knead::RuleSet::try_load(std::vector<std::filesystem::path>{overlay("base.json"), overlay("accidental.json")});
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].code == "check.duplicate_id");
  CHECK(result.diagnostics[0].location.file == overlay("accidental.json"));
}

TEST_CASE("replaces and disable must name a rule beneath, with a suggestion", "[overlay]") {
  const auto result =
      knead::RuleSet::try_load(std::vector<std::filesystem::path>{overlay("base.json"), overlay("bad_target.json")});
  REQUIRE_FALSE(result.ok());
  CHECK(codes(result) == std::vector<std::string>{"overlay.unknown_rule", "overlay.unknown_rule"});
  CHECK(result.diagnostics[0].message ==
        "'disable' names rule 'gout.swedsh', which no rule set beneath this one defines; did you mean 'gout.swedish'?");
  CHECK(result.diagnostics[0].pointer == "/disable/0");
  CHECK(result.diagnostics[1].message.find("did you mean 'fibro.swedish'?") != std::string::npos);
  CHECK(result.diagnostics[1].pointer == "/rules/0/replaces");

  // Alone, an overlay has nothing beneath it.
  const auto alone = knead::RuleSet::try_load(overlay("clinic.json"));
  REQUIRE_FALSE(alone.ok());
  CHECK(alone.diagnostics[0].code == "overlay.unknown_rule");
}

TEST_CASE("an include may name a folder: its rule files, sorted by name", "[overlay][load]") {
  const knead::RuleSet rules = knead::RuleSet::load(overlay("include_folder/main.json"));
  CHECK(rules.files() == std::vector<std::string>{overlay("include_folder/parts/a_conditions.json"),
                                                  overlay("include_folder/parts/b_modalities.json"),
                                                  overlay("include_folder/main.json")});
  CHECK(has_rule(rules, "fibro.swedish"));
}

TEST_CASE("a rule set version is MAJOR[.MINOR[.PATCH]], as the schema says", "[check]") {
  const auto load = [](const std::string& version) {
    return knead::RuleSet::parse(R"({"ruleset": "v", "version": ")" + version + R"("})");
  };
  for (const char* good : {"1.0.0", "2.10.3-rc.1+build.5", "0.1", "1"}) {
    INFO(good);
    CHECK_NOTHROW(load(good));
  }
  for (const char* bad : {"01.0.0", "1.0.0-", "v1.0.0", "1.0.0.0", "1.", "", "latest"}) {
    INFO(bad);
    try {
      (void)load(bad);
      FAIL("accepted");
    } catch (const knead::LoadError& e) {
      CHECK(e.diagnostics().front().code == "check.version_format");
    }
  }
}
