// Cursor pagination over real HTTP: lazy page fetches counted from the fake server's log.
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/errors.hpp>
#include <smarter/pagination.hpp>
#include <smarter/resources/fine_tuning.hpp>

#include "openai_fixture.hpp"

namespace smarter {
namespace {

using testkit::FakeResponse;
using testkit::RecordedRequest;

class PaginationIT : public test_support::OpenAIFixture {
 protected:
  // The list requests logged so far.
  std::vector<RecordedRequest> list_requests() const {
    std::vector<RecordedRequest> out;
    for (auto const& request : server_->requests())
      if (request.method == "GET" && request.path == "/v1/fine_tuning/jobs") out.push_back(request);
    return out;
  }
};

TEST_F(PaginationIT, ThousandJobsWithLimit20AreFiftyLazyPageRequests) {
  std::vector<std::string> expected = openai_->seed_jobs(1000);
  Smarter client = this->client();

  FineTuningJobListParams params;
  params.limit = 20;
  auto page = client.fine_tuning().jobs().list(params);
  EXPECT_EQ(list_requests().size(), 1u);

  std::vector<std::string> ids;
  for (auto const& job : page) {
    ids.push_back(job.id);
    // Lazy: the next page is requested only once the 20 items of a page are used up.
    std::size_t pages_needed = (ids.size() + 19) / 20;
    ASSERT_EQ(list_requests().size(), pages_needed) << "after " << ids.size() << " items";
  }
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 1000u);

  auto requests = list_requests();
  ASSERT_EQ(requests.size(), 50u);
  EXPECT_FALSE(requests[0].param("after").has_value());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].param("limit"), "20");
    EXPECT_TRUE(requests[i].body.empty());
    if (i > 0) {
      EXPECT_EQ(requests[i].param("after"), expected[i * 20 - 1]) << "page " << i;
    }
  }
}

TEST_F(PaginationIT, BreakingAfterTwentyItemsMakesOneRequest) {
  openai_->seed_jobs(100);
  FineTuningJobListParams params;
  params.limit = 20;
  int seen = 0;
  for (auto const& job : client().fine_tuning().jobs().list(params)) {
    (void)job;
    if (++seen == 20) break;
  }
  EXPECT_EQ(list_requests().size(), 1u);
}

TEST_F(PaginationIT, SeedSnippetNextPageInfoAndGetNextPage) {
  std::vector<std::string> expected = openai_->seed_jobs(45);
  FineTuningJobListParams params;
  params.limit = 20;
  auto first_page = client().fine_tuning().jobs().list(params);
  ASSERT_TRUE(first_page.has_next_page());
  EXPECT_TRUE(first_page.has_more());
  EXPECT_TRUE(first_page.request_id().has_value());
  std::ostringstream info;
  info << first_page.next_page_info();
  EXPECT_EQ(info.str(), "after=" + expected[19]);

  auto next_page = first_page.get_next_page();
  EXPECT_EQ(next_page.data().size(), 20u);
  EXPECT_EQ(next_page.data().front().id, expected[20]);
  auto last_page = next_page.get_next_page();
  EXPECT_EQ(last_page.data().size(), 5u);
  EXPECT_FALSE(last_page.has_next_page());
  EXPECT_THROW(last_page.get_next_page(), SmarterError);
  EXPECT_EQ(list_requests().size(), 3u);
}

TEST_F(PaginationIT, IterPagesWalksPageByPage) {
  openai_->seed_jobs(50);
  FineTuningJobListParams params;
  params.limit = 20;
  std::vector<std::size_t> sizes;
  for (auto const& page : client().fine_tuning().jobs().list(params).iter_pages()) sizes.push_back(page.data().size());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{20, 20, 10}));
}

TEST_F(PaginationIT, OriginalQueryIsKeptOnLaterPages) {
  Smarter client = this->client();
  for (int i = 0; i < 3; ++i) {
    FineTuningJobCreateParams create;
    create.model = "m";
    create.training_file = "file-1";
    create.metadata = std::map<std::string, std::string>{{"team", i == 1 ? "y" : "x"}};
    (void)client.fine_tuning().jobs().create(create);
  }
  FineTuningJobListParams params;
  params.limit = 1;
  params.metadata = std::map<std::string, std::string>{{"team", "x"}};
  std::vector<std::string> teams;
  for (auto const& job : client.fine_tuning().jobs().list(params)) teams.push_back(job.metadata->at("team"));
  EXPECT_EQ(teams, (std::vector<std::string>{"x", "x"}));
  auto requests = list_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].param("metadata[team]"), "x");
  EXPECT_EQ(requests[1].param("limit"), "1");
  EXPECT_TRUE(requests[1].param("after").has_value());
}

TEST_F(PaginationIT, EmptyPageWithHasMoreAndCursorIsFollowed) {
  server_->enqueue(FakeResponse::json(200, {{"object", "list"},
                                            {"data", {{{"id", "ftjob-a"}, {"object", "fine_tuning.job"}, {"created_at", 1},
                                                       {"model", "m"}, {"status", "succeeded"}, {"training_file", "file-1"}}}},
                                            {"has_more", true},
                                            {"last_id", "ftjob-a"}}));
  server_->enqueue(FakeResponse::json(
      200, {{"object", "list"}, {"data", nlohmann::json::array()}, {"has_more", true}, {"last_id", "cursor-2"}}));
  server_->enqueue(FakeResponse::json(200, {{"object", "list"},
                                            {"data", {{{"id", "ftjob-b"}, {"object", "fine_tuning.job"}, {"created_at", 2},
                                                       {"model", "m"}, {"status", "running"}, {"training_file", "file-1"}}}},
                                            {"has_more", false}}));
  std::vector<std::string> ids;
  for (auto const& job : client().fine_tuning().jobs().list()) ids.push_back(job.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"ftjob-a", "ftjob-b"}));
  auto requests = server_->requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].param("after"), "ftjob-a");
  EXPECT_EQ(requests[2].param("after"), "cursor-2");
}

TEST_F(PaginationIT, RepeatedCursorStopsWithAClearError) {
  nlohmann::json looping{{"object", "list"},
                         {"data", {{{"id", "ftjob-same"}, {"object", "fine_tuning.job"}, {"created_at", 1},
                                    {"model", "m"}, {"status", "succeeded"}, {"training_file", "file-1"}}}},
                         {"has_more", true}};
  for (int i = 0; i < 5; ++i) server_->enqueue(FakeResponse::json(200, looping));
  int seen = 0;
  try {
    for (auto const& job : client().fine_tuning().jobs().list()) {
      (void)job;
      ++seen;
    }
    FAIL() << "expected SmarterError";
  } catch (SmarterError const& e) {
    EXPECT_NE(std::string(e.what()).find("after=ftjob-same"), std::string::npos) << e.what();
  }
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(server_->request_count(), 2u) << "stopped at the first repeat";
}

TEST_F(PaginationIT, BadItemOnALaterPageNamesTheField) {
  openai_->seed_jobs(2);
  server_->enqueue(FakeResponse::json(200, {{"data", {{{"id", "ftjob-x"}, {"object", "fine_tuning.job"}, {"created_at", 1},
                                                       {"model", "m"}, {"status", "running"}, {"training_file", "f"}}}},
                                            {"has_more", true}}));
  server_->enqueue(FakeResponse::json(200, {{"data", {{{"id", "ftjob-y"}}}}, {"has_more", false}}));
  auto page = client().fine_tuning().jobs().list();
  try {
    (void)page.get_next_page();
    FAIL() << "expected APIResponseValidationError";
  } catch (APIResponseValidationError const& e) {
    EXPECT_NE(std::string(e.what()).find("/data/0/"), std::string::npos) << e.what();
  }
}

TEST_F(PaginationIT, ServerLimitErrorIsTyped) {
  FineTuningJobListParams params;
  params.limit = 1000;
  EXPECT_THROW(client().fine_tuning().jobs().list(params), BadRequestError);
}

}  // namespace
}  // namespace smarter
