#pragma once
/// \file
/// Worker threads that live as long as a batch does, and an ordered pipeline over them.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace knead {

/// A fixed set of worker threads, started once and reused for every job. The calling thread
/// is a worker too: it helps while it waits, so a pool of size 1 starts no thread at all.
class WorkerPool {
 public:
  /// More threads than this are never started, whatever is asked: more only adds contention
  /// and thread stacks. `knead recommend -j` and recommend_many accept up to this many.
  static constexpr std::size_t kMaxThreads = 256;

  /// `workers` in all, counting the calling thread (0: one per core), at most kMaxThreads. A
  /// thread the system refuses to start leaves fewer workers; it is never an error.
  explicit WorkerPool(std::size_t workers = 0);
  /// Waits for the running job, then stops the threads.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// The number of workers, the calling thread included.
  [[nodiscard]] std::size_t size() const noexcept;

  /// Starts calling `task(i)` for every i in [0, n) on the pool's threads and returns at once;
  /// `task` must stay alive until wait() returns and must not throw. One job at a time.
  void start(std::size_t n, std::function<void(std::size_t)> task);
  /// Helps with the started job until every task has run.
  void wait();
  /// start() then wait().
  void run(std::size_t n, std::function<void(std::size_t)> task);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// One line of a line-oriented batch: its 1-based number in the input and its text.
struct BatchLine {
  std::size_t number = 0;
  std::string text;
};

/// Streams lines through `work` on `pool`, in chunks: while the workers compute one chunk, the
/// calling thread writes the previous chunk's results and reads the next chunk. Results are
/// written in input order.
///   read(BatchLine& line) -> bool              next line, false at the end (on this thread)
///   work(const BatchLine& line) -> std::string the line's output (on any worker; must not throw)
///   write(const BatchLine& line, std::string& output)  on this thread, in input order
/// `chunk` lines make a chunk (0: 256 per worker); memory stays bounded by two chunks. An
/// exception from read or write stops the stream after the chunk being computed.
void ordered_pipeline(WorkerPool& pool, const std::function<bool(BatchLine&)>& read,
                      const std::function<std::string(const BatchLine&)>& work,
                      const std::function<void(const BatchLine&, std::string&)>& write, std::size_t chunk = 0);

}  // namespace knead
