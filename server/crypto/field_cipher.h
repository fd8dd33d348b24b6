// Field encryption for a store that must never see personal data in
// plaintext (PostgreSQL): each value is sealed with AES-256-GCM under a data
// key before it leaves schakeld, and exact lookups go through a blind index
// (a keyed HMAC of the normalised value) instead of the value itself.
//
// Value format, version 1 (ASCII, fits a TEXT column):
//
//   "f1." <key id> "." base64url(nonce || ciphertext || tag)
//
//   - <key id>: the data key's id in decimal, 1 to 4294967295, no sign, no
//     leading zero. It is outside the base64 so that the re-encryption pass
//     can find rows under an old key in SQL (`LIKE 'f1.3.%'`) or by KeyIdOf.
//   - base64url: RFC 4648 section 5 alphabet, no padding, canonical (Open
//     re-encodes and compares, so no two texts decode to the same bytes).
//   - nonce: 12 random bytes per seal; ciphertext: the padded plaintext (a
//     positive multiple of 16 bytes); tag: 16 bytes.
//   - associated data: "schakel field f1\n" <key id> "\n" <context>. It binds
//     the value to its format version, its key id and the caller's context
//     (e.g. "residents.name/" + row id): a value copied to another row or
//     column, or relabelled with another key id, does not open.
//   - padding (ISO/IEC 7816-4): plaintext || 0x80 || 0x00... up to the next
//     multiple of 16. A plaintext of n bytes (n >= 1) gives 16 * (n / 16 + 1)
//     bytes of ciphertext: the stored length reveals n / 16 (integer
//     division), i.e. names of 1-15 bytes all look alike, 16-31 alike, and so
//     on. It does not hide the length of long free text to more than 16
//     bytes. (A length header would cost a byte more for values over 127
//     bytes and needs no less code.)
//   - The empty string seals to the empty string, so an empty optional field
//     stays empty: the store learns which fields are empty, nothing more.
//
//   Sealed length in characters: 4 + digits(key id) + ceil(4 * (28 + c) / 3)
//   with c the ciphertext length above, e.g. 64 characters for a 1-15 byte
//   value under key id 1.
//
// Blind index: HMAC-SHA256 (OpenSSL EVP_MAC) under a per-purpose key,
// HKDF-SHA256(index key, "schakel blind index v1\n" + purpose), of the value
// the caller has already normalised; output is the lower-case hex of the
// first 16 bytes (32 characters). 128 bits: among n distinct values of one
// purpose the chance of any collision is about n^2 / 2^129 (1.5e-25 for ten
// million values), and a collision only adds a candidate row that the
// caller's comparison after Open drops. The index reveals equality: rows
// with the same value under the same purpose are linkable (and a value with
// few possibilities, a birth date alone, can be counted by frequency), so
// index only what a lookup needs. Without the index key the values cannot be
// guessed and checked; with it they can, so it is as secret as the data keys.
//
// Keys: every key is 32 bytes from NewDataKey(); the data keys are used as
// AES-256 keys directly, the index key only through HKDF. Random 96-bit
// nonces allow about 2^32 seals per data key (NIST SP 800-38D); rotate long
// before that.
//
// Rotation: build a new FieldKeyring with the old keys plus a new active one
// and swap the shared_ptr; Open accepts every key in the ring and Seal uses
// the active one, so rows can be re-sealed (Reseal) in batches while serving;
// drop the old key once KeyIdOf finds no row using it.
//
// Errors never contain a plaintext or key bytes: Open says only
// "malformed", "unknown key id N" or "does not authenticate".
#ifndef SCHAKEL_SERVER_CRYPTO_FIELD_CIPHER_H_
#define SCHAKEL_SERVER_CRYPTO_FIELD_CIPHER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace schakel::crypto {

inline constexpr size_t kFieldKeyBytes = 32;
// The largest plaintext Seal takes (a free text note is far smaller); Open
// refuses longer values as malformed before decoding them.
inline constexpr size_t kMaxFieldBytes = 1 << 20;

// A fresh random 32-byte key, for a data key or the index key.
absl::StatusOr<std::string> NewDataKey();

// A field key (a data key, or the index key) as the database keeps it:
// sealed under the deployment's root key (the 32-byte key that
// DIR/key.wrapped holds under the KEK) and bound to its id, as
// "k1." + base64url(nonce || ciphertext || tag). INVALID_ARGUMENT unless both
// keys are 32 bytes.
absl::StatusOr<std::string> WrapFieldKey(absl::string_view root_key, uint32_t id,
                                         absl::string_view key);
// The key; DATA_LOSS naming only the id when `wrapped` is malformed, was
// made for another id, or the root key is not the one it was wrapped under.
absl::StatusOr<std::string> UnwrapFieldKey(absl::string_view root_key, uint32_t id,
                                           absl::string_view wrapped);

// The data keys by id, one of them active, and the blind-index key.
// Immutable: every method is const and safe to call from many threads at
// once; share one keyring through the shared_ptr that Create returns. Not
// copyable, so key bytes exist once; they are overwritten on destruction.
class FieldKeyring {
 public:
  // INVALID_ARGUMENT (naming ids and sizes only) when a key is not 32 bytes,
  // an id is 0 or appears twice, two ids hold the same key, the index key
  // equals a data key, there are no data keys, or `active` is not among them.
  static absl::StatusOr<std::shared_ptr<const FieldKeyring>> Create(
      std::vector<std::pair<uint32_t, std::string>> data_keys, uint32_t active,
      std::string index_key);

  ~FieldKeyring();
  FieldKeyring(const FieldKeyring&) = delete;
  FieldKeyring& operator=(const FieldKeyring&) = delete;

  // `plain` sealed under the active key with a fresh random nonce and bound
  // to `context` (see the format above); "" for "". INVALID_ARGUMENT when
  // `plain` is longer than kMaxFieldBytes, INTERNAL when OpenSSL fails.
  absl::StatusOr<std::string> Seal(absl::string_view context, absl::string_view plain) const;

  // The plaintext of `sealed`, "" for "". DATA_LOSS "malformed" when it is
  // not a value of the format above (a plaintext stored by mistake included),
  // "unknown key id N" when its key is not in this ring, "does not
  // authenticate" when the key, the context, or any byte differs.
  absl::StatusOr<std::string> Open(absl::string_view context, absl::string_view sealed) const;

  // `sealed` opened and sealed again under the active key; the value itself
  // when it already uses the active key (or is ""). Errors as Open and Seal.
  absl::StatusOr<std::string> Reseal(absl::string_view context, absl::string_view sealed) const;

  // The key id a sealed value names, without opening it; 0 (never a key id)
  // for "", which carries no key and needs no re-encryption. DATA_LOSS
  // "malformed" as Open.
  static absl::StatusOr<uint32_t> KeyIdOf(absl::string_view sealed);

  // Whether `value` has the form of a sealed value (it may still fail to
  // open). False for "": the empty string is both its own seal and an empty
  // plaintext, so a check that nothing plain leaves the process reads
  // `v.empty() || IsSealed(v)`.
  static bool IsSealed(absl::string_view value);

  uint32_t active_key_id() const { return active_; }
  // Ascending.
  std::vector<uint32_t> key_ids() const;

  // The blind index of `normalized` for `purpose`: 32 lower-case hex
  // characters, the same for the same index key, purpose and value.
  // `purpose` is 1-64 characters of [a-z0-9._-] (e.g. "resident.birth");
  // INVALID_ARGUMENT otherwise, INTERNAL when OpenSSL fails. Normalising
  // (case, accents, spaces, date form) is the caller's.
  absl::StatusOr<std::string> BlindIndex(absl::string_view purpose,
                                         absl::string_view normalized) const;

 private:
  FieldKeyring(std::vector<std::pair<uint32_t, std::string>> data_keys, uint32_t active,
               std::string index_key);
  // The key with `id`, or nullptr.
  const std::string* Key(uint32_t id) const;

  std::vector<std::pair<uint32_t, std::string>> keys_;  // sorted by id
  uint32_t active_;
  std::string index_key_;
};

}  // namespace schakel::crypto

#endif  // SCHAKEL_SERVER_CRYPTO_FIELD_CIPHER_H_
