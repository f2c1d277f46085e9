#include <smarter/model.hpp>

#include <smarter/detail/decode.hpp>

#include <fmt/format.h>

#include <smarter/detail/response_context.hpp>

#include "json_parse.hpp"

namespace smarter {

nlohmann::json const& Model::to_dict() const noexcept {
  static nlohmann::json const kEmpty = nlohmann::json::object();
  return node_ != nullptr ? *node_ : kEmpty;
}

void Model::set_json(nlohmann::json json) {
  document_ = std::make_shared<nlohmann::json const>(std::move(json));
  node_ = document_.get();
}

std::string Model::to_json(int indent) const { return detail::dump_lenient(to_dict(), indent); }

bool Model::has_field(std::string_view field) const {
  nlohmann::json const& json = to_dict();
  return json.is_object() && json.find(field) != json.end();
}

bool Model::is_null(std::string_view field) const {
  nlohmann::json const& json = to_dict();
  if (!json.is_object()) return false;
  auto it = json.find(field);
  return it != json.end() && it->is_null();
}

std::vector<std::string> Model::fields_set() const {
  std::vector<std::string> names;
  nlohmann::json const& json = to_dict();
  if (!json.is_object()) return names;
  for (auto it = json.begin(); it != json.end(); ++it) names.push_back(it.key());
  return names;
}

nlohmann::json const& Model::field(std::string_view name) const {
  static nlohmann::json const kNull;
  nlohmann::json const& json = to_dict();
  if (!json.is_object()) return kNull;
  auto it = json.find(name);
  return it == json.end() ? kNull : *it;
}

namespace detail {

DecodeError::DecodeError(std::string path, std::string const& problem)
    : std::runtime_error(fmt::format("{}: {}", path.empty() ? std::string("/") : path, problem)),
      path_(std::move(path)),
      problem_(problem) {}

DecodeError DecodeError::with_prefix(std::string const& prefix) const { return DecodeError(prefix + path_, problem_); }

void merge_extra(nlohmann::json& body, nlohmann::json const& extra) {
  if (!extra.is_object()) return;
  if (body.is_null()) body = nlohmann::json::object();
  for (auto it = extra.begin(); it != extra.end(); ++it) body[it.key()] = it.value();
}

nlohmann::json parse_json_body(RawResponse const& response) {
  JsonParse parsed = parse_json(response.body, response.context ? response.context->max_json_depth() : kDefaultMaxJsonDepth);
  if (parsed.failure == JsonParse::Failure::too_deep) {
    throw APIResponseValidationError(fmt::format("Response body refused: {} (limits.max_json_depth)", parsed.message),
                                     response);
  }
  if (!parsed) {
    std::string type = response.content_type();
    throw APIResponseValidationError(
        fmt::format("Response body is not valid JSON (status {}, content type '{}')", response.status_code,
                    type.empty() ? "none" : type),
        response);
  }
  return std::move(parsed.value);
}

void throw_validation_error(RawResponse const& response, DecodeError const& error) {
  throw APIResponseValidationError(
      fmt::format("Data returned by API invalid for expected schema at {}", error.what()), response);
}

}  // namespace detail
}  // namespace smarter
