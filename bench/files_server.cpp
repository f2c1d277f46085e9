// The fake Files endpoints in a process of their own, for bench/upload_memory.
// Prints "PORT <n>" once listening, then serves until its standard input closes.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include <smarter/testkit/fake_files.hpp>
#include <smarter/testkit/fake_server.hpp>

int main(int argc, char** argv) {
  smarter::testkit::FakeFilesOptions options;
  if (argc > 1) options.temp_dir = argv[1];  // Else a fresh temporary folder, removed on exit.
  smarter::testkit::FakeServer server;
  auto files = smarter::testkit::install_files(server, options);
  std::cout << "PORT " << server.port() << std::endl;
  // The parent closes our stdin (or dies) to stop us: no signal handling needed.
  char buffer[256];
  while (std::fread(buffer, 1, sizeof buffer, stdin) > 0) {
  }
  server.stop();
  return 0;
}
