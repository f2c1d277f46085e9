// A user's C++20 program written the way the README's snippets are: designated initializers
// that name only the fields they set, nested structs inline. The packaging test builds it
// against the installed SDK with -Wall -Wextra -Wpedantic -Werror (GCC and clang) and runs it
// against smarter::testkit's fake servers. readme_cpp17.cpp is the same program in C++17.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <smarter/smarter.hpp>
#include <smarter/testkit/fake_files.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

namespace {

int failures = 0;

void expect(bool ok, char const* what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << "\n";
    ++failures;
  }
}

}  // namespace

int main() try {
  smarter::testkit::FakeServer server;
  auto platform = smarter::testkit::install_platform(server);
  auto openai = smarter::testkit::install_openai(server);
  auto files = smarter::testkit::install_files(server);
  openai->seed_jobs(45);

  // ---- ClientOptions, with the nested retry, limits and transport settings
  smarter::Smarter client({
      .api_key = "sk-example",
      .base_url = server.url() + "v1",
      .timeout = smarter::Timeout(30.0).with_connect(5.0),
      .max_retries = 2,
      .default_headers = {{"X-App", "readme-cpp20"}},
      .http_options = smarter::http::HttpClientOptions{.connect_timeout = std::chrono::seconds(5)},
      .auth_scheme = smarter::AuthScheme::bearer,
      .retry = {.initial_delay = 0.01, .max_delay = 0.05},
      .log_level = smarter::LogLevel::off,
      .limits = {.max_json_depth = 256, .max_sse_event_bytes = 1 << 20},
  });

  // ---- chat completions with messages and tools, and per-call RequestOptions
  auto completion = client.chat().completions().create(
      {
          .messages = {smarter::ChatMessage::system("Be brief."), smarter::ChatMessage::user("Hello!")},
          .model = "gpt-4o-mini",
          .temperature = 0.2,
          .tools = std::vector<smarter::ChatTool>{{
              .function = {.name = "get_weather",
                           .description = "The weather in a city",
                           .parameters = nlohmann::json{{"type", "object"}}},
          }},
      },
      {.timeout = 10.0, .max_retries = 1, .extra_headers = {{"X-Call", "chat"}}});
  expect(completion.choices.at(0).message.content.value_or("") == "Echo: Hello!", "chat completion answer");
  expect(openai->received_bodies().back()["tools"][0]["function"]["name"] == "get_weather", "tools sent");

  // ---- streaming
  openai->script_next_stream({.pieces = {"This", " is", " a", " test."}});
  std::string streamed;
  smarter::ChatCompletionAccumulator accumulator;
  for (auto const& chunk : client.chat().completions().create_stream({
           .messages = {smarter::ChatMessage::user("Say this is a test")},
           .model = "gpt-4o-mini",
           .stream_options = smarter::ChatStreamOptions{.include_usage = true},
       })) {
    if (!chunk.choices.empty()) streamed += chunk.choices[0].delta.content.value_or("");
    accumulator.add(chunk);
  }
  expect(streamed == "This is a test.", "streamed text");
  expect(accumulator.final_completion().choices.at(0).message.content.value_or("") == "This is a test.",
         "accumulated completion");

  // ---- responses
  auto response = client.responses().create({
      .model = "gpt-4o",
      .input = "How much?",
      .instructions = "Answer in one word.",
      .reasoning = smarter::ResponseReasoning{.effort = "low"},
  });
  expect(response.output_text() == "Echo: How much?", "responses output_text");

  // ---- files
  auto const folder = std::filesystem::temp_directory_path() / ("smarter-readme-cpp20-" + std::to_string(server.port()));
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "input.jsonl") << "{\"messages\":[]}\n";
  auto file = client.files().create({.file = smarter::FileInput::from_path(folder / "input.jsonl"),
                                     .purpose = "fine-tune",
                                     .expires_after = smarter::FileExpiresAfter{.seconds = 3600}});
  std::filesystem::remove_all(folder);
  expect(file.purpose == "fine-tune" && file.bytes == 16, "file uploaded");
  expect(client.files().content(file.id) == "{\"messages\":[]}\n", "file downloaded");
  int listed_files = 0;
  for (auto const& f : client.files().list({.purpose = "fine-tune", .limit = 20})) listed_files += f.id == file.id;
  expect(listed_files == 1, "file listed");

  // ---- fine-tuning jobs with nested method parameters
  auto job = client.fine_tuning().jobs().create({
      .model = "gpt-4o-mini-2024-07-18",
      .training_file = file.id,
      .method = smarter::FineTuningMethod{
          .type = "supervised",
          .supervised = smarter::SupervisedMethod{
              .hyperparameters = smarter::FineTuningHyperparameters{.n_epochs = 3},
          },
      },
      .suffix = "readme",
  });
  expect(job.training_file == file.id, "job created");

  // ---- pagination
  std::size_t jobs_seen = 0;
  for (auto const& j : client.fine_tuning().jobs().list({.limit = 20})) jobs_seen += !j.id.empty();
  expect(jobs_seen == 46, "every job of every page");
  auto first_page = client.fine_tuning().jobs().list({.limit = 20});
  expect(first_page.has_next_page() && first_page.get_next_page().data().size() == 20, "next page");

  // ---- error handling
  openai->fail_next(1, 429, "requests", "Rate limit reached");
  try {
    client.chat().completions().create({.messages = {smarter::ChatMessage::user("Hi")}, .model = "gpt-4o-mini"},
                                        {.max_retries = 0});
    expect(false, "429 raised");
  } catch (smarter::RateLimitError const& e) {
    expect(e.status_code() == 429, "RateLimitError status");
  }

  // ---- the platform: chatbots, prompts with PromptParams, configuration
  smarter::Smarter smarter_client({.api_key = platform->options().api_key,
                                   .base_url = smarter::testkit::platform_base_url(server)});
  auto chatbot = smarter_client.resources().chatbots().get(smarter::testkit::kDemoChatbotName);
  auto chat = chatbot.prompt("Hello, World!");
  expect(chat.answer == smarter::testkit::kDemoHelloAnswer, "prompt answer");
  auto more = chatbot.prompt("What can you do?", {.session_key = chat.session_key});
  expect(more.session_key == chat.session_key, "session continued");
  auto config = chatbot.config({.session_key = more.session_key});
  expect(config.session_key == more.session_key, "chat config");
  try {
    smarter_client.resources().chatbots().get("no-such-chatbot");
    expect(false, "NotFoundError raised");
  } catch (smarter::NotFoundError const&) {
  }

  if (failures != 0) return 1;
  std::cout << "readme_cpp20 ok\n";
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
