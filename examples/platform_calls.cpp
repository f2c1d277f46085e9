// README "Platform calls": whoami, status and version, and what a bad API key looks like.
// Without SMARTER_API_KEY it runs against the fake platform in-process.
#include <iostream>

#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/types/platform.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

int main() try {
  // ---- set-up: a fake platform when no API key is configured
  examples::Setup const setup = examples::platform();
  smarter::Smarter client(setup.options);

  // ---- snippet: Platform calls
  auto me = client.whoami();
  std::cout << me.user.username.value_or("?") << " @ account " << me.account.account_number.value_or("?")
            << " (" << me.environment.value_or("?") << ")\n";
  std::cout << "journal key: " << me.request_id().value_or("(none)") << "\n";

  auto version = client.platform_version();
  std::cout << "platform " << version.api_version.value_or("?") << "\n";

  auto status = client.platform_status();
  for (auto const& name : status.infrastructure_names()) std::cout << "  " << name << "\n";

  try {
    client.with_options({.api_key = std::string(64, '0')}).whoami();
  } catch (smarter::PermissionDeniedError const& e) {   // the platform answers 403, not 401
    std::cout << e.status_code() << " " << e.code().value_or("") << "\n";
  }
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
