// Failures injected into every API a FakeServer serves: the next requests answer an error
// status with the error body the real API sends (the platform's journaled error for `cli/`
// paths, OpenAI's {"error": {...}} for the others), or lose their connection.
//
//   smarter::testkit::FakeServer server;
//   auto platform = smarter::testkit::install_platform(server);
//   auto faults = smarter::testkit::install_faults(server);
//   faults->fail_next(503, 2);   // two 503s, then the platform answers again
//   faults->drop_next();         // then one connection closed without an answer
//
// smarter-mock's --fail-next and --drop-next flags use this. Part of smarter::testkit.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

namespace smarter::testkit {

/// One injected failure, applied to each of the next `count` requests the server receives.
struct Fault {
  /// What the failure does to a request.
  enum class Kind {
    fail,  ///< Answer `status` with the error body the real API sends for that path.
    drop,  ///< Close the connection without sending any response.
  };

  Kind kind = Kind::fail;  ///< What happens to the request.
  int status = 503;        ///< The status answered by a `fail` fault: 400 to 599.
  int count = 1;           ///< How many requests in a row it applies to: at least 1.

  /// A fault answering `status` to the next `count` requests.
  static Fault fail(int status, int count = 1) { return Fault{Kind::fail, status, count}; }
  /// A fault dropping the connection of the next `count` requests.
  static Fault drop(int count = 1) { return Fault{Kind::drop, 0, count}; }
};

/// Failures for the next requests to a FakeServer, whatever their path; thread-safe. Returned by
/// install_faults. Faults are used in the order they were added: `fail_next(503, 2)` then
/// `drop_next()` makes the next three requests see 503, 503, then a dropped connection.
class FakeFaults {
 public:
  /// Faults whose platform errors have the shape of `generation` (see FakeGeneration).
  explicit FakeFaults(FakeGeneration generation = FakeGeneration::v0_13);

  /// Queues `fault` after the faults already waiting. Throws std::invalid_argument when its
  /// status is outside 400-599 (for `fail`) or its count is below 1.
  void add(Fault fault);
  /// Makes the next `count` requests answer `status` (400-599) with the API's own error body.
  void fail_next(int status, int count = 1);
  /// Makes the next `count` requests lose their connection without any answer.
  void drop_next(int count = 1);
  /// Number of requests still to be failed or dropped.
  std::size_t pending() const;
  /// Number of requests failed or dropped so far.
  std::size_t injected() const;
  /// Forgets the faults still waiting.
  void clear();

  /// Takes the next fault for the request `head` and returns its response, or nullopt when no
  /// fault is waiting (install_faults makes the server call this for every request).
  std::optional<FakeResponse> next(RecordedRequest const& head);

  /// The error response a real server sends with `status` for a request like `head`: the
  /// platform's journaled error (in `generation`'s shape) for paths containing `/cli/`, an
  /// OpenAI-shaped {"error": {"message", "type", "param", "code"}} with an `x-request-id` otherwise.
  static FakeResponse error_response(FakeGeneration generation, int status, RecordedRequest const& head);

 private:
  FakeGeneration generation_;
  mutable std::mutex mutex_;
  std::deque<Fault> faults_;
  std::size_t injected_ = 0;
};

/// Makes `server` consult a new FakeFaults before answering any request (see
/// FakeServer::intercept) and returns it; nothing is injected until a fault is added. Use the
/// generation of the platform installed on the same server.
std::shared_ptr<FakeFaults> install_faults(FakeServer& server, FakeGeneration generation = FakeGeneration::v0_13);

}  // namespace smarter::testkit
