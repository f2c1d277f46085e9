// Decoding of the platform envelope and of whoami, status and version.
#include <smarter/types/platform.hpp>

#include <cctype>

#include "types/decode_support.hpp"

namespace smarter {

using detail::read_model;
using detail::read_optional;
using detail::read_optional_any;
using detail::read_text;

std::optional<std::string> PlatformResponse::kind() const {
  if (thing) return thing;
  return metadata.thing;
}

void from_json(nlohmann::json const& j, PlatformResponse& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected a JSON object envelope");
  out.data = detail::raw_field(j, "data");
  read_optional(j, "message", out.message);
  read_optional(j, "api", out.api);
  read_text(j, "thing", out.thing);
  out.metadata = {};
  if (auto it = j.find("metadata"); it != j.end() && it->is_object()) {
    read_optional(*it, "command", out.metadata.command);
    read_optional(*it, "key", out.metadata.key);
    read_text(*it, "thing", out.metadata.thing);
  }
  out.error.reset();
  if (auto it = j.find("error"); it != j.end() && !it->is_null()) {
    PlatformErrorInfo info;
    if (it->is_object()) {
      read_text(*it, "errorClass", info.error_class);
      read_text(*it, "description", info.description);
      read_text(*it, "status", info.status);
      read_text(*it, "args", info.args);
      read_text(*it, "cause", info.cause);
      read_text(*it, "context", info.context);
      read_text(*it, "stacktrace", info.stacktrace);
      read_text(*it, "thing", info.thing);
      read_text(*it, "command", info.command);
    } else {
      // Some views answer {"error": "text"}.
      info.description = it->is_string() ? it->get<std::string>() : it->dump();
    }
    out.error = std::move(info);
  }
  out.set_request_id(out.metadata.key);
}

void from_json(nlohmann::json const& j, PlatformUser& out) {
  read_optional(j, "id", out.id);
  read_optional(j, "username", out.username);
  read_optional_any(j, {"first_name", "firstName"}, out.first_name);
  read_optional_any(j, {"last_name", "lastName"}, out.last_name);
  read_optional(j, "email", out.email);
  read_optional_any(j, {"is_staff", "isStaff"}, out.is_staff);
  read_optional_any(j, {"is_superuser", "isSuperuser"}, out.is_superuser);
}

void from_json(nlohmann::json const& j, PlatformAccount& out) {
  read_optional(j, "id", out.id);
  read_optional_any(j, {"account_number", "accountNumber"}, out.account_number);
  read_optional_any(j, {"company_name", "companyName"}, out.company_name);
  read_optional_any(j, {"phone_number", "phoneNumber"}, out.phone_number);
  read_optional(j, "address1", out.address1);
  read_optional(j, "address2", out.address2);
  read_optional(j, "city", out.city);
  read_optional(j, "state", out.state);
  read_optional_any(j, {"postal_code", "postalCode"}, out.postal_code);
  read_optional(j, "country", out.country);
  read_optional(j, "language", out.language);
  read_optional(j, "timezone", out.timezone);
  read_optional(j, "currency", out.currency);
  read_optional_any(j, {"is_default_account", "isDefaultAccount"}, out.is_default_account);
  read_optional_any(j, {"created_at", "createdAt"}, out.created_at);
  read_optional_any(j, {"updated_at", "updatedAt"}, out.updated_at);
}

void from_json(nlohmann::json const& j, WhoAmI& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  read_model(j, "user", out.user);
  read_model(j, "account", out.account);
  read_optional(j, "environment", out.environment);
}

void from_json(nlohmann::json const& j, PlatformCompute& out) {
  read_optional(j, "machine", out.machine);
  read_optional(j, "release", out.release);
  read_optional(j, "platform", out.platform);
  read_optional(j, "processor", out.processor);
  read_optional(j, "system", out.system);
  read_optional(j, "version", out.version);
}

void from_json(nlohmann::json const& j, PlatformStatus& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  out.infrastructures = nlohmann::json::object();
  out.redis_version.reset();
  if (auto it = j.find("infrastructures"); it != j.end() && it->is_object()) {
    out.infrastructures = *it;
    if (auto redis = it->find("redis"); redis != it->end()) {
      read_text(*redis, "redis_version", out.redis_version);
    }
  }
  read_model(j, "compute", out.compute);
}

std::vector<std::string> PlatformStatus::infrastructure_names() const {
  std::vector<std::string> names;
  if (infrastructures.is_object()) {
    for (auto const& item : infrastructures.items()) names.push_back(item.key());
  }
  return names;
}

void from_json(nlohmann::json const& j, PlatformVersion& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  out.api_version.reset();
  out.cli_version.reset();
  out.python.clear();
  if (auto api = j.find("api"); api != j.end() && api->is_object()) {
    read_text(*api, "version", out.api_version);
    if (auto py = api->find("python"); py != api->end() && py->is_object()) {
      for (auto const& item : py->items()) {
        out.python[item.key()] = item.value().is_string() ? item.value().get<std::string>()
                                                           : item.value().dump();
      }
    }
  }
  if (auto cli = j.find("cli"); cli != j.end() && cli->is_object()) {
    read_text(*cli, "version", out.cli_version);
  }
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
