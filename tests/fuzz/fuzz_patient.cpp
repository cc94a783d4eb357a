// Fuzz target: a patient document parsed, recommended for with the shipped rule set (plain,
// explained and strict), and rendered in every format. A patient may be rejected with
// ParseError or PatientError; a recommendation must always render.
#include <knead/engine.hpp>
#include <knead/error.hpp>
#include <knead/patient.hpp>
#include <knead/render.hpp>
#include <knead/rule_set.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

const knead::Engine& engine() {
  static const knead::Engine e{knead::RuleSet::load(KNEAD_FUZZ_RULES_DIR)};
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  knead::Patient patient;
  try {
    patient = knead::Patient::parse(text, "<fuzz>");
  } catch (const knead::ParseError&) {
    return 0;
  } catch (const knead::PatientError&) {
    return 0;
  }
  for (int mode = 0; mode < 3; ++mode) {
    knead::RecommendOptions options;
    options.explain = mode == 1;
    options.strict = mode == 2;
    knead::Recommendation rec;
    try {
      rec = engine().recommend(patient, options);
    } catch (const knead::PatientError&) {
      if (!options.strict) __builtin_trap();  // only strict mode may reject a parsed patient
      continue;
    }
    (void)knead::to_text(rec, &engine().rules());
    (void)knead::to_json(rec, -1);
    (void)knead::to_json(rec, 2);
    (void)knead::to_cds_hooks(rec, &engine().rules())
        .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::strict);
  }
  return 0;
}
