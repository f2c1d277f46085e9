// The libcurl transport.
//
// Each pooled "slot" is one multi handle, which owns a connection cache: a slot that is reused
// reuses its keep-alive connections. Every transfer gets a fresh easy handle, added to a slot's
// multi handle and cleaned up when the transfer ends. Easy handles are never reused: libcurl
// 7.88 (Debian 12) reads freed memory when a reset handle parses certain malformed responses
// after a normal one (curl issue 11101, fixed in 8.1.0), and a fresh handle costs about as much
// as resetting one and setting every option again.
//
// A transfer is driven from the calling thread (curl_multi_perform + curl_multi_poll): send()
// pumps until the final header block is in, then the body is pulled through
// ResponseBody::read(), which pumps again only when its buffer is empty. Time limits are checked
// by that loop, not by libcurl, so they have millisecond precision and tell which limit fired.
//
// Inside a call of AsyncSmarter (src/async/fiber_loop.hpp) the same transfer joins its loop's
// multi handle instead of a slot, and "pumping" parks the call until the loop reports progress:
// everything else, limits included, is the code above.
#include <smarter/http/curl_transport.hpp>

#include <curl/curl.h>

#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <smarter/errors.hpp>

#include "async/fiber_loop.hpp"
#include "fork_count.hpp"
#include "http/loop_multi.hpp"
#include "http/header_parser.hpp"

namespace smarter::http {
namespace curl_detail {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// Above this many unread body bytes the transfer is paused until the reader catches up.
constexpr std::size_t kPauseThreshold = 1024 * 1024;
/// In-memory bodies up to this size are handed to libcurl whole (CURLOPT_POSTFIELDS) and leave
/// with the headers; larger ones are pulled through the read callback, which tracks write stalls.
constexpr std::size_t kInlineBodyLimit = 64 * 1024;

/// Identifies the running process for the fork checks below (see fork_count.hpp).
std::uint64_t process_id() noexcept { return smarter::detail::forks_seen(); }

/// True when `text` holds any of the (few) bytes in `set`.
bool contains_any(std::string_view text, std::string_view set) noexcept {
  for (char const c : set) {
    if (std::memchr(text.data(), c, text.size()) != nullptr) return true;
  }
  return false;
}

/// The Accept-Encoding list of what this libcurl can decode, worked out once. (The empty string
/// asks libcurl for the same list, but it rebuilds it for every handle: measured.)
std::string const& accepted_encodings() {
  static std::string const list = [] {
    curl_version_info_data const* info = curl_version_info(CURLVERSION_NOW);
    std::string out;
    auto add = [&out](char const* name) { out += out.empty() ? name : std::string(", ") + name; };
    if (info != nullptr && (info->features & CURL_VERSION_LIBZ) != 0) {
      add("deflate");
      add("gzip");
    }
    if (info != nullptr && (info->features & CURL_VERSION_BROTLI) != 0) add("br");
    if (info != nullptr && (info->features & CURL_VERSION_ZSTD) != 0) add("zstd");
    return out;
  }();
  return list;
}
/// Longest single wait in curl_multi_poll, so that state changes are noticed promptly.
constexpr milliseconds kMaxPollSlice{100};
/// "No time limit is due": an asynchronous call then parks until its transfer makes progress.
constexpr milliseconds kNoSlice{std::chrono::hours(24)};

std::string seconds_text(milliseconds ms) {
  return fmt::format("{:g} s", static_cast<double>(ms.count()) / 1000.0);
}

/// One multi handle (and so one connection cache), used by one transfer at a time.
class Slot {
 public:
  Slot() : multi_(curl_multi_init()) {
    if (multi_ == nullptr) throw SmarterError("libcurl could not create a transfer handle");
  }
  ~Slot() { curl_multi_cleanup(multi_); }
  Slot(Slot const&) = delete;
  Slot& operator=(Slot const&) = delete;

  CURLM* multi() const noexcept { return multi_; }

 private:
  CURLM* multi_;
};

/// A fresh easy handle, cleaned up when it goes out of scope.
class EasyHandle {
 public:
  EasyHandle() : easy_(curl_easy_init()) {
    if (easy_ == nullptr) throw SmarterError("libcurl could not create a transfer handle");
  }
  ~EasyHandle() {
    if (easy_ != nullptr) curl_easy_cleanup(easy_);
  }
  EasyHandle(EasyHandle const&) = delete;
  EasyHandle& operator=(EasyHandle const&) = delete;

  CURL* get() const noexcept { return easy_; }

 private:
  CURL* easy_;
};

/// Everything one process shares between the transfers of one transport: idle slots (and so
/// the keep-alive connections), the DNS/TLS-session share, and the sockets libcurl opened.
///
/// After fork() the child must not touch any of it: the sockets are the parent's connections
/// (reusing them would mix the two processes' responses, and a TLS shutdown on them would end
/// the parent's sessions), and a lock may have been held by a thread that does not exist in the
/// child. So a child starts a new generation: it closes its copies of the inherited socket
/// descriptors (the parent's connections stay open: it still holds them) and abandons the old
/// handles without cleaning them up, as no libcurl code may run on them. That costs a little
/// memory once per fork, never a byte on the parent's connections.
class Generation {
 public:
  explicit Generation(std::size_t max_idle) : process_(process_id()), max_idle_(max_idle) {
    share_ = curl_share_init();
    if (share_ == nullptr) throw SmarterError("libcurl could not create a share handle");
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &Generation::lock_share);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &Generation::unlock_share);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    // Connections are deliberately not shared: libcurl does not support that across threads.
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }

  ~Generation() {
    // Every slot has come back (transfers hold the transport alive), so the share is unused.
    // Cleaning the slots closes their connections through close_socket, which needs sockets_.
    idle_.clear();
    curl_share_cleanup(share_);
  }

  Generation(Generation const&) = delete;
  Generation& operator=(Generation const&) = delete;

  /// The process this generation belongs to.
  /// The process_id() of the process that created this generation.
  std::uint64_t process() const noexcept { return process_; }
  /// True when this generation belongs to the running process (not inherited through fork()).
  bool is_ours() const noexcept { return process_ == process_id(); }
  CURLSH* share() const noexcept { return share_; }

  /// A free slot, most recently used first so that its warm connection is reused.
  std::unique_ptr<Slot> acquire() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_.empty()) {
        auto slot = std::move(idle_.back());
        idle_.pop_back();
        return slot;
      }
    }
    return std::make_unique<Slot>();
  }

  /// Returns a slot with no transfer attached; drops it when enough are idle.
  void release(std::unique_ptr<Slot> slot) noexcept {
    std::unique_ptr<Slot> surplus;  // destroyed outside the lock: closing sockets takes time
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < max_idle_) {
      idle_.push_back(std::move(slot));
    } else {
      surplus = std::move(slot);
    }
  }

  /// In a forked child: closes this process's copies of the parent's sockets and leaves every
  /// libcurl handle untouched (see the class comment). The generation is never used again.
  void abandon_after_fork() noexcept {
    for (curl_socket_t fd : sockets_) ::close(fd);
    sockets_.clear();
    for (auto& slot : idle_) (void)slot.release();
  }

  /// CURLOPT_OPENSOCKETFUNCTION: opens a close-on-exec socket and remembers it.
  static curl_socket_t open_socket(void* user, curlsocktype /*purpose*/, curl_sockaddr* address) {
    auto* self = static_cast<Generation*>(user);
    curl_socket_t const fd = ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    if (fd == CURL_SOCKET_BAD) return fd;
    try {
      std::lock_guard<std::mutex> lock(self->sockets_mutex_);
      self->sockets_.insert(fd);
    } catch (...) {
      ::close(fd);
      return CURL_SOCKET_BAD;
    }
    return fd;
  }

  /// CURLOPT_CLOSESOCKETFUNCTION: closes a socket libcurl is done with and forgets it.
  static int close_socket(void* user, curl_socket_t fd) {
    auto* self = static_cast<Generation*>(user);
    {
      std::lock_guard<std::mutex> lock(self->sockets_mutex_);
      self->sockets_.erase(fd);
    }
    return ::close(fd);
  }

 private:
  static void lock_share(CURL* /*handle*/, curl_lock_data data, curl_lock_access /*access*/, void* user) {
    auto* self = static_cast<Generation*>(user);
    self->share_locks_[static_cast<std::size_t>(data) % self->share_locks_.size()].lock();
  }
  static void unlock_share(CURL* /*handle*/, curl_lock_data data, void* user) {
    auto* self = static_cast<Generation*>(user);
    self->share_locks_[static_cast<std::size_t>(data) % self->share_locks_.size()].unlock();
  }

  std::uint64_t process_;
  std::size_t max_idle_;
  CURLSH* share_ = nullptr;
  // One mutex per kind of shared data, as libcurl passes the kind to the lock callback.
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Slot>> idle_;
  std::mutex sockets_mutex_;
  std::set<curl_socket_t> sockets_;
};

/// The shared state of one transport: its settings and the current process's generation.
class Pool {
 public:
  explicit Pool(HttpClientOptions options) : options_(std::move(options)) {
    global_init();
    smarter::detail::watch_forks();
    current_ = new Generation(options_.max_idle_connections);
  }

  ~Pool() {
    Generation* generation = current_.load();
    // A generation inherited through fork() is abandoned, never cleaned up (see Generation).
    if (generation->is_ours()) delete generation;
  }

  Pool(Pool const&) = delete;
  Pool& operator=(Pool const&) = delete;

  /// This process's generation; the first call in a forked child starts a new one.
  Generation& generation() {
    Generation* current = current_.load(std::memory_order_acquire);
    if (current->is_ours()) return *current;
    auto fresh = std::make_unique<Generation>(options_.max_idle_connections);
    if (current_.compare_exchange_strong(current, fresh.get(), std::memory_order_acq_rel)) {
      current->abandon_after_fork();  // leaked on purpose: see Generation
      return *fresh.release();
    }
    return *current;  // another thread of the child got there first
  }

  HttpClientOptions const& options() const noexcept { return options_; }

 private:
  HttpClientOptions options_;
  std::atomic<Generation*> current_;
};

/// CURLOPT_OPENSOCKETFUNCTION of the asynchronous loops: a close-on-exec socket (their
/// connections belong to the loop, which closes them when it ends).
curl_socket_t open_loop_socket(void* /*user*/, curlsocktype /*purpose*/, curl_sockaddr* address) {
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

/// One request in flight: owns its easy handle and its slot until the network part ends, and the
/// body bytes received but not yet read. Within an asynchronous call it uses the call's loop
/// instead of a slot.
class Transfer final : public http::detail::TransferWatcher {
 public:
  Transfer(std::shared_ptr<Pool> pool, HttpRequest const& request)
      : pool_(std::move(pool)),
        method_(request.method),
        url_(request.url),
        effective_url_(request.url),
        limits_(request.limits),
        allow_resend_(request.allow_resend),
        on_progress_(request.on_progress),
        source_(request.body_source),
        headers_parser_(request.max_header_bytes) {
    if (!source_) {
      // A copy: the server may answer before the upload ends, so the body can outlive send().
      body_ = request.body;
    }
    errbuf_.fill('\0');
    generation_ = &pool_->generation();
    if (http::detail::LoopMulti* loop = smarter::detail::fibers::current_multi()) loop_multi_ = loop->handle();
    if (loop_multi_ == nullptr) slot_ = generation_->acquire();
    try {
      easy_ = std::make_unique<EasyHandle>();
      configure(request.headers);
    } catch (...) {
      release_slot();
      throw;
    }
  }

  ~Transfer() {
    release_slot();
    if (header_list_ != nullptr) curl_slist_free_all(header_list_);
  }

  Transfer(Transfer const&) = delete;
  Transfer& operator=(Transfer const&) = delete;

  /// Starts the attempt and waits for the final status line and headers.
  void wait_for_headers() {
    start_ = Clock::now();
    CURLMcode mc = curl_multi_add_handle(multi(), easy_->get());
    if (mc != CURLM_OK) throw multi_error(mc);
    attached_ = true;
    pump([this] { return headers_done_; });
    if (headers_done_) return;  // a failure after the headers surfaces from read()
    if (result_ == CURLE_OK) {
      throw APIConnectionError("Connection error: the server sent no response headers", method_, url_);
    }
    std::rethrow_exception(make_error());
  }

  int status() const noexcept { return status_; }
  Headers take_headers() { return std::move(headers_); }
  std::string const& effective_url() const noexcept { return effective_url_; }

  /// Copies buffered body bytes, pulling more from the network when none are buffered.
  std::size_t read(char* out, std::size_t max) {
    if (error_) std::rethrow_exception(error_);
    if (slot_ && !generation_->is_ours()) {
      // Opened before fork(): its connection is the parent's; reading it would steal its bytes.
      error_ = std::make_exception_ptr(APIConnectionError(
          "Connection error: this response was opened by the parent process before fork()", method_, url_));
      // Abandoned like the parent's generation: no libcurl code may run on them here.
      (void)slot_.release();
      (void)easy_.release();
      attached_ = false;
      std::rethrow_exception(error_);
    }
    if (closed_ || max == 0) return 0;
    if (available() == 0 && !done_) {
      try {
        pump([this] { return available() > 0; });
      } catch (...) {
        error_ = std::current_exception();
        release_slot();
        throw;
      }
    }
    std::size_t const n = std::min(max, available());
    if (n > 0) {
      std::memcpy(out, buffer_.data() + offset_, n);
      offset_ += n;
      if (offset_ == buffer_.size()) {
        buffer_.clear();
        offset_ = 0;
      }
      if (paused_ && available() < kPauseThreshold / 2 && attached_) {
        // May hand the held-back data to on_write right away; that is fine, we are done here.
        paused_ = false;
        curl_easy_pause(easy_->get(), CURLPAUSE_CONT);
      }
      return n;
    }
    if (done_ && result_ != CURLE_OK) {
      error_ = make_error();
      std::rethrow_exception(error_);
    }
    return 0;
  }

  /// Drops the rest of the body; an unfinished connection is closed by libcurl, not reused.
  void close() noexcept {
    closed_ = true;
    release_slot();
    buffer_.clear();
    buffer_.shrink_to_fit();
    offset_ = 0;
  }

 private:
  template <class T>
  void set(CURLoption option, T value) {
    CURLcode rc = curl_easy_setopt(easy_->get(), option, value);
    if (rc != CURLE_OK) {
      throw SmarterError(fmt::format("libcurl rejected an option: {}", curl_easy_strerror(rc)));
    }
  }

  /// Options that are the same for every request of this transport and process. (A template
  /// handle copied with curl_easy_duphandle costs as much as setting them: measured.)
  void configure_constant() {
    HttpClientOptions const& options = pool_->options();
    auto set_on = [this](CURLoption option, auto value) { set(option, value); };
    set_on(CURLOPT_NOSIGNAL, 1L);
    set_on(CURLOPT_TCP_KEEPALIVE, 1L);
    // Every encoding libcurl can decode is bounded the same way: decoded bytes pass through
    // on_write, which stops reading once the reader falls behind (see kPauseThreshold).
    if (!accepted_encodings().empty()) set_on(CURLOPT_ACCEPT_ENCODING, accepted_encodings().c_str());
    if (loop_multi_ != nullptr) {
      set_on(CURLOPT_OPENSOCKETFUNCTION, &open_loop_socket);
    } else {
      set_on(CURLOPT_OPENSOCKETFUNCTION, &Generation::open_socket);
      set_on(CURLOPT_OPENSOCKETDATA, generation_);
      set_on(CURLOPT_CLOSESOCKETFUNCTION, &Generation::close_socket);
      set_on(CURLOPT_CLOSESOCKETDATA, generation_);
    }
    // Redirects are the client's decision (origin, method and credential rules): one exchange here.
    set_on(CURLOPT_FOLLOWLOCATION, 0L);
    set_on(CURLOPT_HEADERFUNCTION, &Transfer::on_header);
    set_on(CURLOPT_WRITEFUNCTION, &Transfer::on_write);
    set_on(CURLOPT_PREREQFUNCTION, &Transfer::on_prereq);
    if (options.connect_timeout) {
      set_on(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::max<milliseconds::rep>(1, options.connect_timeout->count())));
    }
    if (options.proxy) set_on(CURLOPT_PROXY, options.proxy->c_str());
    if (options.no_proxy) set_on(CURLOPT_NOPROXY, options.no_proxy->c_str());
    if (options.local_address) set_on(CURLOPT_INTERFACE, options.local_address->c_str());
    if (options.ca_bundle) set_on(CURLOPT_CAINFO, options.ca_bundle->c_str());
    if (options.ca_path) set_on(CURLOPT_CAPATH, options.ca_path->c_str());
    if (!options.verify_tls) {
      set_on(CURLOPT_SSL_VERIFYPEER, 0L);
      set_on(CURLOPT_SSL_VERIFYHOST, 0L);
    }
  }

  /// The options of this request.
  void configure(Headers const& headers) {
    configure_constant();
    set(CURLOPT_URL, url_.c_str());
    set(CURLOPT_ERRORBUFFER, errbuf_.data());
    set(CURLOPT_SHARE, generation_->share());  // never copied by curl_easy_duphandle
    set(CURLOPT_HEADERDATA, this);
    set(CURLOPT_WRITEDATA, this);
    set(CURLOPT_PREREQDATA, this);
    if (loop_multi_ != nullptr) {
      set(CURLOPT_PRIVATE, static_cast<http::detail::TransferWatcher*>(this));
      // Many calls start at once on a loop: over TLS let them wait for the first connection's
      // handshake to tell whether it multiplexes (HTTP/2, by ALPN) rather than each opening a
      // connection of its own. Not over plain http: there it would hold every call until the
      // first one's response arrived.
      if (url_.rfind("https://", 0) == 0) set(CURLOPT_PIPEWAIT, 1L);
    }
    std::optional<milliseconds> connect = limits_.connect ? limits_.connect : pool_->options().connect_timeout;
    if (connect) {
      connect_limit_ = *connect;
      if (limits_.connect) {
        set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::max<milliseconds::rep>(1, connect->count())));
      }
    }
    if (on_progress_) {
      set(CURLOPT_NOPROGRESS, 0L);
      set(CURLOPT_XFERINFOFUNCTION, &Transfer::on_xferinfo);
      set(CURLOPT_XFERINFODATA, this);
    }

    bool const has_body = source_ != nullptr || !body_.empty();
    bool const body_method = method_ == "POST" || method_ == "PUT" || method_ == "PATCH";
    if (method_ == "HEAD") {
      set(CURLOPT_NOBODY, 1L);
      upload_done_ = true;
    } else if ((has_body || body_method) && !source_ && body_.size() <= kInlineBodyLimit) {
      // A small body in memory goes out with the headers, in one send: no read callback round
      // trips. (libcurl may re-send it on a dead reused connection; on_prereq decides whether
      // that is allowed.) CUSTOMREQUEST renames the POST for other methods.
      set(CURLOPT_POSTFIELDS, body_.data());
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
      upload_total_ = body_.size();
      inline_body_ = true;
      if (method_ != "POST") set(CURLOPT_CUSTOMREQUEST, method_.c_str());
    } else if (has_body || body_method) {
      // POST + a read callback sends any method with a body; CUSTOMREQUEST only renames it.
      set(CURLOPT_POST, 1L);
      set(CURLOPT_READFUNCTION, &Transfer::on_read);
      set(CURLOPT_READDATA, this);
      set(CURLOPT_SEEKFUNCTION, &Transfer::on_seek);
      set(CURLOPT_SEEKDATA, this);
      upload_total_ = source_ ? source_->size() : std::optional<std::uint64_t>(body_.size());
      if (upload_total_) {
        set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(*upload_total_));
        upload_done_ = *upload_total_ == 0;
      } else {
        // An unknown size: libcurl sends HTTP/1.1 chunked (HTTP/2 needs no framing header).
        set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(-1));
      }
      if (method_ != "POST") set(CURLOPT_CUSTOMREQUEST, method_.c_str());
    } else {
      upload_done_ = true;
      if (method_ != "GET") set(CURLOPT_CUSTOMREQUEST, method_.c_str());
    }

    std::string line;
    for (auto const& [name, value] : headers) {
      if (name.empty() || contains_any(name, ":\r\n") || contains_any(value, "\r\n")) {
        // The value is not quoted: it may be a credential.
        throw SmarterError(fmt::format("Invalid HTTP header \"{}\": names and values must not contain line breaks",
                                       contains_any(name, "\r\n") ? "?" : name));
      }
      // "Name;" is libcurl's spelling of a header with an empty value ("Name:" would remove it).
      line.assign(name);
      if (value.empty()) {
        line += ';';
      } else {
        line += ": ";
        line += value;
      }
      append_header(line);
    }
    if (!headers.contains("Expect")) append_header("Expect:");
    if ((has_body || body_method) && !headers.contains("Content-Type")) {
      append_header("Content-Type:");  // stop libcurl from claiming a form body
    }
    set(CURLOPT_HTTPHEADER, header_list_);
  }

  void append_header(std::string const& line) {
    curl_slist* next = curl_slist_append(header_list_, line.c_str());
    if (next == nullptr) throw std::bad_alloc();
    header_list_ = next;
  }

  std::size_t available() const noexcept { return buffer_.size() - offset_; }

  /// The multi handle driving this transfer: its slot's, or its asynchronous call's loop's.
  CURLM* multi() const noexcept { return slot_ ? slot_->multi() : loop_multi_; }

  /// The loop saw the transfer end (asynchronous calls only).
  void transfer_done(CURLcode result) noexcept override {
    done_ = true;
    result_ = result;
    notify();
  }

  /// Wakes the asynchronous call waiting for this transfer, if any.
  void notify() noexcept {
    if (waiter_ != nullptr) smarter::detail::fibers::wake(waiter_);
  }

  /// Detaches and frees the easy handle (closing an unfinished connection) and returns the slot.
  void release_slot() noexcept {
    if (loop_multi_ != nullptr) {
      if (attached_) {
        curl_multi_remove_handle(loop_multi_, easy_->get());
        attached_ = false;
      }
      easy_.reset();
      return;
    }
    if (!slot_) return;
    if (attached_) {
      curl_multi_remove_handle(slot_->multi(), easy_->get());
      attached_ = false;
    }
    // The handle is never reused, so no callback can reach this transfer after this point.
    easy_.reset();
    if (generation_->is_ours()) {
      generation_->release(std::move(slot_));
    } else {
      (void)slot_.release();  // the parent's connections: abandoned with their generation
    }
  }

  /// Runs the transfer until `ready()` holds or it ends; throws when a time limit fires.
  template <class Ready>
  void pump(Ready ready) {
    if (loop_multi_ != nullptr) return pump_on_loop(ready);
    Clock::time_point const wait_start = Clock::now();
    for (;;) {
      int running = 0;
      CURLMcode mc = curl_multi_perform(slot_->multi(), &running);
      if (mc != CURLM_OK) throw multi_error(mc);
      collect_done();
      if (done_ || ready()) return;
      milliseconds const wait = check_limits(Clock::now(), wait_start);
      int fds = 0;
      mc = curl_multi_poll(slot_->multi(), nullptr, 0, static_cast<int>(wait.count()), &fds);
      if (mc != CURLM_OK) throw multi_error(mc);
    }
  }

  /// pump() within an asynchronous call: parks the call until the loop reports progress on this
  /// transfer or a time limit is due. (Cancelling the call throws from park().)
  template <class Ready>
  void pump_on_loop(Ready ready) {
    Clock::time_point const wait_start = Clock::now();
    for (;;) {
      if (done_) return finish_done();
      if (ready()) return;
      // No polling slice here: progress wakes the call, so it sleeps until the next limit.
      milliseconds const wait = check_limits(Clock::now(), wait_start, kNoSlice);
      std::optional<Clock::time_point> until;
      if (wait < kNoSlice) until = Clock::now() + wait;
      waiter_ = smarter::detail::fibers::current();
      try {
        smarter::detail::fibers::park(until);
      } catch (...) {
        waiter_ = nullptr;
        throw;
      }
      waiter_ = nullptr;
    }
  }

  void collect_done() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(slot_->multi(), &left)) {
      if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy_->get()) {
        done_ = true;
        result_ = msg->data.result;
      }
    }
    if (done_) finish_done();
  }

  /// The network part is over: takes the status when no blank line ended the headers, and hands
  /// the connection back for reuse.
  void finish_done() {
    if (easy_ && !headers_done_ && result_ == CURLE_OK) {
      // E.g. a last header block without its blank line: libcurl still knows the status.
      long code = 0;
      curl_easy_getinfo(easy_->get(), CURLINFO_RESPONSE_CODE, &code);
      if (code > 0) finish_header_block(code);
    }
    // The network part is over: the connection goes back to the slot's cache for reuse.
    release_slot();
  }

  /// Throws the timeout that has fired, else returns how long the loop may wait (at most `slice`).
  milliseconds check_limits(Clock::time_point now, Clock::time_point wait_start, milliseconds slice = kMaxPollSlice) {
    milliseconds next = slice;
    auto consider = [&](Clock::time_point deadline, TimeoutKind kind, milliseconds limit) {
      if (now >= deadline) throw timeout_error(kind, limit);
      auto left = std::chrono::ceil<milliseconds>(deadline - now);
      next = std::min(next, left);
    };
    if (limits_.total && (limits_.total_includes_body || !headers_done_)) {
      consider(start_ + *limits_.total, TimeoutKind::total, *limits_.total);
    }
    if (limits_.deadline) consider(*limits_.deadline, TimeoutKind::deadline, milliseconds(0));
    if (connected_) {
      if (!upload_done_) {
        if (limits_.write) {
          consider(std::max({connected_at_, last_send_, wait_start}) + *limits_.write, TimeoutKind::write,
                   *limits_.write);
        }
      } else if (limits_.read) {
        consider(std::max({connected_at_, upload_done_at_, last_recv_, wait_start}) + *limits_.read,
                 TimeoutKind::read, *limits_.read);
      }
    }
    return std::max(next, milliseconds(1));
  }

  APITimeoutError timeout_error(TimeoutKind kind, milliseconds limit) const {
    std::string what;
    switch (kind) {
      case TimeoutKind::total:
        what = fmt::format("total: no complete response within {}", seconds_text(limit));
        break;
      case TimeoutKind::connect:
        what = fmt::format("connect: no connection within {}", seconds_text(limit));
        break;
      case TimeoutKind::read:
        what = fmt::format("read: no data for {}", seconds_text(limit));
        break;
      case TimeoutKind::write:
        what = fmt::format("write: could not send for {}", seconds_text(limit));
        break;
      case TimeoutKind::deadline:
        what = "the call's deadline passed";
        break;
    }
    return APITimeoutError(fmt::format("Request timed out ({})", what), method_, url_, kind,
                           static_cast<int>(CURLE_OPERATION_TIMEDOUT), std::string(), prereq_calls_ > 0);
  }

  APIConnectionError multi_error(CURLMcode mc) const {
    return APIConnectionError(fmt::format("Connection error: {}", curl_multi_strerror(mc)), method_, url_);
  }

  /// The exception for a transfer that ended with `result_`.
  std::exception_ptr make_error() const {
    if (callback_error_) return callback_error_;
    if (result_ == CURLE_ABORTED_BY_CALLBACK && user_aborted_) {
      return std::make_exception_ptr(
          APIUserAbortError("Request aborted: the progress callback asked to stop", method_, url_));
    }
    std::string const detail(errbuf_.data(), ::strnlen(errbuf_.data(), errbuf_.size()));
    std::string const summary = curl_easy_strerror(result_);
    std::string const cause = detail.empty() ? summary : detail;
    int const code = static_cast<int>(result_);
    bool const sent = prereq_calls_ > 0;  // failures before the first send never reached the server
    if (result_ == CURLE_OPERATION_TIMEDOUT) {
      // Only the connect limit is handed to libcurl; the others are enforced by pump().
      milliseconds const limit = connect_limit_.value_or(milliseconds(300000));
      return std::make_exception_ptr(
          APITimeoutError(fmt::format("Request timed out (connect: no connection within {})", seconds_text(limit)),
                          method_, url_, TimeoutKind::connect, code, cause, sent));
    }
    std::string message = detail.empty() || detail == summary
                              ? fmt::format("Connection error: {}", summary)
                              : fmt::format("Connection error: {} ({})", summary, detail);
    return std::make_exception_ptr(APIConnectionError(message, method_, url_, code, cause, sent));
  }

  /// Makes the block just received the response's status line and headers.
  void finish_header_block(long status) {
    status_ = static_cast<int>(status);
    headers_ = headers_parser_.take_block();
    headers_done_ = true;
    char* url = nullptr;
    if (easy_ && curl_easy_getinfo(easy_->get(), CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url != nullptr) {
      effective_url_ = url;
    }
  }

  /// Handles the end of one header block: an interim (1xx) response is dropped, anything else
  /// is the final response.
  void end_header_block() {
    // The status comes from libcurl's parse of the block's real status line, never from a
    // header line that merely looks like one.
    long status = 0;
    curl_easy_getinfo(easy_->get(), CURLINFO_RESPONSE_CODE, &status);
    Headers block = headers_parser_.take_block();
    if (status >= 100 && status < 200) return;
    status_ = static_cast<int>(status);
    headers_ = std::move(block);
    headers_done_ = true;
    char* url = nullptr;
    if (curl_easy_getinfo(easy_->get(), CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url != nullptr) {
      effective_url_ = url;
    }
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<Transfer*>(user);
    std::size_t const len = size * count;
    self->last_recv_ = Clock::now();
    self->notify();
    if (self->headers_done_) return len;  // trailers after a chunked body
    try {
      switch (self->headers_parser_.feed(std::string_view(data, len))) {
        case http::detail::HeaderBlockParser::Line::end_of_block:
          self->end_header_block();
          break;
        case http::detail::HeaderBlockParser::Line::too_large:
          self->callback_error_ = std::make_exception_ptr(APIResponseTooLargeError(
              fmt::format("Response headers exceed the limit of {} bytes", self->headers_parser_.max_bytes()),
              self->method_, self->url_, 0, self->headers_parser_.max_bytes()));
          return 0;  // makes libcurl fail the transfer with CURLE_WRITE_ERROR
        default:
          break;
      }
      return len;
    } catch (...) {
      self->callback_error_ = std::current_exception();
      return 0;
    }
  }

  static std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<Transfer*>(user);
    std::size_t const len = size * count;
    self->last_recv_ = Clock::now();
    self->notify();
    if (!self->headers_done_) {
      // A body before the blank line (libcurl allows a last header block without one).
      long status = 0;
      curl_easy_getinfo(self->easy_->get(), CURLINFO_RESPONSE_CODE, &status);
      self->finish_header_block(status);
    }
    if (self->available() >= kPauseThreshold) {
      self->paused_ = true;
      return CURL_WRITEFUNC_PAUSE;  // libcurl keeps this chunk and stops reading the socket
    }
    try {
      if (self->offset_ > 0 && self->offset_ >= self->buffer_.size() / 2) {
        self->buffer_.erase(0, self->offset_);
        self->offset_ = 0;
      }
      self->buffer_.append(data, len);
    } catch (...) {
      self->callback_error_ = std::current_exception();
      return 0;
    }
    return len;
  }

  static std::size_t on_read(char* out, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<Transfer*>(user);
    std::size_t const max = size * count;
    Clock::time_point const now = Clock::now();
    self->last_send_ = now;
    self->notify();
    std::size_t got = 0;
    try {
      if (self->source_) {
        got = self->source_->read(out, max);
      } else {
        got = std::min(max, self->body_.size() - static_cast<std::size_t>(self->body_offset_));
        std::memcpy(out, self->body_.data() + self->body_offset_, got);
      }
    } catch (...) {
      self->callback_error_ = std::current_exception();
      return CURL_READFUNC_ABORT;
    }
    self->body_offset_ += got;
    if (got == 0 || (self->upload_total_ && self->body_offset_ >= *self->upload_total_)) {
      self->upload_done_ = true;
      self->upload_done_at_ = now;
    }
    return got;
  }

  static int on_seek(void* user, curl_off_t offset, int origin) {
    auto* self = static_cast<Transfer*>(user);
    if (origin != SEEK_SET || offset < 0) return CURL_SEEKFUNC_CANTSEEK;
    try {
      if (self->source_) {
        if (offset != 0 || !self->source_->rewind()) return CURL_SEEKFUNC_CANTSEEK;
      } else if (static_cast<std::uint64_t>(offset) > self->body_.size()) {
        return CURL_SEEKFUNC_FAIL;
      }
    } catch (...) {
      return CURL_SEEKFUNC_FAIL;
    }
    self->body_offset_ = static_cast<std::uint64_t>(offset);
    self->upload_done_ = self->upload_total_ && self->body_offset_ >= *self->upload_total_;
    return CURL_SEEKFUNC_OK;
  }

  static int on_prereq(void* user, char* /*primary_ip*/, char* /*local_ip*/, int /*primary_port*/,
                       int /*local_port*/) {
    auto* self = static_cast<Transfer*>(user);
    // A second call means libcurl is re-sending on a fresh connection because the reused one
    // died before any response byte. The first copy may have reached the server: only an
    // operation that is safe to repeat may go again.
    if (++self->prereq_calls_ > 1 && !self->allow_resend_) {
      self->callback_error_ = std::make_exception_ptr(APIConnectionError(
          "Connection error: the connection closed before any response; the request was not sent again "
          "because the operation is not idempotent",
          self->method_, self->url_, static_cast<int>(CURLE_SEND_ERROR), "connection died after sending",
          /*request_sent=*/true));
      return CURL_PREREQFUNC_ABORT;
    }
    self->connected_ = true;
    self->connected_at_ = Clock::now();
    self->notify();
    // A small inline body is written together with the headers, right after this call.
    if (self->inline_body_) self->upload_done_ = true;
    if (self->upload_done_) self->upload_done_at_ = self->connected_at_;
    return CURL_PREREQFUNC_OK;
  }

  static int on_xferinfo(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
    auto* self = static_cast<Transfer*>(user);
    TransferProgress progress;
    progress.uploaded = static_cast<std::uint64_t>(std::max<curl_off_t>(0, ulnow));
    progress.upload_total = ultotal > 0 ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(ultotal))
                                        : self->upload_total_;
    progress.downloaded = static_cast<std::uint64_t>(std::max<curl_off_t>(0, dlnow));
    if (dltotal > 0) progress.download_total = static_cast<std::uint64_t>(dltotal);
    // libcurl calls this often, also while nothing moves: the caller hears about changes only.
    if (self->last_progress_ && *self->last_progress_ == progress) return 0;
    self->last_progress_ = progress;
    try {
      if (!self->on_progress_(progress)) {
        self->user_aborted_ = true;
        return 1;
      }
    } catch (...) {
      self->callback_error_ = std::current_exception();
      return 1;
    }
    return 0;
  }

  std::shared_ptr<Pool> pool_;
  Generation* generation_ = nullptr;  // owned by the pool; outlives every transfer of its process
  std::unique_ptr<Slot> slot_;
  std::unique_ptr<EasyHandle> easy_;
  bool attached_ = false;
  CURLM* loop_multi_ = nullptr;  // set within an asynchronous call (then there is no slot)
  smarter::detail::fibers::Fiber* waiter_ = nullptr;  // the call parked on this transfer

  std::string method_;
  std::string url_;
  std::string effective_url_;
  TransferLimits limits_;
  bool allow_resend_;
  int prereq_calls_ = 0;  // how often libcurl was about to send the request
  bool inline_body_ = false;  // the body went to libcurl whole (CURLOPT_POSTFIELDS)
  std::function<bool(TransferProgress const&)> on_progress_;
  std::optional<TransferProgress> last_progress_;  // what on_progress_ was last told
  std::shared_ptr<BodySource> source_;
  std::string body_;
  std::uint64_t body_offset_ = 0;
  std::optional<std::uint64_t> upload_total_;
  curl_slist* header_list_ = nullptr;
  std::array<char, CURL_ERROR_SIZE + 1> errbuf_{};
  std::optional<milliseconds> connect_limit_;

  // Clock marks used by check_limits().
  Clock::time_point start_{};
  Clock::time_point connected_at_{};
  Clock::time_point upload_done_at_{};
  Clock::time_point last_send_{};
  Clock::time_point last_recv_{};
  bool connected_ = false;
  bool upload_done_ = false;

  // The header blocks being received, and the final one once known.
  http::detail::HeaderBlockParser headers_parser_;
  bool headers_done_ = false;
  int status_ = 0;
  Headers headers_;

  // Body bytes received but not yet read.
  std::string buffer_;
  std::size_t offset_ = 0;
  bool paused_ = false;

  bool done_ = false;
  CURLcode result_ = CURLE_OK;
  bool user_aborted_ = false;
  bool closed_ = false;
  std::exception_ptr callback_error_;
  std::exception_ptr error_;
};

/// The body of a response from CurlTransport: reads pull the transfer forward.
class CurlBody final : public ResponseBody {
 public:
  explicit CurlBody(std::unique_ptr<Transfer> transfer) : transfer_(std::move(transfer)) {}
  std::size_t read(char* buffer, std::size_t max) override { return transfer_->read(buffer, max); }
  void close() noexcept override { transfer_->close(); }

 private:
  std::unique_ptr<Transfer> transfer_;
};

}  // namespace curl_detail

class CurlTransport::Impl final : public curl_detail::Pool {
 public:
  using Pool::Pool;
};

void global_init() {
  static bool const ok = [] {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  }();
  if (!ok) throw SmarterError("libcurl global initialisation failed");
}

CurlTransport::CurlTransport(HttpClientOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {}

CurlTransport::~CurlTransport() = default;

HttpResponse CurlTransport::send(HttpRequest const& request) {
  auto transfer = std::make_unique<curl_detail::Transfer>(impl_, request);
  transfer->wait_for_headers();
  HttpResponse response;
  response.status_code = transfer->status();
  response.headers = transfer->take_headers();
  response.url = transfer->effective_url();
  response.body = std::make_unique<curl_detail::CurlBody>(std::move(transfer));
  return response;
}

std::string CurlTransport::curl_version() {
  curl_version_info_data const* info = curl_version_info(CURLVERSION_NOW);
  return info != nullptr && info->version != nullptr ? std::string(info->version) : std::string();
}

}  // namespace smarter::http
