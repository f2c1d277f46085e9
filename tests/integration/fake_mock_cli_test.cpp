// smarter-mock as users run it. The server its flags set up (SmarterMock, the same code the
// program runs) is driven by a real client in-process, and the built program itself is started
// with flags, read for the base URL it prints, used, and stopped with SIGTERM.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/resources/chatbots.hpp>
#include <smarter/resources/files.hpp>
#include <smarter/resources/fine_tuning.hpp>
#include <smarter/resources/resources.hpp>
#include <smarter/testkit/smarter_mock.hpp>
#include <smarter/types/files.hpp>
#include <smarter/types/fine_tuning.hpp>
#include <smarter/types/platform.hpp>

extern char** environ;

namespace {

using smarter::testkit::SmarterMock;
using smarter::testkit::SmarterMockOptions;

std::vector<std::string> words(std::string const& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

SmarterMockOptions flags(std::string const& text) {
  auto parsed = smarter::testkit::parse_smarter_mock_args(words(text));
  EXPECT_EQ(parsed.error, "") << text;
  return parsed.options;
}

smarter::ClientOptions client_options(std::string const& base_url, std::string const& api_key) {
  smarter::ClientOptions options;
  options.api_key = api_key;
  options.base_url = base_url;
  options.retry.initial_delay = 0.01;
  options.retry.max_delay = 0.02;
  return options;
}

smarter::Smarter client_of(SmarterMock& mock) { return smarter::Smarter(client_options(mock.base_url(), mock.api_key())); }

// ------------------------------------------------------------------ in-process, same code path

TEST(SmarterMockServer, FailNext503Twice_TheClientSeesTwo503sRetriedThenSuccess) {
  SmarterMock mock(flags("--fail-next 503:2"));
  smarter::RawResponse response = client_of(mock).request("POST", "cli/whoami/");
  EXPECT_EQ(response.status_code, 200);
  EXPECT_EQ(response.retries_taken, 2);
  EXPECT_EQ(mock.server().request_count(), 3u);
  EXPECT_EQ(mock.faults().injected(), 2u);
}

TEST(SmarterMockServer, FailNextWithoutRetriesSurfacesTheStatus) {
  SmarterMock mock(flags("--fail-next 429 --fail-next 500"));
  smarter::ClientOptions options = client_options(mock.base_url(), mock.api_key());
  options.max_retries = 0;
  smarter::Smarter client(options);
  EXPECT_THROW(client.whoami(), smarter::RateLimitError);
  EXPECT_THROW(client.fine_tuning().jobs().list(), smarter::InternalServerError);
  EXPECT_NO_THROW(client.whoami());
}

TEST(SmarterMockServer, DropNextIsRetriedForIdempotentCalls) {
  SmarterMock mock(flags("--drop-next 1"));
  smarter::RawResponse response = client_of(mock).request("POST", "cli/whoami/");
  EXPECT_EQ(response.status_code, 200);
  EXPECT_EQ(response.retries_taken, 1);
}

TEST(SmarterMockServer, LatencyOutlastsAShortTimeout) {
  SmarterMock mock(flags("--latency 3000"));
  EXPECT_EQ(mock.server().latency().count(), 3000);
  smarter::ClientOptions options = client_options(mock.base_url(), mock.api_key());
  options.max_retries = 0;
  options.timeout = 0.2;
  EXPECT_THROW(smarter::Smarter(options).whoami(), smarter::APITimeoutError);
}

TEST(SmarterMockServer, SeedDataIsServed) {
  SmarterMock mock(flags("--seed-chatbots support,sales --seed-files 3 --seed-jobs 25"));
  smarter::Smarter client = client_of(mock);

  std::vector<std::string> chatbots;
  for (auto const& summary : client.resources().chatbots().list()) chatbots.push_back(summary.name);
  EXPECT_EQ(chatbots, (std::vector<std::string>{"my-chatbot", "sales", "support"}));
  EXPECT_EQ(client.resources().chatbots().get("support").prompt("Hello, World!").answer,
            smarter::testkit::kDemoHelloAnswer);

  std::vector<std::string> files;
  for (auto const& file : client.files().list()) files.push_back(file.filename);
  EXPECT_EQ(files.size(), 3u);
  EXPECT_EQ(mock.files().read_bytes(mock.files().files().at(0).id).rfind("{\"messages\": [", 0), 0u);

  smarter::FineTuningJobListParams page;
  page.limit = 10;
  int jobs = 0;
  for (auto const& job : client.fine_tuning().jobs().list(page)) {
    EXPECT_EQ(job.status, "succeeded");
    ++jobs;
  }
  EXPECT_EQ(jobs, 25);
}

TEST(SmarterMockServer, CallToolsDrivesAToolLoop) {
  smarter::ChatCompletionCreateParams question;
  question.model = "gpt-4o-mini";
  question.messages = {smarter::ChatMessage::user("Lisbon")};
  question.tools = std::vector<smarter::ChatTool>{smarter::ChatTool{
      "function", smarter::FunctionDefinition{"get_weather", "Current weather", nlohmann::json{{"type", "object"}}, {}}}};
  auto weather = [](nlohmann::json const& arguments) { return "sunny in " + arguments.at("input").get<std::string>(); };

  SmarterMock with_tools(flags("--call-tools"));
  smarter::ToolRunResult const result =
      client_of(with_tools).chat().completions().run_tools(question, {{"get_weather", weather}});
  EXPECT_TRUE(result.finished);
  EXPECT_EQ(result.steps, 2);
  EXPECT_EQ(result.completion.choices.at(0).message.content, "Echo: sunny in Lisbon");

  // Without the flag the fake model answers at once and never calls a tool.
  SmarterMock without(flags(""));
  smarter::ToolRunResult const plain =
      client_of(without).chat().completions().run_tools(question, {{"get_weather", weather}});
  EXPECT_EQ(plain.steps, 1);
  EXPECT_TRUE(plain.completion.choices.at(0).message.tool_calls.empty());
}

TEST(SmarterMockServer, NoSeedStartsEmpty) {
  SmarterMock mock(flags("--no-seed"));
  EXPECT_TRUE(mock.platform().chatbot_names().empty());
  EXPECT_TRUE(mock.platform().plugin_names().empty());
  EXPECT_NE(mock.banner().find("demo chatbot: none"), std::string::npos);
}

TEST(SmarterMockServer, GenerationAndApiKeyFlags) {
  std::string const key(64, 'b');
  SmarterMock mock(flags("--generation v0_14 --api-key " + key));
  // The client finds the generation out by itself (cli/version/) and prompts through cli/prompt/.
  smarter::Smarter client = client_of(mock);
  EXPECT_EQ(client.resources().chatbots().get("my-chatbot").prompt("Hello, World!").answer,
            smarter::testkit::kDemoHelloAnswer);
  bool prompted = false;
  for (auto const& request : mock.server().requests()) prompted |= request.path == "/api/v1/cli/prompt/my-chatbot/";
  EXPECT_TRUE(prompted);
  smarter::ClientOptions wrong = client_options(mock.base_url(), std::string(64, 'c'));
  EXPECT_THROW(smarter::Smarter(wrong).whoami(), smarter::PermissionDeniedError);
}

TEST(SmarterMockServer, BannerTellsWhatIsServed) {
  SmarterMock mock(flags("--fail-next 503:2 --drop-next 1 --latency 5 --seed-jobs 2 --seed-chatbots x"));
  std::string const banner = mock.banner();
  EXPECT_NE(banner.find("SMARTER_BASE_URL=" + mock.base_url() + "\n"), std::string::npos) << banner;
  EXPECT_NE(banner.find("SMARTER_API_KEY=" + mock.api_key() + "\n"), std::string::npos) << banner;
  EXPECT_NE(banner.find("cli/ (the platform), chat/completions, responses, files, fine_tuning/jobs"), std::string::npos);
  EXPECT_NE(banner.find("faults for the next requests: 503 x2, dropped"), std::string::npos) << banner;
  EXPECT_NE(banner.find("latency: 5 ms"), std::string::npos) << banner;
  EXPECT_NE(banner.find("chatbots [x], 0 files, 2 fine-tuning jobs"), std::string::npos) << banner;
}

TEST(SmarterMockServer, InvalidFaultIsRefusedBeforeListening) {
  SmarterMockOptions options;
  options.faults.push_back(smarter::testkit::Fault::fail(200));
  EXPECT_THROW(SmarterMock{options}, std::invalid_argument);
}

// ------------------------------------------------------------------ the program itself

// Where the built smarter-mock is: SMARTER_MOCK_BINARY when the build names it, else next to the
// build's top folder (tests/ is one level below it in every preset).
std::optional<std::string> mock_binary() {
#ifdef SMARTER_MOCK_BINARY
  return std::string(SMARTER_MOCK_BINARY);
#else
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  auto candidate = self.parent_path().parent_path() / "smarter-mock";
  if (!std::filesystem::exists(candidate, ec)) return std::nullopt;
  return candidate.string();
#endif
}

// smarter-mock run as a child process, its standard output and error read through one pipe.
class MockProcess {
 public:
  explicit MockProcess(std::vector<std::string> const& args) {
    auto binary = mock_binary();
    if (!binary) return;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    std::vector<std::string> argv_strings{*binary};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    int const rc = posix_spawn(&pid_, binary->c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
      ::close(fds[0]);
      pid_ = -1;
      return;
    }
    fd_ = fds[0];
  }

  ~MockProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) ::close(fd_);
  }

  bool started() const { return pid_ > 0; }

  // Reads until `marker` has been printed (true) or the program closed its output (false).
  bool read_until(std::string const& marker) {
    while (output_.find(marker) == std::string::npos) {
      if (!read_some()) return false;
    }
    return true;
  }

  // The value printed after "NAME=" on a line of its own.
  std::string value_of(std::string const& name) const {
    std::size_t const at = output_.find("\n" + name + "=");
    if (at == std::string::npos) return "";
    std::size_t const start = at + name.size() + 2;
    return output_.substr(start, output_.find('\n', start) - start);
  }

  // Sends `signal` (none: 0), reads the rest of the output and returns the exit status
  // (-1 when the program did not exit normally).
  int finish(int signal = 0) {
    if (signal != 0) ::kill(pid_, signal);
    while (read_some()) {
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string const& output() const { return output_; }

 private:
  bool read_some() {
    char buffer[4096];
    ssize_t n;
    do {
      n = ::read(fd_, buffer, sizeof buffer);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return false;
    output_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  std::string output_;
};

#define SMARTER_REQUIRE_MOCK_BINARY()                                                                   \
  if (!mock_binary()) GTEST_SKIP() << "smarter-mock is not built next to the tests (build it, or set " \
                                      "SMARTER_MOCK_BINARY)"

TEST(SmarterMockProgram, ServesWithFaultsAndSeedsUntilSigterm) {
  SMARTER_REQUIRE_MOCK_BINARY();
  MockProcess mock(words("--port 0 --fail-next 503:2 --seed-chatbots extra_bot --seed-jobs 3"));
  ASSERT_TRUE(mock.started());
  ASSERT_TRUE(mock.read_until("SMARTER_API_KEY=") && mock.read_until("\nserving under")) << mock.output();
  std::string const base_url = mock.value_of("SMARTER_BASE_URL");
  std::string const api_key = mock.value_of("SMARTER_API_KEY");
  ASSERT_EQ(base_url.rfind("http://127.0.0.1:", 0), 0u) << mock.output();
  ASSERT_EQ(api_key, smarter::testkit::kFakePlatformApiKey);

  smarter::Smarter client(client_options(base_url, api_key));
  smarter::RawResponse whoami = client.request("POST", "cli/whoami/");
  EXPECT_EQ(whoami.status_code, 200);
  EXPECT_EQ(whoami.retries_taken, 2) << "--fail-next 503:2 must answer two 503s first";
  EXPECT_EQ(client.resources().chatbots().get("extra_bot").prompt("Hello, World!").answer,
            smarter::testkit::kDemoHelloAnswer);
  int jobs = 0;
  for (auto const& job : client.fine_tuning().jobs().list()) jobs += job.id.empty() ? 0 : 1;
  EXPECT_EQ(jobs, 3);

  EXPECT_EQ(mock.finish(SIGTERM), 0) << mock.output();
  EXPECT_NE(mock.output().find("smarter-mock: stopping"), std::string::npos) << mock.output();
}

TEST(SmarterMockProgram, HelpPrintsTheUsage) {
  SMARTER_REQUIRE_MOCK_BINARY();
  MockProcess mock({"--help"});
  ASSERT_TRUE(mock.started());
  EXPECT_EQ(mock.finish(), 0);
  EXPECT_EQ(mock.output(), smarter::testkit::smarter_mock_usage());
}

TEST(SmarterMockProgram, BadFlagsExitWithStatus2AndTheReason) {
  SMARTER_REQUIRE_MOCK_BINARY();
  MockProcess mock({"--fail-next", "200"});
  ASSERT_TRUE(mock.started());
  EXPECT_EQ(mock.finish(), 2);
  EXPECT_NE(mock.output().find("smarter-mock: --fail-next takes STATUS[:COUNT]"), std::string::npos) << mock.output();
}

}  // namespace
