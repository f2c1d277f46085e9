// Connects the fake platform to FakeServer's routes.
#include <algorithm>
#include <cctype>

#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>
#include "ascii.hpp"

namespace smarter::testkit {

std::shared_ptr<FakePlatform> install_platform(FakeServer& server, PlatformOptions options) {
  auto platform = std::make_shared<FakePlatform>(std::move(options));
  // Any prefix before "/cli/" is accepted, so both "/api/v1/cli/..." (the platform's own layout)
  // and the API-host layout "/v1/cli/..." work.
  server.route("*", R"(.*/cli/.*)", [platform](RecordedRequest const& recorded) {
    PlatformHttpRequest request;
    request.method = recorded.method;
    request.path = recorded.path;
    request.query = recorded.params;
    request.body = recorded.body;
    for (auto const& [name, value] : recorded.headers) {
      request.headers.emplace(smarter::detail::to_lower(name), value);
    }
    PlatformHttpResponse reply = platform->handle(request);
    FakeResponse response;
    response.status = reply.status;
    response.body = std::move(reply.body);
    response.headers.emplace_back("Content-Type", reply.content_type);
    for (auto& header : reply.headers) response.headers.push_back(std::move(header));
    return response;
  });
  return platform;
}

std::string platform_base_url(FakeServer const& server) { return server.url() + "api/v1/"; }

}  // namespace smarter::testkit
