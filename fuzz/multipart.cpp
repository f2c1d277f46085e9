// Fuzz target `multipart`: the upload encoder (smarter::detail::MultipartForm) checked against
// the fake server's independent streaming parser (smarter::testkit::detail::MultipartStreamParser).
//
// Checks:
//   - building and encoding a form with any field names, values, filenames, media types and file
//     bytes works, or throws SmarterError (only a bad boundary may be refused);
//   - the encoding parses back, fed in arbitrary pieces: same number of parts, in order; every
//     field value and file content byte for byte; every name and filename whenever it has no
//     CR, LF or '"' (those are sent percent-encoded, one way, as browsers do) and does not
//     itself spell %22, %0D or %0A; the file parts' Content-Type as given (line breaks removed,
//     blanks trimmed; empty means octet-stream);
//   - boundary_from_content_type(form.content_type()) finds the form's boundary;
//   - body() reports the exact size of what it produces.
// A value that contains the delimiter itself ("\r\n--" + boundary) cannot round-trip through any
// multipart encoding (that is why real boundaries are random); such inputs are skipped.
//
// Input layout: a mode byte (custom boundary, piece seed), then per part a kind byte and
// backslash-terminated strings.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <smarter/detail/multipart.hpp>
#include <smarter/file_input.hpp>

#include "fuzz_support.hpp"
#include "testkit/fake_files_multipart.hpp"

namespace {

constexpr char kTarget[] = "multipart";

struct ExpectedPart {
  std::string name;
  std::string content;
  bool is_file = false;
  std::string filename;
  std::string content_type;
};

struct ParsedPart {
  smarter::testkit::detail::FormPartInfo info;
  std::string content;
  bool ended = false;
};

// Names and filenames are sent the WHATWG way: '"', CR and LF as %22, %0D, %0A, and '%' as
// itself. So a name holding one of those characters, or literally one of those three escape
// sequences, cannot come back unchanged from any conforming reader; every other name must.
bool ambiguous_on_the_wire(std::string_view text) {
  return text.find_first_of("\r\n\"") != std::string_view::npos || text.find("%22") != std::string_view::npos ||
         text.find("%0D") != std::string_view::npos || text.find("%0A") != std::string_view::npos;
}

// The text a header reader may keep of a value: without surrounding blanks (SP and HTAB per
// RFC 9110; the fake server also trims VT and FF, so both sides are compared this way).
std::string trimmed(std::string const& text) {
  static constexpr char kBlanks[] = " \t\v\f";
  std::size_t const first = text.find_first_not_of(kBlanks);
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(kBlanks) - first + 1);
}

// The Content-Type the encoder writes for `media`: line breaks removed, octet-stream when empty.
std::string media_type_as_sent(std::string const& media) {
  std::string out;
  for (char c : media)
    if (c != '\r' && c != '\n') out += c;
  return out.empty() ? "application/octet-stream" : trimmed(out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  smarter_fuzz::Input input(data, size);
  std::uint8_t const mode = input.byte();
  auto const piece_seed = input.integral<std::uint32_t>();

  std::string boundary = "fuzz-boundary-5mK8qZ";
  if (mode & 0x01) boundary = input.string(80);  // may be invalid: then SmarterError

  std::optional<smarter::detail::MultipartForm> form;
  if (!smarter_fuzz::allow_smarter_error(kTarget, "MultipartForm(boundary)", [&] { form.emplace(boundary); })) {
    return 0;
  }
  std::string const delimiter = "\r\n--" + boundary;

  std::vector<ExpectedPart> expected;
  std::size_t const count = input.in_range(0, 6);
  for (std::size_t i = 0; i < count; ++i) {
    std::uint8_t const kind = input.byte();
    ExpectedPart part;
    part.name = input.string(64);
    if (kind & 0x01) {
      part.is_file = true;
      std::string const filename = input.string(64);
      std::string const media = input.string(48);
      part.content = input.string(512);
      smarter::FileInput file = (kind & 0x02)
                                    ? smarter::FileInput::from_bytes(part.content, filename, media)
                                    : smarter::FileInput::from_bytes(part.content, filename);
      part.filename = file.filename();  // "upload" when empty
      part.content_type = media_type_as_sent(file.media_type());
      form->add_file(part.name, std::move(file));
    } else if (kind & 0x02) {
      bool const value = (kind & 0x04) != 0;
      part.content = value ? "true" : "false";
      form->add_bool(part.name, value);
    } else {
      part.content = input.string(512);
      form->add_field(part.name, part.content);
    }
    // Content holding the delimiter would end the part early in every multipart reader.
    if (part.content.find(delimiter) != std::string::npos) return 0;
    expected.push_back(std::move(part));
  }

  std::string encoded;
  if (!smarter_fuzz::allow_smarter_error(kTarget, "MultipartForm::encode", [&] { encoded = form->encode(); })) {
    smarter_fuzz::fail(kTarget, "encode() threw for in-memory parts");
  }
  smarter_fuzz::allow_smarter_error(kTarget, "MultipartForm::body", [&] {
    auto const body = form->body();
    SMARTER_FUZZ_CHECK(kTarget, body->size() && *body->size() == encoded.size(),
                       "body()->size() is not the size of the encoding");
  });

  auto const found = smarter::testkit::detail::boundary_from_content_type(form->content_type());
  SMARTER_FUZZ_CHECK(kTarget, found && *found == boundary,
                     "the boundary is not recovered from " + smarter_fuzz::show(form->content_type()));

  std::vector<ParsedPart> parsed;
  smarter::testkit::detail::MultipartStreamParser::Callbacks callbacks;
  callbacks.on_part_begin = [&](smarter::testkit::detail::FormPartInfo const& info) {
    parsed.push_back(ParsedPart{info, {}, false});
  };
  callbacks.on_part_data = [&](char const* bytes, std::size_t n) {
    SMARTER_FUZZ_CHECK(kTarget, !parsed.empty() && !parsed.back().ended, "data outside a part");
    parsed.back().content.append(bytes, n);
  };
  callbacks.on_part_end = [&] {
    SMARTER_FUZZ_CHECK(kTarget, !parsed.empty() && !parsed.back().ended, "a part ended twice");
    parsed.back().ended = true;
  };
  try {
    smarter::testkit::detail::MultipartStreamParser parser(boundary, callbacks);
    smarter_fuzz::SplitMix rng(piece_seed);
    std::size_t const widest = 1 + rng.below(2 * delimiter.size() + 8);
    std::string_view rest = encoded;
    while (!rest.empty()) {
      std::size_t const n = std::min(rest.size(), rng.below(widest + 1));
      parser.feed(rest.data(), n);
      rest.remove_prefix(n);
    }
    parser.finish();
    SMARTER_FUZZ_CHECK(kTarget, parser.done(), "the parser did not see the closing boundary");
  } catch (smarter::testkit::detail::MultipartParseError const& e) {
    smarter_fuzz::fail(kTarget, std::string("the fake server's parser refused the SDK's encoding: ") + e.what() +
                                    "; body " + smarter_fuzz::show(encoded, 400));
  }

  SMARTER_FUZZ_CHECK(kTarget, parsed.size() == expected.size(),
                     std::to_string(expected.size()) + " parts sent, " + std::to_string(parsed.size()) +
                         " parsed; body " + smarter_fuzz::show(encoded, 400));
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ExpectedPart const& want = expected[i];
    ParsedPart const& got = parsed[i];
    std::string const where = "part " + std::to_string(i) + ": ";
    SMARTER_FUZZ_CHECK(kTarget, got.ended, where + "never ended");
    SMARTER_FUZZ_CHECK(kTarget, got.content == want.content,
                       where + "content " + smarter_fuzz::show(want.content) + " came back as " + smarter_fuzz::show(got.content));
    if (!ambiguous_on_the_wire(want.name)) {
      SMARTER_FUZZ_CHECK(kTarget, got.info.name == want.name,
                         where + "name " + smarter_fuzz::show(want.name) + " came back as " + smarter_fuzz::show(got.info.name));
    }
    SMARTER_FUZZ_CHECK(kTarget, got.info.filename.has_value() == want.is_file, where + "filename presence differs");
    if (want.is_file) {
      if (!ambiguous_on_the_wire(want.filename)) {
        SMARTER_FUZZ_CHECK(kTarget, *got.info.filename == want.filename,
                           where + "filename " + smarter_fuzz::show(want.filename) + " came back as " +
                               smarter_fuzz::show(*got.info.filename));
      }
      SMARTER_FUZZ_CHECK(kTarget, got.info.content_type && trimmed(*got.info.content_type) == want.content_type,
                         where + "content type " + smarter_fuzz::show(want.content_type) + " came back as " +
                             smarter_fuzz::show(got.info.content_type.value_or("(none)")));
    }
  }
  return 0;
}
