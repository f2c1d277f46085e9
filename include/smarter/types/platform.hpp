// The Smarter platform's response envelope ("journal") and the account-level results:
// whoami, status and version.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/codec.hpp>
#include <smarter/detail/decode.hpp>
#include <smarter/export.hpp>
#include <smarter/model.hpp>
#include <smarter/options.hpp>
#include <smarter/raw_response.hpp>

namespace smarter {

/// The `metadata` of a platform response. The platform sends either the journal `key`
/// (journaling on) or the `command` (journaling off); from v0.14 it also carries `thing`.
struct ResponseMetadata {
  std::optional<std::string> command{};  ///< The cli command, e.g. "describe", when journaling is off.
  std::optional<std::string> key{};      ///< The 64-hex journal key, when journaling is on.
  std::optional<std::string> thing{};    ///< The kind (v0.14 moved `thing` here).
};

/// The `error` object of a journaled platform error response.
struct PlatformErrorInfo {
  std::optional<std::string> error_class{};  ///< `errorClass`, e.g. "SmarterAPIV1CLIViewErrorNotAuthenticated".
  std::optional<std::string> description{};  ///< Human-readable description.
  std::optional<std::string> status{};       ///< HTTP status as a string (sometimes "").
  std::optional<std::string> args{};         ///< e.g. "url=...".
  std::optional<std::string> cause{};        ///< e.g. "Python Exception".
  std::optional<std::string> context{};      ///< e.g. "thing=None, command=apply".
  std::optional<std::string> stacktrace{};   ///< Server traceback text.
  std::optional<std::string> thing{};        ///< Kind (v0.14).
  std::optional<std::string> command{};      ///< Command (v0.14).
};

/// The envelope of every `cli/` response: `data`, `message`, `api`, `thing`, `metadata`, `error`.
/// Both generations decode: v0.13 has a top-level `thing`, v0.14 moves it into `metadata`.
struct SMARTER_API PlatformResponse : Model {
  /// The payload (null when absent). Filled when the PlatformResponse is the result itself; in a
  /// typed result's `envelope` it stays null, the payload being that result's own to_dict()
  /// (the body is held once; `envelope.to_dict()["data"]` is the same node).
  nlohmann::json data{};
  std::optional<std::string> message{};  ///< e.g. "Chatbot netec-demo described successfully".
  std::optional<std::string> api{};      ///< API version, "smarter.sh/v1".
  std::optional<std::string> thing{};    ///< Top-level kind (v0.13 and older); "None" for non-kind commands.
  ResponseMetadata metadata{};           ///< Journal key or command (and kind, v0.14).
  std::optional<PlatformErrorInfo> error{};  ///< Present on journaled errors.

  /// The kind this response is about: the top-level `thing`, else `metadata.thing`.
  std::optional<std::string> kind() const;
};

/// Decodes the envelope; a missing `metadata` or `data` is tolerated. Sets request_id() to the
/// journal key.
SMARTER_DECLARE_CODEC(PlatformResponse);

namespace detail {
/// The `data` node of an envelope body, or a null value when there is none.
SMARTER_API nlohmann::json const& platform_data(nlohmann::json const& body) noexcept;
/// Decodes the envelope at `source`. `with_data` copies the payload into PlatformResponse::data;
/// without it `data` stays null (a typed result decodes the payload in place instead).
SMARTER_API void decode_envelope(DecodeSource const& source, PlatformResponse& out, bool with_data);
}  // namespace detail

/// Base of every typed platform result. The model's own JSON is the envelope's `data` node and the
/// envelope's is the whole body, one document both share. request_id() is the `x-request-id`
/// header, else `metadata.key`.
struct SMARTER_API PlatformResult : Model {
  /// The whole response: `message`, `api`, the kind, `metadata`, `error`; its to_dict() is the
  /// body. Its `data` member stays null: the payload is this result (to_dict()).
  PlatformResponse envelope;

 protected:
  PlatformResult() = default;
  ~PlatformResult() = default;
  PlatformResult(PlatformResult const&) = default;                 ///< Copied as part of a derived result only.
  PlatformResult(PlatformResult&&) noexcept = default;             ///< Moved as part of a derived result only.
  PlatformResult& operator=(PlatformResult const&) = default;      ///< Assigned as part of a derived result only.
  PlatformResult& operator=(PlatformResult&&) noexcept = default;  ///< Move-assigned as part of a derived result only.
};

/// The user an API key belongs to. Older platforms send snake_case keys, newer camelCase; both fill
/// the same fields.
struct SMARTER_API PlatformUser : Model {
  std::optional<std::int64_t> id{};          ///< User id.
  std::optional<std::string> username{};     ///< Login name.
  std::optional<std::string> first_name{};   ///< `first_name` / `firstName`.
  std::optional<std::string> last_name{};    ///< `last_name` / `lastName`.
  std::optional<std::string> email{};        ///< E-mail address.
  std::optional<bool> is_staff{};            ///< `is_staff` / `isStaff`.
  std::optional<bool> is_superuser{};        ///< `is_superuser` / `isSuperuser`.
};
/// Decodes a user (snake_case or camelCase).
SMARTER_DECLARE_CODEC(PlatformUser);

/// The account an API key belongs to (snake_case or camelCase keys).
struct SMARTER_API PlatformAccount : Model {
  std::optional<std::int64_t> id{};                ///< Account id.
  std::optional<std::string> account_number{};     ///< e.g. "3141-5926-5359".
  std::optional<std::string> company_name{};       ///< Company.
  std::optional<std::string> phone_number{};       ///< Phone.
  std::optional<std::string> address1{};           ///< Address line 1.
  std::optional<std::string> address2{};           ///< Address line 2.
  std::optional<std::string> city{};               ///< City.
  std::optional<std::string> state{};              ///< State.
  std::optional<std::string> postal_code{};        ///< Postal code.
  std::optional<std::string> country{};            ///< Country.
  std::optional<std::string> language{};           ///< Language.
  std::optional<std::string> timezone{};           ///< Time zone, e.g. "America/Chicago".
  std::optional<std::string> currency{};           ///< Currency, e.g. "USD".
  std::optional<bool> is_default_account{};        ///< The platform's default account.
  std::optional<std::string> created_at{};         ///< ISO-8601 creation time.
  std::optional<std::string> updated_at{};         ///< ISO-8601 update time.
};
/// Decodes an account (snake_case or camelCase).
SMARTER_DECLARE_CODEC(PlatformAccount);

/// Who an API key belongs to (`cli/whoami/`).
struct SMARTER_API WhoAmI : PlatformResult {
  PlatformUser user;                      ///< The user.
  PlatformAccount account;                ///< The account.
  std::optional<std::string> environment{}; ///< e.g. "prod".
};
/// Decodes whoami `data`.
SMARTER_DECLARE_CODEC(WhoAmI);

/// The machine the platform runs on (`compute` of `cli/status/`).
struct SMARTER_API PlatformCompute : Model {
  std::optional<std::string> machine{};    ///< e.g. "x86_64".
  std::optional<std::string> release{};    ///< Kernel release.
  std::optional<std::string> platform{};   ///< Platform string.
  std::optional<std::string> processor{};  ///< Processor.
  std::optional<std::string> system{};     ///< e.g. "Linux".
  std::optional<std::string> version{};    ///< Kernel version.
};
/// Decodes compute information.
SMARTER_DECLARE_CODEC(PlatformCompute);

/// The platform's infrastructure status (`cli/status/`).
struct SMARTER_API PlatformStatus : PlatformResult {
  nlohmann::json infrastructures = nlohmann::json::object();  ///< Per service (kubernetes, mysql, redis), as sent.
  PlatformCompute compute;                                     ///< The host machine.
  std::optional<std::string> redis_version{};                    ///< `infrastructures.redis.redis_version`.
  /// Names of the infrastructure services reported.
  std::vector<std::string> infrastructure_names() const;
};
/// Decodes status `data`.
SMARTER_DECLARE_CODEC(PlatformStatus);

/// The platform's software versions (`cli/version/`).
struct SMARTER_API PlatformVersion : PlatformResult {
  std::optional<std::string> api_version{};     ///< `api.version`, the platform release, e.g. "0.13.223".
  std::optional<std::string> cli_version{};     ///< `cli.version`, the latest command-line tool release.
  std::map<std::string, std::string> python{};  ///< `api.python`: package name -> version.
  /// The API generation this release speaks, when api_version parses.
  std::optional<PlatformGeneration> generation() const;
};
/// Decodes version `data`.
SMARTER_DECLARE_CODEC(PlatformVersion);

/// The generation a platform release string speaks: v0_14 from "0.14.0" on, else v0_13;
/// nullopt when `version` does not start with a number.
SMARTER_API std::optional<PlatformGeneration> generation_from_version(std::string_view version);

/// Decodes a whole platform response body, already parsed into `document`, into T
/// (PlatformResponse, or a PlatformResult decoded from the `data` node). The envelope and the
/// result share `document`: the body is held once. `header_request_id` wins over the journal key
/// as request_id(). Throws detail::DecodeError on a bad shape.
template <class T>
T parse_platform_response(std::shared_ptr<nlohmann::json const> const& document,
                          std::optional<std::string> header_request_id = std::nullopt) {
  if (document == nullptr) throw detail::DecodeError("", "no response body");
  detail::DecodeSource const source{&document, document.get()};
  constexpr bool envelope_only = std::is_same_v<T, PlatformResponse>;
  PlatformResponse envelope;
  detail::decode_envelope(source, envelope, envelope_only);
  std::optional<std::string> id = header_request_id ? std::move(header_request_id) : envelope.metadata.key;
  if constexpr (envelope_only) {
    envelope.set_request_id(std::move(id));
    return envelope;
  } else {
    envelope.set_request_id(id);
    T result;
    try {
      detail::decode_value_into(source.at(detail::platform_data(*document)), result);
    } catch (detail::DecodeError const& e) {
      throw e.with_prefix("/data");
    }
    result.set_request_id(std::move(id));
    result.envelope = std::move(envelope);
    return result;
  }
}

/// Decodes a whole platform response body into T (a copy of `body` becomes the shared document).
/// `header_request_id` wins over the journal key as request_id(). Throws detail::DecodeError on a
/// bad shape.
template <class T>
T parse_platform_response(nlohmann::json const& body,
                          std::optional<std::string> header_request_id = std::nullopt) {
  return parse_platform_response<T>(std::make_shared<nlohmann::json const>(body), std::move(header_request_id));
}

/// Decodes a 2xx platform response into T; a bad body raises APIResponseValidationError.
template <class T>
T parse_platform_response(RawResponse const& response) {
  auto const document = std::make_shared<nlohmann::json const>(detail::parse_json_body(response));
  try {
    return parse_platform_response<T>(document, response.request_id());
  } catch (detail::DecodeError const& e) {
    detail::throw_validation_error(response, e);
  }
}

}  // namespace smarter
