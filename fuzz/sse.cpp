// Fuzz target `sse`: the server-sent-events decoder (smarter::detail::SseDecoder) on any bytes.
//
// Checks:
//   - feed/finish either return events or throw SseDecoder::LimitExceeded (documented); nothing
//     else escapes, and nothing crashes under ASan/UBSan;
//   - the limits hold: no event's data is longer than max_event_bytes, no event name or id longer
//     than max_line_bytes;
//   - chunking does not matter: the input fed in fuzz-chosen pieces (empty pieces and CR/LF pairs
//     split across pieces included) gives exactly the events of one feed of the whole input, and
//     fails exactly when that fails;
//   - every event's data goes through parse_json(data, 64) and ServerSentEvent::json(), which
//     succeed together or throw SmarterError; a parsed value dumps without throwing.
//
// Input layout: byte 0 picks the limits, bytes 1-8 seed the split points, the rest is the stream.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/streaming.hpp>

#include "fuzz_support.hpp"
#include "json_parse.hpp"

namespace {

constexpr char kTarget[] = "sse";

using smarter::ServerSentEvent;
using smarter::detail::SseDecoder;

struct Decoded {
  std::vector<ServerSentEvent> events;
  bool limit_exceeded = false;
  std::uint64_t lines = 0;
};

void append(std::vector<ServerSentEvent>& out, std::vector<ServerSentEvent> more) {
  for (auto& event : more) out.push_back(std::move(event));
}

// Decodes `stream` in the pieces `split` produces; the reference run uses one piece.
template <class Split>
Decoded decode(std::string_view stream, std::size_t max_line, std::size_t max_event, Split split) {
  Decoded out;
  SseDecoder decoder(max_line, max_event);
  bool const finished = smarter_fuzz::allow_smarter_error_or<SseDecoder::LimitExceeded>(
      kTarget, "SseDecoder::feed/finish", [&] {
        split(stream, [&](std::string_view piece) { append(out.events, decoder.feed(piece)); });
        append(out.events, decoder.finish());
      });
  out.limit_exceeded = !finished;
  out.lines = decoder.lines_completed();
  return out;
}

std::string describe(ServerSentEvent const& e) {
  return "{event=" + (e.event ? smarter_fuzz::show(*e.event) : std::string("none")) +
         " data=" + smarter_fuzz::show(e.data) + " id=" + (e.id ? smarter_fuzz::show(*e.id) : std::string("none")) +
         " retry=" + (e.retry ? std::to_string(*e.retry) : std::string("none")) + "}";
}

bool same(ServerSentEvent const& a, ServerSentEvent const& b) {
  return a.event == b.event && a.data == b.data && a.id == b.id && a.retry == b.retry;
}

void check_event_json(ServerSentEvent const& event) {
  smarter::detail::JsonParse const shallow = smarter::detail::parse_json(event.data, 64);
  bool const method_ok = smarter_fuzz::allow_smarter_error(kTarget, "ServerSentEvent::json", [&] {
    nlohmann::json const value = event.json(64);
    SMARTER_FUZZ_CHECK(kTarget, shallow && value == shallow.value,
                       "json(64) and parse_json(data, 64) disagree on " + smarter_fuzz::show(event.data));
  });
  SMARTER_FUZZ_CHECK(kTarget, method_ok == static_cast<bool>(shallow),
                     "json(64) threw but parse_json(data, 64) accepted " + smarter_fuzz::show(event.data));
  // Deeper limits accept everything shallower ones do.
  if (shallow) {
    smarter_fuzz::allow_smarter_error(kTarget, "ServerSentEvent::json()", [&] { (void)event.json(); });
    // Parsed JSON is valid UTF-8, so dumping it must not throw (nlohmann throws type_error 316
    // for invalid UTF-8, which would escape as an undocumented exception).
    smarter_fuzz::allow_smarter_error(kTarget, "json::dump", [&] { (void)shallow.value.dump(); });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  smarter_fuzz::Input input(data, size);
  // Small limits so inputs of a few KiB reach them; low values test the edges (0 and 1 bytes).
  std::uint8_t const limits = input.byte();
  std::size_t const small = limits & 0x3Fu;
  std::size_t const max_line = (limits & 0x80) ? 4096 : small;
  std::size_t const max_event = (limits & 0x40) ? 16384 : small * 3;
  auto const seed = input.integral<std::uint64_t>();
  std::string_view const stream = input.rest();

  Decoded const whole = decode(stream, max_line, max_event, [](std::string_view s, auto&& feed) { feed(s); });
  Decoded const pieces = decode(stream, max_line, max_event, [seed](std::string_view s, auto&& feed) {
    smarter_fuzz::SplitMix rng(seed);
    // Piece sizes spread over 0 (an empty feed), 1 (every CRLF split) and up to 64 bytes.
    std::size_t const widest = 1 + rng.below(64);
    while (!s.empty()) {
      std::size_t const n = std::min(s.size(), rng.below(widest + 1));
      feed(s.substr(0, n));
      s.remove_prefix(n);
    }
  });

  SMARTER_FUZZ_CHECK(kTarget, whole.limit_exceeded == pieces.limit_exceeded,
                     std::string("one feed ") + (whole.limit_exceeded ? "hit" : "did not hit") +
                         " a limit, piecewise feeding " + (pieces.limit_exceeded ? "did" : "did not"));
  if (!whole.limit_exceeded) {
    SMARTER_FUZZ_CHECK(kTarget, whole.events.size() == pieces.events.size(),
                       std::to_string(whole.events.size()) + " events in one feed, " +
                           std::to_string(pieces.events.size()) + " when fed in pieces");
    for (std::size_t i = 0; i < whole.events.size(); ++i) {
      SMARTER_FUZZ_CHECK(kTarget, same(whole.events[i], pieces.events[i]),
                         "event " + std::to_string(i) + " differs: " + describe(whole.events[i]) + " vs " +
                             describe(pieces.events[i]));
    }
    SMARTER_FUZZ_CHECK(kTarget, whole.lines == pieces.lines, "lines_completed() depends on chunking");
  }
  for (auto const* run : {&whole, &pieces}) {
    for (auto const& event : run->events) {
      SMARTER_FUZZ_CHECK(kTarget, event.data.size() <= max_event,
                         "event data of " + std::to_string(event.data.size()) + " bytes passed max_event_bytes " +
                             std::to_string(max_event));
      SMARTER_FUZZ_CHECK(kTarget, !event.event || event.event->size() <= max_line, "event name longer than a line");
      SMARTER_FUZZ_CHECK(kTarget, !event.id || event.id->size() <= max_line, "event id longer than a line");
    }
  }
  for (auto const& event : whole.events) check_event_json(event);
  return 0;
}
