// The shared state of Future<T>.
#include <smarter/future.hpp>

namespace smarter::detail {

FutureCore::~FutureCore() = default;

void FutureCore::wait() const {
  std::unique_lock<std::mutex> lock(mutex_);
  done_cv_.wait(lock, [this] { return done_; });
}

bool FutureCore::wait_for(std::chrono::nanoseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return done_cv_.wait_for(lock, timeout, [this] { return done_; });
}

bool FutureCore::ready() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return done_;
}

bool FutureCore::cancel() {
  std::function<void()> canceller;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (done_) return false;
    canceller = canceller_;
  }
  if (canceller) canceller();
  return true;
}

void FutureCore::set_canceller(std::function<void()> canceller) {
  std::lock_guard<std::mutex> lock(mutex_);
  canceller_ = std::move(canceller);
}

void FutureCore::set_poster(CallbackPoster poster) {
  std::lock_guard<std::mutex> lock(mutex_);
  poster_ = std::move(poster);
}

void FutureCore::fail(std::exception_ptr error) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (done_) return;
  error_ = std::move(error);
  complete(lock);
}

namespace {
/// Runs a completion callback; an exception escaping it has nowhere to go and is dropped.
void run_callback(std::function<void()> const& callback) noexcept {
  try {
    callback();
  } catch (...) {
  }
}
}  // namespace

void FutureCore::complete(std::unique_lock<std::mutex>& lock) {
  done_ = true;
  std::function<void()> callback = std::move(callback_);
  callback_ = nullptr;
  canceller_ = nullptr;  // may hold the runtime; a finished call needs no way to stop
  CallbackPoster poster = poster_;
  lock.unlock();
  done_cv_.notify_all();
  if (!callback) return;
  if (poster) {
    poster([callback = std::move(callback)] { run_callback(callback); });
  } else {
    run_callback(callback);
  }
}

void FutureCore::on_complete(std::function<void()> callback) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (has_callback_) throw SmarterError("Future::then() was already called; a future takes one callback");
    has_callback_ = true;
    if (!done_) {
      callback_ = std::move(callback);
      return;
    }
  }
  run_callback(callback);
}

void FutureCore::check_not_blocking_the_loop() const {
  if (!on_io_thread() || ready()) return;
  throw SmarterError(
      "Future::get() was called on an I/O thread of AsyncSmarter before the result was in; that would "
      "deadlock. Chain with then() instead, or use callback_threads");
}

std::unique_lock<std::mutex> FutureCore::claim() {
  check_not_blocking_the_loop();
  wait();
  std::unique_lock<std::mutex> lock(mutex_);
  if (retrieved_) throw SmarterError("Future::get() was already called; a future's result can be taken once");
  retrieved_ = true;
  // Moved out, so the caller's thread holds the last reference to what it reads.
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  return lock;
}

}  // namespace smarter::detail
