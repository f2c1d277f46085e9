// Fibers, I/O loops and callback threads of AsyncSmarter (see fiber_loop.hpp for the idea).
//
// A fiber is a ucontext with an mmap'd stack below a guard page. Only the loop thread switches:
// into a fiber to run it, and back when the fiber parks or ends. On every switch the C++
// runtime's per-thread exception state (the caught-exception stack and the uncaught count) is
// swapped too, so a fiber that parks inside a catch block cannot mix its exception with another
// fiber's. AddressSanitizer and ThreadSanitizer are told about every switch.
#include "async/fiber_loop.hpp"

#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <cxxabi.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <smarter/errors.hpp>

#include "async/runtime.hpp"
#include "http/loop_multi.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SMARTER_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define SMARTER_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SMARTER_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define SMARTER_TSAN 1
#endif
#ifdef SMARTER_ASAN
#include <sanitizer/asan_interface.h>
#endif
#ifdef SMARTER_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace smarter::detail {

namespace fibers {

namespace {

/// The C++ runtime's per-thread exception-handling state (libsupc++'s __cxa_eh_globals:
/// the stack of caught exceptions and the count of uncaught ones).
struct ExceptionState {
  void* caught = nullptr;
  unsigned int uncaught = 0;
};

void swap_exception_state(ExceptionState& saved) noexcept {
  auto* live = reinterpret_cast<ExceptionState*>(abi::__cxa_get_globals());
  std::swap(*live, saved);
}

std::size_t page_size() noexcept {
  static std::size_t const size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

/// A fiber stack: `size` usable bytes above one inaccessible guard page, so an overflow faults
/// instead of writing over another stack.
class Stack {
 public:
  explicit Stack(std::size_t size) {
    std::size_t const page = page_size();
    size_ = (std::max<std::size_t>(size, 16 * 1024) + page - 1) / page * page;
    total_ = size_ + page;
    void* memory = ::mmap(nullptr, total_, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (memory == MAP_FAILED) throw SmarterError("Could not reserve a stack for an asynchronous call");
    base_ = static_cast<char*>(memory);
    if (::mprotect(base_, page, PROT_NONE) != 0) {
      ::munmap(base_, total_);
      throw SmarterError("Could not protect the stack of an asynchronous call");
    }
  }
  ~Stack() { ::munmap(base_, total_); }
  Stack(Stack const&) = delete;
  Stack& operator=(Stack const&) = delete;

  char* bottom() const noexcept { return base_ + (total_ - size_); }
  std::size_t size() const noexcept { return size_; }

 private:
  char* base_ = nullptr;
  std::size_t size_ = 0;
  std::size_t total_ = 0;
};

thread_local Fiber* running = nullptr;
thread_local Loop* this_loop = nullptr;

}  // namespace

/// One call: its stack, its saved context and its scheduling state. Loop thread only.
struct Fiber {
  Fiber(Loop& owner, std::uint64_t call_id, std::unique_ptr<Stack> call_stack, std::function<void()> call_body)
      : loop(owner), id(call_id), stack(std::move(call_stack)), body(std::move(call_body)) {}

  Loop& loop;
  std::uint64_t id;
  std::unique_ptr<Stack> stack;
  std::function<void()> body;
  ucontext_t context{};
  ExceptionState exceptions{};  // the C++ runtime's exception state while switched out
  bool started = false;
  bool finished = false;
  bool cancelled = false;
  bool parked = false;
  bool queued = false;
  std::optional<std::multimap<Clock::time_point, Fiber*>::iterator> timer;  // while parked with a limit
#ifdef SMARTER_ASAN
  void* fake_stack = nullptr;
#endif
#ifdef SMARTER_TSAN
  void* tsan_fiber = nullptr;
#endif
};

/// An I/O loop: one thread, one libcurl multi handle, the fibers of the calls it runs, their
/// timers, and the objects it keeps for them (open streams).
class Loop {
 public:
  Loop(int index, AsyncOptions const& options)
      : index_(index),
        stack_bytes_(options.call_stack_bytes),
        max_running_(options.max_calls_per_thread),
        multi_(static_cast<long>(options.max_connections_per_host), static_cast<long>(options.max_total_connections)) {
    thread_ = std::thread([this] { run(); });
  }

  ~Loop() { join(); }

  /// Waits for the loop thread to end (after begin_shutdown()).
  void join() {
    if (thread_.joinable()) thread_.join();
  }

  Loop(Loop const&) = delete;
  Loop& operator=(Loop const&) = delete;

  int index() const noexcept { return index_; }
  http::detail::LoopMulti& multi() noexcept { return multi_; }

  /// Queues `task` to run on the loop thread; false when the loop no longer takes work.
  bool post(std::function<void()> task, bool internal = false) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!accepting_ && !internal) return false;
      if (exited_) return false;
      posted_.push_back(std::move(task));
    }
    multi_.wakeup();
    return true;
  }

  /// Starts a fiber running `body` (loop thread), or queues it while max_calls_per_thread run.
  void start(std::uint64_t id, std::function<void()> body) {
    bool const cancelled = stopping_ && cancel_on_stop_;
    if (max_running_ > 0 && fibers_.size() >= max_running_ && !cancelled) {
      waiting_.emplace_back(id, std::move(body));  // no stack until it runs
      return;
    }
    launch(id, std::move(body), cancelled);
  }

  /// Cancels the call `id` if it still runs or waits (loop thread).
  void cancel(std::uint64_t id) {
    auto found = fibers_.find(id);
    if (found != fibers_.end()) {
      found->second->cancelled = true;
      make_ready(found->second.get());
      return;
    }
    auto queued = std::find_if(waiting_.begin(), waiting_.end(), [id](auto const& call) { return call.first == id; });
    if (queued == waiting_.end()) return;
    // Run it now, cancelled: it ends at its first wait with the cancellation error.
    std::function<void()> body = std::move(queued->second);
    waiting_.erase(queued);
    launch(id, std::move(body), /*cancelled=*/true);
  }

 private:
  void launch(std::uint64_t id, std::function<void()> body, bool cancelled) {
    std::unique_ptr<Stack> stack;
    if (!free_stacks_.empty()) {
      stack = std::move(free_stacks_.back());
      free_stacks_.pop_back();
    } else {
      stack = std::make_unique<Stack>(stack_bytes_);
    }
    auto fiber = std::make_unique<Fiber>(*this, id, std::move(stack), std::move(body));
    Fiber* raw = fiber.get();
    raw->cancelled = cancelled;
    fibers_.emplace(id, std::move(fiber));
    make_ready(raw);
  }

 public:
  void make_ready(Fiber* fiber) noexcept {
    if (fiber->queued || fiber->finished) return;
    if (fiber->started && !fiber->parked) return;  // running now: it will see its state
    if (fiber->timer) {
      timers_.erase(*fiber->timer);
      fiber->timer.reset();
    }
    fiber->queued = true;
    ready_.push_back(fiber);
  }

  /// Parks the running fiber (called on its own stack).
  void park(Fiber& fiber, std::optional<Clock::time_point> until) {
    if (fiber.cancelled) throw_cancelled();
    if (until) fiber.timer = timers_.emplace(*until, &fiber);
    fiber.parked = true;
    switch_to_loop(fiber);
    fiber.parked = false;
    if (fiber.cancelled) throw_cancelled();
  }

  /// Keeps `object` until released; returns its key (loop thread).
  std::uint64_t adopt(std::shared_ptr<void> object) {
    std::uint64_t const key = ++adopted_serial_;
    adopted_.emplace(key, std::move(object));
    return key;
  }
  std::shared_ptr<void> adopted(std::uint64_t key) const {
    auto found = adopted_.find(key);
    return found == adopted_.end() ? nullptr : found->second;
  }
  void release(std::uint64_t key) { adopted_.erase(key); }

  /// Stops taking new calls; cancels the running ones when `cancel`; the thread ends once none
  /// is left. Returns at once (the destructor joins).
  void begin_shutdown(bool cancel) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      accepting_ = false;
      stop_requested_ = true;
      cancel_on_stop_ = cancel;
    }
    multi_.wakeup();
  }

 private:
  [[noreturn]] static void throw_cancelled() { throw APIUserAbortError("Request cancelled", "", ""); }

  static void entry() {
    Fiber* fiber = running;
#ifdef SMARTER_ASAN
    __sanitizer_finish_switch_fiber(nullptr, &fiber->loop.asan_loop_bottom_, &fiber->loop.asan_loop_size_);
#endif
    try {
      fiber->body();
    } catch (...) {
      // The body completes its own future; nothing may escape a fiber.
    }
    fiber->finished = true;
    fiber->loop.leave(*fiber);
  }

  /// Runs `fiber` until it parks or ends (loop thread, on the loop's stack).
  void resume(Fiber& fiber) {
    fiber.queued = false;
    if (fiber.finished) return;
    if (!fiber.started) {
      fiber.started = true;
      getcontext(&fiber.context);
      fiber.context.uc_stack.ss_sp = fiber.stack->bottom();
      fiber.context.uc_stack.ss_size = fiber.stack->size();
      fiber.context.uc_link = nullptr;
      makecontext(&fiber.context, &Loop::entry, 0);
#ifdef SMARTER_TSAN
      fiber.tsan_fiber = __tsan_create_fiber(0);
#endif
    }
    running = &fiber;
    swap_exception_state(fiber.exceptions);
#ifdef SMARTER_ASAN
    void* loop_fake_stack = nullptr;
    __sanitizer_start_switch_fiber(&loop_fake_stack, fiber.stack->bottom(), fiber.stack->size());
#endif
#ifdef SMARTER_TSAN
    __tsan_switch_to_fiber(fiber.tsan_fiber, 0);
#endif
    swapcontext(&loop_context_, &fiber.context);
#ifdef SMARTER_ASAN
    __sanitizer_finish_switch_fiber(loop_fake_stack, nullptr, nullptr);
#endif
    swap_exception_state(fiber.exceptions);
    running = nullptr;
    if (fiber.finished) retire(fiber);
  }

  /// From a fiber back to the loop (on the fiber's stack); returns when the fiber is resumed.
  void switch_to_loop(Fiber& fiber) {
#ifdef SMARTER_ASAN
    __sanitizer_start_switch_fiber(&fiber.fake_stack, asan_loop_bottom_, asan_loop_size_);
#endif
#ifdef SMARTER_TSAN
    __tsan_switch_to_fiber(tsan_loop_fiber_, 0);
#endif
    swapcontext(&fiber.context, &loop_context_);
#ifdef SMARTER_ASAN
    __sanitizer_finish_switch_fiber(fiber.fake_stack, &asan_loop_bottom_, &asan_loop_size_);
#endif
  }

  /// The last switch of a finished fiber.
  [[noreturn]] void leave(Fiber& fiber) {
#ifdef SMARTER_ASAN
    __sanitizer_start_switch_fiber(nullptr, asan_loop_bottom_, asan_loop_size_);
#endif
#ifdef SMARTER_TSAN
    __tsan_switch_to_fiber(tsan_loop_fiber_, 0);
#endif
    setcontext(&loop_context_);
    (void)fiber;
    std::abort();  // setcontext does not return
  }

  void retire(Fiber& fiber) {
#ifdef SMARTER_TSAN
    __tsan_destroy_fiber(fiber.tsan_fiber);
#endif
    auto found = fibers_.find(fiber.id);
    std::unique_ptr<Fiber> owned = std::move(found->second);
    fibers_.erase(found);
    // Keep a few stacks warm; their touched pages stay resident, so not too many.
    if (free_stacks_.size() < kKeptStacks) free_stacks_.push_back(std::move(owned->stack));
    if (!waiting_.empty() && (max_running_ == 0 || fibers_.size() < max_running_)) {
      auto next = std::move(waiting_.front());
      waiting_.pop_front();
      launch(next.first, std::move(next.second), /*cancelled=*/false);
    }
  }

  /// At shutdown with cancellation: every running and waiting call is cancelled.
  void cancel_all() {
    for (auto& entry : fibers_) {
      if (!entry.second->cancelled) {
        entry.second->cancelled = true;
        make_ready(entry.second.get());
      }
    }
    while (!waiting_.empty()) {
      auto next = std::move(waiting_.front());
      waiting_.pop_front();
      launch(next.first, std::move(next.second), /*cancelled=*/true);
    }
  }

  /// Runs the posted tasks; returns whether the loop should stop now.
  bool take_posted() {
    std::vector<std::function<void()>> tasks;
    bool stop = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks.swap(posted_);
      if (stop_requested_) stopping_ = true;
      stop = stopping_ && tasks.empty() && fibers_.empty() && waiting_.empty() && ready_.empty();
      if (stop) exited_ = true;
    }
    for (auto& task : tasks) task();
    if (stopping_ && cancel_on_stop_) cancel_all();
    return stop;
  }

  /// Wakes the fibers whose timers are due; returns the time until the next one.
  std::optional<Clock::duration> fire_timers() {
    Clock::time_point const now = Clock::now();
    while (!timers_.empty()) {
      auto next = timers_.begin();
      if (next->first > now) return next->first - now;
      Fiber* due = next->second;
      timers_.erase(next);
      due->timer.reset();
      make_ready(due);
    }
    return std::nullopt;
  }

  void run() {
    this_loop = this;
#ifdef SMARTER_TSAN
    tsan_loop_fiber_ = __tsan_get_current_fiber();
#endif
    for (;;) {
      if (take_posted()) break;
      while (!ready_.empty()) {
        Fiber* fiber = ready_.front();
        ready_.pop_front();
        resume(*fiber);
      }
      multi_.perform();
      std::optional<Clock::duration> until_timer = fire_timers();
      if (!ready_.empty()) continue;
      if (stopping_ && fibers_.empty() && waiting_.empty()) continue;  // nothing left to wait for
      long const transfers_wait = multi_.timeout_ms();
      long wait_ms = 1000;
      if (transfers_wait >= 0) wait_ms = std::min(wait_ms, transfers_wait);
      if (until_timer) {
        auto const ms = std::chrono::ceil<std::chrono::milliseconds>(*until_timer).count();
        wait_ms = std::min<long>(wait_ms, static_cast<long>(std::max<std::int64_t>(ms, 0)));
      }
      if (wait_ms > 0) multi_.poll(static_cast<int>(wait_ms));
    }
    adopted_.clear();  // open streams close here, on the loop that drives their transfers
    free_stacks_.clear();
    this_loop = nullptr;
  }

  static constexpr std::size_t kKeptStacks = 256;

  int index_;
  std::size_t stack_bytes_;
  std::size_t max_running_;
  http::detail::LoopMulti multi_;
  std::thread thread_;
  ucontext_t loop_context_{};
#ifdef SMARTER_ASAN
  void const* asan_loop_bottom_ = nullptr;
  std::size_t asan_loop_size_ = 0;
#endif
#ifdef SMARTER_TSAN
  void* tsan_loop_fiber_ = nullptr;
#endif

  // Loop thread only.
  std::unordered_map<std::uint64_t, std::unique_ptr<Fiber>> fibers_;
  std::deque<std::pair<std::uint64_t, std::function<void()>>> waiting_;  // calls beyond max_running_
  std::deque<Fiber*> ready_;
  std::multimap<Clock::time_point, Fiber*> timers_;  // parked fibers with a time limit
  std::vector<std::unique_ptr<Stack>> free_stacks_;
  std::unordered_map<std::uint64_t, std::shared_ptr<void>> adopted_;
  std::uint64_t adopted_serial_ = 0;
  bool stopping_ = false;

  // Shared with other threads, under mutex_.
  std::mutex mutex_;
  std::vector<std::function<void()>> posted_;
  bool accepting_ = true;
  bool stop_requested_ = false;
  bool cancel_on_stop_ = true;
  bool exited_ = false;
};

Fiber* current() noexcept { return running; }

http::detail::LoopMulti* current_multi() noexcept { return running != nullptr ? &running->loop.multi() : nullptr; }

void park(std::optional<Clock::time_point> until) {
  Fiber* fiber = running;
  if (fiber == nullptr) throw SmarterError("internal: park() outside an asynchronous call");
  fiber->loop.park(*fiber, until);
}

void wake(Fiber* fiber) noexcept {
  if (fiber != nullptr && fiber->parked) fiber->loop.make_ready(fiber);
}

bool sleep(double seconds) {
  if (running == nullptr) return false;
  auto const wait = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  Clock::time_point const until = Clock::now() + wait;
  while (Clock::now() < until) park(until);
  return true;
}

bool on_loop_thread() noexcept { return this_loop != nullptr; }

}  // namespace fibers

// ---------------------------------------------------------------- callback threads

class CallbackThreads;
namespace {
thread_local CallbackThreads const* this_callback_threads = nullptr;
}

/// A few threads that run completion callbacks in order of arrival.
class CallbackThreads {
 public:
  explicit CallbackThreads(int count) {
    for (int i = 0; i < count; ++i) threads_.emplace_back([this] { run(); });
  }
  ~CallbackThreads() { stop(); }

  void post(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!stopped_) {
        tasks_.push_back(std::move(task));
        ready_.notify_one();
        return;
      }
    }
    task();  // after shutdown (a late then() on a finished future): run in place
  }

  /// Runs what is queued, then joins the threads.
  void stop() noexcept {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopped_ = true;
    }
    ready_.notify_all();
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

 private:
  void run() {
    this_callback_threads = this;
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return stopped_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopped_ = false;
  std::vector<std::thread> threads_;
};

// ---------------------------------------------------------------- the runtime

AsyncRuntime::AsyncRuntime(AsyncOptions const& options) : options_(options) {
  if (options.io_threads < 1) throw SmarterError("AsyncOptions::io_threads must be at least 1");
  if (options.callback_threads < 0) throw SmarterError("AsyncOptions::callback_threads must be 0 or more");
  if (options.call_stack_bytes < 64 * 1024) throw SmarterError("AsyncOptions::call_stack_bytes must be at least 65536");
  if (options.callback_threads > 0) {
    callbacks_ = std::make_unique<CallbackThreads>(options.callback_threads);
    CallbackThreads* threads = callbacks_.get();
    poster_ = [threads](std::function<void()> task) { threads->post(std::move(task)); };
  }
  try {
    for (int i = 0; i < options.io_threads; ++i) loops_.push_back(std::make_unique<fibers::Loop>(i, options));
  } catch (...) {
    shutdown();
    throw;
  }
}

AsyncRuntime::~AsyncRuntime() { shutdown(); }

void AsyncRuntime::shutdown() noexcept {
  if (shut_down_.exchange(true)) return;
  bool const own_thread =
      std::any_of(loops_.begin(), loops_.end(), [](auto const& loop) { return loop.get() == fibers::this_loop; }) ||
      (callbacks_ && this_callback_threads == callbacks_.get());
  if (own_thread) {
    // Waiting for its own thread to end would never return.
    std::fputs("smarter: an AsyncSmarter was destroyed from one of its own callbacks; destroy it on another "
               "thread\n", stderr);
    std::abort();
  }
  bool const cancel = options_.on_destroy == AsyncOptions::OnDestroy::cancel;
  for (auto& loop : loops_) loop->begin_shutdown(cancel);
  // The loops stay (a late call finds them closed); their threads end once their calls have.
  for (auto& loop : loops_) loop->join();
  if (callbacks_) callbacks_->stop();
}

fibers::Loop& AsyncRuntime::loop(int index) {
  // loops_ never changes after construction, so this is safe from any thread at any time.
  if (index < 0) index = static_cast<int>(turn_.fetch_add(1, std::memory_order_relaxed) % loops_.size());
  return *loops_.at(static_cast<std::size_t>(index));
}

// ---------------------------------------------------------------- calls

namespace {
std::atomic<std::uint64_t> call_ids{0};
}

void spawn_call(std::shared_ptr<AsyncRuntime> const& runtime, std::shared_ptr<FutureCore> const& state,
                std::function<void(int loop)> task, int loop_index) {
  if (runtime->poster()) state->set_poster(runtime->poster());
  fibers::Loop* loop = nullptr;
  try {
    loop = &runtime->loop(loop_index);
  } catch (std::out_of_range const&) {
    state->fail(std::make_exception_ptr(SmarterError("This asynchronous client has been shut down")));
    return;
  }
  std::uint64_t const id = ++call_ids;
  int const index = loop->index();
  std::weak_ptr<AsyncRuntime> weak = runtime;
  state->set_canceller([weak, index, id] {
    if (auto alive = weak.lock()) {
      try {
        fibers::Loop& target = alive->loop(index);
        target.post([&target, id] { target.cancel(id); }, /*internal=*/true);
      } catch (std::out_of_range const&) {
        // Shut down: the call has already been cancelled or finished.
      }
    }
  });
  bool const posted = loop->post([loop, id, index, task = std::move(task)]() mutable {
    loop->start(id, [index, task = std::move(task)]() mutable { task(index); });
  });
  if (!posted) state->fail(std::make_exception_ptr(SmarterError("This asynchronous client has been shut down")));
}

std::uint64_t adopt_on_loop(std::shared_ptr<void> object) {
  fibers::Fiber* fiber = fibers::current();
  if (fiber == nullptr) throw SmarterError("internal: adopt_on_loop() outside an asynchronous call");
  return fiber->loop.adopt(std::move(object));
}

std::shared_ptr<void> adopted_on_loop(std::uint64_t key) {
  fibers::Fiber* fiber = fibers::current();
  return fiber == nullptr ? nullptr : fiber->loop.adopted(key);
}

void release_on_loop(std::weak_ptr<AsyncRuntime> const& runtime, int loop_index, std::uint64_t key) noexcept {
  auto alive = runtime.lock();
  if (!alive) return;
  try {
    fibers::Loop& loop = alive->loop(loop_index);
    loop.post([&loop, key] { loop.release(key); }, /*internal=*/true);
  } catch (...) {
    // Shut down: the loop already let go of everything it kept.
  }
}

bool on_io_thread() noexcept { return fibers::on_loop_thread(); }

}  // namespace smarter::detail
