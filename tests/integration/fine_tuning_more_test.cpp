// Checkpoint permissions and the alpha graders over real HTTP, against the stateful fake.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <smarter/errors.hpp>
#include <smarter/resources/fine_tuning.hpp>

#include "openai_fixture.hpp"

namespace smarter {
namespace {

using ::testing::ElementsAre;

constexpr char kCheckpoint[] = "ft:gpt-4o-mini-2024-07-18:org:custom:abc123:ckpt-step-10";

class FineTuningMoreIT : public test_support::OpenAIFixture {
 protected:
  resources::FineTuningCheckpointPermissions permissions() const {
    return client().fine_tuning().checkpoints().permissions();
  }
  std::vector<std::string> projects(FineTuningCheckpointPermissionListParams const& params = {}) const {
    std::vector<std::string> out;
    for (auto const& permission : permissions().list(kCheckpoint, params)) out.push_back(permission.project_id);
    return out;
  }
};

TEST_F(FineTuningMoreIT, PermissionsAreGrantedListedAndRevoked) {
  auto const granted = permissions().create(kCheckpoint, {{"proj_a", "proj_b"}});
  ASSERT_EQ(granted.data().size(), 2u);
  EXPECT_FALSE(granted.has_next_page());
  EXPECT_EQ(granted.data()[0].object, "checkpoint.permission");
  auto const request = server_->requests().back();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/v1/fine_tuning/checkpoints/ft%3Agpt-4o-mini-2024-07-18%3Aorg%3Acustom%3Aabc123%3Ackpt-step-10/permissions");
  EXPECT_EQ(request.json(), (nlohmann::json{{"project_ids", {"proj_a", "proj_b"}}}));
  permissions().create(kCheckpoint, {{"proj_c"}});

  FineTuningCheckpointPermissionListParams params;
  params.limit = 2;
  EXPECT_THAT(projects(params), ElementsAre("proj_c", "proj_b", "proj_a")) << "newest first, across pages";
  params.order = "ascending";
  EXPECT_THAT(projects(params), ElementsAre("proj_a", "proj_b", "proj_c"));
  params.project_id = "proj_b";
  EXPECT_THAT(projects(params), ElementsAre("proj_b"));

  FineTuningCheckpointPermissionDeleted const deleted = permissions().remove(kCheckpoint, granted.data()[1].id);
  EXPECT_TRUE(deleted.deleted);
  EXPECT_EQ(deleted.id, granted.data()[1].id);
  EXPECT_THAT(projects(), ElementsAre("proj_c", "proj_a"));
  EXPECT_THROW(permissions().remove(kCheckpoint, granted.data()[1].id), NotFoundError);
  EXPECT_THROW(permissions().create(kCheckpoint, {}), BadRequestError) << "project_ids is required";
}

TEST_F(FineTuningMoreIT, GrantingIsRetriedAndGrantingTwiceKeepsOnePermission) {
  openai_->fail_next(1, 500, "server_error", "try again");
  auto const first = permissions().create(kCheckpoint, {{"proj_a"}});
  auto const again = permissions().create(kCheckpoint, {{"proj_a"}});
  EXPECT_EQ(first.data().at(0).id, again.data().at(0).id);
  EXPECT_THAT(projects(), ElementsAre("proj_a"));
}

TEST_F(FineTuningMoreIT, AStringCheckGraderGradesTheSampleAgainstTheItem) {
  FineTuningGraderRunParams params;
  params.grader = {{"type", "string_check"}, {"name", "exact"}, {"input", "{{sample.output_text}}"},
                   {"reference", "{{item.answer}}"}, {"operation", "eq"}};
  params.item = nlohmann::json{{"answer", "Paris"}};
  params.model_sample = "Paris";
  auto graders = client().fine_tuning().alpha().graders();
  FineTuningGraderRunResult const right = graders.run(params);
  EXPECT_EQ(right.reward, 1.0);
  EXPECT_EQ(right.metadata["name"], "exact");
  EXPECT_EQ(right.metadata["errors"]["other_error"], false);
  EXPECT_EQ(server_->requests().back().path, "/v1/fine_tuning/alpha/graders/run");
  params.model_sample = "Lyon";
  EXPECT_EQ(graders.run(params).reward, 0.0);
}

TEST_F(FineTuningMoreIT, ValidateReturnsTheGraderOrRefusesIt) {
  auto graders = client().fine_tuning().alpha().graders();
  FineTuningGraderValidateParams params;
  params.grader = {{"type", "text_similarity"}, {"name", "close"}, {"input", "{{sample.output_text}}"},
                   {"reference", "{{item.answer}}"}, {"evaluation_metric", "fuzzy_match"}};
  FineTuningGraderValidation const valid = graders.validate(params);
  ASSERT_TRUE(valid.grader.has_value());
  EXPECT_EQ((*valid.grader)["evaluation_metric"], "fuzzy_match");
  params.grader = {{"type", "no_such_grader"}};
  EXPECT_THROW(graders.validate(params), BadRequestError);
}

}  // namespace
}  // namespace smarter
