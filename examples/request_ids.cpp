// README section "Request IDs": every response model and every API error carries the
// `x-request-id` of the response it came from. Without SMARTER_BASE_URL it runs against an
// in-process fake server, so it works offline.
#include <iostream>

#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/fine_tuning.hpp>
#include <smarter/resources/responses.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

int main() try {
  // ---- set-up: a fake server when no real one is configured (SMARTER_BASE_URL unset or empty)
  examples::Setup const setup = examples::openai();
  smarter::Smarter client(setup.options);

  // ---- snippet: Request IDs
  auto response = client.responses().create({.model = "gpt-4o-mini", .input = "Say 'this is a test'."});
  std::cout << response.request_id().value_or("(none)") << "\n";
  std::cout << response.output_text() << "\n";

  try {
    client.fine_tuning().jobs().retrieve("ftjob-does-not-exist");
  } catch (smarter::APIStatusError const& e) {
    std::cout << e.status_code() << " " << e.request_id().value_or("(none)") << "\n";
  }
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
