#include <knead/batch.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <exception>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#if !defined(_WIN32)
#include <unistd.h>
#endif

namespace knead {

namespace {

// The process running: a pool's threads are those of the process that started them.
long this_process() noexcept {
#if defined(_WIN32)
  return 0;  // no fork()
#else
  return static_cast<long>(::getpid());
#endif
}

}  // namespace

struct WorkerPool::State {
  long owner = this_process();  // the process whose threads these are
  std::mutex mutex;
  std::condition_variable wake;  // a job started, or stop
  std::condition_variable idle;  // a worker finished its share of a job
  std::vector<std::thread> threads;
  std::function<void(std::size_t)> task;
  std::size_t n = 0;
  std::atomic<std::size_t> next{0};
  std::size_t generation = 0;  // counts started jobs
  std::size_t busy = 0;        // threads still working on the current job
  bool stop = false;

  // Runs tasks of the current job until none is left.
  void drain() {
    for (std::size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) task(i);
  }

  void loop() {
    std::size_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      wake.wait(lock, [&] { return stop || generation != seen; });
      if (stop) return;
      seen = generation;
      lock.unlock();
      drain();
      lock.lock();
      if (--busy == 0) idle.notify_all();
    }
  }
};

WorkerPool::WorkerPool(std::size_t workers) : state_(started(workers)) {}

std::unique_ptr<WorkerPool::State> WorkerPool::started(std::size_t workers) {
  auto state = std::make_unique<State>();
  if (workers == 0) workers = std::max(1U, std::thread::hardware_concurrency());
  workers = std::min(workers, kMaxThreads);
  for (std::size_t t = 1; t < workers; ++t) {
    try {
      state->threads.emplace_back([s = state.get()] { s->loop(); });
    } catch (const std::exception&) {  // std::system_error, or std::bad_alloc for its state
      break;                           // fewer threads than asked for: the ones running (and the caller) do the work
    }
  }
  return state;
}

// In a child made by fork(), only the thread that forked exists: the parent's threads, and any
// job they were running, are not there, and the parent's mutex may have been held at the fork.
// So the parent's state is left untouched (its owner and thread count never change after it is
// made, so reading them is safe) and never freed (freeing it would destroy a mutex and threads
// that are not the child's), and the child starts threads of its own.
void WorkerPool::adopt() {
  if (state_->owner == this_process()) return;
  std::unique_ptr<State> own = started(state_->threads.size() + 1);  // if this throws, nothing changed
  (void)state_.release();
  state_ = std::move(own);
}

WorkerPool::~WorkerPool() {
  if (state_->owner != this_process()) {
    (void)state_.release();  // a forked child's copy of its parent's pool: nothing of it to stop
    return;
  }
  {
    std::unique_lock<std::mutex> lock(state_->mutex);
    state_->idle.wait(lock, [&] { return state_->busy == 0; });
    state_->stop = true;
  }
  state_->wake.notify_all();
  for (auto& t : state_->threads) t.join();
}

std::size_t WorkerPool::size() const noexcept { return state_->threads.size() + 1; }

void WorkerPool::start(std::size_t n, std::function<void(std::size_t)> task) {
  adopt();
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->task = std::move(task);
    state_->n = n;
    state_->next = 0;
    state_->busy = state_->threads.size();
    ++state_->generation;
  }
  state_->wake.notify_all();
}

void WorkerPool::wait() {
  adopt();  // in a forked child, a job the parent started is not the child's to wait for
  state_->drain();
  std::unique_lock<std::mutex> lock(state_->mutex);
  state_->idle.wait(lock, [&] { return state_->busy == 0; });
}

void WorkerPool::run(std::size_t n, std::function<void(std::size_t)> task) {
  start(n, std::move(task));
  wait();
}

namespace {

// One ordered_pipeline run. Pieces are numbered in input order and piece k lives in slot
// k % slots: pieces [written_, claimed_) are being worked on or wait to be written,
// [claimed_, read_count_) wait for a thread, and piece read_count_ is being filled while
// reading_. Only the thread that claimed a piece's stage touches the piece; the claims and
// the counters are under the mutex.
class Pipeline {
 public:
  Pipeline(const std::function<bool(BatchChunk&)>& read, const std::function<void(BatchChunk&)>& work,
           const std::function<void(BatchChunk&)>& write, std::size_t slots)
      : read_(read), work_(work), write_(write), chunks_(slots), done_(slots, 0) {}

  // One thread's share: takes the stage that is ready until the stream ends or fails.
  void serve() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      Stage stage = Stage::none;
      std::size_t k = 0;
      ready_.wait(lock, [&] { return (stage = take(k)) != Stage::none || over(); });
      if (stage == Stage::none) return;
      // Hand what else is ready to another thread; each thread passes it on the same way.
      if (can_take()) ready_.notify_one();
      lock.unlock();
      bool more = false;
      try {
        BatchChunk& chunk = chunks_[k % chunks_.size()].chunk;
        if (stage == Stage::read) more = read_(chunk);
        if (stage == Stage::work) work_(chunk);
        if (stage == Stage::write) write_(chunk);
      } catch (...) {
        lock.lock();
        if (!error_) error_ = std::current_exception();
        ready_.notify_all();
        return;
      }
      lock.lock();
      finish(stage, k, more);
      if (over()) ready_.notify_all();
    }
  }

  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  enum class Stage { none, read, work, write };

  // A piece on a cache line of its own: threads appending to neighbouring pieces' outputs
  // would otherwise keep taking the line from each other.
  struct alignas(64) Slot {
    BatchChunk chunk;
  };

  [[nodiscard]] bool can_write() const {
    return !writing_ && written_ < claimed_ && done_[written_ % chunks_.size()] != 0;
  }
  [[nodiscard]] bool can_read() const { return !reading_ && !end_ && read_count_ - written_ < chunks_.size(); }
  [[nodiscard]] bool can_work() const { return claimed_ < read_count_; }
  [[nodiscard]] bool can_take() const { return !error_ && (can_write() || can_read() || can_work()); }
  [[nodiscard]] bool over() const { return error_ || (end_ && written_ == read_count_); }

  // Claims the most urgent stage that is ready: writing frees a slot, reading feeds the workers.
  Stage take(std::size_t& k) {
    if (error_) return Stage::none;
    if (can_write()) {
      writing_ = true;
      k = written_;
      return Stage::write;
    }
    if (can_read()) {
      reading_ = true;
      k = read_count_;
      return Stage::read;
    }
    if (can_work()) {
      k = claimed_++;
      return Stage::work;
    }
    return Stage::none;
  }

  void finish(Stage stage, std::size_t k, bool more) {
    if (stage == Stage::read) {
      reading_ = false;
      if (more) {
        ++read_count_;
      } else {
        end_ = true;
      }
    } else if (stage == Stage::work) {
      done_[k % chunks_.size()] = 1;
    } else {
      writing_ = false;
      done_[k % chunks_.size()] = 0;
      ++written_;
    }
  }

  const std::function<bool(BatchChunk&)>& read_;
  const std::function<void(BatchChunk&)>& work_;
  const std::function<void(BatchChunk&)>& write_;
  std::mutex mutex_;
  std::condition_variable ready_;  // a stage became ready, or the stream is over
  std::vector<Slot> chunks_;
  std::vector<char> done_;  // per slot: its piece is worked and waits to be written
  std::size_t read_count_ = 0;
  std::size_t claimed_ = 0;
  std::size_t written_ = 0;
  bool reading_ = false;
  bool writing_ = false;
  bool end_ = false;
  std::exception_ptr error_;
};

}  // namespace

void ordered_pipeline(WorkerPool& pool, const std::function<bool(BatchChunk&)>& read,
                      const std::function<void(BatchChunk&)>& work, const std::function<void(BatchChunk&)>& write,
                      std::size_t slots) {
  // One thread has nothing to overlap: one piece at a time, whose buffers then stay in the
  // cache from one piece to the next (reading ahead into more of them measured 3% slower).
  if (slots == 0) slots = pool.size() == 1 ? 1 : 2 * pool.size() + 2;
  Pipeline pipeline(read, work, write, slots);
  pool.run(pool.size(), [&pipeline](std::size_t) { pipeline.serve(); });
  pipeline.rethrow();
}

}  // namespace knead
