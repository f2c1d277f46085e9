// AsyncSmarter: the same namespaces and methods as Smarter, each returning a Future, run on a
// small fixed set of I/O threads. See "Async usage" in the README.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include <smarter/client.hpp>
#include <smarter/export.hpp>
#include <smarter/future.hpp>
#include <smarter/options.hpp>
#include <smarter/pagination.hpp>
#include <smarter/raw_response.hpp>
#include <smarter/streaming.hpp>

namespace smarter {

/// How an AsyncSmarter schedules its work.
struct AsyncOptions {
  /// Threads running the event loop (each with its own libcurl multi handle and connections).
  int io_threads = 1;
  /// Threads running completion callbacks; 0 runs them on the I/O thread that finished the call
  /// (then they must be quick and must not block).
  int callback_threads = 0;
  /// Most connections to one host per I/O thread; more requests wait for a free one (HTTP/2
  /// multiplexes many over one). 0: no limit.
  std::size_t max_connections_per_host = 64;
  /// Most connections in all per I/O thread; 0: no limit.
  std::size_t max_total_connections = 0;
  /// Most calls running at once per I/O thread; later ones wait in line, holding no stack and no
  /// transfer, until one ends (an open AsyncStream does not count). 0: no limit.
  std::size_t max_calls_per_thread = 1024;
  /// Stack reserved for each call in flight (address space; only pages used become memory).
  std::size_t call_stack_bytes = 256 * 1024;
  /// What destroying the client does with calls still in flight.
  enum class OnDestroy {
    cancel,  ///< Cancel them: their futures fail with APIUserAbortError.
    drain,   ///< Let them finish first (new calls are refused meanwhile).
  };
  /// What destroying the client does with calls still in flight.
  OnDestroy on_destroy = OnDestroy::cancel;
};

namespace detail {

class AsyncRuntime;

/// Starts `task(loop)` as a call on loop `loop` (-1: the loops take turns) of `runtime`. When the
/// runtime is shutting down, `state` fails with SmarterError instead. Cancelling `state` stops
/// the call wherever it waits (network, retry wait).
SMARTER_API void spawn_call(std::shared_ptr<AsyncRuntime> const& runtime, std::shared_ptr<FutureCore> const& state,
                            std::function<void(int loop)> task, int loop = -1);
/// Keeps `object` alive on the running call's loop until released; returns its key. (Objects
/// tied to a loop's connections, e.g. open streams, are destroyed on that loop only.)
SMARTER_API std::uint64_t adopt_on_loop(std::shared_ptr<void> object);
/// The object adopted on the running call's loop under `key`, or null when released.
SMARTER_API std::shared_ptr<void> adopted_on_loop(std::uint64_t key);
/// Releases an adopted object on its loop. Safe from any thread, also after the client is gone.
SMARTER_API void release_on_loop(std::weak_ptr<AsyncRuntime> const& runtime, int loop, std::uint64_t key) noexcept;

/// T itself, in a context where it is not deduced (C++20's std::type_identity_t).
template <class T>
struct identity {
  using type = T;  ///< T.
};
/// T itself, not deduced.
template <class T>
using identity_t = typename identity<T>::type;

/// True for Stream<T>, whose connection belongs to the loop that opened it.
template <class T>
struct is_stream : std::false_type {};
/// True for Stream<T>.
template <class T>
struct is_stream<Stream<T>> : std::true_type {};

/// What the async namespaces share: the runtime and the synchronous client whose code they run.
struct AsyncBinding {
  std::shared_ptr<AsyncRuntime> runtime;  ///< The loops.
  Smarter client;                         ///< The client whose methods the calls run.

  /// Runs `call(client)` on a loop; the future gets its result or its exception.
  template <class F>
  auto run(F call, int loop = -1) const -> Future<std::invoke_result_t<F&, Smarter const&>> {
    using T = std::invoke_result_t<F&, Smarter const&>;
    static_assert(!is_stream<T>::value,
                  "a Stream is read on its I/O thread: open it with create_stream() (an AsyncStream), not run()");
    auto state = std::make_shared<FutureState<T>>();
    spawn_call(runtime, state,
               [state, call = std::move(call), client = client](int) mutable {
                 std::exception_ptr error;
                 try {
                   if constexpr (std::is_void_v<T>) {
                     call(client);
                     state->succeed();
                   } else {
                     state->succeed(call(client));
                   }
                   return;
                 } catch (...) {
                   error = std::current_exception();
                 }
                 // Handed over once the catch block has let go: the thread that takes the error
                 // then holds its last reference and frees it.
                 state->fail(std::move(error));
               },
               loop);
    return Future<T>(std::move(state));
  }
};

}  // namespace detail

/// A stream of items read on an I/O thread. Nothing is read ahead of demand: while no next() is
/// pending, at most the transport's buffer (1 MiB) is held and the connection is paused, so a
/// slow consumer slows the server rather than filling memory. Cheap to copy (copies share the
/// stream); destroying the last copy drops the connection.
template <class T>
class AsyncStream {
 public:
  /// No stream.
  AsyncStream() = default;

  /// The next item, or nullopt at the end. One next() at a time (the previous must be complete).
  Future<std::optional<T>> next() const {
    detail::AsyncBinding const& call = binding();  // throws on an empty AsyncStream
    auto key = handle_->key;
    return call.run(
        [key](Smarter const&) -> std::optional<T> { return open_stream(key)->next(); },
        handle_->loop);
  }

  /// Calls `on_item` for every item as it arrives, on the I/O thread (keep it quick: the next
  /// item is read after it returns), and completes with the number of items at the end of the
  /// stream, or with the stream's error. Returning false stops early and closes the stream.
  Future<std::size_t> for_each(std::function<bool(T const&)> on_item) const {
    return binding().run(
        [self = *this, on_item = std::move(on_item)](Smarter const&) -> std::size_t {
          std::shared_ptr<Stream<T>> const stream = open_stream(self.handle_->key);
          std::size_t count = 0;
          while (std::optional<T> item = stream->next()) {
            ++count;
            if (!on_item(*item)) {
              stream->close();
              break;
            }
          }
          return count;
        },
        handle_->loop);
  }

  /// Closes the stream and drops its connection; a later next() gives nullopt, as the end of a
  /// synchronous Stream does. Safe from any thread; idempotent.
  void close() const {
    if (!handle_) return;
    binding().run(
        [key = handle_->key](Smarter const&) {
          if (auto stream = adopted_stream(key)) stream->close();
        },
        handle_->loop);
  }

  /// The HTTP status of the streamed response.
  int status_code() const noexcept { return handle_ ? handle_->status_code : 0; }
  /// The response headers.
  http::Headers const& headers() const noexcept {
    static http::Headers const kEmpty;
    return handle_ ? handle_->headers : kEmpty;
  }
  /// The `x-request-id` of the streamed response.
  std::optional<std::string> request_id() const {
    return handle_ ? handle_->headers.get("x-request-id") : std::nullopt;
  }

  /// Wraps a stream adopted on `loop` under `key` (the SDK creates async streams).
  AsyncStream(detail::AsyncBinding binding, int loop, std::uint64_t key, int status_code, http::Headers headers)
      : handle_(std::make_shared<Handle>(std::move(binding), loop, key, status_code, std::move(headers))) {}

 private:
  // The one owner of the stream's key: when the last copy goes, the loop lets the stream go.
  struct Handle {
    Handle(detail::AsyncBinding binding_in, int loop_in, std::uint64_t key_in, int status_in, http::Headers headers_in)
        : binding(std::move(binding_in)), loop(loop_in), key(key_in), status_code(status_in),
          headers(std::move(headers_in)) {}
    Handle(Handle const&) = delete;
    Handle& operator=(Handle const&) = delete;
    ~Handle() { detail::release_on_loop(binding.runtime, loop, key); }

    detail::AsyncBinding binding;
    int loop = 0;
    std::uint64_t key = 0;
    int status_code = 0;
    http::Headers headers;
  };
  detail::AsyncBinding const& binding() const {
    if (!handle_) throw SmarterError("This AsyncStream holds no stream");
    return handle_->binding;
  }
  /// The stream adopted under `key` on the calling I/O thread; null once closed or released.
  static std::shared_ptr<Stream<T>> adopted_stream(std::uint64_t key) {
    return std::static_pointer_cast<Stream<T>>(detail::adopted_on_loop(key));
  }
  /// The same, for reading: throws SmarterError once the stream is closed.
  static std::shared_ptr<Stream<T>> open_stream(std::uint64_t key) {
    auto stream = adopted_stream(key);
    if (!stream) throw SmarterError("This stream was closed");
    return stream;
  }

  std::shared_ptr<Handle> handle_;
};

namespace detail {

/// Runs `open(client)` (a synchronous create_stream) on a loop and hands the open stream over
/// as an AsyncStream once its status and headers are in.
template <class T, class F>
Future<AsyncStream<T>> run_stream(AsyncBinding const& binding, F open) {
  auto state = std::make_shared<FutureState<AsyncStream<T>>>();
  spawn_call(binding.runtime, state, [state, binding, open = std::move(open)](int loop) mutable {
    std::exception_ptr error;
    try {
      auto stream = std::make_shared<Stream<T>>(open(binding.client));
      int const status = stream->status_code();
      http::Headers headers = stream->headers();
      std::uint64_t const key = adopt_on_loop(stream);
      state->succeed(AsyncStream<T>(binding, loop, key, status, std::move(headers)));
      return;
    } catch (...) {
      error = std::current_exception();
    }
    state->fail(std::move(error));  // after the catch block: see AsyncBinding::run
  });
  return Future<AsyncStream<T>>(std::move(state));
}

}  // namespace detail

namespace async {
class Resources;
class Manifests;
class Chat;
class Responses;
class Files;
class FineTuning;
}  // namespace async

/// The asynchronous client: the namespaces and method names of Smarter, each call returning a
/// Future (streams: a Future of an AsyncStream). Calls run on `AsyncOptions::io_threads` threads
/// with the synchronous client's code, the same retry rules, limits, errors and logging; a call
/// waiting for the network or for a retry holds no thread. Thread-safe; not copyable. Destroying
/// it cancels (or drains, see AsyncOptions::on_destroy) the calls in flight and returns once
/// every callback has run and every thread has stopped.
class SMARTER_API AsyncSmarter {
 public:
  /// Creates a client from the same options as Smarter (unset ones come from the environment)
  /// and starts its I/O threads.
  explicit AsyncSmarter(ClientOptions const& options = {}, AsyncOptions const& async = {});
  ~AsyncSmarter();
  AsyncSmarter(AsyncSmarter const&) = delete;
  AsyncSmarter& operator=(AsyncSmarter const&) = delete;

  /// Sends a request to any endpoint (see Smarter::request).
  Future<RawResponse> request(std::string method, std::string path, nlohmann::json body = nullptr,
                              RequestOptions options = {}) const;

  /// The platform's brokered resources (chatbots, plugins).
  async::Resources resources() const;
  /// The generic manifest API.
  async::Manifests manifests() const;
  /// Who the API key belongs to.
  Future<WhoAmI> whoami(RequestOptions options = {}) const;
  /// The platform's infrastructure status.
  Future<PlatformStatus> platform_status(RequestOptions options = {}) const;
  /// The platform's software versions.
  Future<PlatformVersion> platform_version(RequestOptions options = {}) const;

  /// OpenAI-shaped chat APIs.
  async::Chat chat() const;
  /// OpenAI-shaped Responses API.
  async::Responses responses() const;
  /// OpenAI-shaped Files API.
  async::Files files() const;
  /// OpenAI-shaped fine-tuning API.
  async::FineTuning fine_tuning() const;

  /// Runs any code written against the synchronous client as one call on the loop, e.g.
  /// `client.run([](smarter::Smarter const& c) { return c.chat().completions().create(p); })`.
  /// Its network waits and retry waits hold no thread, like every other async call.
  template <class F>
  auto run(F call) const -> Future<std::invoke_result_t<F&, Smarter const&>> {
    return binding_.run(std::move(call));
  }

  /// Fetches the page after `page` (nullopt when it is the last).
  template <class T>
  Future<std::optional<CursorPage<T>>> next_page(CursorPage<T> page) const {
    return binding_.run([page = std::move(page)](Smarter const&) -> std::optional<CursorPage<T>> {
      if (!page.has_next_page()) return std::nullopt;
      return page.get_next_page();
    });
  }

  /// Walks the pages from `first` on, calling `on_page` for each (on the I/O thread, within the
  /// walk: it should be quick) until it returns false or the last page; completes with the number
  /// of pages seen. One call: the next page is fetched only after `on_page` returned.
  template <class T>
  Future<std::size_t> for_each_page(CursorPage<T> first,
                                    detail::identity_t<std::function<bool(CursorPage<T> const&)>> on_page) const {
    return binding_.run([first = std::move(first), on_page = std::move(on_page)](Smarter const&) {
      std::size_t pages = 0;
      for (CursorPage<T> const& page : first.iter_pages()) {
        ++pages;
        if (!on_page(page)) break;
      }
      return pages;
    });
  }

  /// The synchronous client with the same configuration and connections (blocking calls).
  Smarter const& sync() const noexcept { return binding_.client; }

 private:
  detail::AsyncBinding binding_;
};

}  // namespace smarter
