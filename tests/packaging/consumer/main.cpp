// Uses the installed SDK through its public headers only: a client with a function transport.
#include <iostream>
#include <memory>

#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/http/transport.hpp>
#include <smarter/version.hpp>

int main() {
  auto transport = std::make_shared<smarter::http::FunctionTransport>([](smarter::http::HttpRequest const& request) {
    smarter::http::HttpResponse response;
    bool authorised = request.headers.get("Authorization") == std::string("Token consumer-key");
    response.status_code = authorised ? 200 : 403;
    response.headers.set("Content-Type", "application/json");
    response.body = std::make_unique<smarter::http::StringBody>(R"({"data":{"ok":true}})");
    return response;
  });
  smarter::ClientOptions options;
  options.api_key = "consumer-key";
  options.base_url = "http://127.0.0.1:9/api/v1";
  options.http_client = transport;
  smarter::Smarter client(options);
  smarter::RawResponse response = client.request("POST", "cli/whoami/");
  if (response.status_code != 200 || response.json()["data"]["ok"] != true) return 1;
  if (std::string(smarter::version()) != SMARTER_VERSION) return 2;
  std::cout << "consumer ok " << smarter::version() << "\n";
  return 0;
}
