// `client.chat()`: OpenAI-shaped chat completions (plain and streamed), and the Responses API
// under the Python SDK's `chat().responses()` spelling.
#pragma once

#include <memory>

#include <smarter/detail/client_core.hpp>
#include <smarter/export.hpp>
#include <smarter/options.hpp>
#include <smarter/streaming.hpp>
#include <smarter/types/chat.hpp>
#include <smarter/types/responses.hpp>

namespace smarter::resources {

/// `client.chat().completions()`: POST chat/completions. Cheap to copy.
class SMARTER_API ChatCompletions {
 public:
  /// A namespace bound to a client's request machinery.
  explicit ChatCompletions(std::shared_ptr<detail::ClientCore const> core);

  /// Creates a completion and waits for the whole answer.
  ChatCompletion create(ChatCompletionCreateParams const& params, RequestOptions const& options = {}) const;

  /// Creates a completion streamed as server-sent events (`"stream": true` is sent): range-for
  /// over the result yields each ChatCompletionChunk as it arrives. Feed the chunks to a
  /// ChatCompletionAccumulator to get the final message. HTTP errors raise before the first
  /// chunk; an error event mid-stream raises from the loop.
  Stream<ChatCompletionChunk> create_stream(ChatCompletionCreateParams const& params,
                                            RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

/// `client.chat().responses()`: the Responses API with the Python SDK's parameter spelling
/// (`input`, `model`, `response_format`). Served by the same code as `client.responses()`.
class SMARTER_API ChatResponses {
 public:
  /// A namespace bound to a client's request machinery.
  explicit ChatResponses(std::shared_ptr<detail::ClientCore const> core);

  /// Creates a response; `response_format` is sent as `text.format`.
  Response create(ChatResponseCreateParams const& params, RequestOptions const& options = {}) const;
  /// Creates a response streamed as events.
  Stream<ResponseStreamEvent> create_stream(ChatResponseCreateParams const& params,
                                            RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

/// `client.chat()`. Cheap to copy.
class SMARTER_API Chat {
 public:
  /// A namespace bound to a client's request machinery.
  explicit Chat(std::shared_ptr<detail::ClientCore const> core);
  /// Chat completions.
  ChatCompletions completions() const;
  /// The Responses API under its chat spelling.
  ChatResponses responses() const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

}  // namespace smarter::resources
