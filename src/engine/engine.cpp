#include <knead/engine.hpp>

#include "evaluate/evaluate.hpp"
#include "resolve/resolve.hpp"

namespace knead {

Recommendation Engine::recommend(const Patient& patient, const RecommendOptions& options) const {
  const auto& compiled = rules_.compiled();
  return detail::resolve(compiled, patient, detail::evaluate(compiled, patient, options));
}

}  // namespace knead
