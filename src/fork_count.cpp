#include "fork_count.hpp"

#include <pthread.h>

#include <atomic>

#include <smarter/errors.hpp>

namespace smarter::detail {

namespace {
std::atomic<std::uint64_t> forks{0};
}  // namespace

std::uint64_t forks_seen() noexcept { return forks.load(std::memory_order_acquire); }

void watch_forks() {
  static bool const registered = [] {
    return ::pthread_atfork(nullptr, nullptr, [] { forks.fetch_add(1, std::memory_order_acq_rel); }) == 0;
  }();
  if (!registered) throw SmarterError("pthread_atfork failed: cannot keep per-process state apart after fork()");
}

}  // namespace smarter::detail
