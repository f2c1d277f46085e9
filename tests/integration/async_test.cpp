// AsyncSmarter over real HTTP on loopback, against the fake platform, the fake OpenAI-shaped
// endpoints and the fake Files API on one FakeServer: every async method once (compared with
// what the synchronous client returns), then(), streams, retries on the loop (and that a retry
// wait holds no thread), typed errors, cancellation (network wait, stream, retry wait), a large
// fan-out on one I/O thread, destruction with calls in flight, get() on the I/O thread, pages and
// the per-host connection limit.
//
// No assertion here is about durations: where a test needs "X happened while Y was waiting", it
// records the order of completions, and waits the test does not want to sit through (30 s server
// delays, a 30 s Retry-After) are ones it cancels, so a broken cancel shows as a ctest timeout or
// a wrong result rather than as a flaky timing.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/async.hpp>
#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/resources/chatbots.hpp>
#include <smarter/resources/files.hpp>
#include <smarter/resources/fine_tuning.hpp>
#include <smarter/resources/manifests.hpp>
#include <smarter/resources/plugins.hpp>
#include <smarter/resources/resources.hpp>
#include <smarter/resources/responses.hpp>
#include <smarter/testkit/fake_faults.hpp>
#include <smarter/testkit/fake_files.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>


namespace async_it {

/// What the fake answers in JSON mode: {"echo": <the user's text>}, with a schema of its own.
struct Echo {
  std::string echo;
  static constexpr char const* schema_name = "echo";
  static nlohmann::json json_schema() {
    return {{"type", "object"},
            {"properties", {{"echo", {{"type", "string"}}}}},
            {"required", {"echo"}},
            {"additionalProperties", false}};
  }
};
inline void from_json(nlohmann::json const& j, Echo& out) { j.at("echo").get_to(out.echo); }

}  // namespace async_it

namespace smarter {
namespace {

using async_it::Echo;
using nlohmann::json;
using testkit::FakeResponse;
using testkit::RecordedRequest;
using namespace std::chrono_literals;

// The full 1,000 also under ThreadSanitizer (about 2 s there) and AddressSanitizer.
constexpr int kFanOut = 1000;
constexpr char kCheckpoint[] = "ft:gpt-4o-mini-2024-07-18:org:custom:abc123:ckpt-step-10";
/// The longest any test waits for something that should happen at once (never reached when green).
constexpr auto kPatience = 20s;

/// A counter that can be waited on (arrivals at the server, callbacks run).
class Counter {
 public:
  void add() {
    // Notified under the lock: a waiter that sees its count may destroy the counter at once, so
    // nothing may touch it after the mutex is released.
    std::lock_guard<std::mutex> lock(mutex_);
    ++count_;
    cv_.notify_all();
  }
  /// Waits until the count reaches `target`; false after `patience`.
  bool wait_for(int target, std::chrono::seconds patience = kPatience) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, patience, [&] { return count_ >= target; });
  }
  int count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  int count_ = 0;
};

/// A gate the `test/gate` route waits at until the test opens it (or kPatience passes).
struct Gate {
  std::promise<void> promise;
  std::shared_future<void> opened = promise.get_future().share();
  std::once_flag once;
  void open() {
    std::call_once(once, [this] { promise.set_value(); });
  }
};

/// The `test/limited` route's throttle: the next `remaining` requests get 429 with Retry-After.
struct Throttle {
  std::mutex mutex;
  int remaining = 0;
  std::string retry_after = "1";
  Counter answered;  ///< 429s sent.
  void set(int count, std::string seconds) {
    std::lock_guard<std::mutex> lock(mutex);
    remaining = count;
    retry_after = std::move(seconds);
  }
};

ChatCompletionCreateParams hello(std::string text = "Hello") {
  ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.messages = {ChatMessage::user(std::move(text))};
  return params;
}

ChatCompletionCreateParams weather_question() {
  ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.messages = {ChatMessage::user("Lisbon")};
  params.tools = std::vector<ChatTool>{
      ChatTool{"function", FunctionDefinition{"get_weather", "Current weather", json{{"type", "object"}}, {}}}};
  return params;
}

std::string text_of(ChatCompletionChunk const& chunk) {
  return chunk.choices.empty() ? std::string() : chunk.choices[0].delta.content.value_or("");
}

std::string content_of(ChatCompletion const& completion) {
  return completion.choices.at(0).message.content.value_or("");
}

bool contains(std::string const& text, std::string const& needle) { return text.find(needle) != std::string::npos; }

template <class T, class F>
auto map_data(CursorPage<T> const& page, F f) {
  std::vector<decltype(f(std::declval<T const&>()))> out;
  for (T const& item : page.data()) out.push_back(f(item));
  return out;
}

/// Drains an async stream with next() until it ends.
template <class T>
std::vector<T> drain(AsyncStream<T> const& stream) {
  std::vector<T> items;
  while (std::optional<T> item = stream.next().get()) items.push_back(std::move(*item));
  return items;
}

class AsyncIT : public ::testing::Test {
 protected:
  void SetUp() override {
    for (char const* name : {"SMARTER_API_KEY", "SMARTER_BASE_URL", "SMARTER_ENVIRONMENT", "SMARTER_LOG"}) unsetenv(name);
    server_ = std::make_unique<testkit::FakeServer>();
    platform_ = testkit::install_platform(*server_, {});
    testkit::FakeOpenAIOptions openai;
    openai.call_tools = true;  // run_tools needs a model that asks for tools
    openai_ = testkit::install_openai(*server_, openai);
    files_ = testkit::install_files(*server_);
    faults_ = testkit::install_faults(*server_);

    // test/slow/<ms>: answered after <ms> milliseconds (cut short when the server stops).
    server_->route("GET", "/api/v1/test/slow/([0-9]+)", [arrivals = slow_arrivals_](RecordedRequest const& request) {
      FakeResponse response = FakeResponse::json(200, {{"slow", true}, {"n", request.param("n").value_or("")}});
      response.delay = std::chrono::milliseconds(std::stoll(request.path_groups.at(1)));
      arrivals->add();
      return response;
    });
    // test/gate: answered once the test opens the gate.
    server_->route("GET", "/api/v1/test/gate", [gate = gate_, arrivals = gate_arrivals_](RecordedRequest const&) {
      arrivals->add();
      gate->opened.wait_for(kPatience);
      return FakeResponse::json(200, {{"gate", "open"}});
    });
    // test/limited: 200, unless the throttle says 429 with Retry-After.
    server_->route("GET", "/api/v1/test/limited", [](RecordedRequest const&) { return FakeResponse::json(200, {{"ok", true}}); });
    server_->intercept([throttle = throttle_](RecordedRequest const& head) -> std::optional<FakeResponse> {
      if (head.path != "/api/v1/test/limited") return std::nullopt;
      std::unique_lock<std::mutex> lock(throttle->mutex);
      if (throttle->remaining <= 0) return std::nullopt;
      --throttle->remaining;
      FakeResponse response = FakeResponse::json(429, {{"error", {{"message", "slow down"}, {"type", "requests"}}}});
      response.headers.emplace_back("Retry-After", throttle->retry_after);
      lock.unlock();
      throttle->answered.add();
      return response;
    });
    // test/echo-auth: a 400 whose message repeats the Authorization header.
    server_->route("GET", "/api/v1/test/echo-auth", [](RecordedRequest const& request) {
      return FakeResponse::json(
          400, {{"error", {{"message", "bad auth header: " + request.header("Authorization").value_or("")}}}});
    });
  }

  void TearDown() override { gate_->open(); }

  /// Options of a client of the fake platform (which also serves the OpenAI-shaped and Files
  /// endpoints under the same base URL): fast retries, the platform generation fixed.
  ClientOptions options() const {
    ClientOptions options;
    options.api_key = platform_->options().api_key;
    options.base_url = testkit::platform_base_url(*server_);
    options.platform = PlatformGeneration::v0_13;
    options.retry.initial_delay = 0.01;
    options.retry.max_delay = 0.05;
    return options;
  }

  static AsyncOptions io_threads(int count, int callback_threads = 0) {
    AsyncOptions async;
    async.io_threads = count;
    async.callback_threads = callback_threads;
    return async;
  }

  std::string key() const { return platform_->options().api_key; }

  std::unique_ptr<testkit::FakeServer> server_;
  std::shared_ptr<testkit::FakePlatform> platform_;
  std::shared_ptr<testkit::FakeOpenAI> openai_;
  std::shared_ptr<testkit::FakeFiles> files_;
  std::shared_ptr<testkit::FakeFaults> faults_;
  std::shared_ptr<Counter> slow_arrivals_ = std::make_shared<Counter>();
  std::shared_ptr<Counter> gate_arrivals_ = std::make_shared<Counter>();
  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  std::shared_ptr<Throttle> throttle_ = std::make_shared<Throttle>();
};

// =============================================================== 1. every method once

TEST_F(AsyncIT, AccountCallsRequestRunAndSyncMatchTheSyncClient) {
  AsyncSmarter client(options());
  Smarter const& sync = client.sync();

  WhoAmI const who = client.whoami().get();
  EXPECT_EQ(who.user.username, testkit::kFakeUsername);
  EXPECT_EQ(who.account.account_number, testkit::kFakeAccountNumber);
  EXPECT_EQ(who.user.username, sync.whoami().user.username);
  EXPECT_EQ(who.account.account_number, sync.whoami().account.account_number);

  PlatformStatus const status = client.platform_status().get();
  EXPECT_EQ(status.compute.system, "Linux");
  EXPECT_EQ(status.infrastructure_names(), sync.platform_status().infrastructure_names());

  PlatformVersion const version = client.platform_version().get();
  EXPECT_EQ(version.api_version, testkit::kFakeVersionV013);
  EXPECT_EQ(version.api_version, sync.platform_version().api_version);

  RawResponse const raw = client.request("POST", "cli/whoami/").get();
  EXPECT_EQ(raw.status_code, 200);
  EXPECT_EQ(raw.retries_taken, 0);
  EXPECT_EQ(raw.json()["data"]["user"]["username"], testkit::kFakeUsername);
  EXPECT_EQ(raw.json()["data"]["user"], sync.request("POST", "cli/whoami/").json()["data"]["user"]);

  // run(): any synchronous code as one call on the loop, where it holds no thread while waiting.
  Future<std::pair<std::string, bool>> ran = client.run([](Smarter const& c) {
    return std::make_pair(c.whoami().user.username.value_or(""), detail::on_io_thread());
  });
  auto const [username, on_loop] = ran.get();
  EXPECT_EQ(username, testkit::kFakeUsername);
  EXPECT_TRUE(on_loop) << "run() did not run its code on the I/O thread";
  EXPECT_FALSE(detail::on_io_thread());

  EXPECT_EQ(client.sync().api_key(), key());
  EXPECT_EQ(client.sync().base_url(), testkit::platform_base_url(*server_));
}

TEST_F(AsyncIT, ChatbotsEveryMethod) {
  AsyncSmarter client(options());
  auto chatbots = client.resources().chatbots();
  auto sync = client.sync().resources().chatbots();
  auto names = [](CursorPage<ChatbotSummary> const& page) {
    return map_data(page, [](ChatbotSummary const& s) { return s.name; });
  };

  // list / get
  EXPECT_EQ(names(chatbots.list().get()), platform_->chatbot_names());
  EXPECT_EQ(names(chatbots.list().get()), names(sync.list()));
  resources::Chatbot const demo = chatbots.get(testkit::kDemoChatbotName).get();
  EXPECT_EQ(demo.name(), testkit::kDemoChatbotName);
  EXPECT_EQ(demo.kind, "Chatbot");
  EXPECT_EQ(demo.spec.config.default_model, sync.get(testkit::kDemoChatbotName).spec.config.default_model);

  // prompt / config
  PromptReply const reply = chatbots.prompt(testkit::kDemoChatbotName, "Hello, World!").get();
  EXPECT_EQ(reply.answer, testkit::kDemoHelloAnswer);
  EXPECT_EQ(reply.answer, sync.prompt(testkit::kDemoChatbotName, "Hello, World!").answer);
  ASSERT_TRUE(reply.session_key.has_value());
  PromptParams again;
  again.session_key = reply.session_key;
  PromptReply const second = chatbots.prompt(testkit::kDemoChatbotName, "And again?", again).get();
  EXPECT_EQ(second.session_key, reply.session_key);
  EXPECT_TRUE(contains(second.answer, "message 2")) << second.answer;
  ChatConfigParams config_params;
  config_params.session_key = reply.session_key;
  ChatConfig const config = chatbots.config(testkit::kDemoChatbotName, config_params).get();
  EXPECT_EQ(config.session_key, reply.session_key);
  EXPECT_EQ(config.chatbot.name, testkit::kDemoChatbotName);
  EXPECT_EQ(config.history_messages().size(), platform_->session_messages(*reply.session_key).size());

  // apply / deploy / undeploy / logs / remove
  auto manifest = Manifest::load_file(std::string(SMARTER_TEST_DATA_DIR) + "/lifecycle_chatbot.yaml");
  std::string const name = manifest.name();
  ChatbotManifest const applied = chatbots.apply(manifest).get();
  EXPECT_EQ(applied.metadata.name, name);
  EXPECT_EQ(platform_->chatbot_names().size(), 2u);
  EXPECT_EQ(chatbots.get(name).get().spec.config.default_system_role, "You are a careful test assistant.");

  EXPECT_TRUE(contains(chatbots.deploy(name).get().message.value_or(""), "deployed"));
  EXPECT_TRUE(platform_->is_deployed(name));
  EXPECT_TRUE(chatbots.undeploy(name).get().data.is_object());
  EXPECT_FALSE(platform_->is_deployed(name));
  EXPECT_EQ(chatbots.logs(name).get().data, json::object());
  EXPECT_EQ(chatbots.logs(name).get().data, sync.logs(name).data);
  EXPECT_TRUE(contains(chatbots.remove(name).get().message.value_or(""), "deleted successfully"));
  EXPECT_EQ(platform_->chatbot_names(), std::vector<std::string>{testkit::kDemoChatbotName});
  EXPECT_THROW(chatbots.get(name).get(), NotFoundError);
}

TEST_F(AsyncIT, PluginsEveryMethod) {
  AsyncSmarter client(options());
  auto plugins = client.resources().plugins();
  auto names = [](CursorPage<PluginSummary> const& page) {
    return map_data(page, [](PluginSummary const& s) { return s.name; });
  };
  auto const before = plugins.list().get();
  EXPECT_EQ(names(before), std::vector<std::string>{"everlasting_gobstopper"});
  EXPECT_EQ(names(before), names(client.sync().resources().plugins().list()));

  auto manifest = Manifest::load_file(std::string(SMARTER_TEST_DATA_DIR) + "/test_plugin.json");
  EXPECT_EQ(plugins.apply(manifest).get().metadata.name, "test_static_plugin");
  PluginManifest const got = plugins.get("test_static_plugin").get();
  EXPECT_EQ(got.kind, "Plugin");
  EXPECT_EQ(got.metadata.version, "0.2.0");
  EXPECT_EQ(got.spec.data, client.sync().resources().plugins().get("test_static_plugin").spec.data);
  EXPECT_EQ(plugins.list().get().data().size(), 2u);
  EXPECT_TRUE(contains(plugins.remove("test_static_plugin").get().message.value_or(""), "deleted"));
  EXPECT_THROW(plugins.get("test_static_plugin").get(), NotFoundError);
  EXPECT_EQ(platform_->plugin_names(), std::vector<std::string>{"everlasting_gobstopper"});
}

TEST_F(AsyncIT, ManifestsEveryMethod) {
  AsyncSmarter client(options());
  auto manifests = client.manifests();
  auto sync = client.sync().manifests();

  ManifestDocument const example = manifests.example_manifest("Chatbot").get();
  EXPECT_EQ(example.kind, "Chatbot");
  EXPECT_EQ(example.metadata.name, "example_chatbot");
  EXPECT_EQ(example.metadata.name, sync.example_manifest("Chatbot").metadata.name);
  ManifestSchema const schema = manifests.json_schema("chatbot").get();
  EXPECT_EQ(schema.schema["properties"]["kind"]["const"], "Chatbot");
  EXPECT_EQ(schema.schema, sync.json_schema("chatbot").schema);

  EXPECT_EQ(manifests.apply(example.to_manifest()).get().metadata.name, "example_chatbot");
  ManifestList const table = manifests.get("Chatbots", "example_chatbot").get();
  ASSERT_EQ(table.items.size(), 1u);
  EXPECT_EQ(table.items[0]["name"], "example_chatbot");
  EXPECT_EQ(table.items, sync.get("Chatbots", "example_chatbot").items);
  EXPECT_EQ(manifests.describe("Chatbot", "example_chatbot").get().status["deployed"], false);
  manifests.deploy("Chatbot", "example_chatbot").get();
  EXPECT_TRUE(platform_->is_deployed("example_chatbot"));
  manifests.undeploy("Chatbot", "example_chatbot").get();
  EXPECT_FALSE(platform_->is_deployed("example_chatbot"));
  EXPECT_EQ(manifests.logs("Chatbot", "example_chatbot").get().data, json::object());
  manifests.remove("Chatbot", "example_chatbot").get();
  EXPECT_THROW(manifests.describe("Chatbot", "example_chatbot").get(), NotFoundError);
}

TEST_F(AsyncIT, ChatCompletionsEveryMethod) {
  AsyncSmarter client(options());
  auto completions = client.chat().completions();
  auto sync = client.sync().chat().completions();

  ChatCompletion const plain = completions.create(hello()).get();
  EXPECT_EQ(content_of(plain), "Echo: Hello");
  EXPECT_EQ(content_of(plain), content_of(sync.create(hello())));
  EXPECT_TRUE(plain.request_id().has_value());

  // stored: create, retrieve, update, list, messages, remove
  ChatCompletionCreateParams stored = hello("keep me");
  stored.store = true;
  stored.metadata = std::map<std::string, std::string>{{"stage", "draft"}};
  ChatCompletion const created = completions.create(stored).get();
  ChatCompletion const retrieved = completions.retrieve(created.id).get();
  EXPECT_EQ(retrieved.id, created.id);
  EXPECT_EQ(content_of(retrieved), "Echo: keep me");
  EXPECT_EQ(retrieved.metadata, (std::map<std::string, std::string>{{"stage", "draft"}}));
  EXPECT_EQ(content_of(retrieved), content_of(sync.retrieve(created.id)));

  ChatCompletionUpdateParams update;
  update.metadata = {{"stage", "final"}};
  EXPECT_EQ(completions.update(created.id, update).get().metadata, (std::map<std::string, std::string>{{"stage", "final"}}));
  EXPECT_EQ(sync.retrieve(created.id).metadata, (std::map<std::string, std::string>{{"stage", "final"}}));

  auto ids = [](CursorPage<ChatCompletion> const& page) {
    return map_data(page, [](ChatCompletion const& c) { return c.id; });
  };
  EXPECT_EQ(ids(completions.list().get()), std::vector<std::string>{created.id});
  EXPECT_EQ(ids(completions.list().get()), ids(sync.list()));

  auto contents = [](CursorPage<ChatCompletionStoreMessage> const& page) {
    return map_data(page, [](ChatCompletionStoreMessage const& m) { return m.content.value_or(""); });
  };
  auto const messages = completions.messages().list(created.id).get();
  EXPECT_EQ(contents(messages), std::vector<std::string>{"keep me"});
  EXPECT_EQ(contents(messages), contents(sync.messages().list(created.id)));

  ChatCompletionDeleted const deleted = completions.remove(created.id).get();
  EXPECT_TRUE(deleted.deleted);
  EXPECT_EQ(deleted.id, created.id);
  EXPECT_THROW(completions.retrieve(created.id).get(), NotFoundError);

  // parse<T>
  ParsedChatCompletion<Echo> const parsed = completions.parse<Echo>(hello("structured")).get();
  EXPECT_EQ(parsed.parsed.echo, "structured");
  EXPECT_EQ(parsed.parsed.echo, sync.parse<Echo>(hello("structured")).parsed.echo);
  EXPECT_EQ(server_->requests().back().json()["response_format"]["json_schema"]["name"], "echo");

  // run_tools: the handler runs on the I/O thread
  std::atomic<bool> handler_on_loop{false};
  std::atomic<int> handler_calls{0};
  ToolRunResult const result =
      completions
          .run_tools(weather_question(), {{"get_weather",
                                           [&](json const& arguments) {
                                             handler_on_loop = detail::on_io_thread();
                                             ++handler_calls;
                                             return "21 C and sunny in " + arguments.at("input").get<std::string>();
                                           }}})
          .get();
  EXPECT_TRUE(result.finished);
  EXPECT_EQ(result.steps, 2);
  EXPECT_EQ(content_of(result.completion), "Echo: 21 C and sunny in Lisbon");
  EXPECT_EQ(result.messages.size(), 4u);
  EXPECT_EQ(handler_calls.load(), 1);
  EXPECT_TRUE(handler_on_loop.load());
}

TEST_F(AsyncIT, ResponsesEveryMethod) {
  AsyncSmarter client(options());
  auto responses = client.responses();
  auto sync = client.sync().responses();

  ResponseCreateParams params;
  params.model = "gpt-4o-mini";
  params.input = std::string("keep me");
  Response const created = responses.create(params).get();
  EXPECT_EQ(created.output_text(), "Echo: keep me");
  EXPECT_EQ(created.status, "completed");

  Response const fetched = responses.retrieve(created.id).get();
  EXPECT_EQ(fetched.id, created.id);
  EXPECT_EQ(fetched.output_text(), sync.retrieve(created.id).output_text());
  ResponseRetrieveParams include;
  include.include = std::vector<std::string>{"reasoning.encrypted_content"};
  EXPECT_EQ(responses.retrieve(created.id, include).get().output_text(), "Echo: keep me");
  EXPECT_EQ(server_->requests().back().query, "include=reasoning.encrypted_content");

  // retrieve_stream and create_stream, event for event like the sync streams
  ResponseRetrieveParams replay;
  replay.starting_after = 0;
  auto types_and_text = [](std::vector<ResponseStreamEvent> const& events) {
    std::vector<std::string> types;
    std::string text;
    for (auto const& event : events) {
      types.push_back(event.type);
      if (event.type == "response.output_text.delta") text += event.delta.value_or("");
    }
    return std::make_pair(types, text);
  };
  auto const replayed = types_and_text(drain(responses.retrieve_stream(created.id, replay).get()));
  EXPECT_EQ(replayed.second, "Echo: keep me");
  EXPECT_EQ(replayed.first.back(), "response.completed");
  std::vector<ResponseStreamEvent> sync_replay;
  for (auto const& event : sync.retrieve_stream(created.id, replay)) sync_replay.push_back(event);
  EXPECT_EQ(replayed, types_and_text(sync_replay));

  ResponseCreateParams streamed = params;
  streamed.input = std::string("one two");
  auto const live = types_and_text(drain(responses.create_stream(streamed).get()));
  EXPECT_EQ(live.second, "Echo: one two");
  std::vector<ResponseStreamEvent> sync_live;
  for (auto const& event : sync.create_stream(streamed)) sync_live.push_back(event);
  EXPECT_EQ(live, types_and_text(sync_live));

  // input items, input tokens, compaction
  ResponseInputItem system;
  system.role = "developer";
  system.content = std::string("Be brief.");
  ResponseInputItem question;
  question.role = "user";
  question.content = std::string("What is two plus two?");
  ResponseCreateParams conversation = params;
  conversation.input = std::vector<ResponseInputItem>{system, question};
  Response const talked = responses.create(conversation).get();
  auto roles = [](CursorPage<ResponseItem> const& page) {
    return map_data(page, [](ResponseItem const& item) { return item.role.value_or(""); });
  };
  auto const items = responses.input_items().list(talked.id).get();
  EXPECT_EQ(roles(items), (std::vector<std::string>{"user", "developer"}));
  EXPECT_EQ(roles(items), roles(sync.input_items().list(talked.id)));

  ResponseInputTokensParams count;
  count.model = "gpt-4o-mini";
  count.input = std::string("one two three");
  ResponseInputTokens const counted = responses.input_tokens().count(count).get();
  EXPECT_EQ(counted.input_tokens, 3);
  EXPECT_EQ(counted.input_tokens, sync.input_tokens().count(count).input_tokens);

  ResponseCompactParams compact;
  compact.model = "gpt-4o-mini";
  compact.previous_response_id = talked.id;
  compact.input = std::string("And times three?");
  ResponseCompaction const compacted = responses.compact(compact).get();
  EXPECT_EQ(compacted.object, "response.compaction");
  ASSERT_EQ(compacted.output.size(), 4u);
  EXPECT_EQ(compacted.output[3].type, "compaction");

  // background + cancel
  ResponseCreateParams background = params;
  background.input = std::string("never mind");
  background.background = true;
  Response const queued = responses.create(background).get();
  EXPECT_EQ(queued.status, "queued");
  EXPECT_EQ(responses.cancel(queued.id).get().status, "cancelled");

  // parse<T>
  ResponseCreateParams bonjour = params;
  bonjour.input = std::string("bonjour");
  ParsedResponse<Echo> const parsed = responses.parse<Echo>(bonjour).get();
  EXPECT_EQ(parsed.parsed.echo, "bonjour");
  EXPECT_EQ(parsed.parsed.echo, sync.parse<Echo>(bonjour).parsed.echo);

  // chat().responses(): the chat spelling
  ChatResponseCreateParams chat_spelling;
  chat_spelling.model = "gpt-4o";
  chat_spelling.input = std::string("How much?");
  EXPECT_EQ(client.chat().responses().create(chat_spelling).get().output_text(), "Echo: How much?");
  std::string chat_streamed;
  for (auto const& event : drain(client.chat().responses().create_stream(chat_spelling).get()))
    if (event.type == "response.output_text.delta") chat_streamed += event.delta.value_or("");
  EXPECT_EQ(chat_streamed, "Echo: How much?");

  // remove: a Future<void>
  Future<void> removed = responses.remove(created.id);
  EXPECT_NO_THROW(removed.get());
  EXPECT_EQ(server_->requests().back().method, "DELETE");
  EXPECT_THROW(responses.retrieve(created.id).get(), NotFoundError);
}

TEST_F(AsyncIT, FilesEveryMethod) {
  std::random_device device;
  auto const dir = std::filesystem::temp_directory_path() /
                   ("smarter-async-it-" + std::to_string(device()) + std::to_string(device()));
  std::filesystem::create_directories(dir);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{dir};

  AsyncSmarter client(options());
  auto files = client.files();
  auto sync = client.sync().files();
  std::string const content = "{\"prompt\": \"a\"}\n{\"prompt\": \"b\"}\n";

  FileObject const created =
      files.create({FileInput::from_contents("train.jsonl", content, "application/jsonl"), "fine-tune"}).get();
  EXPECT_EQ(created.filename, "train.jsonl");
  EXPECT_EQ(created.purpose, "fine-tune");
  EXPECT_EQ(created.bytes, content.size());
  EXPECT_EQ(files_->read_bytes(created.id), content);

  auto ids = [](CursorPage<FileObject> const& page) { return map_data(page, [](FileObject const& f) { return f.id; }); };
  EXPECT_EQ(ids(files.list().get()), std::vector<std::string>{created.id});
  EXPECT_EQ(ids(files.list().get()), ids(sync.list()));

  FileObject const retrieved = files.retrieve(created.id).get();
  EXPECT_EQ(retrieved.id, created.id);
  EXPECT_EQ(retrieved.filename, sync.retrieve(created.id).filename);

  EXPECT_EQ(files.content(created.id).get(), content);
  EXPECT_EQ(files.content(created.id).get(), sync.content(created.id));

  auto const target = dir / "downloaded.jsonl";
  FileDownload const to_path = files.content_to_path(created.id, target).get();
  EXPECT_EQ(to_path.bytes, content.size());
  std::ifstream in(target, std::ios::binary);
  std::stringstream read;
  read << in.rdbuf();
  EXPECT_EQ(read.str(), content);

  std::string sunk;
  std::atomic<bool> sink_on_loop{false};
  FileDownload const to_sink = files
                                   .content_to_sink(created.id,
                                                    [&](char const* data, std::size_t size) {
                                                      sink_on_loop = detail::on_io_thread();
                                                      sunk.append(data, size);
                                                    })
                                   .get();
  EXPECT_EQ(to_sink.bytes, content.size());
  EXPECT_EQ(sunk, content);
  EXPECT_TRUE(sink_on_loop.load()) << "the sink is called on the I/O thread";

  FileDeleted const deleted = files.remove(created.id).get();
  EXPECT_TRUE(deleted.deleted);
  EXPECT_EQ(deleted.id, created.id);
  EXPECT_THROW(files.retrieve(created.id).get(), NotFoundError);
  EXPECT_TRUE(files_->files().empty());
}

TEST_F(AsyncIT, FineTuningEveryMethod) {
  AsyncSmarter client(options());
  auto jobs = client.fine_tuning().jobs();
  auto sync = client.sync().fine_tuning().jobs();
  FineTuningJobCreateParams params;
  params.model = "gpt-4o-mini-2024-07-18";
  params.training_file = "file-abc123";
  params.suffix = "custom";

  FineTuningJob const job = jobs.create(params).get();
  EXPECT_EQ(job.status, "validating_files");
  EXPECT_EQ(job.training_file, "file-abc123");
  EXPECT_EQ(jobs.retrieve(job.id).get().status, "queued");
  EXPECT_EQ(jobs.pause(job.id).get().status, "paused");
  EXPECT_EQ(jobs.resume(job.id).get().status, "running");
  std::string status;
  for (int i = 0; i < 10 && status != "succeeded"; ++i) status = jobs.retrieve(job.id).get().status;
  ASSERT_EQ(status, "succeeded");

  auto job_ids = [](CursorPage<FineTuningJob> const& page) {
    return map_data(page, [](FineTuningJob const& j) { return j.id; });
  };
  EXPECT_EQ(job_ids(jobs.list().get()), std::vector<std::string>{job.id});
  EXPECT_EQ(job_ids(jobs.list().get()), job_ids(sync.list()));

  auto messages = [](CursorPage<FineTuningJobEvent> const& page) {
    return map_data(page, [](FineTuningJobEvent const& e) { return e.message; });
  };
  auto const events = jobs.list_events(job.id).get();
  ASSERT_FALSE(events.data().empty());
  EXPECT_EQ(events.data().front().message, "The job has successfully completed");
  EXPECT_EQ(messages(events), messages(sync.list_events(job.id)));

  auto steps = [](CursorPage<FineTuningJobCheckpoint> const& page) {
    return map_data(page, [](FineTuningJobCheckpoint const& c) { return c.step_number; });
  };
  auto const checkpoints = jobs.checkpoints().list(job.id).get();
  EXPECT_EQ(steps(checkpoints), (std::vector<std::int64_t>{30, 20, 10}));
  EXPECT_EQ(steps(checkpoints), steps(sync.checkpoints().list(job.id)));

  FineTuningJob const other = jobs.create(params).get();
  EXPECT_EQ(jobs.cancel(other.id).get().status, "cancelled");
  EXPECT_EQ(sync.retrieve(other.id).status, "cancelled");

  // checkpoint permissions
  auto permissions = client.fine_tuning().checkpoints().permissions();
  auto const granted = permissions.create(kCheckpoint, {{"proj_a", "proj_b"}}).get();
  ASSERT_EQ(granted.data().size(), 2u);
  auto projects = [](CursorPage<FineTuningCheckpointPermission> const& page) {
    return map_data(page, [](FineTuningCheckpointPermission const& p) { return p.project_id; });
  };
  EXPECT_EQ(projects(permissions.list(kCheckpoint).get()), (std::vector<std::string>{"proj_b", "proj_a"}));
  EXPECT_EQ(projects(permissions.list(kCheckpoint).get()),
            projects(client.sync().fine_tuning().checkpoints().permissions().list(kCheckpoint)));
  FineTuningCheckpointPermissionDeleted const revoked = permissions.remove(kCheckpoint, granted.data()[1].id).get();
  EXPECT_TRUE(revoked.deleted);
  EXPECT_EQ(revoked.id, granted.data()[1].id);
  EXPECT_EQ(projects(permissions.list(kCheckpoint).get()).size(), 1u);

  // graders
  auto graders = client.fine_tuning().alpha().graders();
  FineTuningGraderRunParams run;
  run.grader = {{"type", "string_check"}, {"name", "exact"}, {"input", "{{sample.output_text}}"},
                {"reference", "{{item.answer}}"}, {"operation", "eq"}};
  run.item = json{{"answer", "Paris"}};
  run.model_sample = "Paris";
  FineTuningGraderRunResult const graded = graders.run(run).get();
  EXPECT_EQ(graded.reward, 1.0);
  EXPECT_EQ(graded.metadata["name"], "exact");
  run.model_sample = "Lyon";
  EXPECT_EQ(graders.run(run).get().reward, 0.0);
  FineTuningGraderValidateParams validate;
  validate.grader = {{"type", "text_similarity"}, {"name", "close"}, {"input", "{{sample.output_text}}"},
                     {"reference", "{{item.answer}}"}, {"evaluation_metric", "fuzzy_match"}};
  FineTuningGraderValidation const valid = graders.validate(validate).get();
  ASSERT_TRUE(valid.grader.has_value());
  EXPECT_EQ((*valid.grader)["evaluation_metric"], "fuzzy_match");
  validate.grader = {{"type", "no_such_grader"}};
  EXPECT_THROW(graders.validate(validate).get(), BadRequestError);
}

// =============================================================== futures and then()

TEST_F(AsyncIT, FutureBasics) {
  Future<WhoAmI> none;
  EXPECT_FALSE(none.valid());
  EXPECT_THROW(none.get(), SmarterError);

  AsyncSmarter client(options());
  Future<WhoAmI> who = client.whoami();
  EXPECT_TRUE(who.valid());
  ASSERT_TRUE(who.wait_for(kPatience));
  EXPECT_TRUE(who.ready());
  EXPECT_FALSE(who.cancel()) << "a finished call cannot be cancelled";
  Future<WhoAmI> copy = who;  // copies share the result
  EXPECT_EQ(copy.get().user.username, testkit::kFakeUsername);
  EXPECT_THROW(who.get(), SmarterError) << "the result can be taken once";
}

TEST_F(AsyncIT, ThenRunsOnACallbackThreadWithTheResult) {
  AsyncSmarter client(options(), io_threads(1, 2));
  Future<RawResponse> pending = client.request("GET", "test/gate");
  ASSERT_TRUE(gate_arrivals_->wait_for(1));
  EXPECT_FALSE(pending.ready());

  struct Seen {
    std::thread::id thread;
    bool on_loop = true;
    std::string value;
  };
  std::promise<Seen> seen;
  pending.then([&seen](Future<RawResponse> done) {
    Seen s;
    s.thread = std::this_thread::get_id();
    s.on_loop = detail::on_io_thread();
    try {
      s.value = done.get().json().at("gate").get<std::string>();
    } catch (std::exception const& e) {
      s.value = std::string("error: ") + e.what();
    }
    seen.set_value(s);
  });
  gate_->open();
  auto result = seen.get_future();
  ASSERT_EQ(result.wait_for(kPatience), std::future_status::ready);
  Seen const s = result.get();
  EXPECT_EQ(s.value, "open");
  EXPECT_NE(s.thread, std::this_thread::get_id()) << "the callback ran on the caller's thread";
  EXPECT_FALSE(s.on_loop) << "with callback_threads = 2 the callback must not run on the I/O thread";
}

TEST_F(AsyncIT, ThenRunsOnTheIoThreadWithoutCallbackThreadsAndAtOnceWhenReady) {
  AsyncSmarter client(options());  // callback_threads = 0
  Future<RawResponse> pending = client.request("GET", "test/gate");
  ASSERT_TRUE(gate_arrivals_->wait_for(1));
  std::promise<std::pair<bool, int>> seen;
  pending.then([&seen](Future<RawResponse> done) {
    bool const on_loop = detail::on_io_thread();
    int status = 0;
    try {
      status = done.get().status_code;
    } catch (...) {
    }
    seen.set_value({on_loop, status});
  });
  gate_->open();
  auto result = seen.get_future();
  ASSERT_EQ(result.wait_for(kPatience), std::future_status::ready);
  auto const [on_loop, status] = result.get();
  EXPECT_TRUE(on_loop);
  EXPECT_EQ(status, 200);

  // A future already complete runs the callback right away, on this thread.
  Future<WhoAmI> done = client.whoami();
  done.wait();
  std::thread::id ran_on;
  std::string user;
  done.then([&](Future<WhoAmI> f) {
    ran_on = std::this_thread::get_id();
    user = f.get().user.username.value_or("");
  });
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(user, testkit::kFakeUsername);
}

// =============================================================== 3. streams

TEST_F(AsyncIT, StreamNextGivesTheSameChunksAsTheSyncStream) {
  AsyncSmarter client(options());
  AsyncStream<ChatCompletionChunk> stream = client.chat().completions().create_stream(hello("one two three")).get();
  EXPECT_EQ(stream.status_code(), 200);
  EXPECT_TRUE(stream.request_id().has_value());
  std::vector<std::string> texts;
  ChatCompletionAccumulator accumulator;
  for (auto const& chunk : drain(stream)) {
    texts.push_back(text_of(chunk));
    accumulator.add(chunk);
  }
  EXPECT_FALSE(stream.next().get().has_value()) << "an ended stream stays ended";
  EXPECT_EQ(content_of(accumulator.final_completion()), "Echo: one two three");

  std::vector<std::string> sync_texts;
  for (auto const& chunk : client.sync().chat().completions().create_stream(hello("one two three")))
    sync_texts.push_back(text_of(chunk));
  EXPECT_EQ(texts, sync_texts);
  EXPECT_GT(texts.size(), 2u);
}

TEST_F(AsyncIT, StreamForEachCountsAndStopsEarly) {
  AsyncSmarter client(options(), io_threads(1, 2));
  std::size_t sync_count = 0;
  for (auto const& chunk : client.sync().chat().completions().create_stream(hello("a b c d"))) {
    (void)chunk;
    ++sync_count;
  }

  std::mutex mutex;
  std::string text;
  std::atomic<bool> all_on_loop{true};
  AsyncStream<ChatCompletionChunk> stream = client.chat().completions().create_stream(hello("a b c d")).get();
  std::size_t const count = stream
                                .for_each([&](ChatCompletionChunk const& chunk) {
                                  if (!detail::on_io_thread()) all_on_loop = false;
                                  std::lock_guard<std::mutex> lock(mutex);
                                  text += text_of(chunk);
                                  return true;
                                })
                                .get();
  EXPECT_EQ(count, sync_count);
  EXPECT_EQ(text, "Echo: a b c d");
  EXPECT_TRUE(all_on_loop.load()) << "for_each calls its callback on the I/O thread";

  // Returning false stops at once and closes the stream (10 s of chunks are never waited for).
  testkit::ChatStreamScript script;
  for (int i = 0; i < 100; ++i) script.pieces.push_back("p" + std::to_string(i));
  script.pause_between = 100ms;
  openai_->script_next_stream(script);
  AsyncStream<ChatCompletionChunk> long_stream = client.chat().completions().create_stream(hello()).get();
  std::atomic<int> seen{0};
  std::size_t const stopped = long_stream.for_each([&](ChatCompletionChunk const&) { return ++seen < 2; }).get();
  EXPECT_EQ(stopped, 2u);
  EXPECT_EQ(seen.load(), 2);
  EXPECT_FALSE(long_stream.next().get().has_value()) << "for_each closed the stream: it ends";

  // The client is still usable.
  EXPECT_EQ(content_of(client.chat().completions().create(hello("after")).get()), "Echo: after");
}

TEST_F(AsyncIT, StreamCloseEndsItAndIsIdempotent) {
  AsyncSmarter client(options());
  testkit::ChatStreamScript script;
  script.pieces = {"a", "b", "c"};
  script.pause_between = 30s;  // never waited for: the stream is closed after the first chunk
  openai_->script_next_stream(script);
  AsyncStream<ChatCompletionChunk> stream = client.chat().completions().create_stream(hello()).get();
  std::optional<ChatCompletionChunk> first = stream.next().get();
  ASSERT_TRUE(first.has_value());
  stream.close();
  stream.close();
  // A closed stream ends, as a closed synchronous Stream does.
  EXPECT_FALSE(stream.next().get().has_value());
  AsyncStream<ChatCompletionChunk> copy = stream;  // copies share the closed stream
  EXPECT_FALSE(copy.next().get().has_value());
  EXPECT_EQ(content_of(client.chat().completions().create(hello("after")).get()), "Echo: after");
}

TEST_F(AsyncIT, AStreamWithoutAStreamThrowsInsteadOfCrashing) {
  AsyncStream<ChatCompletionChunk> empty;
  EXPECT_EQ(empty.status_code(), 0);
  EXPECT_FALSE(empty.request_id().has_value());
  EXPECT_NO_THROW(empty.close());
  EXPECT_THROW(empty.next(), SmarterError);
}

TEST_F(AsyncIT, StreamHttpErrorFailsTheStreamFuture) {
  AsyncSmarter client(options());
  openai_->fail_next(1, 400, "invalid_request_error", "bad things");
  EXPECT_THROW(client.chat().completions().create_stream(hello()).get(), BadRequestError);
}

// =============================================================== 4. retries on the loop

TEST_F(AsyncIT, RetriesTakeTheSameCourseAsTheSyncClient) {
  AsyncSmarter client(options());
  faults_->fail_next(503, 2);
  RawResponse const async_raw = client.request("POST", "cli/whoami/").get();
  EXPECT_EQ(async_raw.status_code, 200);
  EXPECT_EQ(async_raw.retries_taken, 2);
  EXPECT_EQ(faults_->pending(), 0u);

  faults_->fail_next(503, 2);
  RawResponse const sync_raw = client.sync().request("POST", "cli/whoami/");
  EXPECT_EQ(sync_raw.retries_taken, async_raw.retries_taken);
  EXPECT_EQ(sync_raw.json()["data"]["user"], async_raw.json()["data"]["user"]);

  // A typed call: three requests on the wire, one body reaching the endpoint.
  std::size_t const before = server_->request_count();
  std::size_t const bodies = openai_->received_bodies().size();
  faults_->fail_next(503, 2);
  EXPECT_EQ(content_of(client.chat().completions().create(hello("retried")).get()), "Echo: retried");
  EXPECT_EQ(server_->request_count() - before, 3u);
  EXPECT_EQ(openai_->received_bodies().size() - bodies, 1u);

  // Out of retries: the last status surfaces, as from the sync client.
  RequestOptions once;
  once.max_retries = 1;
  faults_->fail_next(503, 2);
  EXPECT_THROW(client.request("POST", "cli/whoami/", nullptr, once).get(), InternalServerError);
  faults_->clear();
}

TEST_F(AsyncIT, RetryAfterIsHonouredOnTheLoop) {
  AsyncSmarter client(options());
  throttle_->set(1, "1");
  RawResponse const raw = client.request("GET", "test/limited").get();
  EXPECT_EQ(raw.status_code, 200);
  EXPECT_EQ(raw.retries_taken, 1);
  EXPECT_EQ(throttle_->answered.count(), 1);
}

TEST_F(AsyncIT, RetryAfterIsWaitedExactlyOnTheLoopAsTheSyncClientWaits) {
  // The same two waits as ClientTest.HonoursRetryAfterExactly, told apart by the server's clock.
  testkit::FakeServer server;
  testkit::FakeResponse wait_ms = FakeResponse::json(429, {});
  wait_ms.headers.emplace_back("retry-after-ms", "400");
  testkit::FakeResponse wait_s = FakeResponse::json(503, {});
  wait_s.headers.emplace_back("Retry-After", "0.3");
  server.enqueue(wait_ms);
  server.enqueue(wait_s);
  server.enqueue(FakeResponse::json(200, {}));
  ClientOptions direct = options();
  direct.base_url = server.url() + "api/v1";
  AsyncSmarter client(direct);
  EXPECT_EQ(client.request("GET", "x").get().retries_taken, 2);
  auto const requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  auto seconds_between = [](RecordedRequest const& a, RecordedRequest const& b) {
    return std::chrono::duration<double>(b.received_at - a.received_at).count();
  };
  EXPECT_GE(seconds_between(requests[0], requests[1]), 0.38);
  EXPECT_LT(seconds_between(requests[0], requests[1]), 1.5);
  EXPECT_GE(seconds_between(requests[1], requests[2]), 0.28);
  EXPECT_LT(seconds_between(requests[1], requests[2]), 1.5);
}

TEST_F(AsyncIT, ARetryWaitDoesNotBlockTheIoThread) {
  AsyncSmarter client(options(), io_threads(1));
  std::atomic<int> order{0};
  std::atomic<int> waiting_finished_as{0};
  Counter done;

  throttle_->set(1, "1");
  Future<RawResponse> waiting = client.request("GET", "test/limited");
  waiting.then([&](Future<RawResponse>) {
    waiting_finished_as = ++order;
    done.add();
  });
  // The 429 has been sent: the call now waits 1 s for its retry, on the only I/O thread.
  ASSERT_TRUE(throttle_->answered.wait_for(1));

  constexpr int kOthers = 20;
  std::vector<Future<WhoAmI>> others;
  std::vector<std::shared_ptr<std::atomic<int>>> finished_as;
  for (int i = 0; i < kOthers; ++i) {
    auto slot = std::make_shared<std::atomic<int>>(0);
    finished_as.push_back(slot);
    others.push_back(client.whoami());
    others.back().then([&, slot](Future<WhoAmI>) {
      *slot = ++order;
      done.add();
    });
  }
  ASSERT_TRUE(done.wait_for(kOthers + 1));
  EXPECT_EQ(waiting.get().retries_taken, 1);
  for (auto& other : others) EXPECT_EQ(other.get().user.username, testkit::kFakeUsername);
  EXPECT_EQ(waiting_finished_as.load(), kOthers + 1) << "the other calls waited for the retry wait to end";
  for (auto const& slot : finished_as) EXPECT_LE(slot->load(), kOthers);
}

// =============================================================== 5. errors

TEST_F(AsyncIT, TypedErrorsComeOutOfGetAndNeverShowTheKey) {
  std::string const secret = key();
  auto expect_no_key = [&](std::exception const& e) { EXPECT_FALSE(contains(e.what(), secret)) << e.what(); };

  {
    // A dropped connection: a fresh client, so the request opens its own connection.
    AsyncSmarter client(options());
    faults_->drop_next(2);
    RequestOptions no_retry;
    no_retry.max_retries = 0;
    try {
      client.chat().completions().create(hello(), no_retry).get();
      ADD_FAILURE() << "expected APIConnectionError";
    } catch (APIConnectionError const& e) {
      expect_no_key(e);
    }
    faults_->clear();
  }
  {
    // A dropped connection on a call safe to repeat is retried, as the sync client does.
    AsyncSmarter client(options());
    faults_->drop_next();
    EXPECT_EQ(client.request("POST", "cli/whoami/").get().retries_taken, 1);
    faults_->clear();
  }

  AsyncSmarter client(options());
  try {
    client.files().retrieve("file-missing").get();
    ADD_FAILURE() << "expected NotFoundError";
  } catch (NotFoundError const& e) {
    EXPECT_EQ(e.status_code(), 404);
    expect_no_key(e);
  }
  try {
    client.resources().chatbots().get("no_such_bot").get();
    ADD_FAILURE() << "expected NotFoundError";
  } catch (NotFoundError const& e) {
    EXPECT_TRUE(contains(e.what(), "no_such_bot")) << e.what();
  }

  faults_->fail_next(401);
  try {
    client.chat().completions().create(hello()).get();
    ADD_FAILURE() << "expected AuthenticationError";
  } catch (AuthenticationError const& e) {
    EXPECT_EQ(e.status_code(), 401);
    expect_no_key(e);
  }

  ClientOptions bad = options();
  bad.api_key = std::string(64, '0');
  AsyncSmarter unauthorized(bad);
  EXPECT_THROW(unauthorized.whoami().get(), PermissionDeniedError) << "the platform refuses a bad key with 403";

  try {
    client.request("GET", "test/echo-auth").get();
    ADD_FAILURE() << "expected BadRequestError";
  } catch (BadRequestError const& e) {
    std::string const shown = std::string(e.what()) + e.url() + e.response().body + e.body().dump();
    EXPECT_FALSE(contains(shown, secret)) << shown;
    EXPECT_TRUE(contains(e.what(), "<redacted>")) << e.what();
  }
}

// =============================================================== concurrency on one connection pool

TEST_F(AsyncIT, ASlowFirstCallDoesNotHoldUpTheOthers) {
  // A fresh client whose first call the server sits on: the next call must still go out at
  // once (on a connection of its own: the server speaks HTTP/1.1) and finish first.
  AsyncSmarter client(options(), io_threads(1));
  Future<RawResponse> slow = client.request("GET", "test/slow/30000");
  ASSERT_TRUE(slow_arrivals_->wait_for(1));
  Future<RawResponse> gated = client.request("GET", "test/gate");
  bool const arrived = gate_arrivals_->wait_for(1, 10s);
  gate_->open();
  if (!arrived) {
    slow.cancel();
    gated.cancel();
    FAIL() << "the second call did not reach the server while the first was pending";
  }
  ASSERT_TRUE(gated.wait_for(kPatience));
  EXPECT_EQ(gated.get().status_code, 200);
  EXPECT_FALSE(slow.ready());
  slow.cancel();
  EXPECT_THROW(slow.get(), APIUserAbortError);
}

// =============================================================== 6. cancellation

TEST_F(AsyncIT, CancelWhileTheServerDelaysItsAnswer) {
  AsyncSmarter client(options());
  Future<RawResponse> slow = client.request("GET", "test/slow/30000");
  ASSERT_TRUE(slow_arrivals_->wait_for(1));  // on the wire, the server sitting on it
  EXPECT_TRUE(slow.cancel());
  EXPECT_THROW(slow.get(), APIUserAbortError);
  EXPECT_FALSE(slow.cancel()) << "already finished";

  // Cancelled before it was ever sent, and a cancelled call's then() sees the error.
  Future<RawResponse> early = client.request("GET", "test/slow/30000");
  early.cancel();
  std::promise<bool> aborted;
  early.then([&aborted](Future<RawResponse> done) {
    try {
      done.get();
      aborted.set_value(false);
    } catch (APIUserAbortError const&) {
      aborted.set_value(true);
    } catch (...) {
      aborted.set_value(false);
    }
  });
  auto result = aborted.get_future();
  ASSERT_EQ(result.wait_for(kPatience), std::future_status::ready);
  EXPECT_TRUE(result.get());

  // The client carries on.
  EXPECT_EQ(client.whoami().get().user.username, testkit::kFakeUsername);
}

TEST_F(AsyncIT, CancelMidStream) {
  AsyncSmarter client(options());
  testkit::ChatStreamScript script;
  script.pieces = {"a", "b"};
  script.pause_between = 30s;  // never waited for
  openai_->script_next_stream(script);
  AsyncStream<ChatCompletionChunk> stream = client.chat().completions().create_stream(hello()).get();
  ASSERT_TRUE(stream.next().get().has_value());  // the first chunk comes at once
  Future<std::optional<ChatCompletionChunk>> second = stream.next();
  EXPECT_TRUE(second.cancel());
  EXPECT_THROW(second.get(), APIUserAbortError);
  stream.close();

  // for_each cancelled while it waits for its second item.
  openai_->script_next_stream(script);
  AsyncStream<ChatCompletionChunk> walked = client.chat().completions().create_stream(hello()).get();
  Counter items;
  Future<std::size_t> walk = walked.for_each([&](ChatCompletionChunk const&) {
    items.add();
    return true;
  });
  ASSERT_TRUE(items.wait_for(1));
  std::this_thread::sleep_for(100ms);  // past the first item's callback: waiting for the second
  EXPECT_TRUE(walk.cancel());
  bool const finished = walk.wait_for(10s);
  EXPECT_TRUE(finished) << "the cancelled for_each went on reading the stream";
  if (finished) {
    EXPECT_THROW(walk.get(), APIUserAbortError);
  }
  walked.close();
  EXPECT_EQ(items.count(), 1);

  EXPECT_EQ(content_of(client.chat().completions().create(hello("after")).get()), "Echo: after");
}

TEST_F(AsyncIT, CancelForEachWhileItsCallbackRuns) {
  // cancel() must not be lost when it comes between two items (here: while the callback for the
  // first one runs), or the walk reads on to the end of the stream (90 s of pauses here). The
  // callback holds its thread (the I/O thread) only until the test has called cancel().
  AsyncSmarter client(options(), io_threads(1, 1));
  testkit::ChatStreamScript script;
  script.pieces = {"a", "b"};
  script.pause_between = 30s;
  openai_->script_next_stream(script);
  AsyncStream<ChatCompletionChunk> walked = client.chat().completions().create_stream(hello()).get();
  Counter items;
  auto cancelled = std::make_shared<std::promise<void>>();
  std::shared_future<void> cancel_sent = cancelled->get_future().share();
  Future<std::size_t> walk = walked.for_each([&items, cancel_sent](ChatCompletionChunk const&) {
    items.add();
    cancel_sent.wait_for(kPatience);  // the callback is still running when cancel() is called
    return true;
  });
  ASSERT_TRUE(items.wait_for(1));
  EXPECT_TRUE(walk.cancel());
  cancelled->set_value();
  bool const finished = walk.wait_for(10s);
  EXPECT_TRUE(finished) << "cancel() during the callback was lost: the walk went on reading the stream";
  if (finished) {
    EXPECT_THROW(walk.get(), APIUserAbortError);
  }
  EXPECT_EQ(items.count(), 1);
  walked.close();
}

TEST_F(AsyncIT, CancelDuringARetryWait) {
  ClientOptions patient = options();
  patient.retry.max_retry_after = 600;
  AsyncSmarter client(patient, io_threads(1));
  throttle_->set(1, "30");
  Future<RawResponse> waiting = client.request("GET", "test/limited");
  ASSERT_TRUE(throttle_->answered.wait_for(1));
  // Let the 429 reach the client, which then waits 30 s before retrying.
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(waiting.cancel());
  EXPECT_THROW(waiting.get(), APIUserAbortError);
  EXPECT_EQ(throttle_->answered.count(), 1);
  std::size_t limited = 0;
  for (auto const& request : server_->requests()) limited += request.path == "/api/v1/test/limited";
  EXPECT_EQ(limited, 1u) << "the retry was never sent";
  EXPECT_EQ(client.whoami().get().user.username, testkit::kFakeUsername);
}

// =============================================================== 7. fan-out

TEST_F(AsyncIT, ManyConcurrentCallsOnOneIoThread) {
  AsyncSmarter client(options(), io_threads(1));
  std::vector<Future<ChatCompletion>> futures;
  futures.reserve(kFanOut);
  for (int i = 0; i < kFanOut; ++i) futures.push_back(client.chat().completions().create(hello("n" + std::to_string(i))));
  std::set<std::string> ids;
  int failures = 0;
  for (int i = 0; i < kFanOut; ++i) {
    try {
      ChatCompletion const completion = futures[static_cast<std::size_t>(i)].get();
      if (content_of(completion) != "Echo: n" + std::to_string(i)) {
        ADD_FAILURE() << "call " << i << " got " << content_of(completion);
      }
      ids.insert(completion.id);
    } catch (std::exception const& e) {
      if (++failures <= 5) ADD_FAILURE() << "call " << i << " failed: " << e.what();
    }
  }
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kFanOut));
}

TEST_F(AsyncIT, SeveralIoThreadsTakeTurnsAndKeepEachStreamOnItsOwn) {
  constexpr int kLoops = 3;
  AsyncSmarter client(options(), io_threads(kLoops));
  // run() reports the thread each call ran on: the loops take turns.
  std::vector<Future<std::thread::id>> where;
  std::vector<Future<ChatCompletion>> answers;
  for (int i = 0; i < 30; ++i) {
    where.push_back(client.run([](Smarter const&) { return std::this_thread::get_id(); }));
    answers.push_back(client.chat().completions().create(hello("m" + std::to_string(i))));
  }
  std::set<std::thread::id> threads;
  for (auto& thread : where) threads.insert(thread.get());
  EXPECT_EQ(threads.size(), static_cast<std::size_t>(kLoops));
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(content_of(answers[static_cast<std::size_t>(i)].get()), "Echo: m" + std::to_string(i));

  // Streams opened on different loops are read on their own loop, in turn and side by side.
  std::vector<AsyncStream<ChatCompletionChunk>> streams;
  for (int i = 0; i < kLoops * 2; ++i) streams.push_back(client.chat().completions().create_stream(hello("s t u")).get());
  for (auto& stream : streams) {
    std::string text;
    while (std::optional<ChatCompletionChunk> chunk = stream.next().get()) text += text_of(*chunk);
    EXPECT_EQ(text, "Echo: s t u");
  }
}

// =============================================================== 8. destruction

TEST_F(AsyncIT, DestroyingTheClientCancelsCallsInFlightAndRunsEveryCallback) {
  constexpr int kCalls = 50;
  for (int callback_threads : {0, 2}) {
    SCOPED_TRACE("callback_threads = " + std::to_string(callback_threads));
    int const arrived_before = slow_arrivals_->count();
    auto client = std::make_unique<AsyncSmarter>(options(), io_threads(1, callback_threads));
    std::atomic<int> callbacks{0};
    std::atomic<int> aborted{0};
    std::vector<Future<RawResponse>> futures;
    for (int i = 0; i < kCalls; ++i) {
      futures.push_back(client->request("GET", "test/slow/30000"));
      futures.back().then([&](Future<RawResponse> done) {
        try {
          done.get();
        } catch (APIUserAbortError const&) {
          ++aborted;
        } catch (...) {
        }
        ++callbacks;
      });
    }
    ASSERT_TRUE(slow_arrivals_->wait_for(arrived_before + kCalls)) << "the calls did not all reach the server";
    client.reset();
    EXPECT_EQ(callbacks.load(), kCalls) << "a callback had not run when the destructor returned";
    EXPECT_EQ(aborted.load(), kCalls);
    for (auto& future : futures) EXPECT_TRUE(future.ready());
  }
}

TEST_F(AsyncIT, NamespacesAndStreamsOutlivingTheClientFailCleanly) {
  std::optional<async::Chat> chat;
  std::optional<AsyncStream<ChatCompletionChunk>> stream;
  {
    AsyncSmarter client(options());
    chat.emplace(client.chat());
    stream.emplace(client.chat().completions().create_stream(hello("x y")).get());
  }
  // The client is gone: calls made through what it handed out fail with SmarterError, at once.
  Future<ChatCompletion> late = chat->completions().create(hello("late"));
  ASSERT_TRUE(late.wait_for(kPatience));
  EXPECT_THROW(late.get(), SmarterError);
  Future<std::optional<ChatCompletionChunk>> next = stream->next();
  ASSERT_TRUE(next.wait_for(kPatience));
  EXPECT_THROW(next.get(), SmarterError);
  EXPECT_NO_THROW(stream->close());
}

TEST_F(AsyncIT, DestroyingADrainingClientLetsCallsFinish) {
  constexpr int kCalls = 50;
  AsyncOptions drain = io_threads(1);
  drain.on_destroy = AsyncOptions::OnDestroy::drain;
  auto client = std::make_unique<AsyncSmarter>(options(), drain);
  std::atomic<int> callbacks{0};
  std::atomic<int> succeeded{0};
  std::vector<Future<RawResponse>> futures;
  for (int i = 0; i < kCalls; ++i) {
    futures.push_back(client->request("GET", "test/slow/300"));
    futures.back().then([&](Future<RawResponse> done) {
      try {
        if (done.get().json()["slow"] == true) ++succeeded;
      } catch (...) {
      }
      ++callbacks;
    });
  }
  ASSERT_TRUE(slow_arrivals_->wait_for(kCalls));
  client.reset();
  EXPECT_EQ(callbacks.load(), kCalls);
  EXPECT_EQ(succeeded.load(), kCalls);
  for (auto& future : futures) EXPECT_TRUE(future.ready());
}

// =============================================================== 9. no deadlock on the loop

TEST_F(AsyncIT, GetOnTheIoThreadThrowsInsteadOfDeadlocking) {
  AsyncSmarter client(options());  // callbacks run on the I/O thread
  Future<RawResponse> slow = client.request("GET", "test/slow/30000");
  Future<RawResponse> gated = client.request("GET", "test/gate");
  ASSERT_TRUE(gate_arrivals_->wait_for(1));
  std::promise<std::string> outcome;
  gated.then([&outcome, slow](Future<RawResponse>) mutable {
    if (!detail::on_io_thread()) {
      outcome.set_value("the callback did not run on the I/O thread");
      return;
    }
    try {
      slow.get();
      outcome.set_value("get() returned");
    } catch (APIError const& e) {
      outcome.set_value(std::string("APIError: ") + e.what());
    } catch (SmarterError const&) {
      outcome.set_value("SmarterError");
    }
  });
  gate_->open();
  auto result = outcome.get_future();
  ASSERT_EQ(result.wait_for(kPatience), std::future_status::ready) << "get() on the I/O thread deadlocked";
  EXPECT_EQ(result.get(), "SmarterError");
  // The refused get() did not use up the result.
  slow.cancel();
  EXPECT_THROW(slow.get(), APIUserAbortError);
}

// =============================================================== 10. pages

TEST_F(AsyncIT, NextPageAndForEachPageVisitWhatTheSyncIterationVisits) {
  for (int i = 0; i < 7; ++i) files_->add("f" + std::to_string(i) + ".txt", "batch", "x");
  files_->add("other.txt", "fine-tune", "y");
  AsyncSmarter client(options());
  FileListParams params;
  params.purpose = "batch";
  params.limit = 3;

  std::vector<std::string> sync_ids;
  for (FileObject const& file : client.sync().files().list(params)) sync_ids.push_back(file.id);
  ASSERT_EQ(sync_ids.size(), 7u);

  CursorPage<FileObject> page = client.files().list(params).get();
  std::vector<std::string> ids;
  int pages = 1;
  for (;;) {
    for (FileObject const& file : page.data()) ids.push_back(file.id);
    std::optional<CursorPage<FileObject>> next = client.next_page(page).get();
    if (!next) break;
    page = std::move(*next);
    ++pages;
  }
  EXPECT_EQ(ids, sync_ids);
  EXPECT_EQ(pages, 3);

  CursorPage<FileObject> const first = client.files().list(params).get();
  std::vector<std::string> walked;
  std::size_t const seen = client
                               .for_each_page<FileObject>(first,
                                                          [&](CursorPage<FileObject> const& p) {
                                                            for (FileObject const& file : p.data()) walked.push_back(file.id);
                                                            return true;
                                                          })
                               .get();
  EXPECT_EQ(seen, 3u);
  EXPECT_EQ(walked, sync_ids);

  std::size_t const stopped =
      client.for_each_page<FileObject>(first, [](CursorPage<FileObject> const&) { return false; }).get();
  EXPECT_EQ(stopped, 1u);
}

// =============================================================== 11. connection limit

TEST_F(AsyncIT, MaxConnectionsPerHostBoundsTheConnections) {
  AsyncOptions limited = io_threads(1);
  limited.max_connections_per_host = 2;
  AsyncSmarter client(options(), limited);
  server_->clear_requests();
  constexpr int kCalls = 100;
  std::vector<Future<RawResponse>> futures;
  for (int i = 0; i < kCalls; ++i) futures.push_back(client.request("GET", "test/slow/5"));
  int ok = 0;
  for (auto& future : futures) {
    try {
      ok += future.get().status_code == 200;
    } catch (std::exception const& e) {
      ADD_FAILURE() << e.what();
    }
  }
  EXPECT_EQ(ok, kCalls);
  EXPECT_EQ(server_->request_count(), static_cast<std::size_t>(kCalls));
  EXPECT_GE(server_->connection_count(), 1u);
  EXPECT_LE(server_->connection_count(), 2u);
}

}  // namespace
}  // namespace smarter
