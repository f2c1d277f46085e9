// README section "File uploads": upload a file (path, bytes, or filename + contents + media
// type), list, download and delete files. Without SMARTER_BASE_URL it runs against an
// in-process fake server, so it works offline.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include <smarter/client.hpp>
#include <smarter/file_input.hpp>
#include <smarter/resources/files.hpp>
#include <smarter/testkit/fake_files.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "offline.hpp"

int main() try {
  // ---- set-up: a fake server when no real one is configured (SMARTER_BASE_URL unset or empty)
  examples::Setup const setup =
      examples::openai([](smarter::testkit::FakeServer& fake) { smarter::testkit::install_files(fake); }, "");
  auto const scratch = std::filesystem::temp_directory_path() /
                       ("smarter-file-uploads-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(scratch);
  // Removes the scratch folder however main ends.
  struct Cleanup {
    std::filesystem::path folder;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::current_path(std::filesystem::temp_directory_path(), ec);
      std::filesystem::remove_all(folder, ec);
    }
  } cleanup{scratch};
  std::filesystem::current_path(scratch);
  std::ofstream("input.jsonl") << R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]})"
                               << "\n";

  smarter::Smarter client(setup.options);

  // ---- snippet: File uploads
  // A path is streamed from disk, never read whole into memory.
  auto file = client.files().create({.file = smarter::FileInput::from_path("input.jsonl"), .purpose = "fine-tune"});
  std::cout << "uploaded " << file.id << " (" << file.filename << ", " << file.bytes << " bytes)\n";

  // Bytes in memory, or the (filename, contents, media type) triple.
  client.files().create({.file = smarter::FileInput::from_bytes("raw bytes"), .purpose = "user_data"});
  client.files().create({.file = smarter::FileInput::from_contents("batch.jsonl", "{}\n", "application/jsonl"),
                         .purpose = "batch"});

  // Watch a large upload (returning false cancels it with APIUserAbortError).
  smarter::RequestOptions with_progress{.on_progress = [done = false](smarter::http::TransferProgress const& p) mutable {
    if (!done && p.upload_total && p.uploaded == *p.upload_total) {
      std::cout << "sent all " << p.uploaded << " bytes\n";
      done = true;
    }
    return true;
  }};
  client.files().create({.file = smarter::FileInput::from_path("input.jsonl"), .purpose = "fine-tune"},
                        with_progress);

  // Every fine-tune file, page by page as needed.
  for (auto const& f : client.files().list({.purpose = "fine-tune", .limit = 20})) {
    std::cout << f.id << " " << f.filename << "\n";
  }

  // Download to a path (streamed to disk) or into memory (small files), then delete.
  client.files().content_to_path(file.id, "downloaded.jsonl");
  std::string text = client.files().content(file.id);
  std::cout << "downloaded " << text.size() << " bytes\n";
  auto deleted = client.files().remove(file.id);
  std::cout << "deleted: " << std::boolalpha << deleted.deleted << "\n";
  // ---- end snippet
  return 0;
} catch (smarter::SmarterError const& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
