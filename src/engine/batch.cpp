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

namespace knead {

struct WorkerPool::State {
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

WorkerPool::WorkerPool(std::size_t workers) : state_(std::make_unique<State>()) {
  if (workers == 0) workers = std::max(1U, std::thread::hardware_concurrency());
  workers = std::min(workers, kMaxThreads);
  for (std::size_t t = 1; t < workers; ++t) {
    try {
      state_->threads.emplace_back([s = state_.get()] { s->loop(); });
    } catch (const std::exception&) {  // std::system_error, or std::bad_alloc for its state
      break;                           // fewer threads than asked for: the ones running (and the caller) do the work
    }
  }
}

WorkerPool::~WorkerPool() {
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
  state_->drain();
  std::unique_lock<std::mutex> lock(state_->mutex);
  state_->idle.wait(lock, [&] { return state_->busy == 0; });
}

void WorkerPool::run(std::size_t n, std::function<void(std::size_t)> task) {
  start(n, std::move(task));
  wait();
}

void ordered_pipeline(WorkerPool& pool, const std::function<bool(BatchLine&)>& read,
                      const std::function<std::string(const BatchLine&)>& work,
                      const std::function<void(const BatchLine&, std::string&)>& write, std::size_t chunk) {
  if (chunk == 0) chunk = 256 * pool.size();
  struct Chunk {
    std::vector<BatchLine> in;
    std::vector<std::string> out;
  };
  const auto fill = [&](Chunk& c) {
    c.in.clear();
    BatchLine item;
    while (c.in.size() < chunk && read(item)) c.in.push_back(std::move(item));
    c.out.assign(c.in.size(), std::string());
    return !c.in.empty();
  };
  // Two chunks take turns: while the workers compute one, this thread writes the other's
  // results and reads the next items into it.
  Chunk chunks[2];
  Chunk* computing = &chunks[0];
  Chunk* other = &chunks[1];
  const auto compute = [&](Chunk* c) {
    pool.start(c->in.size(), [c, &work](std::size_t i) { c->out[i] = work(c->in[i]); });
  };
  if (!fill(*computing)) return;
  compute(computing);
  try {
    for (;;) {
      const bool more = fill(*other);
      pool.wait();
      if (more) compute(other);
      for (std::size_t i = 0; i < computing->out.size(); ++i) write(computing->in[i], computing->out[i]);
      if (!more) break;
      std::swap(computing, other);
    }
  } catch (...) {
    pool.wait();  // the workers hold references to the chunks
    throw;
  }
}

}  // namespace knead
