// Structured outputs: a chat completion or response whose JSON answer is decoded into the
// caller's own type T (through T's nlohmann `from_json`), with the JSON schema sent for it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include <smarter/errors.hpp>
#include <smarter/export.hpp>
#include <smarter/types/chat.hpp>
#include <smarter/types/responses.hpp>

namespace smarter {

/// The model's answer could not become the requested type: it refused, it was cut off or
/// filtered, or its JSON does not decode into the type.
class SMARTER_API StructuredOutputError : public SmarterError {
 public:
  /// Why there is no value.
  enum class Reason {
    refusal,         ///< The model refused; content() is its refusal.
    truncated,       ///< The answer hit the token limit (finish_reason "length", status "incomplete").
    content_filter,  ///< The answer was withheld by the content filter.
    invalid,         ///< The answer is not JSON of the type's shape; content() is the text.
  };
  /// `content` is the refusal or the text received (kept for the caller to inspect).
  StructuredOutputError(Reason reason, std::string const& message, std::string content);
  /// Why there is no value.
  Reason reason() const noexcept { return reason_; }
  /// The refusal text, or the answer text that did not decode.
  std::string const& content() const noexcept { return content_; }

 private:
  Reason reason_;
  std::string content_;
};

/// A chat completion and its first choice's answer decoded into T.
template <class T>
struct ParsedChatCompletion {
  ChatCompletion completion;  ///< The whole completion.
  T parsed;                   ///< The first choice's content as T.
};

/// A response and its output text decoded into T.
template <class T>
struct ParsedResponse {
  Response response;  ///< The whole response.
  T parsed;           ///< The output text as T.
};

namespace detail {

/// True when T provides its schema: `static nlohmann::json json_schema();`.
template <class T, class = void>
struct has_json_schema : std::false_type {};
template <class T>
struct has_json_schema<T, std::void_t<decltype(T::json_schema())>> : std::true_type {};

/// True when T names its schema: `static constexpr char const* schema_name = "...";`.
template <class T, class = void>
struct has_schema_name : std::false_type {};
template <class T>
struct has_schema_name<T, std::void_t<decltype(T::schema_name)>> : std::true_type {};

/// The strict json_schema format for T, from T::json_schema() (and T::schema_name, else "response").
template <class T>
JsonSchemaFormat schema_format_of() {
  JsonSchemaFormat format;
  if constexpr (has_schema_name<T>::value) {
    format.name = T::schema_name;
  } else {
    format.name = "response";
  }
  format.schema = T::json_schema();
  format.strict = true;
  return format;
}

/// Parses answer text as JSON within the SDK's nesting limit; StructuredOutputError when it is not JSON.
SMARTER_API nlohmann::json parse_structured_text(std::string_view text);
/// Raises StructuredOutputError(invalid) for `text` that did not decode, with `why`.
[[noreturn]] SMARTER_API void throw_undecodable(std::string_view text, std::string const& why);
/// Raises the StructuredOutputError of a choice that has no answer to decode, if it has none.
SMARTER_API void check_choice(ChatCompletion const& completion);
/// Raises the StructuredOutputError of a response that has no answer to decode, if it has none.
SMARTER_API void check_response(Response const& response);
/// Raises SmarterError when there is no schema to send: neither the params nor T give one.
[[noreturn]] SMARTER_API void throw_no_schema();

/// Decodes answer text into T through its from_json.
template <class T>
T decode_structured(std::string_view text) {
  nlohmann::json const value = parse_structured_text(text);
  try {
    return value.get<T>();
  } catch (nlohmann::json::exception const& e) {
    throw_undecodable(text, e.what());
  } catch (std::exception const& e) {  // a user from_json may throw anything
    throw_undecodable(text, e.what());
  }
}

}  // namespace detail

/// Decodes the first choice of `completion` into T (a streamed answer too: pass the
/// ChatCompletionAccumulator's final_completion()). Raises StructuredOutputError on a refusal, a
/// cut-off or filtered answer, or content that is not T's JSON.
template <class T>
ParsedChatCompletion<T> parse_completion(ChatCompletion completion) {
  detail::check_choice(completion);
  T parsed = detail::decode_structured<T>(*completion.choices.front().message.content);
  return ParsedChatCompletion<T>{std::move(completion), std::move(parsed)};
}

/// Decodes the output text of `response` into T. Raises StructuredOutputError like
/// parse_completion.
template <class T>
ParsedResponse<T> parse_response(Response response) {
  detail::check_response(response);
  T parsed = detail::decode_structured<T>(response.output_text());
  return ParsedResponse<T>{std::move(response), std::move(parsed)};
}

}  // namespace smarter
