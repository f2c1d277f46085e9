// The client against a broken or hostile server on loopback: whatever comes back, one bad
// response costs one typed exception, never the process, its memory or undefined behaviour.
#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/resources/files.hpp>
#include <smarter/streaming.hpp>

#include <chrono>
#include <cstdlib>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <smarter/testkit/fake_server.hpp>

namespace smarter {
namespace {

using smarter::testkit::BodyChunk;
using smarter::testkit::FakeResponse;
using smarter::testkit::FakeServer;
using ::testing::HasSubstr;
using std::chrono::milliseconds;

constexpr char kKey[] = "sk-hostile-0123456789";

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

/// `size` zero bytes, gzip-compressed (about a thousandth of the size).
std::string gzip_of_zeros(std::size_t size) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::string const zeros(1 << 20, '\0');
  std::string out;
  char buffer[1 << 16];
  std::size_t fed = 0;
  for (;;) {
    std::size_t const n = std::min(zeros.size(), size - fed);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = static_cast<uInt>(n);
    fed += n;
    int const flush = fed == size ? Z_FINISH : Z_NO_FLUSH;
    int rc = Z_OK;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      rc = deflate(&z, flush);
      out.append(buffer, sizeof buffer - z.avail_out);
    } while (z.avail_out == 0);
    if (flush == Z_FINISH && rc == Z_STREAM_END) break;
  }
  deflateEnd(&z);
  return out;
}

FakeResponse sse(std::vector<BodyChunk> chunks) {
  FakeResponse response;
  response.headers.emplace_back("Content-Type", "text/event-stream");
  response.chunks = std::move(chunks);
  return response;
}

ChatCompletionCreateParams hello() {
  ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.messages = {ChatMessage::user("Hello")};
  return params;
}

class HostileServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (char const* name : {"SMARTER_API_KEY", "SMARTER_BASE_URL", "SMARTER_ENVIRONMENT", "SMARTER_LOG"}) {
      unsetenv(name);
    }
  }

  ClientOptions options() const {
    ClientOptions options;
    options.api_key = kKey;
    options.base_url = server_.url() + "v1";
    options.auth_scheme = AuthScheme::bearer;
    options.max_retries = 0;
    return options;
  }

  FakeServer server_;
};

// ------------------------------------------------------------------ 1. libcurl easy-handle reuse

TEST_F(HostileServerTest, MalformedResponseAfterANormalOneCannotCorruptTheClient) {
  // On a reused (reset) easy handle, libcurl 7.88 reads freed memory parsing the second response
  // (curl issue 11101). A fresh handle per transfer turns it into an ordinary error.
  Smarter client(options());
  for (int round = 0; round < 3; ++round) {
    server_.enqueue(FakeResponse::raw_bytes("HTTP/1.1 200 OK\r\nX: y\r\n\r\n"));
    RawResponse first = client.request("GET", "a");
    EXPECT_EQ(first.status_code, 200);
    EXPECT_EQ(first.headers.get("X"), "y");
    server_.enqueue(FakeResponse::raw_bytes("HTTP/dX: a\n  f: 2\r\n"));
    EXPECT_THROW(client.request("GET", "b"), APIError);
  }
  server_.enqueue(FakeResponse::json(200, {{"ok", true}}));
  EXPECT_EQ(client.request("GET", "c").json(), nlohmann::json({{"ok", true}}));
}

// ------------------------------------------------------------------ 2. nesting

TEST_F(HostileServerTest, DeeplyNestedErrorBodyGivesTheStatusErrorWithAShortMessage) {
  server_.enqueue(FakeResponse::text(400, nested_arrays(100000), "application/json"));
  Smarter client(options());
  try {
    client.request("GET", "deep");
    FAIL() << "expected BadRequestError";
  } catch (BadRequestError const& e) {
    EXPECT_EQ(e.status_code(), 400);
    EXPECT_LT(std::string(e.what()).size(), 400u);
    EXPECT_TRUE(e.body().is_null());  // not parsed: too deep
  }
}

TEST_F(HostileServerTest, DeeplyNestedSuccessBodyIsAValidationError) {
  server_.enqueue(FakeResponse::text(200, nested_arrays(200000), "application/json"));
  Smarter client(options());
  try {
    client.files().retrieve("file-1");
    FAIL() << "expected APIResponseValidationError";
  } catch (APIResponseValidationError const& e) {
    EXPECT_THAT(e.what(), HasSubstr("deeper than 512"));
    EXPECT_LT(std::string(e.what()).size(), 400u);
  }
}

TEST_F(HostileServerTest, NestingLimitIsAnOption) {
  std::string const body = R"({"id":"file-1","object":"file","bytes":1,"created_at":0,"filename":"a","purpose":"x","extra":)" +
                           nested_arrays(600) + "}";
  server_.enqueue(FakeResponse::text(200, body, "application/json"));
  server_.enqueue(FakeResponse::text(200, body, "application/json"));
  EXPECT_THROW(Smarter(options()).files().retrieve("file-1"), APIResponseValidationError);
  ClientOptions deeper = options();
  deeper.limits.max_json_depth = 1000;
  EXPECT_EQ(Smarter(deeper).files().retrieve("file-1").id, "file-1");
}

TEST_F(HostileServerTest, DeeplyNestedStreamEventIsAValidationError) {
  server_.enqueue(sse({{"data: " + nested_arrays(100000) + "\n\n", milliseconds(0)}}));
  Smarter client(options());
  auto stream = client.chat().completions().create_stream(hello());
  EXPECT_THROW(
      {
        for (auto const& chunk : stream) (void)chunk;
      },
      APIResponseValidationError);
}

// ------------------------------------------------------------------ 4. response size

TEST_F(HostileServerTest, EndlessBodyStopsAtTheDefaultLimit) {
  FakeResponse endless;
  endless.chunked = true;  // no Content-Length: the size shows only while reading
  endless.generated_body_size = std::uint64_t(1) << 40;
  server_.enqueue(endless);
  Smarter client(options());
  try {
    client.request("GET", "endless");
    FAIL() << "expected APIResponseTooLargeError";
  } catch (APIResponseTooLargeError const& e) {
    EXPECT_EQ(e.status_code(), 200);
    EXPECT_EQ(e.limit(), std::size_t(64) << 20);
    EXPECT_THAT(e.what(), HasSubstr("max_response_bytes"));
  }
  // The connection was dropped, the client is fine.
  server_.enqueue(FakeResponse::json(200, {{"ok", true}}));
  EXPECT_EQ(client.request("GET", "after").status_code, 200);
}

TEST_F(HostileServerTest, HugeContentLengthIsRefusedBeforeReading) {
  FakeResponse huge;
  huge.generated_body_size = std::uint64_t(1) << 31;  // Content-Length: 2147483648
  server_.enqueue(huge);
  Smarter client(options());
  try {
    client.request("GET", "huge");
    FAIL() << "expected APIResponseTooLargeError";
  } catch (APIResponseTooLargeError const& e) {
    EXPECT_THAT(e.what(), HasSubstr("2147483648 bytes (Content-Length)"));
  }
}

TEST_F(HostileServerTest, GzipBombIsBoundedByDecodedBytes) {
  FakeResponse bomb;
  bomb.headers.emplace_back("Content-Type", "application/json");
  bomb.headers.emplace_back("Content-Encoding", "gzip");
  bomb.body = gzip_of_zeros(std::size_t(80) << 20);
  ASSERT_LT(bomb.body.size(), std::size_t(1) << 20);  // under the limit on the wire
  server_.enqueue(bomb);
  Smarter client(options());
  EXPECT_THROW(client.request("GET", "bomb"), APIResponseTooLargeError);
  auto encoding = server_.requests().at(0).header("Accept-Encoding");
  ASSERT_TRUE(encoding.has_value());
  EXPECT_THAT(*encoding, HasSubstr("gzip"));
}

TEST_F(HostileServerTest, ResponseLimitPerRequest) {
  server_.enqueue(FakeResponse::text(200, std::string(2000, 'x')));
  server_.enqueue(FakeResponse::text(200, std::string(2000, 'x')));
  Smarter client(options());
  RequestOptions small;
  small.max_response_bytes = 1999;
  EXPECT_THROW(client.request("GET", "a", nullptr, small), APIResponseTooLargeError);
  RequestOptions exact;
  exact.max_response_bytes = 2000;
  EXPECT_EQ(client.request("GET", "b", nullptr, exact).body.size(), 2000u);
}

TEST_F(HostileServerTest, DownloadsToASinkAreNotCappedByTheResponseLimit) {
  FakeResponse big;
  big.generated_body_size = 3 << 20;
  server_.enqueue(big);
  ClientOptions small = options();
  small.max_response_bytes = 1 << 20;
  Smarter client(small);
  std::uint64_t received = 0;
  client.files().content_to_sink("file-1", [&](char const*, std::size_t n) { received += n; });
  EXPECT_EQ(received, std::uint64_t(3) << 20);
}

TEST_F(HostileServerTest, HugeErrorBodyKeepsItsStatusAndType) {
  server_.enqueue(FakeResponse::text(503, std::string(3 << 20, 'e')));
  Smarter client(options());
  try {
    client.request("GET", "unavailable");
    FAIL() << "expected InternalServerError";
  } catch (InternalServerError const& e) {
    EXPECT_EQ(e.status_code(), 503);
    EXPECT_LE(e.response().body.size(), (std::size_t(1) << 20) + 3);
  }
}

// ------------------------------------------------------------------ 5. server-sent events

TEST_F(HostileServerTest, StreamLineThatNeverEndsIsRefused) {
  ClientOptions opts = options();
  opts.limits.max_sse_line_bytes = 64 * 1024;
  server_.enqueue(sse({{"data: " + std::string(200 * 1024, 'a'), milliseconds(0)}}));
  auto stream = Smarter(opts).chat().completions().create_stream(hello());
  try {
    for (auto const& chunk : stream) (void)chunk;
    FAIL() << "expected APIStreamError";
  } catch (APIStreamError const& e) {
    EXPECT_THAT(e.what(), HasSubstr("max_sse_line_bytes"));
  }
}

TEST_F(HostileServerTest, StreamEventThatNeverEndsIsRefused) {
  ClientOptions opts = options();
  opts.limits.max_sse_event_bytes = 64 * 1024;
  std::string lines;
  while (lines.size() < 200 * 1024) lines += "data: xxxxxxxxxxxxxxxxxxxxxxxx\n";
  server_.enqueue(sse({{lines, milliseconds(0)}}));
  auto stream = Smarter(opts).chat().completions().create_stream(hello());
  try {
    for (auto const& chunk : stream) (void)chunk;
    FAIL() << "expected APIStreamError";
  } catch (APIStreamError const& e) {
    EXPECT_THAT(e.what(), HasSubstr("max_sse_event_bytes"));
  }
}

TEST_F(HostileServerTest, TrickledBytesCannotHoldAStreamOpen) {
  // A byte every 100 ms keeps the connection busy, but no line ever completes.
  std::vector<BodyChunk> trickle{{"data: ", milliseconds(0)}};
  for (int i = 0; i < 100; ++i) trickle.push_back({"a", milliseconds(100)});
  server_.enqueue(sse(std::move(trickle)));
  ClientOptions opts = options();
  opts.timeout = Timeout(30.0).with_read(0.5);
  auto stream = Smarter(opts).chat().completions().create_stream(hello());
  try {
    for (auto const& chunk : stream) (void)chunk;
    FAIL() << "expected APITimeoutError";
  } catch (APITimeoutError const& e) {
    EXPECT_EQ(e.kind(), TimeoutKind::read);
    EXPECT_THAT(e.what(), HasSubstr("no complete line"));
  }
}

// ------------------------------------------------------------------ 6. header lines

std::string folded_header_response(std::size_t continuation_lines) {
  std::string raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nX-Long: start\r\n";
  for (std::size_t i = 0; i < continuation_lines; ++i) raw += " continued\r\n";
  return raw + "\r\n{}";
}

TEST_F(HostileServerTest, HeaderBytesAreCapped) {
  server_.enqueue(FakeResponse::raw_bytes(folded_header_response(25000)));  // about 300 KB
  Smarter client(options());
  try {
    client.request("GET", "folded");
    FAIL() << "expected APIResponseTooLargeError";
  } catch (APIResponseTooLargeError const& e) {
    EXPECT_EQ(e.status_code(), 0);
    EXPECT_EQ(e.limit(), std::size_t(256) * 1024);
  }
}

TEST_F(HostileServerTest, FoldedHeaderLinesAreJoinedWithoutMergingOtherHeaders) {
  ClientOptions opts = options();
  opts.limits.max_header_bytes = 1 << 20;
  server_.enqueue(FakeResponse::raw_bytes(folded_header_response(25000)));
  RawResponse big = Smarter(opts).request("GET", "folded");
  EXPECT_EQ(big.status_code, 200);
  EXPECT_EQ(big.headers.get("X-Long")->size(), std::string("start").size() + 25000 * std::string(" continued").size());

  server_.enqueue(FakeResponse::raw_bytes(
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n  ; Path=/\r\n\r\n{}"));
  RawResponse cookies = Smarter(opts).request("GET", "cookies");
  std::vector<std::string> values;
  for (auto const& [name, value] : cookies.headers) {
    if (name == "Set-Cookie") values.push_back(value);
  }
  EXPECT_THAT(values, ::testing::ElementsAre("a=1", "b=2 ; Path=/"));
}

// ------------------------------------------------------------------ 7. status line

TEST_F(HostileServerTest, StatusComesFromTheStatusLineNotALookAlikeHeader) {
  server_.enqueue(FakeResponse::raw_bytes(
      "HTTP/1.1 500 Internal Server Error\r\nHTTP/1.1 200: x\r\nContent-Length: 2\r\n\r\n{}"));
  Smarter client(options());
  try {
    client.request("GET", "status");
    FAIL() << "expected InternalServerError";
  } catch (InternalServerError const& e) {
    EXPECT_EQ(e.status_code(), 500);
  }
}

TEST_F(HostileServerTest, AbsurdStatusCodeIsAnErrorNotAnOverflow) {
  server_.enqueue(FakeResponse::raw_bytes("HTTP/1.1 99999999999999999999 OK\r\nContent-Length: 2\r\n\r\n{}"));
  Smarter client(options());
  EXPECT_THROW(client.request("GET", "status"), APIError);
}

}  // namespace
}  // namespace smarter
