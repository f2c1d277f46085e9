// HTTP/2 through AsyncSmarter: many calls in flight multiplexed over one connection. The bundled
// fake speaks HTTP/1.1 only, so these tests run nginx (installed by scripts/install-deps) on
// loopback as an HTTPS server offering HTTP/2 by ALPN (a throwaway certificate for 127.0.0.1),
// which logs each request's connection and protocol. (HTTP/2 over TLS, as the platform serves
// it: libcurl 7.88 fails every second request on a reused cleartext "prior knowledge" one.)
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/async.hpp>
#include <smarter/smarter.hpp>

extern char** environ;

namespace {

namespace fs = std::filesystem;

std::string find_nginx() {
  for (char const* candidate : {"/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"}) {
    if (fs::exists(candidate)) return candidate;
  }
  return "";
}

int free_port() {
  int const fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool accepts_connections(int port) {
  int const fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  bool const ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

constexpr char kCompletion[] =
    R"({"id":"chatcmpl-h2","object":"chat.completion","created":1742953097,"model":"gpt-4o-mini",)"
    R"("choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"over h2"}}]})";

/// nginx serving HTTP/2 cleartext on a loopback port; every answer is one chat completion, and
/// the access log records "<connection number> <protocol>" per request.
class Http2Server {
 public:
  Http2Server() {
    nginx_ = find_nginx();
    if (nginx_.empty()) return;
    dir_ = fs::temp_directory_path() / ("smarter-h2-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::create_directories(dir_);
    port_ = free_port();
    backend_port_ = free_port();
    std::string const command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                                "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
                                (dir_ / "key.pem").string() + " -out " + (dir_ / "cert.pem").string() +
                                " >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) return;
    std::ofstream(dir_ / "nginx.conf") << "daemon off;\nmaster_process off;\npid " << (dir_ / "nginx.pid").string()
                                       << ";\nerror_log " << (dir_ / "error.log").string()
                                       << ";\nevents { worker_connections 256; }\nhttp {\n"
                                       << "  log_format conn '$connection $server_protocol';\n"
                                       << "  access_log " << (dir_ / "access.log").string() << " conn;\n"
                                       << "  client_body_temp_path " << (dir_ / "body").string() << ";\n"
                                       << "  proxy_temp_path " << (dir_ / "proxy").string() << ";\n"
                                       // The HTTP/2 server reads each request body whole (proxying
                                       // buffers it) before it answers: answering first would reset
                                       // the stream while the client still sends.
                                       << "  server {\n    listen 127.0.0.1:" << port_ << " ssl http2;\n"
                                       << "    ssl_certificate " << (dir_ / "cert.pem").string() << ";\n"
                                       << "    ssl_certificate_key " << (dir_ / "key.pem").string() << ";\n"
                                       << "    location / { proxy_pass http://127.0.0.1:" << backend_port_
                                       << "; }\n  }\n"
                                       << "  server {\n    listen 127.0.0.1:" << backend_port_ << ";\n"
                                       << "    access_log off;\n"
                                       << "    location / { default_type application/json; return 200 '"
                                       << kCompletion << "'; }\n  }\n}\n";
    std::vector<std::string> args{nginx_, "-p", dir_.string(), "-e", (dir_ / "error.log").string(), "-c",
                                  (dir_ / "nginx.conf").string()};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, nginx_.c_str(), nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
    for (int i = 0; i < 100 && pid_ > 0 && !accepts_connections(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  ~Http2Server() {
    stop();
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  Http2Server(Http2Server const&) = delete;
  Http2Server& operator=(Http2Server const&) = delete;

  bool running() const { return pid_ > 0 && accepts_connections(port_); }
  std::string const& nginx() const { return nginx_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/"; }
  /// The server's certificate, to trust it.
  std::string certificate() const { return (dir_ / "cert.pem").string(); }

  /// Stops nginx (so its log is complete) and returns one "<connection> <protocol>" per request.
  std::vector<std::string> requests() {
    stop();
    std::vector<std::string> lines;
    std::ifstream log(dir_ / "access.log");
    for (std::string line; std::getline(log, line);) lines.push_back(line);
    return lines;
  }

 private:
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGQUIT);  // graceful: finishes and flushes
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  std::string nginx_;
  fs::path dir_;
  int port_ = 0;
  int backend_port_ = 0;
  pid_t pid_ = -1;
};

smarter::ClientOptions h2_options(Http2Server const& server) {
  smarter::ClientOptions options;
  options.api_key = "sk-test";
  options.base_url = server.url() + "v1";
  options.auth_scheme = smarter::AuthScheme::bearer;
  smarter::http::HttpClientOptions http;
  http.ca_bundle = server.certificate();
  options.http_options = http;
  return options;
}

smarter::ChatCompletionCreateParams question(int i) {
  smarter::ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.messages.push_back(smarter::ChatMessage::user("question " + std::to_string(i)));
  return params;
}

}  // namespace

TEST(AsyncHttp2IT, ManyCallsInFlightShareOneConnection) {
  Http2Server server;
  ASSERT_FALSE(server.nginx().empty()) << "nginx is not installed: run scripts/install-deps";
  ASSERT_TRUE(server.running()) << "nginx did not start";
  constexpr int kCalls = 200;
  {
    smarter::AsyncOptions async;
    async.max_connections_per_host = 1;
    smarter::AsyncSmarter client(h2_options(server), async);
    std::vector<smarter::Future<smarter::ChatCompletion>> calls;
    for (int i = 0; i < kCalls; ++i) calls.push_back(client.chat().completions().create(question(i)));
    for (auto& call : calls) {
      smarter::ChatCompletion completion = call.get();
      EXPECT_EQ(completion.id, "chatcmpl-h2");
      ASSERT_FALSE(completion.choices.empty());
      EXPECT_EQ(completion.choices.front().message.content.value_or(""), "over h2");
    }
  }
  std::vector<std::string> const requests = server.requests();
  ASSERT_EQ(requests.size(), static_cast<std::size_t>(kCalls));
  std::set<std::string> connections;
  for (std::string const& line : requests) {
    std::istringstream fields(line);
    std::string connection;
    std::string protocol;
    fields >> connection >> protocol;
    EXPECT_EQ(protocol, "HTTP/2.0") << line;
    connections.insert(connection);
  }
  EXPECT_EQ(connections.size(), 1u) << "every call should be a stream of the same HTTP/2 connection";
}

TEST(AsyncHttp2IT, TheSyncClientSpeaksHttp2Too) {
  Http2Server server;
  ASSERT_FALSE(server.nginx().empty()) << "nginx is not installed: run scripts/install-deps";
  ASSERT_TRUE(server.running()) << "nginx did not start";
  smarter::Smarter client(h2_options(server));
  EXPECT_EQ(client.chat().completions().create(question(1)).id, "chatcmpl-h2");
  EXPECT_EQ(client.chat().completions().create(question(2)).id, "chatcmpl-h2");
  std::vector<std::string> const requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].substr(requests[0].find(' ') + 1), "HTTP/2.0");
  EXPECT_EQ(requests[0].substr(0, requests[0].find(' ')), requests[1].substr(0, requests[1].find(' ')))
      << "the second call should reuse the first one's connection";
}
