// `client.responses()`: the OpenAI-shaped Responses API.
#pragma once

#include <memory>
#include <string>

#include <smarter/detail/client_core.hpp>
#include <smarter/export.hpp>
#include <smarter/options.hpp>
#include <smarter/pagination.hpp>
#include <smarter/streaming.hpp>
#include <smarter/structured.hpp>
#include <smarter/types/responses.hpp>

namespace smarter::resources {

/// `client.responses().input_items()`: the items a response was given. Cheap to copy.
class SMARTER_API ResponseInputItems {
 public:
  /// A namespace bound to a client's request machinery.
  explicit ResponseInputItems(std::shared_ptr<detail::ClientCore const> core);
  /// The input items of the stored response `response_id`, page by page (GET
  /// responses/{id}/input_items; newest first unless `order` is "asc").
  CursorPage<ResponseItem> list(std::string const& response_id, ResponseInputItemListParams const& params = {},
                                RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

/// `client.responses().input_tokens()`: counting input tokens before creating a response.
class SMARTER_API ResponseInputTokenCounts {
 public:
  /// A namespace bound to a client's request machinery.
  explicit ResponseInputTokenCounts(std::shared_ptr<detail::ClientCore const> core);
  /// How many input tokens a response created from `params` would use (POST
  /// responses/input_tokens; safe to repeat).
  ResponseInputTokens count(ResponseInputTokensParams const& params, RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

/// `client.responses()`: create, stream, retrieve, cancel and delete responses; their input
/// items, input token counts and compaction. Cheap to copy.
class SMARTER_API Responses {
 public:
  /// A namespace bound to a client's request machinery.
  explicit Responses(std::shared_ptr<detail::ClientCore const> core);

  /// Creates a response and waits for it: `create({.model = "gpt-4o-mini", .input = "Hi"})`.
  /// `input` is a string or a list of messages; `result.output_text()` joins the text output.
  Response create(ResponseCreateParams const& params, RequestOptions const& options = {}) const;

  /// Creates a response streamed as events (`"stream": true` is sent): `response.created`,
  /// `response.output_text.delta`, ..., `response.completed`.
  Stream<ResponseStreamEvent> create_stream(ResponseCreateParams const& params,
                                            RequestOptions const& options = {}) const;

  /// Creates a response whose output text is decoded into T (structured outputs). The schema sent
  /// is `params.text->format` when set, else T's `static nlohmann::json json_schema()` as a
  /// strict json_schema format. Raises StructuredOutputError like ChatCompletions::parse; for a
  /// stream, call parse_response<T> on the `response.completed` event's response.
  template <class T>
  ParsedResponse<T> parse(ResponseCreateParams params, RequestOptions const& options = {}) const {
    if (!params.text || !params.text->format) {
      if constexpr (detail::has_json_schema<T>::value) {
        if (!params.text) params.text = ResponseTextConfig{};
        params.text->format = ResponseFormat::from_schema(detail::schema_format_of<T>());
      } else {
        detail::throw_no_schema();
      }
    }
    return parse_response<T>(create(params, options));
  }

  /// Fetches a stored response (no request body). An empty id raises before any request.
  Response retrieve(std::string const& response_id, RequestOptions const& options = {}) const;
  /// Fetches a stored response with query parameters (`include`, ...).
  Response retrieve(std::string const& response_id, ResponseRetrieveParams const& params,
                    RequestOptions const& options = {}) const;
  /// Streams a stored response's events again (GET responses/{id}?stream=true), e.g. to follow a
  /// background response; `starting_after` resumes after an event number.
  Stream<ResponseStreamEvent> retrieve_stream(std::string const& response_id, ResponseRetrieveParams const& params = {},
                                              RequestOptions const& options = {}) const;
  /// Deletes a stored response (DELETE responses/{id}).
  void remove(std::string const& response_id, RequestOptions const& options = {}) const;
  /// Cancels a background response (`background: true`) still in progress; returns it.
  Response cancel(std::string const& response_id, RequestOptions const& options = {}) const;
  /// Compacts a conversation into fewer items (POST responses/compact).
  ResponseCompaction compact(ResponseCompactParams const& params, RequestOptions const& options = {}) const;
  /// The input items of stored responses.
  ResponseInputItems input_items() const;
  /// Input token counting.
  ResponseInputTokenCounts input_tokens() const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

}  // namespace smarter::resources
