#include <knead/logic/error.hpp>
#include <knead/logic/operators.hpp>

#include "logic/nearest.hpp"
#include "logic/nodes.hpp"
#include "logic/sharing.hpp"

#include <string>

namespace knead::logic {

namespace {

using detail::json;

// True when `v` holds containers nested more than `budget` levels below it. Recursion is
// bounded by `budget`, so a hostile literal cannot exhaust the stack.
bool deeper_than(const json& v, std::size_t budget) {
  if (!v.is_structured() || v.empty()) return false;
  if (budget == 0) return true;
  for (const auto& child : v) {
    if (deeper_than(child, budget - 1)) return true;
  }
  return false;
}

[[noreturn]] void too_deep(const Limits& limits, const std::string& pointer) {
  throw Error::limit("limit.depth", "rule nests deeper than the limit of " + std::to_string(limits.max_depth),
                     pointer);
}

// Counts one level of nesting for the duration of a compile() call.
class DepthGuard {
 public:
  explicit DepthGuard(std::size_t& depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  std::size_t& depth_;
};

}  // namespace

NodePtr Compiler::compile(const nlohmann::json& expr, const std::string& pointer) {
  const DepthGuard guard(depth_);
  if (depth_ > limits_.max_depth) too_deep(limits_, pointer);

  if (detail::is_operation(expr)) {
    if (sharing_ == nullptr || depth_ > Sharing::kMaxDepth) return compile_operation(expr, pointer);
    const std::size_t hash = sharing_->hash(expr, depth_ == 1);
    if (NodePtr shared = sharing_->reuse(expr, hash, depth_, pointer)) return shared;
    return sharing_->keep(expr, hash, depth_, compile_operation(expr, pointer), pointer);
  }
  if (expr.is_array()) {
    std::vector<NodePtr> elements;
    elements.reserve(expr.size());
    bool constant = true;
    for (std::size_t i = 0; i < expr.size(); ++i) {
      elements.push_back(compile(expr[i], pointer + "/" + std::to_string(i)));
      constant = constant && elements.back()->literal() != nullptr;
    }
    if (!constant) return std::make_unique<detail::ArrayNode>(pointer, std::move(elements));
    // Fold an array of constants into one literal (from the elements' values, which differ
    // from the source where an element is a `preserve`).
    json folded = json::array();
    auto& items = folded.get_ref<json::array_t&>();
    items.reserve(elements.size());
    for (const auto& e : elements) items.push_back(*e->literal());
    return std::make_unique<detail::LiteralNode>(std::move(folded), pointer);
  }
  // Scalars, and objects with zero or several keys, are data.
  if (deeper_than(expr, limits_.max_depth - depth_)) too_deep(limits_, pointer);
  return std::make_unique<detail::LiteralNode>(expr, pointer);
}

NodePtr Compiler::compile_operation(const nlohmann::json& expr, const std::string& pointer) {
  const auto it = expr.begin();
  const std::string& name = it.key();
  const OperatorFactory* factory = operators_.find(name);
  if (factory == nullptr) throw Error::unknown_operator(name, suggest_operator(name, operators_.names()), pointer);
  NodePtr node = (*factory)(*this, it.value(), pointer);
  if (!node) throw Error::invalid_arguments("operator '" + name + "' produced no node", pointer);
  return node;
}

NodePtr Compiler::literal(const nlohmann::json& value, const std::string& pointer) {
  // The value sits one level below the operator being compiled.
  if (depth_ + 1 > limits_.max_depth || deeper_than(value, limits_.max_depth - depth_ - 1)) {
    too_deep(limits_, pointer);
  }
  return std::make_unique<detail::LiteralNode>(value, pointer);
}

void OperatorTable::add(OperatorInfo info, OperatorFactory factory) {
  std::string name = info.name;
  entries_.insert_or_assign(std::move(name), Entry{std::move(info), std::move(factory)});
}

void OperatorTable::add(std::string name, OperatorFactory factory) {
  OperatorInfo info;
  info.name = name;
  add(std::move(info), std::move(factory));
}

const OperatorFactory* OperatorTable::find(std::string_view name) const {
  const auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second.factory;
}

const OperatorInfo* OperatorTable::info(std::string_view name) const {
  const auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second.info;
}

std::vector<std::string> OperatorTable::names() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& entry : entries_) out.push_back(entry.first);
  return out;
}

std::vector<OperatorInfo> OperatorTable::infos() const {
  std::vector<OperatorInfo> out;
  out.reserve(entries_.size());
  for (const auto& entry : entries_) out.push_back(entry.second.info);
  return out;
}

const OperatorTable& OperatorTable::standard() {
  static const OperatorTable table = [] {
    OperatorTable t;
    detail::register_arithmetic(t);
    detail::register_compare(t);
    detail::register_control(t);
    detail::register_array(t);
    detail::register_string(t);
    detail::register_missing(t);
    detail::register_val(t);
    detail::register_try_throw(t);
    return t;
  }();
  return table;
}

}  // namespace knead::logic
