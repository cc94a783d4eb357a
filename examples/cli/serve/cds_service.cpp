#include "cds_service.hpp"

#include <knead/cds_hooks.hpp>
#include <knead/document.hpp>
#include <knead/render.hpp>

namespace knead::cli {
namespace {

using ojson = nlohmann::ordered_json;

bool is_json_type(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type == "application/json" || type == "application/fhir+json";
}

}  // namespace

CdsService::CdsService(const Engine& engine, std::string allow_origin)
    : engine_(engine), allow_origin_(std::move(allow_origin)) {
  discovery_ = cds_hooks_discovery(engine.rules()).dump(2);
  const RuleSet& r = engine.rules();
  ruleset_ = r.name() + " " + r.version() + " " + r.digest();
}

HttpReply CdsService::json_reply(unsigned status, const std::string& body) const {
  HttpReply reply{status, body, {{"Knead-Ruleset", ruleset_}}};
  if (!allow_origin_.empty()) {
    reply.headers.emplace_back("Access-Control-Allow-Origin", allow_origin_);
    reply.headers.emplace_back("Vary", "Origin");
  }
  return reply;
}

HttpReply CdsService::error(unsigned status, const std::string& code, const std::string& message) const {
  ojson body;
  body["error"] = {{"code", code}, {"message", message}};
  body["ruleset"] = {{"name", engine_.rules().name()},
                     {"version", engine_.rules().version()},
                     {"digest", engine_.rules().digest()}};
  return json_reply(status, body.dump(2));
}

HttpReply CdsService::handle(const HttpRequest& request) const {
  try {
    const std::string path = request.target.substr(0, request.target.find('?'));
    const std::string prefix = "/cds-services";
    if (request.method == "OPTIONS" && !allow_origin_.empty()) {
      HttpReply reply = json_reply(204, "");
      reply.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      reply.headers.emplace_back("Access-Control-Allow-Headers", "Content-Type, Authorization");
      return reply;
    }
    if (path == "/health") {
      if (request.method != "GET") {
        HttpReply r = error(405, "method_not_allowed", "use GET for " + path);
        r.headers.emplace_back("Allow", "GET");
        return r;
      }
      ojson body;
      body["status"] = "ok";
      body["ruleset"] = {{"name", engine_.rules().name()},
                         {"version", engine_.rules().version()},
                         {"digest", engine_.rules().digest()}};
      return json_reply(200, body.dump(2));
    }
    if (path == prefix || path == prefix + "/") {
      if (request.method != "GET") {
        HttpReply r = error(405, "method_not_allowed", "use GET for " + prefix);
        r.headers.emplace_back("Allow", "GET");
        return r;
      }
      return json_reply(200, discovery_);
    }
    if (path.compare(0, prefix.size() + 1, prefix + "/") == 0) {
      const std::string id = path.substr(prefix.size() + 1);
      for (const auto& s : cds_hooks_services()) {
        if (s.id != id) continue;
        if (request.method != "POST") {
          HttpReply r = error(405, "method_not_allowed", "use POST to call the service " + id);
          r.headers.emplace_back("Allow", "POST");
          return r;
        }
        return hook(s.hook, request);
      }
      return error(404, "unknown_service", "no CDS service '" + id.substr(0, 80) + "'; GET /cds-services lists them");
    }
    return error(404, "not_found", "nothing here; the services are listed at GET /cds-services");
  } catch (const std::exception&) {
    return error(500, "internal", "internal error; the request was not answered");
  }
}

HttpReply CdsService::hook(const std::string& hook, const HttpRequest& request) const {
  if (!is_json_type(request.content_type)) {
    return error(415, "unsupported_media_type",
                 "the request must be application/json, not '" + request.content_type.substr(0, 80) + "'");
  }
  Patient patient;
  try {
    const Document doc = Document::parse(request.body, "request");
    patient = patient_from_cds_hooks_request(doc.root(), FhirOptions{"", &engine_.rules()}, hook);
  } catch (const ParseError& e) {
    return error(400, "malformed_json", e.diagnostic().to_string());
  } catch (const Error& e) {
    return error(400, e.code(), e.what());
  }
  Recommendation rec;
  try {
    rec = engine_.recommend(patient);
  } catch (const Error& e) {
    return error(400, e.code(), e.what());
  }
  return json_reply(200, to_cds_hooks(rec, &engine_.rules()).dump(2));
}

}  // namespace knead::cli
