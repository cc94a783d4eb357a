// Load generator for `knead serve`: C clients, each on one keep-alive connection, POST a CDS
// Hooks request N times; prints requests per second and latency percentiles. Loopback only.
//
// usage: knead_serve_bench PORT REQUEST.json [CLIENTS=8] [REQUESTS_PER_CLIENT=2000]
// (bench/serve_bench.sh starts a server and runs this against it.)

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: knead_serve_bench PORT REQUEST.json [CLIENTS] [REQUESTS_PER_CLIENT]\n";
    return 2;
  }
  const std::string port = argv[1];
  std::ifstream in(argv[2]);
  if (!in) {
    std::cerr << "knead_serve_bench: cannot read " << argv[2] << "\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  const std::string body = text.str();
  const int clients = argc > 3 ? std::max(1, std::min(1000, std::atoi(argv[3]))) : 8;
  const int per_client = argc > 4 ? std::max(1, std::min(1000000, std::atoi(argv[4]))) : 2000;

  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  std::atomic<int> failures{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      try {
        net::io_context ioc;
        tcp::resolver resolver(ioc);
        beast::tcp_stream stream(ioc);
        stream.connect(resolver.resolve("127.0.0.1", port));
        http::request<http::string_body> req{http::verb::post, "/cds-services/knead-patient-view", 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::content_type, "application/json");
        req.keep_alive(true);
        req.body() = body;
        req.prepare_payload();
        beast::flat_buffer buffer;
        auto& mine = latencies[static_cast<std::size_t>(c)];
        mine.reserve(static_cast<std::size_t>(per_client));
        for (int i = 0; i < per_client; ++i) {
          const auto t0 = Clock::now();
          http::write(stream, req);
          http::response<http::string_body> res;
          http::read(stream, buffer, res);
          mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
          if (res.result_int() != 200) ++failures;
        }
      } catch (const std::exception& e) {
        std::cerr << "client " << c << ": " << e.what() << "\n";
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))]; };
  std::printf("clients %d, requests %zu, failures %d, %.2f s\n", clients, all.size(), failures.load(), seconds);
  std::printf("throughput %.0f requests/s\n", static_cast<double>(all.size()) / seconds);
  std::printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n", pct(0.50), pct(0.90), pct(0.99),
              pct(0.999), all.empty() ? 0.0 : all.back());
  return failures == 0 ? 0 : 1;
}
