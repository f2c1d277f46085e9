// The server-sent-event decoder and the OpenAI stream conventions, without sockets.
#include <smarter/streaming.hpp>

#include <deque>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <smarter/http/response.hpp>
#include <smarter/model.hpp>

namespace {

using smarter::ServerSentEvent;
using smarter::detail::SseDecoder;

// Feeds `chunks` one by one, then ends the stream; returns every event produced.
std::vector<ServerSentEvent> decode(std::vector<std::string> const& chunks) {
  SseDecoder decoder;
  std::vector<ServerSentEvent> events;
  for (auto const& chunk : chunks) {
    auto more = decoder.feed(chunk);
    events.insert(events.end(), more.begin(), more.end());
  }
  auto rest = decoder.finish();
  events.insert(events.end(), rest.begin(), rest.end());
  return events;
}

// Splits `text` into pieces of `size` bytes.
std::vector<std::string> pieces(std::string const& text, std::size_t size) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size(); i += size) out.push_back(text.substr(i, size));
  return out;
}

TEST(SseDecoder, BasicEvent) {
  auto events = decode({"event: completion\ndata: {\"foo\":true}\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "completion");
  EXPECT_EQ(events[0].json(), nlohmann::json({{"foo", true}}));
}

TEST(SseDecoder, DataWithoutEvent) {
  auto events = decode({"data: {\"foo\":true}\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].event.has_value());
  EXPECT_EQ(events[0].data, "{\"foo\":true}");
}

TEST(SseDecoder, EventWithoutData) {
  auto events = decode({"event: foo\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "foo");
  EXPECT_EQ(events[0].data, "");
}

TEST(SseDecoder, MultipleEvents) {
  auto events = decode({"event: foo\n\nevent: ping\n\n"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event, "foo");
  EXPECT_EQ(events[1].event, "ping");
  EXPECT_EQ(events[1].data, "");
}

TEST(SseDecoder, MultipleEventsWithData) {
  auto events = decode({"event: foo\ndata: {\"foo\":true}\n\nevent: ping\ndata: {\"bar\":false}\n\n"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].json(), nlohmann::json({{"foo", true}}));
  EXPECT_EQ(events[1].event, "ping");
  EXPECT_EQ(events[1].json(), nlohmann::json({{"bar", false}}));
}

TEST(SseDecoder, MultipleDataLinesWithEmptyLine) {
  auto events = decode({"event: ping\n", "data: {\n", "data: \"foo\":\n", "data: \n", "data:\n",
                        "data: true}\n", "\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "{\n\"foo\":\n\n\ntrue}");
  EXPECT_EQ(events[0].json(), nlohmann::json({{"foo", true}}));
}

TEST(SseDecoder, DataJsonEscapedDoubleNewline) {
  auto events = decode({"event: ping\n", "data: {\"foo\": \"my long\\n\\ncontent\"}", "\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].json(), nlohmann::json({{"foo", "my long\n\ncontent"}}));
}

TEST(SseDecoder, MultipleDataLines) {
  auto events = decode({"event: ping\n", "data: {\n", "data: \"foo\":\n", "data: true}\n", "\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].json(), nlohmann::json({{"foo", true}}));
}

TEST(SseDecoder, SpecialNewlineCharacterU2028) {
  // U+2028 (e2 80 a8) is a line terminator for some decoders, never for SSE.
  std::string body = "data: {\"content\": \"culpa \xe2\x80\xa8 x\"}\n\n";
  auto events = decode(pieces(body, 1));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].json()["content"], "culpa \xe2\x80\xa8 x");
}

TEST(SseDecoder, MultiByteCharacterSplitAcrossChunks) {
  std::string word = "\xd0\xb8\xd0\xb7\xd0\xb2\xd0\xb5\xd1\x81\xd1\x82\xd0\xbd\xd0\xb8";  // известни
  std::string body = "event: completion\ndata: {\"content\":\"" + word + "\"}\n\n";
  for (std::size_t size = 1; size <= 7; ++size) {
    auto events = decode(pieces(body, size));
    ASSERT_EQ(events.size(), 1u) << "chunk size " << size;
    EXPECT_EQ(events[0].json()["content"], word) << "chunk size " << size;
  }
}

TEST(SseDecoder, LineEndingsCrLfAndCrlf) {
  for (std::string const eol : {"\n", "\r", "\r\n"}) {
    std::string body = "event: a" + eol + "data: 1" + eol + eol + "data: 2" + eol + eol;
    auto events = decode({body});
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].event, "a");
    EXPECT_EQ(events[0].data, "1");
    EXPECT_EQ(events[1].data, "2");
  }
}

TEST(SseDecoder, CrlfSplitAcrossChunksCountsOnce) {
  // If the LF after a chunk-final CR were taken as its own line, it would dispatch "x" early
  // and "y" would become a second event.
  auto events = decode({"data: x\r", "\ndata: y\r", "\n\r", "\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "x\ny");
}

TEST(SseDecoder, DoubleCrIsABlankLine) {
  auto events = decode({"data: a\r\r", "data: b\r", "\r"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data, "a");
  EXPECT_EQ(events[1].data, "b");
}

TEST(SseDecoder, EveryLineEndingStyleAtEveryChunkSize) {
  std::string body = "id: 7\r\nevent: e\rdata: one\ndata: two\r\n\r\n: comment\n\ndata: three\r\r";
  for (std::size_t size = 1; size <= body.size(); ++size) {
    auto events = decode(pieces(body, size));
    ASSERT_EQ(events.size(), 2u) << "chunk size " << size;
    EXPECT_EQ(events[0].event, "e");
    EXPECT_EQ(events[0].data, "one\ntwo");
    EXPECT_EQ(events[0].id, "7");
    EXPECT_EQ(events[1].data, "three");
    EXPECT_EQ(events[1].id, "7") << "the last event id persists";
  }
}

TEST(SseDecoder, CommentsAreIgnored) {
  auto events = decode({": keep-alive\n\n:another\ndata: x\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "x");
}

TEST(SseDecoder, FieldWithoutColonAndUnknownFields) {
  auto events = decode({"data\nfoo: bar\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "");
}

TEST(SseDecoder, OnlyOneLeadingSpaceIsRemoved) {
  auto events = decode({"data:  two spaces\ndata:none\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, " two spaces\nnone");
}

TEST(SseDecoder, RetryParsedOnlyWhenNumeric) {
  auto events = decode({"retry: 1500\ndata: a\n\nretry: soon\ndata: b\n\n"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].retry, 1500);
  EXPECT_FALSE(events[1].retry.has_value());
}

TEST(SseDecoder, IdWithNulIsIgnored) {
  auto events = decode({std::string("id: a\0b\ndata: x\n\n", 17)});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].id.has_value());
}

TEST(SseDecoder, FinalEventWithoutBlankLineIsFlushed) {
  auto events = decode({"data: last"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "last");
}

TEST(SseDecoder, TrailingNewlinesProduceNoExtraEvents) {
  auto events = decode({"data: a\n\n\n\n\n"});
  EXPECT_EQ(events.size(), 1u);
}

TEST(SseDecoder, EventsAreReturnedByTheChunkThatCompletesThem) {
  SseDecoder decoder;
  EXPECT_TRUE(decoder.feed("data: a\n").empty());
  auto events = decoder.feed("\ndata: b");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "a");
  EXPECT_TRUE(decoder.feed("\n").empty());
  EXPECT_EQ(decoder.feed("\n").size(), 1u);
}

// ------------------------------------------------------------------ stream conventions

// A body that hands out fixed chunks and records whether it was closed or read to the end.
class ChunkBody : public smarter::http::ResponseBody {
 public:
  ChunkBody(std::deque<std::string> chunks, bool* closed, std::size_t* reads)
      : chunks_(std::move(chunks)), closed_(closed), reads_(reads) {}
  std::size_t read(char* buffer, std::size_t max) override {
    ++*reads_;
    if (chunks_.empty()) return 0;
    std::string& front = chunks_.front();
    std::size_t n = std::min(max, front.size());
    std::copy_n(front.data(), n, buffer);
    front.erase(0, n);
    if (front.empty()) chunks_.pop_front();
    return n;
  }
  void close() noexcept override { *closed_ = true; }
  bool drained() const { return chunks_.empty(); }

 private:
  std::deque<std::string> chunks_;
  bool* closed_;
  std::size_t* reads_;
};

struct Counter : smarter::Model {
  int n = 0;
};
void from_json(nlohmann::json const& j, Counter& out) { smarter::detail::read_required(j, "n", out.n); }

struct Fixture {
  bool closed = false;
  std::size_t reads = 0;
  ChunkBody* body = nullptr;

  smarter::Stream<Counter> stream(std::deque<std::string> chunks) {
    smarter::detail::StreamedResponse response;
    response.status_code = 200;
    response.headers.set("x-request-id", "req_stream");
    response.method = "POST";
    response.url = "http://127.0.0.1/v1/chat/completions";
    auto owned = std::make_unique<ChunkBody>(std::move(chunks), &closed, &reads);
    body = owned.get();
    response.body = std::move(owned);
    return smarter::Stream<Counter>(std::move(response));
  }
};

TEST(Stream, YieldsItemsAndStopsAtDone) {
  Fixture f;
  auto stream = f.stream({"data: {\"n\":1}\n\n", "data: {\"n\":2}\n\ndata: [DONE]\n\n", ": tail\n\n"});
  std::vector<int> seen;
  for (auto const& item : stream) seen.push_back(item.n);
  EXPECT_EQ(seen, (std::vector<int>{1, 2}));
  EXPECT_TRUE(f.body->drained()) << "the rest after [DONE] is read so the connection can be reused";
  EXPECT_TRUE(stream.is_closed());
  EXPECT_EQ(stream.request_id(), "req_stream");
}

TEST(Stream, DrainAfterDoneIsBounded) {
  Fixture f;
  std::string huge(smarter::detail::EventSource::kMaxDrainBytes * 4, 'x');
  std::deque<std::string> chunks{"data: {\"n\":1}\n\ndata: [DONE]\n\n"};
  for (int i = 0; i < 64; ++i) chunks.push_back(huge);
  auto stream = f.stream(std::move(chunks));
  int count = 0;
  for (auto const& item : stream) count += item.n;
  EXPECT_EQ(count, 1);
  EXPECT_TRUE(f.closed);
  EXPECT_FALSE(f.body->drained()) << "a server that keeps talking after [DONE] is cut off";
}

TEST(Stream, EndOfBodyWithoutDoneEndsTheLoop) {
  Fixture f;
  auto stream = f.stream({"data: {\"n\":5}"});
  std::vector<int> seen;
  for (auto const& item : stream) seen.push_back(item.n);
  EXPECT_EQ(seen, (std::vector<int>{5}));
}

TEST(Stream, CanBeIteratedOnce) {
  Fixture f;
  auto stream = f.stream({"data: {\"n\":1}\n\n"});
  for (auto const& item : stream) (void)item;
  EXPECT_THROW(stream.begin(), smarter::SmarterError);
}

TEST(Stream, DestroyingEarlyClosesTheConnection) {
  Fixture f;
  {
    auto stream = f.stream({"data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n", "data: {\"n\":3}\n\n"});
    for (auto const& item : stream) {
      if (item.n == 1) break;
    }
    EXPECT_FALSE(f.closed);
  }
  EXPECT_TRUE(f.closed);
}

TEST(Stream, ErrorPayloadRaisesTypedStatusError) {
  Fixture f;
  auto stream = f.stream({"data: {\"n\":1}\n\n",
                          "data: {\"error\":{\"message\":\"Slow down\",\"type\":\"requests\","
                          "\"code\":\"rate_limit_exceeded\"}}\n\n"});
  std::vector<int> seen;
  try {
    for (auto const& item : stream) seen.push_back(item.n);
    FAIL() << "expected RateLimitError";
  } catch (smarter::RateLimitError const& e) {
    EXPECT_EQ(std::string(e.what()), "Error code: 429 - Slow down");
    EXPECT_EQ(e.status_code(), 429);
    EXPECT_EQ(e.request_id(), "req_stream");
    EXPECT_EQ(e.body()["error"]["code"], "rate_limit_exceeded");
  }
  EXPECT_EQ(seen, (std::vector<int>{1}));
  EXPECT_TRUE(f.closed);
}

TEST(Stream, ErrorTypeMapsLikeHttpStatuses) {
  Fixture f;
  auto stream = f.stream({"data: {\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}\n\n"});
  EXPECT_THROW(stream.next(), smarter::BadRequestError);
}

TEST(Stream, ServerErrorMapsToInternalServerError) {
  Fixture f;
  auto stream = f.stream({"event: error\ndata: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}\n\n"});
  EXPECT_THROW(stream.next(), smarter::InternalServerError);
}

TEST(Stream, UnknownErrorTypeRaisesAPIStreamError) {
  Fixture f;
  auto stream = f.stream({"data: {\"error\":{\"message\":\"odd\",\"type\":\"mystery\",\"code\":\"x1\"}}\n\n"});
  try {
    (void)stream.next();
    FAIL() << "expected APIStreamError";
  } catch (smarter::APIStreamError const& e) {
    EXPECT_EQ(std::string(e.what()), "odd");
    EXPECT_EQ(e.type(), "mystery");
    EXPECT_EQ(e.code(), "x1");
    EXPECT_EQ(e.request_id(), "req_stream");
    EXPECT_EQ(e.method(), "POST");
  }
}

TEST(Stream, ErrorWithoutMessageGetsAGenericOne) {
  Fixture f;
  auto stream = f.stream({"data: {\"error\":{\"type\":\"mystery\"}}\n\n"});
  try {
    (void)stream.next();
    FAIL() << "expected APIStreamError";
  } catch (smarter::APIStreamError const& e) {
    EXPECT_EQ(std::string(e.what()), "An error occurred during streaming");
  }
}

TEST(Stream, ResponsesApiTopLevelErrorEventRaises) {
  Fixture f;
  auto stream = f.stream({"event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\","
                          "\"message\":\"The model crashed\",\"param\":null}\n\n"});
  try {
    (void)stream.next();
    FAIL() << "expected InternalServerError";
  } catch (smarter::InternalServerError const& e) {
    EXPECT_EQ(std::string(e.what()), "Error code: 500 - The model crashed");
  }
}

TEST(Stream, NullErrorFieldIsNotAnError) {
  Fixture f;
  auto stream = f.stream({"data: {\"n\":3,\"error\":null}\n\n"});
  auto item = stream.next();
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->n, 3);
}

TEST(Stream, NonJsonDataRaisesValidationError) {
  Fixture f;
  auto stream = f.stream({"data: not json\n\n"});
  EXPECT_THROW(stream.next(), smarter::APIResponseValidationError);
  EXPECT_TRUE(f.closed);
}

TEST(Stream, ItemOfTheWrongShapeNamesTheField) {
  Fixture f;
  auto stream = f.stream({"data: {\"m\":1}\n\n"});
  try {
    (void)stream.next();
    FAIL() << "expected APIResponseValidationError";
  } catch (smarter::APIResponseValidationError const& e) {
    EXPECT_NE(std::string(e.what()).find("/n"), std::string::npos) << e.what();
  }
}

TEST(Stream, PingEventsWithoutDataAreSkipped) {
  Fixture f;
  auto stream = f.stream({"event: ping\n\n: comment\n\ndata: {\"n\":9}\n\n"});
  auto item = stream.next();
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->n, 9);
  EXPECT_FALSE(stream.next().has_value());
}

TEST(Stream, NothingAfterDoneIsYieldedEvenWhenAlreadyReceived) {
  Fixture f;
  auto stream = f.stream({"data: {\"n\":1}\n\ndata: [DONE]\n\ndata: {\"n\":2}\n\n"});
  EXPECT_EQ(stream.next()->n, 1);
  EXPECT_FALSE(stream.next().has_value());
  EXPECT_FALSE(stream.next().has_value());
}

TEST(Stream, CloseDiscardsEventsAlreadyReceived) {
  Fixture f;
  auto stream = f.stream({"data: {\"n\":1}\n\ndata: {\"n\":2}\n\n"});
  EXPECT_EQ(stream.next()->n, 1);
  stream.close();
  EXPECT_TRUE(f.closed);
  EXPECT_FALSE(stream.next().has_value());
}

TEST(Stream, PostIncrementKeepsTheOldItem) {
  Fixture f;
  auto stream = f.stream({"data: {\"n\":1}\n\ndata: {\"n\":2}\n\n"});
  auto it = stream.begin();
  EXPECT_EQ((*it++).n, 1);
  EXPECT_EQ(it->n, 2);
  ++it;
  EXPECT_EQ(it, stream.end());
}

}  // namespace
