// The JSON of a list page kept as text and parsed on first use: the page's items are decoded one
// at a time while the response is read, so the whole list is never held as a DOM next to the
// typed items. Internal: the list decoder and Model use it.
#pragma once

#include <atomic>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/export.hpp>

namespace smarter::detail {

class LazyDocument;

/// Where a model of a lazily kept list finds its JSON: element `item` of the list's "data" array,
/// then `path` (object keys and array indexes, outermost first) inside that element. Nodes live
/// in their LazyDocument; a model holds one through a shared_ptr that owns the document.
class SMARTER_API LazyNode {
 public:
  /// A node of `document`.
  LazyNode(LazyDocument const& document, std::size_t item, std::vector<std::string> path) noexcept
      : document_(&document), item_(item), path_(std::move(path)) {}
  LazyNode(LazyNode const&) = delete;
  LazyNode& operator=(LazyNode const&) = delete;

  /// The JSON value, found once and remembered (an empty object if it is not there).
  nlohmann::json const& get() const;

 private:
  LazyDocument const* document_;
  std::size_t item_;
  std::vector<std::string> path_;
  mutable std::atomic<nlohmann::json const*> node_{nullptr};
};

/// The JSON text of a list response, parsed again (once, by whichever thread asks first) when a
/// model of the page first asks for its JSON, and the nodes its models point at.
class SMARTER_API LazyDocument {
 public:
  /// A document to be parsed with this nesting limit (the one the response was read with).
  explicit LazyDocument(std::size_t max_depth) noexcept : max_depth_(max_depth) {}
  LazyDocument(LazyDocument const&) = delete;
  LazyDocument& operator=(LazyDocument const&) = delete;

  /// Takes the text. Called once, before the document is shared between threads.
  void set_text(std::string text) noexcept { text_ = std::move(text); }

  /// A new node of this document, for a model being decoded (before the document is shared):
  /// kept here, so a page's models cost no allocation each.
  LazyNode const& add_node(std::size_t item, std::vector<std::string> path) {
    return nodes_.emplace_back(*this, item, std::move(path));
  }

  /// The parsed document (an empty object if the text no longer parses, which cannot happen for
  /// text that parsed once with the same limit).
  nlohmann::json const& root() const;

 private:
  std::string text_;
  std::size_t max_depth_;
  std::deque<LazyNode> nodes_;
  mutable std::once_flag parsed_;
  mutable nlohmann::json root_;
};

/// The element of a lazily kept list being decoded: its document and index.
struct LazyItem {
  std::shared_ptr<LazyDocument> document{};  ///< The page's text and nodes.
  std::size_t item = 0;                      ///< The element's index in "data".
};

}  // namespace smarter::detail
