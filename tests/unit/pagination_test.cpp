// CursorPage over canned pages served by a fake fetcher (no sockets).
#include <smarter/pagination.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <smarter/model.hpp>

namespace {

// A minimal model: an item with an id.
struct Item : smarter::Model {
  std::string id;
};
void from_json(nlohmann::json const& j, Item& out) { smarter::detail::read_required(j, "id", out.id); }

using Page = smarter::CursorPage<Item>;

// Serves canned list bodies keyed by the `after` cursor ("" = first page) and counts fetches.
class FakeLister {
 public:
  std::map<std::string, nlohmann::json> bodies;
  std::vector<std::string> requested;

  Page fetch(smarter::PageInfo const& info) {
    std::string after = info.get("after").value_or("");
    requested.push_back(after);
    auto it = bodies.find(after);
    if (it == bodies.end()) throw std::runtime_error("unexpected cursor " + after);
    return smarter::detail::decode_cursor_page<Item>(
        it->second, [this](smarter::PageInfo const& next) { return fetch(next); }, "req-" + after);
  }
  Page first() { return fetch(smarter::PageInfo{}); }
};

nlohmann::json items(std::vector<std::string> const& ids) {
  nlohmann::json data = nlohmann::json::array();
  for (auto const& id : ids) data.push_back({{"id", id}, {"object", "thing"}});
  return data;
}

std::vector<std::string> ids_of(Page const& page) {
  std::vector<std::string> out;
  for (auto const& item : page) out.push_back(item.id);
  return out;
}

TEST(CursorPage, WalksAllItemsOfAllPagesLazily) {
  FakeLister lister;
  lister.bodies[""] = {{"object", "list"}, {"data", items({"a", "b"})}, {"has_more", true}};
  lister.bodies["b"] = {{"object", "list"}, {"data", items({"c", "d"})}, {"has_more", true}};
  lister.bodies["d"] = {{"object", "list"}, {"data", items({"e"})}, {"has_more", false}};

  Page page = lister.first();
  EXPECT_EQ(lister.requested.size(), 1u);
  EXPECT_EQ(page.request_id(), "req-");

  auto it = page.begin();
  EXPECT_EQ(it->id, "a");
  ++it;
  EXPECT_EQ(it->id, "b");
  EXPECT_EQ(lister.requested.size(), 1u) << "second page fetched before it was needed";
  ++it;
  EXPECT_EQ(it->id, "c");
  EXPECT_EQ(lister.requested.size(), 2u);

  EXPECT_EQ(ids_of(page), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  // The second walk starts from the page in hand: the first page is not requested again.
  EXPECT_EQ(lister.requested, (std::vector<std::string>{"", "b", "b", "d"}));
}

TEST(CursorPage, NextPageInfoIsPrintableAndGetNextPageFollowsIt) {
  FakeLister lister;
  lister.bodies[""] = {{"data", items({"ftjob-1", "ftjob-abc"})}, {"has_more", true}};
  lister.bodies["ftjob-abc"] = {{"data", items({"ftjob-z"})}, {"has_more", false}};

  Page first = lister.first();
  ASSERT_TRUE(first.has_next_page());
  std::ostringstream text;
  text << first.next_page_info();
  EXPECT_EQ(text.str(), "after=ftjob-abc");

  Page second = first.get_next_page();
  ASSERT_EQ(second.data().size(), 1u);
  EXPECT_EQ(second.data()[0].id, "ftjob-z");
  EXPECT_FALSE(second.has_next_page());
  EXPECT_TRUE(second.next_page_info().empty());
}

TEST(CursorPage, GetNextPageWithoutNextThrows) {
  FakeLister lister;
  lister.bodies[""] = {{"data", items({"a"})}, {"has_more", false}};
  Page page = lister.first();
  EXPECT_FALSE(page.has_next_page());
  try {
    (void)page.get_next_page();
    FAIL() << "expected SmarterError";
  } catch (smarter::SmarterError const& e) {
    EXPECT_EQ(std::string(e.what()),
              "No next page expected; please check has_next_page() before calling get_next_page()");
  }
}

TEST(CursorPage, EmptyPageWithHasMoreAndCursorContinues) {
  FakeLister lister;
  lister.bodies[""] = {{"data", items({"a"})}, {"has_more", true}, {"last_id", "a"}};
  lister.bodies["a"] = {{"data", nlohmann::json::array()}, {"has_more", true}, {"last_id", "cur-2"}};
  lister.bodies["cur-2"] = {{"data", items({"b"})}, {"has_more", false}, {"last_id", "b"}};

  EXPECT_EQ(ids_of(lister.first()), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(lister.requested, (std::vector<std::string>{"", "a", "cur-2"}));
}

TEST(CursorPage, EmptyFirstPageFetchesAheadOnBegin) {
  FakeLister lister;
  lister.bodies[""] = {{"data", nlohmann::json::array()}, {"has_more", true}, {"next", "n1"}};
  lister.bodies["n1"] = {{"data", items({"x"})}, {"has_more", false}};
  Page page = lister.first();
  EXPECT_TRUE(page.has_next_page());
  EXPECT_EQ(ids_of(page), (std::vector<std::string>{"x"}));
}

TEST(CursorPage, EmptyPageWithoutCursorStops) {
  FakeLister lister;
  lister.bodies[""] = {{"data", nlohmann::json::array()}, {"has_more", true}};
  Page page = lister.first();
  EXPECT_FALSE(page.has_next_page());
  EXPECT_TRUE(ids_of(page).empty());
}

TEST(CursorPage, MissingHasMoreFollowsTheCursor) {
  FakeLister lister;
  lister.bodies[""] = {{"data", items({"a"})}};
  lister.bodies["a"] = {{"data", nlohmann::json::array()}};
  Page page = lister.first();
  EXPECT_FALSE(page.has_more());
  EXPECT_FALSE(page.has_more_field().has_value());
  EXPECT_TRUE(page.has_next_page());
  EXPECT_EQ(ids_of(page), (std::vector<std::string>{"a"}));
  EXPECT_EQ(lister.requested.size(), 2u);
}

TEST(CursorPage, RepeatedCursorThrowsInsteadOfLooping) {
  FakeLister lister;
  lister.bodies[""] = {{"data", items({"a"})}, {"has_more", true}, {"next", "c1"}};
  lister.bodies["c1"] = {{"data", items({"b"})}, {"has_more", true}, {"next", "c2"}};
  lister.bodies["c2"] = {{"data", items({"c"})}, {"has_more", true}, {"next", "c1"}};

  std::vector<std::string> seen;
  try {
    for (auto const& item : lister.first()) seen.push_back(item.id);
    FAIL() << "expected SmarterError";
  } catch (smarter::SmarterError const& e) {
    EXPECT_NE(std::string(e.what()).find("after=c1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(lister.requested, (std::vector<std::string>{"", "c1", "c2"}));
}

TEST(CursorPage, SameCursorOnEmptyPageIsCaught) {
  FakeLister lister;
  lister.bodies[""] = {{"data", items({"a"})}, {"has_more", true}, {"last_id", "a"}};
  lister.bodies["a"] = {{"data", nlohmann::json::array()}, {"has_more", true}, {"last_id", "a"}};
  EXPECT_THROW(ids_of(lister.first()), smarter::SmarterError);
  EXPECT_EQ(lister.requested.size(), 2u);
}

TEST(CursorPage, GetNextPageTwiceFromTheSamePageIsAllowed) {
  FakeLister lister;
  lister.bodies[""] = {{"data", items({"a"})}, {"has_more", true}};
  lister.bodies["a"] = {{"data", items({"b"})}, {"has_more", false}};
  Page first = lister.first();
  EXPECT_EQ(first.get_next_page().data()[0].id, "b");
  EXPECT_EQ(first.get_next_page().data()[0].id, "b");
}

TEST(CursorPage, IterPagesYieldsThisPageThenEachNext) {
  FakeLister lister;
  lister.bodies[""] = {{"data", items({"a", "b"})}, {"has_more", true}};
  lister.bodies["b"] = {{"data", items({"c"})}, {"has_more", true}};
  lister.bodies["c"] = {{"data", items({"d"})}, {"has_more", false}};
  std::vector<std::size_t> sizes;
  std::vector<std::optional<std::string>> request_ids;
  for (auto const& page : lister.first().iter_pages()) {
    sizes.push_back(page.data().size());
    request_ids.push_back(page.request_id());
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 1, 1}));
  EXPECT_EQ(request_ids[1], "req-b");
}

TEST(CursorPage, SinglePageNeverFetches) {
  std::vector<Item> list(3);
  list[0].id = "x";
  list[1].id = "y";
  list[2].id = "z";
  Page page = Page::single(list, "rid");
  EXPECT_FALSE(page.has_next_page());
  EXPECT_EQ(page.request_id(), "rid");
  std::vector<std::string> ids;
  for (auto const& item : page) ids.push_back(item.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_THROW((void)page.get_next_page(), smarter::SmarterError);
}

TEST(CursorPage, BadItemNamesTheField) {
  nlohmann::json body = {{"data", {{{"id", "a"}}, {{"object", "no id"}}}}, {"has_more", false}};
  try {
    (void)smarter::detail::decode_cursor_page<Item>(body, {}, std::nullopt);
    FAIL() << "expected DecodeError";
  } catch (smarter::detail::DecodeError const& e) {
    EXPECT_EQ(e.path(), "/data/1/id");
  }
}

TEST(CursorPage, NullDataIsAnEmptyPage) {
  nlohmann::json body = {{"data", nullptr}, {"has_more", false}};
  Page page = smarter::detail::decode_cursor_page<Item>(body, {}, std::nullopt);
  EXPECT_TRUE(page.data().empty());
  EXPECT_EQ(page.begin(), page.end());
}

}  // namespace
