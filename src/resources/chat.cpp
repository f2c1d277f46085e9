#include <smarter/resources/chat.hpp>

#include <utility>

#include <smarter/client.hpp>
#include <smarter/detail/decode.hpp>
#include <smarter/resources/responses.hpp>

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
}  // namespace

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
