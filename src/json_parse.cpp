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

/// Builds a list document without the elements of its top-level "data" array: each element is
/// built alone, handed to the sink and dropped. Depth counts containers from the top, as in
/// DepthLimitedBuilder (the list object is depth 1, "data" depth 2, an element object depth 3).
class ListSplitter {
 public:
  ListSplitter(Json& rest, std::size_t max_depth, ListItemSink const& on_item)
      : rest_(rest, /*allow_exceptions=*/false), item_(item_value_, false), max_depth_(max_depth), on_item_(on_item) {}

  bool null() { return scalar([](auto& dom) { return dom.null(); }); }
  bool boolean(bool value) { return scalar([&](auto& dom) { return dom.boolean(value); }); }
  bool number_integer(Json::number_integer_t value) {
    return scalar([&](auto& dom) { return dom.number_integer(value); });
  }
  bool number_unsigned(Json::number_unsigned_t value) {
    return scalar([&](auto& dom) { return dom.number_unsigned(value); });
  }
  bool number_float(Json::number_float_t value, Json::string_t const& text) {
    return scalar([&](auto& dom) { return dom.number_float(value, text); });
  }
  bool string(Json::string_t& value) { return scalar([&](auto& dom) { return dom.string(value); }); }
  bool binary(Json::binary_t& value) { return scalar([&](auto& dom) { return dom.binary(value); }); }

  bool key(Json::string_t& value) {
    if (in_item_) return item_.key(value);
    if (depth_ == 1) {
      data_next_ = value == "data";
      if (data_next_ && seen_data_) {
        not_streamable_ = true;  // a whole-document parse would keep the last "data": let it
        return false;
      }
      seen_data_ = seen_data_ || data_next_;
    }
    return rest_.key(value);
  }

  bool start_object(std::size_t size) {
    return start([&](auto& dom) { return dom.start_object(size); });
  }
  bool start_array(std::size_t size) {
    if (!in_item_ && depth_ == 1 && data_next_) {
      if (!enter()) return false;
      data_next_ = false;
      in_data_ = true;  // "data" stays in the rest as an empty array
      return rest_.start_array(size);
    }
    return start([&](auto& dom) { return dom.start_array(size); });
  }
  bool end_object() {
    return end([](auto& dom) { return dom.end_object(); });
  }
  bool end_array() {
    if (!in_item_ && in_data_ && depth_ == 2) {
      --depth_;
      in_data_ = false;
      return rest_.end_array();
    }
    return end([](auto& dom) { return dom.end_array(); });
  }

  template <class Exception>
  bool parse_error(std::size_t /*position*/, std::string const& /*token*/, Exception const& error) {
    syntax_message_ = error.what();
    return false;
  }

  bool too_deep() const noexcept { return too_deep_; }
  bool not_streamable() const noexcept { return not_streamable_; }
  std::size_t items() const noexcept { return index_; }
  std::string const& syntax_message() const noexcept { return syntax_message_; }

 private:
  /// A scalar: part of the element being built, a whole element of "data", or part of the rest.
  template <class Event>
  bool scalar(Event event) {
    if (in_item_) return event(item_);
    if (in_data_ && depth_ == 2) {
      if (!event(item_)) return false;
      return finish_item();
    }
    data_next_ = false;
    return event(rest_);
  }

  template <class Event>
  bool start(Event event) {
    if (!enter()) return false;
    if (!in_item_ && in_data_ && depth_ == 3) in_item_ = true;  // an element of "data" begins
    if (in_item_) return event(item_);
    data_next_ = false;
    return event(rest_);
  }

  template <class Event>
  bool end(Event event) {
    --depth_;
    if (!in_item_) return event(rest_);
    if (!event(item_)) return false;
    if (depth_ == 2) {
      in_item_ = false;
      return finish_item();
    }
    return true;
  }

  bool finish_item() {
    on_item_(std::move(item_value_), index_++);
    item_value_ = Json();
    return true;
  }

  bool enter() {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  nlohmann::detail::json_sax_dom_parser<Json> rest_;
  Json item_value_;
  // One builder for every element: it starts each one from an empty stack.
  nlohmann::detail::json_sax_dom_parser<Json> item_;
  std::size_t max_depth_;
  ListItemSink const& on_item_;
  std::size_t depth_ = 0;
  std::size_t index_ = 0;
  bool data_next_ = false;  // the last top-level key was "data" and its value has not begun
  bool seen_data_ = false;
  bool in_data_ = false;    // inside the top-level "data" array
  bool in_item_ = false;    // building an element of it
  bool too_deep_ = false;
  bool not_streamable_ = false;
  std::string syntax_message_;
};

/// Fills the failure fields of `result` after a parse stopped.
template <class Builder>
void describe_failure(JsonParse& result, Builder const& builder, std::size_t max_depth) {
  result.value = Json();
  if (builder.too_deep()) {
    result.failure = JsonParse::Failure::too_deep;
    result.message = fmt::format("JSON nested deeper than {} levels", max_depth);
  } else {
    result.failure = JsonParse::Failure::syntax;
    result.message = builder.syntax_message().empty() ? "invalid JSON" : builder.syntax_message();
  }
}

}  // namespace

JsonParse parse_json(std::string_view text, std::size_t max_depth) {
  JsonParse result;
  DepthLimitedBuilder builder(result.value, max_depth);
  bool const ok = Json::sax_parse(text.begin(), text.end(), &builder);
  if (!ok) describe_failure(result, builder, max_depth);
  return result;
}

ListParse parse_list(std::string_view text, std::size_t max_depth, ListItemSink const& on_item) {
  ListParse result;
  ListSplitter splitter(result.value, max_depth, on_item);
  bool const ok = Json::sax_parse(text.begin(), text.end(), &splitter);
  result.items = splitter.items();
  if (ok) return result;
  if (splitter.not_streamable()) {
    result.value = Json();
    result.streamed = false;
    return result;
  }
  describe_failure(result, splitter, max_depth);
  return result;
}

std::string dump_lenient(nlohmann::json const& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

}  // namespace smarter::detail
