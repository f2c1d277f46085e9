#include <smarter/raw_response.hpp>

#include <smarter/detail/decode.hpp>

#include "text_util.hpp"

namespace smarter {

nlohmann::json RawResponse::json() const { return detail::parse_json_body(*this); }

std::optional<std::string> RawResponse::request_id() const { return headers.get("x-request-id"); }

std::string RawResponse::content_type() const {
  auto value = headers.get("content-type");
  if (!value) return {};
  std::string_view type = *value;
  type = type.substr(0, type.find(';'));
  return detail::to_lower(detail::trim(type));
}

}  // namespace smarter
