// readme_cpp20.cpp in C++17, which has no designated initializers: the documented style is a
// named object whose members are assigned one by one, then passed to the call. The packaging
// test builds it with -std=c++17 -Wall -Wextra -Wpedantic -Werror (GCC and clang) and runs it.
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
  smarter::ClientOptions options;
  options.api_key = "sk-example";
  options.base_url = server.url() + "v1";
  options.timeout = smarter::Timeout(30.0).with_connect(5.0);
  options.max_retries = 2;
  options.default_headers = {{"X-App", "readme-cpp17"}};
  smarter::http::HttpClientOptions http;
  http.connect_timeout = std::chrono::seconds(5);
  options.http_options = http;
  options.auth_scheme = smarter::AuthScheme::bearer;
  options.retry.initial_delay = 0.01;
  options.retry.max_delay = 0.05;
  options.log_level = smarter::LogLevel::off;
  options.limits.max_json_depth = 256;
  options.limits.max_sse_event_bytes = 1 << 20;
  smarter::Smarter client(options);

  // ---- chat completions with messages and tools, and per-call RequestOptions
  smarter::ChatTool weather;
  weather.function.name = "get_weather";
  weather.function.description = "The weather in a city";
  weather.function.parameters = nlohmann::json{{"type", "object"}};
  smarter::ChatCompletionCreateParams chat_params;
  chat_params.messages = {smarter::ChatMessage::system("Be brief."), smarter::ChatMessage::user("Hello!")};
  chat_params.model = "gpt-4o-mini";
  chat_params.temperature = 0.2;
  chat_params.tools = std::vector<smarter::ChatTool>{weather};
  smarter::RequestOptions call;
  call.timeout = 10.0;
  call.max_retries = 1;
  call.extra_headers = {{"X-Call", "chat"}};
  auto completion = client.chat().completions().create(chat_params, call);
  expect(completion.choices.at(0).message.content.value_or("") == "Echo: Hello!", "chat completion answer");
  expect(openai->received_bodies().back()["tools"][0]["function"]["name"] == "get_weather", "tools sent");

  // ---- streaming
  smarter::testkit::ChatStreamScript script;
  script.pieces = {"This", " is", " a", " test."};
  openai->script_next_stream(script);
  smarter::ChatCompletionCreateParams stream_params;
  stream_params.messages = {smarter::ChatMessage::user("Say this is a test")};
  stream_params.model = "gpt-4o-mini";
  stream_params.stream_options = smarter::ChatStreamOptions();
  stream_params.stream_options->include_usage = true;
  std::string streamed;
  smarter::ChatCompletionAccumulator accumulator;
  for (auto const& chunk : client.chat().completions().create_stream(stream_params)) {
    if (!chunk.choices.empty()) streamed += chunk.choices[0].delta.content.value_or("");
    accumulator.add(chunk);
  }
  expect(streamed == "This is a test.", "streamed text");
  expect(accumulator.final_completion().choices.at(0).message.content.value_or("") == "This is a test.",
         "accumulated completion");

  // ---- responses
  smarter::ResponseCreateParams response_params;
  response_params.model = "gpt-4o";
  response_params.input = "How much?";
  response_params.instructions = "Answer in one word.";
  response_params.reasoning = smarter::ResponseReasoning();
  response_params.reasoning->effort = "low";
  auto response = client.responses().create(response_params);
  expect(response.output_text() == "Echo: How much?", "responses output_text");

  // ---- files
  auto const folder = std::filesystem::temp_directory_path() / ("smarter-readme-cpp17-" + std::to_string(server.port()));
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "input.jsonl") << "{\"messages\":[]}\n";
  smarter::FileCreateParams upload;
  upload.file = smarter::FileInput::from_path(folder / "input.jsonl");
  upload.purpose = "fine-tune";
  upload.expires_after = smarter::FileExpiresAfter();
  upload.expires_after->seconds = 3600;
  auto file = client.files().create(upload);
  std::filesystem::remove_all(folder);
  expect(file.purpose == "fine-tune" && file.bytes == 16, "file uploaded");
  expect(client.files().content(file.id) == "{\"messages\":[]}\n", "file downloaded");
  smarter::FileListParams file_query;
  file_query.purpose = "fine-tune";
  file_query.limit = 20;
  int listed_files = 0;
  for (auto const& f : client.files().list(file_query)) listed_files += f.id == file.id;
  expect(listed_files == 1, "file listed");

  // ---- fine-tuning jobs with nested method parameters
  smarter::FineTuningHyperparameters hyperparameters;
  hyperparameters.n_epochs = 3;
  smarter::FineTuningMethod method;
  method.type = "supervised";
  method.supervised = smarter::SupervisedMethod();
  method.supervised->hyperparameters = hyperparameters;
  smarter::FineTuningJobCreateParams job_params;
  job_params.model = "gpt-4o-mini-2024-07-18";
  job_params.training_file = file.id;
  job_params.method = method;
  job_params.suffix = "readme";
  auto job = client.fine_tuning().jobs().create(job_params);
  expect(job.training_file == file.id, "job created");

  // ---- pagination
  smarter::FineTuningJobListParams page_query;
  page_query.limit = 20;
  std::size_t jobs_seen = 0;
  for (auto const& j : client.fine_tuning().jobs().list(page_query)) jobs_seen += !j.id.empty();
  expect(jobs_seen == 46, "every job of every page");
  auto first_page = client.fine_tuning().jobs().list(page_query);
  expect(first_page.has_next_page() && first_page.get_next_page().data().size() == 20, "next page");

  // ---- error handling
  openai->fail_next(1, 429, "requests", "Rate limit reached");
  try {
    smarter::ChatCompletionCreateParams hi;
    hi.messages = {smarter::ChatMessage::user("Hi")};
    hi.model = "gpt-4o-mini";
    smarter::RequestOptions no_retries;
    no_retries.max_retries = 0;
    client.chat().completions().create(hi, no_retries);
    expect(false, "429 raised");
  } catch (smarter::RateLimitError const& e) {
    expect(e.status_code() == 429, "RateLimitError status");
  }

  // ---- the platform: chatbots, prompts with PromptParams, configuration
  smarter::ClientOptions platform_options;
  platform_options.api_key = platform->options().api_key;
  platform_options.base_url = smarter::testkit::platform_base_url(server);
  smarter::Smarter smarter_client(platform_options);
  auto chatbot = smarter_client.resources().chatbots().get(smarter::testkit::kDemoChatbotName);
  auto chat = chatbot.prompt("Hello, World!");
  expect(chat.answer == smarter::testkit::kDemoHelloAnswer, "prompt answer");
  smarter::PromptParams next;
  next.session_key = chat.session_key;
  auto more = chatbot.prompt("What can you do?", next);
  expect(more.session_key == chat.session_key, "session continued");
  smarter::ChatConfigParams session;
  session.session_key = more.session_key;
  auto config = chatbot.config(session);
  expect(config.session_key == more.session_key, "chat config");
  try {
    smarter_client.resources().chatbots().get("no-such-chatbot");
    expect(false, "NotFoundError raised");
  } catch (smarter::NotFoundError const&) {
  }

  if (failures != 0) return 1;
  std::cout << "readme_cpp17 ok\n";
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
