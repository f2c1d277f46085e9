// TLS as it must stay: certificates are verified against the system or a given CA bundle, the host
// name must match, verification is off only when asked, and a redirect never leaves https for
// plain http. A throwaway CA and server certificates are made with the openssl tool per run.
#include <smarter/client.hpp>
#include <smarter/errors.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <smarter/testkit/fake_server.hpp>

namespace smarter {
namespace {

namespace fs = std::filesystem;
using smarter::testkit::FakeResponse;
using smarter::testkit::FakeServer;
using ::testing::HasSubstr;

constexpr char kKey[] = "sk-tls-0123456789";

/// A CA, a server certificate it signed for 127.0.0.1/localhost, one it signed for another host,
/// and a self-signed one: made once per test binary run in a temporary folder.
class Certificates {
 public:
  Certificates() : dir_(fs::temp_directory_path() / ("smarter-tls-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
    std::string const ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    run("openssl req -x509 " + ec + " -keyout ca.key -out ca.pem -days 2 -subj '/CN=smarter test CA'");
    leaf("good", "localhost", "DNS:localhost,IP:127.0.0.1");
    leaf("wrong", "other.example", "DNS:other.example");
    run("openssl req -x509 " + ec + " -keyout self.key -out self.pem -days 2 -subj '/CN=localhost' "
        "-addext 'subjectAltName=DNS:localhost,IP:127.0.0.1'");
  }
  ~Certificates() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string path(std::string const& name) const { return (dir_ / name).string(); }

 private:
  void leaf(std::string const& name, std::string const& cn, std::string const& san) {
    std::ofstream(dir_ / (name + ".ext")) << "subjectAltName=" << san << "\n";
    run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + name + ".key -out " + name +
        ".csr -subj '/CN=" + cn + "'");
    run("openssl x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -out " + name +
        ".pem -days 2 -extfile " + name + ".ext");
  }

  void run(std::string const& command) const {
    std::string const full = "cd '" + dir_.string() + "' && " + command + " >/dev/null 2>&1";
    if (std::system(full.c_str()) != 0) throw std::runtime_error("failed: " + command);
  }

  fs::path dir_;
};

Certificates const& certificates() {
  static Certificates const kCertificates;
  return kCertificates;
}

/// An https server on 127.0.0.1 presenting `cert`.
class TlsServer {
 public:
  TlsServer(std::string const& cert, std::string const& key)
      : server_(certificates().path(cert).c_str(), certificates().path(key).c_str()) {
    server_.Get("/api/v1/hello", [this](httplib::Request const&, httplib::Response& res) {
      ++requests_;
      res.set_content(R"({"hello":"tls"})", "application/json");
    });
    server_.Get("/api/v1/downgrade", [this](httplib::Request const&, httplib::Response& res) {
      ++requests_;
      res.status = 307;
      res.set_header("Location", downgrade_to_);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    // Bound and listening already: connections wait in the backlog until the loop accepts them.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~TlsServer() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/api/v1"; }
  int requests() const { return requests_.load(); }
  void downgrade_to(std::string location) { downgrade_to_ = std::move(location); }

 private:
  httplib::SSLServer server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> requests_{0};
  std::string downgrade_to_;
};

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (char const* name : {"SMARTER_API_KEY", "SMARTER_BASE_URL", "SMARTER_ENVIRONMENT", "SMARTER_LOG"}) {
      unsetenv(name);
    }
  }

  static ClientOptions options(TlsServer const& server) {
    ClientOptions options;
    options.api_key = kKey;
    options.base_url = server.url();
    options.retry.initial_delay = 0.01;
    options.retry.max_delay = 0.02;
    return options;
  }

  static http::HttpClientOptions trusting_test_ca() {
    http::HttpClientOptions http;
    http.ca_bundle = certificates().path("ca.pem");
    return http;
  }
};

TEST_F(TlsTest, ACaBundleMakesTheServerTrusted) {
  TlsServer server("good.pem", "good.key");
  ClientOptions opts = options(server);
  opts.http_options = trusting_test_ca();
  EXPECT_EQ(Smarter(opts).request("GET", "hello").json()["hello"], "tls");
}

TEST_F(TlsTest, AnUnknownIssuerIsRefusedAndNotRetried) {
  TlsServer server("self.pem", "self.key");
  int retries = 0;
  ClientOptions opts = options(server);
  opts.log_level = LogLevel::info;
  opts.log_handler = [&](LogLevel, std::string_view line) { retries += line.find("retrying") != std::string_view::npos; };
  try {
    Smarter(opts).request("GET", "hello");
    FAIL() << "expected APIConnectionError";
  } catch (APIConnectionError const& e) {
    EXPECT_EQ(e.curl_code(), 60) << e.what();  // CURLE_PEER_FAILED_VERIFICATION
    EXPECT_FALSE(e.request_sent());
  }
  EXPECT_EQ(retries, 0) << "a certificate problem fails the same way every time";
  EXPECT_EQ(server.requests(), 0);
}

TEST_F(TlsTest, AWrongHostNameIsRefusedEvenFromATrustedIssuer) {
  TlsServer server("wrong.pem", "wrong.key");
  ClientOptions opts = options(server);
  opts.http_options = trusting_test_ca();
  try {
    Smarter(opts).request("GET", "hello");
    FAIL() << "expected APIConnectionError";
  } catch (APIConnectionError const& e) {
    EXPECT_EQ(e.curl_code(), 60) << e.what();
  }
  EXPECT_EQ(server.requests(), 0);
}

TEST_F(TlsTest, VerificationIsOffOnlyWhenAskedFor) {
  TlsServer server("self.pem", "self.key");
  ClientOptions opts = options(server);
  http::HttpClientOptions insecure;
  insecure.verify_tls = false;
  opts.http_options = insecure;
  EXPECT_EQ(Smarter(opts).request("GET", "hello").json()["hello"], "tls");
}

TEST_F(TlsTest, ARedirectNeverLeavesHttpsForPlainHttp) {
  FakeServer plain;
  plain.enqueue(FakeResponse::json(200, {{"leaked", true}}));
  TlsServer server("good.pem", "good.key");
  server.downgrade_to(plain.url() + "api/v1/collect");
  ClientOptions opts = options(server);
  opts.http_options = trusting_test_ca();
  try {
    Smarter(opts).request("GET", "downgrade");
    FAIL() << "expected APIStatusError";
  } catch (APIStatusError const& e) {
    EXPECT_EQ(e.status_code(), 307);
    EXPECT_THAT(e.what(), HasSubstr("from https to plain http"));
  }
  EXPECT_EQ(plain.request_count(), 0u);
}

}  // namespace
}  // namespace smarter
