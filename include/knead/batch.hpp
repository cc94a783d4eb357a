#pragma once
/// \file
/// Worker threads that live as long as a batch does, and an ordered pipeline over them.

#include <knead/export.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace knead {

/// A fixed set of worker threads, started once and reused for every job. The calling thread
/// is a worker too: it helps while it waits, so a pool of size 1 starts no thread at all.
/// A pool keeps working across fork(): a forked child has none of its parent's threads, so the
/// child's first job on the pool starts threads of the child's own (as many), and destroying
/// the pool in the child stops those and leaves the parent's alone (their memory is not freed
/// in the child). A task that calls fork() must exec or exit in the child.
class KNEAD_API WorkerPool {
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
  static std::unique_ptr<State> started(std::size_t workers);
  void adopt();  // in a forked child: leave the parent's state and start the child's threads
  std::unique_ptr<State> state_;
};

/// One piece of a streamed batch: a run of input and the output it gave. The pipeline keeps a
/// few of these and reuses them, so their buffers are allocated once, not per piece.
struct BatchChunk {
  /// Whatever the reader wants to carry with the piece (for lines: the number of the first).
  std::size_t first = 0;
  std::string input;
  std::string output;
};

/// Streams a batch through three stages on every thread of `pool`, the calling one included:
///   read(BatchChunk& c) -> bool  fills c.input (and c.first) with the next piece; false at the
///                                end. One call at a time, in order.
///   work(BatchChunk& c)          fills c.output from c.input. On any thread, several at once.
///   write(BatchChunk& c)         writes c.output. One call at a time, in input order.
/// Each thread takes whichever stage is ready (a write, then a read, then work), so reading and
/// writing overlap the work, the output keeps the input's order, and no thread waits while a
/// piece is ready. At most `slots` pieces are in flight (0: two per thread, plus two; one for a
/// pool of one thread, which has nothing to overlap), which bounds memory whatever the input's
/// size. The first exception from any stage stops the stream (pieces not yet written are
/// dropped) and is rethrown here once every thread is out.
KNEAD_API void ordered_pipeline(WorkerPool& pool, const std::function<bool(BatchChunk&)>& read,
                                const std::function<void(BatchChunk&)>& work,
                                const std::function<void(BatchChunk&)>& write, std::size_t slots = 0);

}  // namespace knead
