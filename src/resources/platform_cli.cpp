// Plumbing of the platform resources and the Smarter client's platform calls.
#include "resources/platform_cli.hpp"

#include <algorithm>
#include <cctype>

#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/manifests.hpp>
#include <smarter/resources/resources.hpp>

#include "text_util.hpp"
#include "ascii.hpp"

namespace smarter {

namespace detail {

namespace {

// The broker's own kind lookup: case-insensitive, one trailing 's' dropped.
std::string normalized(std::string const& kind) {
  std::string k = detail::to_lower(kind);
  if (k.size() > 1 && k.back() == 's') k.pop_back();
  return k;
}

constexpr std::pair<char const*, char const*> kRenamedKinds[] = {
    {"Chatbot", "LLMClient"},
    {"Chat", "Prompt"},
    {"AuthToken", "SmarterAuthToken"},
};

}  // namespace

Idempotency cli_idempotency(std::string const& command_path) {
  std::string const command = command_path.substr(0, command_path.find('/'));
  bool const config = command_path.rfind("chat/config/", 0) == 0 || command_path.rfind("prompt/config/", 0) == 0;
  // These change state or spend model tokens every time they arrive; the platform is not known
  // to drop repeats by Idempotency-Key. Everything else the CLI API offers only reads.
  bool const changes = !config && (command == "apply" || command == "delete" || command == "deploy" ||
                                   command == "undeploy" || command == "chat" || command == "prompt");
  return changes ? Idempotency::not_idempotent : Idempotency::idempotent;
}

RawResponse cli_post(ClientCore const& core, std::string const& command_path, CliQuery const& query,
                     std::optional<nlohmann::json> body, RequestOptions const& options) {
  RequestSpec spec;
  spec.method = "POST";
  spec.idempotency = cli_idempotency(command_path);
  spec.path = "cli/" + command_path;
  spec.query = query;
  spec.json_body = std::move(body);
  spec.options = options;
  return core.execute(spec);
}

int platform_generation(ClientCore const& core, RequestOptions const& options) {
  switch (core.config().platform) {
    case PlatformGeneration::v0_13: return 13;
    case PlatformGeneration::v0_14: return 14;
    case PlatformGeneration::automatic: break;
  }
  if (int known = core.shared_state().detected_generation.load()) return known;
  // One cheap call tells: cli/version/ answers the platform release in data.api.version.
  RequestOptions probe;
  probe.timeout = options.timeout;
  probe.max_retries = options.max_retries;
  probe.deadline = options.deadline;
  probe.extra_headers = options.extra_headers;
  int generation = 13;
  try {
    PlatformVersion version = cli_call<PlatformVersion>(core, "version/", {}, std::nullopt, probe);
    if (version.generation() == PlatformGeneration::v0_14) generation = 14;
  } catch (NotFoundError const&) {
    // No version/ route: an old platform, which speaks the v0.13 paths.
  } catch (APIResponseValidationError const&) {
    // An answer without a readable version: assume the older, long-lived generation.
  }
  int expected = 0;
  core.shared_state().detected_generation.compare_exchange_strong(expected, generation);
  return core.shared_state().detected_generation.load();
}

void remember_generation(ClientCore const& core, PlatformVersion const& version) {
  if (core.config().platform != PlatformGeneration::automatic) return;
  auto generation = version.generation();
  if (!generation) return;
  int expected = 0;
  core.shared_state().detected_generation.compare_exchange_strong(
      expected, *generation == PlatformGeneration::v0_14 ? 14 : 13);
}

std::string kind_for_generation(std::string const& kind, int generation) {
  std::string const k = normalized(kind);
  for (auto const& [old_name, new_name] : kRenamedKinds) {
    if (k == normalized(old_name) || k == normalized(new_name)) return generation >= 14 ? new_name : old_name;
  }
  return kind;
}

std::string kind_segment(std::string const& kind, int generation) {
  bool const valid = !kind.empty() && std::all_of(kind.begin(), kind.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
  if (!valid) {
    throw SmarterError("Invalid manifest kind '" + shorten(kind, 80) +
                       "': a kind has only letters, digits, '_' and '-' (e.g. \"Chatbot\", \"ApiPlugin\")");
  }
  return detail::to_lower(kind_for_generation(kind, generation));
}

void require_non_empty(std::string const& value, char const* what) {
  if (value.empty()) throw SmarterError(std::string("Expected a non-empty value for `") + what + "` but received ''");
}

}  // namespace detail

}  // namespace smarter
