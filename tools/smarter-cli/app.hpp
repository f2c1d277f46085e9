// The command line of `smarter`: its commands and flags (CLI11) and the run that ties parsing,
// settings, the command and the exit status together.
#pragma once

namespace smarter_cli {

/// Parses the command line, runs the command it names and returns the process exit status
/// (see ExitStatus). Bare `smarter` prints the help.
int run(int argc, char const* const* argv);

}  // namespace smarter_cli
