#include "compile/data_reads.hpp"

#include <knead/document.hpp>

#include <algorithm>
#include <string_view>

namespace knead::detail {
namespace {

using nlohmann::json;

// A literal key as var, val and missing read it: a string, or an integer index.
bool key_text(const json& v, std::string& out) {
  if (v.is_string()) {
    out = v.get<std::string>();
    return true;
  }
  if (v.is_number_integer() || v.is_number_unsigned()) {
    out = v.dump();
    return true;
  }
  return false;
}

}  // namespace

void DataReads::add_path(const std::vector<std::string>& keys) {
  if (keys.empty()) {
    everything_ = true;  // the whole scope
    return;
  }
  std::string pointer;
  for (const auto& key : keys) pointer += "/" + pointer_escape(key);
  const auto at = std::lower_bound(pointers_.begin(), pointers_.end(), pointer);
  if (at == pointers_.end() || *at != pointer) pointers_.insert(at, std::move(pointer));
}

// var and missing split a path at dots ("pain.intensity"); "" is the whole scope.
void DataReads::add_dotted(const std::string& path) {
  std::vector<std::string> keys;
  if (!path.empty()) {
    std::size_t begin = 0;
    while (true) {
      const std::size_t dot = path.find('.', begin);
      keys.push_back(path.substr(begin, dot == std::string::npos ? dot : dot - begin));
      if (dot == std::string::npos) break;
      begin = dot + 1;
    }
  }
  add_path(keys);
  // The path as one key too: errs toward reading more.
  if (!path.empty()) add_path({path});
}

void DataReads::read_var(const json& args) {
  const json* path = &args;
  if (args.is_array()) {
    if (args.empty()) {
      everything_ = true;
      return;
    }
    path = &args[0];
  }
  if (path->is_null()) {
    everything_ = true;  // the whole scope
    return;
  }
  read_dotted(*path);
}

void DataReads::read_dotted(const json& key) {
  std::string text;
  if (!key_text(key, text)) {
    everything_ = true;  // a computed path
    return;
  }
  add_dotted(text);
}

// val and exists: a list of keys, maybe after [[n]], a climb out of n scopes.
void DataReads::read_val(const json& args) {
  if (!args.is_array()) return read_dotted(args);
  std::vector<std::string> keys;
  for (const auto& part : args) {
    if (part.is_null()) continue;
    std::string text;
    if (!key_text(part, text)) {
      everything_ = true;  // a climb, or a computed key
      return;
    }
    keys.push_back(std::move(text));
  }
  add_path(keys);
}

void DataReads::read_keys(const json& keys) {
  if (!keys.is_array()) return read_dotted(keys);
  for (const auto& key : keys) {
    if (key.is_array()) {
      read_keys(key);
    } else {
      read_dotted(key);
    }
  }
}

void DataReads::add(const json& condition) {
  remembered_.clear();  // answers kept before this condition may have changed
  if (everything_) return;
  if (condition.is_array()) {
    for (const auto& item : condition) add(item);
    return;
  }
  if (!condition.is_object()) return;
  for (const auto& [op, args] : condition.items()) {
    if (op == "var") {
      read_var(args);
    } else if (op == "val" || op == "exists") {
      read_val(args);
    } else if (op == "missing") {
      read_keys(args);
    } else if (op == "missing_some") {
      if (args.is_array() && args.size() == 2) {
        read_keys(args[1]);
      } else {
        everything_ = true;
      }
    }
    // Paths inside the arguments (a computed path, a default) are reads too.
    add(args);
  }
}

// Asked for every name that is not an exact id: a few binary searches in the sorted reads.
bool DataReads::may_read(std::string_view pointer) const {
  for (const auto& [known, answer] : remembered_) {
    if (known == pointer) return answer;
  }
  return search(pointer);
}

void DataReads::remember(std::string_view pointer) {
  const bool answer = search(pointer);
  remembered_.emplace_back(std::string(pointer), answer);
}

bool DataReads::search(std::string_view pointer) const {
  if (everything_) return true;
  const auto less = [](const std::string& a, std::string_view b) { return std::string_view(a) < b; };
  // A read of the value itself, or of one inside it: both begin with `pointer` and sort from
  // it on (compared in place, without building pointer + "/").
  for (auto at = std::lower_bound(pointers_.begin(), pointers_.end(), pointer, less);
       at != pointers_.end() && at->compare(0, pointer.size(), pointer) == 0; ++at) {
    if (at->size() == pointer.size() || (*at)[pointer.size()] == '/') return true;
  }
  // A read of a value around it: one of its ancestors.
  for (std::size_t slash = pointer.rfind('/'); slash != std::string_view::npos && slash > 0;
       slash = pointer.rfind('/', slash - 1)) {
    if (std::binary_search(pointers_.begin(), pointers_.end(), pointer.substr(0, slash),
                           [](const auto& a, const auto& b) { return std::string_view(a) < std::string_view(b); })) {
      return true;
    }
  }
  return false;
}

}  // namespace knead::detail
