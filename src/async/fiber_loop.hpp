// The scheduling under AsyncSmarter: I/O loops that run calls as fibers.
//
// Each call of an AsyncSmarter runs the synchronous client's own code on a fiber: a small stack
// of its own, switched to and from by its loop's thread. Wherever that code would block (waiting
// for response bytes in the libcurl transport, or sleeping before a retry) it parks the fiber
// instead and the loop runs others; the loop drives every transfer through one libcurl multi
// handle (src/http/loop_multi.hpp). So the async face adds scheduling only: the request plan, the retry and redirect
// rules, the limits and the errors are the very code the synchronous client runs.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace smarter::http::detail {
class LoopMulti;
}  // namespace smarter::http::detail

namespace smarter::detail::fibers {

using Clock = std::chrono::steady_clock;

struct Fiber;

/// The call running on this thread, or null outside the calls of an AsyncSmarter.
Fiber* current() noexcept;

/// The multi handle of the running call's loop (null outside the calls of an AsyncSmarter).
http::detail::LoopMulti* current_multi() noexcept;

/// Parks the running call until wake() or `until`. Throws APIUserAbortError when the call is
/// cancelled, before or while parked (and on every later park: a cancelled call unwinds).
void park(std::optional<Clock::time_point> until);

/// Makes a parked call runnable again. Loop thread only (libcurl callbacks); no effect on a
/// call that is not parked.
void wake(Fiber* fiber) noexcept;

/// Parks the running call for `seconds` (a retry wait). False outside calls: the caller sleeps.
bool sleep(double seconds);

}  // namespace smarter::detail::fibers
