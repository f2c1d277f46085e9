#include "http/loop_multi.hpp"

#include <smarter/errors.hpp>
#include <smarter/http/curl_transport.hpp>

namespace smarter::http::detail {

LoopMulti::LoopMulti(long max_connections_per_host, long max_total_connections) {
  global_init();
  multi_ = curl_multi_init();
  if (multi_ == nullptr) throw SmarterError("libcurl could not create a multi handle");
  // HTTP/2 multiplexes calls over one connection when the server speaks it (ALPN over TLS).
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
  if (max_connections_per_host > 0) curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, max_connections_per_host);
  if (max_total_connections > 0) curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, max_total_connections);
}

LoopMulti::~LoopMulti() { curl_multi_cleanup(multi_); }

void LoopMulti::wakeup() noexcept { curl_multi_wakeup(multi_); }

void LoopMulti::perform() {
  int running = 0;
  curl_multi_perform(multi_, &running);
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    void* watcher = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &watcher);
    if (watcher != nullptr) static_cast<TransferWatcher*>(watcher)->transfer_done(message->data.result);
  }
}

long LoopMulti::timeout_ms() const {
  long wait = -1;
  curl_multi_timeout(multi_, &wait);
  return wait;
}

void LoopMulti::poll(int ms) { curl_multi_poll(multi_, nullptr, 0, ms, nullptr); }

}  // namespace smarter::http::detail
