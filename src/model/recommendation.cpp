#include <knead/recommendation.hpp>

namespace knead {

const char* to_string(Status status) noexcept {
  switch (status) {
    case Status::ok: return "ok";
    case Status::refer: return "refer";
    case Status::error: return "error";
  }
  return "?";
}

}  // namespace knead
