#include "http_server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>

#include <array>
#include <atomic>
#include <csignal>
#include <optional>
#include <ctime>
#include <iomanip>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

namespace knead::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// "10 s", "0.5 s": a limit as the message states it.
std::string seconds(std::chrono::milliseconds ms) {
  std::ostringstream out;
  out << static_cast<double>(ms.count()) / 1000 << " s";
  return out.str();
}

class Session;

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(std::size_t thread_count, ServerLimits lim, HttpHandler h, HttpErrorReply e, std::ostream* log)
      : threads(thread_count == 0 ? 1 : thread_count),
        ioc(static_cast<int>(threads)),
        acceptor(net::make_strand(ioc)),
        signals(ioc, SIGINT, SIGTERM),
        grace(acceptor.get_executor()),
        limits(lim),
        handler(std::move(h)),
        error_reply(std::move(e)),
        access_log(log) {}

  void accept();
  void begin_stop();
  void stop_on_strand();
  void session_started(Session* s, const std::shared_ptr<Session>& p);
  void session_ended(Session* s);
  void log(const std::string& method, const std::string& target, unsigned status, std::size_t bytes, Clock::time_point start);

  std::size_t threads;
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer grace;
  ServerLimits limits;
  HttpHandler handler;
  HttpErrorReply error_reply;
  std::ostream* access_log;
  std::mutex log_mutex;
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::map<Session*, std::weak_ptr<Session>> sessions;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<HttpServer::Impl> server, bool reject)
      : stream_(std::move(socket)), server_(std::move(server)), reject_(reject) {}

  ~Session() {
    if (!reject_) server_->session_ended(this);
  }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->reject_) {
        self->start_ = Clock::now();
        self->method_ = "-";
        self->fail(503, "busy", "too many connections; try again shortly");
      } else {
        self->read();
      }
    });
  }

  // Called on the session's strand when the server stops: a connection waiting for a request
  // is closed; one whose request is being answered closes after the answer.
  void stop_if_idle() {
    if (!busy_) close();
  }

  [[nodiscard]] auto executor() { return stream_.get_executor(); }

 private:
  void read() {
    if (server_->stopping) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->limits.max_header));
    parser_->body_limit(server_->limits.max_body);
    // The deadline is the session's own timer, not the stream's: the stream's closes the socket
    // when it expires, and a request cut short is owed a 408 on that socket.
    stream_.expires_never();
    reading_ = true;
    read_timed_out_ = false;
    read_deadline_.expires_after(requests_ == 0 ? server_->limits.read_timeout
                                                : server_->limits.idle_timeout + server_->limits.read_timeout);
    read_deadline_.async_wait(beast::bind_front_handler(&Session::on_read_deadline, shared_from_this()));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  // On the strand, as on_read is: reading_ says whether the read is still waiting.
  void on_read_deadline(beast::error_code ec) {
    if (ec == net::error::operation_aborted || !reading_) return;
    read_timed_out_ = true;
    beast::error_code ignored;
    stream_.socket().cancel(ignored);  // on_read follows with operation_aborted
    // Should the read be between two of its steps, the cancel finds nothing to cancel and the
    // next step would wait for ever: the stream's own timeout bounds that step.
    stream_.expires_after(kLinger);
  }

  void on_read(beast::error_code ec, std::size_t) {
    start_ = Clock::now();
    reading_ = false;
    read_deadline_.cancel();
    const bool timed_out = std::exchange(read_timed_out_, false) && ec;  // not if it came just in time
    // Some of a request came (the parser took bytes, or bytes wait in the buffer) but not all of it.
    const bool begun = parser_->got_some() || buffer_.size() > 0;
    method_ = "-";
    target_ = "-";
    if (parser_->is_header_done()) {
      method_ = std::string(parser_->get().method_string());
      target_ = std::string(parser_->get().target());
    }
    if (timed_out && begun && !closed_) {
      const std::string why = "the request was not received in full within " + seconds(server_->limits.read_timeout);
      return fail(408, "timeout", why);
    }
    if (timed_out || ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof || ec == net::error::bad_descriptor) {
      return close();  // nothing came in time (an idle connection), the client left, or we stop
    }
    if (ec == http::error::body_limit) {
      return fail(413, "too_large",
                  "the request body is larger than " + std::to_string(server_->limits.max_body) + " bytes");
    }
    if (ec == http::error::header_limit) {
      return fail(431, "header_too_large", "the request headers are too large");
    }
    if (ec) return fail(400, "bad_http", "malformed HTTP request");

    busy_ = true;
    ++requests_;
    const auto& req = parser_->get();
    HttpRequest in;
    in.method = method_;
    in.target = target_;
    in.content_type = std::string(req[http::field::content_type]);
    in.origin = std::string(req[http::field::origin]);
    in.body = std::move(parser_->get().body());
    HttpReply out;
    try {
      out = server_->handler(in);
    } catch (const std::exception&) {
      out = server_->error_reply(500, "internal", "internal error; the request was not answered");
    }
    reply(out.status, std::move(out.body), std::move(out.headers), req.keep_alive() && !server_->stopping);
  }

  // An error the server found itself, answered as the service answers its own; the connection
  // then closes.
  void fail(unsigned status, const char* code, const std::string& message) {
    HttpReply out = server_->error_reply(status, code, message);
    reply(out.status, std::move(out.body), std::move(out.headers), false);
  }

  void reply(unsigned status, std::string body, std::vector<std::pair<std::string, std::string>> headers,
             bool keep_alive) {
    res_ = {};
    res_.version(parser_ ? parser_->get().version() : 11);
    res_.result(status);
    res_.set(http::field::server, "knead");
    res_.set(http::field::content_type, "application/json");
    res_.set(http::field::cache_control, "no-store");
    for (auto& [name, value] : headers) res_.set(name, value);
    res_.keep_alive(keep_alive);
    res_.body() = std::move(body);
    res_.prepare_payload();
    stream_.expires_after(server_->limits.read_timeout);
    http::async_write(stream_, res_, beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t bytes) {
    server_->log(method_, target_, res_.result_int(), bytes, start_);
    busy_ = false;
    if (ec) return close();
    if (!res_.keep_alive()) return linger();
    if (server_->stopping) return close();
    read();
  }

  // After a last answer (a 408 or 413 to a client that may still be sending): stop sending, and
  // read and drop what still comes, for a bounded time, before closing. Closing with unread
  // bytes would reset the connection, and a reset can discard the answer before the client reads it.
  void linger() {
    if (closed_) return;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLinger);  // closes the socket when it expires
    stream_.async_read_some(net::buffer(drain_), beast::bind_front_handler(&Session::on_linger, shared_from_this()));
  }

  void on_linger(beast::error_code ec, std::size_t) {
    if (ec) return close();  // the client closed its side, the time is up, or we stop
    stream_.async_read_some(net::buffer(drain_), beast::bind_front_handler(&Session::on_linger, shared_from_this()));
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    read_deadline_.cancel();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  static constexpr std::chrono::seconds kLinger{2};

  beast::tcp_stream stream_;
  net::steady_timer read_deadline_{stream_.get_executor()};
  beast::flat_buffer buffer_;
  std::array<char, 4096> drain_{};
  std::shared_ptr<HttpServer::Impl> server_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  std::string method_;
  std::string target_;
  Clock::time_point start_;
  std::size_t requests_ = 0;
  bool reject_;
  bool busy_ = false;
  bool closed_ = false;
  bool reading_ = false;
  bool read_timed_out_ = false;
};

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || self->stopping) return;
    if (!ec) {
      bool full;
      {
        std::lock_guard<std::mutex> lock(self->sessions_mutex);
        full = self->sessions.size() >= self->limits.max_connections;
      }
      auto session = std::make_shared<Session>(std::move(socket), self, full);
      if (!full) self->session_started(session.get(), session);
      session->start();
    }
    self->accept();
  });
}

void HttpServer::Impl::session_started(Session* s, const std::shared_ptr<Session>& p) {
  std::lock_guard<std::mutex> lock(sessions_mutex);
  sessions.emplace(s, p);
}

void HttpServer::Impl::session_ended(Session* s) {
  bool last;
  {
    std::lock_guard<std::mutex> lock(sessions_mutex);
    sessions.erase(s);
    last = sessions.empty();
  }
  if (last && stopping) net::post(acceptor.get_executor(), [self = shared_from_this()] { self->grace.cancel(); });
}

void HttpServer::Impl::begin_stop() {
  if (stopping.exchange(true)) return;
  net::post(acceptor.get_executor(), [self = shared_from_this()] { self->stop_on_strand(); });
}

// On the acceptor's strand, as are the grace timer's cancellations: a session ending while the
// timer is armed cannot be missed.
void HttpServer::Impl::stop_on_strand() {
  beast::error_code ignored;
  acceptor.close(ignored);
  signals.cancel(ignored);
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(sessions_mutex);
    for (auto& [ptr, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) net::post(s->executor(), [s] { s->stop_if_idle(); });
  if (live.empty()) return;
  grace.expires_after(limits.shutdown_grace);
  grace.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->ioc.stop();  // the grace period is over: whatever is left is cut
  });
}

void HttpServer::Impl::log(const std::string& method, const std::string& target, unsigned status, std::size_t bytes,
                           Clock::time_point start) {
  if (access_log == nullptr) return;
  // The path only: no query string, no body, no header that could carry patient data.
  const std::string path = target.substr(0, target.find('?'));
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::ostringstream line;
  line << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ") << ' ' << method << ' ' << path << ' ' << status << ' ' << bytes
       << ' ' << std::fixed << std::setprecision(2) << ms << "ms\n";
  std::lock_guard<std::mutex> lock(log_mutex);
  *access_log << line.str() << std::flush;
}

HttpServer::HttpServer(const std::string& address, unsigned short port, std::size_t threads, ServerLimits limits,
                       HttpHandler handler, HttpErrorReply error_reply, std::ostream* access_log)
    : impl_(std::make_shared<Impl>(threads, limits, std::move(handler), std::move(error_reply), access_log)) {
  beast::error_code ec;
  const auto ip = net::ip::make_address(address, ec);
  if (ec) throw std::runtime_error("serve: '" + address + "' is not an IP address");
  const tcp::endpoint endpoint{ip, port};
  const std::string where = address + ":" + std::to_string(port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("serve: cannot listen on " + where + ": " + ec.message());
}

HttpServer::~HttpServer() = default;

unsigned short HttpServer::port() const noexcept {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void HttpServer::run() {
  impl_->signals.async_wait([impl = impl_](beast::error_code ec, int) {
    if (!ec) impl->begin_stop();
  });
  impl_->accept();
  std::vector<std::thread> pool;
  for (std::size_t i = 1; i < impl_->threads; ++i) pool.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : pool) t.join();
}

void HttpServer::stop() { impl_->begin_stop(); }

}  // namespace knead::cli
