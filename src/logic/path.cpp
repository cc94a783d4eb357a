#include "logic/path.hpp"

#include "logic/coerce.hpp"

#include <charconv>
#include <cmath>

namespace knead::logic::detail {

Segment make_segment(std::string key) {
  Segment seg;
  seg.key = std::move(key);
  const std::string& k = seg.key;
  const bool canonical = !k.empty() && (k == "0" || (k[0] >= '1' && k[0] <= '9'));
  if (canonical) {
    std::size_t value = 0;
    const auto r = std::from_chars(k.data(), k.data() + k.size(), value);
    seg.is_index = r.ec == std::errc() && r.ptr == k.data() + k.size();
    seg.index = value;
  }
  return seg;
}

bool segment_of(const nlohmann::json& element, Segment& out) {
  if (element.is_string()) {
    out = make_segment(element.get<std::string>());
    return true;
  }
  if (element.is_number()) {
    std::string key;
    append_js_string(key, element, 64);
    out = make_segment(std::move(key));
    return true;
  }
  return false;
}

std::vector<Segment> split_dotted(std::string_view path) {
  std::vector<Segment> out;
  if (path.empty()) return out;
  std::size_t begin = 0;
  while (true) {
    const std::size_t dot = path.find('.', begin);
    out.push_back(make_segment(std::string(path.substr(begin, dot == std::string_view::npos ? dot : dot - begin))));
    if (dot == std::string_view::npos) break;
    begin = dot + 1;
  }
  return out;
}

}  // namespace knead::logic::detail
