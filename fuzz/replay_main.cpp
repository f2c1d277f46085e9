// Replays saved inputs through a fuzz target without libFuzzer, so every build (gcc, the dev,
// asan and tsan presets) keeps the committed corpus and past crashes green.
//
//   fuzz_replay_sse DIR_OR_FILE...
//
// Each argument is a file or a folder whose files (hidden ones such as .gitkeep skipped) are run
// in name order through LLVMFuzzerTestOneInput. A broken invariant aborts inside the target; the
// name of the input is printed before each run so the failing one is the last line shown.
// Exits 1 when an argument does not exist or no input was found at all.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

bool hidden(fs::path const& path) {
  std::string const name = path.filename().string();
  return name.empty() || name.front() == '.';
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    fs::path const arg(argv[i]);
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      for (auto const& entry : fs::directory_iterator(arg)) {
        if (entry.is_regular_file() && !hidden(entry.path())) inputs.push_back(entry.path());
      }
    } else if (fs::is_regular_file(arg, ec)) {
      inputs.push_back(arg);
    } else {
      std::fprintf(stderr, "replay: no such file or folder: %s\n", argv[i]);
      return 1;
    }
  }
  // Name order makes a run reproducible whatever order the file system lists.
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no inputs found\n");
    return 1;
  }
  for (auto const& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "replay: cannot read %s\n", path.string().c_str());
      return 1;
    }
    std::vector<char> const bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", path.string().c_str(), bytes.size());
    // An empty vector's data() may be null; libFuzzer passes a valid pointer even for size 0.
    static std::uint8_t const kEmpty = 0;
    auto const* data = bytes.empty() ? &kEmpty : reinterpret_cast<std::uint8_t const*>(bytes.data());
    LLVMFuzzerTestOneInput(data, bytes.size());
  }
  std::printf("replay: %zu inputs passed\n", inputs.size());
  return 0;
}
