#include "model/patient_fields.hpp"

namespace knead::detail {
namespace {

struct Standard {
  const char* path;
  bool open;
};

// The standard patient fields; lists are open (their entries are read by the normalizer).
constexpr Standard standard_fields[] = {
    {"$schema", true},  // editors' schema reference; not read
    {"id", true},          {"age", true},           {"sex", true},
    {"conditions", true},  {"goals", true},         {"findings", true},
    {"medications", true}, {"pain", false},         {"pain.intensity", true},
    {"pain.locations", true}, {"pain.flare", true}, {"preferences", false},
    {"preferences.pressure", true}, {"preferences.declined", true},
};

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    out.emplace_back(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

}  // namespace

PatientFields::PatientFields() : PatientFields(std::vector<InputField>{}) {}

PatientFields::PatientFields(std::vector<InputField> inputs) : inputs_(std::move(inputs)) {
  for (const auto& s : standard_fields) {
    Node* node = &root_;
    for (const auto& part : split(s.path)) node = &node->children[part];
    node->open = s.open;
    node->standard = true;
    paths_.emplace_back(s.path);
  }
  for (const auto& input : inputs_) {
    Node* node = &root_;
    for (const auto& part : split(input.path)) node = &node->children[part];
    node->input = &input;
    // Arrays and objects are read whole; what is inside is the rules' business.
    node->open = true;
    paths_.push_back(input.path);
  }
  for (auto& [name, node] : root_.children) {
    static constexpr std::pair<const char*, Top> tops[] = {
        {"conditions", Top::conditions},   {"goals", Top::goals}, {"findings", Top::findings},
        {"medications", Top::medications}, {"pain", Top::pain},   {"preferences", Top::preferences}};
    for (const auto& [key, top] : tops) {
      if (name == key) node.top = top;
    }
  }
  order(root_);
}

void PatientFields::order(Node& node) {
  node.ordered.clear();
  for (auto& [name, child] : node.children) {
    node.ordered.emplace_back(name, &child);
    order(child);
  }
}

bool PatientFields::knows(std::string_view path) const {
  if (path.empty()) return true;
  const Node* node = &root_;
  for (const auto& part : split(path)) {
    if (node->open) return true;
    auto it = node->children.find(part);
    if (it == node->children.end()) return false;
    node = &it->second;
  }
  return true;
}

bool PatientFields::is_standard(std::string_view path) {
  for (const auto& s : standard_fields) {
    const std::string_view p = s.path;
    if (p == path || (p.size() > path.size() && p.compare(0, path.size(), path) == 0 && p[path.size()] == '.')) return true;
  }
  return false;
}

}  // namespace knead::detail
