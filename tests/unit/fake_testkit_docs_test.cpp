// The test kit's README section (docs/sections/testkit.md) documents every smarter-mock flag and
// says what the mock serves. (Its snippets and links are checked with the rest of README.md by
// readme_snippets_test.cpp.)
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/testkit/smarter_mock.hpp>

namespace {

std::string const kRoot = SMARTER_SOURCE_DIR;

std::vector<std::string> read_lines(std::string const& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> section() {
  std::vector<std::string> lines = read_lines(kRoot + "/docs/sections/testkit.md");
  EXPECT_FALSE(lines.empty()) << "docs/sections/testkit.md not found";
  return lines;
}

TEST(TestkitDocs, StartsWithItsReadmeHeading) {
  std::vector<std::string> lines = section();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), "## Testing your code with the test kit");
}

TEST(TestkitDocs, EveryMockFlagIsDocumentedWithAnExample) {
  std::stringstream text;
  for (auto const& line : section()) text << line << "\n";
  std::string const doc = text.str();
  std::regex flag_line(R"(^  (?:-h, )?(--[a-z-]+))");
  std::istringstream usage(smarter::testkit::smarter_mock_usage());
  int flags = 0;
  for (std::string line; std::getline(usage, line);) {
    std::smatch match;
    if (!std::regex_search(line, match, flag_line)) continue;
    std::string const flag = match[1];
    // A table row that starts with the flag and ends with an example using it.
    std::regex row("^\\| `" + flag + "[^|]*\\|[^|]*\\| `[^`]*" + flag + "[^`]*` \\|$", std::regex::multiline);
    if (flag == "--help") row = std::regex(R"(^\| `-h`, `--help` \|[^|]*\| `--help` \|$)", std::regex::multiline);
    EXPECT_TRUE(std::regex_search(doc, row)) << flag << " has no row with an example in docs/sections/testkit.md";
    ++flags;
  }
  EXPECT_GE(flags, 13);
}

TEST(TestkitDocs, SaysOneBaseUrlServesThePlatformAndTheOpenAIShapedApis) {
  std::stringstream text;
  for (auto const& line : section()) text << line << "\n";
  std::string const doc = text.str();
  for (char const* needle : {"/api/v1/", "`cli/` API **and** the", "`chat/completions`", "`responses`", "`files`",
                             "`fine_tuning/jobs`", "./build/dev/smarter-mock"}) {
    EXPECT_NE(doc.find(needle), std::string::npos) << needle;
  }
}

}  // namespace
