// README section "Tool calls": run_tools answers the model's tool calls with your handlers until
// it gives its final answer. Without SMARTER_BASE_URL it runs against the in-process fake server
// with `call_tools` on, so the fake asks for the first tool offered.
#include <iostream>
#include <string>

#include <smarter/client.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

int main() try {
  // ---- set-up: a fake server when no real one is configured (SMARTER_BASE_URL unset or empty)
  examples::Setup const setup = examples::openai([](smarter::testkit::FakeServer& fake) {
    smarter::testkit::install_openai(fake, {.call_tools = true});
  });
  smarter::Smarter client(setup.options);

  // ---- snippet: Tool calls
  smarter::ChatTool weather{.function = {.name = "get_weather",
                                         .description = "The current weather of a city",
                                         .parameters = nlohmann::json{{"type", "object"},
                                                                      {"properties", {{"input", {{"type", "string"}}}}}}}};
  auto result = client.chat().completions().run_tools(
      {.messages = {smarter::ChatMessage::user("Lisbon")}, .model = "gpt-4o-mini", .tools = {{weather}}},
      {{"get_weather",
        [](nlohmann::json const& arguments) { return "21 C and sunny in " + arguments.value("input", "?"); }}},
      /*max_steps=*/5);
  std::cout << result.completion.choices.at(0).message.content.value_or("") << " (" << result.steps << " steps, "
            << (result.finished ? "finished" : "step limit reached") << ")\n";
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
