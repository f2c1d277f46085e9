// The namespaces of AsyncSmarter: the methods of the synchronous namespaces, by the same names,
// each returning a Future. Parameters are taken by value: the call outlives the caller's frame.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include <smarter/async/client.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/resources/chatbots.hpp>
#include <smarter/resources/files.hpp>
#include <smarter/resources/fine_tuning.hpp>
#include <smarter/resources/manifests.hpp>
#include <smarter/resources/plugins.hpp>
#include <smarter/resources/resources.hpp>
#include <smarter/resources/responses.hpp>

namespace smarter::async {

/// `client.chat().completions().messages()`, asynchronous.
class ChatCompletionMessages {
 public:
  /// A namespace bound to an async client.
  explicit ChatCompletionMessages(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::ChatCompletionMessages::list.
  Future<CursorPage<ChatCompletionStoreMessage>> list(std::string completion_id,
                                                      ChatCompletionMessageListParams params = {},
                                                      RequestOptions options = {}) const {
    return binding_.run(
        [=](Smarter const& c) { return c.chat().completions().messages().list(completion_id, params, options); });
  }

 private:
  detail::AsyncBinding binding_;
};

/// `client.chat().completions()`, asynchronous.
class ChatCompletions {
 public:
  /// A namespace bound to an async client.
  explicit ChatCompletions(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::ChatCompletions::create.
  Future<ChatCompletion> create(ChatCompletionCreateParams params, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.chat().completions().create(params, options); });
  }
  /// See resources::ChatCompletions::create_stream; the future is ready once the response's
  /// status and headers are in (HTTP errors fail it), then the chunks are read on demand.
  Future<AsyncStream<ChatCompletionChunk>> create_stream(ChatCompletionCreateParams params,
                                                         RequestOptions options = {}) const {
    return detail::run_stream<ChatCompletionChunk>(
        binding_, [=](Smarter const& c) { return c.chat().completions().create_stream(params, options); });
  }
  /// See resources::ChatCompletions::parse.
  template <class T>
  Future<ParsedChatCompletion<T>> parse(ChatCompletionCreateParams params, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.chat().completions().template parse<T>(params, options); });
  }
  /// See resources::ChatCompletions::run_tools. The handlers run on the I/O thread.
  Future<ToolRunResult> run_tools(ChatCompletionCreateParams params, std::map<std::string, ToolHandler> handlers,
                                  int max_steps = 10, RequestOptions options = {}) const {
    return binding_.run(
        [=](Smarter const& c) { return c.chat().completions().run_tools(params, handlers, max_steps, options); });
  }
  /// See resources::ChatCompletions::list.
  Future<CursorPage<ChatCompletion>> list(ChatCompletionListParams params = {}, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.chat().completions().list(params, options); });
  }
  /// See resources::ChatCompletions::retrieve.
  Future<ChatCompletion> retrieve(std::string completion_id, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.chat().completions().retrieve(completion_id, options); });
  }
  /// See resources::ChatCompletions::update.
  Future<ChatCompletion> update(std::string completion_id, ChatCompletionUpdateParams params,
                                RequestOptions options = {}) const {
    return binding_.run(
        [=](Smarter const& c) { return c.chat().completions().update(completion_id, params, options); });
  }
  /// See resources::ChatCompletions::remove.
  Future<ChatCompletionDeleted> remove(std::string completion_id, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.chat().completions().remove(completion_id, options); });
  }
  /// The messages of stored completions.
  ChatCompletionMessages messages() const { return ChatCompletionMessages(binding_); }

 private:
  detail::AsyncBinding binding_;
};

/// `client.chat().responses()`, asynchronous.
class ChatResponses {
 public:
  /// A namespace bound to an async client.
  explicit ChatResponses(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::ChatResponses::create.
  Future<Response> create(ChatResponseCreateParams params, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.chat().responses().create(params, options); });
  }
  /// See resources::ChatResponses::create_stream; the future is ready once the response's status
  /// and headers are in (HTTP errors fail it), then the events are read on demand.
  Future<AsyncStream<ResponseStreamEvent>> create_stream(ChatResponseCreateParams params,
                                                         RequestOptions options = {}) const {
    return detail::run_stream<ResponseStreamEvent>(
        binding_, [=](Smarter const& c) { return c.chat().responses().create_stream(params, options); });
  }

 private:
  detail::AsyncBinding binding_;
};

/// `client.chat()`, asynchronous.
class Chat {
 public:
  /// A namespace bound to an async client.
  explicit Chat(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// Chat completions.
  ChatCompletions completions() const { return ChatCompletions(binding_); }
  /// The Responses API under its chat spelling.
  ChatResponses responses() const { return ChatResponses(binding_); }

 private:
  detail::AsyncBinding binding_;
};

/// `client.responses().input_items()`, asynchronous.
class ResponseInputItems {
 public:
  /// A namespace bound to an async client.
  explicit ResponseInputItems(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::ResponseInputItems::list.
  Future<CursorPage<ResponseItem>> list(std::string response_id, ResponseInputItemListParams params = {},
                                        RequestOptions options = {}) const {
    return binding_.run(
        [=](Smarter const& c) { return c.responses().input_items().list(response_id, params, options); });
  }

 private:
  detail::AsyncBinding binding_;
};

/// `client.responses().input_tokens()`, asynchronous.
class ResponseInputTokenCounts {
 public:
  /// A namespace bound to an async client.
  explicit ResponseInputTokenCounts(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::ResponseInputTokenCounts::count.
  Future<ResponseInputTokens> count(ResponseInputTokensParams params, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.responses().input_tokens().count(params, options); });
  }

 private:
  detail::AsyncBinding binding_;
};

/// `client.responses()`, asynchronous.
class Responses {
 public:
  /// A namespace bound to an async client.
  explicit Responses(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::Responses::create.
  Future<Response> create(ResponseCreateParams params, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.responses().create(params, options); });
  }
  /// See resources::Responses::create_stream; the future is ready once the response's status and
  /// headers are in (HTTP errors fail it), then the events are read on demand.
  Future<AsyncStream<ResponseStreamEvent>> create_stream(ResponseCreateParams params,
                                                         RequestOptions options = {}) const {
    return detail::run_stream<ResponseStreamEvent>(
        binding_, [=](Smarter const& c) { return c.responses().create_stream(params, options); });
  }
  /// See resources::Responses::parse.
  template <class T>
  Future<ParsedResponse<T>> parse(ResponseCreateParams params, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.responses().template parse<T>(params, options); });
  }
  /// See resources::Responses::retrieve.
  Future<Response> retrieve(std::string response_id, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.responses().retrieve(response_id, options); });
  }
  /// See resources::Responses::retrieve (with query parameters).
  Future<Response> retrieve(std::string response_id, ResponseRetrieveParams params,
                            RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.responses().retrieve(response_id, params, options); });
  }
  /// See resources::Responses::retrieve_stream; the future is ready once the response's status
  /// and headers are in (HTTP errors fail it), then the events are read on demand.
  Future<AsyncStream<ResponseStreamEvent>> retrieve_stream(std::string response_id,
                                                           ResponseRetrieveParams params = {},
                                                           RequestOptions options = {}) const {
    return detail::run_stream<ResponseStreamEvent>(
        binding_, [=](Smarter const& c) { return c.responses().retrieve_stream(response_id, params, options); });
  }
  /// See resources::Responses::remove; the future completes with no value.
  Future<void> remove(std::string response_id, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { c.responses().remove(response_id, options); });
  }
  /// See resources::Responses::cancel.
  Future<Response> cancel(std::string response_id, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.responses().cancel(response_id, options); });
  }
  /// See resources::Responses::compact.
  Future<ResponseCompaction> compact(ResponseCompactParams params, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.responses().compact(params, options); });
  }
  /// The input items of stored responses.
  ResponseInputItems input_items() const { return ResponseInputItems(binding_); }
  /// Input token counting.
  ResponseInputTokenCounts input_tokens() const { return ResponseInputTokenCounts(binding_); }

 private:
  detail::AsyncBinding binding_;
};

/// `client.files()`, asynchronous.
class Files {
 public:
  /// A namespace bound to an async client.
  explicit Files(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::Files::create.
  Future<FileObject> create(FileCreateParams params, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.files().create(params, options); });
  }
  /// See resources::Files::list.
  Future<CursorPage<FileObject>> list(FileListParams params = {}, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.files().list(params, options); });
  }
  /// See resources::Files::retrieve.
  Future<FileObject> retrieve(std::string file_id, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.files().retrieve(file_id, options); });
  }
  /// See resources::Files::remove.
  Future<FileDeleted> remove(std::string file_id, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.files().remove(file_id, options); });
  }
  /// See resources::Files::content.
  Future<std::string> content(std::string file_id, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.files().content(file_id, options); });
  }
  /// See resources::Files::content_to_path.
  Future<FileDownload> content_to_path(std::string file_id, std::filesystem::path path,
                                       RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.files().content_to_path(file_id, path, options); });
  }
  /// See resources::Files::content_to_sink. The sink is called on the I/O thread.
  Future<FileDownload> content_to_sink(std::string file_id, ByteSink sink, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.files().content_to_sink(file_id, sink, options); });
  }

 private:
  detail::AsyncBinding binding_;
};

/// `client.fine_tuning().jobs().checkpoints()`, asynchronous.
class FineTuningCheckpoints {
 public:
  /// A namespace bound to an async client.
  explicit FineTuningCheckpoints(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::FineTuningCheckpoints::list.
  Future<CursorPage<FineTuningJobCheckpoint>> list(std::string fine_tuning_job_id, FineTuningPageParams params = {},
                                                   RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) {
      return c.fine_tuning().jobs().checkpoints().list(fine_tuning_job_id, params, options);
    });
  }

 private:
  detail::AsyncBinding binding_;
};

/// `client.fine_tuning().jobs()`, asynchronous.
class FineTuningJobs {
 public:
  /// A namespace bound to an async client.
  explicit FineTuningJobs(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::FineTuningJobs::create.
  Future<FineTuningJob> create(FineTuningJobCreateParams params, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.fine_tuning().jobs().create(params, options); });
  }
  /// See resources::FineTuningJobs::retrieve.
  Future<FineTuningJob> retrieve(std::string fine_tuning_job_id, RequestOptions options = {}) const {
    return binding_.run(
        [=](Smarter const& c) { return c.fine_tuning().jobs().retrieve(fine_tuning_job_id, options); });
  }
  /// See resources::FineTuningJobs::list.
  Future<CursorPage<FineTuningJob>> list(FineTuningJobListParams params = {}, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.fine_tuning().jobs().list(params, options); });
  }
  /// See resources::FineTuningJobs::cancel.
  Future<FineTuningJob> cancel(std::string fine_tuning_job_id, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.fine_tuning().jobs().cancel(fine_tuning_job_id, options); });
  }
  /// See resources::FineTuningJobs::pause.
  Future<FineTuningJob> pause(std::string fine_tuning_job_id, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.fine_tuning().jobs().pause(fine_tuning_job_id, options); });
  }
  /// See resources::FineTuningJobs::resume.
  Future<FineTuningJob> resume(std::string fine_tuning_job_id, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.fine_tuning().jobs().resume(fine_tuning_job_id, options); });
  }
  /// See resources::FineTuningJobs::list_events.
  Future<CursorPage<FineTuningJobEvent>> list_events(std::string fine_tuning_job_id, FineTuningPageParams params = {},
                                                     RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) {
      return c.fine_tuning().jobs().list_events(fine_tuning_job_id, params, options);
    });
  }
  /// The job's checkpoints.
  FineTuningCheckpoints checkpoints() const { return FineTuningCheckpoints(binding_); }

 private:
  detail::AsyncBinding binding_;
};

/// `client.fine_tuning().checkpoints().permissions()`, asynchronous.
class FineTuningCheckpointPermissions {
 public:
  /// A namespace bound to an async client.
  explicit FineTuningCheckpointPermissions(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::FineTuningCheckpointPermissions::create.
  Future<CursorPage<FineTuningCheckpointPermission>> create(std::string checkpoint,
                                                            FineTuningCheckpointPermissionCreateParams params,
                                                            RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) {
      return c.fine_tuning().checkpoints().permissions().create(checkpoint, params, options);
    });
  }
  /// See resources::FineTuningCheckpointPermissions::list.
  Future<CursorPage<FineTuningCheckpointPermission>> list(std::string checkpoint,
                                                          FineTuningCheckpointPermissionListParams params = {},
                                                          RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) {
      return c.fine_tuning().checkpoints().permissions().list(checkpoint, params, options);
    });
  }
  /// See resources::FineTuningCheckpointPermissions::remove.
  Future<FineTuningCheckpointPermissionDeleted> remove(std::string checkpoint, std::string permission_id,
                                                       RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) {
      return c.fine_tuning().checkpoints().permissions().remove(checkpoint, permission_id, options);
    });
  }

 private:
  detail::AsyncBinding binding_;
};

/// `client.fine_tuning().checkpoints()`, asynchronous.
class FineTuningModelCheckpoints {
 public:
  /// A namespace bound to an async client.
  explicit FineTuningModelCheckpoints(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// Who may use a checkpoint.
  FineTuningCheckpointPermissions permissions() const { return FineTuningCheckpointPermissions(binding_); }

 private:
  detail::AsyncBinding binding_;
};

/// `client.fine_tuning().alpha().graders()`, asynchronous.
class FineTuningGraders {
 public:
  /// A namespace bound to an async client.
  explicit FineTuningGraders(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::FineTuningGraders::run.
  Future<FineTuningGraderRunResult> run(FineTuningGraderRunParams params, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.fine_tuning().alpha().graders().run(params, options); });
  }
  /// See resources::FineTuningGraders::validate.
  Future<FineTuningGraderValidation> validate(FineTuningGraderValidateParams params,
                                              RequestOptions options = {}) const {
    return binding_.run(
        [=](Smarter const& c) { return c.fine_tuning().alpha().graders().validate(params, options); });
  }

 private:
  detail::AsyncBinding binding_;
};

/// `client.fine_tuning().alpha()`, asynchronous.
class FineTuningAlpha {
 public:
  /// A namespace bound to an async client.
  explicit FineTuningAlpha(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// Graders.
  FineTuningGraders graders() const { return FineTuningGraders(binding_); }

 private:
  detail::AsyncBinding binding_;
};

/// `client.fine_tuning()`, asynchronous.
class FineTuning {
 public:
  /// A namespace bound to an async client.
  explicit FineTuning(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// Fine-tuning jobs.
  FineTuningJobs jobs() const { return FineTuningJobs(binding_); }
  /// Fine-tuned model checkpoints (their permissions).
  FineTuningModelCheckpoints checkpoints() const { return FineTuningModelCheckpoints(binding_); }
  /// Alpha APIs (graders).
  FineTuningAlpha alpha() const { return FineTuningAlpha(binding_); }

 private:
  detail::AsyncBinding binding_;
};

/// `client.resources().chatbots()`, asynchronous.
class Chatbots {
 public:
  /// A namespace bound to an async client.
  explicit Chatbots(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::Chatbots::list.
  Future<CursorPage<ChatbotSummary>> list(RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.resources().chatbots().list(options); });
  }
  /// See resources::Chatbots::get. The Chatbot's own prompt() and config() are synchronous
  /// (blocking); prompt asynchronously with `chatbots().prompt(name, ...)`.
  Future<resources::Chatbot> get(std::string name, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.resources().chatbots().get(name, options); });
  }
  /// See resources::Chatbots::apply.
  Future<ChatbotManifest> apply(Manifest manifest, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.resources().chatbots().apply(manifest, options); });
  }
  /// See resources::Chatbots::remove.
  Future<PlatformResponse> remove(std::string name, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.resources().chatbots().remove(name, options); });
  }
  /// See resources::Chatbots::deploy.
  Future<PlatformResponse> deploy(std::string name, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.resources().chatbots().deploy(name, options); });
  }
  /// See resources::Chatbots::undeploy.
  Future<PlatformResponse> undeploy(std::string name, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.resources().chatbots().undeploy(name, options); });
  }
  /// See resources::Chatbots::logs.
  Future<PlatformResponse> logs(std::string name, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.resources().chatbots().logs(name, options); });
  }
  /// See resources::Chatbots::prompt.
  Future<PromptReply> prompt(std::string name, std::string text, PromptParams params = {},
                             RequestOptions options = {}) const {
    return binding_.run(
        [=](Smarter const& c) { return c.resources().chatbots().prompt(name, text, params, options); });
  }
  /// See resources::Chatbots::config.
  Future<ChatConfig> config(std::string name, ChatConfigParams params = {}, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.resources().chatbots().config(name, params, options); });
  }

 private:
  detail::AsyncBinding binding_;
};

/// `client.resources().plugins()`, asynchronous.
class Plugins {
 public:
  /// A namespace bound to an async client.
  explicit Plugins(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::Plugins::list.
  Future<CursorPage<PluginSummary>> list(RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.resources().plugins().list(options); });
  }
  /// See resources::Plugins::get.
  Future<PluginManifest> get(std::string name, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.resources().plugins().get(name, options); });
  }
  /// See resources::Plugins::apply.
  Future<PluginManifest> apply(Manifest manifest, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.resources().plugins().apply(manifest, options); });
  }
  /// See resources::Plugins::remove.
  Future<PlatformResponse> remove(std::string name, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.resources().plugins().remove(name, options); });
  }

 private:
  detail::AsyncBinding binding_;
};

/// `client.resources()`, asynchronous.
class Resources {
 public:
  /// A namespace bound to an async client.
  explicit Resources(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// The account's chatbots.
  Chatbots chatbots() const { return Chatbots(binding_); }
  /// The account's plugins.
  Plugins plugins() const { return Plugins(binding_); }

 private:
  detail::AsyncBinding binding_;
};

/// `client.manifests()`, asynchronous.
class Manifests {
 public:
  /// A namespace bound to an async client.
  explicit Manifests(detail::AsyncBinding binding) : binding_(std::move(binding)) {}
  /// See resources::Manifests::apply.
  Future<ManifestDocument> apply(Manifest manifest, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.manifests().apply(manifest, options); });
  }
  /// See resources::Manifests::get.
  Future<ManifestList> get(std::string kind, std::string name = {}, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.manifests().get(kind, name, options); });
  }
  /// See resources::Manifests::describe.
  Future<ManifestDocument> describe(std::string kind, std::string name, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.manifests().describe(kind, name, options); });
  }
  /// See resources::Manifests::remove.
  Future<PlatformResponse> remove(std::string kind, std::string name, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.manifests().remove(kind, name, options); });
  }
  /// See resources::Manifests::deploy.
  Future<PlatformResponse> deploy(std::string kind, std::string name, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.manifests().deploy(kind, name, options); });
  }
  /// See resources::Manifests::undeploy.
  Future<PlatformResponse> undeploy(std::string kind, std::string name, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.manifests().undeploy(kind, name, options); });
  }
  /// See resources::Manifests::logs.
  Future<PlatformResponse> logs(std::string kind, std::string name, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.manifests().logs(kind, name, options); });
  }
  /// See resources::Manifests::example_manifest.
  Future<ManifestDocument> example_manifest(std::string kind, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.manifests().example_manifest(kind, options); });
  }
  /// See resources::Manifests::json_schema.
  Future<ManifestSchema> json_schema(std::string kind, RequestOptions options = {}) const {
    return binding_.run([=](Smarter const& c) { return c.manifests().json_schema(kind, options); });
  }

 private:
  detail::AsyncBinding binding_;
};

}  // namespace smarter::async
