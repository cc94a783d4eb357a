#pragma once
// A small HTTP/1.1 server on Boost.Beast for `knead serve`: bounded requests, keep-alive, a
// fixed pool of threads, and a graceful stop that finishes the requests already received.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace knead::cli {

/// Bounds on what one client can make the server hold or wait for.
struct ServerLimits {
  std::size_t max_body = 1024 * 1024;                ///< request body bytes (413 beyond)
  std::size_t max_header = 16 * 1024;                ///< request line and headers (431 beyond)
  /// To receive a whole request: one begun but not finished by then gets 408 and the connection
  /// closes; on a connection where nothing came, it just closes.
  std::chrono::milliseconds read_timeout{10000};
  /// A kept-alive connection waiting for its next request (plus read_timeout to receive it).
  std::chrono::milliseconds idle_timeout{30000};
  std::size_t max_connections = 256;                 ///< open connections (503 beyond)
  std::chrono::milliseconds shutdown_grace{15000};   ///< to finish requests in flight after a stop
};

/// What a handler sees of a request (the body is complete and within the limits).
struct HttpRequest {
  std::string method;
  std::string target;
  std::string content_type;
  std::string origin;
  std::string body;
};

struct HttpReply {
  unsigned status = 200;
  std::string body;  ///< JSON
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Called on a pool thread, possibly on several at once; must not throw (a throw becomes a 500).
using HttpHandler = std::function<HttpReply(const HttpRequest&)>;

/// Makes the answer for an error the server finds itself (a malformed or slow request, one too
/// large, too many connections): the status, a short code and a one-line message. The service
/// gives these the same body and headers as its own errors. Must not throw.
using HttpErrorReply = std::function<HttpReply(unsigned status, const std::string& code, const std::string& message)>;

class HttpServer {
 public:
  /// Binds and listens (throws std::runtime_error naming the address when it cannot).
  HttpServer(const std::string& address, unsigned short port, std::size_t threads, ServerLimits limits,
             HttpHandler handler, HttpErrorReply error_reply, std::ostream* access_log);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// The port bound (the one chosen by the system when 0 was asked for).
  [[nodiscard]] unsigned short port() const noexcept;
  /// Serves until SIGTERM or SIGINT (or stop()), then stops accepting, lets the requests in
  /// flight finish (within the grace period) and returns.
  void run();
  /// Starts a graceful stop; safe from any thread.
  void stop();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace knead::cli
