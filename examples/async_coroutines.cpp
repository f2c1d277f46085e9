// README section "Async usage", C++20: `co_await` on the futures of AsyncSmarter. The SDK brings
// the awaitable; the coroutine type is the application's (here a minimal one that reports its
// end through a std::future). Without SMARTER_BASE_URL it runs against an in-process fake server.
#include <exception>
#include <future>
#include <iostream>
#include <string>
#include <utility>

#include <smarter/async.hpp>
#include <smarter/errors.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

// A fire-and-forget coroutine whose end (or exception) the caller can wait for.
struct Task {
  struct promise_type {
    std::promise<void> done;
    Task get_return_object() { return Task{done.get_future()}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() { done.set_value(); }
    void unhandled_exception() { done.set_exception(std::current_exception()); }
  };
  std::future<void> finished;
};

smarter::ChatCompletionCreateParams question(std::string text) {
  return {.messages = {smarter::ChatMessage::user(std::move(text))}, .model = "gpt-4o-mini"};
}

// ---- snippet: Async coroutines
Task converse(smarter::AsyncSmarter const& client, std::string first, std::string second) {
  // Each co_await suspends this coroutine, not a thread; it resumes where callbacks run.
  smarter::ChatCompletion answer = co_await client.chat().completions().create(question(first));
  std::cout << "first answer: " << answer.choices.at(0).message.content.value_or("") << "\n";

  auto follow_up = client.chat().completions().create(question(second));
  smarter::ChatCompletion next = co_await follow_up;
  std::cout << "second answer: " << next.choices.at(0).message.content.value_or("") << "\n";

  try {
    co_await client.chat().completions().retrieve("chatcmpl-does-not-exist");
  } catch (smarter::NotFoundError const& e) {
    std::cout << "typed errors arrive as exceptions: " << e.status_code() << "\n";
  }
}
// ---- end snippet

int main() try {
  // A fake server when no real one is configured (SMARTER_BASE_URL unset or empty).
  examples::Setup const setup = examples::openai();
  // Coroutines resume on a callback thread, so they may block briefly without stalling I/O.
  smarter::AsyncSmarter client(setup.options, {.callback_threads = 1});
  converse(client, "Say this is a test", "And once more").finished.get();
  return 0;
} catch (std::exception const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
