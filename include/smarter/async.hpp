// The asynchronous client in one include: AsyncSmarter, Future, AsyncStream and the namespaces.
#pragma once

#include <smarter/async/client.hpp>
#include <smarter/async/resources.hpp>
#include <smarter/future.hpp>
