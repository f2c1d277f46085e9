#include <smarter/types/fine_tuning.hpp>

#include <smarter/detail/decode.hpp>

#include "types/openai_decode.hpp"

namespace smarter {

using detail::DecodeError;
using detail::merge_extra;
using detail::read_optional;
using detail::read_or_keep;
using detail::read_required;
using detail::openai::read_json;
using detail::openai::read_model;
using detail::openai::write_optional;

namespace {

// Reads a hyperparameter that is either a string ("auto") or a number.
template <class Number>
void read_auto(nlohmann::json const& j, char const* key, std::optional<std::variant<std::string, Number>>& out) {
  out.reset();
  if (!j.is_object()) return;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  if (it->is_string()) {
    out = it->get<std::string>();
  } else if (it->is_number()) {
    out = it->get<Number>();
  } else {
    throw DecodeError(std::string("/") + key, "expected \"auto\" or a number");
  }
}

}  // namespace

// ------------------------------------------------------------------------------ request side

void to_json(nlohmann::json& j, FineTuningHyperparameters const& value) {
  j = nlohmann::json::object();
  write_optional(j, "batch_size", value.batch_size);
  write_optional(j, "learning_rate_multiplier", value.learning_rate_multiplier);
  write_optional(j, "n_epochs", value.n_epochs);
}

void to_json(nlohmann::json& j, DpoHyperparameters const& value) {
  j = nlohmann::json::object();
  write_optional(j, "beta", value.beta);
  write_optional(j, "batch_size", value.batch_size);
  write_optional(j, "learning_rate_multiplier", value.learning_rate_multiplier);
  write_optional(j, "n_epochs", value.n_epochs);
}

void to_json(nlohmann::json& j, FineTuningMethod const& value) {
  j = nlohmann::json{{"type", value.type}};
  if (value.supervised) {
    nlohmann::json supervised = nlohmann::json::object();
    write_optional(supervised, "hyperparameters", value.supervised->hyperparameters);
    j["supervised"] = std::move(supervised);
  }
  if (value.dpo) {
    nlohmann::json dpo = nlohmann::json::object();
    write_optional(dpo, "hyperparameters", value.dpo->hyperparameters);
    j["dpo"] = std::move(dpo);
  }
  merge_extra(j, value.extra);
}

void to_json(nlohmann::json& j, FineTuningIntegration const& value) {
  nlohmann::json wandb{{"project", value.wandb.project}};
  write_optional(wandb, "name", value.wandb.name);
  write_optional(wandb, "entity", value.wandb.entity);
  write_optional(wandb, "tags", value.wandb.tags);
  j = nlohmann::json{{"type", value.type}, {"wandb", std::move(wandb)}};
}

nlohmann::json to_json_body(FineTuningJobCreateParams const& params) {
  nlohmann::json body{{"model", params.model}, {"training_file", params.training_file}};
  write_optional(body, "hyperparameters", params.hyperparameters);
  write_optional(body, "integrations", params.integrations);
  write_optional(body, "metadata", params.metadata);
  write_optional(body, "method", params.method);
  write_optional(body, "seed", params.seed);
  write_optional(body, "suffix", params.suffix);
  write_optional(body, "validation_file", params.validation_file);
  merge_extra(body, params.extra);
  return body;
}

// ------------------------------------------------------------------------------ response side

void from_json(nlohmann::json const& j, FineTuningHyperparameters& out) {
  read_auto(j, "batch_size", out.batch_size);
  read_auto(j, "learning_rate_multiplier", out.learning_rate_multiplier);
  read_auto(j, "n_epochs", out.n_epochs);
}

void from_json(nlohmann::json const& j, DpoHyperparameters& out) {
  read_auto(j, "beta", out.beta);
  read_auto(j, "batch_size", out.batch_size);
  read_auto(j, "learning_rate_multiplier", out.learning_rate_multiplier);
  read_auto(j, "n_epochs", out.n_epochs);
}

void from_json(nlohmann::json const& j, FineTuningMethod& out) {
  read_or_keep(j, "type", out.type);
  out.supervised.reset();
  out.dpo.reset();
  if (auto it = j.find("supervised"); it != j.end() && it->is_object()) {
    SupervisedMethod supervised;
    read_model(*it, "hyperparameters", supervised.hyperparameters);
    out.supervised = std::move(supervised);
  }
  if (auto it = j.find("dpo"); it != j.end() && it->is_object()) {
    DpoMethod dpo;
    read_model(*it, "hyperparameters", dpo.hyperparameters);
    out.dpo = std::move(dpo);
  }
}

void from_json(nlohmann::json const& j, FineTuningJobError& out) {
  read_or_keep(j, "code", out.code);
  read_or_keep(j, "message", out.message);
  read_optional(j, "param", out.param);
}

void from_json(nlohmann::json const& j, FineTuningCheckpointMetrics& out) {
  read_optional(j, "step", out.step);
  read_optional(j, "train_loss", out.train_loss);
  read_optional(j, "train_mean_token_accuracy", out.train_mean_token_accuracy);
  read_optional(j, "valid_loss", out.valid_loss);
  read_optional(j, "valid_mean_token_accuracy", out.valid_mean_token_accuracy);
  read_optional(j, "full_valid_loss", out.full_valid_loss);
  read_optional(j, "full_valid_mean_token_accuracy", out.full_valid_mean_token_accuracy);
}

void from_json(nlohmann::json const& j, FineTuningJob& out) {
  read_required(j, "id", out.id);
  read_or_keep(j, "object", out.object);
  read_required(j, "created_at", out.created_at);
  read_required(j, "model", out.model);
  read_required(j, "status", out.status);
  read_required(j, "training_file", out.training_file);
  read_optional(j, "validation_file", out.validation_file);
  read_optional(j, "fine_tuned_model", out.fine_tuned_model);
  read_optional(j, "finished_at", out.finished_at);
  read_optional(j, "organization_id", out.organization_id);
  read_or_keep(j, "result_files", out.result_files);
  read_optional(j, "trained_tokens", out.trained_tokens);
  read_model(j, "error", out.error);
  read_model(j, "hyperparameters", out.hyperparameters);
  read_model(j, "method", out.method);
  read_optional(j, "seed", out.seed);
  read_optional(j, "estimated_finish", out.estimated_finish);
  read_optional(j, "suffix", out.suffix);
  read_optional(j, "metadata", out.metadata);
}

void from_json(nlohmann::json const& j, FineTuningJobEvent& out) {
  read_required(j, "id", out.id);
  read_or_keep(j, "object", out.object);
  read_required(j, "created_at", out.created_at);
  read_or_keep(j, "level", out.level);
  read_required(j, "message", out.message);
  read_optional(j, "type", out.type);
  read_json(j, "data", out.data);
}

void from_json(nlohmann::json const& j, FineTuningJobCheckpoint& out) {
  read_required(j, "id", out.id);
  read_or_keep(j, "object", out.object);
  read_or_keep(j, "created_at", out.created_at);
  read_or_keep(j, "fine_tuned_model_checkpoint", out.fine_tuned_model_checkpoint);
  read_required(j, "fine_tuning_job_id", out.fine_tuning_job_id);
  read_or_keep(j, "step_number", out.step_number);
  read_model(j, "metrics", out.metrics);
}

}  // namespace smarter
