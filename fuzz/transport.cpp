// Fuzz target `transport`: raw HTTP responses through the real client stack — libcurl, the
// CurlTransport's header and body handling, the client core's limits and error mapping, the
// typed decoders and the server-sent-event stream — over a loopback socket.
//
// For each input a server thread answers every connection the client opens with the input's
// bytes verbatim (status line, headers and body are all fuzzed) and closes it. The client is a
// fresh smarter::Smarter (no retries, 2 s timeout, 1 MiB bodies, 64 KiB of headers, Bearer
// auth; a flag bit swaps in much smaller limits), so connections never carry over from one
// input to the next.
//
// Checks:
//   - client.request("GET", "x"), and with flag bits files().retrieve("f"), a streamed chat
//     completion iterated to its end, and whoami(), return or throw SmarterError (any subclass:
//     connection errors, status errors, validation errors, limits); nothing else escapes and
//     nothing crashes, leaks or trips a sanitizer;
//   - a response that was accepted respects the limits: body within max_response_bytes;
//   - no call hangs: each input takes well under a second (libFuzzer runs with -timeout=10);
//   - a redirect to another origin never carries the API key (checked in the transport gate).
//
// Proxies are off and the transport gate refuses every URL but the loopback server's, so a
// fuzzed Location header can never send traffic anywhere else.
//
// Input layout: byte 0 is the flag byte, the rest is written to the socket as the response.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include <smarter/smarter.hpp>

#include "fuzz_support.hpp"

namespace {

constexpr char kTarget[] = "transport";

constexpr std::size_t kMaxResponseBytes = 1 << 20;
constexpr std::size_t kMaxHeaderBytes = 64 << 10;

[[noreturn]] void die(char const* what) {
  std::fprintf(stderr, "transport fuzz target: %s: %s\n", what, std::strerror(errno));
  std::abort();
}

// Case-insensitive search for `needle` (lower-case) in `text`.
std::size_t find_lower(std::string_view text, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    bool match = true;
    for (std::size_t j = 0; j < needle.size() && match; ++j) {
      char c = text[i + j];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      match = c == needle[j];
    }
    if (match) return i;
  }
  return std::string_view::npos;
}

/// A loopback listener created once per process. serve() answers connections with one fixed
/// response until stop() is called from another thread.
class LoopbackServer {
 public:
  static LoopbackServer& instance() {
    static LoopbackServer server;  // one listener for the whole run; intentionally never closed
    return server;
  }

  int port() const noexcept { return port_; }

  /// Answers every connection with `response` until stop(). Runs on the server thread.
  void serve(std::string_view response) {
    for (;;) {
      pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      // The timeout is only a safety net; stop() normally wakes the poll at once.
      int const ready = ::poll(fds, 2, 10000);
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return;
      if (fds[1].revents != 0) {
        char byte;
        (void)!::read(wake_[0], &byte, 1);
        return;
      }
      if ((fds[0].revents & POLLIN) == 0) continue;
      int const connection = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (connection < 0) continue;
      answer(connection, response);
      ::close(connection);
    }
  }

  /// Makes serve() return (call once per serve).
  void stop() {
    char const byte = 1;
    if (::write(wake_[1], &byte, 1) != 1) die("write(wake)");
  }

 private:
  LoopbackServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) die("socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;  // any free port
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("bind");
    if (::listen(listen_fd_, 16) != 0) die("listen");
    socklen_t length = sizeof address;
    if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) die("getsockname");
    port_ = ntohs(address.sin_port);
    if (::pipe2(wake_, O_CLOEXEC) != 0) die("pipe2");
  }

  // Reads the request (head, then a Content-Length body, both bounded) so that closing the
  // socket sends a FIN rather than a reset that could destroy the response in flight, writes
  // the response verbatim and half-closes.
  static void answer(int connection, std::string_view response) {
    timeval limit{};
    limit.tv_sec = 2;
    ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    std::string request;
    char buffer[4096];
    std::size_t head_end = std::string::npos;
    while (head_end == std::string::npos && request.size() < 64 * 1024) {
      ssize_t const n = ::recv(connection, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      request.append(buffer, static_cast<std::size_t>(n));
      head_end = request.find("\r\n\r\n");
    }
    if (head_end == std::string::npos) return;
    std::size_t body = 0;
    std::size_t const at = find_lower(std::string_view(request).substr(0, head_end), "\ncontent-length:");
    if (at != std::string::npos) body = std::strtoul(request.c_str() + at + 16, nullptr, 10);
    std::size_t const wanted = head_end + 4 + std::min<std::size_t>(body, 1 << 20);
    while (request.size() < wanted) {
      ssize_t const n = ::recv(connection, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      request.append(buffer, static_cast<std::size_t>(n));
    }
    std::size_t sent = 0;
    while (sent < response.size()) {
      ssize_t const n = ::send(connection, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;  // the client gave up (a limit, an error): fine
      sent += static_cast<std::size_t>(n);
    }
    ::shutdown(connection, SHUT_WR);
  }

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  int port_ = 0;
};

// The client's transport: the real CurlTransport, behind a gate that lets requests reach this
// process's loopback server only. The client follows redirects itself, so a fuzzed Location may
// name any host: such a request is checked (credentials must have been dropped on the way to
// another origin) and refused as a connection failure, so nothing ever leaves the machine.
std::shared_ptr<smarter::http::Transport> gated_transport(int port) {
  smarter::http::HttpClientOptions http;
  http.proxy = "";  // never a proxy from the environment
  http.no_proxy = "*";
  auto curl = std::make_shared<smarter::http::CurlTransport>(http);
  std::string const origin = "http://127.0.0.1:" + std::to_string(port) + "/";
  return std::make_shared<smarter::http::FunctionTransport>(
      [curl, origin](smarter::http::HttpRequest const& request) -> smarter::http::HttpResponse {
        if (request.url.compare(0, origin.size(), origin) == 0) return curl->send(request);
        std::string const scheme = request.url.substr(0, request.url.find(':'));
        SMARTER_FUZZ_CHECK(kTarget, scheme == "http" || scheme == "https",
                           "the client sent a request with scheme " + smarter_fuzz::show(scheme));
        for (auto const& [name, value] : request.headers) {
          SMARTER_FUZZ_CHECK(kTarget, !smarter::http::header_name_equals(name, "authorization") &&
                                          value.find("sk-fuzz") == std::string::npos,
                             "credentials sent to another origin: " + smarter_fuzz::show(request.url));
        }
        throw smarter::APIConnectionError("fuzz: only the loopback server may be contacted", request.method,
                                          request.url);
      });
}

smarter::Smarter make_client(int port, bool small_limits) {
  smarter::ClientOptions options;
  options.api_key = "sk-fuzz";
  options.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  options.auth_scheme = smarter::AuthScheme::bearer;
  options.max_retries = 0;
  options.timeout = smarter::Timeout(2.0);
  options.max_response_bytes = small_limits ? 1024 : kMaxResponseBytes;
  options.limits.max_header_bytes = small_limits ? 512 : kMaxHeaderBytes;
  if (small_limits) {
    options.limits.max_json_depth = 8;
    options.limits.max_sse_line_bytes = 256;
    options.limits.max_sse_event_bytes = 1024;
  }
  options.log_level = smarter::LogLevel::off;
  options.platform = smarter::PlatformGeneration::v0_14;
  options.http_client = gated_transport(port);
  return smarter::Smarter(options);
}

void run_calls(smarter::Smarter const& client, std::uint8_t flags) {
  std::size_t const max_body = (flags & 0x02) ? 1024 : kMaxResponseBytes;
  smarter_fuzz::allow_smarter_error(kTarget, "Smarter::request", [&] {
    smarter::RawResponse const raw = client.request("GET", "x");
    SMARTER_FUZZ_CHECK(kTarget, raw.body.size() <= max_body,
                       "a body of " + std::to_string(raw.body.size()) + " bytes passed max_response_bytes");
    (void)raw.request_id();
    (void)raw.content_type();
    smarter_fuzz::allow_smarter_error(kTarget, "RawResponse::json", [&] { (void)raw.json(); });
  });
  if (flags & 0x01) {
    smarter_fuzz::allow_smarter_error(kTarget, "files().retrieve", [&] {
      smarter::FileObject const file = client.files().retrieve("f");
      (void)file.to_json();
    });
    smarter_fuzz::allow_smarter_error(kTarget, "chat().completions().create_stream", [&] {
      smarter::ChatCompletionCreateParams params;
      params.model = "gpt-fuzz";
      params.messages = {smarter::ChatMessage::user("hi")};
      auto stream = client.chat().completions().create_stream(params);
      smarter::ChatCompletionAccumulator accumulator;
      for (auto const& chunk : stream) accumulator.add(chunk);
      (void)stream.is_closed();
    });
  }
  if (flags & 0x04) {
    smarter_fuzz::allow_smarter_error(kTarget, "whoami", [&] { (void)client.whoami().to_json(); });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  static bool const initialised = [] {
    // The environment must not redirect the client (SMARTER_BASE_URL) or turn on logging.
    for (char const* name : {"SMARTER_API_KEY", "SMARTER_BASE_URL", "SMARTER_ENVIRONMENT", "SMARTER_LOG"}) {
      ::unsetenv(name);
    }
    std::signal(SIGPIPE, SIG_IGN);
    smarter::http::global_init();
    return true;
  }();
  (void)initialised;

  smarter_fuzz::Input input(data, size);
  std::uint8_t const flags = input.byte();
  std::string_view const response = input.rest();

  LoopbackServer& server = LoopbackServer::instance();
  std::thread thread([&server, response] { server.serve(response); });
  try {
    smarter::Smarter const client = make_client(server.port(), (flags & 0x02) != 0);
    run_calls(client, flags);
  } catch (...) {
    // make_client is not expected to fail; stop the server before reporting.
    server.stop();
    thread.join();
    smarter_fuzz::unexpected_exception(kTarget, "client set-up");
  }
  server.stop();
  thread.join();
  return 0;
}
