#include "render/json_stream.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace knead::detail {
namespace {

// Writes JSON text piece by piece. Keys and punctuation are written by the caller as literal
// text ("{\"id\":"), which keeps each object's layout visible in one place.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  Writer& raw(std::string_view text) {
    out_.append(text);
    return *this;
  }

  // A JSON string, escaped in runs between the bytes that need it. Text with bytes above
  // ASCII goes through nlohmann::json instead, which checks the UTF-8 and replaces invalid
  // bytes exactly as to_json's dump() does.
  Writer& str(std::string_view s) {
    const std::size_t start = out_.size();
    out_.push_back('"');
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      // Eight bytes at a time while none needs a second look: most text needs no escape.
      while (i + 8 <= s.size() && all_plain(s.data() + i)) i += 8;
      if (i == s.size()) break;
      const auto c = static_cast<unsigned char>(s[i]);
      if (kPlain[c]) continue;
      if (c >= 0x80) {
        out_.resize(start);
        out_.append(nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        return *this;
      }
      out_.append(s.data() + run, i - run);
      run = i + 1;
      escape(c);
    }
    out_.append(s.data() + run, s.size() - run);
    out_.push_back('"');
    return *this;
  }

  Writer& integer(std::int64_t v) {
    out_.append(std::to_string(v));
    return *this;
  }

  // Scores are sums of weights: whole numbers print as integers ("5", not "5.0").
  Writer& score(double v) {
    if (std::floor(v) == v && std::fabs(v) < 9e15) return integer(static_cast<std::int64_t>(v));
    out_.append(nlohmann::json(v).dump());
    return *this;
  }

  Writer& optional(const std::optional<int>& v) { return v ? integer(*v) : raw("null"); }

  Writer& boolean(bool v) { return raw(v ? "true" : "false"); }

  template <typename Strings>  // a vector of std::string or of Text
  Writer& strings(const Strings& list) {
    out_.push_back('[');
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i != 0) out_.push_back(',');
      str(list[i]);
    }
    out_.push_back(']');
    return *this;
  }

  // [item, item, ...] with `one(item)` writing each.
  template <typename List, typename One>
  Writer& array(const List& list, One one) {
    out_.push_back('[');
    bool first = true;
    for (const auto& item : list) {
      if (!first) out_.push_back(',');
      first = false;
      one(item);
    }
    out_.push_back(']');
    return *this;
  }

 private:
  // The bytes written as they are: printable ASCII except '"' and '\\'.
  static constexpr std::array<bool, 256> kPlain = [] {
    std::array<bool, 256> plain{};
    for (unsigned c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
  }();

  // Whether the eight bytes at `p` are all plain (see kPlain), tested on one 64-bit word: no
  // byte below 0x20 or from 0x80 up, none equal to '"' or '\\'.
  static bool all_plain(const char* p) noexcept {
    std::uint64_t x = 0;
    std::memcpy(&x, p, 8);
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
    const auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
    const std::uint64_t control = (x - kOnes * 0x20) & ~x & kHigh;  // some byte < 0x20
    return ((x & kHigh) | control | has_zero(x ^ (kOnes * '"')) | has_zero(x ^ (kOnes * '\\'))) == 0;
  }

  void escape(unsigned char c) {
    switch (c) {
      case '"': out_.append("\\\""); break;
      case '\\': out_.append("\\\\"); break;
      case '\b': out_.append("\\b"); break;
      case '\f': out_.append("\\f"); break;
      case '\n': out_.append("\\n"); break;
      case '\r': out_.append("\\r"); break;
      case '\t': out_.append("\\t"); break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out_.append(escaped, sizeof escaped);
      }
    }
  }

  std::string& out_;
};

void cautions(Writer& w, const std::vector<Caution>& list) {
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
  Writer w(out);
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
}

}  // namespace knead::detail
