// Case-insensitive HTTP header list.
#include <smarter/http/headers.hpp>

#include <algorithm>

namespace smarter::http {
namespace {

char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool header_name_equals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

Headers::Headers(std::initializer_list<value_type> init) : items_(init) {}

void Headers::set(std::string const& name, std::string value) {
  // Keep the position of the first occurrence so the order stays stable for readers.
  auto first = std::find_if(items_.begin(), items_.end(),
                            [&](value_type const& h) { return header_name_equals(h.first, name); });
  if (first == items_.end()) {
    items_.emplace_back(name, std::move(value));
    return;
  }
  first->first = name;
  first->second = std::move(value);
  auto rest = std::next(first);
  items_.erase(std::remove_if(rest, items_.end(),
                              [&](value_type const& h) { return header_name_equals(h.first, name); }),
               items_.end());
}

void Headers::add(std::string name, std::string value) {
  items_.emplace_back(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  items_.erase(std::remove_if(items_.begin(), items_.end(),
                              [&](value_type const& h) { return header_name_equals(h.first, name); }),
               items_.end());
}

std::optional<std::string> Headers::get(std::string_view name) const {
  for (auto const& h : items_) {
    if (header_name_equals(h.first, name)) {
      return h.second;
    }
  }
  return std::nullopt;
}

bool Headers::contains(std::string_view name) const {
  return std::any_of(items_.begin(), items_.end(),
                     [&](value_type const& h) { return header_name_equals(h.first, name); });
}

}  // namespace smarter::http
