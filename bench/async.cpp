// AsyncSmarter against the synchronous client on threads: wall time, calls per second, peak RSS,
// threads and connections, on loopback against the bundled fake servers (bench_async_server, a
// process of its own, so the client's memory is measured alone). Every case runs in a fresh
// child process of this program, so its peak RSS (getrusage ru_maxrss, a process-lifetime
// maximum) is that case's alone. Prints a Markdown table; ratios are against the synchronous
// client in the same run.
//
//   bench_async [--prompts N] [--streams N] [--chunks N] [--requests N] [--latency-ms MS]
//               [--server-cpu CPU] [--server PATH]
//
// Cases:
//   1. N prompts (chatbots().prompt against the fake platform): AsyncSmarter, one I/O thread,
//      all in flight at once (no connection limit, then max_connections_per_host 64), vs Smarter
//      on 8 and on 64 threads (each thread its share in turn).
//   2. N streamed chat completions of --chunks chunks each, read to the end: the same four.
//   3. --requests chat completions in flight with max_connections_per_host 8 and 64 vs Smarter
//      on 8 and 64 threads.
//
// Threads: threads of the client process while the calls run, main thread included (the
// benchmark's sampling thread is not counted). Connections: distinct client connections
// (remote ip:port) the fake server saw requests on during the case. Peak new fds: the most file
// descriptors the client process had open at once beyond those it had before the case (sampled
// every 50 ms from /proc/self/fd, and once right after the calls are made): its connections,
// plus, for Smarter, a wake-up socket pair per pooled libcurl handle. CPU time: the client
// process's, without the sampling thread's.
//
// The fake server (cpp-httplib) runs a thread per connection and listens with a backlog of 128:
// thousands of connections opened at once overflow its accept queue, and a dropped SYN costs
// the client a 1 s retransmission. That, not the client, can set the wall time of the cases
// without a connection limit (compare the max_connections_per_host 64 rows).
#include <dirent.h>
#include <sched.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <smarter/async.hpp>
#include <smarter/smarter.hpp>
#include <smarter/testkit/fake_platform.hpp>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void raise_file_limit() {
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
}

// ---------------------------------------------------------------- sampling (child side)

int thread_count() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  }
  return 0;
}

// Descriptors this process has open (entries of /proc/self/fd). While a case runs the new ones
// are its sockets: the client opens no files then. (Cheap to sample with thousands open, unlike
// /proc/net/tcp, whose every read walks the whole TCP table.)
int open_descriptors() {
  int count = 0;
  if (DIR* fds = opendir("/proc/self/fd")) {
    while (dirent* entry = readdir(fds)) {
      if (entry->d_name[0] != '.') ++count;
    }
    closedir(fds);
  }
  return count;
}

double process_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Samples threads and open sockets every 50 ms while a case runs. Descriptors open before the
// case (e.g. libcurl's wake-up pair, the warm-up connection) are the baseline, not counted. Its
// own CPU time is measured, so that the case's can leave it out.
class Sampler {
 public:
  Sampler() : baseline_sockets_(open_descriptors()), thread_([this] { run(); }) {}
  ~Sampler() { stop(); }

  void sample() {
    int const threads = thread_count() - (joined_ ? 0 : 1);  // not the sampler itself
    int const sockets = open_descriptors() - baseline_sockets_;
    std::lock_guard<std::mutex> lock(mutex_);
    max_threads_ = std::max(max_threads_, threads);
    max_sockets_ = std::max(max_sockets_, sockets);
  }
  void stop() {
    if (!stopped_.exchange(true) && thread_.joinable()) thread_.join();
    joined_ = true;
  }
  int max_threads() const { return max_threads_; }
  int max_sockets() const { return max_sockets_; }
  double cpu_seconds() const { return cpu_seconds_; }

 private:
  void run() {
    double const cpu_start = thread_cpu_seconds();
    while (!stopped_) {
      sample();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    cpu_seconds_ = thread_cpu_seconds() - cpu_start;
  }

  int baseline_sockets_;
  std::mutex mutex_;
  int max_threads_ = 0;
  int max_sockets_ = 0;
  double cpu_seconds_ = 0;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> joined_{false};
  std::thread thread_;
};

// ---------------------------------------------------------------- one case (child side)

struct ChildArgs {
  std::string name;
  int port = 0;
  int n = 0;
  int threads = 0;          // sync cases
  int max_connections = 0;  // async cases
  int chunks = 50;
};

smarter::ClientOptions platform_options(int port) {
  smarter::ClientOptions options;
  options.api_key = smarter::testkit::kFakePlatformApiKey;
  options.base_url = "http://127.0.0.1:" + std::to_string(port) + "/api/v1/";
  options.max_retries = 0;  // a failure shows up as an error, not as a slower figure
  return options;
}

smarter::ChatCompletionCreateParams chat_params(std::string text) {
  smarter::ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.messages = {smarter::ChatMessage::user(std::move(text))};
  return params;
}

// The fake streams "Echo: <the prompt>" one word per chunk, after a role chunk and before a
// finish chunk: a prompt of `chunks - 3` words makes `chunks` chunks.
std::string words_for(int chunks) {
  std::string text;
  for (int i = 0; i < std::max(1, chunks - 3); ++i) text += (i == 0 ? "" : " ") + std::string("word");
  return text;
}

struct Outcome {
  long calls = 0;
  long items = 0;  // chunks of streams
  long errors = 0;
  std::string first_error;
  void failed(std::exception const& e) {
    ++errors;
    if (first_error.empty()) first_error = e.what();
  }
};

// Runs `per_thread(share, outcome)` on `threads` threads, splitting `n` calls between them.
template <class F>
Outcome on_threads(int n, int threads, F per_thread) {
  std::vector<Outcome> outcomes(static_cast<std::size_t>(threads));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    int const share = n / threads + (t < n % threads ? 1 : 0);
    pool.emplace_back([&, t, share] { per_thread(share, outcomes[static_cast<std::size_t>(t)]); });
  }
  for (auto& thread : pool) thread.join();
  Outcome total;
  for (auto const& o : outcomes) {
    total.calls += o.calls;
    total.items += o.items;
    total.errors += o.errors;
    if (total.first_error.empty()) total.first_error = o.first_error;
  }
  return total;
}

int run_child(ChildArgs const& args) {
  raise_file_limit();
  smarter::ClientOptions const options = platform_options(args.port);
  bool const async = args.name.find("async") != std::string::npos;
  std::string const kind = args.name.substr(0, args.name.find('-'));

  std::unique_ptr<smarter::AsyncSmarter> aclient;
  std::unique_ptr<smarter::Smarter> sclient;
  if (async) {
    smarter::AsyncOptions async_options;
    async_options.io_threads = 1;
    async_options.max_connections_per_host = static_cast<std::size_t>(args.max_connections);
    aclient = std::make_unique<smarter::AsyncSmarter>(options, async_options);
  } else {
    sclient = std::make_unique<smarter::Smarter>(options);
  }
  smarter::Smarter const& warm = async ? aclient->sync() : *sclient;
  // Warm-up outside the timing: the platform generation probe, the first connection.
  if (async) {
    aclient->resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "warm-up").get();
  } else {
    warm.resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "warm-up");
  }

  std::string const stream_text = words_for(args.chunks);
  double const cpu_before_case = process_cpu_seconds();
  Sampler sampler;
  Outcome outcome;
  Clock::time_point const start = Clock::now();
  if (async) {
    smarter::AsyncSmarter& client = *aclient;
    if (kind == "prompts") {
      std::vector<smarter::Future<smarter::PromptReply>> replies;
      replies.reserve(static_cast<std::size_t>(args.n));
      for (int i = 0; i < args.n; ++i) {
        replies.push_back(client.resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "Hello, World!"));
      }
      sampler.sample();
      for (auto& reply : replies) {
        try {
          if (!reply.get().answer.empty()) ++outcome.calls;
        } catch (std::exception const& e) {
          outcome.failed(e);
        }
      }
    } else if (kind == "streams") {
      std::vector<smarter::Future<smarter::AsyncStream<smarter::ChatCompletionChunk>>> opening;
      opening.reserve(static_cast<std::size_t>(args.n));
      for (int i = 0; i < args.n; ++i) {
        opening.push_back(client.chat().completions().create_stream(chat_params(stream_text)));
      }
      sampler.sample();
      std::vector<smarter::Future<std::size_t>> walks;
      walks.reserve(opening.size());
      for (auto& open : opening) {
        try {
          walks.push_back(open.get().for_each([](smarter::ChatCompletionChunk const&) { return true; }));
        } catch (std::exception const& e) {
          outcome.failed(e);
        }
      }
      for (auto& walk : walks) {
        try {
          outcome.items += static_cast<long>(walk.get());
          ++outcome.calls;
        } catch (std::exception const& e) {
          outcome.failed(e);
        }
      }
    } else {  // requests
      std::vector<smarter::Future<smarter::ChatCompletion>> completions;
      completions.reserve(static_cast<std::size_t>(args.n));
      for (int i = 0; i < args.n; ++i) {
        completions.push_back(client.chat().completions().create(chat_params("Hello")));
      }
      sampler.sample();
      for (auto& completion : completions) {
        try {
          if (!completion.get().choices.empty()) ++outcome.calls;
        } catch (std::exception const& e) {
          outcome.failed(e);
        }
      }
    }
  } else {
    smarter::Smarter const& client = *sclient;
    outcome = on_threads(args.n, args.threads, [&](int share, Outcome& mine) {
      for (int i = 0; i < share; ++i) {
        try {
          if (kind == "prompts") {
            if (!client.resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "Hello, World!").answer.empty()) {
              ++mine.calls;
            }
          } else if (kind == "streams") {
            long chunks = 0;
            for (auto const& chunk : client.chat().completions().create_stream(chat_params(stream_text))) {
              (void)chunk;
              ++chunks;
            }
            mine.items += chunks;
            ++mine.calls;
          } else {
            if (!client.chat().completions().create(chat_params("Hello")).choices.empty()) ++mine.calls;
          }
        } catch (std::exception const& e) {
          mine.failed(e);
        }
      }
    });
  }
  double const wall = seconds_since(start);
  sampler.sample();
  sampler.stop();
  double const cpu_case = process_cpu_seconds() - cpu_before_case - sampler.cpu_seconds();
  aclient.reset();
  sclient.reset();

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  if (!outcome.first_error.empty()) std::fprintf(stderr, "%s: first error: %s\n", args.name.c_str(), outcome.first_error.c_str());
  std::printf("RESULT calls=%ld items=%ld errors=%ld wall=%.6f rss_kib=%ld threads=%d open=%d cpu=%.6f\n",
              outcome.calls, outcome.items, outcome.errors, wall, usage.ru_maxrss, sampler.max_threads(),
              sampler.max_sockets(), cpu_case);
  std::fflush(stdout);
  return outcome.errors == 0 ? 0 : 2;
}

// ---------------------------------------------------------------- processes (parent side)

// Spawns `argv` with its stdout on a pipe (and, when `stdin_pipe`, its stdin on another).
struct Child {
  pid_t pid = -1;
  int stdin_fd = -1;
  FILE* out = nullptr;

  Child(std::vector<std::string> const& argv, bool stdin_pipe) {
    int in_pipe[2] = {-1, -1};
    int out_pipe[2];
    if ((stdin_pipe && pipe(in_pipe) != 0) || pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (stdin_pipe) {
      posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
      posix_spawn_file_actions_addclose(&actions, in_pipe[1]);
    }
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    std::vector<char*> raw;
    for (auto const& a : argv) raw.push_back(const_cast<char*>(a.c_str()));
    raw.push_back(nullptr);
    int const rc = posix_spawn(&pid, raw[0], &actions, nullptr, raw.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (stdin_pipe) close(in_pipe[0]);
    close(out_pipe[1]);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    stdin_fd = stdin_pipe ? in_pipe[1] : -1;
    out = fdopen(out_pipe[0], "r");
  }

  std::string read_line() {
    char line[512] = {};
    if (out == nullptr || std::fgets(line, sizeof line, out) == nullptr) return {};
    return line;
  }

  int wait() {
    if (stdin_fd >= 0) close(stdin_fd);
    stdin_fd = -1;
    if (out != nullptr) std::fclose(out);
    out = nullptr;
    int status = 0;
    if (pid > 0) waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  ~Child() { wait(); }
};

struct Row {
  std::string group;  // the case the sync baselines belong to
  std::string label;
  std::string client;
  bool async = false;
  int sync_threads = 0;
  std::map<std::string, double> values;
  long server_connections = 0;
  int exit_code = 0;
};

std::string mib(double kib) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", kib / 1024.0);
  return text;
}

std::string fixed(double value, int digits) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

}  // namespace

int main(int argc, char** argv) try {
  std::map<std::string, std::string> flags;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string const flag = argv[i];
    if (flag.rfind("--", 0) != 0) throw std::runtime_error("unknown argument " + flag);
    flags[flag.substr(2)] = argv[i + 1];
  }
  auto flag = [&](std::string const& name, long fallback) {
    auto found = flags.find(name);
    return found == flags.end() ? fallback : std::stol(found->second);
  };
  if (flags.count("child") != 0) {
    ChildArgs args;
    args.name = flags["child"];
    args.port = static_cast<int>(flag("port", 0));
    args.n = static_cast<int>(flag("n", 1000));
    args.threads = static_cast<int>(flag("threads", 8));
    args.max_connections = static_cast<int>(flag("max-connections", 0));
    args.chunks = static_cast<int>(flag("chunks", 50));
    return run_child(args);
  }

  long const prompts = flag("prompts", 1000);
  long const streams = flag("streams", 1000);
  long const chunks = flag("chunks", 50);
  long const requests = flag("requests", 10000);
  long const latency = flag("latency-ms", 0);
  long const server_cpu = flag("server-cpu", -1);
  std::string const server_program = flags.count("server") ? flags["server"] : SMARTER_BENCH_ASYNC_SERVER;
  raise_file_limit();

  // The server inherits this process's CPU affinity (and its threads the server's): pin it by
  // spawning it from this thread pinned to `server_cpu`, then restore this thread's own set.
  cpu_set_t own;
  CPU_ZERO(&own);
  sched_getaffinity(0, sizeof own, &own);
  if (server_cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(static_cast<int>(server_cpu), &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) throw std::runtime_error("cannot pin the server");
  }
  Child server({server_program, "--latency-ms", std::to_string(latency)}, /*stdin_pipe=*/true);
  if (server_cpu >= 0) sched_setaffinity(0, sizeof own, &own);
  int port = 0;
  if (std::sscanf(server.read_line().c_str(), "PORT %d", &port) != 1) throw std::runtime_error("no port from the server");
  smarter::ClientOptions control_options;
  control_options.api_key = "bench";
  control_options.base_url = "http://127.0.0.1:" + std::to_string(port) + "/";
  smarter::Smarter control(control_options);

  struct Plan {
    std::string group, label, child;
    long n;
    int threads, max_connections;
  };
  std::vector<Plan> plans = {
      {"prompts", std::to_string(prompts) + " prompts", "prompts-async", prompts, 0, 0},
      {"prompts", std::to_string(prompts) + " prompts", "prompts-async", prompts, 0, 64},
      {"prompts", std::to_string(prompts) + " prompts", "prompts-sync", prompts, 8, 0},
      {"prompts", std::to_string(prompts) + " prompts", "prompts-sync", prompts, 64, 0},
      {"streams", std::to_string(streams) + " streams", "streams-async", streams, 0, 0},
      {"streams", std::to_string(streams) + " streams", "streams-async", streams, 0, 64},
      {"streams", std::to_string(streams) + " streams", "streams-sync", streams, 8, 0},
      {"streams", std::to_string(streams) + " streams", "streams-sync", streams, 64, 0},
      {"requests-8", std::to_string(requests) + " requests", "requests-async", requests, 0, 8},
      {"requests-8", std::to_string(requests) + " requests", "requests-sync", requests, 8, 0},
      {"requests-64", std::to_string(requests) + " requests", "requests-async", requests, 0, 64},
      {"requests-64", std::to_string(requests) + " requests", "requests-sync", requests, 64, 0},
  };

  std::vector<Row> rows;
  Clock::time_point const all_start = Clock::now();
  for (auto const& plan : plans) {
    control.request("POST", "bench/reset");
    std::vector<std::string> child_argv = {"/proc/self/exe",  "--child", plan.child, "--port", std::to_string(port),
                                           "--n",             std::to_string(plan.n), "--threads",
                                           std::to_string(plan.threads), "--max-connections",
                                           std::to_string(plan.max_connections), "--chunks", std::to_string(chunks)};
    Row row;
    row.group = plan.group;
    row.label = plan.label;
    row.async = plan.child.find("async") != std::string::npos;
    row.sync_threads = plan.threads;
    if (row.async) {
      row.client = "AsyncSmarter, 1 I/O thread";
      if (plan.max_connections > 0) row.client += ", max " + std::to_string(plan.max_connections) + " conns/host";
    } else {
      row.client = "Smarter on " + std::to_string(plan.threads) + " threads";
    }
    std::fprintf(stderr, "running %s: %s...\n", row.label.c_str(), row.client.c_str());
    {
      Child child(child_argv, /*stdin_pipe=*/false);
      std::string const line = child.read_line();
      row.exit_code = child.wait();
      std::istringstream fields(line);
      std::string word;
      fields >> word;
      if (word != "RESULT") throw std::runtime_error("case " + plan.child + " printed no result");
      while (fields >> word) {
        auto eq = word.find('=');
        if (eq != std::string::npos) row.values[word.substr(0, eq)] = std::stod(word.substr(eq + 1));
      }
    }
    nlohmann::json const stats = control.request("GET", "bench/stats").json();
    row.server_connections = stats.value("connections", 0L);
    rows.push_back(row);
  }
  double const total_seconds = seconds_since(all_start);

  // The sync baselines of each group, for the ratios.
  auto baseline = [&](std::string const& group, int threads) -> Row const* {
    for (auto const& r : rows) {
      if (r.group == group && !r.async && r.sync_threads == threads) return &r;
    }
    return nullptr;
  };

  std::printf("| Case | Client | Threads | Connections | Peak new fds | Wall time | Throughput (calls/s) | CPU time | "
              "Peak RSS | Time vs sync 8 / 64 thr | RSS vs sync 8 / 64 thr |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (auto const& r : rows) {
    double const wall = r.values.at("wall");
    double const calls = r.values.at("calls");
    std::string label = r.label;
    if (r.group == "streams" && calls > 0) {
      label += " (" + fixed(r.values.at("items") / calls, 1) + " chunks each)";
    }
    std::string time_ratio = "";
    std::string rss_ratio = "";
    if (r.async) {
      // requests-8 compares with 8 threads only, requests-64 with 64 only; the others with both.
      std::vector<std::string> times;
      std::vector<std::string> sizes;
      for (int threads : {8, 64}) {
        Row const* base = baseline(r.group, threads);
        if (base == nullptr) continue;
        times.push_back(fixed(wall / base->values.at("wall"), 2) + "x");
        sizes.push_back(fixed(r.values.at("rss_kib") / base->values.at("rss_kib"), 2) + "x");
      }
      auto join = [](std::vector<std::string> const& parts) {
        std::string text;
        for (auto const& part : parts) text += (text.empty() ? "" : " / ") + part;
        return text;
      };
      time_ratio = join(times);
      rss_ratio = join(sizes);
    }
    std::string errors;
    if (r.values.at("errors") > 0) errors = " (" + fixed(r.values.at("errors"), 0) + " errors)";
    std::printf("| %s | %s | %d | %ld | %d | %s s | %s%s | %s s | %s | %s | %s |\n", label.c_str(), r.client.c_str(),
                static_cast<int>(r.values.at("threads")), r.server_connections,
                static_cast<int>(r.values.at("open")), fixed(wall, 3).c_str(), fixed(calls / wall, 0).c_str(),
                errors.c_str(), fixed(r.values.at("cpu"), 2).c_str(), mib(r.values.at("rss_kib")).c_str(),
                time_ratio.c_str(), rss_ratio.c_str());
  }
  std::printf("\nserver latency added: %ld ms; all cases: %.1f s; time ratio < 1 and RSS ratio < 1 favour AsyncSmarter\n",
              latency, total_seconds);
  bool failed = false;
  for (auto const& r : rows) failed = failed || r.exit_code != 0;
  return failed ? 1 : 0;
} catch (std::exception const& e) {
  std::fprintf(stderr, "bench_async: %s\n", e.what());
  return 1;
}
