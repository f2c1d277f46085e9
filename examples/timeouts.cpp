// Timeouts: a number of seconds, or a smarter::Timeout with total, connect, read and write parts.
#include <iostream>

#include <smarter/smarter.hpp>
#include <smarter/testkit/fake_server.hpp>

int main() {
  smarter::testkit::FakeServer server;
  auto slow = smarter::testkit::FakeResponse::json(200, {});
  slow.delay = std::chrono::milliseconds(1500);
  server.enqueue(slow);
  server.enqueue(smarter::testkit::FakeResponse::json(200, {{"data", "fast"}}));

  // Configure the default for all requests (the default is 60 seconds):
  smarter::Smarter client({.api_key = "example-key", .base_url = server.url(), .timeout = 20.0});

  // More granular control:
  smarter::Smarter granular({.api_key = "example-key",
                             .base_url = server.url(),
                             .timeout = smarter::Timeout(60.0).with_read(5.0).with_write(10.0).with_connect(2.0)});

  // Override per call, and bound a whole call across all its retries with a deadline:
  try {
    client.with_options({.timeout = 0.5, .max_retries = 0}).request("POST", "cli/status/");
  } catch (smarter::APITimeoutError const& e) {
    std::cout << "timed out: " << e.what() << "\n";
  }
  auto response = client.request("POST", "cli/status/", nullptr, {.timeout = 5.0, .deadline = 30.0});
  std::cout << "then: " << response.json()["data"] << "\n";
  return 0;
}
