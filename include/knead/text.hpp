#pragma once
/// \file
/// A text of a result: its own string, or one of the rule set's strings it refers to.

#include <knead/export.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace knead {

/// Most of a recommendation's texts (ids, labels, reasons, instructions, notes, rule ids) are
/// the rule set's own, the same for every patient. A Text refers to such a string instead of
/// copying it, so that building and freeing a result costs no copy of them; texts made for one
/// patient ("declined by the patient ('cupping')") are its own.
///
/// A Text that refers stays valid while the rule set lives: the Recommendation that holds it
/// keeps its rule set alive. Copying a Text makes a Text of its own (a copied item outlives
/// everything), so only a Text moved out of a result still refers.
class KNEAD_API Text {
 public:
  Text() = default;
  Text(std::string text) noexcept : own_(std::move(text)) {}  // NOLINT(google-explicit-constructor): reads as a string
  Text(const char* text) : own_(text) {}                      // NOLINT(google-explicit-constructor)
  Text(std::string_view text) : own_(text) {}                 // NOLINT(google-explicit-constructor)

  /// A Text that refers to `text`, which must outlive it (a rule set's string).
  [[nodiscard]] static Text borrow(const std::string& text) noexcept {
    Text t;
    t.borrowed_ = &text;
    return t;
  }

  Text(const Text& other) : own_(other.str()) {}
  // A Text that refers moves as one pointer: no call into the string's own move.
  Text(Text&& other) noexcept : borrowed_(other.borrowed_) {
    if (borrowed_ == nullptr) own_ = std::move(other.own_);
  }
  Text& operator=(const Text& other) {
    if (this != &other) {
      own_ = other.str();
      borrowed_ = nullptr;
    }
    return *this;
  }
  Text& operator=(Text&& other) noexcept {
    borrowed_ = other.borrowed_;
    if (borrowed_ == nullptr) {
      own_ = std::move(other.own_);
    } else {
      own_.clear();
    }
    return *this;
  }
  Text& operator=(std::string text) {
    own_ = std::move(text);
    borrowed_ = nullptr;
    return *this;
  }
  Text& operator=(const char* text) { return *this = std::string(text); }
  ~Text() = default;

  [[nodiscard]] const std::string& str() const noexcept { return borrowed_ != nullptr ? *borrowed_ : own_; }
  operator const std::string&() const noexcept { return str(); }  // NOLINT(google-explicit-constructor)
  operator std::string_view() const noexcept { return str(); }    // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool empty() const noexcept { return str().empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return str().size(); }
  [[nodiscard]] const char* c_str() const noexcept { return str().c_str(); }
  [[nodiscard]] const char* data() const noexcept { return str().data(); }
  [[nodiscard]] std::string::const_iterator begin() const noexcept { return str().begin(); }
  [[nodiscard]] std::string::const_iterator end() const noexcept { return str().end(); }
  /// Whether it refers to a string it does not own.
  [[nodiscard]] bool borrowed() const noexcept { return borrowed_ != nullptr; }

  // Hidden friends: found only for an argument that is a Text, so they add no conversions to
  // comparisons of other types (a JSON value with a string).
  friend bool operator==(const Text& a, const Text& b) noexcept { return a.str() == b.str(); }
  friend bool operator!=(const Text& a, const Text& b) noexcept { return a.str() != b.str(); }
  friend bool operator<(const Text& a, const Text& b) noexcept { return a.str() < b.str(); }
  friend bool operator==(const Text& a, const std::string& b) noexcept { return a.str() == b; }
  friend bool operator==(const std::string& a, const Text& b) noexcept { return a == b.str(); }
  friend bool operator!=(const Text& a, const std::string& b) noexcept { return a.str() != b; }
  friend bool operator!=(const std::string& a, const Text& b) noexcept { return a != b.str(); }
  friend bool operator==(const Text& a, const char* b) noexcept { return a.str() == b; }
  friend bool operator==(const char* a, const Text& b) noexcept { return a == b.str(); }
  friend bool operator!=(const Text& a, const char* b) noexcept { return a.str() != b; }
  friend bool operator!=(const char* a, const Text& b) noexcept { return a != b.str(); }
  friend std::string operator+(const std::string& a, const Text& b) { return a + b.str(); }
  friend std::string operator+(const Text& a, const std::string& b) { return a.str() + b; }
  friend std::string operator+(const char* a, const Text& b) { return a + b.str(); }
  friend std::string operator+(const Text& a, const char* b) { return a.str() + b; }
  friend std::ostream& operator<<(std::ostream& out, const Text& text) { return out << text.str(); }

 private:
  const std::string* borrowed_ = nullptr;
  std::string own_;
};

/// Lists of texts (rule ids) compare with lists of strings element by element.
KNEAD_API bool operator==(const std::vector<Text>& a, const std::vector<std::string>& b) noexcept;
inline bool operator==(const std::vector<std::string>& a, const std::vector<Text>& b) noexcept { return b == a; }
inline bool operator!=(const std::vector<Text>& a, const std::vector<std::string>& b) noexcept { return !(a == b); }
inline bool operator!=(const std::vector<std::string>& a, const std::vector<Text>& b) noexcept { return !(b == a); }

/// The strings of `texts`, as copies.
[[nodiscard]] KNEAD_API std::vector<std::string> strings(const std::vector<Text>& texts);

/// A Text is a JSON string. (No from_json: a JSON value that converted to a Text by itself
/// would make comparisons of JSON values with strings ambiguous.)
KNEAD_API void to_json(nlohmann::json& out, const Text& text);

}  // namespace knead
