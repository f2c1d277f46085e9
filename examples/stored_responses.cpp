// README section "Stored responses": a response is kept by the server, so it can be fetched
// again (also as a stream), its input items listed, and it can be deleted; a background
// response can be cancelled; input tokens can be counted and a conversation compacted without
// creating a response. Without SMARTER_BASE_URL it runs against the in-process fake, offline.
#include <iostream>

#include <smarter/client.hpp>
#include <smarter/resources/responses.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

int main() try {
  // ---- set-up: a fake server when no real one is configured (SMARTER_BASE_URL unset or empty)
  examples::Setup const setup = examples::openai();
  smarter::Smarter client(setup.options);

  // ---- snippet: Stored responses
  auto responses = client.responses();
  auto tokens = responses.input_tokens().count({.model = "gpt-4o-mini", .input = "Tell me a joke."});
  std::cout << "input tokens: " << tokens.input_tokens << "\n";

  auto response = responses.create({.model = "gpt-4o-mini", .input = "Tell me a joke."});
  auto again = responses.retrieve(response.id, {.include = {{"message.output_text.logprobs"}}});
  std::cout << again.output_text() << "\n";
  for (auto const& item : responses.input_items().list(response.id)) {
    std::cout << "input: " << item.role.value_or(item.type) << "\n";
  }

  // A background response can be cancelled while it runs.
  auto background = responses.create({.model = "gpt-4o-mini", .input = "Write a long story.", .background = true});
  std::cout << "cancelled: " << responses.cancel(background.id).status.value_or("?") << "\n";

  // Compact a long conversation into fewer items, then delete the stored response.
  auto compacted = responses.compact({.model = "gpt-4o-mini", .previous_response_id = response.id});
  std::cout << "compacted to " << compacted.output.size() << " items\n";
  responses.remove(response.id);
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
