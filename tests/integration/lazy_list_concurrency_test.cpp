// The items of a list page keep the page's text and parse it on first use, once for the whole
// page (decode_list_response): threads asking at the same time, the first of them racing that
// parse, must all get the right JSON. Kept with the integration tests because the TSan preset
// runs those; no sockets, no sleeps.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <smarter/detail/decode.hpp>
#include <smarter/model.hpp>
#include <smarter/pagination.hpp>
#include <smarter/raw_response.hpp>
#include <smarter/types/chat.hpp>

namespace smarter {
namespace {

using nlohmann::json;

constexpr int kThreads = 8;
constexpr std::size_t kItems = 48;
// Fresh pages per test: each round is one more race for the first parse.
constexpr int kRounds = 25;

// A page of stored completions, every one with nested models (choices, messages, tool calls,
// usage) and unknown fields, so nested lookups race too.
std::string completions_page() {
  json data = json::array();
  for (std::size_t i = 0; i < kItems; ++i) {
    std::string const id = "chatcmpl-" + std::to_string(i);
    json calls = json::array();
    for (std::size_t c = 0; c < 1 + i % 3; ++c) {
      calls.push_back({{"id", "call_" + std::to_string(i) + "_" + std::to_string(c)},
                       {"type", "function"},
                       {"function",
                        {{"name", "f" + std::to_string(c)}, {"arguments", "{\"i\":" + std::to_string(i) + "}"}}}});
    }
    data.push_back({{"id", id},
                    {"object", "chat.completion"},
                    {"created", 1700000000 + static_cast<std::int64_t>(i)},
                    {"model", "m"},
                    {"choices",
                     {{{"index", 0},
                       {"finish_reason", "tool_calls"},
                       {"message", {{"role", "assistant"}, {"content", nullptr}, {"tool_calls", calls}}}},
                      {{"index", 1},
                       {"finish_reason", "stop"},
                       {"message", {{"role", "assistant"}, {"content", "text " + std::to_string(i)}}}}}},
                    {"usage", {{"prompt_tokens", i}, {"completion_tokens", 1}, {"total_tokens", i + 1}}},
                    {"unknown_" + std::to_string(i), {{"nested", {1, 2, i}}}}});
  }
  return json({{"object", "list"}, {"data", data}, {"has_more", false}}).dump();
}

// A freshly decoded page: nobody has asked it for JSON yet.
CursorPage<ChatCompletion> fresh_page(std::string const& text) {
  RawResponse response;
  response.status_code = 200;
  response.headers.add("content-type", "application/json");
  response.body = text;
  return detail::decode_list_response<ChatCompletion>(std::move(response), nullptr);
}

// Runs work(thread) on `threads` threads released at the same moment (they spin until all are
// ready, so the first calls overlap), and counts what went wrong: failed checks reported through
// `failures`, and exceptions.
template <class Work>
int run_together(int threads, Work const& work) {
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      try {
        work(t, failures);
      } catch (...) {
        failures.fetch_add(1);
      }
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  go.store(true, std::memory_order_release);
  for (auto& thread : pool) thread.join();
  return failures.load();
}

void check(bool ok, std::atomic<int>& failures) {
  if (!ok) failures.fetch_add(1);
}

// Everything a thread can ask an item for, checked against the page's JSON.
void check_item(ChatCompletion const& item, json const& expected, std::atomic<int>& failures) {
  check(item.to_dict() == expected, failures);
  check(item.id == expected["id"], failures);
  check(item.choices.size() == 2, failures);
  if (item.choices.size() != 2) return;
  for (std::size_t c = 0; c < 2; ++c) {
    check(item.choices[c].to_dict() == expected["choices"][c], failures);
    check(item.choices[c].message.to_dict() == expected["choices"][c]["message"], failures);
  }
  auto const& calls = item.choices[0].message.tool_calls;
  check(calls.size() == expected["choices"][0]["message"]["tool_calls"].size(), failures);
  for (std::size_t c = 0; c < calls.size(); ++c) {
    check(calls[c].to_dict() == expected["choices"][0]["message"]["tool_calls"][c], failures);
  }
  check(item.usage.has_value() && item.usage->to_dict() == expected["usage"], failures);
}

TEST(LazyListConcurrency, ThreadsOnTheSameAndOnDifferentItemsAllSeeTheirJson) {
  std::string const text = completions_page();
  json const data = json::parse(text)["data"];
  for (int round = 0; round < kRounds; ++round) {
    auto const page = fresh_page(text);
    ASSERT_EQ(page.data().size(), kItems);
    std::vector<json const*> first_seen(kThreads, nullptr);
    int const failures = run_together(kThreads, [&](int t, std::atomic<int>& failed) {
      // Every thread starts on item 0: they race the page's one parse and the item's lookup.
      first_seen[static_cast<std::size_t>(t)] = &page.data()[0].to_dict();
      check_item(page.data()[0], data[0], failed);
      // Then items of its own, and the items of the others in another order.
      for (std::size_t i = static_cast<std::size_t>(t); i < kItems; i += kThreads) {
        check_item(page.data()[i], data[i], failed);
      }
      for (std::size_t i = kItems; i-- > 0;) check_item(page.data()[i], data[i], failed);
    });
    EXPECT_EQ(failures, 0) << "round " << round;
    for (int t = 1; t < kThreads; ++t) {
      EXPECT_EQ(first_seen[static_cast<std::size_t>(t)], first_seen[0]) << "threads saw different parses of one page";
    }
  }
}

TEST(LazyListConcurrency, NestedModelsOfOneItemRaceTheFirstParse) {
  // Each thread first asks a different nested model of the same item: the nested lookups are
  // the first users of the page's JSON.
  std::string const text = completions_page();
  json const data = json::parse(text)["data"];
  std::size_t const item = 5;  // three tool calls
  for (int round = 0; round < kRounds; ++round) {
    auto const page = fresh_page(text);
    ChatCompletion const& completion = page.data()[item];
    json const& expected = data[item];
    int const failures = run_together(kThreads, [&](int t, std::atomic<int>& failed) {
      auto const& calls = completion.choices[0].message.tool_calls;
      std::size_t const call = static_cast<std::size_t>(t / 4) % calls.size();
      switch (t % 4) {
        case 0: check(calls[call].to_dict() == expected["choices"][0]["message"]["tool_calls"][call], failed); break;
        case 1: check(completion.choices[1].message.to_dict() == expected["choices"][1]["message"], failed); break;
        case 2: check(completion.usage->to_dict() == expected["usage"], failed); break;
        default: check(completion.to_dict() == expected, failed); break;
      }
      check_item(completion, expected, failed);
    });
    EXPECT_EQ(failures, 0) << "round " << round;
  }
}

TEST(LazyListConcurrency, FieldQueriesOnOneItemRaceTheFirstParse) {
  std::string const text = completions_page();
  json const data = json::parse(text)["data"];
  std::vector<std::string> const names = {"choices", "created", "id", "model", "object", "unknown_7", "usage"};
  for (int round = 0; round < kRounds; ++round) {
    auto const page = fresh_page(text);
    ChatCompletion const& completion = page.data()[7];
    int const failures = run_together(kThreads, [&](int t, std::atomic<int>& failed) {
      switch (t % 4) {
        case 0: check(completion.has_field("unknown_7") && !completion.has_field("unknown_8"), failed); break;
        case 1: check(completion.choices[0].message.is_null("content"), failed); break;
        case 2: check(completion.field("unknown_7") == data[7]["unknown_7"], failed); break;
        default: check(completion.fields_set() == names, failed); break;
      }
      check(completion.field("no-such-field").is_null(), failed);
      check(completion.to_json(-1) == data[7].dump(), failed);
    });
    EXPECT_EQ(failures, 0) << "round " << round;
  }
}

TEST(LazyListConcurrency, CopiesInManyThreadsAfterThePageIsGone) {
  // Copies share their node with the page's items: the page itself is dropped before anyone
  // asks, so the text is parsed for the copies alone, by whichever thread comes first.
  std::string const text = completions_page();
  json const data = json::parse(text)["data"];
  for (int round = 0; round < kRounds; ++round) {
    std::vector<ChatCompletion> copies;
    {
      auto page = fresh_page(text);
      for (int t = 0; t < kThreads; ++t) copies.push_back(page.data()[static_cast<std::size_t>(t) % 3]);
    }
    int const failures = run_together(kThreads, [&](int t, std::atomic<int>& failed) {
      std::size_t const i = static_cast<std::size_t>(t) % 3;
      check_item(copies[static_cast<std::size_t>(t)], data[i], failed);
    });
    EXPECT_EQ(failures, 0) << "round " << round;
  }
}

}  // namespace
}  // namespace smarter
