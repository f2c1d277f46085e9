// Runs the built `smarter` executable as a real process: arguments, a whole environment and
// standard input in; standard output, standard error and the exit status out.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace smarter_cli_test {

/// What one run of the program produced.
struct CliResult {
  int exit_code = -1;  ///< The exit status; 128 + signal number when a signal ended it.
  std::string out{};   ///< Everything written to standard output.
  std::string err{};   ///< Everything written to standard error.
};

/// The environment of a run: exactly these variables, nothing inherited.
using Environment = std::map<std::string, std::string>;

/// Runs `program` with `args`, `environment` and `input` on standard input (a pipe, closed once
/// written, so the program sees no terminal). A run still going after a minute is killed, which
/// fails the test that waits for it rather than hanging the suite.
CliResult run_program(std::string const& program, std::vector<std::string> const& args, Environment const& environment,
                      std::string const& input = {});

}  // namespace smarter_cli_test
