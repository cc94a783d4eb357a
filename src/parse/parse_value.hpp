#pragma once
/// \file
/// Reading a value from JSON text into storage the caller keeps (Patient::parse reuses the
/// previous record's).

#include <knead/document.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace knead::detail {

/// Document::parse_value(text, file, limits), into `root`: the storage of the value `root`
/// holds is reused where the new value has the same shape (parse/plain_parser.hpp). On an
/// error it throws what Document::parse_value throws, and `root` holds some valid value.
void parse_value_into(std::string_view text, const std::string& file, const ParseLimits& limits, nlohmann::json& root);

}  // namespace knead::detail
