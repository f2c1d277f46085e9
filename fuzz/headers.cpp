// Fuzz target `headers`: the response-header line parser the curl transport feeds
// (smarter::http::detail::HeaderBlockParser, src/http/header_parser.hpp) on arbitrary lines.
//
// Checks:
//   - feed/take_block/discard_block never crash or throw (other than std::bad_alloc);
//   - the byte budget holds: until too_large, bytes_seen() is exactly the bytes fed and within
//     the budget; the first too_large comes from a line that would pass it, leaves bytes_seen()
//     at most one line past the budget, and every later line is refused too;
//   - in_block() follows the status/end_of_block lines;
//   - every header name a block hands out is an RFC 9110 token (is_token), every value is free of
//     line feeds and of leading or trailing blanks.
//
// Input layout: bytes 0-1 the budget, bytes 2-9 the take/discard choices (one bit per block),
// the rest the header bytes, split into lines after each '\n' as libcurl hands them over.
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>

#include <smarter/http/headers.hpp>

#include "fuzz_support.hpp"
#include "http/header_parser.hpp"

namespace {

constexpr char kTarget[] = "headers";

using smarter::http::detail::HeaderBlockParser;

void check_block(smarter::http::Headers const& headers) {
  for (auto const& [name, value] : headers) {
    SMARTER_FUZZ_CHECK(kTarget, smarter::http::detail::is_token(name), "header name is not a token: " + smarter_fuzz::show(name));
    SMARTER_FUZZ_CHECK(kTarget, value.find('\n') == std::string::npos, "header value holds a line feed");
    SMARTER_FUZZ_CHECK(kTarget, value.empty() || (value.front() != ' ' && value.front() != '\t' &&
                                                  value.back() != ' ' && value.back() != '\t'),
                       "header value is not trimmed: " + smarter_fuzz::show(value));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  smarter_fuzz::Input input(data, size);
  std::size_t const budget = input.integral<std::uint16_t>();
  auto const choices = input.integral<std::uint64_t>();
  std::string_view bytes = input.rest();

  try {
    HeaderBlockParser parser(budget);
    SMARTER_FUZZ_CHECK(kTarget, parser.max_bytes() == budget, "max_bytes() is not the budget");
    std::size_t fed = 0;
    bool refused = false;
    unsigned blocks = 0;
    while (!bytes.empty()) {
      std::size_t const end = bytes.find('\n');
      std::size_t const length = end == std::string_view::npos ? bytes.size() : end + 1;
      std::string_view const line = bytes.substr(0, length);
      bytes.remove_prefix(length);

      auto const kind = parser.feed(line);
      if (refused) {
        SMARTER_FUZZ_CHECK(kTarget, kind == HeaderBlockParser::Line::too_large, "a line was accepted after too_large");
      }
      if (kind == HeaderBlockParser::Line::too_large) {
        if (!refused) {
          SMARTER_FUZZ_CHECK(kTarget, fed + line.size() > budget, "too_large although the line fits the budget");
        }
        refused = true;
        SMARTER_FUZZ_CHECK(kTarget, parser.bytes_seen() <= budget + line.size(),
                           "bytes_seen() " + std::to_string(parser.bytes_seen()) + " passed the budget " +
                               std::to_string(budget) + " by more than one line");
        continue;
      }
      fed += line.size();
      SMARTER_FUZZ_CHECK(kTarget, parser.bytes_seen() == fed, "bytes_seen() is not the bytes fed");
      SMARTER_FUZZ_CHECK(kTarget, fed <= budget, "accepted bytes passed the budget");
      switch (kind) {
        case HeaderBlockParser::Line::status:
          SMARTER_FUZZ_CHECK(kTarget, parser.in_block(), "a status line did not open a block");
          break;
        case HeaderBlockParser::Line::header:
          SMARTER_FUZZ_CHECK(kTarget, parser.in_block(), "a header outside a block");
          break;
        case HeaderBlockParser::Line::end_of_block: {
          SMARTER_FUZZ_CHECK(kTarget, !parser.in_block(), "the end of a block left it open");
          // Like the transport: keep the final block, drop interim (1xx) and followed ones.
          if ((choices >> (blocks++ % 64)) & 1U) {
            check_block(parser.take_block());
          } else {
            parser.discard_block();
          }
          break;
        }
        default:
          break;
      }
    }
    // A response cut short hands out whatever block was in progress.
    check_block(parser.take_block());
    SMARTER_FUZZ_CHECK(kTarget, !parser.in_block(), "take_block() left a block open");
  } catch (std::bad_alloc const&) {
  } catch (...) {
    smarter_fuzz::unexpected_exception(kTarget, "HeaderBlockParser");
  }
  return 0;
}
