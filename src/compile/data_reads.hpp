#pragma once
// Which parts of a patient record a rule set's conditions can read as data (var, val, exists,
// missing, missing_some), found once when the rule set is compiled. Normalizing a patient
// rewrites names to ids in a copy of the record only when some condition could see the change.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace knead::detail {

class DataReads {
 public:
  /// Adds the reads of one condition, as written.
  void add(const nlohmann::json& condition);

  /// Whether a condition may read the value at `pointer` or a value inside or around it.
  /// Errs on the side of yes: a computed path, a whole-scope read or a climb out of an
  /// iterator reads everything.
  [[nodiscard]] bool may_read(std::string_view pointer) const;

  /// Keeps the answer of may_read for `pointer` (after the last add): the lists every record's
  /// names are read from are asked about for patient after patient.
  void remember(std::string_view pointer);

 private:
  [[nodiscard]] bool search(std::string_view pointer) const;
  void add_path(const std::vector<std::string>& keys);
  void add_dotted(const std::string& path);
  void read_dotted(const nlohmann::json& key);  // a literal var-style path, else everything
  void read_var(const nlohmann::json& args);
  void read_val(const nlohmann::json& args);
  void read_keys(const nlohmann::json& keys);

  bool everything_ = false;
  std::vector<std::string> pointers_;  // JSON pointers of the values read, relative to a scope; sorted
  std::vector<std::pair<std::string, bool>> remembered_;  // answers kept by remember()
};

}  // namespace knead::detail
