// The exit statuses of `smarter` and the errors that lead to them. Every failure ends in exactly
// one place (report_error), which prints it on standard error and picks the status by its class,
// so scripts can tell "not found" from "bad key" from "network down" without parsing text.
#pragma once

#include <stdexcept>
#include <string>

namespace smarter_cli {

/// The process exit status for each class of outcome (documented in docs/sections/cli.md).
enum class ExitStatus : int {
  ok = 0,         ///< The command did what it was asked.
  usage = 1,      ///< Bad command line or configuration (unknown command, bad flag value, bad config.yaml).
  not_found = 2,  ///< The resource does not exist (404, or the chatbot broker's "not ready" 503).
  auth = 3,       ///< No API key, or the platform refused it (401/403).
  network = 4,    ///< The platform could not be reached or did not answer in time.
  server = 5,     ///< The platform failed (5xx) or asked to slow down (429).
  refused = 6,    ///< The input was refused: an unreadable or invalid manifest, or a 400/405/409/422 answer.
  other = 7,      ///< Anything else: an answer the SDK could not read, an unexpected internal error.
};

/// A mistake in the command line or the configuration (exit status 1).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Input the command cannot use, e.g. a manifest file that is missing or does not parse (exit 6).
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// No API key was found in any of the places the tool looks (exit 3).
class MissingApiKeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Prints the exception being handled (call it inside a catch block) as "Error: <message>" on
/// standard error, with the platform's own message for API errors, and returns its exit status.
/// `verbose` adds the platform's error class, request id and stack trace when it sent them.
int report_error(bool verbose);

}  // namespace smarter_cli
