// The background freeing thread (background_free.hpp).

#include "background_free.hpp"

#include <pthread.h>

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace knead::python::background_free {
namespace {

// More than this many objects waiting means the thread cannot keep up (or gets no core): the
// caller frees at once rather than let memory grow.
constexpr std::size_t kMaxPending = 1U << 16U;

struct Pending {
  void* object;
  void (*destroy)(void*);
};

struct State {
  std::mutex mutex;
  std::condition_variable work;  // the thread waits for objects
  std::condition_variable done;  // wait() waits for the thread
  std::vector<Pending> queue;
  bool started = false;  // the thread runs (in this process)
  bool freeing = false;  // the thread frees a batch it took from the queue
  bool stopped = false;
};

// Never destroyed: the detached thread may still wait on it while the process exits.
State*& current() {
  static State* s = new State;
  return s;
}

State& state() { return *current(); }

void run(State& s) {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(s.mutex);
      s.freeing = false;
      if (s.queue.empty()) s.done.notify_all();
      s.work.wait(lock, [&] { return !s.queue.empty(); });
      batch.swap(s.queue);
      s.freeing = true;
    }
    for (const Pending& p : batch) p.destroy(p.object);
    batch.clear();  // keeps its capacity for the next swap
  }
}

// A forked child has none of the parent's threads: it starts its own on first use. Its copies of
// the mutex and condition variables may record the parent's thread as a waiter, and waking it
// could block forever: the child starts over with a state of its own, taking over what was
// queued (what the parent's thread was freeing at that moment stays allocated in the child).
void prepare_fork() { state().mutex.lock(); }
void after_fork_parent() { state().mutex.unlock(); }
void after_fork_child() {
  State& inherited = state();
  try {
    auto* fresh = new State;
    fresh->queue.swap(inherited.queue);
    fresh->stopped = inherited.stopped;
    current() = fresh;  // the inherited state is abandoned, its mutex held
  } catch (...) {       // no memory: free at once from now on
    inherited.started = false;
    inherited.stopped = true;
    inherited.mutex.unlock();
  }
}

// With the mutex held: starts the thread if it does not run yet; false when it cannot.
bool start(State& s) {
  if (s.started) return true;
  static const bool fork_handlers = pthread_atfork(prepare_fork, after_fork_parent, after_fork_child) == 0;
  if (!fork_handlers) return false;
  try {
    std::thread(run, std::ref(s)).detach();
  } catch (...) {  // no thread (std::system_error) or no memory: free on the caller's thread
    return false;
  }
  s.started = true;
  return true;
}

}  // namespace

void later(void* object, void (*destroy)(void*)) noexcept {
  State& s = state();
  {
    const std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.stopped && s.queue.size() < kMaxPending && start(s)) {
      try {
        s.queue.push_back(Pending{object, destroy});
        if (s.queue.size() == 1 && !s.freeing) s.work.notify_one();
        return;
      } catch (...) {  // no memory for the queue: free it here
      }
    }
  }
  destroy(object);
}

void wait() noexcept {
  State& s = state();
  std::unique_lock<std::mutex> lock(s.mutex);
  if (!s.started) return;
  s.done.wait(lock, [&] { return s.queue.empty() && !s.freeing; });
}

void stop() noexcept {
  {
    const std::lock_guard<std::mutex> lock(state().mutex);
    state().stopped = true;
  }
  wait();
}

}  // namespace knead::python::background_free
