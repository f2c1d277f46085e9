// `client.chat()`: OpenAI-shaped chat completions (plain and streamed), and the Responses API
// under the Python SDK's `chat().responses()` spelling.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <smarter/detail/client_core.hpp>
#include <smarter/export.hpp>
#include <smarter/options.hpp>
#include <smarter/pagination.hpp>
#include <smarter/streaming.hpp>
#include <smarter/structured.hpp>
#include <smarter/types/chat.hpp>
#include <smarter/types/responses.hpp>

namespace smarter::resources {

/// `client.chat().completions().messages()`: the conversation of a stored completion. Cheap to copy.
class SMARTER_API ChatCompletionMessages {
 public:
  /// A namespace bound to a client's request machinery.
  explicit ChatCompletionMessages(std::shared_ptr<detail::ClientCore const> core);

  /// The messages of the stored completion `completion_id`, page by page (GET
  /// chat/completions/{id}/messages); range-for fetches the next pages.
  CursorPage<ChatCompletionStoreMessage> list(std::string const& completion_id,
                                              ChatCompletionMessageListParams const& params = {},
                                              RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

/// `client.chat().completions()`: create completions (plain and streamed) and manage the ones
/// stored with `store: true`. Cheap to copy.
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

  /// Creates a completion whose answer is decoded into T (structured outputs). The schema sent is
  /// `params.response_format` when set, else T's `static nlohmann::json json_schema()` (named by
  /// `T::schema_name` when T has one) as a strict json_schema format. T is decoded with its
  /// nlohmann `from_json`. Raises StructuredOutputError on a refusal, a cut-off or filtered
  /// answer, or JSON that does not decode; streamed: accumulate the chunks with a
  /// ChatCompletionAccumulator and call parse_completion<T>(accumulator.final_completion()).
  template <class T>
  ParsedChatCompletion<T> parse(ChatCompletionCreateParams params, RequestOptions const& options = {}) const {
    if (!params.response_format) {
      if constexpr (detail::has_json_schema<T>::value) {
        params.response_format = ResponseFormat::from_schema(detail::schema_format_of<T>());
      } else {
        detail::throw_no_schema();
      }
    }
    return parse_completion<T>(create(params, options));
  }

  /// Runs a tool-calling conversation: creates a completion; while the model asks for tools,
  /// answers each call with the handler of its function name (arguments parsed from JSON; an
  /// unknown name or invalid arguments are answered with an error text the model can read) and
  /// asks again, at most `max_steps` completions in all. A handler's exception ends the run.
  ToolRunResult run_tools(ChatCompletionCreateParams params, std::map<std::string, ToolHandler> const& handlers,
                          int max_steps = 10, RequestOptions const& options = {}) const;

  /// The stored completions, page by page (GET chat/completions), filtered by `params`.
  CursorPage<ChatCompletion> list(ChatCompletionListParams const& params = {},
                                  RequestOptions const& options = {}) const;
  /// One stored completion (GET chat/completions/{id}).
  ChatCompletion retrieve(std::string const& completion_id, RequestOptions const& options = {}) const;
  /// Replaces a stored completion's metadata (POST chat/completions/{id}); returns the completion.
  ChatCompletion update(std::string const& completion_id, ChatCompletionUpdateParams const& params,
                        RequestOptions const& options = {}) const;
  /// Deletes a stored completion (DELETE chat/completions/{id}).
  ChatCompletionDeleted remove(std::string const& completion_id, RequestOptions const& options = {}) const;
  /// The messages of stored completions.
  ChatCompletionMessages messages() const;

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
