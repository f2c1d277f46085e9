// smarter: the Smarter platform's command-line tool, built on the public C++ SDK.
// `smarter --help` lists the commands; docs/sections/cli.md documents them and the exit statuses.
#include "app.hpp"

int main(int argc, char** argv) { return smarter_cli::run(argc, argv); }
