#pragma once
/// \file
/// A parser for the JSON a batch line nearly always is: strings without escapes, numbers,
/// literals, arrays and objects. It builds the nlohmann::json value directly from the text,
/// without a tokenizer or a SAX handler in between. Anything else it leaves to the general parse.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

namespace knead::detail::parsing {

/// Parses `text` into `root` when every part of it is of the kinds below, and says whether it
/// did. It gives exactly the value nlohmann's parser gives (types included: a whole number
/// without a minus sign is unsigned, one with a minus sign signed, any other a double read by
/// strtod as nlohmann reads it), and makes the same checks as a located parse: no duplicate
/// key, no container nested deeper than `max_depth`.
///
/// `root` may hold a value already, typically the previous patient's record: the parse reuses
/// its storage (an object's members by key, an array's items by position, strings) where the
/// new value has the same shape, so that reading record after record of one form allocates
/// little. The value it gives is the same either way.
///
/// It returns false (with `root` in some valid state) at anything outside them or wrong: a
/// string with an escape, a control byte or invalid UTF-8, a whole number of more than 18
/// digits, a byte order mark, nesting deeper than a few dozen levels, and every error. The
/// caller then parses the text the general way, which decodes it or says where and why it is
/// rejected. The caller checks the size and NUL bytes first.
[[nodiscard]] bool parse_plain(std::string_view text, std::size_t max_depth, nlohmann::json& root);

}  // namespace knead::detail::parsing
