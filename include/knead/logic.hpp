#pragma once
/// \file
/// knead's JsonLogic core: the condition language of every rule, usable on its own.
///
/// \code
/// auto program = knead::logic::Program::compile(nlohmann::json::parse(R"({"<": [1, {"var": "x"}, 10]})"));
/// bool in_range = program.test({{"x", 5}});
/// nlohmann::json sum = knead::logic::apply({{"+", {1, 2}}}, nullptr);   // 3
/// \endcode

#include <knead/export.hpp>
#include <knead/logic/context.hpp>
#include <knead/logic/packed_data.hpp>
#include <knead/logic/error.hpp>
#include <knead/logic/limits.hpp>
#include <knead/logic/node.hpp>
#include <knead/logic/operators.hpp>
#include <knead/logic/program.hpp>
#include <knead/logic/program_set.hpp>
#include <knead/logic/value.hpp>

namespace knead::logic {

/// Compiles and evaluates in one step (for one-off use; compile once with Program to reuse).
/// Throws `logic::Error`.
[[nodiscard]] KNEAD_API nlohmann::json apply(const nlohmann::json& rule, const nlohmann::json& data);

}  // namespace knead::logic
