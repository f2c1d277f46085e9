#include <smarter/resources/fine_tuning.hpp>

#include <utility>

#include <smarter/client.hpp>
#include <smarter/detail/decode.hpp>

#include "resources/openai_paths.hpp"

namespace smarter {

namespace resources {

namespace {

std::string job_path(std::string const& job_id, char const* suffix = "") {
  return "fine_tuning/jobs/" + detail::path_segment("fine_tuning_job_id", job_id) + suffix;
}

// A GET list request with the cursor parameters of `params`.
detail::RequestSpec page_spec(std::string path, FineTuningPageParams const& params, RequestOptions const& options) {
  return openai::cursor_list(std::move(path), params.after, params.limit, std::nullopt, options);
}

}  // namespace

FineTuningCheckpoints::FineTuningCheckpoints(std::shared_ptr<detail::ClientCore const> core)
    : core_(std::move(core)) {}

CursorPage<FineTuningJobCheckpoint> FineTuningCheckpoints::list(std::string const& fine_tuning_job_id,
                                                                FineTuningPageParams const& params,
                                                                RequestOptions const& options) const {
  return detail::fetch_cursor_page<FineTuningJobCheckpoint>(
      core_, page_spec(job_path(fine_tuning_job_id, "/checkpoints"), params, options));
}

FineTuningJobs::FineTuningJobs(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

FineTuningJob FineTuningJobs::create(FineTuningJobCreateParams const& params, RequestOptions const& options) const {
  detail::RequestSpec spec;
  spec.method = "POST";
  spec.idempotency = detail::Idempotency::with_key;  // its Idempotency-Key makes a repeat safe
  spec.path = "fine_tuning/jobs";
  spec.json_body = to_json_body(params);
  spec.options = options;
  return detail::decode_response<FineTuningJob>(core_->execute(spec));
}

FineTuningJob FineTuningJobs::retrieve(std::string const& fine_tuning_job_id, RequestOptions const& options) const {
  detail::RequestSpec spec;
  spec.method = "GET";
  spec.path = job_path(fine_tuning_job_id);
  spec.options = options;
  return detail::decode_response<FineTuningJob>(core_->execute(spec));
}

CursorPage<FineTuningJob> FineTuningJobs::list(FineTuningJobListParams const& params,
                                               RequestOptions const& options) const {
  detail::RequestSpec spec = openai::cursor_list("fine_tuning/jobs", params.after, params.limit, std::nullopt, options);
  openai::add_metadata_query(spec.query, params.metadata);
  return detail::fetch_cursor_page<FineTuningJob>(core_, std::move(spec));
}

FineTuningJob FineTuningJobs::post_action(std::string const& fine_tuning_job_id, char const* action,
                                          RequestOptions const& options) const {
  detail::RequestSpec spec;
  spec.method = "POST";
  spec.idempotency = detail::Idempotency::with_key;  // its Idempotency-Key makes a repeat safe
  spec.path = job_path(fine_tuning_job_id, action);
  spec.options = options;  // no json_body: these endpoints take no body
  return detail::decode_response<FineTuningJob>(core_->execute(spec));
}

FineTuningJob FineTuningJobs::cancel(std::string const& fine_tuning_job_id, RequestOptions const& options) const {
  return post_action(fine_tuning_job_id, "/cancel", options);
}

FineTuningJob FineTuningJobs::pause(std::string const& fine_tuning_job_id, RequestOptions const& options) const {
  return post_action(fine_tuning_job_id, "/pause", options);
}

FineTuningJob FineTuningJobs::resume(std::string const& fine_tuning_job_id, RequestOptions const& options) const {
  return post_action(fine_tuning_job_id, "/resume", options);
}

CursorPage<FineTuningJobEvent> FineTuningJobs::list_events(std::string const& fine_tuning_job_id,
                                                           FineTuningPageParams const& params,
                                                           RequestOptions const& options) const {
  return detail::fetch_cursor_page<FineTuningJobEvent>(
      core_, page_spec(job_path(fine_tuning_job_id, "/events"), params, options));
}

FineTuningCheckpoints FineTuningJobs::checkpoints() const { return FineTuningCheckpoints(core_); }

namespace {

std::string permissions_path(std::string const& checkpoint, std::string const& permission_id = {}) {
  std::string path = "fine_tuning/checkpoints/" + detail::path_segment("fine_tuned_model_checkpoint", checkpoint) +
                     "/permissions";
  if (!permission_id.empty()) path += "/" + detail::path_segment("permission_id", permission_id);
  return path;
}

}  // namespace

FineTuningCheckpointPermissions::FineTuningCheckpointPermissions(std::shared_ptr<detail::ClientCore const> core)
    : core_(std::move(core)) {}

CursorPage<FineTuningCheckpointPermission> FineTuningCheckpointPermissions::create(
    std::string const& checkpoint, FineTuningCheckpointPermissionCreateParams const& params,
    RequestOptions const& options) const {
  RawResponse response =
      core_->execute(openai::repeatable_post(permissions_path(checkpoint), nlohmann::json(params), options));
  std::optional<std::string> request_id = response.request_id();
  // The answer is one list; there is nothing to page through.
  CursorPage<FineTuningCheckpointPermission> page =
      detail::decode_list_response<FineTuningCheckpointPermission>(std::move(response), nullptr);
  return CursorPage<FineTuningCheckpointPermission>::single(page.data(), std::move(request_id));
}

CursorPage<FineTuningCheckpointPermission> FineTuningCheckpointPermissions::list(
    std::string const& checkpoint, FineTuningCheckpointPermissionListParams const& params,
    RequestOptions const& options) const {
  detail::RequestSpec spec =
      openai::cursor_list(permissions_path(checkpoint), params.after, params.limit, params.order, options);
  openai::add_query(spec.query, "project_id", params.project_id);
  return detail::fetch_cursor_page<FineTuningCheckpointPermission>(core_, std::move(spec));
}

FineTuningCheckpointPermissionDeleted FineTuningCheckpointPermissions::remove(std::string const& checkpoint,
                                                                              std::string const& permission_id,
                                                                              RequestOptions const& options) const {
  detail::RequestSpec spec;
  spec.method = "DELETE";
  spec.path = permissions_path(checkpoint, permission_id);
  spec.options = options;
  return detail::decode_response<FineTuningCheckpointPermissionDeleted>(core_->execute(spec));
}

FineTuningModelCheckpoints::FineTuningModelCheckpoints(std::shared_ptr<detail::ClientCore const> core)
    : core_(std::move(core)) {}
FineTuningCheckpointPermissions FineTuningModelCheckpoints::permissions() const {
  return FineTuningCheckpointPermissions(core_);
}

FineTuningGraders::FineTuningGraders(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

FineTuningGraderRunResult FineTuningGraders::run(FineTuningGraderRunParams const& params,
                                                 RequestOptions const& options) const {
  return detail::decode_response<FineTuningGraderRunResult>(
      core_->execute(openai::repeatable_post("fine_tuning/alpha/graders/run", nlohmann::json(params), options)));
}

FineTuningGraderValidation FineTuningGraders::validate(FineTuningGraderValidateParams const& params,
                                                       RequestOptions const& options) const {
  return detail::decode_response<FineTuningGraderValidation>(
      core_->execute(openai::repeatable_post("fine_tuning/alpha/graders/validate", nlohmann::json(params), options)));
}

FineTuningAlpha::FineTuningAlpha(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}
FineTuningGraders FineTuningAlpha::graders() const { return FineTuningGraders(core_); }

FineTuning::FineTuning(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}
FineTuningJobs FineTuning::jobs() const { return FineTuningJobs(core_); }
FineTuningModelCheckpoints FineTuning::checkpoints() const { return FineTuningModelCheckpoints(core_); }
FineTuningAlpha FineTuning::alpha() const { return FineTuningAlpha(core_); }

}  // namespace resources
}  // namespace smarter
