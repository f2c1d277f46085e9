// The fixture of the command-line tests: a fresh fake platform (smarter-mock's, in this process)
// of one generation, a private temporary HOME, and `smarter(...)` to run the real executable
// against them.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/testkit/smarter_mock.hpp>
#include <smarter/version.hpp>

#include "run_cli.hpp"

namespace smarter_cli_test {

using smarter::testkit::FakeGeneration;

/// "v0_13" or "v0_14", for test names and golden file names.
inline std::string generation_name(FakeGeneration generation) {
  return generation == FakeGeneration::v0_13 ? "v0_13" : "v0_14";
}

/// The text of a file ("" when it cannot be read).
inline std::string read_text(std::filesystem::path const& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Writes `text` to `path`.
inline void write_text(std::filesystem::path const& path, std::string const& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// A fake platform and a private HOME for each test, in the generation the test runs with.
class CliTest : public ::testing::Test {
 protected:
  /// Starts the fake platform of `generation` and makes the temporary HOME.
  void start(FakeGeneration generation) {
    generation_ = generation;
    smarter::testkit::SmarterMockOptions options;
    options.platform.generation = generation;
    mock_ = std::make_unique<smarter::testkit::SmarterMock>(options);
    std::string pattern = (std::filesystem::temp_directory_path() / "smarter-cli-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    home_ = pattern;
  }

  /// Removes the temporary HOME.
  void TearDown() override {
    std::error_code ignored;
    if (!home_.empty()) std::filesystem::remove_all(home_, ignored);
  }

  /// The environment of a run: HOME, PATH, a fixed terminal width, and the fake platform's
  /// SMARTER_BASE_URL and SMARTER_API_KEY (drop or change them per test). Sanitizer settings
  /// pass through, so a sanitized build of the tool runs under the suite's own options.
  Environment environment() const {
    Environment env = {{"HOME", home_.string()},
                       {"PATH", "/usr/bin:/bin"},
                       {"COLUMNS", "200"},
                       {"SMARTER_BASE_URL", mock_->base_url()},
                       {"SMARTER_API_KEY", mock_->api_key()}};
    for (char const* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"}) {
      if (char const* value = std::getenv(name)) env[name] = value;
    }
    return env;
  }

  /// Runs `smarter args...` with environment() and `input` on standard input.
  CliResult smarter(std::vector<std::string> const& args, std::string const& input = {}) const {
    return run_program(SMARTER_CLI_PATH, args, environment(), input);
  }

  /// Runs `smarter args...` with an explicit environment.
  CliResult smarter_with(Environment const& env, std::vector<std::string> const& args,
                         std::string const& input = {}) const {
    return run_program(SMARTER_CLI_PATH, args, env, input);
  }

  /// `text` with what differs from run to run replaced: the fake's address by {host} and this
  /// build's version by {version}.
  std::string normalized(std::string text) const {
    auto replace_all = [&text](std::string const& from, std::string const& to) {
      for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
      }
    };
    replace_all(mock_->server().host() + ":" + std::to_string(mock_->server().port()), "{host}");
    std::string const version = smarter::version();
    replace_all("\"client\": {\n    \"version\": \"" + version + "\"", "\"client\": {\n    \"version\": \"{version}\"");
    replace_all("Client version: " + version + "\n", "Client version: {version}\n");
    return text;
  }

  /// The platform's chatbot kind in this generation.
  std::string chatbot_kind() const { return generation_ == FakeGeneration::v0_13 ? "Chatbot" : "LLMClient"; }

  FakeGeneration generation_ = FakeGeneration::v0_13;
  std::unique_ptr<smarter::testkit::SmarterMock> mock_;
  std::filesystem::path home_;
};

/// CliTest run once per platform generation.
class CliGenerations : public CliTest, public ::testing::WithParamInterface<FakeGeneration> {
 protected:
  /// Starts the fake platform (and whatever else the tests below share).
  /// Starts the fake platform.
  void SetUp() override { start(GetParam()); }
};

/// Names the generation in parametrized test names.
inline std::string generation_param_name(::testing::TestParamInfo<FakeGeneration> const& info) {
  return generation_name(info.param);
}

/// Compares `actual` with the golden file `name`; with SMARTER_UPDATE_GOLDEN=1 in the test's
/// environment it rewrites the file instead (review the diff before committing it).
inline void expect_golden(std::string const& name, std::string const& actual) {
  std::filesystem::path const path = std::filesystem::path(SMARTER_CLI_GOLDEN_DIR) / name;
  char const* update = std::getenv("SMARTER_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    write_text(path, actual);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << "no golden file " << path << " (run with SMARTER_UPDATE_GOLDEN=1)";
  EXPECT_EQ(read_text(path), actual) << "output differs from " << path;
}

}  // namespace smarter_cli_test
