// What the examples do first: reach the real service when one is configured, else the bundled
// fake server on loopback, so that every example also runs offline (the test suite runs them all).
#pragma once

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include <smarter/client.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

namespace examples {

/// Client options for an example, and the fake server they point at when it runs offline.
struct Setup {
  std::unique_ptr<smarter::testkit::FakeServer> server;  ///< Null against a real service.
  smarter::ClientOptions options;                        ///< Empty against a real service: the environment's.
};

/// True when the environment variable `name` is unset or empty.
inline bool unset(char const* name) {
  char const* value = std::getenv(name);
  return value == nullptr || *value == '\0';
}

/// The OpenAI-shaped API: a fake server when SMARTER_BASE_URL is unset or empty. `install` puts
/// what the example needs on the fake (by default the fake OpenAI endpoints); `path` is where
/// they answer below the server's root.
inline Setup openai(std::function<void(smarter::testkit::FakeServer&)> install = {}, std::string const& path = "v1") {
  Setup setup;
  if (!unset("SMARTER_BASE_URL")) return setup;
  setup.server = std::make_unique<smarter::testkit::FakeServer>();
  if (install) {
    install(*setup.server);
  } else {
    smarter::testkit::install_openai(*setup.server);
  }
  setup.options.base_url = setup.server->url() + path;
  setup.options.api_key = "sk-example";
  setup.options.auth_scheme = smarter::AuthScheme::bearer;
  return setup;
}

/// The Smarter platform: a fake platform when SMARTER_API_KEY is unset or empty.
inline Setup platform() {
  Setup setup;
  if (!unset("SMARTER_API_KEY")) return setup;
  setup.server = std::make_unique<smarter::testkit::FakeServer>();
  setup.options.api_key = smarter::testkit::install_platform(*setup.server)->options().api_key;
  setup.options.base_url = smarter::testkit::platform_base_url(*setup.server);
  return setup;
}

}  // namespace examples
