// Memory benchmark of streamed uploads and downloads: a large sparse file (1 GiB by default)
// is uploaded to a fake server running in another process, downloaded back to a path, and
// checked byte for byte (SHA-256). Prints the client's peak RSS against a baseline taken in the
// same process after a trivial request. Fails (exit 1) when the bytes differ or the peak RSS
// reaches the limit; times are printed for information only.
//
//   bench_upload_memory [--size-mib N] [--limit-mib M] [--dir DIR] [--server PATH]
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <smarter/client.hpp>
#include <smarter/file_input.hpp>
#include <smarter/resources/files.hpp>
#include <smarter/testkit/fake_files.hpp>

extern char** environ;

namespace {

// Peak resident set size of this process so far, in KiB (Linux reports ru_maxrss in KiB).
long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

double mib(long kib) { return static_cast<double>(kib) / 1024.0; }

// The server process: started with pipes on stdin (closed to stop it) and stdout (its port).
struct ServerProcess {
  pid_t pid = -1;
  int stdin_fd = -1;
  int port = 0;

  void start(std::string const& program) {
    int in_pipe[2];
    int out_pipe[2];
    if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_addclose(&actions, in_pipe[1]);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    std::vector<char*> argv{const_cast<char*>(program.c_str()), nullptr};
    int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in_pipe[0]);
    close(out_pipe[1]);
    if (rc != 0) throw std::runtime_error("cannot start " + program + ": " + std::strerror(rc));
    stdin_fd = in_pipe[1];
    FILE* out = fdopen(out_pipe[0], "r");
    char line[128] = {};
    if (out == nullptr || std::fgets(line, sizeof line, out) == nullptr ||
        std::sscanf(line, "PORT %d", &port) != 1) {
      throw std::runtime_error("the bench server did not report its port");
    }
    std::fclose(out);
  }

  ~ServerProcess() {
    if (stdin_fd >= 0) close(stdin_fd);
    if (pid > 0) {
      int status = 0;
      waitpid(pid, &status, 0);
    }
  }
};

// A sparse file of `size` bytes with a distinct 4 KiB block every 64 MiB, so the bytes checked
// are not all zeros while the file takes almost no disk space.
void make_sparse_file(std::filesystem::path const& path, std::uint64_t size) {
  { std::ofstream create(path, std::ios::binary | std::ios::trunc); }
  std::filesystem::resize_file(path, size);
  std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
  std::string block(4096, '\0');
  for (std::uint64_t offset = 0; offset + block.size() <= size; offset += 64ull * 1024 * 1024) {
    for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>((offset >> 20) + i * 7);
    out.seekp(static_cast<std::streamoff>(offset));
    out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) try {
  std::uint64_t size_mib = 1024;
  long limit_mib = 64;
  std::string server_program = SMARTER_BENCH_FILES_SERVER;
  std::filesystem::path dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--size-mib") size_mib = std::stoull(argv[i + 1]);
    else if (flag == "--limit-mib") limit_mib = std::stol(argv[i + 1]);
    else if (flag == "--dir") dir = argv[i + 1];
    else if (flag == "--server") server_program = argv[i + 1];
    else throw std::runtime_error("unknown flag " + flag);
  }
  if (dir.empty()) {
    dir = std::filesystem::temp_directory_path() / ("smarter-bench-" + std::to_string(std::random_device{}()));
  }
  std::filesystem::create_directories(dir);
  auto const source = dir / "upload.jsonl";
  auto const target = dir / "download.jsonl";
  std::uint64_t const size = size_mib * 1024 * 1024;

  ServerProcess server;
  server.start(server_program);
  smarter::ClientOptions options;
  options.api_key = "sk-bench";
  options.base_url = "http://127.0.0.1:" + std::to_string(server.port) + "/";
  options.auth_scheme = smarter::AuthScheme::bearer;
  options.timeout = smarter::Timeout(600.0);
  smarter::Smarter client(options);
  auto files = client.files();

  // Baseline: the same program after a trivial request (client, transport and TLS set up).
  files.list();
  long const baseline = peak_rss_kib();

  make_sparse_file(source, size);
  std::string const source_hash = smarter::testkit::sha256_file(source);

  auto started = std::chrono::steady_clock::now();
  auto uploaded = files.create({smarter::FileInput::from_path(source), "fine-tune"});
  double const upload_seconds = seconds_since(started);
  long const after_upload = peak_rss_kib();
  std::string const server_hash = uploaded.field("sha256").get<std::string>();

  started = std::chrono::steady_clock::now();
  auto downloaded = files.content_to_path(uploaded.id, target);
  double const download_seconds = seconds_since(started);
  long const peak = peak_rss_kib();
  std::string const download_hash = smarter::testkit::sha256_file(target);

  files.remove(uploaded.id);
  std::filesystem::remove(source);
  std::filesystem::remove(target);
  std::filesystem::remove(dir);

  bool const bytes_match = uploaded.bytes == size && downloaded.bytes == size && server_hash == source_hash &&
                           download_hash == source_hash;
  std::printf("file size:              %llu MiB (sparse)\n", static_cast<unsigned long long>(size_mib));
  std::printf("sha256 source/server/download: %s / %s / %s\n", source_hash.substr(0, 16).c_str(),
              server_hash.substr(0, 16).c_str(), download_hash.substr(0, 16).c_str());
  std::printf("bytes match:            %s\n", bytes_match ? "yes" : "NO");
  std::printf("upload:                 %.2f s (%.0f MiB/s)\n", upload_seconds,
              static_cast<double>(size_mib) / upload_seconds);
  std::printf("download:               %.2f s (%.0f MiB/s)\n", download_seconds,
              static_cast<double>(size_mib) / download_seconds);
  std::printf("client peak RSS baseline (after a trivial request): %.1f MiB\n", mib(baseline));
  std::printf("client peak RSS after upload:                       %.1f MiB\n", mib(after_upload));
  std::printf("client peak RSS after upload + download:            %.1f MiB\n", mib(peak));
  std::printf("peak / baseline:        %.2fx (+%.1f MiB for %llu MiB moved each way)\n",
              static_cast<double>(peak) / static_cast<double>(baseline), mib(peak - baseline),
              static_cast<unsigned long long>(size_mib));
  bool const within_limit = mib(peak) < static_cast<double>(limit_mib);
  std::printf("limit %ld MiB:           %s\n", limit_mib, within_limit ? "met" : "EXCEEDED");
  return bytes_match && within_limit ? 0 : 1;
} catch (std::exception const& e) {
  std::fprintf(stderr, "bench failed: %s\n", e.what());
  return 1;
}
