// README "Usage": prompt a chatbot and print its answer. With SMARTER_API_KEY set it talks to the
// real platform (SMARTER_BASE_URL or https://platform.smarter.sh/api/v1/); without it, the
// fallback below serves the fake Smarter platform in-process and its seeded demo chatbot
// "my-chatbot" answers, so the example runs anywhere.
#include <cstdlib>
#include <memory>

#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

namespace {

/// Without SMARTER_API_KEY, serves the fake platform in-process (before main runs) and points the
/// environment at it.
struct OfflineFallback {
  std::unique_ptr<smarter::testkit::FakeServer> server;

  OfflineFallback() {
    char const* key = std::getenv("SMARTER_API_KEY");
    if (key != nullptr && *key != '\0') return;
    server = std::make_unique<smarter::testkit::FakeServer>();
    auto platform = smarter::testkit::install_platform(*server);
    ::setenv("SMARTER_BASE_URL", smarter::testkit::platform_base_url(*server).c_str(), 1);
    ::setenv("SMARTER_API_KEY", platform->options().api_key.c_str(), 1);
  }
};

OfflineFallback const offline;

}  // namespace

// ---- snippet: Usage (a whole program)
#include <iostream>

#include <smarter/smarter.hpp>

int main() {
  smarter::Smarter client;  // SMARTER_API_KEY (and SMARTER_BASE_URL) from the environment
  auto chatbot = client.resources().chatbots().get("my-chatbot");
  auto reply = chatbot.prompt("Hello, World!");
  std::cout << reply << "\n";  // the assistant's answer
}
// ---- end snippet
