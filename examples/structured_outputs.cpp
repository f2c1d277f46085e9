// README section "Structured outputs": the model's JSON answer decoded into your own type. The
// type gives its JSON schema (sent as a strict json_schema format) and an nlohmann from_json.
// Without SMARTER_BASE_URL it runs against the in-process fake server, which answers in JSON
// mode with {"echo": <your text>}.
#include <iostream>
#include <string>

#include <smarter/client.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/resources/responses.hpp>
#include <smarter/structured.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

// ---- snippet: Structured outputs
struct Echo {
  std::string echo;
  static constexpr char const* schema_name = "echo";
  static nlohmann::json json_schema() {
    return {{"type", "object"},
            {"properties", {{"echo", {{"type", "string"}}}}},
            {"required", {"echo"}},
            {"additionalProperties", false}};
  }
};
void from_json(nlohmann::json const& j, Echo& out) { j.at("echo").get_to(out.echo); }
// ---- end snippet

int main() try {
  // ---- set-up: a fake server when no real one is configured (SMARTER_BASE_URL unset or empty)
  examples::Setup const setup = examples::openai();
  smarter::Smarter client(setup.options);

  // ---- snippet: Structured outputs
  try {
    auto chat = client.chat().completions().parse<Echo>({
        .messages = {smarter::ChatMessage::user("Repeat after me: structured")},
        .model = "gpt-4o-mini",
    });
    std::cout << "chat: " << chat.parsed.echo << "\n";

    auto response = client.responses().parse<Echo>({.model = "gpt-4o-mini", .input = "structured too"});
    std::cout << "responses: " << response.parsed.echo << "\n";
  } catch (smarter::StructuredOutputError const& e) {
    // A refusal, an answer cut off at the token limit, or JSON that is not an Echo.
    std::cerr << "no Echo: " << e.what() << "\n";
  }
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
