#pragma once
/// \file
/// The member types nlohmann's SAX parser asks of a handler, for the builders to inherit.

#include <nlohmann/json.hpp>

namespace knead::detail::parsing {

struct SaxTypes {
  using json = nlohmann::json;
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;
};

}  // namespace knead::detail::parsing
