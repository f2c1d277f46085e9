// The table-driven JSON codec: every model and params type lists its fields once (JSON name, an
// optional alias, the member, required or optional), and one generic decoder and encoder serve
// every type. Internal: model files declare their tables; applications do not need this header.
//
// A type opts in with a specialisation of `Schema`, usually in its .cpp file:
//
//   template <> struct Schema<FileObject> {
//     static constexpr auto fields = std::make_tuple(
//         required("id", &FileObject::id),
//         field("created_at", "createdAt", &FileObject::created_at),  // either spelling
//         field("status", &FileObject::status));
//   };
//
// and its header declares `decode_from` / `encode_to` (SMARTER_DECLARE_CODEC), which the .cpp
// defines (SMARTER_DEFINE_CODEC) so that types nested across files find each other.
//
// Decoding shares one document: a top-level result owns the parsed JSON through a shared
// pointer, and every model inside it (nested or in a list) points at its own node there instead
// of copying its subtree, so to_dict(), unknown fields and fields_set() cost no copy per level.
// The items of a list page are decoded one at a time while the body is parsed
// (decode_list_response in pagination.hpp): their models point at a place in the page's text
// instead (item and path, lazy_json.hpp), found again when first asked.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/decode.hpp>
#include <smarter/model.hpp>

namespace smarter::detail {

/// Whether a field must be present (and not null) in a response, and whether it is always sent.
enum class Presence {
  optional,  ///< May be missing or null; sent only when set (or non-empty).
  required,  ///< Missing or null is a DecodeError; always sent.
};

/// One field of a table: the JSON name (and an alias), the member it fills, its presence.
template <class Owner, class Member>
struct Field {
  std::string_view name;   ///< The JSON name (the one written when encoding).
  std::string_view alias;  ///< A second accepted spelling, e.g. camelCase; empty for none.
  Member Owner::*member;   ///< The member the value goes to.
  Presence presence;       ///< Required or optional.
};

/// An optional field.
template <class Owner, class Member>
constexpr Field<Owner, Member> field(std::string_view name, Member Owner::*member) {
  return {name, {}, member, Presence::optional};
}
/// An optional field with two spellings; when both are present the first wins.
template <class Owner, class Member>
constexpr Field<Owner, Member> field(std::string_view name, std::string_view alias, Member Owner::*member) {
  return {name, alias, member, Presence::optional};
}
/// A required field.
template <class Owner, class Member>
constexpr Field<Owner, Member> required(std::string_view name, Member Owner::*member) {
  return {name, {}, member, Presence::required};
}
/// A required field with two spellings; when both are present the first wins.
template <class Owner, class Member>
constexpr Field<Owner, Member> required(std::string_view name, std::string_view alias, Member Owner::*member) {
  return {name, alias, member, Presence::required};
}

/// The "extra" member of a params type: a JSON object merged over the encoded fields (its
/// values win), for parameters this SDK does not model yet. Decoding ignores it.
template <class Owner>
struct ExtraField {
  nlohmann::json Owner::*member;  ///< The JSON object member.
};

/// Marks the extra-parameters member of a params type (list it last).
template <class Owner>
constexpr ExtraField<Owner> extra(nlohmann::json Owner::*member) {
  return {member};
}

template <class T>
struct is_extra_field : std::false_type {};
template <class Owner>
struct is_extra_field<ExtraField<Owner>> : std::true_type {};

/// The field table of T; specialise it with `static constexpr auto fields = std::make_tuple(...)`.
template <class T>
struct Schema;

/// True when T has a Schema specialisation.
template <class T, class = void>
struct has_schema : std::false_type {};
template <class T>
struct has_schema<T, std::void_t<decltype(Schema<T>::fields)>> : std::true_type {};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_map : std::false_type {};
template <class V, class C, class A>
struct is_map<std::map<std::string, V, C, A>> : std::true_type {};
template <class T>
struct is_variant : std::false_type {};
template <class... Ts>
struct is_variant<std::variant<Ts...>> : std::true_type {};

/// True when T is encoded through an encode_to found by ADL.
template <class T, class = void>
struct has_encode_to : std::false_type {};
template <class T>
struct has_encode_to<T, std::void_t<decltype(encode_to(std::declval<nlohmann::json&>(), std::declval<T const&>()))>>
    : std::true_type {};

template <class T>
void decode_value_into(DecodeSource const& source, T& out);

/// Points a model inside an element of a lazily kept list at its place there; false when a step
/// on the way is not named (the model then keeps a copy).
SMARTER_API bool keep_lazy_node(DecodeSource const& source, Model& out);

/// Points a model at its node: shared when the source has a document, found again from the page
/// text for a lazily kept list, else a copy.
inline void keep_node(DecodeSource const& source, Model& out) {
  if (source.lazy != nullptr && keep_lazy_node(source, out)) return;
  if (source.document != nullptr && *source.document) {
    out.attach_json(*source.document, source.node);
  } else {
    out.set_json(*source.node);
  }
}

/// A JSON value as a std::string: only strings are accepted.
inline void decode_string(nlohmann::json const& node, std::string& out) {
  if (!node.is_string()) throw DecodeError("", std::string("expected a string, got ") + node.type_name());
  out = node.get_ref<std::string const&>();
}

/// Decodes one alternative of a variant by the JSON type it expects: strings to a string
/// alternative, numbers to an arithmetic one, objects and arrays to the rest (in order).
template <class Variant, std::size_t I = 0>
bool decode_variant(DecodeSource const& source, Variant& out) {
  if constexpr (I == std::variant_size_v<Variant>) {
    return false;
  } else {
    using Alternative = std::variant_alternative_t<I, Variant>;
    nlohmann::json const& node = *source.node;
    bool fits = false;
    if constexpr (std::is_same_v<Alternative, std::string>) {
      fits = node.is_string();
    } else if constexpr (std::is_same_v<Alternative, bool>) {
      fits = node.is_boolean();
    } else if constexpr (std::is_integral_v<Alternative>) {
      fits = node.is_number_integer();  // covers unsigned too
    } else if constexpr (std::is_floating_point_v<Alternative>) {
      fits = node.is_number();
    } else if constexpr (std::is_same_v<Alternative, nlohmann::json>) {
      fits = true;
    } else if constexpr (is_vector<Alternative>::value) {
      fits = node.is_array();
    } else {
      fits = node.is_object();
    }
    if (fits) {
      Alternative value;  // not `{}`: a model's Model base is only default-constructible
      decode_value_into(source, value);
      out = std::move(value);
      return true;
    }
    return decode_variant<Variant, I + 1>(source, out);
  }
}

/// Decodes any supported member type from `source.node` (which is not null JSON unless the
/// type is an optional or json).
template <class T>
void decode_value_into(DecodeSource const& source, T& out) {
  nlohmann::json const& node = *source.node;
  if constexpr (is_optional<T>::value) {
    if (node.is_null()) {
      out.reset();
    } else {
      typename T::value_type value;
      decode_value_into(source, value);
      out = std::move(value);
    }
  } else if constexpr (std::is_same_v<T, nlohmann::json>) {
    out = node;  // a raw passthrough field keeps its own copy of that one subtree
  } else if constexpr (std::is_arithmetic_v<T>) {
    out = checked_number<T>(node);
  } else if constexpr (std::is_same_v<T, std::string>) {
    decode_string(node, out);
  } else if constexpr (is_vector<T>::value) {
    if (!node.is_array()) throw DecodeError("", std::string("expected an array, got ") + node.type_name());
    out.clear();
    out.reserve(node.size());
    for (std::size_t i = 0; i < node.size(); ++i) {
      typename T::value_type item;
      try {
        decode_value_into(source.at(node[i], i), item);
      } catch (DecodeError const& e) {
        throw e.with_prefix("/" + std::to_string(i));
      }
      out.push_back(std::move(item));
    }
  } else if constexpr (is_map<T>::value) {
    if (!node.is_object()) throw DecodeError("", std::string("expected an object, got ") + node.type_name());
    out.clear();
    for (auto it = node.begin(); it != node.end(); ++it) {
      typename T::mapped_type value;
      try {
        decode_value_into(source.at(it.value(), it.key()), value);
      } catch (DecodeError const& e) {
        throw e.with_prefix("/" + it.key());
      }
      out.emplace(it.key(), std::move(value));
    }
  } else if constexpr (is_variant<T>::value) {
    if (!decode_variant(source, out)) {
      throw DecodeError("", std::string("unexpected ") + node.type_name());
    }
  } else if constexpr (has_decode_from<T>::value) {
    decode_from(source, out);
  } else {
    // A type outside the codec: its own from_json.
    try {
      from_json(node, out);
    } catch (nlohmann::json::exception const& e) {
      throw DecodeError("", e.what());
    }
    if constexpr (std::is_base_of_v<Model, T>) keep_node(source, out);
  }
}

/// One JSON spelling of a field of a Schema: the name or its alias, and the field's position.
struct FieldSpelling {
  std::string_view text;  ///< The name as it appears in JSON.
  std::size_t field;      ///< The field's position in Schema<T>::fields.
  bool alias;             ///< True for the second spelling.
};

/// Adds the spellings of field number `index` (its name, and its alias when it has one).
template <class Owner, class Member>
void add_spellings(std::vector<FieldSpelling>& out, Field<Owner, Member> const& spec, std::size_t index) {
  out.push_back({spec.name, index, false});
  if (!spec.alias.empty()) out.push_back({spec.alias, index, true});
}
/// The extra-parameters member has no spelling: it is never decoded.
template <class Owner>
void add_spellings(std::vector<FieldSpelling>&, ExtraField<Owner> const&, std::size_t) {}

/// Every spelling of T's fields in the order a JSON object keeps its keys (std::less on the
/// bytes), worked out once per type: decode_fields walks an object's members and this list side
/// by side, in one pass, instead of looking every field up in the object.
template <class T>
std::vector<FieldSpelling> const& sorted_spellings() {
  static std::vector<FieldSpelling> const spellings = [] {
    std::vector<FieldSpelling> out;
    std::size_t index = 0;
    std::apply([&](auto const&... specs) { (add_spellings(out, specs, index++), ...); }, Schema<T>::fields);
    std::sort(out.begin(), out.end(), [](FieldSpelling const& a, FieldSpelling const& b) { return a.text < b.text; });
    return out;
  }();
  return spellings;
}

/// Decodes the field `spec` of `out` from its value found under its name (`named`) or alias
/// (`aliased`): the name wins when both are there; null or missing as in decode_field.
template <class T, class Member>
void decode_found_field(DecodeSource const& source, Field<T, Member> const& spec, nlohmann::json const* named,
                        nlohmann::json const* aliased, T& out) {
  nlohmann::json const* value = named != nullptr ? named : aliased;
  std::string_view const spelling = named != nullptr ? spec.name : spec.alias;
  if (value == nullptr || value->is_null()) {
    if (spec.presence == Presence::required) {
      throw DecodeError("/" + std::string(spec.name), "required field is missing");
    }
    // An explicit null: optionals become empty, other members keep their default.
    if constexpr (is_optional<Member>::value || std::is_same_v<Member, nlohmann::json>) {
      if (value != nullptr) decode_value_into(source.at(*value, spelling), out.*(spec.member));
    }
    return;
  }
  try {
    decode_value_into(source.at(*value, spelling), out.*(spec.member));
  } catch (DecodeError const& e) {
    throw e.with_prefix("/" + std::string(spelling));
  }
}

/// The extra-parameters member is not decoded.
template <class T>
void decode_found_field(DecodeSource const&, ExtraField<T> const&, nlohmann::json const*, nlohmann::json const*, T&) {}

/// Decodes the field `spec` of `out` from the object `node`, looking its spellings up (for
/// decoders written by hand; decode_fields finds every field in one pass instead).
template <class T, class Member>
void decode_field(DecodeSource const& source, nlohmann::json const& node, Field<T, Member> const& spec, T& out) {
  auto find = [&node](std::string_view spelling) -> nlohmann::json const* {
    if (spelling.empty()) return nullptr;
    auto it = node.find(spelling);
    return it == node.end() ? nullptr : &*it;
  };
  decode_found_field(source, spec, find(spec.name), find(spec.alias), out);
}

/// Decodes every field of the Schema from the values found for it, in the Schema's order.
template <class T, std::size_t... I>
void decode_found_fields(DecodeSource const& source, nlohmann::json const* const* named,
                         nlohmann::json const* const* aliased, T& out, std::index_sequence<I...>) {
  (decode_found_field(source, std::get<I>(Schema<T>::fields), named[I], aliased[I], out), ...);
}

/// Decodes the fields of `out` from `source` by its Schema, in the Schema's order (so the first
/// bad field is the one reported); a Model also keeps its node.
template <class T>
void decode_fields(DecodeSource const& source, T& out) {
  nlohmann::json const& node = *source.node;
  if (!node.is_object()) throw DecodeError("", std::string("expected an object, got ") + node.type_name());
  constexpr std::size_t kFields = std::tuple_size_v<std::decay_t<decltype(Schema<T>::fields)>>;
  std::array<nlohmann::json const*, kFields> named{};
  std::array<nlohmann::json const*, kFields> aliased{};
  // One pass over the object's members (sorted by key) and the sorted spellings side by side.
  std::vector<FieldSpelling> const& spellings = sorted_spellings<T>();
  auto spelling = spellings.begin();
  for (auto member = node.begin(); member != node.end() && spelling != spellings.end(); ++member) {
    std::string_view const key = member.key();
    while (spelling != spellings.end() && spelling->text < key) ++spelling;
    for (; spelling != spellings.end() && spelling->text == key; ++spelling) {
      (spelling->alias ? aliased : named)[spelling->field] = &member.value();
    }
  }
  decode_found_fields(source, named.data(), aliased.data(), out, std::make_index_sequence<kFields>{});
  if constexpr (std::is_base_of_v<Model, T>) keep_node(source, out);
}

/// True when an optional field's value counts as unset for sending: an empty optional, string,
/// list, map or null JSON.
template <class T>
bool is_unset(T const& value) {
  if constexpr (is_optional<T>::value) {
    return !value.has_value();
  } else if constexpr (std::is_same_v<T, nlohmann::json>) {
    return value.is_null();
  } else if constexpr (std::is_same_v<T, std::string> || is_vector<T>::value || is_map<T>::value) {
    return value.empty();
  } else {
    return false;
  }
}

/// Encodes any supported member type.
template <class T>
nlohmann::json encode_value(T const& value) {
  if constexpr (is_optional<T>::value) {
    return value ? encode_value(*value) : nlohmann::json();
  } else if constexpr (std::is_same_v<T, nlohmann::json> || std::is_arithmetic_v<T> ||
                       std::is_same_v<T, std::string>) {
    return nlohmann::json(value);
  } else if constexpr (is_vector<T>::value) {
    nlohmann::json array = nlohmann::json::array();
    for (auto const& item : value) array.push_back(encode_value(item));
    return array;
  } else if constexpr (is_map<T>::value) {
    nlohmann::json object = nlohmann::json::object();
    for (auto const& [key, item] : value) object[key] = encode_value(item);
    return object;
  } else if constexpr (is_variant<T>::value) {
    return std::visit([](auto const& alternative) { return encode_value(alternative); }, value);
  } else if constexpr (has_encode_to<T>::value) {
    nlohmann::json out;
    encode_to(out, value);
    return out;
  } else {
    return nlohmann::json(value);  // a type outside the codec: its own to_json
  }
}

/// Encodes the field `spec` of `value` into the object `out`.
template <class T, class Member>
void encode_field(nlohmann::json& out, Field<T, Member> const& spec, T const& value) {
  auto const& member = value.*(spec.member);
  if (spec.presence == Presence::optional && is_unset(member)) return;
  out[std::string(spec.name)] = encode_value(member);
}

/// Merges the extra-parameters object over everything encoded so far.
template <class T>
void encode_field(nlohmann::json& out, ExtraField<T> const& spec, T const& value) {
  nlohmann::json const& extra = value.*(spec.member);
  if (extra.is_object()) merge_extra(out, extra);
}

/// Encodes the fields of `value` by its Schema into the object `out`: required fields always,
/// optional ones only when set, then the extra parameters (list `extra` last).
template <class T>
void encode_fields(nlohmann::json& out, T const& value) {
  if (!out.is_object()) out = nlohmann::json::object();
  std::apply([&](auto const&... specs) { (encode_field(out, specs, value), ...); }, Schema<T>::fields);
}

/// Decodes T from `value` as a document of its own (a Model keeps a shared copy of it).
template <class T>
T decode_document(std::shared_ptr<nlohmann::json const> const& document) {
  T result;
  decode_value_into(DecodeSource{&document, document.get()}, result);
  return result;
}

/// Decodes a copy of `j` into `out`, which the model and its nested models then share (the
/// from_json of every codec type, for callers that hold plain JSON).
template <class T>
void decode_copy(nlohmann::json const& j, T& out) {
  auto const document = std::make_shared<nlohmann::json const>(j);
  decode_from(DecodeSource{&document, document.get()}, out);
}

}  // namespace smarter::detail

/// Declares the codec entry points of a type in its header (inside namespace smarter).
#define SMARTER_DECLARE_CODEC(Type)                                                          \
  SMARTER_API void decode_from(::smarter::detail::DecodeSource const& source, Type& out);  \
  SMARTER_API void from_json(nlohmann::json const& j, Type& out)

/// Declares the encoder of a params type in its header (inside namespace smarter).
#define SMARTER_DECLARE_ENCODER(Type) \
  SMARTER_API void encode_to(nlohmann::json& j, Type const& value); \
  SMARTER_API void to_json(nlohmann::json& j, Type const& value)

/// Defines the codec entry points of a type from its Schema (in its .cpp, inside namespace smarter).
#define SMARTER_DEFINE_CODEC(Type)                                                              \
  void decode_from(::smarter::detail::DecodeSource const& source, Type& out) {                 \
    ::smarter::detail::decode_fields(source, out);                                              \
  }                                                                                             \
  void from_json(nlohmann::json const& j, Type& out) { ::smarter::detail::decode_copy(j, out); }

/// Defines the encoder of a type from its Schema (in its .cpp, inside namespace smarter).
#define SMARTER_DEFINE_ENCODER(Type)                                   \
  void encode_to(nlohmann::json& j, Type const& value) {              \
    j = nlohmann::json::object();                                      \
    ::smarter::detail::encode_fields(j, value);                        \
  }                                                                    \
  void to_json(nlohmann::json& j, Type const& value) { encode_to(j, value); }
