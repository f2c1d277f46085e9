// Digests the fake server checks uploads with: SHA-256 (the SDK's own, smarter/detail/sha256.hpp)
// and FNV-1a.
#include <smarter/testkit/fake_files.hpp>

#include <cstring>
#include <fstream>
#include <stdexcept>

namespace smarter::testkit {

std::string Fnv1a64::hex_digest() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(hash_ >> shift) & 0xf];
  return out;
}

std::string fnv1a64_hex(std::string_view data) {
  Fnv1a64 hash;
  hash.update(data.data(), data.size());
  return hash.hex_digest();
}

std::string sha256_hex(std::string_view data) {
  Sha256 hash;
  hash.update(data.data(), data.size());
  return hash.hex_digest();
}

std::string sha256_file(std::filesystem::path const& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  Sha256 hash;
  std::string buffer(256 * 1024, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  return hash.hex_digest();
}

}  // namespace smarter::testkit
