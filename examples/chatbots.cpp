// README "Chatbots": list, create from a YAML manifest, describe, deploy, undeploy and delete.
// Without SMARTER_API_KEY it runs against the fake Smarter platform in-process.
#include <iostream>

#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/resources.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

int main() try {
  // ---- set-up: a fake platform when no API key is configured
  examples::Setup const setup = examples::platform();
  smarter::Smarter client(setup.options);

  // ---- snippet: Chatbots
  auto chatbots = client.resources().chatbots();

  // Create (or update) a chatbot from a manifest; Manifest::load_file reads .yaml and .json files.
  auto manifest = smarter::Manifest::parse_yaml(R"(
apiVersion: smarter.sh/v1
kind: Chatbot
metadata:
  name: example_chatbot
  description: An example chatbot.
  version: 0.1.0
spec:
  config:
    provider: openai
    defaultModel: gpt-4o-mini
    defaultSystemRole: You are a helpful chatbot.
    defaultTemperature: 0.5
    defaultMaxTokens: 2048
)");
  chatbots.apply(manifest);

  for (auto const& summary : chatbots.list()) {
    std::cout << summary.name << (summary.deployed.value_or(false) ? " (deployed)" : "") << "\n";
  }

  auto chatbot = chatbots.get("example_chatbot");   // the full manifest: metadata, spec, status
  std::cout << chatbot.spec.config.default_model.value_or("?") << " at "
            << chatbot.status->url_chatbot.value_or("?") << "\n";

  chatbots.deploy("example_chatbot");
  chatbots.undeploy("example_chatbot");
  chatbots.remove("example_chatbot");                // the platform's `delete`
  try {
    chatbots.get("example_chatbot");
  } catch (smarter::NotFoundError const& e) {
    std::cout << "gone: " << e.what() << "\n";
  }
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
