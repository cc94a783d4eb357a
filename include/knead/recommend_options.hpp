#pragma once
/// \file
/// How one recommendation is made: explained or not, strict about the patient or not.

namespace knead {

struct RecommendOptions {
  /// Record a trace of every rule (costs nothing when off).
  bool explain = false;
  /// Make unknown concept ids and codes in the patient errors (PatientError) instead of warnings.
  bool strict = false;
};

}  // namespace knead
