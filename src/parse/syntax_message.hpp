#pragma once
/// \file
/// Turns nlohmann/json's parse errors into short messages at the byte they concern.

#include "parse/text_scan.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace knead::detail::parsing {

/// A syntax error as knead reports it.
struct SyntaxProblem {
  std::string message;  ///< e.g. "unexpected '}'; expected a value"
  std::size_t offset;   ///< the byte it is about
};

/// Describes the error nlohmann's parser reported through SAX `parse_error(position,
/// last_token, error)` while parsing `text` (content from `begin`, after a BOM). Uses `starts`
/// to point at the first byte of an unexpected string or number rather than its last.
[[nodiscard]] SyntaxProblem describe_syntax_error(std::string_view text, std::size_t begin, const ValueStarts& starts,
                                                  std::size_t position, const std::string& last_token,
                                                  const nlohmann::detail::exception& error);

/// The offset just past the last byte that is not JSON whitespace (at least `begin`): where
/// "unexpected end of input" is reported, rather than on an empty line after it.
[[nodiscard]] std::size_t end_of_content(std::string_view text, std::size_t begin) noexcept;

/// `text` fit for a one-line message: control characters and bytes that are not UTF-8 escaped
/// as \uXXXX or \xNN, and cut to about `max_bytes` with "..." appended.
[[nodiscard]] std::string printable(std::string_view text, std::size_t max_bytes = 64);

}  // namespace knead::detail::parsing
