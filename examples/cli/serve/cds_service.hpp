#pragma once
// The CDS Hooks endpoints of `knead serve`, independent of HTTP transport: discovery, the hook
// services, a health check, and JSON errors for everything else.

#include "http_server.hpp"

#include <knead/engine.hpp>

#include <string>

namespace knead::cli {

class CdsService {
 public:
  /// `allow_origin`: a browser origin allowed to call (CORS), e.g. a CDS Hooks sandbox; "" for none.
  CdsService(const Engine& engine, std::string allow_origin);

  /// Answers one request; never throws.
  [[nodiscard]] HttpReply handle(const HttpRequest& request) const;
  /// A JSON error naming the rule set, with the headers of every answer: for the service's own
  /// errors and for those the HTTP server finds (a malformed, slow or oversized request).
  [[nodiscard]] HttpReply error(unsigned status, const std::string& code, const std::string& message) const;

 private:
  [[nodiscard]] HttpReply hook(const std::string& hook, const HttpRequest& request) const;
  [[nodiscard]] HttpReply json_reply(unsigned status, const std::string& body) const;

  const Engine& engine_;
  std::string allow_origin_;
  std::string discovery_;
  std::string ruleset_;  // name, version and digest, in every answer
};

}  // namespace knead::cli
