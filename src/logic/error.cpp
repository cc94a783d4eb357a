#include <knead/logic/error.hpp>

#include "base/utf8.hpp"

#include <string>
#include <utility>

namespace knead::logic {

namespace {

// Messages are one line: the detail never carries the pointer, which is appended here.
std::string located(const std::string& message, const std::string& pointer) {
  if (pointer.empty()) return message;
  return message + " (at " + pointer + ")";
}

nlohmann::json type_value(const char* type) { return nlohmann::json{{"type", type}}; }

}  // namespace

Error::Error(Kind kind, std::string code, nlohmann::json value, const std::string& message,
             std::string pointer)
    : knead::Error(std::move(code), located(message, pointer)),
      kind_(kind),
      value_(std::move(value)),
      pointer_(std::move(pointer)) {}

Error Error::nan(const std::string& detail) { return nan(detail, {}); }

Error Error::nan(const std::string& detail, std::string pointer) {
  return Error(Kind::nan, "logic.nan", type_value("NaN"), detail.empty() ? "NaN" : "NaN: " + detail,
               std::move(pointer));
}

Error Error::invalid_arguments(const std::string& detail) { return invalid_arguments(detail, {}); }

Error Error::invalid_arguments(const std::string& detail, std::string pointer) {
  return Error(Kind::invalid_arguments, "logic.invalid_arguments", type_value("Invalid Arguments"),
               detail.empty() ? "invalid arguments" : "invalid arguments: " + detail, std::move(pointer));
}

Error Error::thrown(nlohmann::json value) { return thrown(std::move(value), {}); }

Error Error::thrown(nlohmann::json value, std::string pointer) {
  if (value.is_string()) value = nlohmann::json{{"type", std::move(value)}};
  // dump() with replacement keeps the message valid UTF-8 and on one line (newlines escape).
  std::string shown = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  constexpr std::size_t kMaxShown = 200;
  shown = knead::detail::utf8_truncate(shown, kMaxShown + 3);
  return Error(Kind::thrown, "logic.thrown", std::move(value), "thrown: " + shown, std::move(pointer));
}

Error Error::unknown_operator(const std::string& name, const std::string& suggestion, std::string pointer) {
  const auto quote = [](const std::string& s) {
    // The JSON string form escapes control characters; drop its surrounding double quotes.
    const std::string dumped = nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return "'" + dumped.substr(1, dumped.size() - 2) + "'";
  };
  std::string message = "unknown operator " + quote(name);
  if (!suggestion.empty()) message += "; did you mean " + quote(suggestion) + "?";
  return Error(Kind::unknown_operator, "logic.unknown_operator", type_value("Unknown Operator"), message,
               std::move(pointer));
}

Error Error::limit(std::string code, const std::string& detail, std::string pointer) {
  nlohmann::json value{{"type", code}};
  return Error(Kind::limit, std::move(code), std::move(value), detail, std::move(pointer));
}

}  // namespace knead::logic
