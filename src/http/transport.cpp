// The transport interface and the function-backed transport.
#include <smarter/http/transport.hpp>

#include <utility>

namespace smarter::http {

Transport::~Transport() = default;

BodySource::~BodySource() = default;

FunctionTransport::FunctionTransport(Handler handler) : handler_(std::move(handler)) {}

HttpResponse FunctionTransport::send(HttpRequest const& request) {
  return handler_(request);
}

}  // namespace smarter::http
