// README section "Pagination": list endpoints return a CursorPage that range-for walks across
// every page, fetching each next page only when needed. Without SMARTER_BASE_URL it runs
// against an in-process fake server seeded with 45 fine-tuning jobs, so it works offline.
#include <iostream>
#include <vector>

#include <smarter/client.hpp>
#include <smarter/pagination.hpp>
#include <smarter/resources/fine_tuning.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

int main() try {
  // ---- set-up: a fake server when no real one is configured (SMARTER_BASE_URL unset or empty)
  examples::Setup const setup = examples::openai([](smarter::testkit::FakeServer& fake) {
    smarter::testkit::install_openai(fake)->seed_jobs(45);
  });
  smarter::Smarter client(setup.options);

  // ---- snippet: Pagination
  std::vector<smarter::FineTuningJob> all_jobs;
  // Automatically fetches more pages as needed.
  for (auto const& job : client.fine_tuning().jobs().list({.limit = 20})) {
    all_jobs.push_back(job);
  }
  std::cout << "listed " << all_jobs.size() << " jobs\n";

  // Or control the pages yourself.
  auto first_page = client.fine_tuning().jobs().list({.limit = 20});
  if (first_page.has_next_page()) {
    std::cout << "will fetch next page using these details: " << first_page.next_page_info() << "\n";
    auto next_page = first_page.get_next_page();
    std::cout << "number of jobs we just fetched: " << next_page.data().size() << "\n";
  }

  // Or walk page by page.
  for (auto const& page : first_page.iter_pages()) {
    std::cout << "page of " << page.data().size() << " (request id " << page.request_id().value_or("-") << ")\n";
  }
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
