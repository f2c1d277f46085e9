// README section "Testing your code with the test kit": the server smarter-mock runs, started
// in-process from the same flags, with injected failures and seed data, and a client using it.
// It needs no network and no API key.
#include <iostream>

#include <smarter/smarter.hpp>
#include <smarter/testkit/smarter_mock.hpp>

int main() try {
  // ---- snippet: smarter-mock in-process
  // What `smarter-mock --fail-next 503:2 --seed-jobs 30 --seed-chatbots support` serves.
  auto command_line =
      smarter::testkit::parse_smarter_mock_args({"--fail-next", "503:2", "--seed-jobs", "30", "--seed-chatbots", "support"});
  smarter::testkit::SmarterMock mock(command_line.options);
  smarter::Smarter client({.api_key = mock.api_key(), .base_url = mock.base_url(), .retry = {.initial_delay = 0.01}});

  smarter::RawResponse whoami = client.request("POST", "cli/whoami/");  // two 503s, retried, then 200
  std::cout << "whoami: " << whoami.status_code << " after " << whoami.retries_taken << " retries\n";

  std::cout << "support says: " << client.resources().chatbots().get("support").prompt("Hello, World!") << "\n";

  int jobs = 0;
  for (auto const& job : client.fine_tuning().jobs().list()) jobs += job.status == "succeeded" ? 1 : 0;
  std::cout << jobs << " fine-tuning jobs, all under " << mock.base_url() << "\n";

  mock.faults().fail_next(500);  // faults can be added while it runs
  try {
    client.with_options({.max_retries = 0}).chat().completions().create(
        {.messages = {smarter::ChatMessage::user("Hi")}, .model = "gpt-4o-mini"});
  } catch (smarter::InternalServerError const& e) {
    std::cout << "chat: " << e.status_code() << " " << e.body()["error"]["type"].get<std::string>() << "\n";
  }
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
