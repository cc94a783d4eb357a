#pragma once
/// \file
/// Umbrella header: everything of knead's public API. Includes only.

#include <knead/case_runner.hpp>
#include <knead/concept.hpp>
#include <knead/diagnostic.hpp>
#include <knead/diagnostic_codes.hpp>
#include <knead/document.hpp>
#include <knead/engine.hpp>
#include <knead/error.hpp>
#include <knead/fhir.hpp>
#include <knead/lint.hpp>
#include <knead/logic.hpp>
#include <knead/ontology.hpp>
#include <knead/operators.hpp>
#include <knead/patient.hpp>
#include <knead/recommend_options.hpp>
#include <knead/recommendation.hpp>
#include <knead/render.hpp>
#include <knead/renderer.hpp>
#include <knead/rule.hpp>
#include <knead/rule_set.hpp>
#include <knead/scales.hpp>
#include <knead/source_location.hpp>
#include <knead/suggest.hpp>
#include <knead/text.hpp>
#include <knead/version.hpp>
