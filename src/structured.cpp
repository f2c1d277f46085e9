#include <smarter/structured.hpp>

#include <string>
#include <utility>

#include "json_parse.hpp"

namespace smarter {

StructuredOutputError::StructuredOutputError(Reason reason, std::string const& message, std::string content)
    : SmarterError(message), reason_(reason), content_(std::move(content)) {}

namespace detail {

namespace {

// The start of an answer, for messages (the whole text stays in content()).
std::string excerpt(std::string_view text) {
  constexpr std::size_t kShown = 200;
  return text.size() <= kShown ? std::string(text) : std::string(text.substr(0, kShown)) + "...";
}

}  // namespace

nlohmann::json parse_structured_text(std::string_view text) {
  JsonParse parsed = parse_json(text, kDefaultMaxJsonDepth);
  if (!parsed) throw_undecodable(text, "not JSON: " + parsed.message);
  return std::move(parsed.value);
}

void throw_undecodable(std::string_view text, std::string const& why) {
  throw StructuredOutputError(StructuredOutputError::Reason::invalid,
                              "The model's answer does not decode into the requested type (" + why + "): " +
                                  dump_lenient(nlohmann::json(excerpt(text))),
                              std::string(text));
}

void check_choice(ChatCompletion const& completion) {
  using Reason = StructuredOutputError::Reason;
  if (completion.choices.empty()) {
    throw StructuredOutputError(Reason::invalid, "The completion has no choices to decode", "");
  }
  ChatCompletionChoice const& choice = completion.choices.front();
  if (choice.message.refusal) {
    throw StructuredOutputError(Reason::refusal, "The model refused: " + excerpt(*choice.message.refusal),
                                *choice.message.refusal);
  }
  if (choice.finish_reason == std::optional<std::string>("length")) {
    throw StructuredOutputError(Reason::truncated,
                                "The answer was cut off at the token limit (finish_reason \"length\") before it "
                                "was complete JSON; raise max_completion_tokens",
                                choice.message.content.value_or(""));
  }
  if (choice.finish_reason == std::optional<std::string>("content_filter")) {
    throw StructuredOutputError(Reason::content_filter, "The answer was withheld by the content filter",
                                choice.message.content.value_or(""));
  }
  if (!choice.message.content) {
    throw StructuredOutputError(Reason::invalid, "The answer has no content to decode (tool calls only?)", "");
  }
}

void check_response(Response const& response) {
  using Reason = StructuredOutputError::Reason;
  for (ResponseOutputItem const& item : response.output) {
    for (ResponseOutputContent const& part : item.content) {
      if (part.type == "refusal") {
        std::string const refusal = part.refusal.value_or("");
        throw StructuredOutputError(Reason::refusal, "The model refused: " + excerpt(refusal), refusal);
      }
    }
  }
  if (response.status == std::optional<std::string>("incomplete")) {
    bool const filtered = response.field("incomplete_details").is_object() &&
                          response.field("incomplete_details").value("reason", "") == "content_filter";
    throw StructuredOutputError(filtered ? Reason::content_filter : Reason::truncated,
                                filtered ? "The answer was withheld by the content filter"
                                         : "The response is incomplete (token limit) and not complete JSON; raise "
                                           "max_output_tokens",
                                response.output_text());
  }
}

void throw_no_schema() {
  throw SmarterError(
      "parse<T> needs a JSON schema: set the params' response format (text.format for responses) or give T a "
      "static nlohmann::json json_schema()");
}

}  // namespace detail
}  // namespace smarter
