// What the client costs on top of the transport, and what connection reuse saves.
//
// Against an in-process fake server on 127.0.0.1, in one process, with bounded loops:
//   baseline   N requests straight through one CurlTransport (pooled connection)
//   client     N requests through smarter::Smarter (headers, retry loop, error mapping, JSON)
//   no-reuse   N requests, each through a fresh CurlTransport (a new TCP connection every time)
// Reported as ratios against the baseline run, never as absolute pass/fail thresholds.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <smarter/client.hpp>
#include <smarter/http/curl_transport.hpp>
#include <smarter/testkit/fake_server.hpp>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

smarter::http::HttpRequest make_request(std::string const& url) {
  smarter::http::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers.set("Content-Type", "application/json");
  request.body = R"({"prompt":"Hello, World!"})";
  return request;
}

}  // namespace

int main(int argc, char** argv) {
  int const n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2000;
  smarter::testkit::FakeServer server;
  std::string const body = R"({"data":{"ok":true,"items":[1,2,3]},"api":"smarter.sh/v1","metadata":{"command":"status"}})";
  server.route("POST", "/api/v1/cli/status/", [&body](smarter::testkit::RecordedRequest const&) {
    return smarter::testkit::FakeResponse::text(200, body, "application/json");
  });
  std::string const url = server.url() + "api/v1/cli/status/";

  // Warm-up: DNS, first connection, allocator.
  smarter::http::CurlTransport transport;
  for (int i = 0; i < 50; ++i) transport.send(make_request(url)).read_all();

  auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    auto response = transport.send(make_request(url));
    if (response.read_all().size() != body.size()) return 1;
  }
  double baseline = seconds_since(start);

  smarter::ClientOptions options;
  options.api_key = "bench-key";
  options.base_url = server.url() + "api/v1";
  smarter::Smarter client(options);
  nlohmann::json const prompt = {{"prompt", "Hello, World!"}};
  start = Clock::now();
  for (int i = 0; i < n; ++i) {
    if (!client.request("POST", "cli/status/", prompt).json()["data"]["ok"].get<bool>()) return 1;
  }
  double through_client = seconds_since(start);

  int const fresh_n = std::max(1, n / 4);
  start = Clock::now();
  for (int i = 0; i < fresh_n; ++i) {
    smarter::http::CurlTransport fresh;
    fresh.send(make_request(url)).read_all();
  }
  double no_reuse = seconds_since(start) * n / fresh_n;

  std::printf("requests: %d on 127.0.0.1 (no-reuse extrapolated from %d)\n", n, fresh_n);
  std::printf("baseline  (CurlTransport, pooled): %8.1f us/request  ratio 1.00\n", baseline / n * 1e6);
  std::printf("client    (smarter::Smarter):      %8.1f us/request  ratio %.2f\n", through_client / n * 1e6,
              through_client / baseline);
  std::printf("no-reuse  (new transport each):    %8.1f us/request  ratio %.2f\n", no_reuse / n * 1e6,
              no_reuse / baseline);
  std::printf("connections seen by the server: %zu\n", server.connection_count());
  return 0;
}
