#include "compile/written_condition.hpp"

#include <string>

namespace knead::detail {

const nlohmann::json* WrittenCondition::clause_at(std::string_view node_pointer) const {
  if (node_pointer.compare(0, pointer.size(), pointer) != 0) return nullptr;
  try {
    return &when.at(nlohmann::json::json_pointer(std::string(node_pointer.substr(pointer.size()))));
  } catch (const nlohmann::json::exception&) {
    return nullptr;  // not a place in `when`
  }
}

}  // namespace knead::detail
