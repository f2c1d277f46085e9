// The platform, fine-tuning and files models on the table-driven codec: a platform result holds
// its body once (the envelope and the result share one document), nested models point into it,
// listings decode their rows in place, and the params encode from the same tables.
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include <smarter/detail/decode.hpp>
#include <smarter/errors.hpp>
#include <smarter/pagination.hpp>
#include <smarter/types/chatbots.hpp>
#include <smarter/types/files.hpp>
#include <smarter/types/fine_tuning.hpp>
#include <smarter/types/manifest.hpp>
#include <smarter/types/platform.hpp>
#include <smarter/types/plugins.hpp>

#include "resources/platform_cli.hpp"

namespace {

using nlohmann::json;
using smarter::detail::DecodeError;
namespace fs = std::filesystem;

json fixture(std::string const& name) {
  std::ifstream in(fs::path(SMARTER_FIXTURES_DIR) / name, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << name;
  std::ostringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

std::shared_ptr<json const> document(json value) { return std::make_shared<json const>(std::move(value)); }

template <class F>
std::string error_path(F&& decode) {
  try {
    decode();
  } catch (DecodeError const& e) {
    return e.path();
  }
  return "(no error)";
}

smarter::RawResponse response_with(json const& body, char const* request_id = nullptr) {
  smarter::RawResponse response;
  response.status_code = 200;
  response.headers.set("Content-Type", "application/json");
  if (request_id != nullptr) response.headers.set("x-request-id", request_id);
  response.body = body.dump();
  response.method = "POST";
  response.url = "http://127.0.0.1/api/v1/cli/get/chatbots/";
  return response;
}

// ------------------------------------------------------------------ one document per result

TEST(PlatformCodec, ResultAndEnvelopeShareTheBody) {
  auto const body = document(fixture("whoami.v0_10.json"));
  auto who = smarter::parse_platform_response<smarter::WhoAmI>(body);
  EXPECT_EQ(&who.envelope.to_dict(), body.get()) << "the envelope is the document itself";
  EXPECT_EQ(&who.to_dict(), &(*body)["data"]) << "the result is its data node, not a copy";
  EXPECT_EQ(&who.user.to_dict(), &(*body)["data"]["user"]);
  EXPECT_EQ(&who.account.to_dict(), &(*body)["data"]["account"]);
  EXPECT_TRUE(who.envelope.data.is_null()) << "a typed result does not copy the payload into the envelope";
  EXPECT_EQ(who.envelope.to_dict()["data"], who.to_dict());
  EXPECT_EQ(who.request_id(), (*body)["metadata"]["key"].get<std::string>());
  EXPECT_EQ(who.envelope.request_id(), who.request_id());
  EXPECT_EQ(body.use_count(), 5) << "body, envelope, result, user and account: no other owner";
}

TEST(PlatformCodec, TheResultKeepsTheDocumentAlive) {
  smarter::ChatbotManifest bot;
  {
    auto const body = document(fixture("describe_chatbot.v0_10.json"));
    bot = smarter::parse_platform_response<smarter::ChatbotManifest>(body);
    EXPECT_EQ(&bot.spec.config.to_dict(), &(*body)["data"]["spec"]["config"]);
    ASSERT_TRUE(bot.status);
    EXPECT_EQ(&bot.status->to_dict(), &(*body)["data"]["status"]);
    EXPECT_EQ(&bot.metadata.to_dict(), &(*body)["data"]["metadata"]);
  }
  json const raw = fixture("describe_chatbot.v0_10.json");
  EXPECT_EQ(bot.to_dict(), raw["data"]);
  EXPECT_EQ(bot.envelope.to_dict(), raw);
  EXPECT_EQ(bot.spec.config.to_dict(), raw["data"]["spec"]["config"]);
}

TEST(PlatformCodec, AnEnvelopeOnItsOwnKeepsItsData) {
  json const raw = fixture("whoami.v0_10.json");
  auto const body = document(raw);
  auto envelope = smarter::parse_platform_response<smarter::PlatformResponse>(body, std::string("req_1"));
  EXPECT_EQ(envelope.data, raw["data"]);
  EXPECT_EQ(&envelope.to_dict(), body.get());
  EXPECT_EQ(envelope.request_id(), "req_1") << "the header wins over the journal key";
  EXPECT_EQ(smarter::detail::decode_value<smarter::PlatformResponse>(raw).data, raw["data"]);
}

TEST(PlatformCodec, RawResponsesDecodeOnceWithTheHeaderIdWinning) {
  json const raw = fixture("whoami.v0_10.json");
  auto who = smarter::parse_platform_response<smarter::WhoAmI>(response_with(raw, "req_h"));
  EXPECT_EQ(who.request_id(), "req_h");
  EXPECT_EQ(who.envelope.request_id(), "req_h");
  EXPECT_EQ(&who.user.to_dict(), &who.envelope.to_dict()["data"]["user"]);
  json bad = raw;
  bad["data"]["user"]["id"] = "one";
  try {
    smarter::parse_platform_response<smarter::WhoAmI>(response_with(bad));
    FAIL() << "expected APIResponseValidationError";
  } catch (smarter::APIResponseValidationError const& e) {
    EXPECT_NE(std::string(e.what()).find("/data/user/id"), std::string::npos) << e.what();
  }
}

TEST(PlatformCodec, PromptBodySharedAsAnObjectAndParsedOnceAsAString) {
  json const raw = fixture("chat_prompt.v0_13.json");
  auto const body = document(raw);
  auto chat = smarter::parse_platform_response<smarter::PromptReply>(body);
  ASSERT_TRUE(chat.completion);
  json const& inner = (*body)["data"]["response"]["data"]["body"];
  EXPECT_EQ(&chat.completion->to_dict(), &inner);
  EXPECT_EQ(&chat.completion->choices.at(0).to_dict(), &inner["choices"][0]);
  EXPECT_EQ(chat.body, inner);

  json as_string = raw;
  as_string["data"]["response"]["data"]["body"] = inner.dump();
  auto from_text = smarter::parse_platform_response<smarter::PromptReply>(as_string);
  ASSERT_TRUE(from_text.completion);
  EXPECT_EQ(from_text.completion->to_dict(), inner);
  EXPECT_EQ(from_text.body, inner);
  EXPECT_EQ(from_text.answer, chat.answer);
}

TEST(PlatformCodec, ErrorsNameTheirPathInsideTheEnvelope) {
  json raw = fixture("chat_prompt.v0_13.json");
  raw["data"]["response"]["data"]["body"]["usage"]["prompt_tokens_details"] = {{"cached_tokens", "x"}};
  EXPECT_EQ(error_path([&] { smarter::parse_platform_response<smarter::PromptReply>(raw); }),
            "/data/response/data/body/usage/prompt_tokens_details/cached_tokens");
  raw = fixture("chat_prompt.v0_13.json");
  raw["data"]["request"]["messages"][0]["role"] = 7;
  EXPECT_EQ(error_path([&] { smarter::parse_platform_response<smarter::PromptReply>(raw); }),
            "/data/request/messages/0/role");
  raw = fixture("whoami.v0_10.json");
  raw["metadata"]["key"] = 5;
  EXPECT_EQ(error_path([&] { smarter::parse_platform_response<smarter::WhoAmI>(raw); }), "/metadata/key");
  raw = fixture("whoami.v0_10.json");
  raw.erase("data");
  EXPECT_EQ(error_path([&] { smarter::parse_platform_response<smarter::WhoAmI>(raw); }), "/data");
  EXPECT_EQ(error_path([&] { smarter::parse_platform_response<smarter::WhoAmI>(json::array()); }), "");
}

TEST(PlatformCodec, TextFieldsAcceptNumbersAndNamesStayLenient) {
  json raw = fixture("describe_chatbot.v0_10.json");
  raw["data"]["metadata"]["version"] = 2;
  raw["error"] = {{"status", 403}, {"errorClass", "E"}};
  auto bot = smarter::parse_platform_response<smarter::ChatbotManifest>(raw);
  EXPECT_EQ(bot.metadata.version, "2");
  ASSERT_TRUE(bot.envelope.error);
  EXPECT_EQ(bot.envelope.error->status, "403");
  EXPECT_EQ(bot.envelope.error->error_class, "E");
  raw["data"]["metadata"]["name"] = 5;
  EXPECT_EQ(error_path([&] { smarter::parse_platform_response<smarter::ChatbotManifest>(raw); }),
            "/data/metadata/name");
  raw = fixture("describe_chatbot.v0_10.json");
  raw["error"] = "plain text";
  EXPECT_EQ(smarter::parse_platform_response<smarter::PlatformResponse>(raw).error->description, "plain text");
}

TEST(PlatformCodec, ListingRowsDecodeInPlace) {
  json const raw = fixture("get_chatbots.v0_13.json");
  auto page = smarter::detail::decode_listing<smarter::ChatbotSummary>(response_with(raw, "req_l"));
  ASSERT_EQ(page.data().size(), 2u);
  EXPECT_EQ(page.data()[1].name, "netec-demo");
  EXPECT_EQ(page.data()[1].deployed, false);
  EXPECT_EQ(page.data()[0].to_dict(), raw["data"]["data"]["items"][0]);
  EXPECT_EQ(page.request_id(), "req_l");
  json bad = raw;
  bad["data"]["data"]["items"][1].erase("name");
  try {
    smarter::detail::decode_listing<smarter::ChatbotSummary>(response_with(bad));
    FAIL() << "expected APIResponseValidationError";
  } catch (smarter::APIResponseValidationError const& e) {
    EXPECT_NE(std::string(e.what()).find("/data/data/items/1/name"), std::string::npos) << e.what();
  }
  json empty = raw;
  empty["data"]["data"].erase("items");
  EXPECT_TRUE(smarter::detail::decode_listing<smarter::ChatbotSummary>(response_with(empty)).data().empty());
}

TEST(PlatformCodec, BothGenerationsAndBothKeyStyles) {
  json raw = fixture("describe_chatbot.v0_10.json");
  raw.erase("thing");
  raw["metadata"] = {{"command", "describe"}, {"thing", "LLMClient"}};
  auto bot = smarter::parse_platform_response<smarter::ChatbotManifest>(raw);
  EXPECT_EQ(bot.envelope.kind(), "LLMClient");
  EXPECT_FALSE(bot.envelope.thing);

  json config = {{"default_model", "m"}, {"appExamplePrompts", {"a"}}, {"custom_domain", {{"domain_name", "d"}}}};
  auto decoded = smarter::detail::decode_value<smarter::ChatbotConfig>(config);
  EXPECT_EQ(decoded.default_model, "m");
  EXPECT_EQ(decoded.app_example_prompts, std::vector<std::string>{"a"});
  EXPECT_EQ(decoded.custom_domain["domain_name"], "d");
  auto user = smarter::detail::decode_value<smarter::PlatformUser>(json{{"firstName", "A"}, {"is_staff", nullptr}});
  EXPECT_EQ(user.first_name, "A");
  EXPECT_FALSE(user.is_staff);
  EXPECT_TRUE(user.is_null("is_staff"));
}

TEST(PlatformCodec, StatusVersionListAndSchema) {
  json status = {{"data", {{"infrastructures", {{"redis", {{"redis_version", 7}}}}}, {"compute", {{"machine", "m"}}}}}};
  auto s = smarter::parse_platform_response<smarter::PlatformStatus>(status);
  EXPECT_EQ(s.redis_version, "7");
  EXPECT_EQ(&s.compute.to_dict(), &s.envelope.to_dict()["data"]["compute"]);
  json no_infra = {{"data", {{"infrastructures", nullptr}}}};
  EXPECT_EQ(smarter::parse_platform_response<smarter::PlatformStatus>(no_infra).infrastructures, json::object());

  json version = {{"data", {{"api", {{"version", "0.13.1"}, {"python", {{"a", 1}}}}}}}};
  auto v = smarter::parse_platform_response<smarter::PlatformVersion>(version);
  EXPECT_EQ(v.python.at("a"), "1");
  EXPECT_EQ(v.generation(), smarter::PlatformGeneration::v0_13);
  EXPECT_EQ(v.to_dict(), version["data"]);

  json list = {{"data", {{"kind", "Plugin"}, {"metadata", {{"count", "two"}}}}}};
  EXPECT_EQ(error_path([&] { smarter::parse_platform_response<smarter::ManifestList>(list); }), "/data/metadata/count");

  json schema = {{"data", {{"type", "object"}}}};
  auto sc = smarter::parse_platform_response<smarter::ManifestSchema>(schema);
  EXPECT_EQ(sc.schema, schema["data"]);
  EXPECT_EQ(&sc.to_dict(), &sc.envelope.to_dict()["data"]);
}

// ------------------------------------------------------------------ fine-tuning and files

TEST(FineTuningCodec, PageItemsAndTheirNestedParts) {
  auto const body = document(json::parse(R"({"object": "list", "has_more": false, "data": [
    {"id": "ftjob-1", "created_at": 1, "model": "m", "status": "queued", "training_file": "f", "seed": 42,
     "hyperparameters": {"n_epochs": "auto", "learning_rate_multiplier": 2},
     "method": {"type": "supervised", "supervised": {"hyperparameters": {"batch_size": 8}}},
     "error": null, "metadata": {"team": "x"}, "integrations": []}]})"));
  auto page = smarter::detail::decode_cursor_page<smarter::FineTuningJob>(body, nullptr, std::nullopt);
  ASSERT_EQ(page.data().size(), 1u);
  smarter::FineTuningJob const& job = page.data()[0];
  EXPECT_EQ(&job.to_dict(), &(*body)["data"][0]);
  EXPECT_EQ(std::get<std::string>(*job.hyperparameters->n_epochs), "auto");
  EXPECT_DOUBLE_EQ(std::get<double>(*job.hyperparameters->learning_rate_multiplier), 2.0);
  EXPECT_EQ(std::get<std::int64_t>(*job.method->supervised->hyperparameters->batch_size), 8);
  EXPECT_FALSE(job.error);
  EXPECT_TRUE(job.is_null("error"));
  EXPECT_EQ(job.metadata->at("team"), "x");
  EXPECT_EQ(job.object, "fine_tuning.job") << "a missing field keeps its default";
  EXPECT_EQ(job.field("integrations"), json::array());
}

TEST(FineTuningCodec, RequiredFieldsAndCheckedNumbers) {
  using smarter::FineTuningJobCheckpoint;
  using smarter::FineTuningJobEvent;
  EXPECT_EQ(error_path([] { smarter::detail::decode_value<FineTuningJobEvent>(json{{"id", "e"}, {"created_at", 1}}); }),
            "/message");
  EXPECT_EQ(error_path([] {
              smarter::detail::decode_value<FineTuningJobCheckpoint>(
                  json{{"id", "c"}, {"fine_tuning_job_id", "j"}, {"step_number", 1.5}});
            }),
            "/step_number");
  auto checkpoint = smarter::detail::decode_value<FineTuningJobCheckpoint>(
      json{{"id", "c"}, {"fine_tuning_job_id", "j"}, {"metrics", {{"step", 3}, {"train_loss", nullptr}}}});
  EXPECT_EQ(checkpoint.metrics.step, 3.0);
  EXPECT_FALSE(checkpoint.metrics.train_loss);
  auto event = smarter::detail::decode_value<FineTuningJobEvent>(
      json{{"id", "e"}, {"created_at", 1}, {"message", "hi"}, {"data", {{"step", 1}}}});
  EXPECT_EQ(event.data, (json{{"step", 1}}));
  EXPECT_EQ(error_path([] { smarter::detail::decode_value<smarter::FileObject>(json{{"id", "f"}}); }), "/bytes");
}

TEST(FineTuningCodec, ParamsEncodeFromTheTables) {
  smarter::FineTuningJobCreateParams params;
  params.model = "m";
  params.training_file = "f";
  smarter::FineTuningMethod method;
  method.type = "dpo";
  method.dpo = smarter::DpoMethod{smarter::DpoHyperparameters{0.1, std::nullopt, std::string("auto"), std::nullopt}};
  params.method = method;
  params.seed = 7;
  params.metadata = std::map<std::string, std::string>{{"k", "v"}};
  params.extra = {{"seed", nullptr}, {"suffix", "s"}};
  json const body = smarter::to_json_body(params);
  EXPECT_EQ(body, json::parse(R"({"model": "m", "training_file": "f", "seed": null, "suffix": "s",
    "metadata": {"k": "v"},
    "method": {"type": "dpo", "dpo": {"hyperparameters": {"beta": 0.1, "learning_rate_multiplier": "auto"}}}})"));
  EXPECT_EQ(json(params), body);

  smarter::FineTuningMethod empty_type;
  empty_type.type = "";
  empty_type.extra = {{"reinforcement", {{"grader", 1}}}};
  EXPECT_EQ(json(empty_type), json::parse(R"({"type": "", "reinforcement": {"grader": 1}})"))
      << "type is always sent; extra merges over it";
  empty_type.extra = {{"type", "reinforcement"}};
  EXPECT_EQ(json(empty_type)["type"], "reinforcement");

  smarter::FineTuningIntegration integration;
  integration.wandb.project = "p";
  integration.wandb.tags = std::vector<std::string>{"t"};
  EXPECT_EQ(json(integration), json::parse(R"({"type": "wandb", "wandb": {"project": "p", "tags": ["t"]}})"));

  smarter::ChatbotMessage message{"user", "hi", true};
  EXPECT_EQ(json(message), json::parse(R"({"role": "user", "content": "hi"})"));
}

}  // namespace
