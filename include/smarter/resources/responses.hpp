// `client.responses()`: the OpenAI-shaped Responses API.
#pragma once

#include <memory>
#include <string>

#include <smarter/detail/client_core.hpp>
#include <smarter/export.hpp>
#include <smarter/options.hpp>
#include <smarter/streaming.hpp>
#include <smarter/types/responses.hpp>

namespace smarter::resources {

/// `client.responses()`: POST responses, GET responses/{id}. Cheap to copy.
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

  /// Fetches a stored response (no request body). An empty id raises before any request.
  Response retrieve(std::string const& response_id, RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

}  // namespace smarter::resources
