// Decoding of the platform envelope and of whoami, status and version.
#include <smarter/types/platform.hpp>

#include <cctype>
#include <utility>

#include "types/decode_support.hpp"

namespace smarter::detail {

template <>
struct Schema<PlatformResponse> {
  static constexpr auto fields =
      std::make_tuple(field("message", &PlatformResponse::message), field("api", &PlatformResponse::api));
};

template <>
struct Schema<ResponseMetadata> {
  static constexpr auto fields =
      std::make_tuple(field("command", &ResponseMetadata::command), field("key", &ResponseMetadata::key));
};

template <>
struct Schema<PlatformUser> {
  using T = PlatformUser;
  static constexpr auto fields = std::make_tuple(
      field("id", &T::id), field("username", &T::username), field("first_name", "firstName", &T::first_name),
      field("last_name", "lastName", &T::last_name), field("email", &T::email),
      field("is_staff", "isStaff", &T::is_staff), field("is_superuser", "isSuperuser", &T::is_superuser));
};

template <>
struct Schema<PlatformAccount> {
  using T = PlatformAccount;
  static constexpr auto fields = std::make_tuple(
      field("id", &T::id), field("account_number", "accountNumber", &T::account_number),
      field("company_name", "companyName", &T::company_name), field("phone_number", "phoneNumber", &T::phone_number),
      field("address1", &T::address1), field("address2", &T::address2), field("city", &T::city),
      field("state", &T::state), field("postal_code", "postalCode", &T::postal_code), field("country", &T::country),
      field("language", &T::language), field("timezone", &T::timezone), field("currency", &T::currency),
      field("is_default_account", "isDefaultAccount", &T::is_default_account),
      field("created_at", "createdAt", &T::created_at), field("updated_at", "updatedAt", &T::updated_at));
};

template <>
struct Schema<WhoAmI> {
  static constexpr auto fields = std::make_tuple(field("user", &WhoAmI::user), field("account", &WhoAmI::account),
                                                 field("environment", &WhoAmI::environment));
};

template <>
struct Schema<PlatformCompute> {
  using T = PlatformCompute;
  static constexpr auto fields =
      std::make_tuple(field("machine", &T::machine), field("release", &T::release), field("platform", &T::platform),
                      field("processor", &T::processor), field("system", &T::system), field("version", &T::version));
};

template <>
struct Schema<PlatformStatus> {
  static constexpr auto fields = std::make_tuple(field("compute", &PlatformStatus::compute));
};

namespace {

// The error fields are text, but the platform may send numbers (e.g. `status`): read_text.
constexpr std::pair<char const*, std::optional<std::string> PlatformErrorInfo::*> kErrorFields[] = {
    {"errorClass", &PlatformErrorInfo::error_class}, {"description", &PlatformErrorInfo::description},
    {"status", &PlatformErrorInfo::status},          {"args", &PlatformErrorInfo::args},
    {"cause", &PlatformErrorInfo::cause},            {"context", &PlatformErrorInfo::context},
    {"stacktrace", &PlatformErrorInfo::stacktrace},  {"thing", &PlatformErrorInfo::thing},
    {"command", &PlatformErrorInfo::command}};

}  // namespace

nlohmann::json const& platform_data(nlohmann::json const& body) noexcept {
  static nlohmann::json const kNull;
  if (!body.is_object()) return kNull;
  auto it = body.find("data");
  return it == body.end() ? kNull : *it;
}

void decode_envelope(DecodeSource const& source, PlatformResponse& out, bool with_data) {
  nlohmann::json const& j = *source.node;
  if (!j.is_object()) throw DecodeError("", "expected a JSON object envelope");
  decode_fields(source, out);
  out.data = with_data ? platform_data(j) : nlohmann::json();
  read_text(j, "thing", out.thing);
  out.metadata = {};
  if (auto it = j.find("metadata"); it != j.end() && it->is_object()) {
    try {
      decode_fields(source.at(*it), out.metadata);
    } catch (DecodeError const& e) {
      throw e.with_prefix("/metadata");
    }
    read_text(*it, "thing", out.metadata.thing);
  }
  out.error.reset();
  if (auto it = j.find("error"); it != j.end() && !it->is_null()) {
    PlatformErrorInfo info;
    if (it->is_object()) {
      for (auto const& [key, member] : kErrorFields) read_text(*it, key, info.*member);
    } else {
      // Some views answer {"error": "text"}.
      info.description = it->is_string() ? it->get<std::string>() : it->dump();
    }
    out.error = std::move(info);
  }
  out.set_request_id(out.metadata.key);
}

}  // namespace smarter::detail

namespace smarter {

std::optional<std::string> PlatformResponse::kind() const {
  if (thing) return thing;
  return metadata.thing;
}

void decode_from(detail::DecodeSource const& source, PlatformResponse& out) {
  detail::decode_envelope(source, out, true);
}
void from_json(nlohmann::json const& j, PlatformResponse& out) {
  out = detail::decode_document<PlatformResponse>(std::make_shared<nlohmann::json const>(j));
}

SMARTER_DEFINE_CODEC(PlatformUser)
SMARTER_DEFINE_CODEC(PlatformAccount)
SMARTER_DEFINE_CODEC(WhoAmI)
SMARTER_DEFINE_CODEC(PlatformCompute)

void decode_from(detail::DecodeSource const& source, PlatformStatus& out) {
  detail::decode_fields(source, out);
  nlohmann::json const& j = *source.node;
  out.infrastructures = nlohmann::json::object();
  out.redis_version.reset();
  if (auto it = j.find("infrastructures"); it != j.end() && it->is_object()) {
    out.infrastructures = *it;
    if (auto redis = it->find("redis"); redis != it->end()) {
      detail::read_text(*redis, "redis_version", out.redis_version);
    }
  }
}
void from_json(nlohmann::json const& j, PlatformStatus& out) {
  out = detail::decode_document<PlatformStatus>(std::make_shared<nlohmann::json const>(j));
}

std::vector<std::string> PlatformStatus::infrastructure_names() const {
  std::vector<std::string> names;
  if (infrastructures.is_object()) {
    for (auto const& item : infrastructures.items()) names.push_back(item.key());
  }
  return names;
}

// Every field sits one level down (`api.version`, `api.python`, `cli.version`): by hand.
void decode_from(detail::DecodeSource const& source, PlatformVersion& out) {
  nlohmann::json const& j = *source.node;
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  out.api_version.reset();
  out.cli_version.reset();
  out.python.clear();
  if (auto api = j.find("api"); api != j.end() && api->is_object()) {
    detail::read_text(*api, "version", out.api_version);
    if (auto py = api->find("python"); py != api->end() && py->is_object()) {
      for (auto const& item : py->items()) {
        out.python[item.key()] = item.value().is_string() ? item.value().get<std::string>() : item.value().dump();
      }
    }
  }
  if (auto cli = j.find("cli"); cli != j.end() && cli->is_object()) {
    detail::read_text(*cli, "version", out.cli_version);
  }
  detail::keep_node(source, out);
}
void from_json(nlohmann::json const& j, PlatformVersion& out) {
  out = detail::decode_document<PlatformVersion>(std::make_shared<nlohmann::json const>(j));
}

std::optional<PlatformGeneration> PlatformVersion::generation() const {
  if (!api_version) return std::nullopt;
  return generation_from_version(*api_version);
}

std::optional<PlatformGeneration> generation_from_version(std::string_view version) {
  // Accept "0.14.19", "v0.14.19" and "0.14.19-beta": only major.minor matter.
  std::size_t pos = 0;
  if (pos < version.size() && (version[pos] == 'v' || version[pos] == 'V')) ++pos;
  auto read_number = [&](long& out) {
    std::size_t start = pos;
    out = 0;
    while (pos < version.size() && std::isdigit(static_cast<unsigned char>(version[pos])) &&
           pos - start < 9) {
      out = out * 10 + (version[pos] - '0');
      ++pos;
    }
    return pos > start;
  };
  long major = 0;
  long minor = 0;
  if (!read_number(major)) return std::nullopt;
  if (pos < version.size() && version[pos] == '.') {
    ++pos;
    read_number(minor);
  }
  if (major > 0 || minor >= 14) return PlatformGeneration::v0_14;
  return PlatformGeneration::v0_13;
}

}  // namespace smarter
