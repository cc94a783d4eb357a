#pragma once
/// \file
/// Case files: tests of a rule set, as run by `knead test` and by Python.

#include <knead/export.hpp>
#include <knead/engine.hpp>
#include <knead/source_location.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace knead {

/// One unmet expectation of a case.
struct KNEAD_API CaseFailure {
  std::string expectation;   ///< the `expect` key, e.g. "modalities_include"
  std::string expected;      ///< what the case expected, as JSON text
  std::string actual;        ///< what came out, as JSON text
};

/// The outcome of one case.
struct KNEAD_API CaseResult {
  std::string name;
  SourceLocation location;            ///< where the case starts
  bool passed = false;
  std::vector<CaseFailure> failures;
  std::string error;                  ///< set when the case itself is malformed or its patient is rejected
  std::vector<std::string> fired;     ///< rules the case fired
};

/// How one clause of a rule's `when` fared over the cases: the whole condition and each branch of
/// its `and`, `or`, `!` and `if` (a clause never true means no case reaches the situation it
/// describes; one never false, that no case shows the rule staying quiet without it).
struct ClauseCoverage {
  std::string rule;
  std::string pointer;            ///< JSON pointer of the clause in its file
  SourceLocation location;
  nlohmann::json clause;          ///< the clause as written
  bool ever_true = false;
  bool ever_false = false;
};

/// The outcome of a run of case files.
struct KNEAD_API CaseReport {
  std::vector<CaseResult> results;
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::vector<std::string> unfired_rules;   ///< rules of the rule set that no case fired, in rule-set order
  std::vector<Diagnostic> diagnostics;      ///< unreadable or malformed case files
  std::vector<ClauseCoverage> clauses;      ///< every clause of every rule's `when`, in rule-set order

  [[nodiscard]] bool ok() const noexcept { return failed == 0 && diagnostics.empty(); }
};

/// Runs one case (an object with `name`, `patient`, `expect`).
[[nodiscard]] KNEAD_API CaseResult run_case(const Engine& engine, const nlohmann::json& test_case,
                                  const SourceLocation& location = {});

/// Runs every case of the given files (a file holds one case or an array; a directory stands
/// for every `*.json` in it, except `*.schema.json`, sorted by name).
[[nodiscard]] KNEAD_API CaseReport run_case_files(const Engine& engine, const std::vector<std::filesystem::path>& paths);

}  // namespace knead
