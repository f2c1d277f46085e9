// AsyncSmarter: the synchronous client's calls, run on the runtime's loops.
#include <smarter/async/client.hpp>
#include <smarter/async/resources.hpp>
#include <smarter/types/platform.hpp>

#include "async/runtime.hpp"

namespace smarter {

namespace {
detail::AsyncBinding make_binding(ClientOptions const& options, AsyncOptions const& async) {
  Smarter client(options);  // options are checked before any thread starts
  return detail::AsyncBinding{std::make_shared<detail::AsyncRuntime>(async), std::move(client)};
}
}  // namespace

AsyncSmarter::AsyncSmarter(ClientOptions const& options, AsyncOptions const& async)
    : binding_(make_binding(options, async)) {}

AsyncSmarter::~AsyncSmarter() {
  // Before the members go: the loops' connections close through the client's transport.
  binding_.runtime->shutdown();
}

Future<RawResponse> AsyncSmarter::request(std::string method, std::string path, nlohmann::json body,
                                          RequestOptions options) const {
  return binding_.run([method = std::move(method), path = std::move(path), body = std::move(body),
                       options = std::move(options)](Smarter const& c) {
    return c.request(method, path, body, options);
  });
}

async::Resources AsyncSmarter::resources() const { return async::Resources(binding_); }
async::Manifests AsyncSmarter::manifests() const { return async::Manifests(binding_); }

Future<WhoAmI> AsyncSmarter::whoami(RequestOptions options) const {
  return binding_.run([options = std::move(options)](Smarter const& c) { return c.whoami(options); });
}

Future<PlatformStatus> AsyncSmarter::platform_status(RequestOptions options) const {
  return binding_.run([options = std::move(options)](Smarter const& c) { return c.platform_status(options); });
}

Future<PlatformVersion> AsyncSmarter::platform_version(RequestOptions options) const {
  return binding_.run([options = std::move(options)](Smarter const& c) { return c.platform_version(options); });
}

async::Chat AsyncSmarter::chat() const { return async::Chat(binding_); }
async::Responses AsyncSmarter::responses() const { return async::Responses(binding_); }
async::Files AsyncSmarter::files() const { return async::Files(binding_); }
async::FineTuning AsyncSmarter::fine_tuning() const { return async::FineTuning(binding_); }

}  // namespace smarter
