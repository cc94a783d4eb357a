#include <knead/recommendation.hpp>

namespace knead {

const char* to_string(Status status) noexcept {
  switch (status) {
    case Status::ok: return "ok";
    case Status::review: return "review";
    case Status::refer: return "refer";
    case Status::error: return "error";
  }
  return "?";
}

int severity(Status status) noexcept {
  switch (status) {
    case Status::ok: return 0;
    case Status::review: return 1;
    case Status::refer: return 2;
    case Status::error: return 3;
  }
  return 3;
}

}  // namespace knead
