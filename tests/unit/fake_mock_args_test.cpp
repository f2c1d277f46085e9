// smarter-mock's command line (parse_smarter_mock_args, smarter_mock_usage): every flag, both
// value spellings, repeated flags in order, refusals, and a --help that documents every flag
// with an example the parser accepts.
#include <algorithm>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/testkit/smarter_mock.hpp>

namespace {

using smarter::testkit::Fault;
using smarter::testkit::FakeGeneration;
using smarter::testkit::parse_smarter_mock_args;
using smarter::testkit::SmarterMockCommandLine;

std::vector<std::string> words(std::string const& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

TEST(SmarterMockArgs, DefaultsWithoutArguments) {
  SmarterMockCommandLine parsed = parse_smarter_mock_args({});
  EXPECT_EQ(parsed.error, "");
  EXPECT_FALSE(parsed.help);
  EXPECT_EQ(parsed.options.server.host, "127.0.0.1");
  EXPECT_EQ(parsed.options.server.port, 0);
  EXPECT_EQ(parsed.options.platform.generation, FakeGeneration::v0_13);
  EXPECT_EQ(parsed.options.platform.api_key, smarter::testkit::kFakePlatformApiKey);
  EXPECT_TRUE(parsed.options.platform.seed_demo);
  EXPECT_TRUE(parsed.options.faults.empty());
  EXPECT_EQ(parsed.options.latency.count(), 0);
  EXPECT_EQ(parsed.options.seed_jobs, 0);
  EXPECT_EQ(parsed.options.seed_files, 0);
  EXPECT_TRUE(parsed.options.seed_chatbots.empty());
  EXPECT_FALSE(parsed.options.call_tools);
}

TEST(SmarterMockArgs, EveryFlagSetsItsOption) {
  SmarterMockCommandLine parsed = parse_smarter_mock_args(
      words("--port 9357 --host ::1 --generation v0_14 --api-key k --key-style snake --no-seed "
            "--seed-chatbots a,b-2 --seed-chatbots c_3 --seed-files 3 --seed-jobs 250 "
            "--fail-next 503:2 --drop-next 1 --fail-next 429 --latency 250 --call-tools"));
  ASSERT_EQ(parsed.error, "");
  auto const& o = parsed.options;
  EXPECT_EQ(o.server.port, 9357);
  EXPECT_EQ(o.server.host, "::1");
  EXPECT_EQ(o.platform.generation, FakeGeneration::v0_14);
  EXPECT_EQ(o.platform.api_key, "k");
  EXPECT_EQ(o.platform.key_style, smarter::testkit::KeyStyle::snake);
  EXPECT_FALSE(o.platform.seed_demo);
  EXPECT_EQ(o.seed_chatbots, (std::vector<std::string>{"a", "b-2", "c_3"}));
  EXPECT_EQ(o.seed_files, 3);
  EXPECT_EQ(o.seed_jobs, 250);
  ASSERT_EQ(o.faults.size(), 3u);  // in the order given
  EXPECT_EQ(o.faults[0].kind, Fault::Kind::fail);
  EXPECT_EQ(o.faults[0].status, 503);
  EXPECT_EQ(o.faults[0].count, 2);
  EXPECT_EQ(o.faults[1].kind, Fault::Kind::drop);
  EXPECT_EQ(o.faults[1].count, 1);
  EXPECT_EQ(o.faults[2].status, 429);
  EXPECT_EQ(o.faults[2].count, 1);
  EXPECT_EQ(o.latency.count(), 250);
  EXPECT_TRUE(o.call_tools);
}

TEST(SmarterMockArgs, ValuesMayFollowAnEqualsSign) {
  SmarterMockCommandLine parsed = parse_smarter_mock_args({"--port=80", "--fail-next=500:3", "--generation=0.14"});
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.options.server.port, 80);
  ASSERT_EQ(parsed.options.faults.size(), 1u);
  EXPECT_EQ(parsed.options.faults[0].count, 3);
  EXPECT_EQ(parsed.options.platform.generation, FakeGeneration::v0_14);
}

TEST(SmarterMockArgs, HelpIsRecognised) {
  EXPECT_TRUE(parse_smarter_mock_args({"--help"}).help);
  EXPECT_TRUE(parse_smarter_mock_args({"--port", "1", "-h"}).help);
}

TEST(SmarterMockArgs, BadArgumentsAreRefusedWithAReason) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  std::vector<Case> const cases = {
      {{"--frobnicate"}, "unknown argument '--frobnicate'"},
      {{"--port"}, "--port needs a value"},
      {{"--port", "65536"}, "--port takes a number from 0 to 65535"},
      {{"--port", "-1"}, "--port takes a number"},
      {{"--port", "12ab"}, "--port takes a number"},
      {{"--generation", "v0_15"}, "unknown generation 'v0_15'"},
      {{"--key-style", "kebab"}, "unknown key style 'kebab'"},
      {{"--fail-next", "200"}, "--fail-next takes STATUS[:COUNT]"},
      {{"--fail-next", "600:1"}, "--fail-next takes STATUS[:COUNT]"},
      {{"--fail-next", "503:0"}, "--fail-next takes STATUS[:COUNT]"},
      {{"--fail-next", "503:"}, "--fail-next takes STATUS[:COUNT]"},
      {{"--fail-next", "abc"}, "--fail-next takes STATUS[:COUNT]"},
      {{"--drop-next", "0"}, "--drop-next takes a number from 1"},
      {{"--latency", "600001"}, "--latency takes a number from 0 to 600000"},
      {{"--seed-jobs", "x"}, "--seed-jobs takes a number"},
      {{"--seed-files", "10001"}, "--seed-files takes a number from 0 to 10000"},
      {{"--seed-chatbots", "a,,b"}, "'' is not a chatbot name"},
      {{"--seed-chatbots", "a/b"}, "'a/b' is not a chatbot name"},
      {{"--seed-chatbots", ""}, "--seed-chatbots needs at least one name"},
      {{"--api-key", ""}, "--api-key needs a key"},
      {{"--no-seed=yes"}, "unknown argument '--no-seed=yes'"},
  };
  for (Case const& c : cases) {
    SmarterMockCommandLine parsed = parse_smarter_mock_args(c.args);
    EXPECT_NE(parsed.error.find(c.says), std::string::npos)
        << "args: " << ::testing::PrintToString(c.args) << "\nerror: " << parsed.error;
  }
}

// --------------------------------------------------------------- --help

// The flags --help lists, from its "  --flag" lines.
std::set<std::string> documented_flags() {
  std::set<std::string> flags;
  std::regex flag_line(R"(^  (?:-h, )?(--[a-z-]+))");
  std::istringstream usage(smarter::testkit::smarter_mock_usage());
  for (std::string line; std::getline(usage, line);) {
    std::smatch match;
    if (std::regex_search(line, match, flag_line)) flags.insert(match[1]);
  }
  return flags;
}

TEST(SmarterMockUsage, ListsEveryFlagTheParserAccepts) {
  std::set<std::string> const expected = {"--port",          "--host",       "--generation", "--api-key",
                                          "--key-style",     "--no-seed",    "--seed-chatbots", "--seed-files",
                                          "--seed-jobs",     "--fail-next",  "--drop-next",  "--latency",
                                          "--call-tools",    "--help"};
  EXPECT_EQ(documented_flags(), expected);
}

TEST(SmarterMockUsage, EveryFlagHasAnExampleThatParses) {
  // Each flag's entry is followed by an "e.g." line before the next flag starts.
  std::istringstream usage(smarter::testkit::smarter_mock_usage());
  std::regex flag_line(R"(^  (?:-h, )?(--[a-z-]+))");
  std::string current;
  std::set<std::string> with_example;
  for (std::string line; std::getline(usage, line);) {
    std::smatch match;
    if (std::regex_search(line, match, flag_line)) current = match[1];
    std::size_t const eg = line.find("e.g. ");
    if (eg == std::string::npos || current.empty()) continue;
    std::vector<std::string> example = words(line.substr(eg + 5));
    if (!example.empty() && example.front() == "smarter-mock") example.erase(example.begin());
    EXPECT_NE(std::find(example.begin(), example.end(), current), example.end())
        << "the example of " << current << " does not use it: " << line;
    EXPECT_EQ(parse_smarter_mock_args(example).error, "") << "the example of " << current << " does not parse: " << line;
    with_example.insert(current);
  }
  EXPECT_EQ(with_example, documented_flags());
}

TEST(SmarterMockUsage, SaysWhatItServesUnderOneBaseUrl) {
  std::string const usage = smarter::testkit::smarter_mock_usage();
  for (char const* api : {"/api/v1/", "cli/", "chat/completions", "responses", "files", "fine_tuning/jobs"}) {
    EXPECT_NE(usage.find(api), std::string::npos) << api;
  }
}

}  // namespace
