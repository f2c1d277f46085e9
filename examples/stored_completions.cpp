// README section "Stored chat completions": completions created with `store = true` can be
// listed (filtered by model and metadata), retrieved, re-tagged, deleted, and their messages
// read back. Without SMARTER_BASE_URL it runs against the in-process fake server, offline.
#include <iostream>

#include <smarter/client.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

int main() try {
  // ---- set-up: a fake server when no real one is configured (SMARTER_BASE_URL unset or empty)
  examples::Setup const setup = examples::openai();
  smarter::Smarter client(setup.options);

  // ---- snippet: Stored chat completions
  auto completions = client.chat().completions();
  auto created = completions.create({
      .messages = {smarter::ChatMessage::user("Name a colour.")},
      .model = "gpt-4o-mini",
      .metadata = std::map<std::string, std::string>{{"project", "demo"}},
      .store = true,
  });

  // Every stored completion of the project, oldest first, page after page.
  for (auto const& completion : completions.list({.limit = 20, .metadata = {{{"project", "demo"}}}})) {
    std::cout << completion.id << ": " << completion.choices.at(0).message.content.value_or("") << "\n";
  }

  // The conversation that produced it.
  for (auto const& message : completions.messages().list(created.id)) {
    std::cout << "  " << message.role << ": " << message.content.value_or("") << "\n";
  }

  // Re-tag it, then delete it.
  auto updated = completions.update(created.id, {.metadata = {{"project", "demo"}, {"reviewed", "yes"}}});
  std::cout << "tags: " << updated.metadata->size() << "\n";
  std::cout << "deleted: " << std::boolalpha << completions.remove(created.id).deleted << "\n";
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
