// smarter-mock: the fake Smarter platform and the OpenAI-shaped APIs as a standalone HTTP server,
// so any client (this SDK, curl, the platform's own Go CLI, the Python SDK) can be pointed at it.
// `smarter-mock --help` lists the flags: address, generation, seed data and injected failures.
//
// The command line and the server live in smarter::testkit (smarter_mock.hpp), so the tests start
// exactly what this program starts; this file only adds the process around them: it prints the
// base URL and API key to use and runs until SIGINT or SIGTERM.
#include <csignal>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <pthread.h>

#include <smarter/testkit/smarter_mock.hpp>

int main(int argc, char** argv) {
  std::vector<std::string> const args(argv + 1, argv + argc);
  smarter::testkit::SmarterMockCommandLine const command_line = smarter::testkit::parse_smarter_mock_args(args);
  if (!command_line.error.empty()) {
    std::cerr << "smarter-mock: " << command_line.error << "\n";
    return 2;
  }
  if (command_line.help) {
    std::cout << smarter::testkit::smarter_mock_usage();
    return 0;
  }

  // Block the stop signals before the server starts its threads (they inherit the mask), then
  // wait for one here: no async-signal-safety concerns.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    smarter::testkit::SmarterMock mock(command_line.options);
    std::cout << mock.banner() << std::flush;
    int received = 0;
    sigwait(&stop_signals, &received);
    std::cout << "smarter-mock: stopping" << std::endl;
    mock.server().stop();
  } catch (std::exception const& e) {
    std::cerr << "smarter-mock: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
