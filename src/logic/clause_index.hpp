#pragma once
// The path clauses of a ProgramSet (see path_clause.hpp), decided together once per data before
// any rule runs. Rules read the answers from their memo bytes, so a patient whose conditions
// are ["sciatica", "hypertension"] costs two table look-ups for every clause of the set that
// reads "conditions", however many rules and distinct clauses there are, and a rule whose first
// clause is known false is not started at all.

#include "logic/path_clause.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace knead::logic::detail {

class ClauseIndex {
 public:
  /// Decide `clause` (the shared operation with memo byte `slot`, in test position) per data.
  void add(std::uint32_t slot, StringClause clause);
  /// The same for a comparison with numbers (decided when the value read is a number).
  void add(std::uint32_t slot, NumberClause clause);
  /// Builds the look-up tables; call once after the last add(). Arrays longer than an eighth
  /// of `max_work` are left to the rules' evaluation, which charges for every element: a
  /// patient with a huge list still exhausts the work budget as it would without the index.
  void finish(std::uint64_t max_work);

  /// Sets the memo byte of every clause it can decide on `data` (SharedNode::kTrue/kFalse) and
  /// leaves the others alone: a path that finds nothing, or a value of another type than the
  /// clause expects (a string where an array was expected is a substring test, a number
  /// compared with a text follows loose equality) stays with the rules' own evaluation.
  void decide(const nlohmann::json& data, std::uint8_t* memo) const;

  /// How many clauses it decides.
  [[nodiscard]] std::size_t size() const noexcept { return clauses_; }

 private:
  struct Clause {
    std::uint32_t slot;
    StringClause::Kind kind;
    bool negated;
  };
  // The clauses that read one path, expecting an array (some, none, all) or a string (equals).
  struct Group {
    bool array = false;
    const ScopeRead* read = nullptr;
    std::vector<Clause> clauses;
    std::vector<std::string_view> texts;  // distinct
    std::vector<std::uint32_t> first;     // clauses holding texts[i]: of_text[first[i] .. first[i + 1])
    std::vector<std::uint32_t> of_text;
    std::vector<std::uint32_t> table;  // open addressing: 1 + index into texts, 0 = empty
    std::vector<std::pair<std::string_view, std::uint32_t>> pending;  // (text, clause) until finish()

    [[nodiscard]] std::uint32_t find(std::string_view text) const noexcept;  // 1 + index, or 0
  };
  std::vector<Group> groups_;
  // The comparisons with numbers that read one path.
  struct NumberGroup {
    const ScopeRead* read;
    std::vector<std::pair<std::uint32_t, NumberClause>> clauses;  // (slot, clause)
  };
  std::vector<NumberGroup> number_groups_;
  std::size_t clauses_ = 0;
  std::size_t widest_ = 0;  // most clauses in a group
  std::uint64_t max_items_ = 0;
};

}  // namespace knead::logic::detail
