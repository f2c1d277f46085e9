#include <smarter/version.hpp>

namespace smarter {

char const* version() noexcept { return SMARTER_VERSION; }

}  // namespace smarter
