// Turns the exception being handled into a message on standard error and an exit status.
#include "exit_status.hpp"

#include <exception>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include <smarter/errors.hpp>

namespace smarter_cli {

namespace {

/// The `error` object of a journaled platform error body, or null when the body has none.
nlohmann::json const& platform_error(smarter::APIStatusError const& e) {
  static nlohmann::json const none;
  nlohmann::json const& body = e.body();
  if (body.is_object()) {
    auto it = body.find("error");
    if (it != body.end() && it->is_object()) return *it;
  }
  return none;
}

/// A string field of `object`, or "" when it is missing or not a string.
std::string text_field(nlohmann::json const& object, char const* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The one-line message for a status error: the platform's own description when it sent one
/// (the SDK's message otherwise), followed by the error class and the HTTP status.
std::string status_message(smarter::APIStatusError const& e) {
  nlohmann::json const& error = platform_error(e);
  std::string const description = text_field(error, "description");
  if (description.empty()) return e.what();
  std::string const error_class = text_field(error, "errorClass");
  std::string suffix = "HTTP " + std::to_string(e.status_code());
  if (!error_class.empty()) suffix = error_class + ", " + suffix;
  return description + " (" + suffix + ")";
}

/// What -v adds under a status error: the request id and the platform's stack trace.
void print_status_details(smarter::APIStatusError const& e) {
  if (auto id = e.request_id()) std::cerr << "  request id: " << *id << "\n";
  std::string const trace = text_field(platform_error(e), "stacktrace");
  if (!trace.empty()) std::cerr << "  platform stack trace:\n" << trace << (trace.back() == '\n' ? "" : "\n");
}

/// The exit status of a status error, by its HTTP class.
ExitStatus status_class(smarter::APIStatusError const& e) {
  // NotFoundError also covers the chatbot broker's 503 "not ready" for a missing chatbot.
  if (dynamic_cast<smarter::NotFoundError const*>(&e)) return ExitStatus::not_found;
  int const status = e.status_code();
  if (status == 401 || status == 403) return ExitStatus::auth;
  if (status >= 500 || status == 429) return ExitStatus::server;
  if (status >= 400) return ExitStatus::refused;
  return ExitStatus::other;  // a 3xx that was not followed
}

/// Prints "Error: <message>" and returns `status` as an int.
int fail(std::string const& message, ExitStatus status) {
  std::cerr << "Error: " << message << "\n";
  return static_cast<int>(status);
}

}  // namespace

int report_error(bool verbose) {
  try {
    throw;
  } catch (UsageError const& e) {
    return fail(e.what(), ExitStatus::usage);
  } catch (InputError const& e) {
    return fail(e.what(), ExitStatus::refused);
  } catch (MissingApiKeyError const& e) {
    return fail(e.what(), ExitStatus::auth);
  } catch (smarter::APIStatusError const& e) {
    int const status = fail(status_message(e), status_class(e));
    if (verbose) print_status_details(e);
    return status;
  } catch (smarter::APIConnectionError const& e) {
    // Timeouts are connection errors too: both mean "no answer from the platform".
    return fail(e.what(), ExitStatus::network);
  } catch (std::exception const& e) {
    // SmarterError (e.g. a response that does not decode) and anything unexpected.
    return fail(e.what(), ExitStatus::other);
  } catch (...) {
    return fail("unknown error", ExitStatus::other);
  }
}

}  // namespace smarter_cli
