// Links the SDK built as a subproject and makes one call through a function transport.
#include <iostream>
#include <memory>

#include <smarter/smarter.hpp>

int main() {
  auto transport = std::make_shared<smarter::http::FunctionTransport>([](smarter::http::HttpRequest const&) {
    smarter::http::HttpResponse response;
    response.status_code = 200;
    response.headers.set("Content-Type", "application/json");
    response.body = std::make_unique<smarter::http::StringBody>(R"({"data":{"ok":true}})");
    return response;
  });
  smarter::Smarter client({.api_key = "parent-key", .base_url = "http://127.0.0.1:9/api/v1", .http_client = transport});
  if (client.request("POST", "cli/whoami/").json()["data"]["ok"] != true) return 1;
  std::cout << "parent_app ok " << smarter::version() << "\n";
  return 0;
}
