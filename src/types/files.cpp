// The Files models' field tables.
#include <smarter/types/files.hpp>

namespace smarter::detail {

template <>
struct Schema<FileObject> {
  using T = FileObject;
  static constexpr auto fields = std::make_tuple(
      required("id", &T::id), field("object", &T::object), required("bytes", &T::bytes),
      required("created_at", &T::created_at), required("filename", &T::filename), required("purpose", &T::purpose),
      field("expires_at", &T::expires_at), field("status", &T::status), field("status_details", &T::status_details));
};

template <>
struct Schema<FileDeleted> {
  using T = FileDeleted;
  static constexpr auto fields = std::make_tuple(required("id", &T::id), field("object", &T::object),
                                                 required("deleted", &T::deleted));
};

}  // namespace smarter::detail

namespace smarter {

SMARTER_DEFINE_CODEC(FileObject)
SMARTER_DEFINE_CODEC(FileDeleted)

}  // namespace smarter
