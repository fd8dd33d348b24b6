// SQLCipher's page crypto, done without per-page set-up: a crypto provider
// with exactly the primitives of SQLCipher 3.4.1's stock OpenSSL provider
// (AES-256-CBC without padding, HMAC-SHA1 per page, PBKDF2-HMAC-SHA1,
// RAND_bytes for IVs and salts), so the file format, and what protects it,
// are unchanged; a file written by one provider opens with the other.
//
// Why: the stock provider creates and frees an EVP_CIPHER_CTX and an
// HMAC_CTX for every page, runs the AES key schedule and the HMAC key pads
// again each time, and under OpenSSL 3 each of those inits fetches the
// algorithm implicitly (global locks). Here each SQLCipher cipher context
// keeps its OpenSSL contexts keyed, and a page only sets the IV (AES) or
// restarts from the keyed state (HMAC).
//
// The layout of `sqlcipher_provider` below is SQLCipher 3.4.1's
// (src/sqlcipher.h, which the -dev package does not install); it must stay in
// that field order for as long as that library version is the one linked.
#ifndef SCHAKEL_SERVER_STORE_CIPHER_PROVIDER_H_
#define SCHAKEL_SERVER_STORE_CIPHER_PROVIDER_H_

#include <cstdint>

#include "absl/status/status.h"

extern "C" {

// SQLCipher 3.4.1 src/sqlcipher.h, field for field.
struct sqlcipher_provider {
  int (*activate)(void* ctx);
  int (*deactivate)(void* ctx);
  const char* (*get_provider_name)(void* ctx);
  int (*add_random)(void* ctx, void* buffer, int length);
  int (*random)(void* ctx, void* buffer, int length);
  int (*hmac)(void* ctx, unsigned char* hmac_key, int key_sz, unsigned char* in, int in_sz,
              unsigned char* in2, int in2_sz, unsigned char* out);
  int (*kdf)(void* ctx, const unsigned char* pass, int pass_sz, unsigned char* salt, int salt_sz,
             int workfactor, int key_sz, unsigned char* key);
  int (*cipher)(void* ctx, int mode, unsigned char* key, int key_sz, unsigned char* iv,
                unsigned char* in, int in_sz, unsigned char* out);
  int (*set_cipher)(void* ctx, const char* cipher_name);
  const char* (*get_cipher)(void* ctx);
  int (*get_key_sz)(void* ctx);
  int (*get_iv_sz)(void* ctx);
  int (*get_block_sz)(void* ctx);
  int (*get_hmac_sz)(void* ctx);
  int (*ctx_copy)(void* target_ctx, void* source_ctx);
  int (*ctx_cmp)(void* c1, void* c2);
  int (*ctx_init)(void** ctx);
  int (*ctx_free)(void** ctx);
  int (*fips_status)(void* ctx);
  const char* (*get_provider_version)(void* ctx);
};

// Exported by libsqlcipher.so.0 (3.4.1). Registering frees the provider
// registered before (with sqlcipher_free), so `p` must come from
// sqlcipher_malloc.
int sqlcipher_register_provider(sqlcipher_provider* p);
sqlcipher_provider* sqlcipher_get_provider();

}  // extern "C"

namespace schakel::store {

// What `PRAGMA cipher_provider` answers on a connection whose pages go
// through this provider (the stock one answers "openssl").
inline constexpr char kFastCipherProviderName[] = "openssl-keyed-contexts";

// Makes this provider SQLCipher's for every connection the process opens
// from now on (writer, readers, ATTACH ... KEY for exports, rekey, tools).
// Idempotent and thread-safe (the work happens once). Connections keyed
// before the first call keep the provider they were keyed with.
//
// SQLCipher 3.4.1 frees the registered provider when the last keyed
// connection closes and registers its stock provider on the next open; to
// keep ours, the first call opens one keyed in-memory connection (holding no
// data) that stays open for the life of the process.
//
// INTERNAL when SQLite or OpenSSL cannot set it up (no AES-256-CBC or
// HMAC-SHA1 in OpenSSL, out of memory); nothing is registered then, and
// every later call returns the same error.
absl::Status UseFastCipherProvider();

namespace internal {

// Fills `p` with this provider's functions (tests drive them directly).
void FillFastCipherProvider(sqlcipher_provider* p);

// How many provider contexts (two per keyed database: read and write) have
// been created since the process started, for tests.
int64_t FastCipherContextsCreated();

}  // namespace internal
}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_CIPHER_PROVIDER_H_
