// The recorded session in docs/sections/cli.md is real: its commands are run here, in order,
// against a fresh fake platform (v0.13, 100 columns), and the transcript must match the document
// line for line. SMARTER_UPDATE_GOLDEN=1 rewrites the document's transcript from this run.
#include <cstdlib>
#include <string>
#include <vector>

#include "cli_fixture.hpp"

namespace smarter_cli_test {
namespace {

std::filesystem::path const kDocument = std::filesystem::path(SMARTER_SOURCE_DIR) / "docs" / "sections" / "cli.md";
std::string const kMarker = "<!-- recorded session:";

/// Splits a command line into words: blanks separate, single and double quotes group.
std::vector<std::string> shell_words(std::string const& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

/// printf's reading of its format: "\n" is a line break.
std::string printf_text(std::string format) {
  for (std::size_t at = format.find("\\n"); at != std::string::npos; at = format.find("\\n", at + 1)) {
    format.replace(at, 2, "\n");
  }
  return format;
}

class RecordedSession : public CliTest {
 protected:
  /// Starts the fake platform (and whatever else the tests below share).
  /// Starts the fake platform.
  void SetUp() override { start(FakeGeneration::v0_13); }

  /// Runs one transcript command: `smarter ...`, `printf '...' | smarter ...` or `echo $?`.
  std::string run(std::string const& command, int& last_status) {
    if (command == "echo $?") return std::to_string(last_status) + "\n";
    std::vector<std::string> words = shell_words(command);
    std::string input;
    if (words.size() > 3 && words[0] == "printf" && words[2] == "|") {
      input = printf_text(words[1]);
      words.erase(words.begin(), words.begin() + 3);
    }
    EXPECT_FALSE(words.empty() || words[0] != "smarter") << "not a smarter command: " << command;
    if (words.empty()) return {};
    words.erase(words.begin());
    Environment env = environment();
    env["COLUMNS"] = "100";
    CliResult const r = smarter_with(env, words, input);
    last_status = r.exit_code;
    return r.out + r.err;
  }
};

TEST_F(RecordedSession, MatchesARealRun) {
  std::string const document = read_text(kDocument);
  std::size_t const marker = document.find(kMarker);
  ASSERT_NE(marker, std::string::npos) << kDocument << " has no " << kMarker << " block";
  std::size_t const begin = document.find("```console\n", marker);
  ASSERT_NE(begin, std::string::npos);
  std::size_t const body = begin + std::string("```console\n").size();
  std::size_t const end = document.find("\n```", body);
  ASSERT_NE(end, std::string::npos);
  std::string const recorded = document.substr(body, end + 1 - body);

  std::string transcript;
  int last_status = 0;
  std::size_t commands = 0;
  for (std::size_t at = 0, eol; (eol = recorded.find('\n', at)) != std::string::npos; at = eol + 1) {
    std::string const line = recorded.substr(at, eol - at);
    if (line.rfind("$ ", 0) != 0) continue;
    transcript += line + "\n" + normalized(run(line.substr(2), last_status));
    ++commands;
  }
  EXPECT_GE(commands, 5u) << "the recorded session should show the tool at work";

  char const* update = std::getenv("SMARTER_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    write_text(kDocument, document.substr(0, body) + transcript + document.substr(end + 1));
    return;
  }
  EXPECT_EQ(recorded, transcript) << "the recorded session in " << kDocument << " no longer matches a real run";
}

}  // namespace
}  // namespace smarter_cli_test
