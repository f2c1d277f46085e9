// README "Options in C++17": every option and parameter set by assignment on a named object, the
// style for code that cannot use C++20 designated initializers. Built as C++17 with
// -Wall -Wextra -Wpedantic -Werror like every example. Runs against the bundled fake server.
#include <iostream>

#include <smarter/smarter.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_server.hpp>

int main() {
  smarter::testkit::FakeServer server;
  smarter::testkit::install_openai(server);

  // ---- snippet: C++17 options
  smarter::ClientOptions options;
  options.api_key = "example-key";
  options.base_url = server.url() + "v1";
  options.auth_scheme = smarter::AuthScheme::bearer;
  options.timeout = smarter::Timeout(20.0).with_connect(2.0);
  options.max_retries = 3;
  options.retry.initial_delay = 0.25;
  smarter::Smarter client(options);

  smarter::ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.messages = {smarter::ChatMessage::user("Hello in C++17")};
  params.temperature = 0.2;

  smarter::RequestOptions call;
  call.max_retries = 0;
  call.extra_headers = {{"X-Trace", "abc"}};
  auto completion = client.chat().completions().create(params, call);
  std::cout << completion.choices.at(0).message.content.value_or("") << "\n";
  // ---- end snippet
  return completion.choices.empty() ? 1 : 0;
}
