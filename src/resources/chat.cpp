#include <smarter/resources/chat.hpp>

#include <utility>

#include <smarter/client.hpp>
#include <smarter/detail/decode.hpp>
#include <smarter/resources/responses.hpp>

#include "json_parse.hpp"
#include "resources/openai_paths.hpp"

namespace smarter {

namespace resources {

namespace {
detail::RequestSpec completion_spec(ChatCompletionCreateParams const& params, RequestOptions const& options) {
  detail::RequestSpec spec;
  spec.method = "POST";
  spec.idempotency = detail::Idempotency::with_key;  // its Idempotency-Key makes a repeat safe
  spec.path = "chat/completions";
  spec.json_body = to_json_body(params);
  spec.options = options;
  return spec;
}

std::string completion_path(std::string const& completion_id, char const* suffix = "") {
  return "chat/completions/" + detail::path_segment("completion_id", completion_id) + suffix;
}

}  // namespace

ChatCompletionMessages::ChatCompletionMessages(std::shared_ptr<detail::ClientCore const> core)
    : core_(std::move(core)) {}

CursorPage<ChatCompletionStoreMessage> ChatCompletionMessages::list(std::string const& completion_id,
                                                                    ChatCompletionMessageListParams const& params,
                                                                    RequestOptions const& options) const {
  return detail::fetch_cursor_page<ChatCompletionStoreMessage>(
      core_, openai::cursor_list(completion_path(completion_id, "/messages"), params.after, params.limit, params.order,
                                options));
}

ChatCompletions::ChatCompletions(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

ChatCompletion ChatCompletions::create(ChatCompletionCreateParams const& params, RequestOptions const& options) const {
  return detail::decode_response<ChatCompletion>(core_->execute(completion_spec(params, options)));
}

Stream<ChatCompletionChunk> ChatCompletions::create_stream(ChatCompletionCreateParams const& params,
                                                           RequestOptions const& options) const {
  detail::RequestSpec spec = completion_spec(params, options);
  (*spec.json_body)["stream"] = true;
  spec.headers.set("Accept", "text/event-stream");
  spec.stream = true;
  return Stream<ChatCompletionChunk>(core_->execute_streamed(spec));
}

ToolRunResult ChatCompletions::run_tools(ChatCompletionCreateParams params,
                                         std::map<std::string, ToolHandler> const& handlers, int max_steps,
                                         RequestOptions const& options) const {
  if (max_steps < 1) throw SmarterError("run_tools: max_steps must be at least 1");
  ToolRunResult result;
  while (result.steps < max_steps) {
    result.completion = create(params, options);
    ++result.steps;
    if (result.completion.choices.empty()) break;
    ChatCompletionMessage const& message = result.completion.choices.front().message;
    params.messages.push_back(to_message_param(message));
    if (message.tool_calls.empty()) {
      result.finished = true;
      break;
    }
    for (ChatCompletionMessageToolCall const& call : message.tool_calls) {
      std::string answer;
      auto handler = handlers.find(call.function.name);
      detail::JsonParse arguments = detail::parse_json(call.function.arguments, detail::kDefaultMaxJsonDepth);
      if (handler == handlers.end()) {
        answer = "error: there is no tool named \"" + call.function.name + "\"";
      } else if (!arguments) {
        answer = "error: the arguments are not valid JSON (" + arguments.message + ")";
      } else {
        answer = handler->second(arguments.value);
      }
      params.messages.push_back(ChatMessage::tool(call.id, std::move(answer)));
    }
  }
  result.messages = std::move(params.messages);
  return result;
}

CursorPage<ChatCompletion> ChatCompletions::list(ChatCompletionListParams const& params,
                                                 RequestOptions const& options) const {
  detail::RequestSpec spec = openai::cursor_list("chat/completions", params.after, params.limit, params.order, options);
  openai::add_query(spec.query, "model", params.model);
  openai::add_metadata_query(spec.query, params.metadata);
  return detail::fetch_cursor_page<ChatCompletion>(core_, std::move(spec));
}

ChatCompletion ChatCompletions::retrieve(std::string const& completion_id, RequestOptions const& options) const {
  detail::RequestSpec spec;
  spec.path = completion_path(completion_id);
  spec.options = options;
  return detail::decode_response<ChatCompletion>(core_->execute(spec));
}

ChatCompletion ChatCompletions::update(std::string const& completion_id, ChatCompletionUpdateParams const& params,
                                       RequestOptions const& options) const {
  // Setting the same metadata twice changes nothing.
  return detail::decode_response<ChatCompletion>(
      core_->execute(openai::repeatable_post(completion_path(completion_id), nlohmann::json(params), options)));
}

ChatCompletionDeleted ChatCompletions::remove(std::string const& completion_id, RequestOptions const& options) const {
  detail::RequestSpec spec;
  spec.method = "DELETE";
  spec.path = completion_path(completion_id);
  spec.options = options;
  return detail::decode_response<ChatCompletionDeleted>(core_->execute(spec));
}

ChatCompletionMessages ChatCompletions::messages() const { return ChatCompletionMessages(core_); }

ChatResponses::ChatResponses(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

Response ChatResponses::create(ChatResponseCreateParams const& params, RequestOptions const& options) const {
  return Responses(core_).create(params.to_response_params(), options);
}

Stream<ResponseStreamEvent> ChatResponses::create_stream(ChatResponseCreateParams const& params,
                                                         RequestOptions const& options) const {
  return Responses(core_).create_stream(params.to_response_params(), options);
}

Chat::Chat(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}
ChatCompletions Chat::completions() const { return ChatCompletions(core_); }
ChatResponses Chat::responses() const { return ChatResponses(core_); }

}  // namespace resources
}  // namespace smarter
