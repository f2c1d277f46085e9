// Logging: SMARTER_LOG=info|debug, or options; the API key never appears in a log line.
#include <iostream>

#include <smarter/smarter.hpp>
#include <smarter/testkit/fake_server.hpp>

int main() {
  smarter::testkit::FakeServer server;
  server.enqueue(smarter::testkit::FakeResponse::json(500, {}));
  server.enqueue(smarter::testkit::FakeResponse::json(200, {{"data", {}}}));

  // Send the SDK's log lines wherever your application logs:
  smarter::Smarter client({.api_key = "example-key",
                           .base_url = server.url(),
                           .retry = {.initial_delay = 0.01},
                           .log_level = smarter::LogLevel::debug,
                           .log_handler = [](smarter::LogLevel level, std::string_view line) {
                             if (level <= smarter::LogLevel::info) std::cout << "[app] " << line << "\n";
                           }});
  client.request("POST", "cli/whoami/");
  return 0;
}
