// multipart/form-data encoding for uploads. Internal: the Files resource uses it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/export.hpp>
#include <smarter/file_input.hpp>
#include <smarter/http/request.hpp>

namespace smarter::detail {

/// A random boundary (RFC 2046 characters only), unlikely to occur in any content.
SMARTER_API std::string make_multipart_boundary();

/// Escapes a part name or filename for a quoted Content-Disposition parameter: `"` -> %22,
/// CR -> %0D, LF -> %0A as browsers do (WHATWG), and `\` -> `\\` (an RFC 9110 quoted-pair), so
/// the quoted-string ends where it should for every reader; everything else is kept as is.
SMARTER_API std::string escape_disposition_value(std::string_view value);

/// A multipart/form-data body under construction: text fields and file parts, in order.
/// `body()` yields a rewindable BodySource with an exact size whenever every part's size is
/// known; file parts from disk are read in small pieces while sending.
class SMARTER_API MultipartForm {
 public:
  /// A form with a random boundary.
  MultipartForm();
  /// A form with a fixed boundary (tests). Throws SmarterError for an empty boundary,
  /// one longer than 70 characters, or one with characters RFC 2046 does not allow.
  explicit MultipartForm(std::string boundary);

  /// Adds a text field.
  void add_field(std::string const& name, std::string value);
  /// Adds a boolean field sent as `true` or `false`.
  void add_bool(std::string const& name, bool value);
  /// Adds a JSON value as form fields: an object becomes `name[key]` fields, an array repeats
  /// `name[]`, booleans are `true`/`false`, numbers their JSON text; null values are not sent.
  void add_json(std::string const& name, nlohmann::json const& value);
  /// Adds a file part; it always carries a filename and a Content-Type.
  void add_file(std::string const& name, FileInput file);

  /// The boundary.
  std::string const& boundary() const noexcept { return boundary_; }
  /// `multipart/form-data; boundary=<boundary>`.
  std::string content_type() const;
  /// A fresh body source for this form (each call starts a new independent reader). Path
  /// inputs are checked here: a file that has vanished raises FileInputError.
  std::shared_ptr<http::BodySource> body() const;
  /// The whole encoded body in memory (tests and small forms only).
  std::string encode() const;

 private:
  struct Part {
    std::string header;       // Boundary line and part headers, up to the empty line.
    std::string value;        // Text field value.
    bool is_file = false;
    std::shared_ptr<FileInput const> file;
  };
  std::string boundary_;
  std::vector<Part> parts_;
};

}  // namespace smarter::detail
