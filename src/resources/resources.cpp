// client.resources(): chatbots and plugins.
#include <smarter/resources/resources.hpp>

namespace smarter::resources {

Resources::Resources(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

Chatbots Resources::chatbots() const { return Chatbots(core_); }

Plugins Resources::plugins() const { return Plugins(core_); }

}  // namespace smarter::resources
