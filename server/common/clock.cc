#include "server/common/clock.h"

#include <openssl/rand.h>

#include <array>
#include <cstdlib>

namespace schakel {

std::string RandomIdGenerator::NewId(const std::string& prefix) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::array<unsigned char, 10> bytes;  // 80 bits = 16 base32 characters.
  if (RAND_bytes(bytes.data(), bytes.size()) != 1) {
    // Without randomness no identifier is safe to hand out; this cannot be
    // recovered from and is a broken host.
    std::abort();
  }
  std::string out = prefix;
  unsigned int buffer = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  return out;
}

}  // namespace schakel
