#include <knead/engine.hpp>

#include "evaluate/evaluate.hpp"
#include "resolve/resolve.hpp"

namespace knead {

Recommendation Engine::recommend(const Patient& patient, const RecommendOptions& options) const {
  const auto& compiled = rules_.compiled();
  Recommendation out = detail::resolve(compiled, patient, detail::evaluate(compiled, patient, options));
  out.rule_set = rules_.impl_;  // the result's texts refer to its strings
  return out;
}

}  // namespace knead
