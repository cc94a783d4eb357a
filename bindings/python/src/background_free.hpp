#pragma once
// Objects freed on a thread of their own. A Recommendation is thousands of small allocations;
// run with the GIL held, its destructors are much of what a batch costs the calling thread. A
// result that Python lets go of is handed to this thread instead, which takes constant time.

#include <memory>

namespace knead::python {

/// The thread that frees what is handed to it, started on first use and shared by the process.
/// Nothing it frees may hold a Python object (it runs without the GIL).
namespace background_free {

/// Destroys `object` with `destroy` on the background thread; at once on this thread when that
/// thread lags far behind, cannot start, or is stopped.
void later(void* object, void (*destroy)(void*)) noexcept;

/// Waits until everything handed over so far is freed.
void wait() noexcept;

/// Frees what is pending and makes later() free at once from now on: for interpreter exit, so
/// nothing is freed while the process is being torn down.
void stop() noexcept;

}  // namespace background_free

/// `object` owned by a shared_ptr whose last owner hands it to the background thread.
template <class T>
std::shared_ptr<T> freed_in_background(std::unique_ptr<T> object) {
  return std::shared_ptr<T>(object.release(),
                            [](T* p) { background_free::later(p, [](void* q) { delete static_cast<T*>(q); }); });
}

}  // namespace knead::python
