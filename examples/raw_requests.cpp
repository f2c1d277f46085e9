// Request IDs and raw requests to endpoints the SDK does not wrap yet.
#include <iostream>

#include <smarter/smarter.hpp>
#include <smarter/testkit/fake_server.hpp>

int main() {
  smarter::testkit::FakeServer server;
  auto ok = smarter::testkit::FakeResponse::json(200, {{"data", {{"providers", {"openai"}}}}});
  ok.headers.emplace_back("x-request-id", "req_123");
  server.enqueue(ok);
  server.enqueue(smarter::testkit::FakeResponse::json(
      404, {{"error", {{"description", "Provider not found"}}}, {"metadata", {{"key", "journal-key-42"}}}}));

  smarter::Smarter client({.api_key = "example-key", .base_url = server.url()});

  smarter::RawResponse response = client.request("GET", "providers/");
  std::cout << response.status_code << " " << response.json()["data"] << "\n";
  std::cout << "request id: " << response.request_id().value_or("none") << "\n";

  try {
    client.request("GET", "providers/nope/");
  } catch (smarter::APIStatusError const& e) {
    // x-request-id when the server sends one, else the platform's journal key.
    std::cout << "failed request id: " << e.request_id().value_or("none") << "\n";
  }
  return 0;
}
