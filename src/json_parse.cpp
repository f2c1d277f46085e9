#include "json_parse.hpp"

#include <fmt/format.h>

namespace smarter::detail {

namespace {

using Json = nlohmann::json;

/// nlohmann's own DOM builder, with a depth count in front of it: parsing stops at the first
/// container that would pass the limit, so no deep value is ever built.
class DepthLimitedBuilder {
 public:
  DepthLimitedBuilder(Json& root, std::size_t max_depth) : dom_(root, /*allow_exceptions=*/false), max_depth_(max_depth) {}

  bool null() { return dom_.null(); }
  bool boolean(bool value) { return dom_.boolean(value); }
  bool number_integer(Json::number_integer_t value) { return dom_.number_integer(value); }
  bool number_unsigned(Json::number_unsigned_t value) { return dom_.number_unsigned(value); }
  bool number_float(Json::number_float_t value, Json::string_t const& text) { return dom_.number_float(value, text); }
  bool string(Json::string_t& value) { return dom_.string(value); }
  bool binary(Json::binary_t& value) { return dom_.binary(value); }
  bool key(Json::string_t& value) { return dom_.key(value); }
  bool start_object(std::size_t size) { return enter() && dom_.start_object(size); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t size) { return enter() && dom_.start_array(size); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  template <class Exception>
  bool parse_error(std::size_t position, std::string const& token, Exception const& error) {
    syntax_message_ = error.what();
    (void)position;
    (void)token;
    return dom_.parse_error(position, token, error);
  }

  bool too_deep() const noexcept { return too_deep_; }
  std::string const& syntax_message() const noexcept { return syntax_message_; }

 private:
  bool enter() {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  std::size_t max_depth_;
  std::size_t depth_ = 0;
  bool too_deep_ = false;
  std::string syntax_message_;
};

}  // namespace

JsonParse parse_json(std::string_view text, std::size_t max_depth) {
  JsonParse result;
  DepthLimitedBuilder builder(result.value, max_depth);
  bool const ok = Json::sax_parse(text.begin(), text.end(), &builder);
  if (ok) return result;
  result.value = Json();
  if (builder.too_deep()) {
    result.failure = JsonParse::Failure::too_deep;
    result.message = fmt::format("JSON nested deeper than {} levels", max_depth);
  } else {
    result.failure = JsonParse::Failure::syntax;
    result.message = builder.syntax_message().empty() ? "invalid JSON" : builder.syntax_message();
  }
  return result;
}

std::string dump_lenient(nlohmann::json const& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

}  // namespace smarter::detail
