// Tells a forked child from its parent without a system call, for state that must not be shared
// across fork(): pooled connections, buffered random bytes.
#pragma once
#include <cstdint>

namespace smarter::detail {

/// How many fork() calls the running process descends from (counted from the first
/// watch_forks()): a child's count differs from its parent's. Reading it costs an atomic load,
/// where getpid() is a system call.
std::uint64_t forks_seen() noexcept;

/// Starts counting forks (once per process; later calls do nothing). Call it before creating
/// state that forks_seen() guards. Throws SmarterError when the fork handler cannot be installed.
void watch_forks();

}  // namespace smarter::detail
