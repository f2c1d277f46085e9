// The default transport, built on libcurl.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <smarter/export.hpp>
#include <smarter/http/transport.hpp>

namespace smarter::http {

/// Settings of the default libcurl transport.
struct HttpClientOptions {
  std::optional<std::string> proxy{};          ///< Proxy URL, e.g. "http://proxy:3128"; unset uses libcurl's env handling.
  std::optional<std::string> no_proxy{};       ///< Comma-separated hosts that bypass the proxy.
  std::optional<std::string> local_address{};  ///< Local interface or IP to send from.
  std::optional<std::string> ca_bundle{};      ///< Path of a PEM file of trusted CAs.
  std::optional<std::string> ca_path{};        ///< Directory of trusted CA certificates.
  bool verify_tls = true;                    ///< Verify the server certificate and host name.
  std::optional<std::chrono::milliseconds> connect_timeout{};  ///< Default connect limit when a request sets none.
  std::size_t max_idle_connections = 16;     ///< Pooled handles (each keeps its connections) kept when idle.
};

/// libcurl transport: pooled handles so connections are reused; safe to share between threads.
class SMARTER_API CurlTransport final : public Transport {
 public:
  /// Creates a transport with the given settings.
  explicit CurlTransport(HttpClientOptions options = {});
  ~CurlTransport() override;
  CurlTransport(CurlTransport const&) = delete;
  CurlTransport& operator=(CurlTransport const&) = delete;

  HttpResponse send(HttpRequest const& request) override;

  /// The libcurl version string, e.g. "7.88.1".
  static std::string curl_version();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

/// Initialises libcurl globally. Called for you by the first CurlTransport; call it early in
/// main() yourself when your libcurl is older than 7.84 and threads are already running.
SMARTER_API void global_init();

}  // namespace smarter::http
