// What the SDK costs per request over the floor: raw libcurl plus nlohmann/json, side by side in one
// process against one loopback server (bench/run.sh starts nginx for it).
//
//   floor     one reused easy handle, CURLOPT_POSTFIELDS, the request JSON serialised and the
//             response JSON parsed: the least any C++ client of this API can do
//   request   client.request("POST", ...) with the same JSON, response parsed with .json()
//   typed     client.chat().completions().create(...) decoded into ChatCompletion
//   page      a 10,000-item fine-tuning jobs page: typed decode vs json::parse of the same bytes
//             (time; heap in use after and peak RSS on the way, in a forked child)
//   threads   2 threads on one client vs 2 threads each with its own raw easy handle
//   construct a client (after the first) vs curl_easy_init + cleanup
//
// The floor, request and typed loops (and the two thread cases) run in interleaved rounds
// (floor, request, typed, floor, request, ...), so that a slow phase of a shared machine lands on
// each of them alike instead of on whichever loop happened to run during it.
//
// Everything is reported as ratios against the floor measured in the same run; nothing here
// passes or fails on a time. `--json FILE` also writes the figures for bench/run.sh to plot.
#include <curl/curl.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/smarter.hpp>

namespace {

using Clock = std::chrono::steady_clock;

double now_us() { return std::chrono::duration<double, std::micro>(Clock::now().time_since_epoch()).count(); }

/// CPU time of the calling thread (user + system).
double cpu_us() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  auto us = [](timeval t) { return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec); };
  return us(usage.ru_utime) + us(usage.ru_stime);
}

/// Median, 99th percentile and CPU per request of one measured case.
struct Sample {
  double median = 0;
  double p99 = 0;
  double cpu = 0;
};

/// One case measured across rounds: every call's wall time and the CPU time of all of them.
struct Series {
  std::function<void()> call;
  std::vector<double> times{};
  double cpu = 0;

  /// Runs `n` calls, timing each one.
  void run(int n) {
    double const cpu0 = cpu_us();
    for (int i = 0; i < n; ++i) {
      double const t0 = now_us();
      call();
      times.push_back(now_us() - t0);
    }
    cpu += cpu_us() - cpu0;
  }

  Sample summary() {
    std::sort(times.begin(), times.end());
    Sample s;
    s.median = times[times.size() / 2];
    s.p99 = times[std::min(times.size() - 1, times.size() * 99 / 100)];
    s.cpu = cpu / static_cast<double>(times.size());
    return s;
  }
};

/// Measures `n` calls of each case in `rounds` interleaved rounds, after a warm-up of each.
std::vector<Sample> measure_interleaved(int n, int rounds, std::vector<std::function<void()>> const& calls) {
  std::vector<Series> series;
  for (auto const& call : calls) {
    for (int i = 0; i < std::min(n / 10 + 1, 200); ++i) call();  // warm-up: connection, caches
    series.push_back(Series{call});
    series.back().times.reserve(static_cast<std::size_t>(n));
  }
  for (int round = 0; round < rounds; ++round) {
    int const calls_this_round = n / rounds + (round < n % rounds ? 1 : 0);
    for (auto& one : series) one.run(calls_this_round);
  }
  std::vector<Sample> samples;
  for (auto& one : series) samples.push_back(one.summary());
  return samples;
}

nlohmann::json chat_request() {
  nlohmann::json messages = nlohmann::json::array();
  messages.push_back({{"role", "system"}, {"content", "You are a helpful assistant that answers briefly."}});
  for (int i = 0; i < 6; ++i) {
    messages.push_back({{"role", i % 2 ? "assistant" : "user"},
                        {"content", "Message number " + std::to_string(i) + ": tell me about the weather in Lisbon."}});
  }
  return {{"model", "gpt-4o-mini"}, {"messages", messages}, {"temperature", 0.2}, {"max_tokens", 256}};
}

std::size_t write_to_string(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

/// The floor: one reused easy handle, the body sent with POSTFIELDS.
class RawClient {
 public:
  explicit RawClient(std::string url) : url_(std::move(url)), easy_(curl_easy_init()) {
    headers_ = curl_slist_append(headers_, "Content-Type: application/json");
    headers_ = curl_slist_append(headers_, "Accept: application/json");
    headers_ = curl_slist_append(headers_, "Authorization: Bearer sk-bench");
    curl_easy_setopt(easy_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &write_to_string);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &response_);
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  }
  ~RawClient() {
    curl_easy_cleanup(easy_);
    curl_slist_free_all(headers_);
  }
  RawClient(RawClient const&) = delete;
  RawClient& operator=(RawClient const&) = delete;

  nlohmann::json post(nlohmann::json const& body) {
    std::string const text = body.dump();
    response_.clear();
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, text.c_str());
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(text.size()));
    if (curl_easy_perform(easy_) != CURLE_OK) std::abort();
    return nlohmann::json::parse(response_);
  }

 private:
  std::string url_;
  CURL* easy_;
  curl_slist* headers_ = nullptr;
  std::string response_;
};

/// A fine-tuning jobs page of `n` items, as the API sends it.
std::string jobs_page(int n) {
  nlohmann::json data = nlohmann::json::array();
  for (int i = 0; i < n; ++i) {
    data.push_back({{"object", "fine_tuning.job"},
                    {"id", "ftjob-" + std::to_string(100000 + i)},
                    {"model", "gpt-4o-mini-2024-07-18"},
                    {"created_at", 1721764800 + i},
                    {"finished_at", nullptr},
                    {"fine_tuned_model", nullptr},
                    {"organization_id", "org-123"},
                    {"result_files", nlohmann::json::array()},
                    {"status", "queued"},
                    {"validation_file", nullptr},
                    {"training_file", "file-abc123"},
                    {"hyperparameters", {{"n_epochs", "auto"}, {"batch_size", "auto"}, {"learning_rate_multiplier", "auto"}}},
                    {"trained_tokens", nullptr},
                    {"error", nullptr},
                    {"seed", 42},
                    {"estimated_finish", nullptr},
                    {"integrations", nlohmann::json::array()},
                    {"metadata", {{"team", "bench"}}},
                    {"method", {{"type", "supervised"}, {"supervised", {{"hyperparameters", {{"n_epochs", "auto"}}}}}}}});
  }
  return nlohmann::json({{"object", "list"}, {"data", data}, {"has_more", false}}).dump();
}

/// The memory `work` leaves in use and the most it used on the way, in bytes.
struct MemoryUse {
  long heap = -1;      ///< Heap in use right after the work, its result still alive (mallinfo2).
  long peak_rss = -1;  ///< Growth of the resident set's high-water mark during the work (VmHWM).
};

/// The resident set's high-water mark of this process, in bytes (-1 when unknown).
long peak_rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6) * 1024;
  }
  return -1;
}

/// Measures `work` in a forked child so that runs do not share a heap. The child first hands its
/// free heap back to the kernel and resets the high-water mark, so new allocations show in it.
MemoryUse memory_use(std::function<void()> const& work) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t const child = fork();
  if (child == 0) {
    close(fds[0]);
    malloc_trim(0);
    std::ofstream("/proc/self/clear_refs") << "5";  // resets VmHWM to the current RSS
    long const heap_before = static_cast<long>(mallinfo2().uordblks);
    long const rss_before = peak_rss_bytes();
    work();
    MemoryUse use;
    use.heap = static_cast<long>(mallinfo2().uordblks) - heap_before;
    use.peak_rss = rss_before < 0 ? -1 : peak_rss_bytes() - rss_before;
    (void)!write(fds[1], &use, sizeof use);
    _exit(0);
  }
  close(fds[1]);
  MemoryUse use;
  (void)!read(fds[0], &use, sizeof use);
  close(fds[0]);
  waitpid(child, nullptr, 0);
  return use;
}

}  // namespace

int main(int argc, char** argv) {
  std::string base;
  int n = 5000;
  int page_items = 10000;
  int rounds = 10;
  std::string json_out;
  std::string only;  // one of floor, request, typed, page: just that loop (for profilers and strace)
  for (int i = 1; i < argc; ++i) {
    std::string const arg = argv[i];
    if (arg == "--url" && i + 1 < argc) base = argv[++i];
    if (arg == "--requests" && i + 1 < argc) n = std::max(10, std::atoi(argv[++i]));
    if (arg == "--rounds" && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
    if (arg == "--page-items" && i + 1 < argc) page_items = std::max(1, std::atoi(argv[++i]));
    if (arg == "--json" && i + 1 < argc) json_out = argv[++i];
    if (arg == "--only" && i + 1 < argc) only = argv[++i];
  }
  if (base.empty()) {
    std::fprintf(stderr, "usage: bench_overhead --url http://127.0.0.1:PORT/ [--requests N] [--rounds R] [--json FILE]\n"
                         "       [--only floor|request|typed|page]   (one loop, for profilers)\n"
                         "(bench/run.sh starts nginx on loopback and passes --url)\n");
    return 2;
  }
  if (base.back() != '/') base += '/';
  curl_global_init(CURL_GLOBAL_DEFAULT);
  nlohmann::json const body = chat_request();
  std::string const url = base + "v1/chat/completions";

  smarter::ClientOptions options;
  options.api_key = "sk-bench";
  options.base_url = base + "v1";
  options.auth_scheme = smarter::AuthScheme::bearer;
  options.client_uid = "bench";
  smarter::Smarter client(options);
  smarter::ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  for (auto const& message : body["messages"]) {
    params.messages.push_back(message["role"] == "system"      ? smarter::ChatMessage::system(message["content"])
                              : message["role"] == "assistant" ? smarter::ChatMessage::assistant(message["content"])
                                                               : smarter::ChatMessage::user(message["content"]));
  }
  params.temperature = 0.2;
  params.max_tokens = 256;

  if (only == "page") {  // the page decode alone, repeated, for profilers
    std::string const text = jobs_page(page_items);
    for (int i = 0; i < 20; ++i) {
      smarter::RawResponse response;
      response.status_code = 200;
      response.body = text;
      auto decoded = smarter::detail::decode_list_response<smarter::FineTuningJob>(std::move(response), nullptr);
      if (decoded.data().size() != static_cast<std::size_t>(page_items)) std::abort();
    }
    return 0;
  }
  RawClient raw(url);
  if (!only.empty()) {
    for (int i = 0; i < n; ++i) {
      if (only == "floor") raw.post(body);
      if (only == "request") client.request("POST", "chat/completions", body).json();
      if (only == "typed") client.chat().completions().create(params);
    }
    return 0;
  }
  std::vector<Sample> const samples = measure_interleaved(
      n, rounds,
      {[&] {
         if (raw.post(body)["choices"].empty()) std::abort();
       },
       [&] {
         if (client.request("POST", "chat/completions", body).json()["choices"].empty()) std::abort();
       },
       [&] {
         if (client.chat().completions().create(params).choices.empty()) std::abort();
       }});
  Sample const& floor = samples[0];
  Sample const& request = samples[1];
  Sample const& typed = samples[2];

  // Two threads: the same work split across them, throughput compared (in interleaved rounds too).
  auto elapsed_us = [&](std::function<void()> const& per_thread_loop) {
    double const t0 = now_us();
    std::thread a(per_thread_loop);
    std::thread b(per_thread_loop);
    a.join();
    b.join();
    return now_us() - t0;
  };
  int const per_thread = n / rounds / 2;
  double raw_us = 0;
  double client_us = 0;
  for (int round = 0; round < rounds; ++round) {
    raw_us += elapsed_us([&] {
      RawClient own(url);
      for (int i = 0; i < per_thread; ++i) own.post(body);
    });
    client_us += elapsed_us([&] {
      for (int i = 0; i < per_thread; ++i) client.request("POST", "chat/completions", body).json();
    });
  }
  double const threaded_requests = 2.0 * per_thread * rounds;
  double const raw_threads = threaded_requests / (raw_us / 1e6);  // requests per second, both threads
  double const client_threads = threaded_requests / (client_us / 1e6);

  // Construction after the first client; a curl handle for scale.
  int const constructions = 2000;
  double t0 = now_us();
  for (int i = 0; i < constructions; ++i) {
    smarter::Smarter another(options);
    (void)another;
  }
  double const construct_us = (now_us() - t0) / constructions;
  t0 = now_us();
  for (int i = 0; i < constructions; ++i) curl_easy_cleanup(curl_easy_init());
  double const handle_us = (now_us() - t0) / constructions;

  // A big list page: decode time and memory, against parsing the same bytes.
  std::string const page = jobs_page(page_items);
  smarter::RawResponse page_response;
  page_response.status_code = 200;
  page_response.body = page;
  int const decodes = 5;
  // The SDK's list decoder, as a list call runs it (the response moved in).
  auto decode_typed = [&](smarter::RawResponse response) {
    auto decoded = smarter::detail::decode_list_response<smarter::FineTuningJob>(std::move(response), nullptr);
    if (decoded.data().size() != static_cast<std::size_t>(page_items)) std::abort();
    return decoded;
  };
  // Timed twice: until the result is ready, and until it has also been freed again (the whole
  // life of a page: json::parse leaves its DOM to free later, the SDK frees each element's JSON
  // while decoding).
  double best_parse = 1e300;
  double best_typed = 1e300;
  double best_parse_life = 1e300;
  double best_typed_life = 1e300;
  for (int i = 0; i < decodes; ++i) {
    {  // each result is freed before the other side runs, so both start from the same heap
      t0 = now_us();
      std::optional<nlohmann::json> parsed = nlohmann::json::parse(page);
      best_parse = std::min(best_parse, now_us() - t0);
      parsed.reset();
      best_parse_life = std::min(best_parse_life, now_us() - t0);
    }
    {
      smarter::RawResponse response = page_response;  // copied outside the timing: a call moves it
      t0 = now_us();
      std::optional<smarter::CursorPage<smarter::FineTuningJob>> decoded = decode_typed(std::move(response));
      best_typed = std::min(best_typed, now_us() - t0);
      decoded.reset();
      best_typed_life = std::min(best_typed_life, now_us() - t0);
    }
  }
  // Memory: the typed page keeps the response text, so its copy is made inside the measurement.
  MemoryUse const parse_memory = memory_use([&] {
    static nlohmann::json kept;
    kept = nlohmann::json::parse(page);
  });
  MemoryUse const typed_memory = memory_use([&] {
    static auto kept = decode_typed(page_response);
    (void)kept;
  });
  long const parse_heap = parse_memory.heap;
  long const typed_heap = typed_memory.heap;

  auto row = [&](char const* name, Sample const& s) {
    std::printf("%-34s median %7.1f us (%.2fx)  p99 %7.1f us (%.2fx)  cpu %6.1f us (%.2fx)\n", name, s.median,
                s.median / floor.median, s.p99, s.p99 / floor.p99, s.cpu, s.cpu / floor.cpu);
  };
  std::printf("%d sequential POSTs of a %zu-byte chat completion to %s\n", n, body.dump().size(), url.c_str());
  row("floor (libcurl + nlohmann)", floor);
  row("client.request", request);
  row("typed chat.completions.create", typed);
  std::printf("2 threads, one client vs raw handles: %.0f vs %.0f req/s (%.2fx)\n", client_threads, raw_threads,
              client_threads / raw_threads);
  std::printf("client construction after the first: %.2f us (curl handle %.2f us)\n", construct_us, handle_us);
  std::printf("%d-item jobs page (%zu bytes): typed decode %.1f ms vs json::parse %.1f ms (%.2fx); "
              "peak heap %.1f MiB vs %.1f MiB (%.2fx)\n",
              page_items, page.size(), best_typed / 1000, best_parse / 1000, best_typed / best_parse,
              static_cast<double>(typed_heap) / (1 << 20), static_cast<double>(parse_heap) / (1 << 20),
              static_cast<double>(typed_heap) / static_cast<double>(parse_heap));
  std::printf("the same page, decoded and freed again: typed %.1f ms vs json::parse %.1f ms (%.2fx)\n",
              best_typed_life / 1000, best_parse_life / 1000, best_typed_life / best_parse_life);
  std::printf("the same page, peak RSS on the way: typed %.1f MiB vs json::parse %.1f MiB (%.2fx)\n",
              static_cast<double>(typed_memory.peak_rss) / (1 << 20),
              static_cast<double>(parse_memory.peak_rss) / (1 << 20),
              static_cast<double>(typed_memory.peak_rss) / static_cast<double>(parse_memory.peak_rss));

  if (!json_out.empty()) {
    nlohmann::json out = {
        {"requests", n},
        {"floor", {{"median", floor.median}, {"p99", floor.p99}, {"cpu", floor.cpu}}},
        {"request", {{"median", request.median}, {"p99", request.p99}, {"cpu", request.cpu}}},
        {"typed", {{"median", typed.median}, {"p99", typed.p99}, {"cpu", typed.cpu}}},
        {"threads", {{"client", client_threads}, {"raw", raw_threads}}},
        {"construct_us", construct_us},
        {"handle_us", handle_us},
        {"page", {{"items", page_items}, {"typed_ms", best_typed / 1000}, {"parse_ms", best_parse / 1000},
                  {"typed_life_ms", best_typed_life / 1000}, {"parse_life_ms", best_parse_life / 1000},
                  {"typed_heap", typed_heap}, {"parse_heap", parse_heap},
                  {"typed_peak_rss", typed_memory.peak_rss}, {"parse_peak_rss", parse_memory.peak_rss}}}};
    std::ofstream(json_out) << out.dump(2) << "\n";
  }
  return 0;
}
