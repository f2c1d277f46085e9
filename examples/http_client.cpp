// Configuring the HTTP client and managing HTTP resources.
#include <iostream>
#include <memory>

#include <smarter/smarter.hpp>
#include <smarter/testkit/fake_server.hpp>

int main() {
  smarter::testkit::FakeServer server;
  for (int i = 0; i < 3; ++i) server.enqueue(smarter::testkit::FakeResponse::json(200, {{"i", i}}));

  // Settings of the default libcurl transport: proxy, local address, CA bundle, TLS verification.
  smarter::http::HttpClientOptions http;
  http.proxy = std::nullopt;                // e.g. "http://proxy.internal:3128"
  http.ca_bundle = std::nullopt;            // e.g. "/etc/ssl/certs/my-ca.pem"
  http.verify_tls = true;                   // the default; never turn it off in production
  http.connect_timeout = std::chrono::seconds(5);
  smarter::Smarter client({.api_key = "example-key", .base_url = server.url(), .http_options = http});

  // Or bring your own transport (anything implementing smarter::http::Transport), e.g. to add
  // tracing around the default one. Clients made by with_options share it and its connections.
  auto curl = std::make_shared<smarter::http::CurlTransport>(http);
  auto traced = std::make_shared<smarter::http::FunctionTransport>([curl](smarter::http::HttpRequest const& request) {
    std::cout << "-> " << request.method << " " << request.url << "\n";
    return curl->send(request);
  });
  smarter::Smarter custom({.api_key = "example-key", .base_url = server.url(), .http_client = traced});
  custom.request("POST", "cli/version/");
  custom.with_options({.max_retries = 0}).request("POST", "cli/version/");

  // Connections are pooled per transport and closed when the last client using it goes away;
  // a client is cheap to copy and safe to share between threads.
  {
    smarter::Smarter scoped = client;
    scoped.request("POST", "cli/status/");
  }
  std::cout << "connections opened: " << server.connection_count() << "\n";
  return 0;
}
