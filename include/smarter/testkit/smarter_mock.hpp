// Everything the smarter-mock program serves, as a library: its command line and the server it
// starts. The program (tools/smarter-mock) is a thin main() around these, so a test can start the
// very same server in-process:
//
//   auto command_line = smarter::testkit::parse_smarter_mock_args({"--fail-next", "503:2"});
//   smarter::testkit::SmarterMock mock(command_line.options);
//   smarter::Smarter client({.api_key = mock.api_key(), .base_url = mock.base_url()});
//
// Part of smarter::testkit.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <smarter/testkit/fake_faults.hpp>
#include <smarter/testkit/fake_files.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

namespace smarter::testkit {

/// What smarter-mock serves and how; each field is set by one of its flags.
struct SmarterMockOptions {
  FakeServer::Options server{};                  ///< `--host`, `--port`.
  PlatformOptions platform{};                    ///< `--generation`, `--api-key`, `--key-style`, `--no-seed`.
  std::vector<Fault> faults{};                   ///< `--fail-next`, `--drop-next`, in the order given.
  std::chrono::milliseconds latency{0};          ///< `--latency`: added before every answer.
  int seed_jobs = 0;                             ///< `--seed-jobs`: finished fine-tuning jobs to create.
  int seed_files = 0;                            ///< `--seed-files`: small JSONL files to store.
  std::vector<std::string> seed_chatbots{};      ///< `--seed-chatbots`: chatbots to create besides the demo one.
  /// `--call-tools`: the fake chat model calls the first tool a request offers (for tool loops).
  bool call_tools = false;
};

/// smarter-mock's command line, parsed.
struct SmarterMockCommandLine {
  SmarterMockOptions options{};  ///< The settings (meaningful when `error` is empty).
  bool help = false;             ///< `--help` or `-h` was given: print smarter_mock_usage() and exit.
  std::string error{};           ///< Why the arguments were refused; empty when they were accepted.
};

/// Parses smarter-mock's arguments (without the program name). Flags take their value as the
/// next argument or after `=` (`--port 9357`, `--port=9357`); `--fail-next`, `--drop-next` and
/// `--seed-chatbots` may be repeated. Never throws for bad input: it fills `error`.
SmarterMockCommandLine parse_smarter_mock_args(std::vector<std::string> const& args);

/// smarter-mock's `--help` text: what it serves and every flag, each with an example.
std::string smarter_mock_usage();

/// Every fake API on one FakeServer, set up as smarter-mock sets it up: the platform's `cli/`
/// API, chat completions, responses, files and fine-tuning jobs, all under the one base URL
/// `<server url>api/v1/`, with the options' seed data, faults and latency applied.
class SmarterMock {
 public:
  /// Starts the server (throws std::runtime_error when it cannot listen, std::invalid_argument
  /// for an invalid fault).
  explicit SmarterMock(SmarterMockOptions options = {});
  /// Not copyable: it owns a running server.
  SmarterMock(SmarterMock const&) = delete;
  /// Not copyable: it owns a running server.
  SmarterMock& operator=(SmarterMock const&) = delete;

  /// The base URL of every API it serves, e.g. "http://127.0.0.1:9357/api/v1/".
  std::string base_url() const;
  /// The API key the platform accepts.
  std::string const& api_key() const noexcept;
  /// What smarter-mock prints when it starts: the URL, `SMARTER_BASE_URL=...`,
  /// `SMARTER_API_KEY=...`, the APIs served, seed data and faults.
  std::string banner() const;

  /// The options it was started with.
  SmarterMockOptions const& options() const noexcept { return options_; }
  /// The server (request log, scripted queue, extra routes).
  FakeServer& server() noexcept { return *server_; }
  /// The platform mode's state.
  FakePlatform& platform() noexcept { return *platform_; }
  /// The OpenAI-shaped endpoints' state (chat, responses, fine-tuning).
  FakeOpenAI& openai() noexcept { return *openai_; }
  /// The Files endpoints' state.
  FakeFiles& files() noexcept { return *files_; }
  /// The injected faults (more can be added while it runs).
  FakeFaults& faults() noexcept { return *faults_; }

 private:
  SmarterMockOptions options_;
  std::unique_ptr<FakeServer> server_;
  std::shared_ptr<FakePlatform> platform_;
  std::shared_ptr<FakeOpenAI> openai_;
  std::shared_ptr<FakeFiles> files_;
  std::shared_ptr<FakeFaults> faults_;
};

}  // namespace smarter::testkit
