#include "server/store/cipher_provider.h"

#include <sqlcipher/sqlite3.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>

#include "absl/strings/str_cat.h"
#include "server/common/log.h"

// Exported by libsqlcipher.so.0 but not declared in the -dev headers:
// SQLite's allocator with the memory locked (mlock) and zeroed on free.
extern "C" {
void* sqlcipher_malloc(int sz);
void sqlcipher_free(void* ptr, int sz);
}

namespace schakel::store {
namespace {

// SQLCipher 3.4.1 src/crypto.h.
constexpr int kCipherDecrypt = 0;
constexpr int kCipherEncrypt = 1;
constexpr char kDefaultCipher[] = "AES-256-CBC";  // crypto.h CIPHER "aes-256-cbc"
// CIPHER_MAX_KEY_SZ: the size of SQLCipher's key and hmac_key buffers.
constexpr int kMaxKeySize = 64;
constexpr int kHmacSize = 20;  // SHA-1

std::atomic<int64_t> contexts_created{0};

// One direction (encrypt or decrypt) of the page cipher, keyed once: the key
// schedule is computed when the key bytes change, and a page only sets its
// IV.
struct KeyedCipher {
  EVP_CIPHER_CTX* ctx = nullptr;
  bool keyed = false;
  unsigned char key[EVP_MAX_KEY_LENGTH] = {};

  void Forget() {
    keyed = false;
    OPENSSL_cleanse(key, sizeof(key));
  }
};

// The provider context of one SQLCipher cipher_ctx (each keyed database of a
// connection has two: read and write). The store uses each connection on
// one thread at a time (SQLITE_OPEN_NOMUTEX: a reader is taken from the pool
// by one request, the writer is used under its mutex; never shared-cache),
// and a codec belongs to one connection, so a ProviderCtx is never used by
// two threads at once: nothing on the per-page path takes a lock.
//
// Allocated with sqlcipher_malloc (locked memory, like SQLCipher's own key
// buffers) because it holds copies of the keys, to tell when they change.
// The OpenSSL contexts it points to (key schedules, HMAC pad states) live
// in OpenSSL's ordinary heap for as long as the connection: schakeld makes
// itself undumpable (no core files) for that reason.
struct ProviderCtx {
  EVP_CIPHER* cipher = nullptr;
  KeyedCipher enc;
  KeyedCipher dec;
  EVP_MAC_CTX* mac = nullptr;
  bool mac_keyed = false;
  int mac_key_size = 0;
  unsigned char mac_key[kMaxKeySize] = {};
  // Set by a page encryption: SQLCipher computes the page's HMAC right
  // after it, so the next hmac() call is part of writing a page.
  bool mac_after_encryption = false;

  void ForgetKeys() {
    enc.Forget();
    dec.Forget();
    mac_keyed = false;
    mac_key_size = 0;
    OPENSSL_cleanse(mac_key, sizeof(mac_key));
  }
  // Frees the OpenSSL objects (they wipe their key schedules) and the keys.
  void Release() {
    ForgetKeys();
    EVP_CIPHER_CTX_free(enc.ctx);
    EVP_CIPHER_CTX_free(dec.ctx);
    EVP_MAC_CTX_free(mac);
    EVP_CIPHER_free(cipher);
    enc.ctx = dec.ctx = nullptr;
    mac = nullptr;
    cipher = nullptr;
  }
};

ProviderCtx* Ctx(void* ctx) { return static_cast<ProviderCtx*>(ctx); }

// Keeps OpenSSL's error queue from growing with failures we already report
// as SQLITE_ERROR (the queue is per thread and never holds key material).
int Fail() {
  ERR_clear_error();
  return SQLITE_ERROR;
}

// A page that cannot be encrypted or MACed while it is being written.
// SQLCipher 3.4.1 ignores the provider's result and would write the page
// anyway, into a commit that then succeeds: an acknowledged change whose
// page can never be read again. Stopping before the commit record is
// written loses only the unacknowledged batch (the same policy as a failed
// fsync). Only conceivable when memory runs out.
[[noreturn]] void StopOnWriteFailure(const char* what) {
  ERR_clear_error();
  LogError(absl::StrCat("cipher provider: ", what,
                        " failed while writing a page: stopping now; restart recovers from "
                        "what is on disk"));
  std::abort();
}

// The stock provider initialises OpenSSL's algorithm tables here and counts
// activations; OpenSSL 3 initialises itself, so only the first call does
// anything. SQLCipher 3.4.1 does not call activate/deactivate through the
// provider table; ctx_init calls activate, as the stock provider's does.
int Activate(void*) {
  return OPENSSL_init_crypto(OPENSSL_INIT_ADD_ALL_CIPHERS | OPENSSL_INIT_ADD_ALL_DIGESTS,
                             nullptr) == 1
             ? SQLITE_OK
             : Fail();
}

int Deactivate(void*) { return SQLITE_OK; }

// SQLCipher passes its own cipher_ctx here, not ours: do not touch `ctx`.
const char* GetProviderName(void*) { return kFastCipherProviderName; }

const char* GetProviderVersion(void*) { return OpenSSL_version(OPENSSL_VERSION); }

// Whether OpenSSL fetches FIPS implementations by default (0 on a standard
// system, as the stock provider, built without SQLCIPHER_FIPS, always says).
int FipsStatus(void*) { return EVP_default_properties_is_fips_enabled(nullptr); }

// RAND_bytes is thread-safe in OpenSSL 3 (per-thread DRBGs); the stock
// provider's mutex around it worked around OpenSSL 1.0.
int Random(void*, void* buffer, int length) {
  if (length < 0 || (buffer == nullptr && length > 0)) return SQLITE_ERROR;
  if (length == 0) return SQLITE_OK;
  return RAND_bytes(static_cast<unsigned char*>(buffer), length) == 1 ? SQLITE_OK : Fail();
}

int AddRandom(void*, void* buffer, int length) {
  if (length < 0 || (buffer == nullptr && length > 0)) return SQLITE_ERROR;
  RAND_add(buffer, length, 0);
  return SQLITE_OK;
}

// PBKDF2-HMAC-SHA1, as the stock provider. SQLCipher ignores the result of
// kdf(); on a failure the output is filled with random bytes, so that a key
// that was not derived is one nobody knows (the database then does not
// open), never a predictable one.
int Kdf(void*, const unsigned char* pass, int pass_sz, unsigned char* salt, int salt_sz,
        int workfactor, int key_sz, unsigned char* key) {
  if (key == nullptr || key_sz <= 0) return SQLITE_ERROR;
  if (pass != nullptr && pass_sz >= 0 && salt != nullptr && salt_sz >= 0 && workfactor > 0 &&
      PKCS5_PBKDF2_HMAC_SHA1(reinterpret_cast<const char*>(pass), pass_sz, salt, salt_sz,
                             workfactor, key_sz, key) == 1) {
    return SQLITE_OK;
  }
  RAND_bytes(key, key_sz);
  return Fail();
}

// HMAC-SHA1 over in || in2 under `hmac_key`. The key pads are computed when
// the key bytes change; otherwise the MAC restarts from the keyed state
// (EVP_MAC_init with a NULL key, which OpenSSL 3.0's HMAC implements as
// HMAC_Init_ex(ctx, NULL, 0, NULL, NULL): the same key, fresh state).
//
// Called only from sqlcipher_page_hmac, where `out` has kHmacSize bytes and
// the page's stored HMAC is the kHmacSize bytes at in + in_sz (a decrypt
// compares them with `out`; an encrypt writes `out` there). SQLCipher 3.4.1
// ignores the result of hmac(), so on a failure `out` is set to the
// complement of the stored HMAC: the comparison fails and the page is
// refused, instead of matching whatever `out` held before. A failure while
// a page is written stops the process (StopOnWriteFailure).
int Hmac(void* ctx, unsigned char* hmac_key, int key_sz, unsigned char* in, int in_sz,
         unsigned char* in2, int in2_sz, unsigned char* out) {
  ProviderCtx* c = Ctx(ctx);
  if (out == nullptr) return SQLITE_ERROR;
  // Right after an encryption this MAC is written with the page.
  const bool writing = c != nullptr && c->mac_after_encryption;
  if (c != nullptr) c->mac_after_encryption = false;
  auto refuse = [&] {
    if (writing) StopOnWriteFailure("the page MAC");
    if (in != nullptr && in_sz >= 0) {
      for (int i = 0; i < kHmacSize; ++i) out[i] = static_cast<unsigned char>(~in[in_sz + i]);
    }
    return Fail();
  };
  if (c == nullptr || c->mac == nullptr || hmac_key == nullptr || key_sz <= 0 ||
      key_sz > kMaxKeySize || in == nullptr || in_sz < 0 || in2_sz < 0 ||
      (in2 == nullptr && in2_sz > 0)) {
    return refuse();
  }

  if (c->mac_keyed && c->mac_key_size == key_sz &&
      CRYPTO_memcmp(c->mac_key, hmac_key, key_sz) == 0) {
    if (EVP_MAC_init(c->mac, nullptr, 0, nullptr) != 1) {
      c->mac_keyed = false;
      return refuse();
    }
  } else {
    c->mac_keyed = false;
    OPENSSL_cleanse(c->mac_key, sizeof(c->mac_key));
    if (EVP_MAC_init(c->mac, hmac_key, key_sz, nullptr) != 1) return refuse();
    std::memcpy(c->mac_key, hmac_key, key_sz);
    c->mac_key_size = key_sz;
    c->mac_keyed = true;
  }
  size_t out_len = 0;
  if (EVP_MAC_update(c->mac, in, in_sz) != 1 ||
      (in2_sz > 0 && EVP_MAC_update(c->mac, in2, in2_sz) != 1) ||
      EVP_MAC_final(c->mac, out, &out_len, kHmacSize) != 1 || out_len != kHmacSize) {
    c->mac_keyed = false;
    return refuse();
  }
  return SQLITE_OK;
}

// The page cipher without padding (in_sz is a whole number of blocks).
// `mode` is kCipherEncrypt or kCipherDecrypt; each has its own context,
// keyed when the key bytes change, so a page costs an IV set-up and the
// blocks. Only EVP_CipherUpdate writes to `out` (exactly in_sz bytes); the
// final call, which must add nothing, writes to a scratch block.
int Cipher(void* ctx, int mode, unsigned char* key, int key_sz, unsigned char* iv,
           unsigned char* in, int in_sz, unsigned char* out) {
  ProviderCtx* c = Ctx(ctx);
  if (c == nullptr || c->cipher == nullptr || out == nullptr) return SQLITE_ERROR;
  c->mac_after_encryption = false;
  auto fail = [&] {
    if (mode == kCipherEncrypt) StopOnWriteFailure("page encryption");
    if (in_sz > 0) OPENSSL_cleanse(out, in_sz);
    return Fail();
  };
  if (mode != kCipherEncrypt && mode != kCipherDecrypt) return fail();
  KeyedCipher& k = mode == kCipherEncrypt ? c->enc : c->dec;
  const int key_len = EVP_CIPHER_get_key_length(c->cipher);
  const int block = EVP_CIPHER_get_block_size(c->cipher);
  if (key == nullptr || key_sz != key_len || key_len > EVP_MAX_KEY_LENGTH || in == nullptr ||
      in_sz < 0 || block <= 0 || in_sz % block != 0 ||
      (iv == nullptr && EVP_CIPHER_get_iv_length(c->cipher) > 0)) {
    return fail();
  }
  if (k.keyed && CRYPTO_memcmp(k.key, key, key_len) == 0) {
    if (EVP_CipherInit_ex2(k.ctx, nullptr, nullptr, iv, mode, nullptr) != 1) {
      k.Forget();
      return fail();
    }
  } else {
    k.Forget();
    // A new key resets the context, padding included.
    if (EVP_CipherInit_ex2(k.ctx, c->cipher, key, iv, mode, nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(k.ctx, 0) != 1) {
      return fail();
    }
    std::memcpy(k.key, key, key_len);
    k.keyed = true;
  }
  int out_len = 0;
  unsigned char tail[EVP_MAX_BLOCK_LENGTH];
  int tail_len = 0;
  if (EVP_CipherUpdate(k.ctx, out, &out_len, in, in_sz) != 1 || out_len != in_sz ||
      EVP_CipherFinal_ex(k.ctx, tail, &tail_len) != 1 || tail_len != 0) {
    OPENSSL_cleanse(tail, sizeof(tail));
    k.Forget();
    return fail();
  }
  c->mac_after_encryption = mode == kCipherEncrypt;
  return SQLITE_OK;
}

int SetCipher(void* ctx, const char* cipher_name) {
  ProviderCtx* c = Ctx(ctx);
  if (c == nullptr || cipher_name == nullptr) return SQLITE_ERROR;
  if (c->cipher != nullptr && EVP_CIPHER_is_a(c->cipher, cipher_name)) return SQLITE_OK;
  EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, cipher_name, nullptr);
  if (fetched == nullptr) return Fail();
  EVP_CIPHER_free(c->cipher);
  c->cipher = fetched;
  c->ForgetKeys();
  return SQLITE_OK;
}

const char* GetCipher(void* ctx) {
  ProviderCtx* c = Ctx(ctx);
  return c != nullptr && c->cipher != nullptr ? EVP_CIPHER_get0_name(c->cipher) : nullptr;
}

// A size of 0 makes sqlcipher_page_cipher refuse every page.
int GetKeySize(void* ctx) {
  ProviderCtx* c = Ctx(ctx);
  return c != nullptr && c->cipher != nullptr ? EVP_CIPHER_get_key_length(c->cipher) : 0;
}

int GetIvSize(void* ctx) {
  ProviderCtx* c = Ctx(ctx);
  return c != nullptr && c->cipher != nullptr ? EVP_CIPHER_get_iv_length(c->cipher) : 0;
}

int GetBlockSize(void* ctx) {
  ProviderCtx* c = Ctx(ctx);
  return c != nullptr && c->cipher != nullptr ? EVP_CIPHER_get_block_size(c->cipher) : 0;
}

int GetHmacSize(void*) { return kHmacSize; }

// SQLCipher memcpy's its cipher_ctx and then calls this with two distinct
// provider contexts: the target takes the source's cipher (a reference of
// its own) and keys its own OpenSSL contexts on first use; nothing owned is
// shared.
int CtxCopy(void* target_ctx, void* source_ctx) {
  ProviderCtx* target = Ctx(target_ctx);
  ProviderCtx* source = Ctx(source_ctx);
  if (target == nullptr || source == nullptr || source->cipher == nullptr) return SQLITE_ERROR;
  if (target == source) return SQLITE_OK;
  if (target->cipher != source->cipher) {
    if (EVP_CIPHER_up_ref(source->cipher) != 1) return Fail();
    EVP_CIPHER_free(target->cipher);
    target->cipher = source->cipher;
  }
  target->ForgetKeys();
  target->mac_after_encryption = false;
  return SQLITE_OK;
}

// 1 when both use the same cipher (the stock provider compares its
// EVP_CIPHER pointers).
int CtxCmp(void* c1, void* c2) {
  ProviderCtx* a = Ctx(c1);
  ProviderCtx* b = Ctx(c2);
  if (a == nullptr || b == nullptr || a->cipher == nullptr || b->cipher == nullptr) return 0;
  return a->cipher == b->cipher || EVP_CIPHER_is_a(a->cipher, EVP_CIPHER_get0_name(b->cipher));
}

int CtxFree(void** ctx) {
  if (ctx == nullptr || *ctx == nullptr) return SQLITE_OK;
  ProviderCtx* c = Ctx(*ctx);
  c->Release();
  c->~ProviderCtx();
  sqlcipher_free(c, sizeof(ProviderCtx));  // zeroes it
  *ctx = nullptr;
  return SQLITE_OK;
}

// Everything that can fail is done here, once per context: fetching the
// cipher and the MAC (the implicit fetches the stock provider repeats per
// page) and allocating the OpenSSL contexts.
int CtxInit(void** ctx) {
  if (ctx == nullptr) return SQLITE_ERROR;
  *ctx = nullptr;
  if (sqlite3_initialize() != SQLITE_OK) return SQLITE_ERROR;
  if (Activate(nullptr) != SQLITE_OK) return SQLITE_ERROR;
  void* memory = sqlcipher_malloc(sizeof(ProviderCtx));
  if (memory == nullptr) return SQLITE_NOMEM;
  ProviderCtx* c = new (memory) ProviderCtx();
  *ctx = c;
  c->cipher = EVP_CIPHER_fetch(nullptr, kDefaultCipher, nullptr);
  c->enc.ctx = EVP_CIPHER_CTX_new();
  c->dec.ctx = EVP_CIPHER_CTX_new();
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac != nullptr) c->mac = EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);  // the context keeps its own reference
  char digest[] = "SHA1";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  if (c->cipher == nullptr || c->enc.ctx == nullptr || c->dec.ctx == nullptr ||
      c->mac == nullptr || EVP_MAC_CTX_set_params(c->mac, params) != 1) {
    CtxFree(ctx);
    return Fail();
  }
  contexts_created.fetch_add(1, std::memory_order_relaxed);
  return SQLITE_OK;
}

// A raw key for the pinning connection: it holds no data, and its codec is
// never asked to encrypt or decrypt a page.
constexpr char kPinKey[] =
    "x'0000000000000000000000000000000000000000000000000000000000000000'";

// The pinning connection below, kept reachable (it lives as long as the
// process; leak checkers see it through this pointer).
sqlite3* pinned_connection = nullptr;

absl::Status Register() {
  if (sqlite3_initialize() != SQLITE_OK) {
    return absl::InternalError("cipher provider: SQLite could not be initialised");
  }
  // Everything the provider needs from OpenSSL is there, or nothing changes.
  void* probe = nullptr;
  int rc = CtxInit(&probe);
  CtxFree(&probe);
  if (rc != SQLITE_OK) {
    return absl::InternalError(
        "cipher provider: OpenSSL has no AES-256-CBC or HMAC-SHA1 for SQLCipher");
  }
  // Keyed first: this activation registers SQLCipher's stock provider if
  // none is registered, and keeps the activation count above zero from now
  // on, so the provider registered below is never freed and replaced. Left
  // open for the life of the process on purpose.
  sqlite3* pin = nullptr;
  rc = sqlite3_open_v2(":memory:", &pin,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_key(pin, kPinKey, static_cast<int>(sizeof(kPinKey) - 1));
  if (rc != SQLITE_OK || sqlcipher_get_provider() == nullptr) {
    LogError(absl::StrCat("cipher provider: the pinning connection failed: rc=", rc));
    sqlite3_close_v2(pin);
    return absl::InternalError("cipher provider: SQLCipher could not be activated");
  }
  pinned_connection = pin;
  auto* p = static_cast<sqlcipher_provider*>(sqlcipher_malloc(sizeof(sqlcipher_provider)));
  if (p == nullptr) return absl::InternalError("cipher provider: out of memory");
  internal::FillFastCipherProvider(p);
  sqlcipher_register_provider(p);  // frees the one registered before
  if (sqlcipher_get_provider() != p) {
    return absl::InternalError("cipher provider: SQLCipher did not take the provider");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status UseFastCipherProvider() {
  static std::once_flag once;
  static absl::Status* result = nullptr;
  std::call_once(once, [] { result = new absl::Status(Register()); });
  return *result;
}

namespace internal {

void FillFastCipherProvider(sqlcipher_provider* p) {
  p->activate = Activate;
  p->deactivate = Deactivate;
  p->get_provider_name = GetProviderName;
  p->add_random = AddRandom;
  p->random = Random;
  p->hmac = Hmac;
  p->kdf = Kdf;
  p->cipher = Cipher;
  p->set_cipher = SetCipher;
  p->get_cipher = GetCipher;
  p->get_key_sz = GetKeySize;
  p->get_iv_sz = GetIvSize;
  p->get_block_sz = GetBlockSize;
  p->get_hmac_sz = GetHmacSize;
  p->ctx_copy = CtxCopy;
  p->ctx_cmp = CtxCmp;
  p->ctx_init = CtxInit;
  p->ctx_free = CtxFree;
  p->fips_status = FipsStatus;
  p->get_provider_version = GetProviderVersion;
}

int64_t FastCipherContextsCreated() { return contexts_created.load(std::memory_order_relaxed); }

}  // namespace internal
}  // namespace schakel::store
