#pragma once
/// \file
/// How names in a patient record match a rule set's ids, synonyms and labels.

#include <knead/export.hpp>
#include <string>
#include <string_view>

namespace knead {

/// A name in the form it is matched in: ASCII letters lower-cased, apostrophes dropped, and every
/// run of other punctuation or space (including '_', '-' and '.') one '_', none at either end.
/// "Deep-Tissue  massage" and "deep_tissue_massage" both give "deep_tissue_massage".
[[nodiscard]] KNEAD_API std::string normalize_name(std::string_view text);

}  // namespace knead
