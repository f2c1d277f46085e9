#include <smarter/types/files.hpp>

#include <smarter/detail/decode.hpp>

namespace smarter {

using detail::read_optional;
using detail::read_or_keep;
using detail::read_required;

void from_json(nlohmann::json const& j, FileObject& out) {
  read_required(j, "id", out.id);
  read_or_keep(j, "object", out.object);
  read_required(j, "bytes", out.bytes);
  read_required(j, "created_at", out.created_at);
  read_required(j, "filename", out.filename);
  read_required(j, "purpose", out.purpose);
  read_optional(j, "expires_at", out.expires_at);
  read_optional(j, "status", out.status);
  read_optional(j, "status_details", out.status_details);
}

void from_json(nlohmann::json const& j, FileDeleted& out) {
  read_required(j, "id", out.id);
  read_or_keep(j, "object", out.object);
  read_required(j, "deleted", out.deleted);
}

}  // namespace smarter
