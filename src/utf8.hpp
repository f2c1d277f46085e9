// UTF-8 well-formedness check (private). nlohmann::json refuses to dump strings that are not
// UTF-8 (type_error 316), so text from outside is checked before it becomes a JSON string.
#pragma once

#include <cstddef>
#include <string_view>

namespace smarter::detail {

/// True when `text` is well-formed UTF-8 as RFC 3629 defines it: no overlong forms, no
/// surrogates (U+D800..U+DFFF), nothing above U+10FFFF and no truncated sequences. When it is
/// not and `bad_offset` is given, stores there the 0-based byte offset of the first byte of the
/// first ill-formed sequence; `bad_offset` is left alone for valid text.
inline bool utf8_valid(std::string_view text, std::size_t* bad_offset = nullptr) noexcept {
  std::size_t const size = text.size();
  std::size_t i = 0;
  while (i < size) {
    auto const lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // The ranges of the Unicode standard's table 3-7: the narrowed second-byte ranges after
    // E0, ED, F0 and F4 are what exclude overlongs, surrogates and code points past U+10FFFF.
    std::size_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) second_min = 0xA0;
      if (lead == 0xED) second_max = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) second_min = 0x90;
      if (lead == 0xF4) second_max = 0x8F;
    }
    bool ok = length != 0 && size - i >= length;
    if (ok) {
      auto const second = static_cast<unsigned char>(text[i + 1]);
      ok = second >= second_min && second <= second_max;
      for (std::size_t k = 2; ok && k < length; ++k) {
        auto const next = static_cast<unsigned char>(text[i + k]);
        ok = next >= 0x80 && next <= 0xBF;
      }
    }
    if (!ok) {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    i += length;
  }
  return true;
}

}  // namespace smarter::detail
