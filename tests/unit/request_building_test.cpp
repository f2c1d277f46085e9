// URL joining, query merging, header overrides and ids: pure request-building logic.
#include "request_building.hpp"

#include <regex>
#include <set>

#include <gtest/gtest.h>

#include <smarter/errors.hpp>
#include <smarter/version.hpp>

namespace smarter::detail {
namespace {

TEST(BaseUrl, AlwaysEndsWithOneSlash) {
  EXPECT_EQ(normalize_base_url("http://localhost:5000/custom/path"), "http://localhost:5000/custom/path/");
  EXPECT_EQ(normalize_base_url("http://localhost:5000/custom/path/"), "http://localhost:5000/custom/path/");
  EXPECT_EQ(normalize_base_url("http://localhost:5000/custom/path///"), "http://localhost:5000/custom/path/");
  EXPECT_EQ(normalize_base_url("  https://example.com  "), "https://example.com/");
}

TEST(JoinUrl, RelativePathsJoinUnderTheBase) {
  EXPECT_EQ(join_url("http://localhost:5000/custom/path/", "/foo"), "http://localhost:5000/custom/path/foo");
  EXPECT_EQ(join_url("http://localhost:5000/custom/path/", "foo"), "http://localhost:5000/custom/path/foo");
  EXPECT_EQ(join_url("https://platform.smarter.sh/api/v1/", "cli/whoami/"),
            "https://platform.smarter.sh/api/v1/cli/whoami/");
}

TEST(JoinUrl, AbsoluteUrlPassesUnchanged) {
  EXPECT_EQ(join_url("http://localhost:5000/custom/path/", "https://myapi.com/foo"), "https://myapi.com/foo");
}

TEST(Environment, SelectsThePlatformHost) {
  EXPECT_EQ(base_url_for_environment("prod"), "https://platform.smarter.sh/api/v1/");
  EXPECT_EQ(base_url_for_environment("alpha"), "https://alpha.platform.smarter.sh/api/v1/");
  EXPECT_EQ(base_url_for_environment("beta"), "https://beta.platform.smarter.sh/api/v1/");
  EXPECT_EQ(base_url_for_environment("NEXT"), "https://next.platform.smarter.sh/api/v1/");
  EXPECT_THROW(base_url_for_environment("local"), SmarterError);
}

TEST(Query, RequestParamsBeatDefaultsAndExtrasBeatBoth) {
  QueryParams params{{"limit", "20"}, {"tag[]", "a"}, {"tag[]", "b"}};
  QueryOverrides defaults{{"limit", "5"}, {"api-version", "1"}};
  QueryOverrides extra{{"api-version", "2"}, {"tag[]", std::nullopt}, {"after", "x"}};
  QueryParams merged = merge_query(params, defaults, extra);
  QueryParams expected{{"limit", "20"}, {"api-version", "2"}, {"after", "x"}};
  EXPECT_EQ(merged, expected);
}

TEST(Query, AppendsEncodedAndKeepsAHardCodedQuery) {
  EXPECT_EQ(append_query("http://h/files/a%2Fb?beta=true", {{"limit", "10"}}), "http://h/files/a%2Fb?beta=true&limit=10");
  EXPECT_EQ(append_query("http://h/x", {{"name", "my bot&co"}, {"q", "a/b"}}), "http://h/x?name=my%20bot%26co&q=a%2Fb");
  EXPECT_EQ(append_query("http://h/x", {}), "http://h/x");
}

TEST(Headers, OverridesSetReplaceAndRemoveCaseInsensitively) {
  http::Headers headers{{"Accept", "application/json"}, {"User-Agent", "smarter-cpp"}};
  apply_header_overrides(headers, {{"accept", "text/plain"}, {"user-agent", std::nullopt}, {"X-Foo", "bar"}});
  EXPECT_EQ(headers.get("ACCEPT"), "text/plain");
  EXPECT_FALSE(headers.contains("User-Agent"));
  EXPECT_EQ(headers.get("x-foo"), "bar");
  EXPECT_EQ(headers.size(), 2u);
}

TEST(Overrides, MergePerKey) {
  HeaderOverrides base{{"X-Foo", "1"}, {"X-Bar", "2"}};
  merge_overrides(base, {{"x-foo", "3"}, {"X-Baz", std::nullopt}}, true);
  HeaderOverrides expected{{"x-foo", "3"}, {"X-Bar", "2"}, {"X-Baz", std::nullopt}};
  EXPECT_EQ(base, expected);
}

TEST(UserAgent, NamesSdkVersionPlatformAndLibcurl) {
  std::string ua = user_agent();
  EXPECT_EQ(ua.rfind(std::string("smarter-cpp/") + SMARTER_VERSION + " (", 0), 0u) << ua;
  EXPECT_NE(ua.find("libcurl/"), std::string::npos) << ua;
}

TEST(Uuid, IsVersionFourAndUnique) {
  std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string id = uuid4();
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(MachineId, IsStableAndUrlSafe) {
  std::string id = machine_client_id();
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(id, machine_client_id());
  EXPECT_EQ(id.find_first_of(" /?&#"), std::string::npos) << id;
}

}  // namespace
}  // namespace smarter::detail
