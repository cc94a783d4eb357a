#include "overlay/overlay.hpp"

#include "logic/nearest.hpp"
#include "util/sha256.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace knead::detail {
namespace {

using nlohmann::json;

Diagnostic overlay_error(const Document& doc, const std::string& pointer, std::string code, std::string message) {
  Diagnostic d;
  d.code = std::move(code);
  d.message = std::move(message);
  d.location = doc.locate(pointer);
  d.pointer = pointer;
  return d;
}

// The identity a layer gives itself: its first `ruleset` and `version`.
void read_identity(const std::vector<Document>& docs, std::size_t begin, std::size_t end, RuleSetLayer& layer) {
  for (std::size_t i = begin; i < end; ++i) {
    const json& root = docs[i].root();
    if (!root.is_object()) continue;
    if (layer.name.empty() && root.contains("ruleset") && root["ruleset"].is_string()) layer.name = root["ruleset"];
    if (layer.version.empty() && root.contains("version") && root["version"].is_string()) layer.version = root["version"];
  }
  if (layer.name.empty()) layer.name = "unnamed";
  if (layer.version.empty()) layer.version = "0.0.0";
}

// The digest of a layer's own files: each document's content, keys sorted, in load order.
std::string layer_digest(const std::vector<Document>& docs, std::size_t begin, std::size_t end) {
  json all = json::array();
  for (std::size_t i = begin; i < end; ++i) all.push_back(docs[i].root());
  return "sha256:" + sha256_hex(all.dump());
}

// Rule ids a document defines, with the pointer of each.
std::vector<std::pair<std::string, std::string>> rule_ids(const Document& doc) {
  std::vector<std::pair<std::string, std::string>> out;
  const json& root = doc.root();
  if (!root.is_object() || !root.contains("rules") || !root["rules"].is_array()) return out;
  const json& rules = root["rules"];
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].is_object() && rules[i].contains("id") && rules[i]["id"].is_string()) {
      out.emplace_back(rules[i]["id"].get<std::string>(), "/rules/" + std::to_string(i));
    }
  }
  return out;
}

}  // namespace

LoadedLayers load_layers(const std::vector<std::filesystem::path>& paths, const ParseLimits& limits,
                         bool includes_anywhere) {
  LoadedLayers out;
  auto& docs = out.files.documents;
  std::vector<std::size_t> begins;
  for (std::size_t layer = 0; layer < paths.size(); ++layer) {
    LoadedFiles files = load_files(paths[layer], limits, includes_anywhere);
    begins.push_back(docs.size());
    for (auto& d : files.documents) {
      docs.push_back(std::move(d));
      out.plan.layer_of.push_back(layer);
    }
    out.files.diagnostics.insert(out.files.diagnostics.end(), files.diagnostics.begin(), files.diagnostics.end());
  }
  begins.push_back(docs.size());
  for (std::size_t layer = 0; layer < paths.size(); ++layer) {
    RuleSetLayer l;
    read_identity(docs, begins[layer], begins[layer + 1], l);
    l.digest = layer_digest(docs, begins[layer], begins[layer + 1]);
    l.path = paths[layer].string();
    out.plan.layers.push_back(std::move(l));
  }

  // Each `replaces` and `disable` must name a rule of a layer beneath its own.
  std::set<std::string> beneath;
  for (std::size_t layer = 0; layer < paths.size(); ++layer) {
    auto target = [&](const Document& doc, const std::string& pointer, const std::string& id, const char* what) {
      if (beneath.count(id) != 0) {
        out.plan.removed[id] = layer;
        return;
      }
      std::string message = "'" + std::string(what) + "' names rule '" + id + "', which ";
      message += layer == 0 ? "no rule set beneath this one defines (give this rule set after the one it overlays)"
                            : "no rule set beneath this one defines";
      if (layer > 0) message += did_you_mean(logic::nearest(id, std::vector<std::string>(beneath.begin(), beneath.end())));
      out.files.diagnostics.push_back(overlay_error(doc, pointer, "overlay.unknown_rule", message));
    };
    for (std::size_t i = begins[layer]; i < begins[layer + 1]; ++i) {
      const Document& doc = docs[i];
      const json& root = doc.root();
      if (!root.is_object()) continue;
      if (auto it = root.find("disable"); it != root.end() && it->is_array()) {
        for (std::size_t k = 0; k < it->size(); ++k) {
          if ((*it)[k].is_string()) target(doc, "/disable/" + std::to_string(k), (*it)[k].get<std::string>(), "disable");
        }
      }
      if (auto rules = root.find("rules"); rules != root.end() && rules->is_array()) {
        for (std::size_t k = 0; k < rules->size(); ++k) {
          const json& r = (*rules)[k];
          if (r.is_object() && r.contains("replaces") && r["replaces"].is_string()) {
            target(doc, "/rules/" + std::to_string(k) + "/replaces", r["replaces"].get<std::string>(), "replaces");
          }
        }
      }
    }
    for (std::size_t i = begins[layer]; i < begins[layer + 1]; ++i) {
      for (const auto& [id, pointer] : rule_ids(docs[i])) beneath.insert(id);
    }
  }
  return out;
}

}  // namespace knead::detail
