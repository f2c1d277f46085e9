// SHA-256 (FIPS 180-4) and HMAC-SHA-256, small and dependency-free. Internal: the client hashes
// its machine id with it, and the fake server checks uploaded bytes; applications do not need it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace smarter::detail {

/// Incremental SHA-256.
class Sha256 {
 public:
  Sha256() { reset(); }

  /// Adds bytes to the message.
  void update(char const* data, std::size_t size) {
    auto const* bytes = reinterpret_cast<unsigned char const*>(data);
    length_ += size;
    if (buffered_ > 0) {
      std::size_t const take = size < sizeof block_ - buffered_ ? size : sizeof block_ - buffered_;
      std::memcpy(block_ + buffered_, bytes, take);
      buffered_ += take;
      bytes += take;
      size -= take;
      if (buffered_ < sizeof block_) return;
      compress(block_);
      buffered_ = 0;
    }
    while (size >= sizeof block_) {
      compress(bytes);
      bytes += sizeof block_;
      size -= sizeof block_;
    }
    if (size > 0) std::memcpy(block_, bytes, size);
    buffered_ = size;
  }

  /// The 32-byte digest of everything added; the hasher starts over afterwards.
  std::array<unsigned char, 32> digest() {
    std::uint64_t const bit_length = length_ * 8;
    unsigned char pad[72] = {0x80};
    std::size_t const pad_length = (buffered_ < 56) ? 56 - buffered_ : 120 - buffered_;
    unsigned char length_bytes[8];
    for (int i = 0; i < 8; ++i) length_bytes[i] = static_cast<unsigned char>(bit_length >> (56 - 8 * i));
    update(reinterpret_cast<char const*>(pad), pad_length);
    update(reinterpret_cast<char const*>(length_bytes), 8);
    std::array<unsigned char, 32> out{};
    for (std::size_t i = 0; i < 8; ++i) {
      for (std::size_t b = 0; b < 4; ++b) out[4 * i + b] = static_cast<unsigned char>(state_[i] >> (24 - 8 * b));
    }
    reset();
    return out;
  }

  /// The digest as lower-case hex; the hasher starts over afterwards.
  std::string hex_digest() {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char byte : digest()) {
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
    return out;
  }

 private:
  void reset() {
    state_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    length_ = 0;
    buffered_ = 0;
  }

  static constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

  void compress(unsigned char const* block) {
    static constexpr std::uint32_t kRoundConstants[64] = {

    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
    };
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      w[i] = (std::uint32_t{block[4 * i]} << 24) | (std::uint32_t{block[4 * i + 1]} << 16) |
             (std::uint32_t{block[4 * i + 2]} << 8) | std::uint32_t{block[4 * i + 3]};
    }
    for (int i = 16; i < 64; ++i) {
      std::uint32_t const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      std::uint32_t const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
    std::uint32_t e = state_[4], f = state_[5], g = state_[6], h = state_[7];
    for (int i = 0; i < 64; ++i) {
      std::uint32_t const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      std::uint32_t const ch = (e & f) ^ (~e & g);
      std::uint32_t const t1 = h + s1 + ch + kRoundConstants[i] + w[i];
      std::uint32_t const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      std::uint32_t const maj = (a & b) ^ (a & c) ^ (b & c);
      std::uint32_t const t2 = s0 + maj;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
    state_[4] += e;
    state_[5] += f;
    state_[6] += g;
    state_[7] += h;
  }

  std::array<std::uint32_t, 8> state_{};
  std::uint64_t length_ = 0;
  unsigned char block_[64] = {};
  std::size_t buffered_ = 0;
};

/// HMAC-SHA-256 of `message` under `key` (RFC 2104), as lower-case hex.
inline std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char block[64] = {};
  if (key.size() > sizeof block) {
    Sha256 shortened;
    shortened.update(key.data(), key.size());
    auto const digest = shortened.digest();
    std::memcpy(block, digest.data(), digest.size());
  } else if (!key.empty()) {
    std::memcpy(block, key.data(), key.size());
  }
  unsigned char inner_pad[64];
  unsigned char outer_pad[64];
  for (std::size_t i = 0; i < sizeof block; ++i) {
    inner_pad[i] = static_cast<unsigned char>(block[i] ^ 0x36);
    outer_pad[i] = static_cast<unsigned char>(block[i] ^ 0x5c);
  }
  Sha256 inner;
  inner.update(reinterpret_cast<char const*>(inner_pad), sizeof inner_pad);
  inner.update(message.data(), message.size());
  auto const inner_digest = inner.digest();
  Sha256 outer;
  outer.update(reinterpret_cast<char const*>(outer_pad), sizeof outer_pad);
  outer.update(reinterpret_cast<char const*>(inner_digest.data()), inner_digest.size());
  return outer.hex_digest();
}

}  // namespace smarter::detail
