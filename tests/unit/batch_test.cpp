// The worker pool and the ordered pipeline: every piece written once, in input order, within the
// memory bound, and a failing stage ends the stream with its exception.

#include "support/catch.hpp"

#include <knead/batch.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using knead::BatchChunk;
using knead::ordered_pipeline;
using knead::WorkerPool;

namespace {

// A batch of `count` numbered pieces whose work takes uneven time, so that pieces finish out of
// order; records what was written and how many pieces were in flight at most.
struct NumberedBatch {
  std::size_t count = 0;
  std::size_t next = 0;
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::size_t> most_in_flight{0};
  std::vector<std::string> written;
  std::mutex threads_mutex;
  std::set<std::thread::id> threads;

  explicit NumberedBatch(std::size_t n) : count(n) {}

  bool read(BatchChunk& c) {
    if (next == count) return false;
    c.first = next++;
    c.input = std::to_string(c.first);
    const std::size_t now = ++in_flight;
    std::size_t most = most_in_flight.load();
    while (now > most && !most_in_flight.compare_exchange_weak(most, now)) {
    }
    return true;
  }

  void work(BatchChunk& c) {
    {
      const std::lock_guard<std::mutex> lock(threads_mutex);
      threads.insert(std::this_thread::get_id());
    }
    // Pieces 0, 7, 14... take much longer than the others.
    const std::size_t spins = c.first % 7 == 0 ? 200000 : 2000;
    std::size_t sum = 0;
    for (std::size_t i = 0; i < spins; ++i) sum += i ^ c.first;
    c.output = "piece " + c.input + (sum == 1 ? "!" : "");
  }

  void write(BatchChunk& c) {
    written.push_back(c.output);
    --in_flight;
  }

  void run(WorkerPool& pool, std::size_t slots = 0) {
    ordered_pipeline(
        pool, [this](BatchChunk& c) { return read(c); }, [this](BatchChunk& c) { work(c); },
        [this](BatchChunk& c) { write(c); }, slots);
  }

  [[nodiscard]] std::vector<std::string> expected() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count; ++i) out.push_back("piece " + std::to_string(i));
    return out;
  }
};

}  // namespace

TEST_CASE("The pipeline writes every piece once, in input order, whatever finishes first", "[batch][threads]") {
  for (const std::size_t workers : {1U, 2U, 4U, 9U}) {
    WorkerPool pool(workers);
    NumberedBatch batch(300);
    batch.run(pool);
    INFO(workers << " workers");
    CHECK(batch.written == batch.expected());
    CHECK(batch.most_in_flight <= 2 * pool.size() + 2);
    if (workers == 1) CHECK(batch.threads == std::set<std::thread::id>{std::this_thread::get_id()});
  }
}

TEST_CASE("The pipeline keeps at most `slots` pieces in flight", "[batch][threads]") {
  WorkerPool pool(4);
  for (const std::size_t slots : {1U, 2U, 3U}) {
    NumberedBatch batch(100);
    batch.run(pool, slots);
    INFO(slots << " slots");
    CHECK(batch.written == batch.expected());
    CHECK(batch.most_in_flight <= slots);
  }
}

TEST_CASE("The pipeline runs the same pool again and again, and an empty input writes nothing", "[batch][threads]") {
  WorkerPool pool(3);
  for (int round = 0; round < 20; ++round) {
    NumberedBatch batch(static_cast<std::size_t>(round % 4) * 5);
    batch.run(pool);
    CHECK(batch.written == batch.expected());
  }
}

TEST_CASE("A stage that throws ends the stream with its exception, after a prefix of the output", "[batch][threads]") {
  WorkerPool pool(4);
  const auto check_prefix = [](const std::vector<std::string>& written) {
    for (std::size_t i = 0; i < written.size(); ++i) CHECK(written[i] == "piece " + std::to_string(i));
  };
  SECTION("read") {
    NumberedBatch batch(1000);
    auto read = [&](BatchChunk& c) {
      if (batch.next == 40) throw std::runtime_error("cannot read");
      return batch.read(c);
    };
    CHECK_THROWS_WITH(ordered_pipeline(
                          pool, read, [&](BatchChunk& c) { batch.work(c); }, [&](BatchChunk& c) { batch.write(c); }),
                      "cannot read");
    CHECK(batch.written.size() <= 40);
    check_prefix(batch.written);
  }
  SECTION("work") {
    NumberedBatch batch(1000);
    auto work = [&](BatchChunk& c) {
      if (c.first == 123) throw std::runtime_error("cannot work");
      batch.work(c);
    };
    CHECK_THROWS_WITH(
        ordered_pipeline(
            pool, [&](BatchChunk& c) { return batch.read(c); }, work, [&](BatchChunk& c) { batch.write(c); }),
        "cannot work");
    CHECK(batch.written.size() <= 123);
    check_prefix(batch.written);
  }
  SECTION("write") {
    NumberedBatch batch(1000);
    auto write = [&](BatchChunk& c) {
      if (c.first == 77) throw std::runtime_error("cannot write");
      batch.write(c);
    };
    CHECK_THROWS_WITH(
        ordered_pipeline(
            pool, [&](BatchChunk& c) { return batch.read(c); }, [&](BatchChunk& c) { batch.work(c); }, write),
        "cannot write");
    CHECK(batch.written.size() == 77);
    check_prefix(batch.written);
  }
  // The pool is still whole after a failed stream.
  NumberedBatch after(50);
  after.run(pool);
  CHECK(after.written == after.expected());
}
