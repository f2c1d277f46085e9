// README "Manifests": example manifests, JSON Schemas, and applying, listing, describing and
// deleting any kind. Without SMARTER_API_KEY it runs against the fake platform in-process.
#include <iostream>

#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/manifests.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

int main() try {
  // ---- set-up: a fake platform when no API key is configured
  examples::Setup const setup = examples::platform();
  smarter::Smarter client(setup.options);

  // ---- snippet: Manifests
  auto manifests = client.manifests();

  // Start from the platform's example, edit it, apply it.
  smarter::Manifest plugin = manifests.example_manifest("Plugin").to_manifest();
  plugin.set_name("my_plugin").set_description("Answers questions about my product.");
  manifests.apply(plugin);

  // Or build one in code (it is sent as JSON).
  smarter::Manifest bot("Chatbot", "coded_chatbot");
  bot.set_spec({{"config", {{"provider", "openai"}, {"defaultModel", "gpt-4o-mini"}}}});
  manifests.apply(bot);

  auto table = manifests.get("Plugin");
  for (auto const& row : table.items) std::cout << row["name"].get<std::string>() << "\n";
  auto described = manifests.describe("Plugin", "my_plugin");
  std::cout << described.metadata.description.value_or("") << "\n";

  auto schema = manifests.json_schema("Chatbot");
  std::cout << schema.schema["required"].dump() << "\n";

  manifests.remove("Plugin", "my_plugin");
  manifests.remove("Chatbot", "coded_chatbot");
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
