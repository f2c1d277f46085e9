// README section "Async usage": AsyncSmarter has the namespaces and method names of Smarter, and
// every call returns a smarter::Future (streams: a Future of an AsyncStream). Many calls are in
// flight from one thread; one I/O thread drives them all. Runs offline against the bundled fake
// Smarter platform and fake OpenAI-shaped endpoints, served together by one in-process server.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <smarter/async.hpp>
#include <smarter/smarter.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

int main() try {
  // ---- set-up: the fake platform and the fake OpenAI-shaped endpoints on one loopback server
  // (the fake answers the OpenAI paths under the platform's api/v1/ too).
  smarter::testkit::FakeServer server;
  auto platform = smarter::testkit::install_platform(server);
  smarter::testkit::install_openai(server)->seed_jobs(45);
  smarter::ClientOptions options;
  options.api_key = platform->options().api_key;
  options.base_url = smarter::testkit::platform_base_url(server);

  // ---- snippet: Async usage: many calls in flight from one thread
  smarter::AsyncSmarter client(options, {.io_threads = 1});  // one I/O thread drives every call

  // Each call returns at once with a Future; all 100 prompts are in flight together.
  std::vector<smarter::Future<smarter::PromptReply>> replies;
  for (int i = 0; i < 100; ++i) {
    replies.push_back(client.resources().chatbots().prompt("my-chatbot", "Hello, World!"));
  }
  std::size_t answered = 0;
  for (auto& reply : replies) {
    if (!reply.get().answer.empty()) ++answered;  // get() blocks, then returns or throws the typed error
  }
  std::cout << answered << " prompts answered\n";

  std::vector<smarter::Future<smarter::ChatCompletion>> completions;
  for (std::string question : {"What is 2 + 2?", "Name a colour.", "Say hi."}) {
    completions.push_back(client.chat().completions().create({
        .messages = {smarter::ChatMessage::user(question)},
        .model = "gpt-4o-mini",
    }));
  }
  for (auto& completion : completions) {
    std::cout << completion.get().choices.at(0).message.content.value_or("") << "\n";
  }
  // ---- end snippet

  // ---- snippet: Async usage: callbacks
  // then() takes one callback per future; it runs on the I/O thread (or on one of the
  // AsyncOptions::callback_threads), so it must be quick and must not block.
  std::mutex mutex;
  std::condition_variable all_done;
  int pending = 3;
  for (std::string city : {"Lisbon", "Oslo", "Quito"}) {
    client.resources().chatbots().prompt("my-chatbot", "Weather in " + city + "?").then(
        [&, city](smarter::Future<smarter::PromptReply> done) {
          std::lock_guard<std::mutex> lock(mutex);
          try {
            std::cout << city << ": " << done.get().answer.size() << " characters of answer\n";
          } catch (smarter::APIError const& e) {
            std::cout << city << " failed: " << e.what() << "\n";
          }
          if (--pending == 0) all_done.notify_one();
        });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    all_done.wait(lock, [&] { return pending == 0; });
  }
  // ---- end snippet

  // ---- snippet: Async usage: streams
  // The future is ready once the status and headers are in; chunks are then read on demand.
  smarter::AsyncStream<smarter::ChatCompletionChunk> stream =
      client.chat().completions().create_stream({
          .messages = {smarter::ChatMessage::user("Say this is a test")},
          .model = "gpt-4o-mini",
      }).get();
  smarter::Future<std::size_t> chunks = stream.for_each([](smarter::ChatCompletionChunk const& chunk) {
    if (!chunk.choices.empty()) std::cout << chunk.choices[0].delta.content.value_or("") << std::flush;
    return true;  // false stops early and closes the stream
  });
  std::size_t count = chunks.get();  // the number of chunks, once the stream has ended
  std::cout << "\n" << count << " chunks\n";

  // Or one chunk at a time: next() completes with the next chunk, or nullopt at the end.
  auto second = client.chat().completions().create_stream({
      .messages = {smarter::ChatMessage::user("Count to three")},
      .model = "gpt-4o-mini",
  }).get();
  std::string text;
  while (std::optional<smarter::ChatCompletionChunk> chunk = second.next().get()) {
    if (!chunk->choices.empty()) text += chunk->choices[0].delta.content.value_or("");
  }
  std::cout << text << "\n";
  // ---- end snippet

  // ---- set-up: the next request is answered after 30 s, so there is something to cancel
  server.enqueue({.body = "{}", .delay = std::chrono::seconds(30)});

  // ---- snippet: Async usage: cancellation
  auto started = std::chrono::steady_clock::now();
  auto slow = client.chat().completions().create({
      .messages = {smarter::ChatMessage::user("Take your time")},
      .model = "gpt-4o-mini",
  });
  if (!slow.wait_for(std::chrono::milliseconds(200))) {
    slow.cancel();  // from any thread: the connection is dropped, a retry wait ends
  }
  try {
    slow.get();
  } catch (smarter::APIUserAbortError const& e) {
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::cout << "cancelled (" << e.what() << ") " << (waited < std::chrono::seconds(5) ? "at once" : "late") << "\n";
  }
  // ---- end snippet

  // ---- snippet: Async usage: pages
  smarter::CursorPage<smarter::FineTuningJob> first = client.fine_tuning().jobs().list({.limit = 20}).get();
  std::size_t jobs = 0;
  // One call walks the pages on the I/O thread, fetching each next page after on_page returned.
  smarter::Future<std::size_t> pages = client.for_each_page(
      first, [&jobs](smarter::CursorPage<smarter::FineTuningJob> const& page) {
        jobs += page.data().size();
        return true;  // false stops the walk
      });
  std::cout << pages.get() << " pages, " << jobs << " jobs\n";

  // Or one page at a time: nullopt after the last.
  std::optional<smarter::CursorPage<smarter::FineTuningJob>> next = client.next_page(first).get();
  std::cout << "the second page holds " << (next ? next->data().size() : 0) << " jobs\n";
  // ---- end snippet
  return answered == replies.size() ? 0 : 1;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
