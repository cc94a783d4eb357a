#include "parse/location_table.hpp"

namespace knead::detail::parsing {
namespace {

// Unescapes one reference token ("~1" -> "/", "~0" -> "~"); false for a stray '~'.
bool unescape_token(std::string_view token, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] != '~') {
      out += token[i];
      continue;
    }
    if (i + 1 == token.size()) return false;
    const char next = token[++i];
    if (next == '0') {
      out += '~';
    } else if (next == '1') {
      out += '/';
    } else {
      return false;
    }
  }
  return true;
}

// RFC 6901 array index: "0" or digits without a leading zero.
bool parse_index(std::string_view token, std::size_t& out) {
  if (token.empty() || token.size() > 18 || (token.size() > 1 && token[0] == '0')) return false;
  std::size_t value = 0;
  for (const char c : token) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  out = value;
  return true;
}

}  // namespace

std::size_t LocationTable::find_member(std::size_t object, std::string_view name) const noexcept {
  for (std::size_t child = object + 1; child < nodes_[object].end; child = nodes_[child].end) {
    const std::size_t k = nodes_[child].key;
    if (k != npos && key_text(k) == name) return child;
  }
  return npos;
}

std::size_t LocationTable::find_element(std::size_t array, std::size_t position) const noexcept {
  std::size_t child = array + 1;
  for (std::size_t i = 0; child < nodes_[array].end; ++i, child = nodes_[child].end) {
    if (i == position) return child;
  }
  return npos;
}

std::size_t LocationTable::resolve(std::string_view pointer, bool* exact) const {
  std::size_t current = 0;
  if (exact != nullptr) *exact = pointer.empty();
  if (pointer.empty() || pointer.front() != '/') return current;
  std::string token;
  std::size_t pos = 1;
  while (true) {
    const std::size_t slash = pointer.find('/', pos);
    const std::string_view raw =
        pointer.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (!unescape_token(raw, token)) return current;
    std::size_t next = npos;
    const Node& node = nodes_[current];
    if (node.kind == Kind::object) {
      next = find_member(current, token);
    } else if (node.kind == Kind::array) {
      std::size_t position = 0;
      if (parse_index(token, position)) next = find_element(current, position);
    }
    if (next == npos) return current;
    current = next;
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  if (exact != nullptr) *exact = true;
  return current;
}

}  // namespace knead::detail::parsing
