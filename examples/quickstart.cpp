// README "Quick start": prompt a chatbot and print its answer. With SMARTER_API_KEY set it talks to
// the real platform (SMARTER_BASE_URL or https://platform.smarter.sh/api/v1/); without it, it serves
// the fake Smarter platform in-process and its seeded demo chatbot "my-chatbot" answers.
#include <cstdlib>
#include <iostream>
#include <memory>

#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/resources.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

namespace {

bool env_set(char const* name) {
  char const* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

}  // namespace

int main() try {
  // ---- set-up: without an API key, point the environment at an in-process fake platform
  std::unique_ptr<smarter::testkit::FakeServer> server;
  if (!env_set("SMARTER_API_KEY")) {
    server = std::make_unique<smarter::testkit::FakeServer>();
    auto platform = smarter::testkit::install_platform(*server);
    ::setenv("SMARTER_BASE_URL", smarter::testkit::platform_base_url(*server).c_str(), 1);
    ::setenv("SMARTER_API_KEY", platform->options().api_key.c_str(), 1);
  }

  // ---- snippet: Quick start
  smarter::Smarter client;                                   // SMARTER_API_KEY from the environment
  auto chatbot = client.resources().chatbots().get("my-chatbot");
  auto chat = chatbot.prompt("Hello, World!");
  std::cout << chat << "\n";                                 // prints the assistant's answer
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
