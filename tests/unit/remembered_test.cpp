// The per-rule-set memo (src/util/remembered.hpp): threads that share a rule set share its
// answers, each computed once per key while there is room, and every answer is the computed one.
#include "util/remembered.hpp"

#include "support/catch.hpp"

#include <atomic>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

namespace {

using knead::detail::Remembered;

std::string answer_for(const std::string& key) { return "answer to " + key; }

}  // namespace

TEST_CASE("Remembered: one answer per key, computed once while there is room, shared by threads", "[threads]") {
  const Remembered<std::string> memo;
  constexpr std::size_t distinct = Remembered<std::string>::kMax + 500;
  std::atomic<std::size_t> computed{0};
  std::atomic<std::size_t> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 2; ++round) {
        for (std::size_t i = 0; i < distinct; ++i) {
          const std::string key = "condition|name " + std::to_string((i * 7 + static_cast<std::size_t>(t)) % distinct);
          const std::string got = memo.get(key, [&] {
            ++computed;
            return answer_for(key);
          });
          if (got != answer_for(key)) ++wrong;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wrong == 0);
  CHECK(computed >= distinct);

  // Exactly kMax answers are remembered: asked again, only the others are computed.
  std::size_t again = 0;
  for (std::size_t i = 0; i < distinct; ++i) {
    const std::string key = "condition|name " + std::to_string(i);
    CHECK(memo.get(key, [&] {
      ++again;
      return answer_for(key);
    }) == answer_for(key));
  }
  CHECK(again == distinct - Remembered<std::string>::kMax);
}

TEST_CASE("Remembered: a remembered answer stays in place, and none is made once there is no room") {
  const Remembered<std::string> memo;
  std::size_t computed = 0;
  const auto make = [&](const std::string& key) {
    return [&computed, key] {
      ++computed;
      return answer_for(key);
    };
  };
  const std::string* first = memo.remember("first", make("first"));
  REQUIRE(first != nullptr);
  CHECK(*first == answer_for("first"));
  CHECK(memo.remember("first", make("first")) == first);  // the same answer, where it was
  CHECK(memo.get("first", make("first")) == answer_for("first"));
  CHECK(computed == 1);
  for (std::size_t i = 1; i < Remembered<std::string>::kMax; ++i) {
    REQUIRE(memo.remember("key " + std::to_string(i), make("key")) != nullptr);
  }
  // Full: a new key gets nothing and computes nothing; the remembered ones are still there.
  const std::size_t before = computed;
  CHECK(memo.remember("one more", make("one more")) == nullptr);
  CHECK(computed == before);
  CHECK(memo.remember("first", make("first")) == first);
  CHECK(*first == answer_for("first"));
}
