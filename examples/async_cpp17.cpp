// README "Async usage" in C++17: the same AsyncSmarter calls with every option and parameter set
// by assignment on a named object (no designated initializers, no coroutines). Built as C++17
// with -Wall -Wextra -Wpedantic -Werror like every example. Runs against the bundled fake server.
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
#include <smarter/testkit/fake_server.hpp>

int main() {
  smarter::testkit::FakeServer server;
  smarter::testkit::install_openai(server)->seed_jobs(30);

  // ---- snippet: Async usage in C++17
  smarter::ClientOptions options;
  options.api_key = "example-key";
  options.base_url = server.url() + "v1";
  options.auth_scheme = smarter::AuthScheme::bearer;

  smarter::AsyncOptions async;
  async.io_threads = 1;
  async.callback_threads = 1;  // then() callbacks run on this thread, not on the I/O thread
  async.max_connections_per_host = 8;
  async.on_destroy = smarter::AsyncOptions::OnDestroy::drain;
  smarter::AsyncSmarter client(options, async);

  std::vector<smarter::Future<smarter::ChatCompletion>> pending;
  for (int i = 0; i < 20; ++i) {
    smarter::ChatCompletionCreateParams params;
    params.model = "gpt-4o-mini";
    params.messages = {smarter::ChatMessage::user("Question " + std::to_string(i))};
    pending.push_back(client.chat().completions().create(params));
  }
  std::size_t answered = 0;
  for (smarter::Future<smarter::ChatCompletion>& completion : pending) {
    if (completion.get().choices.at(0).message.content) ++answered;
  }
  std::cout << answered << " completions\n";

  std::mutex mutex;
  std::condition_variable done;
  std::optional<std::string> model;
  client.fine_tuning().jobs().list().then([&](smarter::Future<smarter::CursorPage<smarter::FineTuningJob>> page) {
    std::lock_guard<std::mutex> lock(mutex);
    model = page.get().data().at(0).model;
    done.notify_one();
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    done.wait(lock, [&] { return model.has_value(); });
  }
  std::cout << "newest job's model: " << *model << "\n";

  smarter::ChatCompletionCreateParams story;
  story.model = "gpt-4o-mini";
  story.messages = {smarter::ChatMessage::user("Tell me a story")};
  smarter::AsyncStream<smarter::ChatCompletionChunk> stream = client.chat().completions().create_stream(story).get();
  std::string text;
  while (std::optional<smarter::ChatCompletionChunk> chunk = stream.next().get()) {
    if (!chunk->choices.empty()) text += chunk->choices[0].delta.content.value_or("");
  }
  std::cout << text << "\n";
  // ---- end snippet
  return answered == pending.size() ? 0 : 1;
}
