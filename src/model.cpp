#include <smarter/model.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <smarter/detail/codec.hpp>
#include <smarter/detail/decode.hpp>

#include <fmt/format.h>

#include <smarter/detail/response_context.hpp>

#include "json_parse.hpp"

namespace smarter {

namespace {
nlohmann::json const& empty_object() noexcept {
  static nlohmann::json const kEmpty = nlohmann::json::object();
  return kEmpty;
}
}  // namespace

nlohmann::json const& Model::to_dict() const {
  if (lazy_) return lazy_->get();
  return node_ != nullptr ? *node_ : empty_object();
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

nlohmann::json const& LazyDocument::root() const {
  std::call_once(parsed_, [this] {
    JsonParse parsed = parse_json(text_, max_depth_);
    root_ = parsed ? std::move(parsed.value) : nlohmann::json::object();
  });
  return root_;
}

nlohmann::json const& LazyNode::get() const {
  if (nlohmann::json const* known = node_.load(std::memory_order_acquire)) return *known;
  nlohmann::json const* node = &empty_object();
  nlohmann::json const& root = document_->root();
  auto data = root.is_object() ? root.find("data") : root.end();
  if (data != root.end() && data->is_array() && item_ < data->size()) {
    node = &(*data)[item_];
    for (std::string const& step : path_) {
      nlohmann::json const* next = nullptr;
      if (node->is_object()) {
        auto it = node->find(step);
        if (it != node->end()) next = &*it;
      } else if (node->is_array()) {
        std::size_t const index = std::stoul(step);  // written by keep_lazy_node: digits only
        if (index < node->size()) next = &(*node)[index];
      }
      if (next == nullptr) {
        node = &empty_object();
        break;
      }
      node = next;
    }
  }
  node_.store(node, std::memory_order_release);
  return *node;
}

bool keep_lazy_node(DecodeSource const& source, Model& out) {
  std::vector<std::string> path;
  for (PathStep const* step = &source.step; step->kind != PathStep::Kind::root; step = step->parent) {
    if (step->kind == PathStep::Kind::unknown || step->parent == nullptr) return false;
    path.push_back(step->kind == PathStep::Kind::key ? std::string(step->key) : std::to_string(step->index));
  }
  std::reverse(path.begin(), path.end());
  LazyDocument& document = *source.lazy->document;
  // Shares ownership of the document, which holds the node.
  out.attach_lazy(std::shared_ptr<LazyNode const>(source.lazy->document,
                                                  &document.add_node(source.lazy->item, std::move(path))));
  return true;
}

std::size_t max_json_depth_of(RawResponse const& response) noexcept {
  return response.context ? response.context->max_json_depth() : kDefaultMaxJsonDepth;
}

namespace {

/// Raises the APIResponseValidationError for a body that did not parse.
[[noreturn]] void throw_unparsed(RawResponse const& response, JsonParse const& parsed) {
  if (parsed.failure == JsonParse::Failure::too_deep) {
    throw APIResponseValidationError(fmt::format("Response body refused: {} (limits.max_json_depth)", parsed.message),
                                     response);
  }
  std::string type = response.content_type();
  throw APIResponseValidationError(fmt::format("Response body is not valid JSON (status {}, content type '{}')",
                                               response.status_code, type.empty() ? "none" : type),
                                   response);
}

}  // namespace

std::optional<nlohmann::json> parse_list_body(RawResponse const& response,
                                              std::function<void(nlohmann::json&&, std::size_t)> const& on_item) {
  ListParse parsed = parse_list(response.body, max_json_depth_of(response), on_item);
  if (!parsed.streamed) return std::nullopt;
  if (!parsed) throw_unparsed(response, parsed);
  return std::move(parsed.value);
}

nlohmann::json parse_json_body(RawResponse const& response) {
  JsonParse parsed = parse_json(response.body, max_json_depth_of(response));
  if (!parsed) throw_unparsed(response, parsed);
  return std::move(parsed.value);
}

void throw_validation_error(RawResponse const& response, DecodeError const& error) {
  throw APIResponseValidationError(
      fmt::format("Data returned by API invalid for expected schema at {}", error.what()), response);
}

}  // namespace detail
}  // namespace smarter
