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

std::string response_path(std::string const& response_id, char const* suffix = "") {
  return "responses/" + detail::path_segment("response_id", response_id) + suffix;
}

// GET responses/{id} with the query of `params`.
detail::RequestSpec retrieve_spec(std::string const& response_id, ResponseRetrieveParams const& params,
                                  RequestOptions const& options) {
  detail::RequestSpec spec;
  spec.method = "GET";
  spec.path = response_path(response_id);
  if (params.include)
    for (std::string const& item : *params.include) spec.query.emplace_back("include", item);  // form style: one pair per value
  if (params.include_obfuscation) spec.query.emplace_back("include_obfuscation", *params.include_obfuscation ? "true" : "false");
  openai::add_query(spec.query, "starting_after", params.starting_after);
  spec.options = options;
  return spec;
}

}  // namespace

ResponseInputItems::ResponseInputItems(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

CursorPage<ResponseItem> ResponseInputItems::list(std::string const& response_id,
                                                  ResponseInputItemListParams const& params,
                                                  RequestOptions const& options) const {
  detail::RequestSpec spec =
      openai::cursor_list(response_path(response_id, "/input_items"), params.after, params.limit, params.order, options);
  if (params.include)
    for (std::string const& item : *params.include) spec.query.emplace_back("include", item);  // form style: one pair per value
  return detail::fetch_cursor_page<ResponseItem>(core_, std::move(spec));
}

ResponseInputTokenCounts::ResponseInputTokenCounts(std::shared_ptr<detail::ClientCore const> core)
    : core_(std::move(core)) {}

ResponseInputTokens ResponseInputTokenCounts::count(ResponseInputTokensParams const& params,
                                                    RequestOptions const& options) const {
  return detail::decode_response<ResponseInputTokens>(
      core_->execute(openai::repeatable_post("responses/input_tokens", nlohmann::json(params), options)));
}

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
  return retrieve(response_id, ResponseRetrieveParams{}, options);
}

Response Responses::retrieve(std::string const& response_id, ResponseRetrieveParams const& params,
                             RequestOptions const& options) const {
  return detail::decode_response<Response>(core_->execute(retrieve_spec(response_id, params, options)));
}

Stream<ResponseStreamEvent> Responses::retrieve_stream(std::string const& response_id,
                                                       ResponseRetrieveParams const& params,
                                                       RequestOptions const& options) const {
  detail::RequestSpec spec = retrieve_spec(response_id, params, options);
  spec.query.emplace_back("stream", "true");
  // OpenAI's description lists only JSON for this operation, even with stream=true; naming both
  // keeps strict servers (and validating mocks) from refusing the request.
  spec.headers.set("Accept", "text/event-stream, application/json");
  spec.stream = true;
  return Stream<ResponseStreamEvent>(core_->execute_streamed(spec));
}

void Responses::remove(std::string const& response_id, RequestOptions const& options) const {
  detail::RequestSpec spec;
  spec.method = "DELETE";
  spec.path = response_path(response_id);
  spec.options = options;
  core_->execute(spec);  // the answer has no body worth keeping
}

Response Responses::cancel(std::string const& response_id, RequestOptions const& options) const {
  return detail::decode_response<Response>(
      core_->execute(openai::repeatable_post(response_path(response_id, "/cancel"), std::nullopt, options)));
}

ResponseCompaction Responses::compact(ResponseCompactParams const& params, RequestOptions const& options) const {
  return detail::decode_response<ResponseCompaction>(
      core_->execute(openai::repeatable_post("responses/compact", nlohmann::json(params), options)));
}

ResponseInputItems Responses::input_items() const { return ResponseInputItems(core_); }

ResponseInputTokenCounts Responses::input_tokens() const { return ResponseInputTokenCounts(core_); }

}  // namespace resources
}  // namespace smarter
