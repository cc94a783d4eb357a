#pragma once
/// \file
/// An acknowledgement, written in a rule file, that some lint findings are by design.

#include <knead/source_location.hpp>

#include <string>
#include <vector>

namespace knead {

/// `"lint": {"accept": ["lint.veto_conflict"], "because": "..."}`, at the top of a rule file
/// (for the whole rule set, or for the rules it lists in `"rules"`) or in one rule (for that
/// rule). Lint leaves out the findings it covers and reports them as accepted, with the reason.
struct LintAcceptance {
  std::vector<std::string> codes;   ///< lint codes accepted, e.g. "lint.veto_conflict"
  std::vector<std::string> rules;   ///< the rules it covers; empty: every finding of those codes
  std::vector<std::string> concepts;  ///< the concepts it covers (findings about a concept), by id
  std::string because;              ///< why, for the reviewer
  SourceLocation location;          ///< where it is written
};

}  // namespace knead
