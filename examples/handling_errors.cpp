// Handling errors: every failure is a typed exception rooted at smarter::SmarterError.
#include <iostream>

#include <smarter/smarter.hpp>
#include <smarter/testkit/fake_server.hpp>

int main() {
  // A local server that answers 429, then 404, and after that drops every connection.
  smarter::testkit::FakeServer server;
  auto limited = smarter::testkit::FakeResponse::json(429, {{"error", {{"message", "Rate limit reached"}}}});
  limited.headers.emplace_back("x-should-retry", "false");
  server.enqueue(limited);
  server.enqueue(smarter::testkit::FakeResponse::json(404, {{"error", "User profile not found."}}));
  server.route("*", ".*", [](auto const&) {
    smarter::testkit::FakeResponse dropped;
    dropped.drop_connection = true;
    return dropped;
  });

  smarter::ClientOptions options;
  options.api_key = "example-key";
  options.base_url = server.url();
  options.retry.initial_delay = 0.01;
  smarter::Smarter client(options);

  for (int call = 0; call < 3; ++call) {
    try {
      client.request("POST", "cli/whoami/");
    } catch (smarter::APIConnectionError const& e) {
      std::cout << "The server could not be reached: " << e.what() << "\n";
      std::cout << "  (transport code " << e.curl_code() << ": " << e.cause() << ")\n";
      std::cout << "  the request may have reached the server: " << (e.request_sent() ? "yes" : "no") << "\n";
    } catch (smarter::RateLimitError const& e) {
      std::cout << "A 429 status code was received; we should back off a bit.\n";
    } catch (smarter::APIStatusError const& e) {
      std::cout << "Another non-200-range status code was received\n";
      std::cout << "  " << e.status_code() << " " << e.what() << "\n";
      std::cout << "  request id: " << e.request_id().value_or("none") << "\n";
    }
  }
  return 0;
}
