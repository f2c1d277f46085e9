// The fine-tuning models' and params' field tables.
#include <smarter/types/fine_tuning.hpp>

namespace smarter::detail {

template <>
struct Schema<FineTuningHyperparameters> {
  using T = FineTuningHyperparameters;
  static constexpr auto fields =
      std::make_tuple(field("batch_size", &T::batch_size),
                      field("learning_rate_multiplier", &T::learning_rate_multiplier), field("n_epochs", &T::n_epochs));
};

template <>
struct Schema<DpoHyperparameters> {
  using T = DpoHyperparameters;
  static constexpr auto fields =
      std::make_tuple(field("beta", &T::beta), field("batch_size", &T::batch_size),
                      field("learning_rate_multiplier", &T::learning_rate_multiplier), field("n_epochs", &T::n_epochs));
};

template <>
struct Schema<SupervisedMethod> {
  static constexpr auto fields = std::make_tuple(field("hyperparameters", &SupervisedMethod::hyperparameters));
};

template <>
struct Schema<DpoMethod> {
  static constexpr auto fields = std::make_tuple(field("hyperparameters", &DpoMethod::hyperparameters));
};

template <>
struct Schema<FineTuningMethod> {
  using T = FineTuningMethod;
  static constexpr auto fields = std::make_tuple(field("type", &T::type), field("supervised", &T::supervised),
                                                 field("dpo", &T::dpo), extra(&T::extra));
};

template <>
struct Schema<WandbIntegration> {
  using T = WandbIntegration;
  static constexpr auto fields = std::make_tuple(required("project", &T::project), field("name", &T::name),
                                                 field("entity", &T::entity), field("tags", &T::tags));
};

template <>
struct Schema<FineTuningIntegration> {
  static constexpr auto fields = std::make_tuple(required("type", &FineTuningIntegration::type),
                                                 required("wandb", &FineTuningIntegration::wandb));
};

template <>
struct Schema<FineTuningJobCreateParams> {
  using T = FineTuningJobCreateParams;
  static constexpr auto fields = std::make_tuple(
      required("model", &T::model), required("training_file", &T::training_file),
      field("hyperparameters", &T::hyperparameters), field("integrations", &T::integrations),
      field("metadata", &T::metadata), field("method", &T::method), field("seed", &T::seed),
      field("suffix", &T::suffix), field("validation_file", &T::validation_file), extra(&T::extra));
};

template <>
struct Schema<FineTuningJobError> {
  using T = FineTuningJobError;
  static constexpr auto fields =
      std::make_tuple(field("code", &T::code), field("message", &T::message), field("param", &T::param));
};

template <>
struct Schema<FineTuningCheckpointMetrics> {
  using T = FineTuningCheckpointMetrics;
  static constexpr auto fields = std::make_tuple(
      field("step", &T::step), field("train_loss", &T::train_loss),
      field("train_mean_token_accuracy", &T::train_mean_token_accuracy), field("valid_loss", &T::valid_loss),
      field("valid_mean_token_accuracy", &T::valid_mean_token_accuracy),
      field("full_valid_loss", &T::full_valid_loss),
      field("full_valid_mean_token_accuracy", &T::full_valid_mean_token_accuracy));
};

template <>
struct Schema<FineTuningJob> {
  using T = FineTuningJob;
  static constexpr auto fields = std::make_tuple(
      required("id", &T::id), field("object", &T::object), required("created_at", &T::created_at),
      required("model", &T::model), required("status", &T::status), required("training_file", &T::training_file),
      field("validation_file", &T::validation_file), field("fine_tuned_model", &T::fine_tuned_model),
      field("finished_at", &T::finished_at), field("organization_id", &T::organization_id),
      field("result_files", &T::result_files), field("trained_tokens", &T::trained_tokens),
      field("error", &T::error), field("hyperparameters", &T::hyperparameters), field("method", &T::method),
      field("seed", &T::seed), field("estimated_finish", &T::estimated_finish), field("suffix", &T::suffix),
      field("metadata", &T::metadata));
};

template <>
struct Schema<FineTuningJobEvent> {
  using T = FineTuningJobEvent;
  static constexpr auto fields =
      std::make_tuple(required("id", &T::id), field("object", &T::object), required("created_at", &T::created_at),
                      field("level", &T::level), required("message", &T::message), field("type", &T::type),
                      field("data", &T::data));
};

template <>
struct Schema<FineTuningCheckpointPermission> {
  using T = FineTuningCheckpointPermission;
  static constexpr auto fields = std::make_tuple(required("id", &T::id), field("object", &T::object),
                                                 field("created_at", &T::created_at),
                                                 required("project_id", &T::project_id));
};
template <>
struct Schema<FineTuningCheckpointPermissionDeleted> {
  using T = FineTuningCheckpointPermissionDeleted;
  static constexpr auto fields =
      std::make_tuple(required("id", &T::id), field("object", &T::object), required("deleted", &T::deleted));
};
template <>
struct Schema<FineTuningCheckpointPermissionCreateParams> {
  using T = FineTuningCheckpointPermissionCreateParams;
  static constexpr auto fields = std::make_tuple(required("project_ids", &T::project_ids));
};
template <>
struct Schema<FineTuningGraderRunParams> {
  using T = FineTuningGraderRunParams;
  static constexpr auto fields = std::make_tuple(required("grader", &T::grader),
                                                 required("model_sample", &T::model_sample),
                                                 field("item", &T::item), extra(&T::extra));
};
template <>
struct Schema<FineTuningGraderRunResult> {
  using T = FineTuningGraderRunResult;
  static constexpr auto fields = std::make_tuple(
      required("reward", &T::reward), field("metadata", &T::metadata), field("sub_rewards", &T::sub_rewards),
      field("model_grader_token_usage_per_model", &T::model_grader_token_usage_per_model));
};
template <>
struct Schema<FineTuningGraderValidateParams> {
  using T = FineTuningGraderValidateParams;
  static constexpr auto fields = std::make_tuple(required("grader", &T::grader));
};
template <>
struct Schema<FineTuningGraderValidation> {
  using T = FineTuningGraderValidation;
  static constexpr auto fields = std::make_tuple(field("grader", &T::grader));
};
template <>
struct Schema<FineTuningJobCheckpoint> {
  using T = FineTuningJobCheckpoint;
  static constexpr auto fields = std::make_tuple(
      required("id", &T::id), field("object", &T::object), field("created_at", &T::created_at),
      field("fine_tuned_model_checkpoint", &T::fine_tuned_model_checkpoint),
      required("fine_tuning_job_id", &T::fine_tuning_job_id), field("step_number", &T::step_number),
      field("metrics", &T::metrics));
};

}  // namespace smarter::detail

namespace smarter {

// ------------------------------------------------------------------------------ request side

SMARTER_DEFINE_ENCODER(FineTuningHyperparameters)
SMARTER_DEFINE_ENCODER(DpoHyperparameters)
SMARTER_DEFINE_ENCODER(SupervisedMethod)
SMARTER_DEFINE_ENCODER(DpoMethod)
SMARTER_DEFINE_ENCODER(WandbIntegration)
SMARTER_DEFINE_ENCODER(FineTuningIntegration)

// `type` is sent even when empty (the table sends an optional field only when set); `extra`
// still wins over it.
void encode_to(nlohmann::json& j, FineTuningMethod const& value) {
  j = nlohmann::json{{"type", value.type}};
  detail::encode_fields(j, value);
}
void to_json(nlohmann::json& j, FineTuningMethod const& value) { encode_to(j, value); }

SMARTER_DEFINE_ENCODER(FineTuningJobCreateParams)

nlohmann::json to_json_body(FineTuningJobCreateParams const& params) {
  nlohmann::json body;
  encode_to(body, params);
  return body;
}

// ------------------------------------------------------------------------------ response side

SMARTER_DEFINE_CODEC(FineTuningHyperparameters)
SMARTER_DEFINE_CODEC(DpoHyperparameters)
SMARTER_DEFINE_CODEC(SupervisedMethod)
SMARTER_DEFINE_CODEC(DpoMethod)
SMARTER_DEFINE_CODEC(FineTuningMethod)
SMARTER_DEFINE_CODEC(FineTuningJobError)
SMARTER_DEFINE_CODEC(FineTuningCheckpointMetrics)
SMARTER_DEFINE_CODEC(FineTuningJob)
SMARTER_DEFINE_CODEC(FineTuningJobEvent)
SMARTER_DEFINE_CODEC(FineTuningJobCheckpoint)
SMARTER_DEFINE_CODEC(FineTuningCheckpointPermission)
SMARTER_DEFINE_CODEC(FineTuningCheckpointPermissionDeleted)
SMARTER_DEFINE_CODEC(FineTuningGraderRunResult)
SMARTER_DEFINE_CODEC(FineTuningGraderValidation)
SMARTER_DEFINE_ENCODER(FineTuningCheckpointPermissionCreateParams)
SMARTER_DEFINE_ENCODER(FineTuningGraderRunParams)
SMARTER_DEFINE_ENCODER(FineTuningGraderValidateParams)

}  // namespace smarter
