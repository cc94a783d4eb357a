// Stage 1, parse.
//
// How positions are found: nlohmann/json 3.11 reports positions only for errors, and its SAX
// callbacks are not told where a value starts (the lexer has already read past it, and one
// byte further for numbers). So a byte-level pre-pass (text_scan.cpp) lists where every value
// and key starts, in document order; it needs no stack and is a few percent of the parse. Then
// nlohmann's own parser drives LocatedBuilder, a SAX handler that builds the json value as
// nlohmann's DOM parser would and gives the i-th value event the i-th start. For text the parser
// accepts the two agree by construction; on broken text the parser stops at the first error,
// which is reported from nlohmann's error position instead. Locations are kept as byte offsets
// in a pre-order table (location_table.hpp) and turned into line and column only when asked.

#include "parse/located_builder.hpp"
#include "parse/parse_value.hpp"
#include "parse/location_table.hpp"
#include "parse/plain_builder.hpp"
#include "parse/plain_parser.hpp"
#include "parse/syntax_message.hpp"
#include "parse/text_scan.hpp"

#include <knead/document.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <utility>

namespace knead {

namespace parsing = detail::parsing;

struct Document::Impl {
  nlohmann::json root;
  std::string file;
  parsing::LocationTable table;
};

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

[[noreturn]] void fail(std::string code, std::string message, SourceLocation location, std::string pointer = {}) {
  Diagnostic diagnostic;
  diagnostic.code = std::move(code);
  diagnostic.message = std::move(message);
  diagnostic.location = std::move(location);
  diagnostic.pointer = std::move(pointer);
  throw ParseError(std::move(diagnostic));
}

SourceLocation location_at(const std::string& file, const parsing::LineIndex& lines, std::size_t offset) {
  const parsing::LineIndex::Position position = lines.position(offset);
  return SourceLocation{file, position.line, position.column, offset};
}

[[noreturn]] void fail_size(const std::string& file, std::size_t max_bytes) {
  fail("limit.size", "document is larger than the limit of " + std::to_string(max_bytes) + " bytes",
       SourceLocation{file, 0, 0, 0});
}

[[noreturn]] void fail_read(const std::string& file, const std::error_code& reason) {
  fail("io.read", "cannot read '" + file + "': " + reason.message(), SourceLocation{file, 0, 0, 0});
}

std::error_code last_os_error() {
  return errno != 0 ? std::error_code(errno, std::generic_category()) : std::make_error_code(std::errc::io_error);
}

std::string read_file(const std::filesystem::path& path, const std::string& name, std::size_t max_bytes) {
  std::error_code ec;
  // Opening a directory succeeds on POSIX and fails only at the first read; say it plainly.
  if (std::filesystem::is_directory(path, ec)) fail_read(name, std::make_error_code(std::errc::is_a_directory));
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes) fail_size(name, max_bytes);

  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_read(name, last_os_error());
  std::string text;
  if (!ec) text.reserve(static_cast<std::size_t>(size));
  // Read in chunks rather than trusting the size: pipes and /proc files report 0.
  char buffer[64 * 1024];
  while (in) {
    in.read(buffer, sizeof buffer);
    const auto got = static_cast<std::size_t>(in.gcount());
    if (text.size() + got > max_bytes) fail_size(name, max_bytes);
    text.append(buffer, got);
  }
  if (in.bad()) fail_read(name, last_os_error());
  return text;
}

}  // namespace

Document Document::parse(std::string_view text, std::string file, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes) fail_size(file, limits.max_bytes);

  auto impl = std::make_shared<Impl>();
  impl->file = std::move(file);
  const std::size_t begin = text.substr(0, kBom.size()) == kBom ? kBom.size() : 0;
  parsing::LocationTable& table = impl->table;
  table.lines = parsing::LineIndex(text, begin);

  if (parsing::end_of_content(text, begin) == begin) {
    fail("parse.syntax", "empty document", location_at(impl->file, table.lines, begin));
  }

  const parsing::ValueStarts starts = parsing::scan_value_starts(text, begin, limits.max_depth);
  table.reserve(starts.values.size(), starts.keys.size());
  parsing::LocatedBuilder builder(text, begin, starts, limits.max_depth, table, impl->root);
  const bool ok = nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &builder);
  if (!ok) {
    if (const auto& failure = builder.failure()) {
      fail(failure->code, failure->message, location_at(impl->file, table.lines, failure->offset), failure->pointer);
    }
    fail("parse.syntax", "invalid JSON", location_at(impl->file, table.lines, begin));
  }
  // nlohmann's lexer takes a NUL byte for the end of the input; anything after it was ignored.
  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    const auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
    fail("parse.syntax", "unexpected NUL byte after the document", location_at(impl->file, table.lines, offset));
  }
  return Document(std::move(impl));
}

nlohmann::json Document::parse_value(std::string_view text, const std::string& file, const ParseLimits& limits) {
  nlohmann::json root;
  detail::parse_value_into(text, file, limits, root);
  return root;
}

void detail::parse_value_into(std::string_view text, const std::string& file, const ParseLimits& limits,
                              nlohmann::json& root) {
  if (text.size() <= limits.max_bytes && std::memchr(text.data(), '\0', text.size()) == nullptr) {
    if (parsing::parse_plain(text, limits.max_depth, root)) return;
    // Something the plain parse leaves alone (an escape, a long number: see plain_parser.hpp), or
    // an error: nlohmann's parser reads it at the cost of before, so a clinic writing
    // "M\u00fcller" pays no located parse for it.
    root = nullptr;
    parsing::PlainBuilder builder(limits.max_depth, root);
    if (nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &builder)) return;
  }
  // Rejected: the located parse finds the same problem and says where.
  (void)Document::parse(text, file, limits);
  fail("parse.syntax", "invalid JSON", SourceLocation{file, 0, 0, 0});
}

Document Document::load(const std::filesystem::path& path, const ParseLimits& limits) {
  std::string name = path.string();
  const std::string text = read_file(path, name, limits.max_bytes);
  return parse(text, std::move(name), limits);
}

const nlohmann::json& Document::root() const noexcept { return impl_->root; }

const std::string& Document::file() const noexcept { return impl_->file; }

SourceLocation Document::locate(std::string_view pointer) const {
  const parsing::LocationTable& table = impl_->table;
  const std::size_t node = table.resolve(pointer);
  return location_at(impl_->file, table.lines, table.node(node).offset);
}

SourceLocation Document::locate_key(std::string_view pointer) const {
  const parsing::LocationTable& table = impl_->table;
  bool exact = false;
  const std::size_t node = table.resolve(pointer, &exact);
  const std::size_t key = table.node(node).key;
  if (!exact || key == parsing::LocationTable::npos) return locate(pointer);
  return location_at(impl_->file, table.lines, table.key(key).offset);
}

std::string pointer_escape(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace knead
