// `client.fine_tuning()`: OpenAI-shaped fine-tuning jobs, their events and checkpoints.
#pragma once

#include <memory>
#include <string>

#include <smarter/detail/client_core.hpp>
#include <smarter/export.hpp>
#include <smarter/options.hpp>
#include <smarter/pagination.hpp>
#include <smarter/types/fine_tuning.hpp>

namespace smarter::resources {

/// `client.fine_tuning().jobs().checkpoints()`: GET fine_tuning/jobs/{id}/checkpoints.
class SMARTER_API FineTuningCheckpoints {
 public:
  /// A namespace bound to a client's request machinery.
  explicit FineTuningCheckpoints(std::shared_ptr<detail::ClientCore const> core);

  /// Lists a job's checkpoints, page by page (range-for walks every page lazily).
  CursorPage<FineTuningJobCheckpoint> list(std::string const& fine_tuning_job_id,
                                           FineTuningPageParams const& params = {},
                                           RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

/// `client.fine_tuning().jobs()`: fine_tuning/jobs. Cheap to copy. Calls that take no body
/// (retrieve, cancel, pause, resume, lists) send none; an empty job id raises before any request.
class SMARTER_API FineTuningJobs {
 public:
  /// A namespace bound to a client's request machinery.
  explicit FineTuningJobs(std::shared_ptr<detail::ClientCore const> core);

  /// Starts a job (POST fine_tuning/jobs).
  FineTuningJob create(FineTuningJobCreateParams const& params, RequestOptions const& options = {}) const;
  /// Fetches a job (GET fine_tuning/jobs/{id}).
  FineTuningJob retrieve(std::string const& fine_tuning_job_id, RequestOptions const& options = {}) const;
  /// Lists jobs, newest first. `for (auto const& job : jobs().list({.limit = 20}))` walks every
  /// job of every page, fetching each page only when the previous one is used up.
  CursorPage<FineTuningJob> list(FineTuningJobListParams const& params = {}, RequestOptions const& options = {}) const;
  /// Cancels a job (POST fine_tuning/jobs/{id}/cancel).
  FineTuningJob cancel(std::string const& fine_tuning_job_id, RequestOptions const& options = {}) const;
  /// Pauses a running job (POST fine_tuning/jobs/{id}/pause).
  FineTuningJob pause(std::string const& fine_tuning_job_id, RequestOptions const& options = {}) const;
  /// Resumes a paused job (POST fine_tuning/jobs/{id}/resume).
  FineTuningJob resume(std::string const& fine_tuning_job_id, RequestOptions const& options = {}) const;
  /// Lists a job's events, newest first, page by page (GET fine_tuning/jobs/{id}/events).
  CursorPage<FineTuningJobEvent> list_events(std::string const& fine_tuning_job_id,
                                             FineTuningPageParams const& params = {},
                                             RequestOptions const& options = {}) const;
  /// The job's checkpoints.
  FineTuningCheckpoints checkpoints() const;

 private:
  FineTuningJob post_action(std::string const& fine_tuning_job_id, char const* action,
                            RequestOptions const& options) const;
  std::shared_ptr<detail::ClientCore const> core_;
};

/// `client.fine_tuning().checkpoints().permissions()`: which projects may use a fine-tuned
/// model checkpoint. Cheap to copy.
class SMARTER_API FineTuningCheckpointPermissions {
 public:
  /// A namespace bound to a client's request machinery.
  explicit FineTuningCheckpointPermissions(std::shared_ptr<detail::ClientCore const> core);
  /// Grants the projects of `params` access to `checkpoint` (a fine-tuned model checkpoint name,
  /// "ft:..."); returns the new permissions (one page). Safe to repeat.
  CursorPage<FineTuningCheckpointPermission> create(std::string const& checkpoint,
                                                    FineTuningCheckpointPermissionCreateParams const& params,
                                                    RequestOptions const& options = {}) const;
  /// The permissions of `checkpoint`, page by page.
  CursorPage<FineTuningCheckpointPermission> list(std::string const& checkpoint,
                                                  FineTuningCheckpointPermissionListParams const& params = {},
                                                  RequestOptions const& options = {}) const;
  /// Revokes one permission.
  FineTuningCheckpointPermissionDeleted remove(std::string const& checkpoint, std::string const& permission_id,
                                               RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

/// `client.fine_tuning().checkpoints()`: fine-tuned model checkpoints. Cheap to copy.
class SMARTER_API FineTuningModelCheckpoints {
 public:
  /// A namespace bound to a client's request machinery.
  explicit FineTuningModelCheckpoints(std::shared_ptr<detail::ClientCore const> core);
  /// Who may use a checkpoint.
  FineTuningCheckpointPermissions permissions() const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

/// `client.fine_tuning().alpha().graders()`: run and validate graders (an alpha API). Cheap to copy.
class SMARTER_API FineTuningGraders {
 public:
  /// A namespace bound to a client's request machinery.
  explicit FineTuningGraders(std::shared_ptr<detail::ClientCore const> core);
  /// Grades one model sample (POST fine_tuning/alpha/graders/run). Safe to repeat.
  FineTuningGraderRunResult run(FineTuningGraderRunParams const& params, RequestOptions const& options = {}) const;
  /// Checks a grader (POST fine_tuning/alpha/graders/validate). Safe to repeat.
  FineTuningGraderValidation validate(FineTuningGraderValidateParams const& params,
                                      RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

/// `client.fine_tuning().alpha()`: alpha fine-tuning APIs. Cheap to copy.
class SMARTER_API FineTuningAlpha {
 public:
  /// A namespace bound to a client's request machinery.
  explicit FineTuningAlpha(std::shared_ptr<detail::ClientCore const> core);
  /// Graders.
  FineTuningGraders graders() const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

/// `client.fine_tuning()`. Cheap to copy.
class SMARTER_API FineTuning {
 public:
  /// A namespace bound to a client's request machinery.
  explicit FineTuning(std::shared_ptr<detail::ClientCore const> core);
  /// Fine-tuning jobs.
  FineTuningJobs jobs() const;
  /// Fine-tuned model checkpoints (their permissions).
  FineTuningModelCheckpoints checkpoints() const;
  /// Alpha APIs (graders).
  FineTuningAlpha alpha() const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

}  // namespace smarter::resources
