// Injected failures: a queue of faults consulted before every request, and the error bodies the
// real APIs send, so a client under test takes the same code path as against a failing server.
#include <smarter/testkit/fake_faults.hpp>

#include <atomic>
#include <stdexcept>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "testkit/platform_shapes.hpp"

namespace smarter::testkit {

namespace {

using nlohmann::json;

// The error class the platform's CliBaseApiView.dispatch answers each status with
// (../shared/reference/smarter-platform-api.md, 2.3), and the words its descriptions use.
struct PlatformFailure {
  char const* error_class;
  char const* what;
};

PlatformFailure platform_failure(int status) {
  switch (status) {
    case 403: return {"SmarterAPIV1CLIViewErrorNotAuthenticated", "authentication failed"};
    case 404: return {"SAMBrokerErrorNotFound", "not found"};
    case 405: return {"SAMBrokerReadOnlyError", "read-only"};
    case 501: return {"SAMBrokerErrorNotImplemented", "not implemented"};
    case 503: return {"SAMBrokerErrorNotReady", "not ready"};
    case 500: return {"SmarterAPIV1CLIViewError", "internal error"};
    default: return {"SmarterAPIV1CLIViewError", status < 500 ? "bad request" : "server error"};
  }
}

// OpenAI's message, type and code for each status, as its API sends them.
struct OpenAIFailure {
  char const* message;
  char const* type;
  char const* code;  // nullptr: JSON null
};

OpenAIFailure openai_failure(int status) {
  switch (status) {
    case 400: return {"The request was invalid.", "invalid_request_error", nullptr};
    case 401: return {"Incorrect API key provided.", "invalid_request_error", "invalid_api_key"};
    case 403: return {"You are not allowed to perform this request.", "invalid_request_error", nullptr};
    case 404: return {"The requested resource does not exist.", "invalid_request_error", nullptr};
    case 409: return {"The request conflicts with the current state of the resource.", "invalid_request_error", nullptr};
    case 429: return {"Rate limit reached for requests. Please try again later.", "requests", "rate_limit_exceeded"};
    case 500: return {"The server had an error while processing your request. Sorry about that!", "server_error", nullptr};
    case 502: return {"Bad gateway.", "server_error", nullptr};
    case 503: return {"The server is overloaded or not ready yet.", "server_error", nullptr};
    case 504: return {"The server did not answer in time.", "server_error", nullptr};
    default:
      return status < 500 ? OpenAIFailure{"The request could not be served.", "invalid_request_error", nullptr}
                          : OpenAIFailure{"The server could not serve the request.", "server_error", nullptr};
  }
}

std::vector<std::string> path_parts(std::string const& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('/', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// The journal command and `thing` the platform reports for a `cli/` path, as its views name them.
std::pair<std::string, std::string> command_and_thing(std::string const& path, FakeGeneration generation) {
  std::size_t const at = path.find("/cli/");
  std::vector<std::string> const parts = path_parts(path.substr(at + 5));
  if (parts.empty()) return {"", "None"};
  std::string const& verb = parts[0];
  bool const v13 = generation == FakeGeneration::v0_13;
  if (verb == "chat" || verb == "prompt") {
    if (parts.size() >= 2 && parts[1] == "config") return {"chat_config", "ChatConfig"};
    return {verb, v13 ? "Chat" : "Prompt"};
  }
  std::string command = verb;
  if (verb == "example-manifest") command = "example_manifest";
  if (verb == "json-schema") command = "json_schema";
  static char const* const kBrokered[] = {"get",    "describe",         "delete", "deploy",     "undeploy",
                                          "logs",   "example_manifest", "schema", "json_schema"};
  for (char const* brokered : kBrokered) {
    if (command == brokered && parts.size() >= 2) return {command, detail::classify_kind(parts[1], generation).name};
  }
  return {command, "None"};
}

std::atomic<unsigned long long> next_request_id{1};

}  // namespace

FakeFaults::FakeFaults(FakeGeneration generation) : generation_(generation) {}

void FakeFaults::add(Fault fault) {
  if (fault.count < 1) throw std::invalid_argument("FakeFaults: a fault applies to at least 1 request");
  if (fault.kind == Fault::Kind::fail && (fault.status < 400 || fault.status > 599)) {
    throw std::invalid_argument(fmt::format("FakeFaults: {} is not an error status (400-599)", fault.status));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.push_back(fault);
}

void FakeFaults::fail_next(int status, int count) { add(Fault::fail(status, count)); }

void FakeFaults::drop_next(int count) { add(Fault::drop(count)); }

std::size_t FakeFaults::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t total = 0;
  for (Fault const& fault : faults_) total += static_cast<std::size_t>(fault.count);
  return total;
}

std::size_t FakeFaults::injected() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return injected_;
}

void FakeFaults::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.clear();
}

std::optional<FakeResponse> FakeFaults::next(RecordedRequest const& head) {
  Fault fault;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (faults_.empty()) return std::nullopt;
    fault = faults_.front();
    if (--faults_.front().count == 0) faults_.pop_front();
    ++injected_;
  }
  if (fault.kind == Fault::Kind::drop) {
    FakeResponse dropped;
    dropped.drop_connection = true;
    return dropped;
  }
  return error_response(generation_, fault.status, head);
}

FakeResponse FakeFaults::error_response(FakeGeneration generation, int status, RecordedRequest const& head) {
  if (head.path.find("/cli/") != std::string::npos) {
    auto const [command, thing] = command_and_thing(head.path, generation);
    PlatformFailure const failure = platform_failure(status);
    std::string const url = "http://" + head.header("Host").value_or("127.0.0.1") + head.target;
    json const body = detail::journaled_error_body(
        generation, status, failure.error_class,
        fmt::format("Smarter api v1 command-line interface error: {} (injected fault)", failure.what), thing, command,
        url);
    return FakeResponse::json(status, body);
  }
  OpenAIFailure const failure = openai_failure(status);
  json const error = {{"message", fmt::format("{} (injected fault)", failure.message)},
                      {"type", failure.type},
                      {"param", nullptr},
                      {"code", failure.code ? json(failure.code) : json(nullptr)}};
  FakeResponse response = FakeResponse::json(status, {{"error", error}});
  response.headers.emplace_back("x-request-id", fmt::format("req_fault_{:06}", next_request_id++));
  return response;
}

std::shared_ptr<FakeFaults> install_faults(FakeServer& server, FakeGeneration generation) {
  auto faults = std::make_shared<FakeFaults>(generation);
  server.intercept([faults](RecordedRequest const& head) { return faults->next(head); });
  return faults;
}

}  // namespace smarter::testkit
