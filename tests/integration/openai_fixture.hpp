// Shared set-up of the OpenAI-shaped integration tests: a FakeServer with the fake OpenAI
// endpoints and a client pointed at it.
#pragma once

#include <cstdlib>
#include <memory>

#include <gtest/gtest.h>

#include <smarter/client.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_server.hpp>

namespace smarter::test_support {

/// A fake OpenAI-shaped server on loopback and a client of it (fast retries, Bearer auth).
class OpenAIFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    for (char const* name : {"SMARTER_API_KEY", "SMARTER_BASE_URL", "SMARTER_ENVIRONMENT", "SMARTER_LOG"}) unsetenv(name);
    server_ = std::make_unique<testkit::FakeServer>();
    openai_ = testkit::install_openai(*server_, fake_options());
  }

  /// Settings of the fake endpoints (tests override to change them).
  virtual testkit::FakeOpenAIOptions fake_options() const { return {}; }

  /// Client options for the server; `v1/` mirrors OpenAI's base URL.
  ClientOptions options() const {
    ClientOptions options;
    options.api_key = "sk-test";
    options.base_url = server_->url() + "v1";
    options.auth_scheme = AuthScheme::bearer;
    options.retry.initial_delay = 0.01;
    options.retry.max_delay = 0.05;
    return options;
  }

  Smarter client() const { return Smarter(options()); }

  std::unique_ptr<testkit::FakeServer> server_;
  std::shared_ptr<testkit::FakeOpenAI> openai_;
};

}  // namespace smarter::test_support
