// Error classes and the messages built from every error body shape the servers send.
#include <smarter/errors.hpp>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace smarter {
namespace {

RawResponse response(int status, std::string body, http::Headers headers = {}) {
  RawResponse r;
  r.status_code = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.method = "POST";
  r.url = "https://platform.smarter.sh/api/v1/cli/apply/";
  return r;
}

std::string read_fixture(char const* name) {
  std::ifstream in(std::string(SMARTER_FIXTURES_DIR) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

template <class Expected>
void expect_class(int status) {
  try {
    throw_status_error(response(status, "{}"));
    FAIL() << "nothing thrown for " << status;
  } catch (Expected const& e) {
    EXPECT_EQ(e.status_code(), status);
  } catch (std::exception const& e) {
    FAIL() << "wrong class for " << status << ": " << e.what();
  }
}

TEST(StatusMapping, EveryStatusGetsItsClass) {
  expect_class<BadRequestError>(400);
  expect_class<AuthenticationError>(401);
  expect_class<PermissionDeniedError>(403);
  expect_class<NotFoundError>(404);
  expect_class<ConflictError>(409);
  expect_class<UnprocessableEntityError>(422);
  expect_class<RateLimitError>(429);
  expect_class<InternalServerError>(500);
  expect_class<InternalServerError>(503);
  expect_class<InternalServerError>(529);
}

TEST(StatusMapping, OtherStatusesAreThePlainStatusError) {
  for (int status : {302, 402, 405, 410, 413, 415, 451}) {
    try {
      throw_status_error(response(status, ""));
    } catch (APIStatusError const& e) {
      EXPECT_EQ(typeid(e), typeid(APIStatusError)) << status;
      EXPECT_EQ(e.status_code(), status);
    }
  }
}

TEST(StatusMapping, HierarchyIsCatchableAtEveryLevel) {
  EXPECT_THROW(throw_status_error(response(429, "")), APIStatusError);
  EXPECT_THROW(throw_status_error(response(429, "")), APIError);
  EXPECT_THROW(throw_status_error(response(429, "")), SmarterError);
  EXPECT_THROW(throw_status_error(response(429, "")), std::runtime_error);
  EXPECT_THROW(throw APITimeoutError("t", "GET", "u", TimeoutKind::read), APIConnectionError);
}

TEST(Messages, SmarterJournalEnvelope) {
  RawResponse r = response(403, read_fixture("error_not_authenticated.json"));
  EXPECT_EQ(describe_error_response(r),
            "Error code: 403 - Smarter api v1 command-line interface error: authentication failed "
            "(SmarterAPIV1CLIViewErrorNotAuthenticated)");
  PermissionDeniedError e(r);
  EXPECT_EQ(e.code(), "SmarterAPIV1CLIViewErrorNotAuthenticated");
  EXPECT_EQ(e.body()["error"]["status"], "403");
}

TEST(Messages, OpenAIStyleError) {
  RawResponse r = response(404, R"({"error":{"message":"No such model","type":"invalid_request_error","param":null,"code":"model_not_found"}})");
  EXPECT_EQ(describe_error_response(r), "Error code: 404 - No such model (invalid_request_error)");
  EXPECT_EQ(NotFoundError(r).code(), "model_not_found");
}

TEST(Messages, PlainErrorString) {
  EXPECT_EQ(describe_error_response(response(404, R"({"error": "User profile not found."})")),
            "Error code: 404 - User profile not found.");
}

TEST(Messages, MessageKeyAndEmptyObject) {
  EXPECT_EQ(describe_error_response(response(403, R"({"message": "Forbidden. Please provide a valid API key."})")),
            "Error code: 403 - Forbidden. Please provide a valid API key.");
  EXPECT_EQ(describe_error_response(response(404, "{}")), "Error code: 404 - Not Found");
  EXPECT_EQ(describe_error_response(response(503, "")), "Error code: 503 - Service Unavailable");
}

TEST(Messages, PlainTextAndHtmlAreShortened) {
  EXPECT_EQ(describe_error_response(response(403, "Forbidden: Invalid or missing authentication credentials.")),
            "Error code: 403 - Forbidden: Invalid or missing authentication credentials.");
  std::string html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>" +
                     std::string(5000, 'x') + "</body></html>";
  EXPECT_EQ(describe_error_response(response(502, html)), "Error code: 502 - 502 Bad Gateway");
  std::string long_text(5000, 'y');
  EXPECT_LT(describe_error_response(response(500, long_text)).size(), 400u);
}

TEST(StatusError, RequestIdFromHeaderThenJournalKey) {
  RawResponse with_header = response(500, "{}", http::Headers{{"X-Request-Id", "req_123"}});
  EXPECT_EQ(InternalServerError(with_header).request_id(), "req_123");
  RawResponse journaled = response(400, R"({"error":{"description":"bad"},"metadata":{"key":"abc123"}})");
  EXPECT_EQ(BadRequestError(journaled).request_id(), "abc123");
  EXPECT_FALSE(BadRequestError(response(400, "oops")).request_id());
  EXPECT_TRUE(BadRequestError(response(400, "oops")).body().is_null());
}

TEST(StatusMapping, NotFoundReportedWithAnotherStatusIsStillNotFound) {
  RawResponse broker = response(503, R"({"error":{"errorClass":"SAMBrokerErrorNotReady","description":"Chatbot nope not found","status":"503"}})");
  EXPECT_TRUE(detail::reads_as_not_found(broker));
  try {
    throw_status_error(broker);
    FAIL();
  } catch (NotFoundError const& e) {
    EXPECT_EQ(e.status_code(), 503) << "the status the server sent is kept";
    EXPECT_EQ(std::string(e.what()).rfind("Not found: Error code: 503 - Chatbot nope not found", 0), 0u) << e.what();
  }
  EXPECT_FALSE(detail::reads_as_not_found(response(503, R"({"error":{"description":"database is down"}})")));
  EXPECT_THROW(throw_status_error(response(503, "upstream not found page")), InternalServerError)
      << "only a JSON error body counts, not any text";
}

TEST(StatusError, KeepsRetryAfterWait) {
  APIStatusError e(response(429, ""), 120.0);
  EXPECT_EQ(e.retry_after(), 120.0);
}

TEST(ConnectionError, KeepsTheCause) {
  APIConnectionError e("Connection error.", "GET", "http://127.0.0.1:1/", 7, "Couldn't connect to server");
  EXPECT_EQ(e.curl_code(), 7);
  EXPECT_EQ(e.cause(), "Couldn't connect to server");
  EXPECT_EQ(e.method(), "GET");
}

}  // namespace
}  // namespace smarter
