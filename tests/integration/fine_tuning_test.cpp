// Fine-tuning jobs over real HTTP against the stateful fake: lifecycle, events, checkpoints.
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/errors.hpp>
#include <smarter/resources/fine_tuning.hpp>

#include "openai_fixture.hpp"

namespace smarter {
namespace {

using testkit::FakeResponse;

class FineTuningIT : public test_support::OpenAIFixture {
 protected:
  FineTuningJob create_job() {
    FineTuningJobCreateParams params;
    params.model = "gpt-4o-mini-2024-07-18";
    params.training_file = "file-abc123";
    params.suffix = "custom";
    FineTuningHyperparameters hyper;
    hyper.n_epochs = std::int64_t{3};
    hyper.learning_rate_multiplier = std::string("auto");
    params.method = FineTuningMethod{"supervised", SupervisedMethod{hyper}, std::nullopt, nlohmann::json::object()};
    return client().fine_tuning().jobs().create(params);
  }
};

TEST_F(FineTuningIT, CreateSendsTheOpenApiBodyAndReturnsTheJob) {
  FineTuningJob job = create_job();
  EXPECT_EQ(job.status, "validating_files");
  EXPECT_EQ(job.training_file, "file-abc123");
  EXPECT_TRUE(job.request_id().has_value());
  ASSERT_TRUE(job.method.has_value());
  ASSERT_TRUE(job.method->supervised && job.method->supervised->hyperparameters);
  EXPECT_EQ(std::get<std::int64_t>(*job.method->supervised->hyperparameters->n_epochs), 3);

  auto request = server_->requests().back();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/v1/fine_tuning/jobs");
  EXPECT_EQ(request.json(), nlohmann::json::parse(R"({
    "model": "gpt-4o-mini-2024-07-18", "training_file": "file-abc123", "suffix": "custom",
    "method": {"type": "supervised", "supervised": {"hyperparameters": {"learning_rate_multiplier": "auto", "n_epochs": 3}}}
  })"));
}

TEST_F(FineTuningIT, JobMovesThroughItsStatusesOnRetrieve) {
  FineTuningJob job = create_job();
  auto jobs = client().fine_tuning().jobs();
  std::vector<std::string> statuses;
  for (int i = 0; i < 4; ++i) statuses.push_back(jobs.retrieve(job.id).status);
  EXPECT_EQ(statuses, (std::vector<std::string>{"queued", "running", "succeeded", "succeeded"}));
  FineTuningJob done = jobs.retrieve(job.id);
  ASSERT_TRUE(done.fine_tuned_model.has_value());
  EXPECT_NE(done.fine_tuned_model->find(":custom:"), std::string::npos);
  EXPECT_TRUE(done.finished_at.has_value());
  EXPECT_EQ(done.result_files.size(), 1u);
}

TEST_F(FineTuningIT, RetrieveCancelAndListsSendNoBody) {
  FineTuningJob job = create_job();
  auto jobs = client().fine_tuning().jobs();
  server_->clear_requests();
  (void)jobs.retrieve(job.id);
  (void)jobs.cancel(job.id);
  (void)jobs.list_events(job.id);
  (void)jobs.checkpoints().list(job.id);
  auto requests = server_->requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].path, "/v1/fine_tuning/jobs/" + job.id + "/cancel");
  for (auto const& request : requests) {
    EXPECT_TRUE(request.body.empty()) << request.method << " " << request.path;
    EXPECT_FALSE(request.header("Content-Type").has_value()) << request.method << " " << request.path;
  }
}

TEST_F(FineTuningIT, CancelStopsAJobAndASecondCancelIsABadRequest) {
  FineTuningJob job = create_job();
  auto jobs = client().fine_tuning().jobs();
  EXPECT_EQ(jobs.cancel(job.id).status, "cancelled");
  EXPECT_EQ(jobs.retrieve(job.id).status, "cancelled");
  try {
    (void)jobs.cancel(job.id);
    FAIL() << "expected BadRequestError";
  } catch (BadRequestError const& e) {
    EXPECT_EQ(e.code(), "job_already_completed");
  }
}

TEST_F(FineTuningIT, PauseAndResume) {
  FineTuningJob job = create_job();
  auto jobs = client().fine_tuning().jobs();
  (void)jobs.retrieve(job.id);  // queued
  EXPECT_EQ(jobs.pause(job.id).status, "paused");
  EXPECT_EQ(jobs.resume(job.id).status, "running");
}

TEST_F(FineTuningIT, EventsArePaginatedNewestFirst) {
  FineTuningJob job = create_job();
  auto jobs = client().fine_tuning().jobs();
  while (jobs.retrieve(job.id).status != "succeeded") {
  }
  server_->clear_requests();
  FineTuningPageParams params;
  params.limit = 2;
  std::vector<std::string> messages;
  for (auto const& event : jobs.list_events(job.id, params)) messages.push_back(event.message);
  ASSERT_EQ(messages.size(), 9u);
  EXPECT_EQ(messages.front(), "The job has successfully completed");
  EXPECT_EQ(messages.back(), "Created fine-tuning job: " + job.id);
  EXPECT_EQ(server_->request_count(), 5u);
}

TEST_F(FineTuningIT, CheckpointsListIsPaginated) {
  FineTuningJob job = create_job();
  auto jobs = client().fine_tuning().jobs();
  while (jobs.retrieve(job.id).status != "succeeded") {
  }
  FineTuningPageParams params;
  params.limit = 2;
  auto page = jobs.checkpoints().list(job.id, params);
  EXPECT_EQ(page.data().size(), 2u);
  EXPECT_TRUE(page.has_next_page());
  std::vector<std::int64_t> steps;
  for (auto const& checkpoint : page) {
    steps.push_back(checkpoint.step_number);
    EXPECT_EQ(checkpoint.fine_tuning_job_id, job.id);
    EXPECT_TRUE(checkpoint.metrics.train_loss.has_value());
  }
  EXPECT_EQ(steps, (std::vector<std::int64_t>{30, 20, 10}));
}

TEST_F(FineTuningIT, EmptyJobIdRaisesBeforeAnyRequest) {
  auto jobs = client().fine_tuning().jobs();
  for (auto call : std::vector<std::function<void()>>{
           [&] { (void)jobs.retrieve(""); }, [&] { (void)jobs.cancel(""); }, [&] { (void)jobs.list_events(""); },
           [&] { (void)jobs.checkpoints().list(""); }}) {
    try {
      call();
      FAIL() << "expected SmarterError";
    } catch (SmarterError const& e) {
      EXPECT_EQ(std::string(e.what()), "Expected a non-empty value for `fine_tuning_job_id` but received ''");
    }
  }
  EXPECT_EQ(server_->request_count(), 0u);
}

TEST_F(FineTuningIT, UnknownJobIsNotFound) {
  try {
    (void)client().fine_tuning().jobs().retrieve("ftjob-nope");
    FAIL() << "expected NotFoundError";
  } catch (NotFoundError const& e) {
    EXPECT_EQ(e.status_code(), 404);
    EXPECT_EQ(e.code(), "fine_tune_not_found");
  }
}

TEST_F(FineTuningIT, IdsArePercentEncodedInThePath) {
  EXPECT_THROW((void)client().fine_tuning().jobs().retrieve("a/b"), NotFoundError);
  EXPECT_EQ(server_->requests().back().target, "/v1/fine_tuning/jobs/a%2Fb");
}

TEST_F(FineTuningIT, BodyMissingARequiredFieldRaisesValidationErrorNamingIt) {
  server_->enqueue(FakeResponse::json(200, {{"id", "ftjob-1"}, {"object", "fine_tuning.job"}, {"created_at", 1},
                                            {"model", "m"}, {"training_file", "file-1"}}));
  try {
    (void)client().fine_tuning().jobs().retrieve("ftjob-1");
    FAIL() << "expected APIResponseValidationError";
  } catch (APIResponseValidationError const& e) {
    EXPECT_NE(std::string(e.what()).find("/status"), std::string::npos) << e.what();
  }
}

TEST_F(FineTuningIT, UnknownFieldsAndStatusesSurvive) {
  server_->enqueue(FakeResponse::json(200, {{"id", "ftjob-1"}, {"object", "fine_tuning.job"}, {"created_at", 1},
                                            {"model", "m"}, {"training_file", "file-1"}, {"status", "brand_new_status"},
                                            {"shiny_new_field", {{"a", 1}}}, {"fine_tuned_model", nullptr}}));
  FineTuningJob job = client().fine_tuning().jobs().retrieve("ftjob-1");
  EXPECT_EQ(job.status, "brand_new_status");
  EXPECT_EQ(job.field("shiny_new_field")["a"], 1);
  EXPECT_TRUE(job.is_null("fine_tuned_model"));
  EXPECT_FALSE(job.has_field("finished_at"));
}

}  // namespace
}  // namespace smarter
