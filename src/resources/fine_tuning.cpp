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
  detail::RequestSpec spec;
  spec.method = "GET";
  spec.path = std::move(path);
  openai::add_query(spec.query, "after", params.after);
  openai::add_query(spec.query, "limit", params.limit);
  spec.options = options;
  return spec;
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
  detail::RequestSpec spec = page_spec("fine_tuning/jobs", FineTuningPageParams{params.after, params.limit}, options);
  if (params.metadata)
    for (auto const& [key, value] : *params.metadata) spec.query.emplace_back("metadata[" + key + "]", value);
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

FineTuning::FineTuning(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}
FineTuningJobs FineTuning::jobs() const { return FineTuningJobs(core_); }

}  // namespace resources
}  // namespace smarter
