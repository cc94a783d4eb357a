#include <knead/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace knead {

bool operator==(const std::vector<Text>& a, const std::vector<std::string>& b) noexcept {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](const Text& x, const std::string& y) { return x.str() == y; });
}

std::vector<std::string> strings(const std::vector<Text>& texts) {
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(t.str());
  return out;
}

void to_json(nlohmann::json& out, const Text& text) { out = text.str(); }

}  // namespace knead
