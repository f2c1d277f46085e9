// Cursor pagination: a page of results that knows how to fetch the next one.
//
//   auto page = client.fine_tuning().jobs().list({.limit = 20});
//   for (auto const& job : page) { ... }             // every item of every page, fetched lazily
//   for (auto const& p : page.iter_pages()) { ... }  // page by page
//   if (page.has_next_page()) auto next = page.get_next_page();
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/client_core.hpp>
#include <smarter/detail/decode.hpp>
#include <smarter/errors.hpp>

namespace smarter {

/// The query parameters that select the next page, e.g. `after=ftjob-abc`. Printable.
struct PageInfo {
  /// Parameters added to (or replacing those of) the original request, in order.
  std::vector<std::pair<std::string, std::string>> params{};

  /// True when there is no next page to describe.
  bool empty() const noexcept { return params.empty(); }
  /// The value of parameter `name`, or nullopt.
  std::optional<std::string> get(std::string const& name) const {
    for (auto const& [key, value] : params)
      if (key == name) return value;
    return std::nullopt;
  }
  /// Prints `name=value` pairs joined with '&' (e.g. "after=ftjob-abc").
  friend std::ostream& operator<<(std::ostream& out, PageInfo const& info) {
    bool first = true;
    for (auto const& [key, value] : info.params) {
      if (!first) out << '&';
      out << key << '=' << value;
      first = false;
    }
    return out;
  }
  /// Same parameters in the same order.
  friend bool operator==(PageInfo const& a, PageInfo const& b) { return a.params == b.params; }
  /// Not operator==.
  friend bool operator!=(PageInfo const& a, PageInfo const& b) { return !(a == b); }
};

/// One page of a cursor-paginated list (OpenAI's `{"data": [...], "has_more": ...}` shape).
///
/// Copies are cheap and share the page's items. Range-for over a page walks every item of this
/// page and of all later pages, fetching each next page only when the previous one is used up.
/// The cursor of the next page is the response's `next` or `last_id` when present, otherwise the
/// `id` of the last item (sent as `after`). An empty page that still says `has_more` with a
/// cursor is followed; a cursor the server already gave earlier in the walk raises SmarterError
/// instead of looping forever.
template <class T>
class CursorPage {
 public:
  /// Fetches the page described by a PageInfo (resources supply this; tests may fake it).
  using Fetcher = std::function<CursorPage<T>(PageInfo const&)>;

  /// An empty last page.
  CursorPage() : state_(std::make_shared<State>()) {}

  /// A page holding `data`. `next` names the cursor parameters of the following page (empty
  /// when there is no cursor); `fetcher` loads it. `has_more` is the server's flag as sent
  /// (nullopt when absent: then the cursor alone decides, as in the OpenAI SDKs).
  CursorPage(std::vector<T> data, std::optional<bool> has_more, PageInfo next, Fetcher fetcher,
             std::optional<std::string> request_id = std::nullopt)
      : state_(std::make_shared<State>()) {
    state_->data = std::move(data);
    state_->has_more = has_more;
    state_->next = std::move(next);
    state_->fetcher = std::move(fetcher);
    state_->request_id = std::move(request_id);
  }

  /// A list that is complete in one page (for endpoints that do not paginate).
  static CursorPage single(std::vector<T> items, std::optional<std::string> request_id = std::nullopt) {
    return CursorPage(std::move(items), false, PageInfo{}, Fetcher{}, std::move(request_id));
  }

  /// The items of this page only.
  std::vector<T> const& data() const noexcept { return state_->data; }
  /// The server's `has_more` flag (false when it was absent).
  bool has_more() const noexcept { return state_->has_more.value_or(false); }
  /// The server's `has_more` flag exactly as sent (nullopt when absent).
  std::optional<bool> has_more_field() const noexcept { return state_->has_more; }
  /// The `x-request-id` of the response this page came from.
  std::optional<std::string> const& request_id() const noexcept { return state_->request_id; }

  /// True when another page can be fetched: `has_more` is not false, a cursor is known and
  /// there is a way to fetch. An empty page with `has_more` and a cursor counts as having more.
  bool has_next_page() const noexcept {
    if (state_->has_more == false) return false;
    if (state_->next.empty() || !state_->fetcher) return false;
    // Without an explicit has_more, an empty page ends the list (no items, nothing to follow).
    if (!state_->has_more && state_->data.empty()) return false;
    return true;
  }

  /// The cursor parameters of the next page (e.g. `after=ftjob-abc`); empty when there is none.
  PageInfo next_page_info() const { return has_next_page() ? state_->next : PageInfo{}; }

  /// Fetches the next page. Throws SmarterError when there is none, or when the server hands
  /// out a cursor it already gave earlier in this walk (a runaway loop).
  CursorPage get_next_page() const {
    if (!has_next_page())
      throw SmarterError(
          "No next page expected; please check has_next_page() before calling get_next_page()");
    std::string const cursor = to_string(state_->next);
    {
      // A cursor that already fetched a page at this depth or above leads back into the walk.
      std::lock_guard<std::mutex> lock(state_->walk->mutex);
      auto used = state_->walk->depth_of_cursor.find(cursor);
      if (used != state_->walk->depth_of_cursor.end() && used->second <= state_->depth)
        throw SmarterError("Pagination stopped: the server returned the cursor '" + cursor +
                           "' again; following it would loop forever");
    }
    CursorPage next = state_->fetcher(state_->next);
    next.state_->walk = state_->walk;
    next.state_->depth = state_->depth + 1;
    {
      std::lock_guard<std::mutex> lock(state_->walk->mutex);
      state_->walk->depth_of_cursor.emplace(cursor, next.state_->depth);
    }
    return next;
  }

  /// Input iterator over every item of this and the following pages.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;  ///< Single pass.
    using value_type = T;                               ///< An item.
    using difference_type = std::ptrdiff_t;             ///< Iterator difference.
    using pointer = T const*;                           ///< Pointer to an item.
    using reference = T const&;                         ///< Reference to an item.

    /// The end iterator.
    iterator() = default;

    /// The current item.
    reference operator*() const { return page_->data()[index_]; }
    /// The current item's members.
    pointer operator->() const { return &page_->data()[index_]; }
    /// Moves to the next item, fetching the next page when this one is used up.
    iterator& operator++() {
      ++index_;
      settle();
      return *this;
    }
    /// Post-increment; the returned copy still refers to the item it was at.
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    /// Same page state and position, or both at the end.
    friend bool operator==(iterator const& a, iterator const& b) { return a.equals(b); }
    /// Not operator==.
    friend bool operator!=(iterator const& a, iterator const& b) { return !(a == b); }

   private:
    friend class CursorPage;
    explicit iterator(CursorPage const& page) : page_(page) { settle(); }
    bool equals(iterator const& other) const {
      if (!page_ || !other.page_) return !page_ && !other.page_;
      return page_->state_ == other.page_->state_ && index_ == other.index_;
    }
    // Skips over used-up (or empty) pages; becomes the end iterator after the last item.
    void settle() {
      while (page_ && index_ >= page_->data().size()) {
        if (!page_->has_next_page()) {
          page_.reset();
          index_ = 0;
          return;
        }
        page_ = page_->get_next_page();
        index_ = 0;
      }
    }
    std::optional<CursorPage> page_;
    std::size_t index_ = 0;
  };
  using const_iterator = iterator;  ///< The same iterator (pages are read-only).

  /// The first item of this page (fetches ahead only when this page is empty).
  iterator begin() const { return iterator(*this); }
  /// Past the last item of the last page.
  iterator end() const { return iterator(); }

  /// A single-pass range over this page and each following page, fetched one at a time.
  class PageRange {
   public:
    /// Input iterator over pages.
    class iterator {
     public:
      using iterator_category = std::input_iterator_tag;  ///< Single pass.
      using value_type = CursorPage;                      ///< A page.
      using difference_type = std::ptrdiff_t;             ///< Iterator difference.
      using pointer = CursorPage const*;                  ///< Pointer to a page.
      using reference = CursorPage const&;                ///< Reference to a page.

      /// The end iterator.
      iterator() = default;
      /// The current page.
      reference operator*() const { return *page_; }
      /// The current page's members.
      pointer operator->() const { return &*page_; }
      /// Fetches the next page, or becomes the end iterator.
      iterator& operator++() {
        if (page_->has_next_page())
          page_ = page_->get_next_page();
        else
          page_.reset();
        return *this;
      }
      /// Same page, or both at the end.
      friend bool operator==(iterator const& a, iterator const& b) { return a.equals(b); }
      /// Not operator==.
      friend bool operator!=(iterator const& a, iterator const& b) { return !(a == b); }

     private:
      friend class PageRange;
      explicit iterator(CursorPage const& page) : page_(page) {}
      bool equals(iterator const& other) const {
        if (!page_ || !other.page_) return !page_ && !other.page_;
        return page_->state_ == other.page_->state_;
      }
      std::optional<CursorPage> page_;
    };

    /// This page.
    iterator begin() const { return iterator(first_); }
    /// After the last page.
    iterator end() const { return iterator(); }

   private:
    friend class CursorPage;
    explicit PageRange(CursorPage first) : first_(std::move(first)) {}
    CursorPage first_;
  };

  /// This page, then every following page (fetched as the range advances).
  PageRange iter_pages() const { return PageRange(*this); }

 private:
  // The cursors followed in one walk (the pages reached from one first page), each with the
  // depth of the page it fetched. Shared by those pages; guarded because copies of pages may
  // be used from several threads.
  struct Walk {
    std::mutex mutex{};
    std::unordered_map<std::string, std::size_t> depth_of_cursor{};
  };
  struct State {
    std::vector<T> data{};
    std::optional<bool> has_more{};
    PageInfo next{};
    Fetcher fetcher{};
    std::optional<std::string> request_id{};
    std::shared_ptr<Walk> walk = std::make_shared<Walk>();
    std::size_t depth = 0;  // 0 for the page a walk starts from
  };
  static std::string to_string(PageInfo const& info) {
    std::string text{};
    for (auto const& [key, value] : info.params) {
      if (!text.empty()) text += '&';
      text += key + "=" + value;
    }
    return text;
  }

  std::shared_ptr<State> state_;
};

namespace detail {

/// The "id" of a list element, when it is an object with a string id.
inline std::optional<std::string> item_id_of(nlohmann::json const& item) {
  if (!item.is_object()) return std::nullopt;
  auto id = item.find("id");
  if (id == item.end() || !id->is_string()) return std::nullopt;
  return id->get<std::string>();
}

/// The cursor a list response points to next: `next`, then `last_id`, then the last item's id
/// (`last_item_id` when the items were read apart from `body`). Returns nullopt when there is
/// none (empty page without an explicit cursor).
inline std::optional<std::string> next_cursor_of(nlohmann::json const& body,
                                                 std::optional<std::string> last_item_id = std::nullopt) {
  if (!body.is_object()) return std::nullopt;
  for (char const* key : {"next", "last_id"}) {
    auto it = body.find(key);
    if (it != body.end() && it->is_string() && !it->get_ref<std::string const&>().empty())
      return it->get<std::string>();
  }
  if (last_item_id) return last_item_id;
  auto data = body.find("data");
  if (data != body.end() && data->is_array() && !data->empty()) return item_id_of(data->back());
  return std::nullopt;
}

/// The "data" array of a list response body, or null when it is absent or null. Raises
/// DecodeError when the body is not an object or "data" is neither an array nor null.
inline nlohmann::json const* list_data_of(nlohmann::json const& body) {
  if (!body.is_object()) throw DecodeError("", "expected a list object");
  auto data = body.find("data");
  if (data == body.end() || data->is_null()) return nullptr;
  if (!data->is_array()) throw DecodeError("/data", "expected an array");
  return &*data;
}

/// The page of `items` decoded from a list response `body`: its has_more flag and next cursor
/// (`last_item_id`: see next_cursor_of) are read from the body.
template <class T>
CursorPage<T> page_of(nlohmann::json const& body, std::vector<T> items, std::optional<std::string> last_item_id,
                      typename CursorPage<T>::Fetcher fetcher, std::optional<std::string> request_id,
                      std::string const& cursor_param) {
  std::optional<bool> has_more{};
  read_optional(body, "has_more", has_more);
  PageInfo next{};
  if (auto cursor = next_cursor_of(body, std::move(last_item_id))) next.params.emplace_back(cursor_param, *cursor);
  return CursorPage<T>(std::move(items), has_more, std::move(next), std::move(fetcher), std::move(request_id));
}

/// Decodes a cursor page from a list response document; codec items share the document.
/// `fetcher` loads the following pages. Raises DecodeError naming the field (e.g.
/// "/data/3/id") when an item does not decode.
template <class T>
CursorPage<T> decode_cursor_page(std::shared_ptr<nlohmann::json const> const& document,
                                 typename CursorPage<T>::Fetcher fetcher, std::optional<std::string> request_id,
                                 std::string const& cursor_param = "after") {
  nlohmann::json const& body = *document;
  std::vector<T> items{};
  if (nlohmann::json const* data = list_data_of(body)) {
    items.reserve(data->size());
    for (std::size_t i = 0; i < data->size(); ++i) {
      try {
        if constexpr (has_decode_from<T>::value) {
          T item;
          decode_from(DecodeSource{&document, &(*data)[i]}, item);
          items.push_back(std::move(item));
        } else {
          items.push_back(decode_value<T>((*data)[i]));
        }
      } catch (DecodeError const& e) {
        throw e.with_prefix("/data/" + std::to_string(i));
      }
    }
  }
  return page_of(body, std::move(items), std::nullopt, std::move(fetcher), std::move(request_id), cursor_param);
}

/// How many elements a list of `text_bytes` probably holds, judged by its first element: room
/// for them is reserved up front, as growing a vector of large models moves every one of them
/// again. The guess never reserves more than four times the text's size.
inline std::size_t expected_items(std::size_t text_bytes, nlohmann::json const& first, std::size_t item_bytes) {
  std::size_t const first_bytes =
      std::max<std::size_t>(first.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).size(), 2);
  std::size_t const cap = 4 * text_bytes / std::max<std::size_t>(item_bytes, 1) + 1;
  return std::min(text_bytes / first_bytes + 1, cap);
}

/// Decodes a cursor page from a list response, one element of "data" at a time as the body is
/// parsed: the items keep the response text (moved out of `response`) and parse it again only
/// if one of them is asked for its JSON, so a page is never held as a DOM next to its typed
/// items. Raises APIResponseValidationError for bad JSON or an item that does not decode.
template <class T>
CursorPage<T> decode_list_response(RawResponse response, typename CursorPage<T>::Fetcher fetcher,
                                   std::string const& cursor_param = "after") {
  std::optional<std::string> request_id = response.request_id();
  auto fall_back = [&] {  // the whole document parsed, the items sharing it
    auto const document = std::make_shared<nlohmann::json const>(parse_json_body(response));
    return decode_cursor_page<T>(document, std::move(fetcher), std::move(request_id), cursor_param);
  };
  try {
    if constexpr (!has_decode_from<T>::value) {
      return fall_back();
    } else {
      auto const text = std::make_shared<LazyDocument>(max_json_depth_of(response));
      std::vector<T> items{};
      std::optional<std::string> last_item_id{};
      // The first element that does not decode is reported once the whole body has been read:
      // bad JSON later on, or a second "data" that replaces this one, decides first.
      std::optional<DecodeError> first_error{};
      auto decode_item = [&](nlohmann::json&& element, std::size_t index) {
        if (first_error) return;
        if (index == 0) items.reserve(expected_items(response.body.size(), element, sizeof(T)));
        LazyItem const lazy{text, index};
        DecodeSource const source{nullptr, &element, &lazy, PathStep{nullptr, PathStep::Kind::root, {}, 0}};
        // Decoded in place: a model is large (FineTuningJob: 1.2 KB), moving each one costs.
        T& item = items.emplace_back();
        try {
          decode_from(source, item);
        } catch (DecodeError const& e) {
          items.pop_back();
          first_error = e.with_prefix("/data/" + std::to_string(index));
          return;
        }
        last_item_id = item_id_of(element);
      };
      std::optional<nlohmann::json> rest = parse_list_body(response, decode_item);
      if (!rest) return fall_back();
      if (first_error) throw *first_error;
      (void)list_data_of(*rest);  // the same shape checks as a whole document gets
      if (items.capacity() > items.size() + items.size() / 4) items.shrink_to_fit();  // a poor guess
      text->set_text(std::move(response.body));  // the page is not shared yet
      return page_of(*rest, std::move(items), std::move(last_item_id), std::move(fetcher), std::move(request_id),
                     cursor_param);
    }
  } catch (DecodeError const& e) {
    throw_validation_error(response, e);
  }
}

/// Decodes a cursor page from a list response body (copied into a document of its own).
template <class T>
CursorPage<T> decode_cursor_page(nlohmann::json const& body, typename CursorPage<T>::Fetcher fetcher,
                                 std::optional<std::string> request_id,
                                 std::string const& cursor_param = "after") {
  return decode_cursor_page<T>(std::make_shared<nlohmann::json const>(body), std::move(fetcher),
                               std::move(request_id), cursor_param);
}

/// Performs the list request `spec` and returns its first page; later pages repeat `spec`
/// with the cursor parameters set (replacing any of the same name). Used by list resources.
template <class T>
CursorPage<T> fetch_cursor_page(std::shared_ptr<ClientCore const> core, RequestSpec spec,
                                std::string cursor_param = "after") {
  // The fetcher re-issues the original request with the page's cursor merged into the query.
  struct Fetch {
    std::shared_ptr<ClientCore const> core{};
    RequestSpec spec{};
    std::string cursor_param{};
    CursorPage<T> operator()(PageInfo const& info) const {
      RequestSpec request = spec;
      for (auto const& [key, value] : info.params) {
        auto& query = request.query;
        query.erase(std::remove_if(query.begin(), query.end(),
                                   [&key = key](auto const& item) { return item.first == key; }),
                    query.end());
        query.emplace_back(key, value);
      }
      return decode_list_response<T>(core->execute(request), *this, cursor_param);
    }
  };
  Fetch fetch{std::move(core), std::move(spec), std::move(cursor_param)};
  return fetch(PageInfo{});
}

}  // namespace detail
}  // namespace smarter
