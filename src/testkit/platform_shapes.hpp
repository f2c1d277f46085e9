// The Smarter platform's response shapes that more than one part of the test kit builds: the
// journaled error body and the broker's kind names. The fake platform answers with them, and
// injected faults (FakeFaults, smarter-mock --fail-next) must look exactly the same, so both use
// this one definition. Private to the test kit.
#pragma once

#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <smarter/testkit/fake_platform.hpp>

#include "ascii.hpp"

namespace smarter::testkit::detail {

inline constexpr char kApiVersion[] = "smarter.sh/v1";

inline constexpr char kStacktrace[] =
    "Traceback (most recent call last):\n  File \"/smarter/smarter/apps/api/v1/cli/views/base.py\", "
    "line 412, in dispatch\n    response = super().dispatch(request, *args, **kwargs)\n";

/// The broker's kind lookup: case-insensitive, one trailing 's' dropped ("chatbots" -> "chatbot").
inline std::string normalize_kind(std::string const& kind) {
  std::string k = smarter::detail::to_lower(kind);
  if (!k.empty() && k.back() == 's') k.pop_back();
  return k;
}

/// What the fake does with a manifest kind.
enum class KindClass { chatbot, plugin, other, unknown };

/// A kind as the broker sees it.
struct KindInfo {
  KindClass cls;
  std::string name;  // canonical spelling, e.g. "Chatbot"
};

/// The canonical kind for `raw` in `generation`; unknown kinds keep their spelling.
inline KindInfo classify_kind(std::string const& raw, FakeGeneration generation) {
  std::string const k = normalize_kind(raw);
  bool const v13 = generation == FakeGeneration::v0_13;
  if (v13 && k == "chatbot") return {KindClass::chatbot, "Chatbot"};
  if (!v13 && k == "llmclient") return {KindClass::chatbot, "LLMClient"};
  if (k == "plugin") return {KindClass::plugin, "Plugin"};
  if (k == "apiplugin") return {KindClass::plugin, "ApiPlugin"};
  if (k == "sqlplugin") return {KindClass::plugin, "SqlPlugin"};
  static char const* const kCommon[] = {"Account", "ApiConnection", "SqlConnection", "User", "Secret", "Provider"};
  static char const* const kV13[] = {"AuthToken", "Chat", "ChatHistory", "ChatPluginUsage", "ChatToolCall"};
  static char const* const kV14[] = {"SmarterAuthToken", "Prompt", "Vectorstore"};
  for (char const* name : kCommon) {
    if (normalize_kind(name) == k) return {KindClass::other, name};
  }
  for (char const* name : (v13 ? std::vector<char const*>(std::begin(kV13), std::end(kV13))
                               : std::vector<char const*>(std::begin(kV14), std::end(kV14)))) {
    if (normalize_kind(name) == k) return {KindClass::other, name};
  }
  return {KindClass::unknown, raw};
}

/// The journaled error body (`SmarterJournaledJsonErrorResponse`) in the shape of `generation`:
/// v0.14 moves `thing` into `metadata` and adds `error.thing` and `error.command`.
inline nlohmann::json journaled_error_body(FakeGeneration generation, int status, std::string const& error_class,
                                           std::string const& description, std::string const& thing,
                                           std::string const& command, std::string const& url) {
  nlohmann::json error = {{"errorClass", error_class},
                          {"stacktrace", kStacktrace},
                          {"description", description},
                          {"status", std::to_string(status)},
                          {"args", "url=" + url},
                          {"cause", "Python Exception"},
                          {"context", fmt::format("thing={}, command={}", thing, command)}};
  nlohmann::json j = {{"error", error}, {"api", kApiVersion}};
  if (generation == FakeGeneration::v0_13) {
    j["thing"] = thing;
    j["metadata"] = {{"command", command}};
  } else {
    j["error"]["thing"] = thing;
    j["error"]["command"] = command;
    j["metadata"] = {{"command", command}, {"thing", thing}};
  }
  return j;
}

}  // namespace smarter::testkit::detail
