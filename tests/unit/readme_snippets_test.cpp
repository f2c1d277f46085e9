// Every C++ snippet in README.md is marked with the example it comes from, and must appear there
// line for line (indentation aside), so the README only shows code that compiles and runs.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

std::vector<std::string> read_lines(std::string const& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string strip(std::string const& line) {
  auto first = line.find_first_not_of(" \t");
  auto last = line.find_last_not_of(" \t\r");
  return first == std::string::npos ? std::string() : line.substr(first, last - first + 1);
}

bool contains_block(std::vector<std::string> const& file, std::vector<std::string> const& block) {
  if (block.empty()) return false;
  for (std::size_t start = 0; start + block.size() <= file.size(); ++start) {
    bool match = true;
    for (std::size_t i = 0; i < block.size() && match; ++i) match = strip(file[start + i]) == strip(block[i]);
    if (match) return true;
  }
  return false;
}

TEST(Readme, EverySnippetIsInItsCompiledExample) {
  std::string root = SMARTER_SOURCE_DIR;
  std::vector<std::string> readme = read_lines(root + "/README.md");
  ASSERT_FALSE(readme.empty()) << "README.md not found";
  std::regex marker(R"(<!-- snippet: (\S+) -->)");
  int checked = 0;
  for (std::size_t i = 0; i < readme.size(); ++i) {
    std::smatch match;
    if (!std::regex_search(readme[i], match, marker)) continue;
    std::string example = match[1];
    ASSERT_LT(i + 1, readme.size());
    ASSERT_EQ(strip(readme[i + 1]), "```cpp") << "marker for " << example << " must precede a cpp block";
    std::vector<std::string> block;
    std::size_t j = i + 2;
    for (; j < readme.size() && strip(readme[j]) != "```"; ++j) block.push_back(readme[j]);
    std::vector<std::string> source = read_lines(root + "/" + example);
    ASSERT_FALSE(source.empty()) << example << " does not exist";
    EXPECT_TRUE(contains_block(source, block)) << "README snippet at line " << i + 1 << " is not in " << example;
    ++checked;
  }
  EXPECT_GE(checked, 10) << "the README should show its examples";
}

TEST(Readme, EveryCppBlockIsMarked) {
  std::vector<std::string> readme = read_lines(std::string(SMARTER_SOURCE_DIR) + "/README.md");
  for (std::size_t i = 0; i < readme.size(); ++i) {
    if (strip(readme[i]) != "```cpp") continue;
    ASSERT_GT(i, 0u);
    EXPECT_NE(readme[i - 1].find("<!-- snippet: "), std::string::npos)
        << "the cpp block at README line " << i + 1 << " names no example";
  }
}

TEST(Readme, IsAssembledFromItsSections) {
  // README.md is generated from docs/sections/ by scripts/readme; an edit of one alone is lost.
  std::string const command = "bash '" + std::string(SMARTER_SOURCE_DIR) + "/scripts/readme' --check >/dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << "run scripts/readme after editing docs/sections/";
}

TEST(Readme, EveryRelativeLinkResolves) {
  std::string const root = SMARTER_SOURCE_DIR;
  std::vector<std::string> readme = read_lines(root + "/README.md");
  std::regex link(R"(\]\(([^)\s]+)\))");
  int checked = 0;
  bool in_code = false;
  for (std::size_t i = 0; i < readme.size(); ++i) {
    if (strip(readme[i]).rfind("```", 0) == 0) in_code = !in_code;
    if (in_code) continue;
    for (std::sregex_iterator it(readme[i].begin(), readme[i].end(), link), end; it != end; ++it) {
      std::string target = (*it)[1];
      if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0 || target.rfind("mailto:", 0) == 0 ||
          target.front() == '#') {
        continue;
      }
      target = target.substr(0, target.find('#'));
      EXPECT_TRUE(std::filesystem::exists(root + "/" + target))
          << "README line " << i + 1 << " links to " << target << ", which does not exist";
      ++checked;
    }
  }
  EXPECT_GE(checked, 5) << "the README should link to its examples";
}

}  // namespace
