// Models of the OpenAI-shaped fine-tuning API (fine_tuning/jobs and its events and checkpoints).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/codec.hpp>
#include <smarter/export.hpp>
#include <smarter/model.hpp>

namespace smarter {

/// A hyperparameter that is "auto" or a whole number (e.g. `n_epochs`).
using AutoOrInt = std::variant<std::string, std::int64_t>;
/// A hyperparameter that is "auto" or a number (e.g. `learning_rate_multiplier`).
using AutoOrNumber = std::variant<std::string, double>;

/// Training hyperparameters (supervised method, and the deprecated top-level form).
struct FineTuningHyperparameters {
  std::optional<AutoOrInt> batch_size{};                   ///< Examples per batch.
  std::optional<AutoOrNumber> learning_rate_multiplier{};  ///< Scale of the learning rate.
  std::optional<AutoOrInt> n_epochs{};                     ///< Passes over the training data.
};

/// Hyperparameters of the DPO method.
struct DpoHyperparameters {
  std::optional<AutoOrNumber> beta{};                      ///< Penalty between policy and reference model.
  std::optional<AutoOrInt> batch_size{};                   ///< Examples per batch.
  std::optional<AutoOrNumber> learning_rate_multiplier{};  ///< Scale of the learning rate.
  std::optional<AutoOrInt> n_epochs{};                     ///< Passes over the training data.
};

/// Settings of the supervised method.
struct SupervisedMethod {
  std::optional<FineTuningHyperparameters> hyperparameters{};  ///< Its hyperparameters.
};

/// Settings of the DPO method.
struct DpoMethod {
  std::optional<DpoHyperparameters> hyperparameters{};  ///< Its hyperparameters.
};

/// The fine-tuning method (`method`): "supervised", "dpo" or "reinforcement".
struct FineTuningMethod {
  std::string type = "supervised";           ///< Which method (other values kept as sent).
  std::optional<SupervisedMethod> supervised{};  ///< For "supervised".
  std::optional<DpoMethod> dpo{};              ///< For "dpo".
  nlohmann::json extra = nlohmann::json::object();  ///< Other fields (e.g. `reinforcement`).
};

/// Weights & Biases settings of an integration.
struct WandbIntegration {
  std::string project{};                      ///< The W&B project.
  std::optional<std::string> name{};          ///< Display name of the run.
  std::optional<std::string> entity{};        ///< Team or user.
  std::optional<std::vector<std::string>> tags{};  ///< Run tags.
};

/// An integration to enable for the job (OpenAI supports "wandb").
struct FineTuningIntegration {
  std::string type = "wandb";  ///< "wandb".
  WandbIntegration wandb{};      ///< Its settings.
};

/// Parameters of `fine_tuning().jobs().create` (OpenAI's `CreateFineTuningJobRequest`).
/// Unset fields are not sent; `extra` is merged over the body last.
struct FineTuningJobCreateParams {
  std::string model{};                        ///< Base model to fine-tune (required).
  std::string training_file{};                ///< Id of an uploaded JSONL file (required).
  std::optional<FineTuningHyperparameters> hyperparameters{};  ///< Deprecated upstream: use `method`.
  std::optional<std::vector<FineTuningIntegration>> integrations{};  ///< e.g. W&B.
  std::optional<std::map<std::string, std::string>> metadata{};  ///< Up to 16 key/value pairs.
  std::optional<FineTuningMethod> method{};   ///< Method and its hyperparameters.
  std::optional<std::int64_t> seed{};         ///< For reproducibility.
  std::optional<std::string> suffix{};        ///< Up to 64 characters added to the model name.
  std::optional<std::string> validation_file{};  ///< Id of an uploaded validation file.
  nlohmann::json extra = nlohmann::json::object();  ///< More body fields (merged last, win on clash).
};

/// Parameters of `fine_tuning().jobs().list` (query `after`, `limit`, `metadata[k]`).
struct FineTuningJobListParams {
  std::optional<std::string> after{};  ///< Cursor: the id of the job before the first one wanted.
  std::optional<int> limit{};          ///< Page size (default 20 on the server).
  std::optional<std::map<std::string, std::string>> metadata{};  ///< Only jobs with this metadata.
};

/// Parameters of `list_events` and `checkpoints().list` (query `after`, `limit`).
struct FineTuningPageParams {
  std::optional<std::string> after{};  ///< Cursor: the id of the item before the first one wanted.
  std::optional<int> limit{};          ///< Page size.
};

/// The JSON body of a create-job request (unset fields left out, `extra` merged).
SMARTER_API nlohmann::json to_json_body(FineTuningJobCreateParams const& params);

/// Encodes hyperparameters (unset fields left out).
SMARTER_DECLARE_ENCODER(FineTuningHyperparameters);
/// Encodes DPO hyperparameters (unset fields left out).
SMARTER_DECLARE_ENCODER(DpoHyperparameters);
/// Encodes the supervised method's settings.
SMARTER_DECLARE_ENCODER(SupervisedMethod);
/// Encodes the DPO method's settings.
SMARTER_DECLARE_ENCODER(DpoMethod);
/// Encodes a method: `type` always, the rest when set, `extra` merged last.
SMARTER_DECLARE_ENCODER(FineTuningMethod);
/// Encodes W&B settings (`project` always, the rest when set).
SMARTER_DECLARE_ENCODER(WandbIntegration);
/// Encodes an integration as {"type", "wandb"}.
SMARTER_DECLARE_ENCODER(FineTuningIntegration);
/// Encodes FineTuningJobCreateParams (the same as to_json_body).
SMARTER_DECLARE_ENCODER(FineTuningJobCreateParams);

// ------------------------------------------------------------------------------ response side

/// Why a job failed.
struct FineTuningJobError {
  std::string code{};                 ///< Machine-readable code.
  std::string message{};              ///< What went wrong.
  std::optional<std::string> param{}; ///< The parameter at fault, when one is.
};

/// A fine-tuning job (OpenAI's `FineTuningJob`).
struct SMARTER_API FineTuningJob : Model {
  std::string id{};                                ///< The job id ("ftjob-...").
  std::string object = "fine_tuning.job";        ///< "fine_tuning.job".
  std::int64_t created_at = 0;                   ///< Unix time (seconds).
  std::string model{};                             ///< The base model.
  /// "validating_files", "queued", "running", "succeeded", "failed" or "cancelled" (others kept).
  std::string status{};
  std::string training_file{};                     ///< Training file id.
  std::optional<std::string> validation_file{};    ///< Validation file id.
  std::optional<std::string> fine_tuned_model{};   ///< The resulting model, once succeeded.
  std::optional<std::int64_t> finished_at{};       ///< Unix time it finished.
  std::optional<std::string> organization_id{};    ///< Owner organisation.
  std::vector<std::string> result_files{};         ///< Result file ids.
  std::optional<std::int64_t> trained_tokens{};    ///< Billable tokens, once finished.
  std::optional<FineTuningJobError> error{};       ///< Set when the job failed.
  std::optional<FineTuningHyperparameters> hyperparameters{};  ///< Hyperparameters used.
  std::optional<FineTuningMethod> method{};        ///< The method used.
  std::optional<std::int64_t> seed{};              ///< Seed used.
  std::optional<std::int64_t> estimated_finish{};  ///< Unix time it is expected to finish.
  std::optional<std::string> suffix{};             ///< Model name suffix.
  std::optional<std::map<std::string, std::string>> metadata{};  ///< The job's metadata.
};

/// A progress or status message of a job.
struct SMARTER_API FineTuningJobEvent : Model {
  std::string id{};                               ///< The event id ("ftevent-...").
  std::string object = "fine_tuning.job.event"; ///< "fine_tuning.job.event".
  std::int64_t created_at = 0;                  ///< Unix time (seconds).
  std::string level{};                            ///< "info", "warn" or "error" (others kept).
  std::string message{};                          ///< The message.
  std::optional<std::string> type{};              ///< "message" or "metrics".
  std::optional<nlohmann::json> data{};           ///< Metrics or other details.
};

/// Metrics at a checkpoint.
struct FineTuningCheckpointMetrics {
  std::optional<double> step{};                           ///< Step number.
  std::optional<double> train_loss{};                     ///< Training loss.
  std::optional<double> train_mean_token_accuracy{};      ///< Training token accuracy.
  std::optional<double> valid_loss{};                     ///< Validation loss.
  std::optional<double> valid_mean_token_accuracy{};      ///< Validation token accuracy.
  std::optional<double> full_valid_loss{};                ///< Loss on the full validation set.
  std::optional<double> full_valid_mean_token_accuracy{}; ///< Accuracy on the full validation set.
};

/// A model checkpoint saved during a job.
struct SMARTER_API FineTuningJobCheckpoint : Model {
  std::string id{};                                 ///< The checkpoint id ("ftckpt_...").
  std::string object = "fine_tuning.job.checkpoint";  ///< "fine_tuning.job.checkpoint".
  std::int64_t created_at = 0;                    ///< Unix time (seconds).
  std::string fine_tuned_model_checkpoint{};        ///< The checkpoint's model name.
  std::string fine_tuning_job_id{};                 ///< The job it belongs to.
  std::int64_t step_number = 0;                   ///< Step at which it was saved.
  FineTuningCheckpointMetrics metrics{};            ///< Metrics at that step.
};

/// Access to a fine-tuned model checkpoint granted to a project.
struct SMARTER_API FineTuningCheckpointPermission : Model {
  std::string id{};                              ///< The permission's id ("cp_...").
  std::string object = "checkpoint.permission";  ///< "checkpoint.permission".
  std::int64_t created_at = 0;                   ///< Unix time (seconds).
  std::string project_id{};                      ///< The project granted access.
};

/// The answer to deleting a checkpoint permission.
struct SMARTER_API FineTuningCheckpointPermissionDeleted : Model {
  std::string id{};                              ///< The deleted permission's id.
  std::string object = "checkpoint.permission";  ///< "checkpoint.permission".
  bool deleted = false;                          ///< True when it was deleted.
};

/// Parameters of `checkpoints().permissions().create`.
struct FineTuningCheckpointPermissionCreateParams {
  std::vector<std::string> project_ids{};  ///< The projects to grant access (required).
};

/// Parameters of `checkpoints().permissions().list`.
struct FineTuningCheckpointPermissionListParams {
  std::optional<std::string> after{};       ///< Cursor: the id of the permission before the first one wanted.
  std::optional<int> limit{};               ///< Page size (10 by default).
  std::optional<std::string> order{};       ///< "descending" (the default) or "ascending".
  std::optional<std::string> project_id{};  ///< Only this project's permission.
};

/// Parameters of `alpha().graders().run`: grade one model sample. A grader is a JSON object of
/// one of the API's grader types (`string_check`, `text_similarity`, `python`, `score_model`,
/// `multi`), kept as JSON here.
struct FineTuningGraderRunParams {
  nlohmann::json grader = nlohmann::json::object();  ///< The grader (required).
  std::string model_sample{};                        ///< The model output to grade (required).
  std::optional<nlohmann::json> item{};              ///< The dataset item the grader's templates refer to.
  nlohmann::json extra = nlohmann::json::object();   ///< More body fields (merged last, win on clash).
};

/// The outcome of `alpha().graders().run`.
struct SMARTER_API FineTuningGraderRunResult : Model {
  double reward = 0;                               ///< The grade.
  nlohmann::json metadata{};                       ///< Name, type, timings and the error flags.
  nlohmann::json sub_rewards{};                    ///< The grades of a multi grader's parts.
  nlohmann::json model_grader_token_usage_per_model{};  ///< Tokens a model grader used, per model.
};

/// Parameters of `alpha().graders().validate`.
struct FineTuningGraderValidateParams {
  nlohmann::json grader = nlohmann::json::object();  ///< The grader to check (required).
};

/// The outcome of `alpha().graders().validate`: the grader as the API understood it.
struct SMARTER_API FineTuningGraderValidation : Model {
  std::optional<nlohmann::json> grader{};  ///< The validated grader.
};

/// Encodes a FineTuningCheckpointPermissionCreateParams.
SMARTER_DECLARE_ENCODER(FineTuningCheckpointPermissionCreateParams);
/// Encodes a FineTuningGraderRunParams.
SMARTER_DECLARE_ENCODER(FineTuningGraderRunParams);
/// Encodes a FineTuningGraderValidateParams.
SMARTER_DECLARE_ENCODER(FineTuningGraderValidateParams);
/// Decodes a FineTuningCheckpointPermission.
SMARTER_DECLARE_CODEC(FineTuningCheckpointPermission);
/// Decodes a FineTuningCheckpointPermissionDeleted.
SMARTER_DECLARE_CODEC(FineTuningCheckpointPermissionDeleted);
/// Decodes a FineTuningGraderRunResult.
SMARTER_DECLARE_CODEC(FineTuningGraderRunResult);
/// Decodes a FineTuningGraderValidation.
SMARTER_DECLARE_CODEC(FineTuningGraderValidation);

/// Decodes hyperparameters; each is "auto" (a string) or a number.
SMARTER_DECLARE_CODEC(FineTuningHyperparameters);
/// Decodes DPO hyperparameters; each is "auto" (a string) or a number.
SMARTER_DECLARE_CODEC(DpoHyperparameters);
/// Decodes the supervised method's settings.
SMARTER_DECLARE_CODEC(SupervisedMethod);
/// Decodes the DPO method's settings.
SMARTER_DECLARE_CODEC(DpoMethod);
/// Decodes a method (`extra` is not filled; unknown method fields stay in the job's JSON).
SMARTER_DECLARE_CODEC(FineTuningMethod);
/// Decodes a job error.
SMARTER_DECLARE_CODEC(FineTuningJobError);
/// Decodes checkpoint metrics.
SMARTER_DECLARE_CODEC(FineTuningCheckpointMetrics);
/// Decodes a FineTuningJob; `id`, `created_at`, `model`, `status` and `training_file` are required.
SMARTER_DECLARE_CODEC(FineTuningJob);
/// Decodes a FineTuningJobEvent; `id`, `created_at` and `message` are required.
SMARTER_DECLARE_CODEC(FineTuningJobEvent);
/// Decodes a FineTuningJobCheckpoint; `id` and `fine_tuning_job_id` are required.
SMARTER_DECLARE_CODEC(FineTuningJobCheckpoint);

}  // namespace smarter
