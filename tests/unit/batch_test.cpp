// The worker pool and the ordered pipeline: every piece written once, in input order, within the
// memory bound, and a failing stage ends the stream with its exception; a pool goes on working in
// a child made by fork().

#include "support/catch.hpp"

#include <knead/batch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if !defined(_WIN32)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

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
    if (workers == 1) {
      CHECK(batch.threads == std::set<std::thread::id>{std::this_thread::get_id()});
      CHECK(batch.most_in_flight == 1);  // one thread reads no piece ahead: one set of buffers
    }
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

#if !defined(_WIN32)
namespace {

// Runs `body` in a child made by fork() and returns its exit status: 0 when body returned true,
// 1 when false, -1 when the child was still running after `limit` (it is killed then) or did not
// exit normally. The wait is bounded, so a child that hangs fails the test instead of hanging it.
int in_child(const std::function<bool()>& body, std::chrono::seconds limit = std::chrono::seconds(20)) {
  const pid_t child = fork();
  if (child < 0) return -2;
  if (child == 0) _exit(body() ? 0 : 1);  // _exit: no test framework or static destructors in the child
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (done < 0 || std::chrono::steady_clock::now() > deadline) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// Runs a job of `n` tasks on the pool and says whether every task ran exactly once.
bool every_task_once(WorkerPool& pool, std::size_t n) {
  std::vector<std::atomic<int>> ran(n);
  pool.run(n, [&ran](std::size_t i) { ++ran[i]; });
  return std::all_of(ran.begin(), ran.end(), [](const std::atomic<int>& r) { return r == 1; });
}

}  // namespace

// Not tagged [threads]: ThreadSanitizer does not support starting threads after a
// multi-threaded fork, which is what this checks works.
TEST_CASE("A pool used, or only destroyed, in a child made by fork() works and does not hang", "[batch][fork]") {
  auto pool = std::make_unique<WorkerPool>(4);
  REQUIRE(every_task_once(*pool, 1000));  // the parent's threads are running and waiting

  SECTION("used in the child: the child's own threads run the job, then stop") {
    CHECK(in_child([&pool] {
            const bool ok = pool->size() == 4 && every_task_once(*pool, 1000) && every_task_once(*pool, 10);
            NumberedBatch batch(200);
            batch.run(*pool);
            const bool piped = batch.written == batch.expected();
            pool.reset();
            return ok && piped;
          }) == 0);
  }
  SECTION("only destroyed in the child") {
    CHECK(in_child([&pool] {
            pool.reset();
            return true;
          }) == 0);
  }
  SECTION("forked while the parent runs a job on the pool, from another thread") {
    std::atomic<bool> started{false};
    std::thread parent_job([&] {
      pool->run(8, [&started](std::size_t) {
        started = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      });
    });
    while (!started) std::this_thread::yield();
    CHECK(in_child([&pool] {
            const bool ok = every_task_once(*pool, 100);
            pool.reset();
            return ok;
          }) == 0);
    parent_job.join();
  }
  // The parent's pool is unharmed by what its children did.
  CHECK(every_task_once(*pool, 1000));
}
#endif
