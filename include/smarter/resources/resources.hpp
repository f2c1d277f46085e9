// `client.resources()`: the Smarter platform's brokered resources.
#pragma once

#include <memory>

#include <smarter/detail/client_core.hpp>
#include <smarter/export.hpp>
#include <smarter/resources/chatbots.hpp>
#include <smarter/resources/plugins.hpp>

namespace smarter::resources {

/// `client.resources()`: chatbots and plugins. Cheap to copy; holds a share of the client.
class SMARTER_API Resources {
 public:
  /// A namespace bound to a client's request machinery.
  explicit Resources(std::shared_ptr<detail::ClientCore const> core);
  /// The account's chatbots.
  Chatbots chatbots() const;
  /// The account's plugins.
  Plugins plugins() const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

}  // namespace smarter::resources
