#include "request_building.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <cerrno>
#include <cstring>
#include <random>

#include <pwd.h>
#include <sys/random.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <smarter/detail/sha256.hpp>
#include <smarter/errors.hpp>
#include <smarter/http/curl_transport.hpp>
#include <smarter/version.hpp>

#include "fork_count.hpp"
#include "http/url.hpp"
#include "text_util.hpp"

namespace smarter::detail {

namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && to_lower(text.substr(0, prefix.size())) == prefix;
}

bool is_http_url(std::string_view text) {
  return starts_with_ignoring_case(text, "http://") || starts_with_ignoring_case(text, "https://");
}

}  // namespace

std::string normalize_base_url(std::string_view url) {
  std::string out(trim(url));
  // Messages never show a user name or password that may be in the text.
  std::string const shown = http::detail::without_userinfo(out);
  if (!is_http_url(out)) {
    throw SmarterError("base_url must be an absolute http:// or https:// URL (got '" + shown + "')");
  }
  for (unsigned char c : out) {
    if (c <= 0x20 || c == 0x7F) {
      throw SmarterError("base_url must not contain spaces or control characters (got '" + shown + "')");
    }
  }
  if (out.find_first_of("?#") != std::string::npos) {
    // Checked on the text: libcurl reports an empty query or fragment ("http://h/v1#") as none.
    throw SmarterError("base_url must not contain a query ('?') or a fragment ('#') (got '" + shown +
                       "'); use default_query for query parameters");
  }
  auto parts = http::detail::parse_url(out);
  if (!parts) throw SmarterError("base_url is not a valid URL (got '" + shown + "')");
  if (parts->has_userinfo) {
    throw SmarterError("base_url must not contain a user name or password (got '" + shown +
                       "'); give the API key as api_key");
  }
  if (parts->has_query || parts->has_fragment) {
    throw SmarterError("base_url must not contain a query ('?') or a fragment ('#') (got '" + shown +
                       "'); use default_query for query parameters");
  }
  while (!out.empty() && out.back() == '/') out.pop_back();
  out += '/';
  return out;
}

std::string join_url(std::string_view base_url, std::string_view path) {
  // Only an http(s) URL replaces the base: "a://b" or "x?y=http://z" stay relative.
  if (is_http_url(path)) return std::string(path);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return std::string(base_url) + std::string(path);
}

std::string base_url_for_environment(std::string_view environment) {
  std::string env = to_lower(trim(environment));
  if (env == "prod" || env == "production") return "https://platform.smarter.sh/api/v1/";
  if (env == "alpha" || env == "beta" || env == "next") return "https://" + env + ".platform.smarter.sh/api/v1/";
  throw SmarterError("SMARTER_ENVIRONMENT must be one of prod, alpha, beta or next (got '" + std::string(environment) +
                     "'); set SMARTER_BASE_URL for any other server");
}

QueryParams merge_query(QueryParams const& params, QueryOverrides const& defaults, QueryOverrides const& extra) {
  QueryParams out;
  auto has_key = [&out](std::string const& key) {
    for (auto const& [k, v] : out) {
      if (k == key) return true;
    }
    return false;
  };
  for (auto const& [key, value] : defaults) {
    if (value && !has_key(key)) {
      bool in_params = false;
      for (auto const& p : params) in_params = in_params || p.first == key;
      if (!in_params) out.emplace_back(key, *value);
    }
  }
  for (auto const& p : params) out.push_back(p);
  for (auto const& [key, value] : extra) {
    std::vector<std::pair<std::string, std::string>> kept;
    for (auto& p : out) {
      if (p.first != key) kept.push_back(std::move(p));
    }
    out = std::move(kept);
    if (value) out.emplace_back(key, *value);
  }
  return out;
}

std::string append_query(std::string url, QueryParams const& query) {
  if (query.empty()) return url;
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  for (auto const& [key, value] : query) {
    url += separator;
    url += percent_encode(key);
    url += '=';
    url += percent_encode(value);
    separator = '&';
  }
  return url;
}

void apply_header_overrides(http::Headers& headers, HeaderOverrides const& overrides) {
  for (auto const& [name, value] : overrides) {
    if (value) {
      headers.set(name, *value);
    } else {
      headers.remove(name);
    }
  }
}

void merge_overrides(std::vector<std::pair<std::string, std::optional<std::string>>>& base,
                     std::vector<std::pair<std::string, std::optional<std::string>>> const& overrides,
                     bool case_insensitive) {
  for (auto const& entry : overrides) {
    bool replaced = false;
    for (auto& existing : base) {
      bool same = case_insensitive ? http::header_name_equals(existing.first, entry.first) : existing.first == entry.first;
      if (same) {
        existing = entry;
        replaced = true;
      }
    }
    if (!replaced) base.push_back(entry);
  }
}

RedirectDecision decide_redirect(std::string_view method, std::string_view url, int status,
                                 std::optional<std::string> const& location, bool has_body) {
  RedirectDecision decision;
  bool const redirect_status = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  if (!redirect_status || !location || trim(*location).empty()) return decision;
  auto refuse = [&](std::string reason) {
    decision.action = RedirectDecision::Action::refuse;
    decision.reason = std::move(reason);
    return decision;
  };
  auto const target = http::detail::resolve_url(url, trim(*location));
  auto const to = target ? http::detail::parse_url(*target) : std::nullopt;
  if (!to) return refuse("its Location is not a valid URL");
  if (!to->is_http()) return refuse("it leads to a " + to->scheme + ": URL; only http and https are followed");
  auto const from = http::detail::parse_url(url);
  if (!from) return refuse("the request URL cannot be parsed");
  if (from->scheme == "https" && to->scheme == "http") return refuse("it leads from https to plain http");

  decision.url = *target;
  decision.cross_origin = !from->same_origin(*to);
  decision.method = std::string(method);
  decision.keep_body = has_body;
  if (status == 303 || ((status == 301 || status == 302) && method == "POST")) {
    // See Other (and the historical POST rewrite of 301/302): fetch the result with GET.
    decision.method = method == "HEAD" ? "HEAD" : "GET";
    decision.keep_body = false;
  }
  bool const safe_method = decision.method == "GET" || decision.method == "HEAD";
  if (decision.cross_origin && (decision.keep_body || !safe_method)) {
    return refuse("a " + std::to_string(status) + " to another origin would send " + decision.method +
                  (decision.keep_body ? " and its body" : "") + " there");
  }
  decision.action = RedirectDecision::Action::follow;
  return decision;
}

std::string user_agent() {
  // Computed once: the OS, architecture and libcurl do not change while the process runs.
  static std::string const kUserAgent = [] {
    std::string os = "unknown";
    std::string arch = "unknown";
    struct utsname info {};
    if (uname(&info) == 0) {
      os = info.sysname;
      arch = info.machine;
    }
    return "smarter-cpp/" + std::string(SMARTER_VERSION) + " (" + os + "; " + arch + ") libcurl/" +
           http::CurlTransport::curl_version();
  }();
  return kUserAgent;
}

namespace {

/// Fills `out` with bytes from the kernel's CSPRNG.
void read_kernel_random(unsigned char* out, std::size_t size) {
  while (size > 0) {
    ssize_t const n = ::getrandom(out, size, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw SmarterError(std::string("cannot read random bytes from the kernel: ") + std::strerror(errno));
    }
    out += n;
    size -= static_cast<std::size_t>(n);
  }
}

/// Random bytes for keys, read from the kernel's CSPRNG a block at a time per thread: one
/// getrandom() call per 32 keys instead of a system call per request. Never seeded from a small
/// value, and a forked child throws away the block it inherited, so it never repeats its
/// parent's keys.
class RandomPool {
 public:
  void take(unsigned char* out, std::size_t size) {
    if (used_ + size > block_.size() || fork_count_ != forks_seen()) refill();
    std::memcpy(out, block_.data() + used_, size);
    // Handed out once: the used bytes are wiped so that no later read can find them again.
    std::memset(block_.data() + used_, 0, size);
    used_ += size;
  }

 private:
  void refill() {
    watch_forks();
    read_kernel_random(block_.data(), block_.size());
    fork_count_ = forks_seen();
    used_ = 0;
  }

  std::array<unsigned char, 512> block_{};
  std::size_t used_ = 512;
  std::uint64_t fork_count_ = 0;
};

/// Fills `out` with random bytes from this thread's pool (see RandomPool).
void random_bytes(unsigned char* out, std::size_t size) {
  thread_local RandomPool pool;
  pool.take(out, size);
}

std::string first_line_of(char const* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return std::string(trim(line));
}

/// A per-machine secret to derive the client id from: systemd's machine id (random, stable,
/// meant to be used only through a keyed hash), else the host name and first MAC address.
std::string machine_secret() {
  for (char const* path : {"/etc/machine-id", "/var/lib/dbus/machine-id"}) {
    std::string id = first_line_of(path);
    if (!id.empty()) return id;
  }
  std::array<char, 256> host{};
  std::string secret = gethostname(host.data(), host.size() - 1) == 0 ? std::string(host.data()) : "localhost";
  std::error_code ec;
  // The first non-loopback interface with a real hardware address, in name order for stability.
  std::vector<std::filesystem::path> interfaces;
  for (auto const& entry : std::filesystem::directory_iterator("/sys/class/net", ec)) interfaces.push_back(entry.path());
  std::sort(interfaces.begin(), interfaces.end());
  for (auto const& path : interfaces) {
    if (path.filename() == "lo") continue;
    std::string address = first_line_of((path / "address").c_str());
    if (!address.empty() && address != "00:00:00:00:00:00") {
      secret += "\n" + address;
      break;
    }
  }
  return secret;
}

}  // namespace

std::string uuid4() {
  unsigned char bytes[16];
  random_bytes(bytes, sizeof bytes);
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < sizeof bytes; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += kHex[bytes[i] >> 4];
    text += kHex[bytes[i] & 0x0F];
  }
  return text;
}

std::string machine_client_id() {
  // Worked out once per process: it cannot change while the process runs.
  static std::string const id = [] {
    std::string user = std::to_string(::getuid());
    if (passwd const* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_name != nullptr) {
      // Appended piece by piece: `":" + std::string(...)` inserts at the front of a temporary,
      // and GCC 12 at -O3 misjudges the bound of the inlined memcpy (a false -Wstringop-overflow).
      user += ':';
      user += entry->pw_name;
    }
    // A keyed hash: stable for this machine and user, yet it reveals neither.
    return hmac_sha256_hex(machine_secret(), "smarter-cpp client id\n" + user).substr(0, 32);
  }();
  return id;
}

}  // namespace smarter::detail
