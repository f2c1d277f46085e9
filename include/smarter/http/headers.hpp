// HTTP header list with case-insensitive names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <smarter/export.hpp>

namespace smarter::http {

/// True when two header names are equal ignoring ASCII case.
SMARTER_API bool header_name_equals(std::string_view a, std::string_view b) noexcept;

/// An ordered list of HTTP headers. Names compare case-insensitively; a name may repeat.
class SMARTER_API Headers {
 public:
  using value_type = std::pair<std::string, std::string>;  ///< One header: name and value.
  using const_iterator = std::vector<value_type>::const_iterator;  ///< Iterates in order.

  Headers() = default;
  /// Builds a header list from name/value pairs, in order.
  Headers(std::initializer_list<value_type> init);

  /// Replaces every header called `name` with one header `name: value`.
  void set(std::string const& name, std::string value);
  /// Appends `name: value`, keeping earlier headers of the same name.
  void add(std::string name, std::string value);
  /// Removes every header called `name`.
  void remove(std::string_view name);
  /// The first value of `name`, or nullopt.
  std::optional<std::string> get(std::string_view name) const;
  /// True when at least one header is called `name`.
  bool contains(std::string_view name) const;

  /// Iteration over the headers in order.
  const_iterator begin() const { return items_.begin(); }
  /// End of iteration.
  const_iterator end() const { return items_.end(); }
  /// Number of header lines.
  std::size_t size() const { return items_.size(); }
  /// True when there are no headers.
  bool empty() const { return items_.empty(); }

 private:
  std::vector<value_type> items_;
};

}  // namespace smarter::http
