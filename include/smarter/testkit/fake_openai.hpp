// OpenAI-shaped model endpoints on the fake server: chat completions (plain and streamed over
// server-sent events), responses, and stateful fine-tuning jobs with events, checkpoints and
// cursor pagination. Errors use OpenAI's {"error": {"message", "type", "param", "code"}} shape.
//
//   smarter::testkit::FakeServer server;
//   auto openai = smarter::testkit::install_openai(server);
//   openai->seed_jobs(1000);                     // for pagination tests
//   openai->script_next_stream({.pieces = {"Hel", "lo"}, .pause_between = 100ms});
//   ... point a client at server.url() ...
//
// Paths are answered under `/`, `/v1/` and the platform's `/api/v1/`, so one base URL serves
// them and the platform mode together. Part of smarter::testkit.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/testkit/fake_server.hpp>

namespace smarter::testkit {

/// Settings of the fake OpenAI-shaped endpoints.
struct FakeOpenAIOptions {
  std::int64_t first_created_at = 1'700'000'000;  ///< `created_at` of the first object; later ones count up.
  int default_page_limit = 20;                    ///< Page size when a list request sends no `limit`.
  int max_page_limit = 100;                       ///< Largest `limit` accepted (400 above it).
  std::chrono::milliseconds stream_pause{0};      ///< Default pause between streamed events.
  /// When true, a chat completion request that offers tools and ends with a user message is
  /// answered with a call of its first tool (arguments `{"input": <the user's text>}`), and one
  /// that ends with a tool result is answered "Echo: <the result>": enough to drive a tool loop.
  bool call_tools = false;
};

/// How the next streamed chat completion is sent.
struct ChatStreamScript {
  std::vector<std::string> pieces{};                ///< Content deltas, one event each.
  std::chrono::milliseconds pause_between{0};     ///< Pause before each event after the first.
  /// When set, sent as `data: {"error": ...}` after the pieces, instead of finishing normally.
  std::optional<nlohmann::json> error{};
  bool send_done = true;                          ///< End with `data: [DONE]`.
  std::string line_ending = "\n";                 ///< "\n", "\r" or "\r\n" between lines.
  std::string trailer{};                            ///< Extra bytes sent after `[DONE]` (e.g. comments).
};

/// State of the fake OpenAI-shaped endpoints; thread-safe. Returned by install_openai.
///
/// Fine-tuning jobs move one step per retrieve: validating_files -> queued -> running ->
/// succeeded, emitting an event at each step (and checkpoints when they succeed); cancel stops
/// a job that has not finished. Lists are newest first with `after`/`limit`/`has_more`.
class FakeOpenAI {
 public:
  /// Empty state.
  explicit FakeOpenAI(FakeOpenAIOptions options = {});

  /// Adds `count` finished jobs directly (for pagination tests); returns their ids, newest first
  /// (the order lists return them in).
  std::vector<std::string> seed_jobs(int count);
  /// Number of jobs held.
  std::size_t job_count() const;
  /// A job's JSON as the API would return it, or nullopt.
  std::optional<nlohmann::json> job(std::string const& id) const;
  /// Every chat completion / response request body received, in order.
  std::vector<nlohmann::json> received_bodies() const;
  /// Uses `script` for the next streamed chat completion (queued; one per stream).
  void script_next_stream(ChatStreamScript script);
  /// Makes the next `count` requests to these endpoints answer `status` with an OpenAI error.
  void fail_next(int count, int status, std::string type, std::string message,
                 std::optional<std::string> code = std::nullopt);

  /// Answers one request (the routes call this; tests may too). `route` names the endpoint,
  /// e.g. "chat.create", "jobs.retrieve"; `id` is the path's job or response id.
  FakeResponse handle(std::string const& route, RecordedRequest const& request, std::string const& id);

  /// An OpenAI-shaped error response.
  static FakeResponse error(int status, std::string const& message, std::string const& type,
                            std::optional<std::string> param = std::nullopt,
                            std::optional<std::string> code = std::nullopt);

 private:
  struct Job {
    nlohmann::json json{};
    std::vector<nlohmann::json> events;       // oldest first
    std::vector<nlohmann::json> checkpoints;  // oldest first
  };
  struct Failure {
    int status{};
    std::string type{};
    std::string message{};
    std::optional<std::string> code{};
  };

  FakeResponse chat_create(RecordedRequest const& request);
  FakeResponse chat_stream(nlohmann::json const& body, std::string const& reply);
  void store_chat(nlohmann::json const& body, nlohmann::json const& completion);
  FakeResponse chat_list(RecordedRequest const& request);
  FakeResponse chat_stored(std::string const& action, RecordedRequest const& request, std::string const& id);
  FakeResponse responses_create(RecordedRequest const& request);
  FakeResponse responses_stream(nlohmann::json const& response);
  FakeResponse responses_stored(std::string const& action, RecordedRequest const& request, std::string const& id);
  FakeResponse responses_input_tokens(RecordedRequest const& request);
  FakeResponse responses_compact(RecordedRequest const& request);
  nlohmann::json input_items_of(nlohmann::json const& input);
  FakeResponse permissions(std::string const& action, RecordedRequest const& request, std::string const& checkpoint);
  FakeResponse graders(std::string const& action, RecordedRequest const& request);
  FakeResponse jobs_create(RecordedRequest const& request);
  FakeResponse jobs_list(RecordedRequest const& request);
  FakeResponse jobs_action(std::string const& action, RecordedRequest const& request, std::string const& id);
  FakeResponse job_children(std::string const& kind, RecordedRequest const& request, std::string const& id);
  void add_event(Job& job, std::string const& level, std::string const& message, nlohmann::json data = nullptr);
  void advance(Job& job);
  std::int64_t tick();
  std::optional<FakeResponse> page_of(std::vector<nlohmann::json> const& ordered, RecordedRequest const& request,
                                      bool with_ids = false);

  FakeOpenAIOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, Job> jobs_;
  std::vector<std::string> job_order_;  // oldest first
  std::map<std::string, nlohmann::json> responses_;
  std::map<std::string, nlohmann::json> response_inputs_;  // id -> its input items (newest last)
  std::map<std::string, nlohmann::json> background_;
  std::map<std::string, std::vector<nlohmann::json>> permissions_;  // checkpoint -> permissions, oldest first       // id -> the finished response, until retrieved
  struct StoredChat {
    nlohmann::json completion{};
    std::vector<nlohmann::json> messages{};  // the request's messages, with ids
  };
  std::map<std::string, StoredChat> chats_;  // completions created with "store": true
  std::vector<std::string> chat_order_;      // oldest first
  std::vector<nlohmann::json> bodies_;
  std::deque<ChatStreamScript> scripts_;
  std::deque<Failure> failures_;
  std::int64_t clock_ = 0;
  std::uint64_t next_id_ = 1;
};

/// Adds the OpenAI-shaped endpoints to `server`: POST chat/completions (kept when `store` is
/// true: GET chat/completions, GET/POST/DELETE chat/completions/{id}, GET .../{id}/messages), POST responses,
/// GET responses/{id}, POST/GET fine_tuning/jobs, GET fine_tuning/jobs/{id},
/// POST fine_tuning/jobs/{id}/{cancel,pause,resume}, GET fine_tuning/jobs/{id}/{events,checkpoints},
/// fine_tuning/checkpoints/{checkpoint}/permissions (POST, GET, DELETE .../{id}) and
/// POST fine_tuning/alpha/graders/{run,validate}.
/// Returns the state for seeding and inspection.
std::shared_ptr<FakeOpenAI> install_openai(FakeServer& server, FakeOpenAIOptions options = {});

}  // namespace smarter::testkit
