#pragma once
/// \file
/// Stage 1, parse: JSON text to a document that remembers where every value stood.

#include <knead/export.hpp>
#include <knead/diagnostic.hpp>
#include <knead/source_location.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace knead {

/// Bounds on untrusted documents.
struct KNEAD_API ParseLimits {
  std::size_t max_depth = 128;                   ///< deepest nesting of arrays and objects
  std::size_t max_bytes = 256U * 1024U * 1024U;  ///< largest document
};

/// A parsed JSON document with the source location of every value, addressable by JSON pointer.
/// Immutable and cheap to copy (shares its data); safe to share between threads.
///
/// Values keep nlohmann's types: integers stay integers (non-negative ones unsigned), others are
/// doubles. A UTF-8 byte order mark is accepted and skipped; offsets still count it, columns do
/// not. Remembering locations costs little over `nlohmann::json::parse`; callers that need them
/// only for errors use `parse_value`.
class KNEAD_API Document {
 public:
  /// Parses `text`; `file` names it in locations. Throws ParseError with code `parse.syntax`
  /// (broken JSON, with line and column; also empty text and invalid UTF-8),
  /// `parse.duplicate_key` (an object naming a key twice), `limit.depth` or `limit.size`.
  [[nodiscard]] static Document parse(std::string_view text, std::string file, const ParseLimits& limits = {});
  /// Reads and parses a file, named in locations as `path.string()`. Throws ParseError with code
  /// `io.read` when it cannot be read (a missing file, a directory), or as `parse` does.
  [[nodiscard]] static Document load(const std::filesystem::path& path, const ParseLimits& limits = {});
  /// Parses `text` into a plain value, with every check of `parse` but no record of locations:
  /// for documents read many at a time whose locations are needed only to report an error (a
  /// batch's patients). When the text is rejected it is parsed again to say where, and the
  /// same ParseError as `parse` is thrown.
  [[nodiscard]] static nlohmann::json parse_value(std::string_view text, const std::string& file,
                                                  const ParseLimits& limits = {});

  /// The parsed value (this header only declares nlohmann::json: include <nlohmann/json.hpp> to
  /// read it).
  [[nodiscard]] const nlohmann::json& root() const noexcept;
  [[nodiscard]] const std::string& file() const noexcept;

  /// Where the value at `pointer` (e.g. "/rules/3/when") starts. For a pointer that names no
  /// value, the location of its nearest existing ancestor; for "" the document's first value.
  [[nodiscard]] SourceLocation locate(std::string_view pointer) const;
  /// Where the key of the object member at `pointer` starts (its opening quote), e.g. to report
  /// an unknown field; for anything that is not an existing object member, `locate(pointer)`.
  [[nodiscard]] SourceLocation locate_key(std::string_view pointer) const;

 private:
  struct Impl;
  explicit Document(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

/// Escapes one reference token for a JSON pointer ("~" -> "~0", "/" -> "~1").
[[nodiscard]] KNEAD_API std::string pointer_escape(std::string_view token);

}  // namespace knead
