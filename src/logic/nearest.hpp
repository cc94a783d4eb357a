#pragma once
// The core's names for the one "did you mean" function of the base module.

#include <knead/suggest.hpp>

namespace knead::logic {
using knead::nearest;
using knead::suggest_operator;
namespace detail {
using knead::edit_distance;
}  // namespace detail
}  // namespace knead::logic
