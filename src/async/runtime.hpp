// The runtime behind an AsyncSmarter: its I/O loops and its callback threads.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include <smarter/async/client.hpp>

namespace smarter::detail {

namespace fibers {
class Loop;
}
class CallbackThreads;

/// The loops (one thread each) and the optional callback threads of one AsyncSmarter.
class AsyncRuntime {
 public:
  /// Starts `options.io_threads` loops and `options.callback_threads` callback threads.
  explicit AsyncRuntime(AsyncOptions const& options);
  /// Shuts down (see shutdown()) if that has not happened yet.
  ~AsyncRuntime();
  AsyncRuntime(AsyncRuntime const&) = delete;
  AsyncRuntime& operator=(AsyncRuntime const&) = delete;

  /// Refuses new calls, cancels or drains the calls in flight (options.on_destroy), destroys
  /// what the loops keep (open streams, connections) and joins every thread. Idempotent.
  void shutdown() noexcept;

  /// The loop with `index`, or the next one in turn when `index` is negative.
  fibers::Loop& loop(int index);
  /// Where completion callbacks of this runtime's calls run.
  CallbackPoster const& poster() const noexcept { return poster_; }

 private:
  AsyncOptions options_;
  std::vector<std::unique_ptr<fibers::Loop>> loops_;
  std::unique_ptr<CallbackThreads> callbacks_;
  CallbackPoster poster_;
  std::atomic<unsigned> turn_{0};
  std::atomic<bool> shut_down_{false};
};

}  // namespace smarter::detail
