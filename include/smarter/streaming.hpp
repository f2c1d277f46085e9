// Server-sent events: the incremental decoder and the typed Stream<T> that iterates them.
//
//   auto stream = client.chat().completions().create_stream({...});
//   for (auto const& chunk : stream) { ... }   // each chunk as the server sends it
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/client_core.hpp>
#include <smarter/detail/decode.hpp>
#include <smarter/errors.hpp>
#include <smarter/export.hpp>

namespace smarter {

/// One server-sent event as decoded from the wire.
struct ServerSentEvent {
  std::optional<std::string> event{};  ///< The `event:` name, when one was sent.
  std::string data{};                  ///< The `data:` lines joined with '\n' ("" when none).
  std::optional<std::string> id{};     ///< The last event id seen so far in the stream.
  std::optional<long> retry{};         ///< The `retry:` reconnection time in ms, when sent.

  /// `data` parsed as JSON; throws SmarterError when it is not JSON or is nested deeper than
  /// `max_depth`.
  nlohmann::json json(std::size_t max_depth = 512) const;
};

/// An error event received in the middle of a stream whose type implies no HTTP status.
/// (Errors whose type or code names one, e.g. "rate_limit_exceeded", are raised as the same
/// APIStatusError subclass an HTTP response with that status would give.)
class SMARTER_API APIStreamError : public APIError {
 public:
  /// `error` is the error object from the event payload.
  APIStreamError(std::string const& message, std::string method, std::string url, nlohmann::json error,
                 std::optional<std::string> request_id);
  /// The error object sent by the server (e.g. {"message": ..., "type": ..., "code": ...}).
  nlohmann::json const& error() const noexcept { return *error_; }
  /// The error's `type`, when it has one.
  std::optional<std::string> type() const;
  /// The error's `code`, when it has one.
  std::optional<std::string> code() const;
  /// The `x-request-id` of the streamed response.
  std::optional<std::string> const& request_id() const noexcept { return request_id_; }

 private:
  std::shared_ptr<nlohmann::json const> error_;
  std::optional<std::string> request_id_;
};

namespace detail {

/// Incremental server-sent-events decoder (WHATWG rules). Feed it bytes as they arrive, in
/// chunks of any size; it returns the events completed by each chunk. Lines end at CR, LF or
/// CRLF (a CRLF split across two chunks counts once); bytes are split before any UTF-8
/// decoding, so multi-byte characters split across chunks and U+2028 inside data are safe.
///
/// Lines and events are bounded: a line longer than `max_line_bytes`, or an event whose data
/// passes `max_event_bytes`, raises SseDecoder::LimitExceeded, so a server cannot grow the
/// decoder's buffers without end. Memory stays constant however many events pass through.
class SMARTER_API SseDecoder {
 public:
  /// A line or event passed its limit; the stream cannot be decoded further.
  class LimitExceeded : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
  };

  /// A decoder with the default limits (1 MiB lines, 16 MiB events).
  SseDecoder() = default;
  /// A decoder with the given limits, in bytes.
  SseDecoder(std::size_t max_line_bytes, std::size_t max_event_bytes)
      : max_line_bytes_(max_line_bytes), max_event_bytes_(max_event_bytes) {}

  /// Consumes `bytes`; returns the events they complete, in order.
  std::vector<ServerSentEvent> feed(std::string_view bytes);
  /// Ends the stream: a last line or event without its terminating blank line is dispatched.
  std::vector<ServerSentEvent> finish();
  /// How many lines have been completed so far (comments and blank lines included).
  std::uint64_t lines_completed() const noexcept { return lines_completed_; }

 private:
  void append_to_line(std::string_view bytes);
  void process_line(std::string_view line, std::vector<ServerSentEvent>& out);
  void dispatch(std::vector<ServerSentEvent>& out);

  std::string line_;              // bytes of the line not yet terminated
  bool skip_lf_ = false;          // the previous chunk ended with CR: a leading LF belongs to it
  std::optional<std::string> event_;
  std::vector<std::string> data_;
  std::optional<std::string> last_id_;
  std::optional<long> retry_;
  bool pending_ = false;          // a field was seen since the last dispatch
  std::size_t max_line_bytes_ = 1 << 20;
  std::size_t max_event_bytes_ = 16 << 20;
  std::size_t event_bytes_ = 0;   // data bytes of the event being collected
  std::uint64_t lines_completed_ = 0;
};

/// A streamed response read as server-sent events, with OpenAI's conventions applied: a
/// `[DONE]` data line ends the stream, an error payload raises a typed exception. Closes the
/// connection when destroyed before the end. Not thread-safe; one reader.
class SMARTER_API EventSource {
 public:
  /// Takes ownership of `response` (a 2xx with its body unread).
  explicit EventSource(StreamedResponse response);
  ~EventSource();
  EventSource(EventSource const&) = delete;
  EventSource& operator=(EventSource const&) = delete;

  /// The next event's JSON payload, or nullopt after `[DONE]` or the end of the body. Raises
  /// the typed error for an error event, APIResponseValidationError for data that is not JSON,
  /// and the transport's errors.
  std::optional<nlohmann::json> next();
  /// Stops reading and drops the connection (no effect after the end). Idempotent.
  void close() noexcept;
  /// True once the stream ended or was closed.
  bool closed() const noexcept { return closed_; }
  /// The response's status code and headers.
  StreamedResponse const& response() const noexcept { return response_; }
  /// Reads the rest of the body after `[DONE]`, at most `max_bytes`, so the connection can be
  /// reused; closes it instead when more than that remains.
  void drain(std::size_t max_bytes) noexcept;

  /// Most bytes read after `[DONE]` before the connection is dropped instead of reused.
  static constexpr std::size_t kMaxDrainBytes = 64 * 1024;

 private:
  std::optional<ServerSentEvent> next_event();
  void check_line_progress();
  [[noreturn]] void raise_error(nlohmann::json const& error, ServerSentEvent const& event);

  StreamedResponse response_;
  SseDecoder decoder_;
  std::uint64_t lines_seen_ = 0;                          // decoder_.lines_completed() at the last check
  std::chrono::steady_clock::time_point last_line_at_;  // when a line last completed
  std::vector<ServerSentEvent> pending_;
  std::size_t pending_index_ = 0;
  bool eof_ = false;
  bool closed_ = false;    // the body is finished with (read to the end or dropped)
  bool finished_ = false;  // no more items: [DONE] seen, or closed by the reader
};

}  // namespace detail

/// A stream of typed items (e.g. ChatCompletionChunk) decoded from server-sent events.
///
/// Range-for yields each item as soon as its event arrives. The stream can be iterated once.
/// It ends at `[DONE]` (the rest of the response is then drained, up to a bound, so the
/// connection is reused) or at the end of the body. An error event raises a typed exception.
/// Leaving the loop early and destroying the stream, or calling close(), drops the connection;
/// the client stays usable. Move-only (do not move it while a loop is iterating it).
template <class T>
class Stream {
 public:
  /// Wraps a streamed response (resources create streams; applications receive them).
  explicit Stream(detail::StreamedResponse response)
      : source_(std::make_unique<detail::EventSource>(std::move(response))) {}

  /// The next item, or nullopt at the end. Mixing next() with range-for is allowed.
  std::optional<T> next() {
    if (!source_) return std::nullopt;
    std::optional<nlohmann::json> payload = source_->next();
    if (!payload) return std::nullopt;
    // The event's JSON becomes the item's document as it is: moved, not copied.
    auto const document = std::make_shared<nlohmann::json const>(std::move(*payload));
    try {
      return detail::decode_value<T>(document);
    } catch (detail::DecodeError const& e) {
      source_->close();
      detail::throw_validation_error(source_->response().as_raw(document->dump()), e);
    }
  }

  /// Input iterator over the remaining items.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;  ///< Single pass.
    using value_type = T;                               ///< An item.
    using difference_type = std::ptrdiff_t;             ///< Iterator difference.
    using pointer = T const*;                           ///< Pointer to an item.
    using reference = T const&;                         ///< Reference to an item.

    /// The end iterator.
    iterator() = default;
    /// The current item.
    reference operator*() const { return *current_; }
    /// The current item's members.
    pointer operator->() const { return &*current_; }
    /// Waits for the next item.
    iterator& operator++() {
      current_ = stream_->next();
      if (!current_) stream_ = nullptr;
      return *this;
    }
    /// Holds the item a post-increment moved past, so `*it++` still reads it.
    struct Proxy {
      T value{};  ///< The item.
      /// The item.
      T const& operator*() const { return value; }
    };
    /// Post-increment (input iterator: the old item is kept in the returned proxy).
    Proxy operator++(int) {
      Proxy old{std::move(*current_)};
      ++*this;
      return old;
    }
    /// Same stream and position (a stream is single pass), or both at the end.
    friend bool operator==(iterator const& a, iterator const& b) { return a.stream_ == b.stream_; }
    /// Not operator==.
    friend bool operator!=(iterator const& a, iterator const& b) { return !(a == b); }

   private:
    friend class Stream;
    explicit iterator(Stream* stream) : stream_(stream) { ++*this; }
    Stream* stream_ = nullptr;
    std::optional<T> current_;
  };

  /// Starts iteration (waits for the first item). Throws SmarterError on a second call.
  iterator begin() {
    if (iterated_)
      throw SmarterError("Cannot iterate over a consumed stream; a Stream can be iterated once");
    iterated_ = true;
    return iterator(this);
  }
  /// The end of the stream.
  iterator end() { return iterator(); }

  /// Stops the stream and drops its connection. Idempotent.
  void close() noexcept {
    if (source_) source_->close();
  }
  /// True once the stream has ended or was closed.
  bool is_closed() const noexcept { return !source_ || source_->closed(); }
  /// The HTTP status of the streamed response.
  int status_code() const noexcept { return source_ ? source_->response().status_code : 0; }
  /// The response headers.
  http::Headers const& headers() const noexcept {
    static http::Headers const kEmpty;
    return source_ ? source_->response().headers : kEmpty;
  }
  /// The `x-request-id` of the streamed response.
  std::optional<std::string> request_id() const {
    return source_ ? source_->response().request_id() : std::nullopt;
  }

 private:
  std::unique_ptr<detail::EventSource> source_;
  bool iterated_ = false;
};

}  // namespace smarter
