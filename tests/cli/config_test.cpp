// Where settings come from: ~/.smarter/config.yaml in the Go tool's layout (under a temporary
// HOME), then SMARTER_* variables, then flags, later ones winning; and `configure` writing it.
#include <string>

#include <sys/stat.h>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

namespace smarter_cli_test {
namespace {

using ::testing::HasSubstr;

/// A key the fake platform refuses.
std::string const kBadKey(64, 'b');

class Config : public CliTest {
 protected:
  /// Starts the fake platform (and whatever else the tests below share).
  /// Starts the fake platform.
  void SetUp() override { start(FakeGeneration::v0_13); }

  /// The config file under the temporary HOME.
  std::filesystem::path config_path() const { return home_ / ".smarter" / "config.yaml"; }

  /// Writes the config file.
  void write_config(std::string const& text) const {
    std::filesystem::create_directories(config_path().parent_path());
    write_text(config_path(), text);
  }

  /// The environment without SMARTER_API_KEY (the fake's URL stays).
  Environment without_key() const {
    Environment env = environment();
    env.erase("SMARTER_API_KEY");
    return env;
  }

  /// The file mode bits of `path`.
  static unsigned mode_of(std::filesystem::path const& path) {
    struct stat info {};
    ::stat(path.c_str(), &info);
    return info.st_mode & 0777;
  }
};

TEST_F(Config, TheGoToolsFileWorksAsItIs) {
  // The layout of smarter-cli's own test fixture (cmd/main_test.go), with the fake's key.
  std::string const key = mock_->api_key();
  write_config("config:\n"
               "  account_number: \"1234-5678-9012\"\n"
               "  environment: alpha\n"
               "  output_format: yaml\n"
               "  root_domain: platform.smarter.sh\n"
               "local:\n  api_key: \"" + key + "\"\n"
               "alpha:\n  api_key: \"" + key + "\"\n"
               "beta:\n  api_key: \"" + key + "\"\n"
               "prod:\n  api_key: \"" + key + "\"\n");
  CliResult const r = smarter_with(without_key(), {"whoami"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("environment: local\n"));  // config.output_format yaml applies
  EXPECT_EQ(smarter_with(without_key(), {"whoami", "-o", "json"}).out.front(), '{');  // -o wins
}

TEST_F(Config, TheKeyComesFromTheFileThenTheEnvironmentThenTheFlag) {
  write_config("prod:\n  api_key: " + mock_->api_key() + "\n");
  EXPECT_EQ(smarter_with(without_key(), {"whoami"}).exit_code, 0);

  Environment bad_env = environment();
  bad_env["SMARTER_API_KEY"] = kBadKey;
  EXPECT_EQ(smarter_with(bad_env, {"whoami"}).exit_code, 3);  // the environment beats the file
  EXPECT_EQ(smarter_with(bad_env, {"--api-key", mock_->api_key(), "whoami"}).exit_code, 0);  // the flag beats both
  EXPECT_EQ(smarter_with(bad_env, {"whoami", "--api_key", mock_->api_key()}).exit_code, 0);  // Go's spelling

  write_config("prod:\n  api_key: " + kBadKey + "\n");
  EXPECT_EQ(smarter_with(without_key(), {"whoami"}).exit_code, 3);
  EXPECT_EQ(smarter({"whoami"}).exit_code, 0);
}

TEST_F(Config, TheKeyIsTheOneOfTheEnvironmentInUse) {
  write_config("config:\n  environment: alpha\nalpha:\n  api_key: " + mock_->api_key() + "\nprod:\n  api_key: " +
               kBadKey + "\n");
  EXPECT_EQ(smarter_with(without_key(), {"whoami"}).exit_code, 0);
  EXPECT_EQ(smarter_with(without_key(), {"--environment", "prod", "--base-url", mock_->base_url(), "whoami"}).exit_code, 3);
  Environment prod = without_key();
  prod["SMARTER_ENVIRONMENT"] = "prod";
  EXPECT_EQ(smarter_with(prod, {"whoami"}).exit_code, 3);
}

TEST_F(Config, TheBaseUrlFlagBeatsTheEnvironment) {
  std::string const dead = "http://127.0.0.1:1/api/v1/";
  Environment env = environment();
  env["SMARTER_BASE_URL"] = dead;
  EXPECT_EQ(smarter_with(env, {"--max-retries", "0", "whoami"}).exit_code, 4);
  EXPECT_EQ(smarter_with(env, {"--base-url", mock_->base_url(), "whoami"}).exit_code, 0);
  EXPECT_EQ(smarter({"--base-url", dead, "--max-retries", "0", "whoami"}).exit_code, 4);
}

TEST_F(Config, AnEnvironmentFlagBeatsAnExportedBaseUrl) {
  // `local` is the platform's development server; whether one runs there does not matter, only
  // where the request went.
  CliResult const r = smarter({"--environment", "local", "-v", "--max-retries", "0", "--timeout", "5", "status"});
  EXPECT_THAT(r.err, HasSubstr("POST http://localhost:9357/api/v1/cli/status/"));
}

TEST_F(Config, ConfigureWritesTheGoLayoutPrivately) {
  std::string const key = mock_->api_key();
  CliResult const r = smarter_with(without_key(), {"configure", "-k", key, "-a", "1234-5678-9012", "-u", "ada_l", "-o", "YAML"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Saved " + config_path().string() + " (API key for the prod environment)\n");
  EXPECT_EQ(read_text(config_path()), "config:\n"
                                      "  account_number: 1234-5678-9012\n"
                                      "  username: ada_l\n"
                                      "  output_format: yaml\n"
                                      "prod:\n"
                                      "  api_key: " + key + "\n");
  EXPECT_EQ(mode_of(config_path()), 0600u);
  EXPECT_EQ(mode_of(config_path().parent_path()), 0700u);
  EXPECT_EQ(smarter_with(without_key(), {"whoami"}).exit_code, 0);
}

TEST_F(Config, ConfigureKeepsWhatItDoesNotManage) {
  write_config("config:\n  account_number: 1234-5678-9012\n  favourite: blue\nprod:\n  api_key: " + kBadKey +
               "\nextra:\n  - 1\n  - \"007\"\n");
  ::chmod(config_path().c_str(), 0644);  // as the Go tool writes it
  CliResult const r = smarter_with(without_key(), {"--environment", "alpha", "configure", "--api-key", mock_->api_key()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(config_path()), "config:\n"
                                      "  account_number: 1234-5678-9012\n"
                                      "  favourite: blue\n"
                                      "prod:\n"
                                      "  api_key: " + kBadKey + "\n"
                                      "extra:\n"
                                      "  - 1\n"
                                      "  - \"007\"\n"
                                      "alpha:\n"
                                      "  api_key: " + mock_->api_key() + "\n");
  EXPECT_EQ(mode_of(config_path()), 0600u);
}

TEST_F(Config, ConfigureReadsAnswersFromStandardInput) {
  // One line per question (account number, API key, username, output format); empty keeps.
  CliResult const r = smarter_with(without_key(), {"configure"}, "1234-5678-9012\n" + mock_->api_key() + "\n\njson\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(config_path()), "config:\n"
                                      "  account_number: 1234-5678-9012\n"
                                      "  output_format: json\n"
                                      "prod:\n"
                                      "  api_key: " + mock_->api_key() + "\n");
}

TEST_F(Config, ConfigureRefusesBadValues) {
  EXPECT_EQ(smarter({"configure", "-k", "not-a-key"}).exit_code, 1);
  EXPECT_EQ(smarter({"configure", "-a", "12-34"}).exit_code, 1);
  EXPECT_EQ(smarter({"configure", "-o", "table"}).exit_code, 1);
  CliResult const piped = smarter({"configure"}, "not an account\n");
  EXPECT_EQ(piped.exit_code, 6);
  EXPECT_THAT(piped.err, HasSubstr("account_number"));
  EXPECT_FALSE(std::filesystem::exists(config_path()));
}

TEST_F(Config, ABrokenFileIsAUsageError) {
  write_config("config: [unclosed\n");
  CliResult const broken = smarter({"whoami"});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_THAT(broken.err, HasSubstr(config_path().string()));
  write_config("config:\n  environment: moon\n");
  CliResult const moon = smarter({"whoami"});
  EXPECT_EQ(moon.exit_code, 1);
  EXPECT_THAT(moon.err, HasSubstr("config.environment"));
  write_config("config:\n  output_format: xml\n");
  EXPECT_EQ(smarter({"whoami"}).exit_code, 1);
}

TEST_F(Config, AnotherFileCanBeNamed) {
  auto const other = home_ / "elsewhere.yaml";
  write_text(other, "prod:\n  api_key: " + mock_->api_key() + "\n");
  EXPECT_EQ(smarter_with(without_key(), {"--config", other.string(), "whoami"}).exit_code, 0);
  EXPECT_EQ(smarter_with(without_key(), {"whoami"}).exit_code, 3);
}

}  // namespace
}  // namespace smarter_cli_test
