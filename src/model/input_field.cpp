#include <knead/input_field.hpp>

namespace knead {

const char* to_string(InputType type) noexcept {
  switch (type) {
    case InputType::number: return "number";
    case InputType::integer: return "integer";
    case InputType::string: return "string";
    case InputType::boolean: return "boolean";
    case InputType::array: return "array";
    case InputType::object: return "object";
  }
  return "value";
}

}  // namespace knead
