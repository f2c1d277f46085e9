// The fake Smarter platform and the fake OpenAI-shaped endpoints in a process of their own, for
// bench/async: the client's memory and threads are then measured alone.
//
//   bench_async_server [--port N] [--latency-ms MS]
//
// Prints "PORT <n>" once listening, then serves until its standard input closes. Two extra
// routes serve the benchmark itself (their own requests are left out of what they report):
//   POST /bench/reset   forgets the request log
//   GET  /bench/stats   {"requests": n, "connections": n} since the last reset: the requests and
//                       the distinct client connections (remote ip:port) they came on
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>
#include <stdexcept>
#include <string>

#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

int main(int argc, char** argv) try {
  int port = 0;
  long latency_ms = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string const flag = argv[i];
    if (flag == "--port") port = std::stoi(argv[i + 1]);
    else if (flag == "--latency-ms") latency_ms = std::stol(argv[i + 1]);
    else throw std::runtime_error("unknown flag " + flag);
  }
  // One thread and one socket per connection: allow many.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }

  smarter::testkit::FakeServer::Options options;
  options.port = port;
  smarter::testkit::FakeServer server(options);
  smarter::testkit::install_platform(server);
  smarter::testkit::install_openai(server);
  server.set_latency(std::chrono::milliseconds(latency_ms));

  auto is_bench = [](smarter::testkit::RecordedRequest const& r) { return r.path.rfind("/bench/", 0) == 0; };
  server.route("POST", "/bench/reset", [&server](smarter::testkit::RecordedRequest const&) {
    server.clear_requests();
    return smarter::testkit::FakeResponse::json(200, {{"ok", true}});
  });
  server.route("GET", "/bench/stats", [&server, is_bench](smarter::testkit::RecordedRequest const&) {
    std::size_t requests = 0;
    std::set<std::string> connections;
    for (auto const& request : server.requests()) {
      if (is_bench(request)) continue;
      ++requests;
      connections.insert(request.connection_id);
    }
    return smarter::testkit::FakeResponse::json(200, {{"requests", requests}, {"connections", connections.size()}});
  });

  std::cout << "PORT " << server.port() << std::endl;
  // The parent closes our stdin (or dies) to stop us: no signal handling needed.
  char buffer[256];
  while (std::fread(buffer, 1, sizeof buffer, stdin) > 0) {
  }
  server.stop();
  return 0;
} catch (std::exception const& e) {
  std::fprintf(stderr, "bench_async_server: %s\n", e.what());
  return 1;
}
