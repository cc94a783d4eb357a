#include <knead/logic/value.hpp>

#include <cmath>

namespace knead::logic {

bool truthy(const nlohmann::json& value) noexcept {
  using t = nlohmann::json::value_t;
  switch (value.type()) {
    case t::null: return false;
    case t::boolean: return value.get<bool>();
    case t::number_integer: return value.get<std::int64_t>() != 0;
    case t::number_unsigned: return value.get<std::uint64_t>() != 0;
    case t::number_float: {
      const double d = value.get<double>();
      return d != 0.0 && !std::isnan(d);
    }
    case t::string: return !value.get_ref<const std::string&>().empty();
    case t::array: return !value.get_ref<const nlohmann::json::array_t&>().empty();
    case t::object: return true;
    case t::binary: return true;
    case t::discarded: return false;
  }
  return false;
}

}  // namespace knead::logic
