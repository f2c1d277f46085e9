// The loopback fake server, on cpp-httplib.
//
// httplib does the HTTP parsing; every method is routed to one catch-all handler so that the
// scripted queue and our own routes decide the answer. Two things httplib cannot do are done
// at the socket level, which is why we accept connections ourselves: dropping a connection
// without a response, and closing idle keep-alive connections at once when the server stops
// (httplib would wait out its keep-alive timeout).
#include <smarter/testkit/fake_server.hpp>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <list>
#include <deque>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <stdexcept>
#include <thread>

#include <httplib.h>
#include <fmt/format.h>
#include "ascii.hpp"

namespace smarter::testkit {
namespace {

// httplib compresses bodies when the client accepts it; tests want the bytes as scripted, so
// the header is hidden from httplib under this name and restored in the log.
constexpr char const* kStashedAcceptEncoding = "X-Fake-Server-Accept-Encoding";
// httplib parses multipart/form-data bodies itself and then cannot hand out the raw bytes (its
// plain reader throws bad_function_call); the header is hidden the same way so routes get them.
constexpr char const* kStashedContentType = "X-Fake-Server-Content-Type";
constexpr std::size_t kPieceSize = 64 * 1024;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      params.emplace_back(percent_decode(part), std::string());
    } else {
      params.emplace_back(percent_decode(part.substr(0, eq)), percent_decode(part.substr(eq + 1)));
    }
  }
  return params;
}

// httplib 0.11 keeps process_and_close_socket() private, yet it is the one entry point that
// serves an accepted socket. We run the accept loop ourselves (so that we know every connection's
// descriptor) and call it through a member pointer taken in an explicit instantiation, where
// access checking does not apply ([temp.spec]/6 in C++17).
using ServeSocket = bool (httplib::Server::*)(int);
struct ServeSocketTag {
  friend ServeSocket serve_socket_member(ServeSocketTag);
};
template <ServeSocket Member>
struct ServeSocketAccess {
  friend ServeSocket serve_socket_member(ServeSocketTag) { return Member; }
};
template struct ServeSocketAccess<&httplib::Server::process_and_close_socket>;

/// httplib's server, served from our own accept loop.
class HttpServer final : public httplib::Server {
 public:
  /// httplib keeps a keep-alive connection open only while this holds a valid socket.
  void set_listener(int fd) { svr_sock_ = fd; }
  /// Makes keep-alive loops and content providers wind down.
  void clear_listener() { svr_sock_ = INVALID_SOCKET; }
  /// Serves one accepted connection until it closes; closes `fd`.
  bool serve(int fd) { return (this->*serve_socket_member(ServeSocketTag{}))(fd); }
};

/// The socket of the connection the current thread serves (one thread per connection).
thread_local int current_socket = -1;

int open_listener(std::string const& host, int& port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string const service = std::to_string(port);  // 0: the system picks a free port
  if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr) {
    throw std::runtime_error("FakeServer: cannot resolve " + host);
  }
  int fd = -1;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 128) == 0) break;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(found);
  if (fd < 0) throw std::runtime_error("FakeServer: could not listen on " + host + ":" + service);
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = addr.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6 const&>(addr).sin6_port)
                                    : ntohs(reinterpret_cast<sockaddr_in const&>(addr).sin_port);
  return fd;
}

/// Writes all of `data` to `fd`; false when the peer went away.
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t const n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

/// Copies generated body bytes [offset, offset + n) into `out`.
void fill_generated(char* out, std::uint64_t offset, std::size_t n) {
  static std::string const table = [] {
    std::string t(kPieceSize + 26, '\0');
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = generated_body_byte(i);
    return t;
  }();
  while (n > 0) {
    std::size_t const step = std::min(n, kPieceSize);
    std::memcpy(out, table.data() + offset % 26, step);
    out += step;
    offset += step;
    n -= step;
  }
}

std::string content_type_of(FakeResponse const& response) {
  for (auto const& [name, value] : response.headers) {
    if (smarter::detail::iequals(name, "Content-Type")) return value;
  }
  if (!response.chunks.empty() || response.generated_body_size || !response.body_file.empty()) {
    return "application/octet-stream";
  }
  auto first = response.body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (response.body[first] == '{' || response.body[first] == '[')) {
    return "application/json";
  }
  return "text/plain";
}

}  // namespace

FakeResponse FakeResponse::json(int status, nlohmann::json const& body) {
  FakeResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = body.dump();
  return r;
}

FakeResponse FakeResponse::raw_bytes(std::string bytes) {
  FakeResponse r;
  r.raw.push_back(BodyChunk{std::move(bytes), std::chrono::milliseconds(0)});
  return r;
}

FakeResponse FakeResponse::text(int status, std::string body, std::string content_type) {
  FakeResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
  for (auto const& [key, value] : headers) {
    if (smarter::detail::iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::optional<std::string> RecordedRequest::param(std::string_view name) const {
  for (auto const& [key, value] : params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

nlohmann::json RecordedRequest::json() const {
  return nlohmann::json::parse(body);
}

class FakeServer::Impl {
 public:
  explicit Impl(Options options) : host_(std::move(options.host)), port_(options.port) {
    // A client that hangs up mid-response must not kill the test process.
    std::signal(SIGPIPE, SIG_IGN);

    server_.set_keep_alive_max_count(1000000);
    server_.set_keep_alive_timeout(5);
    server_.set_pre_routing_handler([](httplib::Request const& req, httplib::Response&) {
      // The object is not const at its origin; only the handler signature is.
      auto& mutable_req = const_cast<httplib::Request&>(req);
      auto range = mutable_req.headers.equal_range("Accept-Encoding");
      std::vector<std::string> values;
      for (auto it = range.first; it != range.second; ++it) values.push_back(it->second);
      mutable_req.headers.erase("Accept-Encoding");
      for (auto& v : values) mutable_req.headers.emplace(kStashedAcceptEncoding, std::move(v));
      if (mutable_req.is_multipart_form_data()) {
        std::string content_type = mutable_req.get_header_value("Content-Type");
        mutable_req.headers.erase("Content-Type");
        mutable_req.headers.emplace(kStashedContentType, std::move(content_type));
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    auto plain = [this](httplib::Request const& req, httplib::Response& res) { handle(req, res, nullptr); };
    auto with_reader = [this](httplib::Request const& req, httplib::Response& res,
                              httplib::ContentReader const& reader) { handle(req, res, &reader); };
    server_.Get(".*", plain);
    server_.Options(".*", plain);
    server_.Post(".*", with_reader);
    server_.Put(".*", with_reader);
    server_.Patch(".*", with_reader);
    server_.Delete(".*", with_reader);
    server_.set_exception_handler([](httplib::Request const&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "unknown exception";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (std::exception const& e) {
        what = e.what();
      } catch (...) {
      }
      res.status = 500;
      res.set_content(nlohmann::json{{"error", {{"message", "handler threw: " + what}}}}.dump(),
                      "application/json");
    });

    listen_fd_ = open_listener(host_, port_);
    server_.set_listener(listen_fd_);
    accept_thread_ = std::thread([this] { accept_loop(); });
  }

  ~Impl() { stop(); }

  void stop() {
    std::lock_guard<std::mutex> stop_lock(stop_mutex_);
    if (stopped_) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();  // cuts scripted pauses short
    server_.clear_listener();
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes the accept loop's poll() at once
    if (accept_thread_.joinable()) accept_thread_.join();
    ::close(listen_fd_);
    std::list<std::shared_ptr<Connection>> connections;
    {
      std::lock_guard<std::mutex> lock(sockets_mutex_);
      for (auto const& c : sockets_) {
        // Ends idle keep-alive waits and blocked reads or writes at once.
        if (c->shadow >= 0) ::shutdown(c->shadow, SHUT_RDWR);
      }
      connections.swap(sockets_);
    }
    for (auto& c : connections) {
      if (c->thread.joinable()) c->thread.join();
    }
    stopped_ = true;
  }

  std::string const& host() const { return host_; }
  int port() const { return port_; }

  void enqueue(FakeResponse response) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(response));
  }
  std::size_t pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size();
  }
  void clear_queue() {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.clear();
  }

  void add_route(std::string method, std::string const& pattern, Handler handler, StreamingHandler streaming) {
    for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    Route route{std::move(method), std::regex(pattern), std::move(handler), std::move(streaming)};
    std::lock_guard<std::mutex> lock(mutex_);
    routes_.push_back(std::make_shared<Route const>(std::move(route)));
  }

  void add_interceptor(Interceptor interceptor) {
    std::lock_guard<std::mutex> lock(mutex_);
    interceptors_.push_back(std::make_shared<Interceptor const>(std::move(interceptor)));
  }

  void set_latency(std::chrono::milliseconds latency) {
    latency_ms_.store(std::max<std::int64_t>(0, static_cast<std::int64_t>(latency.count())));
  }
  std::chrono::milliseconds latency() const { return std::chrono::milliseconds(latency_ms_.load()); }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return log_;
  }
  std::size_t request_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return log_.size();
  }
  void clear_requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    log_.clear();
    connections_.clear();
  }
  std::size_t connection_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return connections_.size();
  }

 private:
  struct Route {
    std::string method;
    std::regex path;
    Handler handler;
    StreamingHandler streaming;
  };

  /// Sleeps for `d` unless the server stops first; false when it stopped.
  bool pause(std::chrono::milliseconds d) {
    if (d.count() <= 0) return !is_stopping();
    std::unique_lock<std::mutex> lock(mutex_);
    return !wake_.wait_for(lock, d, [this] { return stopping_; });
  }
  bool is_stopping() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stopping_;
  }

  static RecordedRequest head_of(httplib::Request const& req) {
    RecordedRequest rec;
    rec.method = req.method;
    rec.path = req.path;
    rec.target = req.target;
    auto q = req.target.find('?');
    if (q != std::string::npos) {
      rec.query = req.target.substr(q + 1);
      auto hash = rec.query.find('#');
      if (hash != std::string::npos) rec.query.resize(hash);
      rec.params = parse_query(rec.query);
    }
    for (auto const& [name, value] : req.headers) {
      if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" || name == "LOCAL_PORT") {
        continue;  // httplib's own bookkeeping, not sent by the client
      }
      rec.headers.emplace_back(smarter::detail::iequals(name, kStashedAcceptEncoding) ? "Accept-Encoding"
                               : smarter::detail::iequals(name, kStashedContentType) ? "Content-Type"
                                                                    : name,
                               value);
    }
    rec.remote_port = req.remote_port;
    rec.connection_id = fmt::format("{}:{}", req.remote_addr, req.remote_port);
    rec.received_at = std::chrono::system_clock::now();
    return rec;
  }

  static bool has_request_body(httplib::Request const& req) {
    if (req.has_header("Transfer-Encoding")) return true;
    if (!req.has_header("Content-Length")) return false;  // httplib would read until EOF
    return req.get_header_value("Content-Length") != "0";
  }

  void record(RecordedRequest const& rec) {
    std::lock_guard<std::mutex> lock(mutex_);
    log_.push_back(rec);
    connections_.insert(rec.connection_id);
  }

  void handle(httplib::Request const& req, httplib::Response& res, httplib::ContentReader const* reader) {
    RecordedRequest rec = head_of(req);
    std::vector<std::shared_ptr<Interceptor const>> interceptors;
    std::shared_ptr<Route const> route;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      interceptors = interceptors_;
      route = match_route(rec);
    }
    // Interceptors run without the server's lock: they keep their own state and may take time.
    std::optional<FakeResponse> fixed;
    for (auto it = interceptors.rbegin(); it != interceptors.rend() && !fixed; ++it) fixed = (**it)(rec);
    if (!fixed) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!queue_.empty()) {
        fixed = std::move(queue_.front());
        queue_.pop_front();
        // The queue answers whatever the path: the request is logged as unrouted.
        route.reset();
        rec.path_groups.clear();
      }
    }
    bool const body_expected = reader != nullptr && has_request_body(req);

    if (route && route->streaming) {
      rec.body_streamed = true;
      bool used = false;
      std::uint64_t total = 0;
      BodyReader read_body = [&](BodySink const& sink) -> bool {
        if (used) return false;
        used = true;
        if (!body_expected) return true;
        return (*reader)([&](char const* data, std::size_t size) {
          total += size;
          return sink(data, size);
        });
      };
      // An intercepted upload is drained without being held: it may be gigabytes.
      FakeResponse response = fixed ? std::move(*fixed) : route->streaming(RecordedRequest(rec), read_body);
      if (!used) read_body([](char const*, std::size_t) { return true; });
      rec.body_size = total;
      record(rec);
      send(req, res, response);
      return;
    }

    if (body_expected) {
      std::string body;
      (*reader)([&](char const* data, std::size_t size) {
        body.append(data, size);
        return true;
      });
      rec.body = std::move(body);
    } else {
      rec.body = req.body;
    }
    rec.body_size = rec.body.size();
    record(rec);

    if (fixed) {
      send(req, res, *fixed);
    } else if (route) {
      send(req, res, route->handler(rec));
    } else {
      FakeResponse missing = FakeResponse::json(
          404, {{"error", {{"message", "no route"}, {"method", rec.method}, {"path", rec.path}}}});
      send(req, res, missing);
    }
  }

  /// The route answering `rec` (most recently added first), its path groups copied into `rec`.
  /// Called with `mutex_` held.
  std::shared_ptr<Route const> match_route(RecordedRequest& rec) const {
    std::smatch match;
    for (auto it = routes_.rbegin(); it != routes_.rend(); ++it) {
      if (((*it)->method == "*" || (*it)->method == rec.method || ((*it)->method == "GET" && rec.method == "HEAD")) &&
          std::regex_match(rec.path, match, (*it)->path)) {
        for (auto const& m : match) rec.path_groups.push_back(m.str());
        return *it;
      }
    }
    return nullptr;
  }

  /// Turns a FakeResponse into httplib's response, with the pauses and failures it asks for.
  void send(httplib::Request const& /*req*/, httplib::Response& res, FakeResponse const& response) {
    if (!pause(response.delay + latency())) {
      ::shutdown(current_socket, SHUT_RDWR);
      return;
    }
    if (response.drop_connection) {
      ::shutdown(current_socket, SHUT_RDWR);
      res.status = 500;  // never arrives: the socket is already shut down
      return;
    }
    if (!response.raw.empty()) {
      for (BodyChunk const& piece : response.raw) {
        if (!pause(piece.pause_before) || !write_all(current_socket, piece.data)) break;
      }
      ::shutdown(current_socket, SHUT_RDWR);
      res.status = 500;  // never arrives: the socket is already shut down
      return;
    }
    res.status = response.status;
    for (auto const& [name, value] : response.headers) {
      if (smarter::detail::iequals(name, "Content-Type") || smarter::detail::iequals(name, "Content-Length")) continue;
      res.set_header(name, value);
    }
    if (response.close_connection) res.set_header("Connection", "close");
    std::string const content_type = content_type_of(response);

    bool const chunked = response.chunked || !response.chunks.empty();
    bool const stalls = response.stall_for.count() > 0;
    if (!chunked && !stalls && !response.truncate_body && !response.generated_body_size &&
        response.body_file.empty()) {
      res.set_content(response.body, content_type);
      return;
    }

    // State shared by the provider calls of this one response.
    struct Progress {
      std::size_t chunk = 0;
      bool stalled = false;
      bool sent_plain = false;
    };
    auto progress = std::make_shared<Progress>();
    auto shared = std::make_shared<FakeResponse const>(response);
    std::shared_ptr<std::ifstream> file;
    std::uint64_t real_size = shared->body.size();
    if (!shared->body_file.empty()) {
      std::error_code ec;
      real_size = std::filesystem::file_size(shared->body_file, ec);
      file = std::make_shared<std::ifstream>(shared->body_file, std::ios::binary);
      if (ec || !*file) {
        res.status = 500;
        res.set_content(nlohmann::json{{"error", {{"message", "cannot read body_file"}}}}.dump(), "application/json");
        return;
      }
    } else if (shared->generated_body_size) {
      real_size = *shared->generated_body_size;
    }

    // Bytes [offset, offset + n) of the plain, generated or file body.
    auto piece = [shared, file](std::uint64_t offset, std::size_t n) {
      if (file) {
        std::string out(n, '\0');
        file->clear();
        file->seekg(static_cast<std::streamoff>(offset));
        file->read(out.data(), static_cast<std::streamsize>(n));
        out.resize(static_cast<std::size_t>(std::max<std::streamsize>(0, file->gcount())));
        return out;
      }
      if (!shared->generated_body_size) return shared->body.substr(static_cast<std::size_t>(offset), n);
      std::string out(n, '\0');
      fill_generated(out.data(), offset, n);
      return out;
    };

    if (chunked) {
      res.set_chunked_content_provider(
          content_type, [this, shared, progress, piece, real_size](std::size_t offset, httplib::DataSink& sink) {
            if (!shared->chunks.empty()) {
              if (progress->chunk >= shared->chunks.size()) {
                if (shared->truncate_body) return false;  // no final chunk: the body is cut short
                sink.done();
                return true;
              }
              BodyChunk const& chunk = shared->chunks[progress->chunk++];
              if (!pause(chunk.pause_before)) return false;
              return chunk.data.empty() || sink.write(chunk.data.data(), chunk.data.size());
            }
            if (offset >= real_size) {
              if (shared->truncate_body) return false;
              sink.done();
              return true;
            }
            std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kPieceSize, real_size - offset));
            if (shared->stall_for.count() > 0 && !progress->stalled) {
              if (offset >= shared->stall_after_bytes) {
                progress->stalled = true;
                if (!pause(shared->stall_for)) return false;
              } else {
                n = std::min<std::size_t>(n, shared->stall_after_bytes - static_cast<std::size_t>(offset));
              }
            }
            std::string const data = piece(offset, n);
            return !data.empty() && sink.write(data.data(), data.size());
          });
      return;
    }

    // Fixed length: a truncated body declares more than it sends, then the provider fails.
    std::uint64_t const declared = shared->truncate_body ? real_size + 100 : real_size;
    res.set_content_provider(
        static_cast<std::size_t>(declared), content_type,
        [this, shared, progress, piece, real_size](std::size_t offset, std::size_t /*length*/,
                                                   httplib::DataSink& sink) {
          if (offset >= real_size) return false;  // only reached when truncating
          std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kPieceSize, real_size - offset));
          if (shared->stall_for.count() > 0 && !progress->stalled) {
            if (offset >= shared->stall_after_bytes) {
              progress->stalled = true;
              if (!pause(shared->stall_for)) return false;
            } else {
              n = std::min<std::size_t>(n, shared->stall_after_bytes - offset);
            }
          }
          std::string const data = piece(offset, n);
          return !data.empty() && sink.write(data.data(), data.size());
        });
  }

  /// One accepted connection, served by its own thread.
  struct Connection {
    int shadow = -1;  ///< A dup of the socket, so stop() can shut it down without racing its close.
    std::thread thread;
    bool done = false;
  };

  void accept_loop() {
    while (!is_stopping()) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int const fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));  // chunk timing must show
      timeval limit{5, 0};  // as httplib's own loop does: a stuck peer cannot hold a thread forever
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
      start_connection(fd);
    }
  }

  void start_connection(int fd) {
    std::lock_guard<std::mutex> lock(sockets_mutex_);
    for (auto it = sockets_.begin(); it != sockets_.end();) {
      if ((*it)->done) {
        (*it)->thread.join();
        it = sockets_.erase(it);
      } else {
        ++it;
      }
    }
    auto connection = std::make_shared<Connection>();
    connection->shadow = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    connection->thread = std::thread([this, fd, connection] {
      current_socket = fd;
      server_.serve(fd);  // returns when the connection is over, with `fd` closed
      current_socket = -1;
      std::lock_guard<std::mutex> done_lock(sockets_mutex_);
      if (connection->shadow >= 0) ::close(connection->shadow);
      connection->shadow = -1;
      connection->done = true;
    });
    sockets_.push_back(std::move(connection));
  }

  std::string host_;
  int port_ = 0;
  int listen_fd_ = -1;
  HttpServer server_;
  std::thread accept_thread_;
  std::mutex sockets_mutex_;
  std::list<std::shared_ptr<Connection>> sockets_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::deque<FakeResponse> queue_;
  std::vector<std::shared_ptr<Route const>> routes_;
  std::vector<std::shared_ptr<Interceptor const>> interceptors_;
  std::atomic<std::int64_t> latency_ms_{0};
  std::vector<RecordedRequest> log_;
  std::set<std::string> connections_;

  std::mutex stop_mutex_;
  bool stopped_ = false;
};

FakeServer::FakeServer() : FakeServer(Options{}) {}

FakeServer::FakeServer(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

FakeServer::~FakeServer() = default;

std::string FakeServer::url() const {
  std::string const& h = impl_->host();
  std::string const host = h.find(':') != std::string::npos ? "[" + h + "]" : h;
  return fmt::format("http://{}:{}/", host, impl_->port());
}

int FakeServer::port() const { return impl_->port(); }

std::string const& FakeServer::host() const { return impl_->host(); }

void FakeServer::enqueue(FakeResponse response) { impl_->enqueue(std::move(response)); }

std::size_t FakeServer::pending_responses() const { return impl_->pending(); }

void FakeServer::clear_queue() { impl_->clear_queue(); }

void FakeServer::route(std::string method, std::string path_regex, Handler handler) {
  impl_->add_route(std::move(method), path_regex, std::move(handler), nullptr);
}

void FakeServer::route_streaming(std::string method, std::string path_regex, StreamingHandler handler) {
  impl_->add_route(std::move(method), path_regex, nullptr, std::move(handler));
}

void FakeServer::intercept(Interceptor interceptor) { impl_->add_interceptor(std::move(interceptor)); }

void FakeServer::set_latency(std::chrono::milliseconds latency) { impl_->set_latency(latency); }

std::chrono::milliseconds FakeServer::latency() const { return impl_->latency(); }

std::vector<RecordedRequest> FakeServer::requests() const { return impl_->requests(); }

std::size_t FakeServer::request_count() const { return impl_->request_count(); }

void FakeServer::clear_requests() { impl_->clear_requests(); }

std::size_t FakeServer::connection_count() const { return impl_->connection_count(); }

void FakeServer::stop() { impl_->stop(); }

}  // namespace smarter::testkit
