// The fake OpenAI-shaped endpoints: state, request validation and response bodies.
#include <smarter/testkit/fake_openai.hpp>

#include <algorithm>
#include <cstdio>
#include <utility>

namespace smarter::testkit {

namespace {

// Answer under "/", "/v1/" and the platform's "/api/v1/", so one base URL serves every fake API.
constexpr char kPrefix[] = "/(?:api/)?(?:v1/)?";

FakeResponse json_response(int status, nlohmann::json const& body) { return FakeResponse::json(status, body); }

std::string padded(std::uint64_t n) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%06llu", static_cast<unsigned long long>(n));
  return buffer;
}

// The text of a message content: a string, or the "text" of each part joined.
std::string content_text(nlohmann::json const& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (content.is_array())
    for (auto const& part : content)
      if (part.is_object() && part.contains("text") && part["text"].is_string()) text += part["text"].get<std::string>();
  return text;
}

// The last user message's text in a list of messages / input items.
std::string last_user_text(nlohmann::json const& items) {
  std::string text;
  if (!items.is_array()) return text;
  for (auto const& item : items)
    if (item.is_object() && item.value("role", "") == "user" && item.contains("content"))
      text = content_text(item["content"]);
  return text;
}

// Splits a reply into word pieces that keep their leading spaces ("Echo:", " hi", ...).
std::vector<std::string> word_pieces(std::string const& text) {
  std::vector<std::string> pieces;
  std::string current;
  for (char c : text) {
    if (c == ' ' && !current.empty() && current.back() != ' ') {
      pieces.push_back(current);
      current.clear();
    }
    current += c;
  }
  if (!current.empty()) pieces.push_back(current);
  return pieces;
}

// body[key], or `fallback` when the key is missing or null.
nlohmann::json get_or(nlohmann::json const& body, char const* key, nlohmann::json fallback) {
  auto it = body.find(key);
  return it == body.end() || it->is_null() ? fallback : *it;
}

bool is_terminal(std::string const& status) {
  return status == "succeeded" || status == "failed" || status == "cancelled";
}

std::optional<std::string> path_group(RecordedRequest const& request, std::size_t index) {
  if (index < request.path_groups.size()) return request.path_groups[index];
  return std::nullopt;
}

}  // namespace

FakeOpenAI::FakeOpenAI(FakeOpenAIOptions options) : options_(std::move(options)) {}

FakeResponse FakeOpenAI::error(int status, std::string const& message, std::string const& type,
                               std::optional<std::string> param, std::optional<std::string> code) {
  nlohmann::json error{{"message", message}, {"type", type}, {"param", nullptr}, {"code", nullptr}};
  if (param) error["param"] = *param;
  if (code) error["code"] = *code;
  return json_response(status, {{"error", std::move(error)}});
}

std::int64_t FakeOpenAI::tick() { return options_.first_created_at + clock_++; }

std::vector<std::string> FakeOpenAI::seed_jobs(int count) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    std::string id = "ftjob-" + padded(next_id_++);
    std::int64_t created = tick();
    Job job;
    job.json = {{"id", id},
                {"object", "fine_tuning.job"},
                {"created_at", created},
                {"model", "gpt-4o-mini-2024-07-18"},
                {"status", "succeeded"},
                {"training_file", "file-seed"},
                {"validation_file", nullptr},
                {"fine_tuned_model", "ft:gpt-4o-mini-2024-07-18:smarter-fake::" + id},
                {"finished_at", created + 60},
                {"organization_id", "org-fake"},
                {"result_files", nlohmann::json::array()},
                {"trained_tokens", 1000},
                {"error", nullptr},
                {"hyperparameters", {{"batch_size", 1}, {"learning_rate_multiplier", 1.8}, {"n_epochs", 3}}},
                {"seed", 42},
                {"estimated_finish", nullptr},
                {"metadata", nullptr}};
    jobs_[id] = std::move(job);
    job_order_.push_back(id);
    ids.push_back(id);
  }
  std::reverse(ids.begin(), ids.end());
  return ids;
}

std::size_t FakeOpenAI::job_count() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

std::optional<nlohmann::json> FakeOpenAI::job(std::string const& id) const {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second.json;
}

std::vector<nlohmann::json> FakeOpenAI::received_bodies() const {
  std::lock_guard lock(mutex_);
  return bodies_;
}

void FakeOpenAI::script_next_stream(ChatStreamScript script) {
  std::lock_guard lock(mutex_);
  scripts_.push_back(std::move(script));
}

void FakeOpenAI::fail_next(int count, int status, std::string type, std::string message,
                           std::optional<std::string> code) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) failures_.push_back(Failure{status, type, message, code});
}

FakeResponse FakeOpenAI::handle(std::string const& route, RecordedRequest const& request, std::string const& id) {
  FakeResponse response = [&] {
    std::lock_guard lock(mutex_);
    if (!failures_.empty()) {
      Failure failure = failures_.front();
      failures_.pop_front();
      return error(failure.status, failure.message, failure.type, std::nullopt, failure.code);
    }
    if (route == "chat.create") return chat_create(request);
    if (route == "chat.list") return chat_list(request);
    if (route.rfind("chat.", 0) == 0) return chat_stored(route.substr(5), request, id);
    if (route == "responses.create") return responses_create(request);
    if (route == "responses.input_tokens") return responses_input_tokens(request);
    if (route == "responses.compact") return responses_compact(request);
    if (route.rfind("responses.", 0) == 0) return responses_stored(route.substr(10), request, id);
    if (route.rfind("permissions.", 0) == 0) return permissions(route.substr(12), request, id);
    if (route.rfind("graders.", 0) == 0) return graders(route.substr(8), request);
    if (route == "jobs.create") return jobs_create(request);
    if (route == "jobs.list") return jobs_list(request);
    if (route == "jobs.events") return job_children("events", request, id);
    if (route == "jobs.checkpoints") return job_children("checkpoints", request, id);
    if (route.rfind("jobs.", 0) == 0) return jobs_action(route.substr(5), request, id);
    return error(404, "Unknown route " + route, "invalid_request_error");
  }();
  std::lock_guard lock(mutex_);
  response.headers.emplace_back("x-request-id", "req_" + padded(next_id_++));
  return response;
}

// ------------------------------------------------------------------------------ chat

FakeResponse FakeOpenAI::chat_create(RecordedRequest const& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object()) return error(400, "We could not parse the JSON body of your request.", "invalid_request_error");
  bodies_.push_back(body);
  if (!body.contains("model") || !body["model"].is_string() || body["model"].get<std::string>().empty())
    return error(400, "you must provide a model parameter", "invalid_request_error", "model");
  if (!body.contains("messages") || !body["messages"].is_array() || body["messages"].empty())
    return error(400, "[] is too short - 'messages'", "invalid_request_error", "messages");

  std::string reply = "Echo: " + last_user_text(body["messages"]);
  nlohmann::json const& last = body["messages"].back();
  if (options_.call_tools && last.is_object() && last.value("role", "") == "tool") {
    reply = "Echo: " + content_text(get_or(last, "content", ""));
  } else if (options_.call_tools && last.is_object() && last.value("role", "") == "user" &&
             body.contains("tools") && body["tools"].is_array() && !body["tools"].empty() &&
             get_or(body, "stream", false) != true) {
    nlohmann::json const& tool = body["tools"][0];
    std::string const name = tool.contains("function") ? tool["function"].value("name", "") : "";
    nlohmann::json completion{
        {"id", "chatcmpl-" + padded(next_id_++)},
        {"object", "chat.completion"},
        {"created", tick()},
        {"model", body["model"]},
        {"choices",
         {{{"index", 0},
           {"message",
            {{"role", "assistant"},
             {"content", nullptr},
             {"refusal", nullptr},
             {"tool_calls",
              {{{"id", "call_" + padded(next_id_++)},
                {"type", "function"},
                {"function", {{"name", name}, {"arguments", nlohmann::json{{"input", last_user_text(body["messages"])}}.dump()}}}}}}}},
           {"finish_reason", "tool_calls"},
           {"logprobs", nullptr}}}},
        {"usage", {{"prompt_tokens", 9}, {"completion_tokens", 5}, {"total_tokens", 14}}}};
    return json_response(200, completion);
  }
  auto format = body.find("response_format");
  if (format != body.end() && format->is_object() && format->value("type", "text") != "text")
    reply = nlohmann::json{{"echo", last_user_text(body["messages"])}}.dump();

  if (get_or(body, "stream", false) == true) return chat_stream(body, reply);

  auto words = static_cast<std::int64_t>(word_pieces(reply).size());
  nlohmann::json completion{
      {"id", "chatcmpl-" + padded(next_id_++)},
      {"object", "chat.completion"},
      {"created", tick()},
      {"model", body["model"]},
      {"choices",
       {{{"index", 0},
         {"message", {{"role", "assistant"}, {"content", reply}, {"refusal", nullptr}}},
         {"finish_reason", "stop"},
         {"logprobs", nullptr}}}},
      {"usage", {{"prompt_tokens", 9}, {"completion_tokens", words}, {"total_tokens", 9 + words}}},
      {"system_fingerprint", "fp_fake"},
      {"service_tier", "default"}};
  if (get_or(body, "store", false) == true) store_chat(body, completion);
  return json_response(200, completion);
}

void FakeOpenAI::store_chat(nlohmann::json const& body, nlohmann::json const& completion) {
  StoredChat stored;
  stored.completion = completion;
  stored.completion["metadata"] = get_or(body, "metadata", nlohmann::json::object());
  std::string const id = completion["id"];
  std::size_t index = 0;
  for (auto const& message : body["messages"]) {
    nlohmann::json const content = get_or(message, "content", nullptr);
    stored.messages.push_back({{"id", id + "-" + std::to_string(index++)},
                               {"role", get_or(message, "role", "user")},
                               {"content", content.is_null() ? nlohmann::json() : nlohmann::json(content_text(content))},
                               {"content_parts", content.is_array() ? content : nlohmann::json()}});
  }
  chats_[id] = std::move(stored);
  chat_order_.push_back(id);
}

FakeResponse FakeOpenAI::chat_list(RecordedRequest const& request) {
  if (!request.body.empty()) return error(400, "This endpoint does not accept a request body.", "invalid_request_error");
  std::string const order = request.param("order").value_or("asc");
  if (order != "asc" && order != "desc")
    return error(400, "Invalid 'order': expected 'asc' or 'desc'.", "invalid_request_error", "order");
  std::vector<nlohmann::json> listed;
  for (std::string const& id : chat_order_) {
    nlohmann::json const& completion = chats_.at(id).completion;
    bool keep = !request.param("model") || completion["model"] == *request.param("model");
    for (auto const& [name, value] : request.params) {
      if (name.rfind("metadata[", 0) != 0 || name.back() != ']') continue;
      keep = keep && completion["metadata"].value(name.substr(9, name.size() - 10), std::string()) == value;
    }
    if (keep) listed.push_back(completion);
  }
  if (order == "desc") std::reverse(listed.begin(), listed.end());
  return *page_of(listed, request, true);
}

FakeResponse FakeOpenAI::chat_stored(std::string const& action, RecordedRequest const& request, std::string const& id) {
  auto it = chats_.find(id);
  if (it == chats_.end())
    return error(404, "Completion with id '" + id + "' not found.", "invalid_request_error", "completion_id");
  StoredChat& stored = it->second;
  if (action == "update") {
    nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("metadata") || !body["metadata"].is_object())
      return error(400, "Missing required parameter: 'metadata'.", "invalid_request_error", "metadata");
    stored.completion["metadata"] = body["metadata"];
    return json_response(200, stored.completion);
  }
  if (!request.body.empty()) return error(400, "This endpoint does not accept a request body.", "invalid_request_error");
  if (action == "retrieve") return json_response(200, stored.completion);
  if (action == "delete") {
    chats_.erase(it);
    chat_order_.erase(std::remove(chat_order_.begin(), chat_order_.end(), id), chat_order_.end());
    return json_response(200, {{"object", "chat.completion.deleted"}, {"id", id}, {"deleted", true}});
  }
  if (action == "messages") {
    std::string const order = request.param("order").value_or("asc");
    std::vector<nlohmann::json> listed = stored.messages;
    if (order == "desc") std::reverse(listed.begin(), listed.end());
    return *page_of(listed, request, true);
  }
  return error(404, "Unknown action " + action, "invalid_request_error");
}

FakeResponse FakeOpenAI::chat_stream(nlohmann::json const& body, std::string const& reply) {
  ChatStreamScript script;
  if (!scripts_.empty()) {
    script = std::move(scripts_.front());
    scripts_.pop_front();
  } else {
    script.pieces = word_pieces(reply);
    script.pause_between = options_.stream_pause;
  }
  std::string const& eol = script.line_ending;
  std::string id = "chatcmpl-" + padded(next_id_++);
  std::int64_t created = tick();
  auto chunk = [&](nlohmann::json choices) {
    return nlohmann::json{{"id", id},
                          {"object", "chat.completion.chunk"},
                          {"created", created},
                          {"model", body["model"]},
                          {"system_fingerprint", "fp_fake"},
                          {"choices", std::move(choices)}};
  };
  auto event = [&](nlohmann::json const& data) { return "data: " + data.dump() + eol + eol; };

  FakeResponse response;
  response.status = 200;
  response.headers.emplace_back("Content-Type", "text/event-stream");
  response.chunks.push_back(
      {event(chunk({{{"index", 0}, {"delta", {{"role", "assistant"}, {"content", ""}}}, {"finish_reason", nullptr}}})),
       std::chrono::milliseconds(0)});
  for (auto const& piece : script.pieces)
    response.chunks.push_back(
        {event(chunk({{{"index", 0}, {"delta", {{"content", piece}}}, {"finish_reason", nullptr}}})),
         script.pause_between});
  if (script.error) {
    response.chunks.push_back({event({{"error", *script.error}}), script.pause_between});
    return response;
  }
  std::string tail = event(chunk({{{"index", 0}, {"delta", nlohmann::json::object()}, {"finish_reason", "stop"}}}));
  auto options = body.find("stream_options");
  if (options != body.end() && options->is_object() && options->value("include_usage", false)) {
    nlohmann::json usage = chunk(nlohmann::json::array());
    auto words = static_cast<std::int64_t>(script.pieces.size());
    usage["usage"] = {{"prompt_tokens", 9}, {"completion_tokens", words}, {"total_tokens", 9 + words}};
    tail += event(usage);
  }
  if (script.send_done) tail += "data: [DONE]" + eol + eol;
  tail += script.trailer;
  response.chunks.push_back({tail, script.pause_between});
  return response;
}

// ------------------------------------------------------------------------------ responses

FakeResponse FakeOpenAI::responses_create(RecordedRequest const& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object()) return error(400, "We could not parse the JSON body of your request.", "invalid_request_error");
  bodies_.push_back(body);
  if (!body.contains("model") || !body["model"].is_string())
    return error(400, "Missing required parameter: 'model'.", "invalid_request_error", "model", "missing_required_parameter");
  if (!body.contains("input"))
    return error(400, "Missing required parameter: 'input'.", "invalid_request_error", "input", "missing_required_parameter");

  nlohmann::json const& input = body["input"];
  std::string said = input.is_string() ? input.get<std::string>() : last_user_text(input);
  std::string reply = "Echo: " + said;
  nlohmann::json text = get_or(body, "text", nlohmann::json{{"format", {{"type", "text"}}}});
  if (text.contains("format") && text["format"].value("type", "text") != "text") reply = nlohmann::json{{"echo", said}}.dump();

  auto words = static_cast<std::int64_t>(word_pieces(reply).size());
  std::string id = "resp_" + padded(next_id_++);
  nlohmann::json response{
      {"id", id},
      {"object", "response"},
      {"created_at", tick()},
      {"status", "completed"},
      {"error", nullptr},
      {"incomplete_details", nullptr},
      {"instructions", get_or(body, "instructions", nlohmann::json())},
      {"max_output_tokens", get_or(body, "max_output_tokens", nlohmann::json())},
      {"model", body["model"]},
      {"output",
       {{{"type", "message"},
         {"id", "msg_" + padded(next_id_++)},
         {"status", "completed"},
         {"role", "assistant"},
         {"content", {{{"type", "output_text"}, {"text", reply}, {"annotations", nlohmann::json::array()}}}}}}},
      {"parallel_tool_calls", true},
      {"previous_response_id", get_or(body, "previous_response_id", nlohmann::json())},
      {"temperature", get_or(body, "temperature", 1.0)},
      {"text", text},
      {"tool_choice", "auto"},
      {"tools", get_or(body, "tools", nlohmann::json::array())},
      {"top_p", get_or(body, "top_p", 1.0)},
      {"usage", {{"input_tokens", 9}, {"output_tokens", words}, {"total_tokens", 9 + words}}},
      {"metadata", get_or(body, "metadata", nlohmann::json::object())}};
  bool const background = get_or(body, "background", false) == true;
  if (get_or(body, "store", true) == true || background) {
    response_inputs_[id] = input_items_of(input);
    if (background) {
      // Queued now; the first retrieve finds it finished (unless it is cancelled first).
      background_[id] = response;
      response["status"] = "queued";
      response["output"] = nlohmann::json::array();
      response["usage"] = nullptr;
    }
    responses_[id] = response;
  }
  if (get_or(body, "stream", false) == true) return responses_stream(response);
  return json_response(200, response);
}

nlohmann::json FakeOpenAI::input_items_of(nlohmann::json const& input) {
  nlohmann::json items = nlohmann::json::array();
  auto text_parts = [](nlohmann::json const& content) {
    if (!content.is_string()) return content;
    return nlohmann::json::array({{{"type", "input_text"}, {"text", content}}});
  };
  if (input.is_string()) {
    items.push_back({{"type", "message"}, {"role", "user"}, {"content", text_parts(input)}});
  } else if (input.is_array()) {
    for (auto const& item : input) {
      if (!item.is_object()) continue;
      nlohmann::json stored = item;
      if (!stored.contains("type")) stored["type"] = "message";
      if (stored.contains("content")) stored["content"] = text_parts(stored["content"]);
      items.push_back(std::move(stored));
    }
  }
  for (auto& item : items) {
    if (!item.contains("id")) item["id"] = "msg_" + padded(next_id_++);
    if (!item.contains("status")) item["status"] = "completed";
  }
  return items;
}

FakeResponse FakeOpenAI::responses_stored(std::string const& action, RecordedRequest const& request,
                                          std::string const& id) {
  auto it = responses_.find(id);
  if (it == responses_.end())
    return error(404, "Response with id '" + id + "' not found.", "invalid_request_error", "response_id");
  if (!request.body.empty()) return error(400, "This endpoint does not accept a request body.", "invalid_request_error");
  nlohmann::json& response = it->second;
  if (action == "retrieve") {
    if (auto finished = background_.find(id); finished != background_.end()) {
      response = finished->second;
      background_.erase(finished);
    }
    if (request.param("stream") == std::optional<std::string>("true")) return responses_stream(response);
    return json_response(200, response);
  }
  if (action == "cancel") {
    if (background_.erase(id) == 0)
      return error(400, "Only responses created with background=true that are still running can be cancelled.",
                   "invalid_request_error");
    response["status"] = "cancelled";
    return json_response(200, response);
  }
  if (action == "delete") {
    responses_.erase(it);
    response_inputs_.erase(id);
    background_.erase(id);
    return json_response(200, {{"id", id}, {"object", "response.deleted"}, {"deleted", true}});
  }
  if (action == "input_items") {
    std::string const order = request.param("order").value_or("desc");
    if (order != "asc" && order != "desc")
      return error(400, "Invalid 'order': expected 'asc' or 'desc'.", "invalid_request_error", "order");
    nlohmann::json const& items = response_inputs_[id];
    std::vector<nlohmann::json> listed(items.begin(), items.end());
    if (order == "desc") std::reverse(listed.begin(), listed.end());
    return *page_of(listed, request, true);
  }
  return error(404, "Unknown action " + action, "invalid_request_error");
}

FakeResponse FakeOpenAI::responses_input_tokens(RecordedRequest const& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object()) return error(400, "We could not parse the JSON body of your request.", "invalid_request_error");
  bodies_.push_back(body);
  // A token per word of every text in the input and instructions: made up, but it grows with the text.
  std::string text = get_or(body, "instructions", "").get<std::string>();
  nlohmann::json const input = get_or(body, "input", "");
  text += " " + (input.is_string() ? input.get<std::string>() : std::string());
  if (input.is_array())
    for (auto const& item : input)
      if (item.is_object() && item.contains("content")) text += " " + content_text(item["content"]);
  std::int64_t tokens = 0;
  for (auto const& piece : word_pieces(text))
    if (piece.find_first_not_of(' ') != std::string::npos) ++tokens;
  return json_response(200, {{"object", "response.input_tokens"}, {"input_tokens", tokens}});
}

FakeResponse FakeOpenAI::responses_compact(RecordedRequest const& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object()) return error(400, "We could not parse the JSON body of your request.", "invalid_request_error");
  bodies_.push_back(body);
  if (!body.contains("model") || !body["model"].is_string() || body["model"].get<std::string>().empty())
    return error(400, "Missing required parameter: 'model'.", "invalid_request_error", "model", "missing_required_parameter");
  nlohmann::json output = input_items_of(get_or(body, "input", nlohmann::json::array()));
  if (auto previous = get_or(body, "previous_response_id", nullptr); previous.is_string()) {
    auto it = response_inputs_.find(previous.get<std::string>());
    if (it == response_inputs_.end())
      return error(404, "Previous response with id '" + previous.get<std::string>() + "' not found.",
                   "invalid_request_error", "previous_response_id");
    output.insert(output.begin(), it->second.begin(), it->second.end());
  }
  output.push_back({{"type", "compaction"}, {"id", "cmp_" + padded(next_id_++)}, {"encrypted_content", "fake-summary"}});
  auto const items = static_cast<std::int64_t>(output.size());
  return json_response(200, {{"id", "resp_" + padded(next_id_++)},
                             {"object", "response.compaction"},
                             {"created_at", tick()},
                             {"output", std::move(output)},
                             {"usage", {{"input_tokens", 10 * items}, {"output_tokens", 5}, {"total_tokens", 10 * items + 5}}}});
}

FakeResponse FakeOpenAI::responses_stream(nlohmann::json const& response) {
  FakeResponse out;
  out.status = 200;
  out.headers.emplace_back("Content-Type", "text/event-stream");
  int sequence = 0;
  auto event = [&](std::string const& type, nlohmann::json data) {
    data["type"] = type;
    data["sequence_number"] = sequence++;
    out.chunks.push_back({"event: " + type + "\ndata: " + data.dump() + "\n\n", options_.stream_pause});
  };
  nlohmann::json started = response;
  started["status"] = "in_progress";
  started["output"] = nlohmann::json::array();
  event("response.created", {{"response", started}});
  std::string const item_id = response["output"][0]["id"];
  for (auto const& piece : word_pieces(response["output"][0]["content"][0]["text"].get<std::string>()))
    event("response.output_text.delta", {{"item_id", item_id}, {"output_index", 0}, {"content_index", 0}, {"delta", piece}});
  event("response.completed", {{"response", response}});
  return out;
}

// ------------------------------------------------------------------------------ fine-tuning

void FakeOpenAI::add_event(Job& job, std::string const& level, std::string const& message, nlohmann::json data) {
  job.events.push_back({{"id", "ftevent-" + padded(next_id_++)},
                        {"object", "fine_tuning.job.event"},
                        {"created_at", tick()},
                        {"level", level},
                        {"message", message},
                        {"data", data.is_null() ? nlohmann::json::object() : data},
                        {"type", data.is_null() ? "message" : "metrics"}});
}

FakeResponse FakeOpenAI::jobs_create(RecordedRequest const& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object()) return error(400, "We could not parse the JSON body of your request.", "invalid_request_error");
  if (!body.contains("model") || !body["model"].is_string() || body["model"].get<std::string>().empty())
    return error(400, "Missing required parameter: 'model'.", "invalid_request_error", "model");
  if (!body.contains("training_file") || !body["training_file"].is_string())
    return error(400, "Missing required parameter: 'training_file'.", "invalid_request_error", "training_file");
  std::string const training_file = body["training_file"];
  if (training_file.rfind("file-", 0) != 0)
    return error(400, "Invalid file format for training_file: " + training_file, "invalid_request_error", "training_file",
                 "invalid_training_file");

  nlohmann::json hyper{{"batch_size", "auto"}, {"learning_rate_multiplier", "auto"}, {"n_epochs", "auto"}};
  if (body.contains("hyperparameters") && body["hyperparameters"].is_object()) hyper.update(body["hyperparameters"]);
  nlohmann::json method = get_or(body, "method", nlohmann::json{{"type", "supervised"}});
  if (method.value("type", "") == "supervised") {
    nlohmann::json given = method.contains("supervised") ? method["supervised"].value("hyperparameters", nlohmann::json::object())
                                                         : nlohmann::json::object();
    hyper.update(given);
    method["supervised"] = {{"hyperparameters", hyper}};
  }

  std::string id = "ftjob-" + padded(next_id_++);
  Job job;
  job.json = {{"id", id},
              {"object", "fine_tuning.job"},
              {"created_at", tick()},
              {"model", body["model"]},
              {"status", "validating_files"},
              {"training_file", training_file},
              {"validation_file", get_or(body, "validation_file", nlohmann::json())},
              {"fine_tuned_model", nullptr},
              {"finished_at", nullptr},
              {"organization_id", "org-fake"},
              {"result_files", nlohmann::json::array()},
              {"trained_tokens", nullptr},
              {"error", nullptr},
              {"hyperparameters", hyper},
              {"method", method},
              {"seed", get_or(body, "seed", 42)},
              {"estimated_finish", nullptr},
              {"suffix", get_or(body, "suffix", nlohmann::json())},
              {"integrations", get_or(body, "integrations", nlohmann::json())},
              {"metadata", get_or(body, "metadata", nlohmann::json())}};
  add_event(job, "info", "Created fine-tuning job: " + id);
  add_event(job, "info", "Validating training file: " + training_file);
  nlohmann::json result = job.json;
  jobs_[id] = std::move(job);
  job_order_.push_back(id);
  return json_response(200, result);
}

void FakeOpenAI::advance(Job& job) {
  std::string const status = job.json["status"];
  std::string const id = job.json["id"];
  if (status == "validating_files") {
    job.json["status"] = "queued";
    add_event(job, "info", "Files validated, moving job to queued state");
  } else if (status == "queued") {
    job.json["status"] = "running";
    add_event(job, "info", "Fine-tuning job started");
  } else if (status == "running") {
    std::string model = job.json["model"];
    std::string suffix = job.json["suffix"].is_string() ? job.json["suffix"].get<std::string>() : std::string();
    std::string fine_tuned = "ft:" + model + ":smarter-fake:" + suffix + ":" + id.substr(6);
    for (int step = 10; step <= 30; step += 10) {
      double loss = 1.0 / step;
      add_event(job, "info", "Step " + std::to_string(step) + "/30: training loss=" + std::to_string(loss),
                {{"step", step}, {"train_loss", loss}, {"total_steps", 30}});
      job.checkpoints.push_back({{"id", "ftckpt_" + padded(next_id_++)},
                                 {"object", "fine_tuning.job.checkpoint"},
                                 {"created_at", tick()},
                                 {"fine_tuned_model_checkpoint", fine_tuned + ":ckpt-step-" + std::to_string(step)},
                                 {"fine_tuning_job_id", id},
                                 {"step_number", step},
                                 {"metrics",
                                  {{"step", step},
                                   {"train_loss", loss},
                                   {"train_mean_token_accuracy", 1.0 - loss},
                                   {"valid_loss", loss * 1.1},
                                   {"valid_mean_token_accuracy", 1.0 - loss * 1.1},
                                   {"full_valid_loss", loss * 1.2},
                                   {"full_valid_mean_token_accuracy", 1.0 - loss * 1.2}}}});
    }
    job.json["status"] = "succeeded";
    job.json["fine_tuned_model"] = fine_tuned;
    job.json["finished_at"] = tick();
    job.json["trained_tokens"] = 12345;
    job.json["result_files"] = {"file-result-" + id.substr(6)};
    add_event(job, "info", "New fine-tuned model created: " + fine_tuned);
    add_event(job, "info", "The job has successfully completed");
  }
}

FakeResponse FakeOpenAI::jobs_action(std::string const& action, RecordedRequest const& request, std::string const& id) {
  // Strict like the real server: these endpoints take no body at all, not even "{}".
  if (!request.body.empty())
    return error(400, "This endpoint does not accept a request body.", "invalid_request_error");
  auto it = jobs_.find(id);
  if (it == jobs_.end())
    return error(404, "Could not find fine-tuning job: " + id, "invalid_request_error", "fine_tuning_job_id",
                 "fine_tune_not_found");
  Job& job = it->second;
  std::string const status = job.json["status"];
  if (action == "retrieve") {
    advance(job);  // each retrieve moves the job one step on
    return json_response(200, job.json);
  }
  if (action == "cancel") {
    if (is_terminal(status))
      return error(400, "Job has already completed: " + id, "invalid_request_error", std::nullopt,
                   "job_already_completed");
    job.json["status"] = "cancelled";
    job.json["finished_at"] = tick();
    add_event(job, "info", "Fine-tuning job cancelled");
    return json_response(200, job.json);
  }
  if (action == "pause") {
    if (status != "running" && status != "queued")
      return error(400, "Only queued or running jobs can be paused.", "invalid_request_error");
    job.json["status"] = "paused";
    add_event(job, "info", "Fine-tuning job paused");
    return json_response(200, job.json);
  }
  if (action == "resume") {
    if (status != "paused") return error(400, "Only paused jobs can be resumed.", "invalid_request_error");
    job.json["status"] = "running";
    add_event(job, "info", "Fine-tuning job resumed");
    return json_response(200, job.json);
  }
  return error(404, "Unknown action " + action, "invalid_request_error");
}

FakeResponse FakeOpenAI::permissions(std::string const& action, RecordedRequest const& request,
                                     std::string const& checkpoint) {
  if (checkpoint.rfind("ft:", 0) != 0)
    return error(404, "Checkpoint '" + checkpoint + "' not found.", "invalid_request_error", "fine_tuned_model_checkpoint");
  std::vector<nlohmann::json>& granted = permissions_[checkpoint];
  if (action == "create") {
    nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("project_ids") || !body["project_ids"].is_array() ||
        body["project_ids"].empty())
      return error(400, "Missing required parameter: 'project_ids'.", "invalid_request_error", "project_ids");
    nlohmann::json data = nlohmann::json::array();
    for (auto const& project : body["project_ids"]) {
      if (!project.is_string()) return error(400, "Invalid 'project_ids': expected strings.", "invalid_request_error");
      auto same = std::find_if(granted.begin(), granted.end(), [&](nlohmann::json const& p) { return p["project_id"] == project; });
      if (same == granted.end()) {
        granted.push_back({{"id", "cp_" + padded(next_id_++)}, {"object", "checkpoint.permission"},
                           {"created_at", tick()}, {"project_id", project}});
        same = std::prev(granted.end());
      }
      data.push_back(*same);  // granting again returns the existing permission
    }
    return json_response(200, {{"object", "list"}, {"data", data}, {"has_more", false},
                               {"first_id", data.front()["id"]}, {"last_id", data.back()["id"]}});
  }
  if (!request.body.empty()) return error(400, "This endpoint does not accept a request body.", "invalid_request_error");
  if (action == "list") {
    std::string const order = request.param("order").value_or("descending");
    if (order != "ascending" && order != "descending")
      return error(400, "Invalid 'order': expected 'ascending' or 'descending'.", "invalid_request_error", "order");
    std::vector<nlohmann::json> listed;
    for (auto const& permission : granted)
      if (!request.param("project_id") || permission["project_id"] == *request.param("project_id")) listed.push_back(permission);
    if (order == "descending") std::reverse(listed.begin(), listed.end());
    return *page_of(listed, request, true);
  }
  if (action == "delete") {
    std::string const permission_id = path_group(request, 2).value_or("");
    auto it = std::find_if(granted.begin(), granted.end(), [&](nlohmann::json const& p) { return p["id"] == permission_id; });
    if (it == granted.end())
      return error(404, "Permission '" + permission_id + "' not found.", "invalid_request_error", "permission_id");
    granted.erase(it);
    return json_response(200, {{"id", permission_id}, {"object", "checkpoint.permission"}, {"deleted", true}});
  }
  return error(404, "Unknown action " + action, "invalid_request_error");
}

FakeResponse FakeOpenAI::graders(std::string const& action, RecordedRequest const& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object()) return error(400, "We could not parse the JSON body of your request.", "invalid_request_error");
  bodies_.push_back(body);
  nlohmann::json const grader = get_or(body, "grader", nullptr);
  static std::vector<std::string> const kinds{"string_check", "text_similarity", "python", "score_model", "multi"};
  if (!grader.is_object() || std::find(kinds.begin(), kinds.end(), grader.value("type", "")) == kinds.end())
    return error(400, "Invalid 'grader': expected an object whose type is one of string_check, text_similarity, "
                      "python, score_model or multi.", "invalid_request_error", "grader");
  if (action == "validate") return json_response(200, {{"grader", grader}});
  if (!body.contains("model_sample") || !body["model_sample"].is_string())
    return error(400, "Missing required parameter: 'model_sample'.", "invalid_request_error", "model_sample");
  // A string_check grader really compares (with "{{item.KEY}}" taken from the item); other kinds
  // give a fixed middle grade.
  double reward = 0.5;
  if (grader["type"] == "string_check") {
    std::string reference = grader.value("reference", "");
    nlohmann::json const item = get_or(body, "item", nlohmann::json::object());
    if (reference.rfind("{{item.", 0) == 0 && reference.size() > 9 && reference.compare(reference.size() - 2, 2, "}}") == 0)
      reference = item.value(reference.substr(7, reference.size() - 9), std::string());
    std::string const sample = body["model_sample"];
    std::string const operation = grader.value("operation", "eq");
    bool const equal = sample == reference;
    reward = (operation == "ne" ? !equal : equal) ? 1.0 : 0.0;
  }
  nlohmann::json errors = nlohmann::json::object();
  for (char const* flag : {"formula_parse_error", "sample_parse_error", "truncated_observation_error",
                           "unresponsive_reward_error", "invalid_variable_error", "other_error",
                           "python_grader_server_error", "python_grader_runtime_error", "model_grader_server_error",
                           "model_grader_refusal_error", "model_grader_parse_error"})
    errors[flag] = false;
  return json_response(200, {{"reward", reward},
                             {"metadata", {{"name", grader.value("name", "")}, {"type", grader["type"]},
                                           {"errors", errors}, {"execution_time", 0.01}, {"scores", nlohmann::json::object()},
                                           {"token_usage", nullptr}, {"sampled_model_name", nullptr}}},
                             {"sub_rewards", nlohmann::json::object()},
                             {"model_grader_token_usage_per_model", nlohmann::json::object()}});
}

std::optional<FakeResponse> FakeOpenAI::page_of(std::vector<nlohmann::json> const& ordered,
                                                 RecordedRequest const& request, bool with_ids) {
  int limit = options_.default_page_limit;
  if (auto text = request.param("limit")) {
    try {
      std::size_t used = 0;
      limit = std::stoi(*text, &used);
      if (used != text->size()) throw std::invalid_argument("trailing");
    } catch (std::exception const&) {
      return error(400, "Invalid 'limit': expected an integer.", "invalid_request_error", "limit");
    }
    if (limit < 1 || limit > options_.max_page_limit)
      return error(400, "Invalid 'limit': must be between 1 and " + std::to_string(options_.max_page_limit) + ".",
                   "invalid_request_error", "limit");
  }
  std::size_t start = 0;
  if (auto after = request.param("after")) {
    auto it = std::find_if(ordered.begin(), ordered.end(),
                           [&](nlohmann::json const& item) { return item["id"] == *after; });
    // An unknown cursor gives an empty last page.
    start = it == ordered.end() ? ordered.size() : static_cast<std::size_t>(it - ordered.begin()) + 1;
  }
  nlohmann::json data = nlohmann::json::array();
  std::size_t end = std::min(ordered.size(), start + static_cast<std::size_t>(limit));
  for (std::size_t i = start; i < end; ++i) data.push_back(ordered[i]);
  nlohmann::json page{{"object", "list"}, {"data", std::move(data)}, {"has_more", end < ordered.size()}};
  if (with_ids) {  // the chat-completion lists also name their first and last items
    page["first_id"] = page["data"].empty() ? nlohmann::json("") : page["data"].front()["id"];
    page["last_id"] = page["data"].empty() ? nlohmann::json("") : page["data"].back()["id"];
  }
  return json_response(200, page);
}

FakeResponse FakeOpenAI::jobs_list(RecordedRequest const& request) {
  if (!request.body.empty()) return error(400, "This endpoint does not accept a request body.", "invalid_request_error");
  std::vector<nlohmann::json> newest_first;
  newest_first.reserve(job_order_.size());
  for (auto it = job_order_.rbegin(); it != job_order_.rend(); ++it) {
    nlohmann::json const& job = jobs_.at(*it).json;
    // metadata[key]=value filters, as the API documents.
    bool keep = true;
    for (auto const& [name, value] : request.params) {
      if (name.rfind("metadata[", 0) != 0 || name.back() != ']') continue;
      std::string key = name.substr(9, name.size() - 10);
      auto const& metadata = job["metadata"];
      keep = keep && metadata.is_object() && metadata.value(key, std::string()) == value;
    }
    if (keep) newest_first.push_back(job);
  }
  return *page_of(newest_first, request);
}

FakeResponse FakeOpenAI::job_children(std::string const& kind, RecordedRequest const& request, std::string const& id) {
  if (!request.body.empty()) return error(400, "This endpoint does not accept a request body.", "invalid_request_error");
  auto it = jobs_.find(id);
  if (it == jobs_.end())
    return error(404, "Could not find fine-tuning job: " + id, "invalid_request_error", "fine_tuning_job_id",
                 "fine_tune_not_found");
  auto const& items = kind == "events" ? it->second.events : it->second.checkpoints;
  std::vector<nlohmann::json> newest_first(items.rbegin(), items.rend());
  return *page_of(newest_first, request);
}

// ------------------------------------------------------------------------------ routes

std::shared_ptr<FakeOpenAI> install_openai(FakeServer& server, FakeOpenAIOptions options) {
  auto state = std::make_shared<FakeOpenAI>(std::move(options));
  std::string const prefix = kPrefix;
  auto add = [&](char const* method, std::string const& pattern, std::string route) {
    server.route(method, prefix + pattern, [state, route](RecordedRequest const& request) {
      return state->handle(route, request, path_group(request, 1).value_or(""));
    });
  };
  add("POST", "chat/completions/?", "chat.create");
  add("GET", "chat/completions/?", "chat.list");
  add("GET", "chat/completions/([^/]+)", "chat.retrieve");
  add("POST", "chat/completions/([^/]+)", "chat.update");
  add("DELETE", "chat/completions/([^/]+)", "chat.delete");
  add("GET", "chat/completions/([^/]+)/messages", "chat.messages");
  add("POST", "responses/?", "responses.create");
  add("POST", "responses/input_tokens", "responses.input_tokens");
  add("POST", "responses/compact", "responses.compact");
  add("GET", "responses/([^/]+)", "responses.retrieve");
  add("DELETE", "responses/([^/]+)", "responses.delete");
  add("POST", "responses/([^/]+)/cancel", "responses.cancel");
  add("GET", "responses/([^/]+)/input_items", "responses.input_items");
  add("POST", "fine_tuning/checkpoints/([^/]+)/permissions/?", "permissions.create");
  add("GET", "fine_tuning/checkpoints/([^/]+)/permissions/?", "permissions.list");
  add("DELETE", "fine_tuning/checkpoints/([^/]+)/permissions/([^/]+)", "permissions.delete");
  add("POST", "fine_tuning/alpha/graders/run", "graders.run");
  add("POST", "fine_tuning/alpha/graders/validate", "graders.validate");
  add("POST", "fine_tuning/jobs/?", "jobs.create");
  add("GET", "fine_tuning/jobs/?", "jobs.list");
  add("GET", "fine_tuning/jobs/([^/]+)", "jobs.retrieve");
  add("POST", "fine_tuning/jobs/([^/]+)/cancel", "jobs.cancel");
  add("POST", "fine_tuning/jobs/([^/]+)/pause", "jobs.pause");
  add("POST", "fine_tuning/jobs/([^/]+)/resume", "jobs.resume");
  add("GET", "fine_tuning/jobs/([^/]+)/events", "jobs.events");
  add("GET", "fine_tuning/jobs/([^/]+)/checkpoints", "jobs.checkpoints");
  return state;
}

}  // namespace smarter::testkit
