// Private plumbing shared by the platform resources: `cli/` calls, the not-found rule, kind names
// and platform generation detection.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/client_core.hpp>
#include <smarter/pagination.hpp>
#include <smarter/raw_response.hpp>
#include <smarter/types/manifest.hpp>
#include <smarter/types/platform.hpp>

namespace smarter::detail {

/// Query parameters of a cli call, in order.
using CliQuery = std::vector<std::pair<std::string, std::string>>;

/// Whether a `cli/` command may be sent twice: apply, delete, deploy, undeploy and prompts are
/// not idempotent; every other command (whoami, status, version, get, describe, logs, schemas,
/// example manifests, chat config) only reads.
Idempotency cli_idempotency(std::string const& command_path);

/// POSTs `cli/<command_path>` (which ends with '/') with `query` and an optional JSON body.
/// A platform error that says "not found" under another status is rethrown as NotFoundError.
RawResponse cli_post(ClientCore const& core, std::string const& command_path, CliQuery const& query,
                     std::optional<nlohmann::json> body, RequestOptions const& options);

/// cli_post, then decodes the envelope into T.
template <class T>
T cli_call(ClientCore const& core, std::string const& command_path, CliQuery const& query,
           std::optional<nlohmann::json> body, RequestOptions const& options) {
  return parse_platform_response<T>(cli_post(core, command_path, query, std::move(body), options));
}

/// Decodes a `get <kind>` answer into a single page of T, one per row of its table; a row that
/// does not decode raises APIResponseValidationError naming it. The rows are decoded in place in
/// the response's document, which they share.
template <class T>
CursorPage<T> decode_listing(RawResponse const& response) {
  auto const document = std::make_shared<nlohmann::json const>(parse_json_body(response));
  std::optional<std::string> request_id;
  std::size_t rows = 0;
  try {
    ManifestList const table = parse_platform_response<ManifestList>(document, response.request_id());
    request_id = table.request_id();
    rows = table.items.size();
  } catch (DecodeError const& e) {
    throw_validation_error(response, e);
  }
  std::vector<T> items;
  if (rows == 0) return CursorPage<T>::single(std::move(items), std::move(request_id));
  // The table decoded, so data.data.items is an array of `rows` values.
  nlohmann::json const& list = (*document)["data"]["data"]["items"];
  items.reserve(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    try {
      T item;
      decode_value_into(DecodeSource{&document, &list[i]}, item);
      items.push_back(std::move(item));
    } catch (DecodeError const& e) {
      throw_validation_error(response, e.with_prefix("/data/data/items/" + std::to_string(i)));
    }
  }
  return CursorPage<T>::single(std::move(items), std::move(request_id));
}

/// The generation to speak, 13 or 14: the configured one, else the one detected for this client
/// (once, by POST cli/version/, then remembered in the shared state).
int platform_generation(ClientCore const& core, RequestOptions const& options);

/// Records a generation learned from a version answer (only in automatic mode, when unknown).
void remember_generation(ClientCore const& core, PlatformVersion const& version);

/// `kind` as `generation` spells it (Chatbot <-> LLMClient, Chat <-> Prompt,
/// AuthToken <-> SmarterAuthToken); other kinds unchanged.
std::string kind_for_generation(std::string const& kind, int generation);

/// The URL path segment of a kind: generation-translated and lower-cased. Throws SmarterError
/// unless the kind is a name of letters, digits, '_' and '-' (a kind never needs more, and
/// anything else could change the request's path, query or host).
std::string kind_segment(std::string const& kind, int generation);

/// Throws SmarterError when `value` is empty (checked before any request is sent).
void require_non_empty(std::string const& value, char const* what);

}  // namespace smarter::detail
