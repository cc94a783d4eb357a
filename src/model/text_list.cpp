#include <knead/text_list.hpp>

#include <nlohmann/json.hpp>

namespace knead {

std::vector<Text> TextList::texts() const {
  std::vector<Text> out;
  out.reserve(size());
  for (const Text& t : *this) out.push_back(Text::borrow(t.str()));
  return out;
}

std::vector<std::string> strings(const TextList& texts) {
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(t.str());
  return out;
}

void to_json(nlohmann::json& out, const TextList& texts) {
  out = nlohmann::json::array();
  for (const auto& t : texts) out.push_back(t.str());
}

}  // namespace knead
