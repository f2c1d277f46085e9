// README "Conversations": several prompts in one session, the platform's diagnostics, token usage
// and the session's chat configuration. Without SMARTER_API_KEY it runs against the fake platform.
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

  // ---- snippet: Conversations
  auto chatbot = client.resources().chatbots().get("my-chatbot");

  auto chat = chatbot.prompt("Hello, World!");                 // starts a new session
  std::cout << chat << "\n";
  auto more = chatbot.prompt("What can you do?", {.session_key = chat.session_key});
  auto last = chatbot.prompt("Thanks!", {.session_key = more.session_key});
  std::cout << last << "\n";

  for (auto const& line : last.diagnostics()) std::cout << "  [smarter] " << line << "\n";
  if (last.completion && last.completion->usage) {
    std::cout << "  tokens: " << last.completion->usage->total_tokens << "\n";
  }

  // The session as the platform keeps it (resumable later with the same session key).
  auto config = chatbot.config({.session_key = last.session_key});
  std::cout << "  session " << config.session_key.value_or("?").substr(0, 8) << "... holds "
            << config.history_messages().size() << " messages\n";
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
