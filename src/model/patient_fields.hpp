#pragma once
// The patient fields a rule set knows: the standard ones and those it declares under `inputs`,
// as a tree of dotted paths. Built once per rule set; used to check rules' `var` paths and to
// close a patient's keys.

#include <knead/input_field.hpp>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace knead::detail {

class PatientFields {
 public:
  /// The standard fields at the top of a record that normalizing reads: closing the record's
  /// keys finds them, so they are not looked up again.
  enum class Top : unsigned char { none, conditions, goals, findings, medications, pain, preferences, count };

  struct Node {
    bool open = false;                   // anything below is fine (lists, leaves' insides)
    bool standard = false;               // a standard field (checked by Patient::from_json)
    Top top = Top::none;                 // which standard field at the top it is
    const InputField* input = nullptr;   // declared here
    std::map<std::string, Node, std::less<>> children;
    // The children again, in the same order, as an array: walked beside a record's keys.
    std::vector<std::pair<std::string_view, const Node*>> ordered;
  };

  PatientFields();
  explicit PatientFields(std::vector<InputField> inputs);
  PatientFields(const PatientFields& other) : PatientFields(other.inputs_) {}
  PatientFields& operator=(const PatientFields& other) {
    if (this != &other) *this = PatientFields(other.inputs_);
    return *this;
  }
  PatientFields(PatientFields&&) = default;
  PatientFields& operator=(PatientFields&&) = default;

  [[nodiscard]] const Node& root() const noexcept { return root_; }
  /// True when a rule may read this dotted path ("" is the whole patient).
  [[nodiscard]] bool knows(std::string_view path) const;
  /// Every named path, for "did you mean".
  [[nodiscard]] const std::vector<std::string>& paths() const noexcept { return paths_; }
  [[nodiscard]] const std::vector<InputField>& inputs() const noexcept { return inputs_; }
  /// True for a standard path ("pain.intensity") or a prefix of one ("pain").
  [[nodiscard]] static bool is_standard(std::string_view path);

 private:
  static void order(Node& node);

  std::vector<InputField> inputs_;
  Node root_;
  std::vector<std::string> paths_;
};

}  // namespace knead::detail
