// Future<T>: the result of an AsyncSmarter call, waited for, called back or cancelled.
//
//   smarter::Future<smarter::WhoAmI> pending = client.whoami();
//   pending.then([](smarter::Future<smarter::WhoAmI> done) { std::cout << done.get().username; });
//   smarter::WhoAmI me = client.whoami().get();   // or block for it
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include <smarter/errors.hpp>
#include <smarter/export.hpp>

#if defined(__cpp_impl_coroutine) && defined(__has_include)
#if __has_include(<coroutine>)
#include <coroutine>
#define SMARTER_HAS_COROUTINES 1
#endif
#endif

namespace smarter {

template <class T>
class Future;

namespace detail {

/// Where completion callbacks run: posts `task` to the client's callback threads, or runs it
/// in place when the client has none.
using CallbackPoster = std::function<void(std::function<void()> task)>;

/// True on a thread of an AsyncSmarter's I/O loop (where blocking on a future would deadlock).
SMARTER_API bool on_io_thread() noexcept;

/// The part of a future's shared state that does not depend on T.
class SMARTER_API FutureCore {
 public:
  virtual ~FutureCore();

  /// Waits until the result is set.
  void wait() const;
  /// Waits at most `timeout`; true when the result is set.
  bool wait_for(std::chrono::nanoseconds timeout) const;
  /// True once the result is set.
  bool ready() const;
  /// Asks the operation to stop; true when it had not finished yet.
  bool cancel();
  /// Sets how cancel() reaches the running operation (called once, before the operation runs).
  void set_canceller(std::function<void()> canceller);
  /// Sets where the completion callback runs.
  void set_poster(CallbackPoster poster);
  /// Completes with `error`. Ignored when already complete.
  void fail(std::exception_ptr error);

 protected:
  /// Marks the state complete and runs the callback, if any (lock held on entry, released inside).
  void complete(std::unique_lock<std::mutex>& lock);
  /// Registers the callback, or runs it now when the state is already complete.
  void on_complete(std::function<void()> callback);
  /// Throws when get() is called on an I/O thread before the result is in.
  void check_not_blocking_the_loop() const;
  /// Waits for the result and claims it (once only): rethrows the error, else returns holding
  /// the lock for the caller to move the value out.
  std::unique_lock<std::mutex> claim();

  mutable std::mutex mutex_;
  mutable std::condition_variable done_cv_;
  bool done_ = false;
  bool retrieved_ = false;
  std::exception_ptr error_;

 private:
  std::function<void()> callback_;
  bool has_callback_ = false;
  std::function<void()> canceller_;
  CallbackPoster poster_;
};

/// The shared state of a Future<T>: the core plus the value.
template <class T>
class FutureState final : public FutureCore {
 public:
  /// Completes with `value`. Ignored when already complete.
  void succeed(T value) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (done_) return;
    value_.emplace(std::move(value));
    complete(lock);
  }

  /// The value (moved out), or the error rethrown. Once only.
  T take() {
    std::unique_lock<std::mutex> const lock = claim();
    return std::move(*value_);
  }

  using FutureCore::on_complete;

 private:
  std::optional<T> value_;
};

/// The shared state of a Future<void>.
template <>
class FutureState<void> final : public FutureCore {
 public:
  /// Completes successfully. Ignored when already complete.
  void succeed() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (done_) return;
    complete(lock);
  }

  /// Returns, or rethrows the error. Once only.
  void take() { (void)claim(); }

  using FutureCore::on_complete;
};

}  // namespace detail

/// The eventual result of an asynchronous call: a value of type T or one of the SDK's typed
/// exceptions. Cheap to copy (copies share the result). Thread-safe.
///
/// - get() blocks until the result is in, then returns it or throws its error (once only).
/// - then() registers one completion callback; it receives the finished future.
/// - cancel() stops the call from any thread: its connection is dropped, a pending retry wait
///   ends, and the result becomes an APIUserAbortError (unless the call had already finished).
template <class T>
class Future {
 public:
  /// A future with no state (valid() is false).
  Future() = default;
  /// A future over `state` (the SDK creates futures; applications receive them).
  explicit Future(std::shared_ptr<detail::FutureState<T>> state) : state_(std::move(state)) {}

  /// True when this future refers to a call.
  bool valid() const noexcept { return state_ != nullptr; }
  /// True once the result is in (get() will not block).
  bool ready() const { return state().ready(); }
  /// Blocks until the result is in.
  void wait() const { state().wait(); }
  /// Blocks at most `timeout`; true when the result is in.
  template <class Rep, class Period>
  bool wait_for(std::chrono::duration<Rep, Period> timeout) const {
    return state().wait_for(std::chrono::duration_cast<std::chrono::nanoseconds>(timeout));
  }
  /// Blocks until the result is in and returns it, or throws the call's typed error. The result
  /// can be taken once; calling get() on an I/O thread before the result is in throws
  /// SmarterError instead of deadlocking.
  T get() { return state().take(); }
  /// Calls `callback(future)` once the result is in: on the client's callback threads when it
  /// has some (AsyncOptions::callback_threads), else on its I/O thread; right away on this thread
  /// when the result is already in. One callback per future; the callback should not block.
  void then(std::function<void(Future<T>)> callback) {
    auto self = state_;
    state().on_complete([self, callback = std::move(callback)] { callback(Future<T>(self)); });
  }
  /// Asks the call to stop; true when it had not finished yet. Safe from any thread, any time.
  bool cancel() { return state().cancel(); }

#ifdef SMARTER_HAS_COROUTINES
  /// C++20: `co_await future` suspends the coroutine until the result is in and resumes it where
  /// then() callbacks run; it yields the value or throws the error. (Uses the future's then().)
  auto operator co_await() && {
    struct Awaiter {
      Future future;
      bool await_ready() const { return future.ready(); }
      void await_suspend(std::coroutine_handle<> waiting) {
        future.then([waiting](Future) { waiting.resume(); });
      }
      T await_resume() { return future.get(); }
    };
    return Awaiter{std::move(*this)};
  }
  /// C++20: `co_await future` on a named future (see the rvalue overload).
  auto operator co_await() & { return Future(*this).operator co_await(); }
#endif

 private:
  detail::FutureState<T>& state() const {
    if (!state_) throw SmarterError("This Future has no state (default-constructed or moved from)");
    return *state_;
  }
  std::shared_ptr<detail::FutureState<T>> state_;
};

}  // namespace smarter
