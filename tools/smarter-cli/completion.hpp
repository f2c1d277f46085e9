// `smarter completion bash|zsh`: shell completion scripts made from the command-line definition
// itself, so a new command or flag is completed without anyone editing a script.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace smarter_cli {

/// The completion script for `shell` ("bash" or "zsh") of the commands and flags of `app`.
/// Kinds are completed per command, chatbot names by asking the platform (`smarter get chatbots
/// --quiet`), files after -f. Throws UsageError for another shell.
std::string completion_script(CLI::App const& app, std::string const& shell);

}  // namespace smarter_cli
