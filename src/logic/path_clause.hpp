#pragma once
// The clauses rule sets are mostly made of: constants written in the rule compared with what a
// fixed path reads from the data ({"in": ["fibromyalgia", {"var": "conditions"}]},
// {"==": [{"var": "preferences.pressure"}, "firm"]}, {"some": [{"var": "medications"},
// {"in": [{"var": ""}, ["warfarin", "apixaban"]]}]}, {"<": [30, {"var": "age"}, 45]},
// {"==": [{"var": "pain.flare"}, true]}). A
// ProgramSet decides all of them on one path in a single pass over the data (see ClauseIndex).

#include <knead/logic/node.hpp>

#include "logic/nodes.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace knead::logic::detail {

struct StringClause {
  /// What the clause asks of the value read. The array kinds leave a value that is no array
  /// undecided, `equals` one that is no string (the operators' own evaluation handles them).
  enum class Kind : unsigned char {
    some,    ///< an element of the array is one of the texts ({"in": ["text", array]} too)
    none,    ///< no element is
    all,     ///< the array is not empty and every element is
    equals,  ///< the string is one of the texts
  };
  Kind kind;
  bool negated;                         ///< != and !==: the opposite
  std::vector<std::string_view> texts;  ///< borrowed from the node
  const ScopeRead* read;                ///< the node's read of the current scope
};

/// A relational comparison (<, <=, >, >=, chained or not) of one fixed read with numbers.
struct NumberClause {
  std::vector<const nlohmann::json*> chain;  ///< the operands in order; nullptr: the value read
  bool ascending;                            ///< < and <= (else > and >=)
  bool or_equal;                             ///< <= and >=
  const ScopeRead* read;

  /// The clause's truth for a number `value` (as the operator decides it).
  [[nodiscard]] bool holds(const nlohmann::json& value) const noexcept;
};

/// An equality (==, ===, !=, !==) of one fixed read with true or false: decided when the
/// value read is a boolean (for other types loose equality converts, and the operator decides).
struct BoolClause {
  bool constant;
  bool negated;  ///< != and !==
  const ScopeRead* read;
};

/// The BoolClause an equality node is, if it is one.
[[nodiscard]] std::optional<BoolClause> bool_equality_clause(const Node& node);

/// The NumberClause a relational node is, if it is one.
[[nodiscard]] std::optional<NumberClause> number_clause(const Node& node);

/// Whether `node` is a comparison (==, <, ...) of constants and fixed reads only: cheap to
/// evaluate, without effects, failing only on data of unexpected types.
[[nodiscard]] bool is_fixed_comparison(const Node& node) noexcept;

/// Whether `node` is an `if` (or `?:`): in test position, the truth of the branch its
/// conditions choose (false when none is chosen).
[[nodiscard]] bool is_choice(const Node& node) noexcept;

/// The StringClause an `in` node is: {"in": ["text", <fixed read>]} (some) or
/// {"in": [<fixed read>, ["text", ...]]} (equals).
[[nodiscard]] std::optional<StringClause> string_in_clause(const Node& node);
/// The StringClause an equality node is: ==, ===, != or !== of "text" and a fixed read.
[[nodiscard]] std::optional<StringClause> string_equality_clause(const Node& node);
/// The StringClause a some/none/all node is: a fixed read, and a body that is
/// {"in": [{"var": ""}, ["text", ...]]}.
[[nodiscard]] std::optional<StringClause> string_quantifier_clause(const Node& node);

/// The StringClause `node` is, if any (one of the above).
[[nodiscard]] std::optional<StringClause> string_clause(const Node& node);

}  // namespace knead::logic::detail
