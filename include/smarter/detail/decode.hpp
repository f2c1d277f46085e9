// Helpers for decoding response models from JSON and encoding request params to JSON.
// Internal: model files use them; applications do not need them.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/errors.hpp>
#include <smarter/detail/lazy_json.hpp>
#include <smarter/export.hpp>
#include <smarter/model.hpp>
#include <smarter/raw_response.hpp>

namespace smarter::detail {

/// A JSON value did not have the shape a model expects. `path()` names the field (JSON pointer).
class SMARTER_API DecodeError : public std::runtime_error {
 public:
  /// `path` is where the problem is, e.g. "/data/0/id"; `problem` what is wrong there.
  DecodeError(std::string path, std::string const& problem);
  /// JSON pointer of the offending field.
  std::string const& path() const noexcept { return path_; }
  /// A copy with `prefix` put before the path (used while unwinding nested decoders).
  DecodeError with_prefix(std::string const& prefix) const;

 private:
  std::string path_;
  std::string problem_;
};

/// How a decoder got from the element of a lazily kept list to the value it decodes: one step
/// per object key or array index, linked to the step before (the steps live in the callers'
/// frames while the element is decoded).
struct PathStep {
  /// What the step is.
  enum class Kind : unsigned char {
    unknown,  ///< A step a decoder did not name: models below it keep a copy of their JSON.
    root,     ///< The list element itself.
    key,      ///< An object member (`key`).
    index,    ///< An array element (`index`).
  };
  PathStep const* parent = nullptr;  ///< The step before; null at the root.
  Kind kind = Kind::unknown;         ///< What this step is.
  std::string_view key{};            ///< The member name, for Kind::key.
  std::size_t index = 0;             ///< The array index, for Kind::index.
};

/// Where a decoder reads: a node inside a document that decoded models may share (the
/// document may be null, then models keep a copy of their node), or inside an element of a list
/// page whose JSON is kept as text (`lazy`: models then find their node again by `step`).
struct DecodeSource {
  std::shared_ptr<nlohmann::json const> const* document = nullptr;  ///< The shared document, if any.
  nlohmann::json const* node = nullptr;                             ///< The value being decoded.
  LazyItem const* lazy = nullptr;  ///< The list element being decoded, for lazily kept pages.
  PathStep step{};                 ///< How `node` was reached from that element.

  /// The source for a node inside the same document, reached by a step not named.
  DecodeSource at(nlohmann::json const& child) const noexcept {
    return DecodeSource{document, &child, lazy, PathStep{&step, PathStep::Kind::unknown, {}, 0}};
  }
  /// The source for the member `key` of this node.
  DecodeSource at(nlohmann::json const& child, std::string_view key) const noexcept {
    return DecodeSource{document, &child, lazy, PathStep{&step, PathStep::Kind::key, key, 0}};
  }
  /// The source for element `index` of this node.
  DecodeSource at(nlohmann::json const& child, std::size_t index) const noexcept {
    return DecodeSource{document, &child, lazy, PathStep{&step, PathStep::Kind::index, {}, index}};
  }
};

/// True when T is decoded through a decode_from found by ADL (types declared with
/// SMARTER_DECLARE_CODEC).
template <class T, class = void>
struct has_decode_from : std::false_type {};
template <class T>
struct has_decode_from<T, std::void_t<decltype(decode_from(std::declval<DecodeSource const&>(), std::declval<T&>()))>>
    : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

/// A JSON number as an arithmetic field, refusing what does not fit: an integer out of the
/// field's range, a fraction or a boolean where an integer belongs, text where a number belongs.
/// (A plain conversion would wrap silently or, for floats, be undefined behaviour.)
template <class T>
T checked_number(nlohmann::json const& j) {
  static_assert(std::is_arithmetic_v<T>);
  if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean()) throw DecodeError("", "expected a boolean");
    return j.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    using Limits = std::numeric_limits<T>;
    auto out_of_range = [&]() -> DecodeError {
      return DecodeError("", "number " + j.dump() + " is out of range for this field (" +
                                 std::to_string(Limits::min()) + " to " + std::to_string(Limits::max()) + ")");
    };
    if (j.is_number_unsigned()) {
      auto const value = j.get<std::uint64_t>();
      if (value > static_cast<std::uint64_t>(Limits::max())) throw out_of_range();
      return static_cast<T>(value);
    }
    if (j.is_number_integer()) {
      auto const value = j.get<std::int64_t>();
      if constexpr (std::is_signed_v<T>) {
        if (value < static_cast<std::int64_t>(Limits::min()) || value > static_cast<std::int64_t>(Limits::max())) {
          throw out_of_range();
        }
      } else {
        if (value < 0 || static_cast<std::uint64_t>(value) > static_cast<std::uint64_t>(Limits::max())) {
          throw out_of_range();
        }
      }
      return static_cast<T>(value);
    }
    if (j.is_number_float()) {
      // Whole numbers written as floats ("3.0", "1e3") are accepted when they fit exactly.
      double const value = j.get<double>();
      double const bound = std::ldexp(1.0, Limits::digits);  // 2^digits: one past the largest magnitude
      double const lowest = std::is_signed_v<T> ? -bound : 0.0;
      if (!(value >= lowest && value < bound)) throw out_of_range();
      if (std::trunc(value) != value) throw DecodeError("", "expected an integer, got " + j.dump());
      return static_cast<T>(value);
    }
    throw DecodeError("", std::string("expected an integer, got ") + j.type_name());
  } else {
    if (!j.is_number()) throw DecodeError("", std::string("expected a number, got ") + j.type_name());
    return j.get<T>();
  }
}

/// Converts `j` to T: numbers through checked_number (also inside lists), anything else through
/// its from_json.
template <class T>
T convert_value(nlohmann::json const& j) {
  if constexpr (std::is_arithmetic_v<T>) {
    return checked_number<T>(j);
  } else if constexpr (is_vector<T>::value && std::is_arithmetic_v<typename T::value_type>) {
    if (!j.is_array()) throw DecodeError("", std::string("expected an array, got ") + j.type_name());
    T out;
    out.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
      try {
        out.push_back(checked_number<typename T::value_type>(j[i]));
      } catch (DecodeError const& e) {
        throw e.with_prefix("/" + std::to_string(i));
      }
    }
    return out;
  } else {
    return j.get<T>();
  }
}

/// Converts `j` to T, turning nlohmann type errors into DecodeError at `key`.
template <class T>
T convert_field(nlohmann::json const& j, std::string const& key) {
  try {
    return convert_value<T>(j);
  } catch (DecodeError const& e) {
    throw e.with_prefix("/" + key);
  } catch (nlohmann::json::exception const& e) {
    throw DecodeError("/" + key, e.what());
  }
}

/// Reads a required field: missing or null raises DecodeError naming it.
template <class T>
void read_required(nlohmann::json const& j, std::string const& key, T& out) {
  if (!j.is_object()) throw DecodeError("", "expected an object");
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) throw DecodeError("/" + key, "required field is missing");
  out = convert_field<T>(*it, key);
}

/// Reads an optional field: missing or null leaves nullopt; a wrong type raises DecodeError.
template <class T>
void read_optional(nlohmann::json const& j, std::string const& key, std::optional<T>& out) {
  out.reset();
  if (!j.is_object()) return;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  out = convert_field<T>(*it, key);
}

/// Reads the first of several spellings of a field (e.g. "account_number" / "accountNumber").
template <class T>
void read_optional_any(nlohmann::json const& j, std::initializer_list<char const*> keys,
                       std::optional<T>& out) {
  out.reset();
  for (char const* key : keys) {
    read_optional(j, key, out);
    if (out) return;
  }
}

/// Shallow-merges `extra` (an object) over `body`; extra's values win, nulls are kept as null.
SMARTER_API void merge_extra(nlohmann::json& body, nlohmann::json const& extra);

/// Parses a 2xx response into T (T derives from Model and has an ADL from_json), keeping the
/// JSON and the request id. Bad JSON or a bad shape raises APIResponseValidationError.
template <class T>
T decode_response(RawResponse const& response);

template <class T>
T decode_value(nlohmann::json const& value);
template <class T>
T decode_plain(nlohmann::json const& value);

/// Parses the document into T; a codec type's models share the document, whatever their
/// nesting. Raises DecodeError.
template <class T>
T decode_value(std::shared_ptr<nlohmann::json const> const& document) {
  if constexpr (has_decode_from<T>::value) {
    T result;
    decode_from(DecodeSource{&document, document.get()}, result);
    return result;
  } else {
    T result;
    try {
      from_json(*document, result);
    } catch (DecodeError const&) {
      throw;
    } catch (nlohmann::json::exception const& e) {
      throw DecodeError("", e.what());
    }
    if constexpr (std::is_base_of_v<Model, T>) result.attach_json(document, document.get());
    return result;
  }
}

/// Parses a JSON value into T, keeping the value on the model. Raises DecodeError.
template <class T>
T decode_value(nlohmann::json const& value) {
  if constexpr (has_decode_from<T>::value) {
    return decode_value<T>(std::make_shared<nlohmann::json const>(value));
  } else {
    return decode_plain<T>(value);
  }
}

/// Parses a JSON value into T through its own from_json, keeping a copy on a model.
template <class T>
T decode_plain(nlohmann::json const& value) {
  T result;
  try {
    from_json(value, result);
  } catch (DecodeError const&) {
    throw;
  } catch (nlohmann::json::exception const& e) {
    throw DecodeError("", e.what());
  }
  if constexpr (std::is_base_of_v<Model, T>) result.set_json(value);
  return result;
}

/// Parses the body of `response` as JSON or raises APIResponseValidationError.
SMARTER_API nlohmann::json parse_json_body(RawResponse const& response);

/// Parses the body of `response` as a list (`{"data": [...], ...}`), handing each element of its
/// top-level "data" array to `on_item` as soon as it is read and dropping it after, so the
/// elements are never all held as JSON at once. Returns the rest of the document ("data" an
/// empty array), or nullopt when the body must be parsed whole instead (parse_json_body). Bad
/// JSON raises APIResponseValidationError as parse_json_body does; what `on_item` throws
/// propagates.
SMARTER_API std::optional<nlohmann::json> parse_list_body(
    RawResponse const& response, std::function<void(nlohmann::json&& item, std::size_t index)> const& on_item);

/// The nesting limit the body of `response` is parsed with.
SMARTER_API std::size_t max_json_depth_of(RawResponse const& response) noexcept;

/// Raises APIResponseValidationError for `error` found while decoding `response`.
[[noreturn]] SMARTER_API void throw_validation_error(RawResponse const& response, DecodeError const& error);

template <class T>
T decode_response(RawResponse const& response) {
  auto const document = std::make_shared<nlohmann::json const>(parse_json_body(response));
  try {
    T result = decode_value<T>(document);
    if constexpr (std::is_base_of_v<Model, T>) result.set_request_id(response.request_id());
    return result;
  } catch (DecodeError const& e) {
    throw_validation_error(response, e);
  }
}

}  // namespace smarter::detail
