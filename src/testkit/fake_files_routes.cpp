// Wires the fake Files state to FakeServer routes.
#include <smarter/testkit/fake_files.hpp>
#include <smarter/testkit/fake_server.hpp>

#include <utility>

namespace smarter::testkit {

namespace {

// Accepts both `files` and `v1/files`, so a base URL with or without /v1/ works.
// Answer under "/", "/v1/" and the platform's "/api/v1/", so one base URL serves every fake API.
constexpr char kPrefix[] = "/(?:api/)?(?:v1/)?files";

FakeResponse to_response(FakeFiles::Reply reply) {
  FakeResponse response;
  response.status = reply.status;
  response.headers.emplace_back("Content-Type", reply.content_type);
  if (!reply.file.empty()) {
    response.body_file = reply.file;  // Streamed from disk, never loaded whole.
  } else {
    response.body = std::move(reply.body);
  }
  return response;
}

std::string group(RecordedRequest const& request, std::size_t index) {
  return index < request.path_groups.size() ? request.path_groups[index] : std::string();
}

}  // namespace

std::shared_ptr<FakeFiles> install_files(FakeServer& server, FakeFilesOptions options) {
  auto files = std::make_shared<FakeFiles>(std::move(options));
  std::string const prefix = kPrefix;

  server.route_streaming("POST", prefix + "/?", [files](RecordedRequest const& head, BodyReader const& read_body) {
    auto upload = files->begin_upload(head.header("Content-Type").value_or(""));
    bool complete = read_body([&upload](char const* data, std::size_t size) {
      upload.feed(data, size);
      return true;
    });
    if (!complete) {
      return to_response(FakeFiles::error(400, "The request body could not be read.", "invalid_request_error"));
    }
    return to_response(upload.finish());
  });
  server.route("GET", prefix + "/?", [files](RecordedRequest const& request) {
    return to_response(
        files->list(request.param("purpose"), request.param("limit"), request.param("after"), request.param("order")));
  });
  server.route("GET", prefix + "/([^/]+)", [files](RecordedRequest const& request) {
    return to_response(files->retrieve(group(request, 1)));
  });
  server.route("DELETE", prefix + "/([^/]+)", [files](RecordedRequest const& request) {
    return to_response(files->remove(group(request, 1)));
  });
  server.route("GET", prefix + "/([^/]+)/content", [files](RecordedRequest const& request) {
    return to_response(files->content(group(request, 1)));
  });
  return files;
}

}  // namespace smarter::testkit
