#include "render/json_stream.hpp"

#include "render/json_string.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace knead::detail {
namespace {

// Writes JSON text piece by piece. Keys and punctuation are written by the caller as literal
// text ("{\"id\":"), which keeps each object's layout visible in one place.
//
// It writes through a pointer into `out`, grown ahead of the writing, rather than appending
// piece by piece: a result is hundreds of short pieces, and each append would check the
// capacity and copy through a library call. `out` has its final size when the writer is gone.
class Writer {
 public:
  // `expected`: how many bytes the text will likely take. The room made is filled with zeros
  // first (std::string has no other way to grow), so it should not be much more.
  Writer(std::string& out, std::size_t expected) : out_(out), start_(out.size()) {
    out_.resize(start_ + std::max(expected, kStep));
    at_ = out_.data() + start_;
    end_ = out_.data() + out_.size();
  }
  ~Writer() { out_.resize(static_cast<std::size_t>(at_ - out_.data())); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // How many bytes have been written.
  [[nodiscard]] std::size_t written() const noexcept { return static_cast<std::size_t>(at_ - out_.data()) - start_; }

  // Literal text: its length is known when compiling, so the copy is a few moves.
  template <std::size_t N>
  Writer& raw(const char (&text)[N]) {
    append(text, N - 1);
    return *this;
  }
  Writer& raw(std::string_view text) {
    append(text.data(), text.size());
    return *this;
  }

  // A JSON string, byte for byte as dump() writes it (render/json_string.hpp).
  Writer& str(const std::string& s) {
    room(s.size() + 2 + 16);
    if (json_string::copy_if_plain(s, at_ + 1)) {  // nearly always: copied as it is, between quotes
      at_[0] = '"';
      at_[s.size() + 1] = '"';
      at_ += s.size() + 2;
    } else {
      append_json_string(s, *this);
    }
    return *this;
  }
  Writer& str(const Text& s) { return str(s.str()); }
  Writer& str(const char* s) { return str(std::string_view(s)); }
  Writer& str(std::string_view s) {
    if (json_string::plain_prefix(s) == s.size()) {  // nearly always: one copy between quotes
      room(s.size() + 2);
      *at_++ = '"';
      std::memcpy(at_, s.data(), s.size());
      at_ += s.size();
      *at_++ = '"';
    } else {
      append_json_string(s, *this);
    }
    return *this;
  }

  Writer& integer(std::int64_t v) {
    room(24);
    at_ = std::to_chars(at_, end_, v).ptr;
    return *this;
  }

  // Scores are sums of weights: whole numbers print as integers ("5", not "5.0").
  Writer& score(double v) {
    if (std::floor(v) == v && std::fabs(v) < 9e15) return integer(static_cast<std::int64_t>(v));
    const std::string text = nlohmann::json(v).dump();
    append(text.data(), text.size());
    return *this;
  }

  Writer& optional(const std::optional<int>& v) { return v ? integer(*v) : raw("null"); }

  Writer& boolean(bool v) { return v ? raw("true") : raw("false"); }

  // What append_json_string writes through.
  void push_back(char c) {
    room(1);
    *at_++ = c;
  }
  void append(const char* text, std::size_t n) {
    room(n);
    std::memcpy(at_, text, n);
    at_ += n;
  }

  template <typename Strings>  // a vector of std::string or of Text
  Writer& strings(const Strings& list) {
    push_back('[');
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i != 0) push_back(',');
      str(list[i]);
    }
    push_back(']');
    return *this;
  }

  // [item, item, ...] with `one(item)` writing each.
  template <typename List, typename One>
  Writer& array(const List& list, One one) {
    push_back('[');
    bool first = true;
    for (const auto& item : list) {
      if (!first) push_back(',');
      first = false;
      one(item);
    }
    push_back(']');
    return *this;
  }

 private:
  static constexpr std::size_t kStep = 1024;

  // Makes room for `n` more bytes, at least kStep (the string's capacity grows geometrically).
  void room(std::size_t n) {
    if (static_cast<std::size_t>(end_ - at_) >= n) return;
    const auto used = static_cast<std::size_t>(at_ - out_.data());
    out_.resize(used + std::max(n, kStep));
    at_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }

  std::string& out_;
  std::size_t start_;    ///< where the writing started in `out_`
  char* at_ = nullptr;   ///< where the next byte goes
  char* end_ = nullptr;  ///< the end of the room made so far
};

void cautions(Writer& w, const CautionList& list) {
  w.array(list, [&](const Caution& c) {
    w.raw("{");
    if (!c.target.empty()) w.raw("\"target\":").str(c.target).raw(",");
    w.raw("\"reason\":").str(c.reason);
    if (c.pressure_max) w.raw(",\"pressure_max\":").str(to_string(*c.pressure_max));
    w.raw(",\"because\":").strings(c.because).raw("}");
  });
}

}  // namespace

void write_compact_json(const Recommendation& r, std::string& out) {
  // Room for a little more than this thread's last result took: results of one rule set are
  // much alike, and the text then seldom needs more room while it is written.
  thread_local std::size_t last_size = 4096;
  Writer w(out, last_size + last_size / 8);
  w.raw("{\"patient\":").str(r.patient);
  w.raw(",\"ruleset\":{\"name\":").str(r.ruleset_name);
  w.raw(",\"version\":").str(r.ruleset_version);
  w.raw(",\"digest\":").str(r.ruleset_digest);
  if (!r.ruleset_layers.empty()) {
    w.raw(",\"layers\":").array(r.ruleset_layers, [&](const RuleSetLayer& l) {
      w.raw("{\"name\":").str(l.name);
      w.raw(",\"version\":").str(l.version);
      w.raw(",\"digest\":").str(l.digest).raw("}");
    });
  }
  w.raw("}");
  w.raw(",\"status\":").str(to_string(r.status));
  w.raw(",\"modalities\":").array(r.modalities, [&](const RecommendedModality& m) {
    w.raw("{\"id\":").str(m.id);
    w.raw(",\"label\":").str(m.label);
    w.raw(",\"score\":").score(m.score);
    w.raw(",\"pressure\":").str(to_string(m.pressure));
    if (m.duration_min) w.raw(",\"duration_min\":").integer(*m.duration_min);
    w.raw(",\"because\":").strings(m.because);
    w.raw(",\"notes\":").strings(m.notes);
    w.raw(",\"cautions\":");
    cautions(w, m.cautions);
    w.raw("}");
  });
  w.raw(",\"excluded\":").array(r.excluded, [&](const ExcludedItem& e) {
    w.raw("{\"id\":").str(e.id);
    w.raw(",\"label\":").str(e.label);
    w.raw(",\"reason\":").str(e.reason);
    w.raw(",\"because\":").strings(e.because).raw("}");
  });
  w.raw(",\"self_care\":").array(r.self_care, [&](const RecommendedSelfCare& s) {
    w.raw("{\"id\":").str(s.id);
    w.raw(",\"label\":").str(s.label);
    w.raw(",\"instructions\":").str(s.instructions);
    w.raw(",\"because\":").strings(s.because);
    w.raw(",\"notes\":").strings(s.notes);
    w.raw(",\"cautions\":");
    cautions(w, s.cautions);
    w.raw("}");
  });
  w.raw(",\"avoid_regions\":").array(r.avoid_regions, [&](const AvoidedRegion& a) {
    w.raw("{\"id\":").str(a.id);
    w.raw(",\"label\":").str(a.label);
    w.raw(",\"level\":").str(to_string(a.level));
    if (a.pressure_max) w.raw(",\"pressure_max\":").str(to_string(*a.pressure_max));
    w.raw(",\"reason\":").str(a.reason);
    w.raw(",\"because\":").strings(a.because).raw("}");
  });
  w.raw(",\"cautions\":");
  cautions(w, r.cautions);
  w.raw(",\"referrals\":").array(r.referrals, [&](const ReferralOut& f) {
    w.raw("{\"to\":").str(f.to);
    w.raw(",\"urgency\":").str(to_string(f.urgency));
    w.raw(",\"reason\":").str(f.reason);
    w.raw(",\"because\":").strings(f.because).raw("}");
  });
  w.raw(",\"plan\":");
  if (r.plan) {
    w.raw("{\"duration_min\":").optional(r.plan->duration_min);
    w.raw(",\"sessions_per_week\":").optional(r.plan->sessions_per_week);
    w.raw(",\"weeks\":").optional(r.plan->weeks);
    w.raw(",\"because\":").str(r.plan->because).raw("}");
  } else {
    w.raw("null");
  }
  w.raw(",\"warnings\":").strings(r.warnings);
  w.raw(",\"interpreted\":").array(r.interpreted, [&](const Interpreted& i) {
    w.raw("{\"field\":").str(i.field);
    w.raw(",\"input\":").str(i.input);
    if (!i.system.empty()) w.raw(",\"system\":").str(i.system);
    w.raw(",\"kind\":").str(i.kind);
    w.raw(",\"id\":").str(i.id);
    w.raw(",\"by\":").str(i.by).raw("}");
  });
  w.raw(",\"unresolved\":").array(r.unresolved, [&](const Unresolved& u) {
    w.raw("{\"field\":").str(u.field);
    w.raw(",\"input\":").str(u.input);
    w.raw(",\"problem\":").str(u.problem);
    w.raw(",\"nearest\":");
    if (u.nearest.empty()) {
      w.raw("null");
    } else {
      w.str(u.nearest);
    }
    w.raw(",\"message\":").str(u.message).raw("}");
  });
  w.raw(",\"questions\":").array(r.questions, [&](const Question& q) {
    w.raw("{\"fact\":").str(q.fact);
    w.raw(",\"question\":").str(q.question);
    w.raw(",\"because\":").strings(q.because).raw("}");
  });
  w.raw(",\"errors\":").array(r.errors, [&](const RuleError& e) {
    w.raw("{\"rule\":").str(e.rule);
    w.raw(",\"code\":").str(e.code);
    w.raw(",\"message\":").str(e.message).raw("}");
  });
  w.raw(",\"fired\":").strings(r.fired);
  if (r.trace) {
    w.raw(",\"trace\":").array(*r.trace, [&](const RuleTrace& t) {
      w.raw("{\"rule\":").str(t.rule);
      w.raw(",\"title\":").str(t.title);
      w.raw(",\"fired\":").boolean(t.fired);
      if (!t.error.empty()) w.raw(",\"error\":").str(t.error);
      if (!t.failed_pointer.empty()) {
        w.raw(",\"failed_clause\":{\"pointer\":").str(t.failed_pointer);
        w.raw(",\"location\":").str(t.failed_location.to_string());
        w.raw(",\"clause\":")
            .raw(t.failed_clause.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
            .raw("}");
      }
      w.raw("}");
    });
  }
  w.raw("}");
  last_size = w.written();
}

}  // namespace knead::detail
