// README section "Streaming": chat completion chunks reach the loop as the server sends them.
// Without SMARTER_BASE_URL it runs against an in-process fake server that pauses between
// events, so it works offline.
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/streaming.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

int main() try {
  // ---- set-up: a fake server when no real one is configured (SMARTER_BASE_URL unset or empty)
  examples::Setup const setup = examples::openai([](smarter::testkit::FakeServer& fake) {
    auto openai = smarter::testkit::install_openai(fake);
    // Three scripted streams: a short answer, a long one, and one that fails half way.
    openai->script_next_stream({.pieces = {"This", " is", " a", " test."}, .pause_between = std::chrono::milliseconds(150)});
    openai->script_next_stream({.pieces = std::vector<std::string>(50, " and then"), .pause_between = std::chrono::milliseconds(100)});
    openai->script_next_stream({.pieces = {"Hel"},
                                .error = nlohmann::json{{"message", "Rate limit reached"}, {"type", "requests"},
                                                        {"code", "rate_limit_exceeded"}}});
  });
  smarter::Smarter client(setup.options);

  // ---- snippet: Streaming
  auto stream = client.chat().completions().create_stream({
      .messages = {smarter::ChatMessage::user("Say this is a test")},
      .model = "gpt-4o-mini",
      .stream_options = smarter::ChatStreamOptions{.include_usage = true},
  });
  smarter::ChatCompletionAccumulator accumulator;
  for (auto const& chunk : stream) {  // each chunk as soon as it arrives; ends at [DONE]
    if (!chunk.choices.empty()) std::cout << chunk.choices[0].delta.content.value_or("") << std::flush;
    accumulator.add(chunk);
  }
  std::cout << "\n";
  smarter::ChatCompletion completion = accumulator.final_completion();
  std::cout << "finish reason: " << completion.choices.at(0).finish_reason.value_or("?")
            << ", tokens: " << (completion.usage ? completion.usage->total_tokens : 0) << "\n";

  // Leaving the loop early (or calling stream.close()) drops the connection; the client stays usable.
  int received = 0;
  for (auto const& chunk : client.chat().completions().create_stream(
           {.messages = {smarter::ChatMessage::user("Tell me a long story")}, .model = "gpt-4o-mini"})) {
    if (++received == 3) break;
    (void)chunk;
  }

  // An error event in the middle of a stream raises a typed exception.
  try {
    for (auto const& chunk : client.chat().completions().create_stream(
             {.messages = {smarter::ChatMessage::user("Hi")}, .model = "gpt-4o-mini"})) {
      (void)chunk;
    }
  } catch (smarter::RateLimitError const& e) {
    std::cout << "rate limited mid-stream: " << e.what() << "\n";
  } catch (smarter::APIError const& e) {
    std::cout << "stream failed: " << e.what() << "\n";
  }
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
