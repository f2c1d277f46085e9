// smarter-mock's command line and the server it starts. Kept in the library, not in the program,
// so that the tests start exactly what the program starts.
#include <smarter/testkit/smarter_mock.hpp>

#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace smarter::testkit {

namespace {

constexpr char kUsage[] = R"(usage: smarter-mock [FLAGS]

Serves a fake Smarter platform in memory until SIGINT or SIGTERM. One base URL,
http://HOST:PORT/api/v1/, answers both the platform's own cli/ API (chatbots, plugins,
prompts with sessions, manifests, whoami, status, version) and the OpenAI-shaped APIs
(chat/completions, responses, files, fine_tuning/jobs). It prints SMARTER_BASE_URL and
SMARTER_API_KEY for clients to use.

Server:
  --port N                    port to listen on; 0 lets the system pick one (default 0)
                                e.g. --port 9357
  --host ADDR                 address to bind (default 127.0.0.1)
                                e.g. --host ::1

Platform:
  --generation GEN            v0_13 or v0_14: paths, kind names, envelope shape (default v0_13)
                                e.g. --generation v0_14
  --api-key KEY               the key accepted as "Authorization: Token KEY"
                              (default: a fixed 64-hex-digit key, printed at start)
                                e.g. --api-key 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
  --key-style STYLE           whoami's keys: camel (firstName, v0.11 on) or snake (first_name,
                              v0.10) (default camel)
                                e.g. --key-style snake
  --no-seed                   start without the demo chatbot my-chatbot and the demo plugin
                                e.g. --no-seed --seed-chatbots empty_bot

OpenAI-shaped APIs:
  --call-tools                answer a chat completion that offers tools with a call of its
                              first tool, and one that ends with a tool result with
                              "Echo: <result>" (enough to drive run_tools)
                                e.g. --call-tools

Seed data:
  --seed-chatbots NAME[,NAME...]
                              also create these chatbots, set up like the demo one
                              (letters, digits, '_' and '-'; repeatable)
                                e.g. --seed-chatbots support,sales
  --seed-files N              store N small JSONL files (purpose fine-tune), ids file-1...
                                e.g. --seed-files 3
  --seed-jobs N               create N finished fine-tuning jobs (for pagination)
                                e.g. --seed-jobs 250

Failures (for the first requests after start, whatever their path):
  --fail-next STATUS[:COUNT]  answer the next COUNT requests (default 1) with STATUS (400-599)
                              and the API's own error body: the platform's journaled error
                              under cli/, OpenAI's {"error": {...}} elsewhere (repeatable)
                                e.g. --fail-next 503:2 --fail-next 429
  --drop-next COUNT           close the connection of the next COUNT requests without an
                              answer (repeatable; faults apply in the order given)
                                e.g. --fail-next 500 --drop-next 1
  --latency MS                delay every answer by MS milliseconds (0 to 600000)
                                e.g. --latency 250

  -h, --help                  print this help and exit
                                e.g. smarter-mock --help

Every flag also takes its value after '=' (--port=9357).

Example:
  smarter-mock --port 9357 --fail-next 503:2 --seed-jobs 30 &
  curl -X POST -H "Authorization: Token $SMARTER_API_KEY" "${SMARTER_BASE_URL}cli/whoami/"
)";

// A whole decimal number in [low, high], or nullopt.
std::optional<long long> parse_number(std::string const& text, long long low, long long high) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < low || value > high) return std::nullopt;
  return value;
}

bool valid_chatbot_name(std::string const& name) {
  if (name.empty() || name.size() > 255) return false;
  for (char c : name) {
    bool const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string seed_file_content(int index) {
  return fmt::format(
      R"({{"messages": [{{"role": "user", "content": "Hello {}"}}, {{"role": "assistant", "content": "Hi! How can I help?"}}]}})"
      "\n",
      index);
}

std::string join(std::vector<std::string> const& items) {
  std::string out;
  for (std::string const& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string describe_faults(std::vector<Fault> const& faults) {
  std::vector<std::string> steps;
  for (Fault const& fault : faults) {
    std::string const step = fault.kind == Fault::Kind::drop ? "dropped" : std::to_string(fault.status);
    steps.push_back(fault.count == 1 ? step : fmt::format("{} x{}", step, fault.count));
  }
  return join(steps);
}

}  // namespace

std::string smarter_mock_usage() { return kUsage; }

SmarterMockCommandLine parse_smarter_mock_args(std::vector<std::string> const& args) {
  SmarterMockCommandLine result;
  SmarterMockOptions& options = result.options;
  // Each flag's handler returns an error message, empty when the value was accepted.
  using Setter = std::function<std::string(std::string const&)>;
  struct Flag {
    char const* name;
    Setter set;
  };
  auto number = [](std::string const& flag, std::string const& value, long long low, long long high,
                   long long& out) -> std::string {
    auto parsed = parse_number(value, low, high);
    if (!parsed) return fmt::format("{} takes a number from {} to {}, not '{}'", flag, low, high, value);
    out = *parsed;
    return {};
  };
  std::vector<Flag> const flags = {
      {"--port",
       [&](std::string const& v) {
         long long port = 0;
         std::string error = number("--port", v, 0, 65535, port);
         options.server.port = static_cast<int>(port);
         return error;
       }},
      {"--host",
       [&](std::string const& v) {
         if (v.empty()) return std::string("--host needs an address");
         options.server.host = v;
         return std::string();
       }},
      {"--generation",
       [&](std::string const& v) {
         if (v == "v0_13" || v == "0.13") {
           options.platform.generation = FakeGeneration::v0_13;
         } else if (v == "v0_14" || v == "0.14") {
           options.platform.generation = FakeGeneration::v0_14;
         } else {
           return "unknown generation '" + v + "' (v0_13 or v0_14)";
         }
         return std::string();
       }},
      {"--api-key",
       [&](std::string const& v) {
         if (v.empty()) return std::string("--api-key needs a key");
         options.platform.api_key = v;
         return std::string();
       }},
      {"--key-style",
       [&](std::string const& v) {
         if (v != "snake" && v != "camel") return "unknown key style '" + v + "' (snake or camel)";
         options.platform.key_style = v == "snake" ? KeyStyle::snake : KeyStyle::camel;
         return std::string();
       }},
      {"--seed-chatbots",
       [&](std::string const& v) {
         std::stringstream list(v);
         std::string name;
         bool any = false;
         while (std::getline(list, name, ',')) {
           if (!valid_chatbot_name(name)) {
             return "--seed-chatbots: '" + name + "' is not a chatbot name (letters, digits, '_' and '-')";
           }
           options.seed_chatbots.push_back(name);
           any = true;
         }
         return any ? std::string() : std::string("--seed-chatbots needs at least one name");
       }},
      {"--seed-files",
       [&](std::string const& v) {
         long long n = 0;
         std::string error = number("--seed-files", v, 0, 10000, n);
         options.seed_files = static_cast<int>(n);
         return error;
       }},
      {"--seed-jobs",
       [&](std::string const& v) {
         long long n = 0;
         std::string error = number("--seed-jobs", v, 0, 100000, n);
         options.seed_jobs = static_cast<int>(n);
         return error;
       }},
      {"--fail-next",
       [&](std::string const& v) {
         std::size_t const colon = v.find(':');
         std::string const status_text = v.substr(0, colon);
         std::string const count_text = colon == std::string::npos ? "1" : v.substr(colon + 1);
         auto status = parse_number(status_text, 400, 599);
         auto count = parse_number(count_text, 1, 1000000);
         if (!status || !count) {
           return "--fail-next takes STATUS[:COUNT], a status from 400 to 599 and a count from 1, not '" + v + "'";
         }
         options.faults.push_back(Fault::fail(static_cast<int>(*status), static_cast<int>(*count)));
         return std::string();
       }},
      {"--drop-next",
       [&](std::string const& v) {
         long long count = 0;
         std::string error = number("--drop-next", v, 1, 1000000, count);
         if (error.empty()) options.faults.push_back(Fault::drop(static_cast<int>(count)));
         return error;
       }},
      {"--latency",
       [&](std::string const& v) {
         long long ms = 0;
         std::string error = number("--latency", v, 0, 600000, ms);
         options.latency = std::chrono::milliseconds(ms);
         return error;
       }},
  };

  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") {
      result.help = true;
      continue;
    }
    if (arg == "--no-seed") {
      options.platform.seed_demo = false;
      continue;
    }
    if (arg == "--call-tools") {
      options.call_tools = true;
      continue;
    }
    std::optional<std::string> inline_value;
    if (std::size_t const eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    Flag const* flag = nullptr;
    for (Flag const& candidate : flags) {
      if (arg == candidate.name) flag = &candidate;
    }
    if (flag == nullptr) {
      result.error = "unknown argument '" + args[i] + "' (see --help)";
      return result;
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      result.error = arg + " needs a value (see --help)";
      return result;
    }
    if (std::string error = flag->set(value); !error.empty()) {
      result.error = error;
      return result;
    }
  }
  return result;
}

SmarterMock::SmarterMock(SmarterMockOptions options) : options_(std::move(options)) {
  // Refuse an invalid fault before anything listens.
  FakeFaults check(options_.platform.generation);
  for (Fault const& fault : options_.faults) check.add(fault);
  server_ = std::make_unique<FakeServer>(options_.server);
  platform_ = install_platform(*server_, options_.platform);
  // The OpenAI-shaped APIs share the server and the base URL: the platform only claims paths
  // containing "/cli/", the others answer under "/api/v1/" too.
  FakeOpenAIOptions openai_options;
  openai_options.call_tools = options_.call_tools;
  openai_ = install_openai(*server_, openai_options);
  files_ = install_files(*server_);
  // Installed last, so it is consulted before every route and the scripted queue.
  faults_ = install_faults(*server_, options_.platform.generation);

  for (std::string const& name : options_.seed_chatbots) platform_->add_chatbot(name);
  for (int i = 1; i <= options_.seed_files; ++i) {
    files_->add(fmt::format("seed-{:03}.jsonl", i), "fine-tune", seed_file_content(i));
  }
  if (options_.seed_jobs > 0) openai_->seed_jobs(options_.seed_jobs);
  for (Fault const& fault : options_.faults) faults_->add(fault);
  server_->set_latency(options_.latency);
}

std::string SmarterMock::base_url() const { return platform_base_url(*server_); }

std::string const& SmarterMock::api_key() const noexcept { return platform_->options().api_key; }

std::string SmarterMock::banner() const {
  bool const v13 = options_.platform.generation == FakeGeneration::v0_13;
  std::string out = fmt::format("smarter-mock: Smarter platform {} listening on {}\n", v13 ? "v0.13" : "v0.14",
                                server_->url());
  out += "SMARTER_BASE_URL=" + base_url() + "\n";
  out += "SMARTER_API_KEY=" + api_key() + "\n";
  out += "demo chatbot: " + (options_.platform.seed_demo ? options_.platform.demo_chatbot : std::string("none (--no-seed)")) + "\n";
  out += "serving under SMARTER_BASE_URL: cli/ (the platform), chat/completions, responses, files, fine_tuning/jobs\n";
  if (!options_.seed_chatbots.empty() || options_.seed_files > 0 || options_.seed_jobs > 0) {
    out += fmt::format("seeded: chatbots [{}], {} files, {} fine-tuning jobs\n", join(options_.seed_chatbots),
                       options_.seed_files, options_.seed_jobs);
  }
  if (!options_.faults.empty()) out += "faults for the next requests: " + describe_faults(options_.faults) + "\n";
  if (options_.call_tools) out += "chat completions call the first tool a request offers (--call-tools)\n";
  if (options_.latency.count() > 0) out += fmt::format("latency: {} ms before every answer\n", options_.latency.count());
  return out;
}

}  // namespace smarter::testkit
