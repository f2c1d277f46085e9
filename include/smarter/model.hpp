// The base of every response model: it keeps the JSON it was decoded from (shared with the models
// around it, never copied per level).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/export.hpp>

namespace smarter {

namespace detail {
class LazyNode;
}  // namespace detail

/// Base of every decoded response. Typed fields live in the derived struct; the JSON they came
/// from is kept here, so unknown fields survive and "sent as null" differs from "not sent".
class SMARTER_API Model {
 public:
  /// The JSON value this model was decoded from, exactly as received (unknown fields included).
  /// The items of a list page keep the page's JSON text instead, and the first of them asked
  /// parses it (once for the whole page): then this may throw std::bad_alloc.
  nlohmann::json const& to_dict() const;
  /// The JSON text of this model; `indent` < 0 gives compact output.
  std::string to_json(int indent = 2) const;
  /// True when the server sent `field` at all (even as null): Python's `model_fields_set`.
  bool has_field(std::string_view field) const;
  /// True when the server sent `field` as an explicit null.
  bool is_null(std::string_view field) const;
  /// Names of the fields the server sent, in the order received.
  std::vector<std::string> fields_set() const;
  /// A field by name, including fields this SDK does not model yet; null when absent.
  nlohmann::json const& field(std::string_view name) const;
  /// The request id of the response this top-level model came from (`x-request-id`), if any.
  std::optional<std::string> const& request_id() const noexcept { return request_id_; }

  /// Stores the source JSON as a document of its own (for models built from a copy).
  void set_json(nlohmann::json json);
  /// Points the model at `node` inside `document`, which the model then shares (called by
  /// decoders: a whole response is held once, whatever the nesting).
  void attach_json(std::shared_ptr<nlohmann::json const> document, nlohmann::json const* node) noexcept {
    document_ = std::move(document);
    node_ = node;
    lazy_.reset();
  }
  /// Points the model at a value of a list page whose JSON is parsed on first use (called by
  /// the list decoder: a page of items then holds its JSON as text, not as a DOM).
  void attach_lazy(std::shared_ptr<detail::LazyNode const> node) noexcept {
    document_.reset();
    node_ = nullptr;
    lazy_ = std::move(node);
  }
  /// Stores the request id (called for top-level results).
  void set_request_id(std::optional<std::string> id) { request_id_ = std::move(id); }

 protected:
  Model() = default;
  ~Model() = default;
  Model(Model const&) = default;                 ///< Copied as part of a derived model only.
  Model(Model&&) noexcept = default;             ///< Moved as part of a derived model only.
  Model& operator=(Model const&) = default;      ///< Assigned as part of a derived model only.
  Model& operator=(Model&&) noexcept = default;  ///< Move-assigned as part of a derived model only.

 private:
  std::shared_ptr<nlohmann::json const> document_;  // the whole decoded response (shared)
  nlohmann::json const* node_ = nullptr;            // this model's value inside it; null: an empty object
  std::shared_ptr<detail::LazyNode const> lazy_;    // instead of the two above, for list page items
  std::optional<std::string> request_id_;
};

}  // namespace smarter
