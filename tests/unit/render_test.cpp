// Stage 7, render: the table of output formats the CLI and Python render through.
#include "support/catch.hpp"
#include "support/fixtures.hpp"

#include <knead/renderer.hpp>

namespace {

const char* const patient = R"({"id": "p-render", "conditions": ["fibromyalgia"], "pain": {"intensity": 6}})";

}  // namespace

TEST_CASE("The formats are text, json and cds-hooks, text first", "[render]") {
  CHECK(knead::renderer_names() == std::vector<std::string>{"text", "json", "cds-hooks"});
  for (const auto& r : knead::renderers()) {
    CAPTURE(r.name);
    CHECK(knead::find_renderer(r.name) == &r);
    CHECK(std::string(r.summary).find('\n') == std::string::npos);
  }
  CHECK(knead::find_renderer("jsn") == nullptr);
  CHECK(knead::find_renderer("") == nullptr);
}

TEST_CASE("Each format renders what its function gives, ending with a newline", "[render]") {
  const knead::Recommendation rec = knead::test::recommend(patient);
  const knead::RuleSet& rules = knead::test::test_rules();
  CHECK(knead::find_renderer("text")->render(rec, &rules) == knead::to_text(rec, &rules));
  CHECK(knead::find_renderer("json")->render(rec, &rules) == knead::to_json(rec, 2) + "\n");
  CHECK(knead::find_renderer("cds-hooks")->render(rec, &rules) == knead::to_cds_hooks(rec, &rules).dump(2) + "\n");
  for (const auto& r : knead::renderers()) {
    CAPTURE(r.name);
    const std::string out = r.render(rec, &rules);
    REQUIRE_FALSE(out.empty());
    CHECK(out.back() == '\n');
    CHECK(r.render(rec, &rules) == out);  // same input, same bytes
  }
}
