// README section "Fine-tuning": jobs, their events and checkpoints, who may use a fine-tuned
// checkpoint, and the alpha graders. Without SMARTER_BASE_URL it runs against the in-process
// fake server, offline.
#include <iostream>

#include <smarter/client.hpp>
#include <smarter/resources/fine_tuning.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

int main() try {
  // ---- set-up: a fake server when no real one is configured (SMARTER_BASE_URL unset or empty)
  examples::Setup const setup = examples::openai();
  smarter::Smarter client(setup.options);

  // ---- snippet: Fine-tuning
  auto fine_tuning = client.fine_tuning();
  // Let another project use a fine-tuned checkpoint, then list who may.
  std::string const checkpoint = "ft:gpt-4o-mini-2024-07-18:my-org:custom:abc123";
  fine_tuning.checkpoints().permissions().create(checkpoint, {.project_ids = {"proj_analytics"}});
  for (auto const& permission : fine_tuning.checkpoints().permissions().list(checkpoint)) {
    std::cout << permission.project_id << " may use " << checkpoint << "\n";
  }

  // Try a grader on one sample before using it in a reinforcement fine-tuning job.
  nlohmann::json const grader = {{"type", "string_check"}, {"name", "exact"}, {"operation", "eq"},
                                 {"input", "{{sample.output_text}}"}, {"reference", "{{item.answer}}"}};
  fine_tuning.alpha().graders().validate({.grader = grader});
  auto graded = fine_tuning.alpha().graders().run(
      {.grader = grader, .model_sample = "Paris", .item = nlohmann::json{{"answer", "Paris"}}});
  std::cout << "reward: " << graded.reward << "\n";
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
