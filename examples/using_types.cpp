// README section "Using types": request params are structs (unset fields are not sent) and
// responses are typed models that keep the JSON they came from. Without SMARTER_BASE_URL it
// runs against an in-process fake server, so it works offline.
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

  // ---- snippet: Using types
  smarter::ChatCompletion completion = client.chat().completions().create({
      .messages = {smarter::ChatMessage::system("Be brief."), smarter::ChatMessage::user("Hello!")},
      .model = "gpt-4o-mini",
      .temperature = 0.2,  // every other optional field stays unset and is not sent
  });
  std::cout << completion.choices.at(0).message.content.value_or("") << "\n";

  // Fields the server sent as null differ from fields it did not send at all.
  std::cout << std::boolalpha << completion.has_field("system_fingerprint") << " "
            << completion.is_null("system_fingerprint") << "\n";
  // Every field is reachable by name (also ones this SDK does not model yet), and so is the JSON.
  std::cout << completion.field("usage") << "\n";
  std::cout << completion.to_json() << "\n";
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
