// README section "Nested params": nested request parameters are plain structs, written inline
// with designated initializers. Without SMARTER_BASE_URL it runs against an in-process fake
// server, so it works offline.
#include <iostream>

#include <smarter/client.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/resources/fine_tuning.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

int main() try {
  // ---- set-up: a fake server when no real one is configured (SMARTER_BASE_URL unset or empty)
  examples::Setup const setup = examples::openai();
  smarter::Smarter client(setup.options);

  // ---- snippet: Nested params
  auto response = client.chat().responses().create({
      .input = std::vector<smarter::ResponseInputItem>{{.role = "user", .content = "How much ?"}},
      .model = "gpt-4o",
      .response_format = smarter::ResponseFormat{.type = "json_object"},
  });
  std::cout << response.output_text() << "\n";

  // Deeper nesting works the same way; fields left unset are not sent.
  auto job = client.fine_tuning().jobs().create({
      .model = "gpt-4o-mini-2024-07-18",
      .training_file = "file-abc123",
      .method = smarter::FineTuningMethod{
          .type = "supervised",
          .supervised = smarter::SupervisedMethod{
              .hyperparameters = smarter::FineTuningHyperparameters{.n_epochs = 3},
          },
      },
      .extra = {{"new_parameter_not_modelled_yet", true}},  // escape hatch, merged into the body
  });
  std::cout << job.id << " " << job.status << "\n";
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
