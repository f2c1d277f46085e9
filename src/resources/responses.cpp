#include <smarter/resources/responses.hpp>

#include <utility>

#include <smarter/client.hpp>
#include <smarter/detail/decode.hpp>

#include "resources/openai_paths.hpp"

namespace smarter {

namespace resources {

namespace {
detail::RequestSpec create_spec(ResponseCreateParams const& params, RequestOptions const& options) {
  detail::RequestSpec spec;
  spec.method = "POST";
  spec.idempotency = detail::Idempotency::with_key;  // its Idempotency-Key makes a repeat safe
  spec.path = "responses";
  spec.json_body = to_json_body(params);
  spec.options = options;
  return spec;
}
}  // namespace

Responses::Responses(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

Response Responses::create(ResponseCreateParams const& params, RequestOptions const& options) const {
  return detail::decode_response<Response>(core_->execute(create_spec(params, options)));
}

Stream<ResponseStreamEvent> Responses::create_stream(ResponseCreateParams const& params,
                                                     RequestOptions const& options) const {
  detail::RequestSpec spec = create_spec(params, options);
  (*spec.json_body)["stream"] = true;
  spec.headers.set("Accept", "text/event-stream");
  spec.stream = true;
  return Stream<ResponseStreamEvent>(core_->execute_streamed(spec));
}

Response Responses::retrieve(std::string const& response_id, RequestOptions const& options) const {
  detail::RequestSpec spec;
  spec.method = "GET";
  spec.path = "responses/" + detail::path_segment("response_id", response_id);
  spec.options = options;
  return detail::decode_response<Response>(core_->execute(spec));
}

}  // namespace resources
}  // namespace smarter
