// The libcurl multi handle an AsyncSmarter I/O loop drives its transfers with. The loop itself
// (src/async/fiber_loop.cpp) schedules calls and knows nothing of libcurl; this is its one door
// to it, next to the transport that puts the transfers in.
#pragma once

#include <curl/curl.h>

namespace smarter::http::detail {

/// Told by the loop when a transfer it drives has ended (set as the easy handle's
/// CURLOPT_PRIVATE by the transport).
class TransferWatcher {
 public:
  /// The transfer ended with `result`; called on the loop thread, outside any call.
  virtual void transfer_done(CURLcode result) noexcept = 0;

 protected:
  ~TransferWatcher() = default;
};

/// One loop's multi handle: HTTP/2 multiplexing when the server offers it, and its connection
/// limits (0: none). Used from the loop thread only, except wakeup().
class LoopMulti {
 public:
  LoopMulti(long max_connections_per_host, long max_total_connections);
  ~LoopMulti();
  LoopMulti(LoopMulti const&) = delete;
  LoopMulti& operator=(LoopMulti const&) = delete;

  /// The handle the transport adds a call's transfer to.
  CURLM* handle() const noexcept { return multi_; }
  /// Makes a poll() in progress return now. Safe from any thread.
  void wakeup() noexcept;
  /// Moves every transfer along and tells the watchers of the finished ones.
  void perform();
  /// Milliseconds until libcurl wants perform() to run again; -1 when nothing is due.
  long timeout_ms() const;
  /// Waits up to `ms` for socket activity or a wakeup().
  void poll(int ms);

 private:
  CURLM* multi_;
};

}  // namespace smarter::http::detail
