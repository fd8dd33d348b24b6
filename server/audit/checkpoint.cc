#include "server/audit/checkpoint.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <unistd.h>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/files.h"
#include "server/common/status_macros.h"
#include "server/crypto/aead.h"

namespace schakel::audit {
namespace {

constexpr char kPrefix[] = "schakel-checkpoint v1";
constexpr char kAnchorPrefix[] = "schakel-anchor v1";

std::string BioString(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

}  // namespace

absl::StatusOr<CheckpointSigner> CheckpointSigner::Generate() {
  crypto::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &key) != 1) {
    return crypto::OpenSslError("Ed25519 key generation");
  }
  return CheckpointSigner(crypto::PkeyPtr(key));
}

absl::StatusOr<CheckpointSigner> CheckpointSigner::Load(const std::string& pem) {
  crypto::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  crypto::PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    ERR_clear_error();
    return absl::FailedPreconditionError("the audit signing key is not an Ed25519 private key");
  }
  return CheckpointSigner(std::move(key));
}

std::string CheckpointSigner::PrivateKeyPem() const {
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return BioString(bio.get());
}

std::string CheckpointSigner::PublicKeyPem() const {
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  return BioString(bio.get());
}

absl::StatusOr<std::string> CheckpointSigner::DeriveKey(absl::string_view info) const {
  std::string raw(32, '\0');
  size_t len = raw.size();
  if (EVP_PKEY_get_raw_private_key(key_.get(), reinterpret_cast<unsigned char*>(raw.data()),
                                   &len) != 1 ||
      len != raw.size()) {
    return crypto::OpenSslError("Ed25519 raw private key");
  }
  absl::StatusOr<std::string> key = crypto::DeriveAeadKey(raw, info);
  crypto::Cleanse(raw);
  return key;
}

absl::StatusOr<Checkpoint> CheckpointSigner::SignAnchor(int64_t seq, const std::string& head,
                                                        absl::Time time) const {
  Checkpoint c{seq, head, absl::FromUnixMicros(absl::ToUnixMicros(time)), "", /*anchor=*/true};
  return SignPrepared(std::move(c));
}

absl::StatusOr<Checkpoint> CheckpointSigner::Sign(int64_t seq, const std::string& head,
                                                  absl::Time time) const {
  return SignPrepared(Checkpoint{seq, head, absl::FromUnixMicros(absl::ToUnixMicros(time)), ""});
}

absl::StatusOr<Checkpoint> CheckpointSigner::SignPrepared(Checkpoint c) const {
  std::string text = SignedText(c);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  size_t len = 64;
  std::string sig(len, '\0');
  bool ok = md != nullptr && EVP_DigestSignInit(md, nullptr, nullptr, nullptr, key_.get()) == 1 &&
            EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(text.data()), text.size()) == 1;
  EVP_MD_CTX_free(md);
  if (!ok) return crypto::OpenSslError("Ed25519 signature");
  sig.resize(len);
  c.signature = sig;
  return c;
}

std::string SignedText(const Checkpoint& c) {
  return absl::StrCat(c.anchor ? kAnchorPrefix : kPrefix, " seq=", c.seq, " head=", c.head,
                      " time=", absl::ToUnixMicros(c.time));
}

std::string FormatCheckpoint(const Checkpoint& c) {
  return absl::StrCat(SignedText(c), " sig=", absl::Base64Escape(c.signature));
}

absl::StatusOr<Checkpoint> ParseCheckpoint(const std::string& line) {
  std::vector<std::string> parts = absl::StrSplit(line, ' ');
  Checkpoint c;
  int64_t micros = 0;
  if (parts.size() == 6) c.anchor = parts[0] == "schakel-anchor";
  if (parts.size() != 6 || (parts[0] != "schakel-checkpoint" && !c.anchor) || parts[1] != "v1" ||
      parts[2].rfind("seq=", 0) != 0 || !absl::SimpleAtoi(parts[2].substr(4), &c.seq) ||
      parts[3].rfind("head=", 0) != 0 || parts[4].rfind("time=", 0) != 0 ||
      !absl::SimpleAtoi(parts[4].substr(5), &micros) || parts[5].rfind("sig=", 0) != 0 ||
      !absl::Base64Unescape(parts[5].substr(4), &c.signature)) {
    return absl::InvalidArgumentError("not a checkpoint line");
  }
  c.head = parts[3].substr(5);
  c.time = absl::FromUnixMicros(micros);
  return c;
}

absl::Status VerifyCheckpoint(const Checkpoint& c, const std::string& public_key_pem) {
  crypto::BioPtr bio(BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size())));
  crypto::PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    ERR_clear_error();
    return absl::FailedPreconditionError("the audit public key cannot be read");
  }
  std::string text = SignedText(c);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = md != nullptr && EVP_DigestVerifyInit(md, nullptr, nullptr, nullptr, key.get()) == 1 &&
            EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(c.signature.data()),
                             c.signature.size(),
                             reinterpret_cast<const unsigned char*>(text.data()),
                             text.size()) == 1;
  EVP_MD_CTX_free(md);
  ERR_clear_error();
  if (!ok) {
    return absl::DataLossError(
        absl::StrCat("the signature of the checkpoint at seq ", c.seq, " does not verify"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Checkpoint>> ReadCheckpoints(const std::string& path) {
  std::vector<Checkpoint> out;
  if (!PathExists(path)) return out;
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    ++line_no;
    auto c = ParseCheckpoint(std::string(line));
    if (!c.ok()) {
      return absl::DataLossError(
          absl::StrCat(path, " line ", line_no, " is not a checkpoint"));
    }
    out.push_back(*std::move(c));
  }
  return out;
}

absl::Status AppendCheckpoint(const std::string& path, const Checkpoint& c) {
  std::string line = FormatCheckpoint(c) + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot open ", path));
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return absl::UnavailableError(absl::StrCat("cannot append to ", path));
  return absl::OkStatus();
}

const Checkpoint* LastCheckpoint(const std::vector<Checkpoint>& all) {
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (!it->anchor) return &*it;
  }
  return nullptr;
}

absl::Status CheckAnchorRecorded(const Checkpoint& anchor, const std::vector<Checkpoint>& all,
                                 const std::string& public_key_pem) {
  for (const Checkpoint& c : all) {
    if (c.anchor && c.seq == anchor.seq && c.head == anchor.head &&
        VerifyCheckpoint(c, public_key_pem).ok()) {
      return absl::OkStatus();
    }
  }
  return absl::DataLossError(absl::StrCat(
      "the chain starts at an anchor at seq ", anchor.seq,
      " that no signed purge record vouches for: entries before it were removed outside "
      "retention"));
}

}  // namespace schakel::audit
