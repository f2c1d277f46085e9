// The one seam between the SDK and the network.
#pragma once

#include <functional>
#include <memory>

#include <smarter/export.hpp>
#include <smarter/http/request.hpp>
#include <smarter/http/response.hpp>

namespace smarter::http {

/// Sends HTTP requests. Implementations must be safe to call from many threads at once.
///
/// `send` returns as soon as the final status line and headers have arrived; the body is then
/// pulled through HttpResponse::body. Failures without an HTTP response throw APIConnectionError
/// (or APITimeoutError); an HTTP error status is a normal return, not an exception.
class SMARTER_API Transport {
 public:
  virtual ~Transport();
  /// Performs one attempt of `request`.
  virtual HttpResponse send(HttpRequest const& request) = 0;
};

/// A transport backed by a function: handy for tests and for wrapping another transport.
class SMARTER_API FunctionTransport final : public Transport {
 public:
  /// The handler called for every request.
  using Handler = std::function<HttpResponse(HttpRequest const&)>;
  /// Wraps `handler`.
  explicit FunctionTransport(Handler handler);
  HttpResponse send(HttpRequest const& request) override;

 private:
  Handler handler_;
};

}  // namespace smarter::http
