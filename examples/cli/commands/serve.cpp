// knead serve: a CDS Hooks service answering patient-view (and order-select) from the prefetch.

#include "cli.hpp"

#include "../serve/cds_service.hpp"
#include "../serve/http_server.hpp"

#include <knead/engine.hpp>

#include <fstream>
#include <iostream>
#include <thread>

namespace knead::cli {
namespace {

po::options_description visible_options() {
  po::options_description options("Options");
  add_rules_option(options);
  options.add_options()("address", po::value<std::string>()->value_name("IP")->default_value("127.0.0.1"),
                        "address to listen on; the default takes connections from this machine only")(
      "port,p", po::value<int>()->value_name("N")->default_value(8080), "port (0: any free port, printed at start)")(
      "threads", po::value<int>()->value_name("N")->default_value(0), "worker threads (0: one per core)")(
      "max-connections", po::value<int>()->value_name("N")->default_value(256),
      "open connections at most; more get 503")(
      "max-body", po::value<int>()->value_name("BYTES")->default_value(1048576), "request body limit (413 beyond)")(
      "read-timeout", po::value<double>()->value_name("SECONDS")->default_value(10),
      "time to receive a whole request; one begun but not finished by then gets 408")(
      "idle-timeout", po::value<double>()->value_name("SECONDS")->default_value(30),
      "how long a kept-alive connection may wait for its next request")(
      "allow-origin", po::value<std::string>()->value_name("ORIGIN"),
      "a browser origin allowed to call (CORS), e.g. https://sandbox.cds-hooks.org")(
      "access-log", po::value<std::string>()->value_name("FILE")->default_value("-"),
      "one line per request (time, method, path, status, bytes, duration; no patient data); '-' for "
      "stderr, 'off' for none")("help,h", "show this help");
  return options;
}

const char* const usage = "knead serve [--rules PATH] [--port N] [--address IP] [--threads N] [OPTIONS]";

const char* const about =
    "Runs a CDS Hooks 2.0 service, so that an EHR can show knead's recommendation as cards:\n"
    "  GET  /cds-services                       discovery, with the prefetch templates knead reads\n"
    "  POST /cds-services/knead-patient-view    cards for the patient-view hook\n"
    "  POST /cds-services/knead-order-select    the same cards for the order-select hook\n"
    "  GET  /health                             {\"status\": \"ok\"} and the rule set\n"
    "The patient is read from the request's FHIR prefetch; what cannot be read is shown on a card for\n"
    "review. Every answer names the rule set and its digest (header Knead-Ruleset).\n"
    "\n"
    "It listens on 127.0.0.1 unless told otherwise and speaks plain HTTP: put a TLS-terminating\n"
    "reverse proxy in front of it before anything leaves the machine. SIGTERM or SIGINT stops it\n"
    "gracefully: it stops accepting, finishes the requests it has, then exits 0.";

const char* const examples =
    "  knead serve --port 8080\n"
    "  knead serve --rules my-rules/ --port 0 --threads 4\n"
    "  curl -s localhost:8080/cds-services\n"
    "  curl -s -H 'Content-Type: application/json' -d @examples/fhir/patient_view_request.json \\\n"
    "       localhost:8080/cds-services/knead-patient-view\n";

std::chrono::milliseconds seconds_option(const po::variables_map& vm, const char* name) {
  const double s = vm[name].as<double>();
  if (!(s > 0 && s <= 3600)) throw UsageError(std::string("serve: --") + name + " must be more than 0 and at most 3600 seconds");
  return std::chrono::milliseconds(static_cast<long>(s * 1000));
}

}  // namespace

void help_serve(std::ostream& out) { print_help(out, usage, about, visible_options(), examples); }

int run_serve(const std::vector<std::string>& args) {
  const auto parsed = parse_command("serve", args, visible_options(), Positionals{}, help_serve);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;
  const int port = vm["port"].as<int>();
  if (port < 0 || port > 65535) throw UsageError("serve: --port must be from 0 to 65535, not " + std::to_string(port));
  const int threads = vm["threads"].as<int>();
  if (threads < 0 || threads > 256) throw UsageError("serve: --threads must be from 0 to 256");
  const int connections = vm["max-connections"].as<int>();
  if (connections < 1 || connections > 100000) throw UsageError("serve: --max-connections must be from 1 to 100000");
  const int body = vm["max-body"].as<int>();
  if (body < 1024) throw UsageError("serve: --max-body must be at least 1024 bytes");

  ServerLimits limits;
  limits.max_body = static_cast<std::size_t>(body);
  limits.max_connections = static_cast<std::size_t>(connections);
  limits.read_timeout = seconds_option(vm, "read-timeout");
  limits.idle_timeout = seconds_option(vm, "idle-timeout");

  std::ofstream log_file;
  std::ostream* log = &std::cerr;
  const std::string log_path = vm["access-log"].as<std::string>();
  if (log_path == "off") {
    log = nullptr;
  } else if (log_path != "-") {
    log_file.open(log_path, std::ios::app);
    if (!log_file) throw UsageError("serve: cannot write the access log '" + log_path + "'");
    log = &log_file;
  }

  const Engine engine{load_rules(rules_paths(vm))};
  const CdsService service(engine, optional_string(vm, "allow-origin").value_or(""));
  const std::size_t workers =
      threads > 0 ? static_cast<std::size_t>(threads) : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  HttpServer server(
      vm["address"].as<std::string>(), static_cast<unsigned short>(port), workers, limits,
      [&service](const HttpRequest& r) { return service.handle(r); },
      [&service](unsigned status, const std::string& code, const std::string& message) {
        return service.error(status, code, message);
      },
      log);
  std::cerr << "knead serve: rules " << engine.rules().name() << " " << engine.rules().version() << " ("
            << engine.rules().digest() << ")\n"
            << "knead serve: listening on http://" << vm["address"].as<std::string>() << ":" << server.port()
            << "/cds-services with " << workers << (workers == 1 ? " thread" : " threads") << std::endl;
  server.run();
  std::cerr << "knead serve: stopped" << std::endl;
  return exit_ok;
}

}  // namespace knead::cli
