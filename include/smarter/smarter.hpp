// The whole public API of smarter-cpp in one include.
#pragma once

#include <smarter/async.hpp>
#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/file_input.hpp>
#include <smarter/http/curl_transport.hpp>
#include <smarter/http/transport.hpp>
#include <smarter/logging.hpp>
#include <smarter/model.hpp>
#include <smarter/options.hpp>
#include <smarter/pagination.hpp>
#include <smarter/raw_response.hpp>
#include <smarter/streaming.hpp>
#include <smarter/structured.hpp>
#include <smarter/version.hpp>

#include <smarter/types/chat.hpp>
#include <smarter/types/chatbots.hpp>
#include <smarter/types/files.hpp>
#include <smarter/types/fine_tuning.hpp>
#include <smarter/types/manifest.hpp>
#include <smarter/types/platform.hpp>
#include <smarter/types/plugins.hpp>
#include <smarter/types/responses.hpp>

#include <smarter/resources/chat.hpp>
#include <smarter/resources/chatbots.hpp>
#include <smarter/resources/files.hpp>
#include <smarter/resources/fine_tuning.hpp>
#include <smarter/resources/manifests.hpp>
#include <smarter/resources/plugins.hpp>
#include <smarter/resources/resources.hpp>
#include <smarter/resources/responses.hpp>
