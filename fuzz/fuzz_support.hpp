// Shared pieces of the fuzz targets: a reader that turns the fuzzer's bytes into choices, and the
// checks that turn a broken invariant into a crash libFuzzer (or the replay runner) reports.
//
// The targets are built twice: with clang and libFuzzer (build/fuzz), and with any compiler as
// plain programs that replay the committed inputs (fuzz/replay_main.cpp). Nothing here may depend
// on clang's <fuzzer/FuzzedDataProvider.h>, which gcc does not ship.
#pragma once

#include <cxxabi.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>

#include <smarter/errors.hpp>

namespace smarter_fuzz {

/// Reads choices from the front of the fuzzer's input. Every read succeeds: past the end it
/// yields zeros and empty strings, so any input (even empty) drives a complete run.
class Input {
 public:
  Input(std::uint8_t const* data, std::size_t size) : data_(data), size_(size) {}

  /// Bytes not consumed yet.
  std::size_t remaining() const noexcept { return size_ - pos_; }
  /// True when everything was consumed.
  bool empty() const noexcept { return pos_ >= size_; }

  /// One byte (0 past the end).
  std::uint8_t byte() noexcept { return pos_ < size_ ? data_[pos_++] : 0; }
  /// One bit of choice.
  bool flag() noexcept { return (byte() & 1) != 0; }

  /// An integer made of the next sizeof(T) bytes (little-endian; missing bytes are zero).
  template <class T>
  T integral() noexcept {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) value |= static_cast<std::uint64_t>(byte()) << (8 * i);
    T out;
    std::memcpy(&out, &value, sizeof(T));  // reinterpret the low bytes (little-endian host)
    return out;
  }

  /// A value in [lo, hi] (inclusive), from as few bytes as the range needs.
  std::uint64_t in_range(std::uint64_t lo, std::uint64_t hi) noexcept {
    if (hi <= lo) return lo;
    std::uint64_t const span = hi - lo;
    std::uint64_t value = 0;
    for (std::uint64_t seen = span; seen != 0; seen >>= 8) value = (value << 8) | byte();
    return span == UINT64_MAX ? lo + value : lo + value % (span + 1);
  }

  /// Any double the 8 bytes spell: negative, huge, infinite and NaN included on purpose.
  double any_double() noexcept {
    auto const bits = integral<std::uint64_t>();
    double out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
  }

  /// A string of at most `max` bytes, ended by a backslash followed by any other byte (a doubled
  /// backslash stands for one), the scheme of LLVM's FuzzedDataProvider: mutations that insert or
  /// delete bytes keep the strings that follow intact.
  std::string string(std::size_t max) {
    std::string out;
    while (out.size() < max && pos_ < size_) {
      char const c = static_cast<char>(data_[pos_++]);
      if (c == '\\' && pos_ < size_) {
        char const next = static_cast<char>(data_[pos_++]);
        if (next != '\\') break;
      }
      out += c;
    }
    return out;
  }

  /// Everything not consumed yet.
  std::string_view rest() noexcept {
    std::string_view out(reinterpret_cast<char const*>(data_) + pos_, size_ - pos_);
    pos_ = size_;
    return out;
  }

 private:
  std::uint8_t const* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

/// A small deterministic generator for choices derived from a seed taken from the input (split
/// points, piece sizes), so those choices do not eat into the bytes under test.
class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// A value in [0, bound) (0 when bound is 0).
  std::size_t below(std::size_t bound) noexcept { return bound == 0 ? 0 : static_cast<std::size_t>(next() % bound); }

 private:
  std::uint64_t state_;
};

/// Prints `message` and aborts: libFuzzer records the input as a crash, the replay runner fails.
[[noreturn]] inline void fail(char const* target, std::string const& message) {
  std::fprintf(stderr, "\n*** smarter fuzz target '%s': invariant broken: %s\n", target, message.c_str());
  std::fflush(stderr);
  std::abort();
}

/// The demangled name of the exception being handled, or "unknown".
inline std::string current_exception_type() {
  std::type_info const* type = abi::__cxa_current_exception_type();
  if (type == nullptr) return "unknown";
  int status = 0;
  char* demangled = abi::__cxa_demangle(type->name(), nullptr, nullptr, &status);
  std::string name = (status == 0 && demangled != nullptr) ? demangled : type->name();
  std::free(demangled);
  return name;
}

/// Call from inside `catch (...)`: an exception the API does not document escaped `call`. The
/// message names its type and what(), so the report says what leaked without a debugger.
[[noreturn]] inline void unexpected_exception(char const* target, char const* call) {
  std::string what;
  try {
    throw;
  } catch (std::exception const& e) {
    what = e.what();
  } catch (...) {
    what = "(not a std::exception)";
  }
  fail(target, std::string(call) + " threw an undocumented exception of type " + current_exception_type() +
                   ": " + what);
}

/// Runs `f`; returns true when it finished, false when it threw SmarterError (any subclass) or
/// std::bad_alloc, the failures every SDK call may raise. Any other exception is a finding.
template <class F>
bool allow_smarter_error(char const* target, char const* call, F&& f) {
  try {
    std::forward<F>(f)();
    return true;
  } catch (smarter::SmarterError const&) {
    return false;
  } catch (std::bad_alloc const&) {
    return false;
  } catch (...) {
    unexpected_exception(target, call);
  }
}

/// Like allow_smarter_error, also accepting `Documented` (e.g. detail::DecodeError or
/// SseDecoder::LimitExceeded), which the function under test documents as its failure.
template <class Documented, class F>
bool allow_smarter_error_or(char const* target, char const* call, F&& f) {
  try {
    std::forward<F>(f)();
    return true;
  } catch (smarter::SmarterError const&) {
    return false;
  } catch (Documented const&) {
    return false;
  } catch (std::bad_alloc const&) {
    return false;
  } catch (...) {
    unexpected_exception(target, call);
  }
}

/// A printable, bounded rendering of bytes for failure messages (escapes everything unusual).
inline std::string show(std::string_view bytes, std::size_t max = 200) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
    auto const c = static_cast<unsigned char>(bytes[i]);
    if (c == '\\' || c == '"') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  out += bytes.size() > max ? "\"..." : "\"";
  return out;
}

}  // namespace smarter_fuzz

/// Checks a property of the code under test; on failure prints the message and aborts.
#define SMARTER_FUZZ_CHECK(target, condition, message)                                  \
  do {                                                                                  \
    if (!(condition)) ::smarter_fuzz::fail((target), std::string("(" #condition ") ") + (message)); \
  } while (false)
