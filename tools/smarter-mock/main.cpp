// smarter-mock: the fake Smarter platform as a standalone HTTP server, so any client (this SDK,
// curl, the platform's own Go CLI) can be pointed at it.
//
//   smarter-mock [--port N] [--host 127.0.0.1] [--generation v0_13|v0_14] [--api-key KEY]
//                [--key-style snake|camel] [--no-seed]
//
// It prints the base URL and API key to use and runs until SIGINT or SIGTERM.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include <pthread.h>

#include <smarter/testkit/fake_files.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

namespace {

constexpr char kUsage[] =
    "usage: smarter-mock [--port N] [--host ADDR] [--generation v0_13|v0_14] [--api-key KEY]\n"
    "                    [--key-style snake|camel] [--no-seed]\n"
    "Serves the fake Smarter platform (/api/v1/cli/...) until SIGINT or SIGTERM.\n";

[[noreturn]] void fail(std::string const& message) {
  std::cerr << "smarter-mock: " << message << "\n" << kUsage;
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  smarter::testkit::FakeServer::Options server_options;
  smarter::testkit::PlatformOptions platform_options;
  for (int i = 1; i < argc; ++i) {
    std::string const arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) fail("missing value after " + arg);
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--port") {
      std::string const text = value();
      char* end = nullptr;
      long port = std::strtol(text.c_str(), &end, 10);
      if (end == text.c_str() || *end != '\0' || port < 0 || port > 65535) fail("bad port: " + text);
      server_options.port = static_cast<int>(port);
    } else if (arg == "--host") {
      server_options.host = value();
    } else if (arg == "--generation") {
      std::string const g = value();
      if (g == "v0_13" || g == "0.13") {
        platform_options.generation = smarter::testkit::FakeGeneration::v0_13;
      } else if (g == "v0_14" || g == "0.14") {
        platform_options.generation = smarter::testkit::FakeGeneration::v0_14;
      } else {
        fail("unknown generation: " + g);
      }
    } else if (arg == "--api-key") {
      platform_options.api_key = value();
    } else if (arg == "--key-style") {
      std::string const style = value();
      if (style != "snake" && style != "camel") fail("unknown key style: " + style);
      platform_options.key_style =
          style == "snake" ? smarter::testkit::KeyStyle::snake : smarter::testkit::KeyStyle::camel;
    } else if (arg == "--no-seed") {
      platform_options.seed_demo = false;
    } else {
      fail("unknown argument: " + arg);
    }
  }

  // Block the stop signals before the server starts its threads (they inherit the mask), then
  // wait for one here: no async-signal-safety concerns.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  smarter::testkit::FakeServer server(server_options);
  auto platform = smarter::testkit::install_platform(server, platform_options);
  // The OpenAI-shaped APIs share the server and the base URL: the platform only claims paths
  // containing "/cli/", the others answer under "/api/v1/" too.
  auto openai = smarter::testkit::install_openai(server);
  auto files = smarter::testkit::install_files(server);

  std::cout << "smarter-mock: Smarter platform "
            << (platform_options.generation == smarter::testkit::FakeGeneration::v0_13 ? "v0.13" : "v0.14")
            << " listening on " << server.url() << "\n"
            << "SMARTER_BASE_URL=" << smarter::testkit::platform_base_url(server) << "\n"
            << "SMARTER_API_KEY=" << platform->options().api_key << "\n"
            << "demo chatbot: " << platform->options().demo_chatbot << "\n"
            << "also serving: chat/completions, responses, files, fine_tuning/jobs" << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  std::cout << "smarter-mock: stopping" << std::endl;
  server.stop();
  return 0;
}
