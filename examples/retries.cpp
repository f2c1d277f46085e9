// Retries: connection errors, timeouts, 408, 409, 429 and >= 500 are retried with backoff.
#include <iostream>

#include <smarter/smarter.hpp>
#include <smarter/testkit/fake_server.hpp>

int main() {
  smarter::testkit::FakeServer server;  // answers 503 twice, then 200
  server.enqueue(smarter::testkit::FakeResponse::json(503, {{"error", "busy"}}));
  server.enqueue(smarter::testkit::FakeResponse::json(503, {{"error", "busy"}}));
  server.enqueue(smarter::testkit::FakeResponse::json(200, {{"data", {{"status", "ok"}}}}));

  // Configure the default for all requests:
  smarter::Smarter client({.api_key = "example-key", .base_url = server.url(), .max_retries = 0});

  // Or, configure per call:
  auto response = client.with_options({.max_retries = 5}).request("POST", "cli/status/");
  std::cout << "status " << response.status_code << " after " << response.retries_taken << " retries\n";

  // Backoff and the longest Retry-After honoured are tunable too:
  smarter::Smarter patient({.api_key = "example-key",
                            .base_url = server.url(),
                            .retry = {.initial_delay = 1.0, .max_delay = 30.0, .max_retry_after = 120.0}});
  return response.status_code == 200 ? 0 : 1;
}
