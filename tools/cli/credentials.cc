// schakel enroll | cert renew
//
// A professional's own credentials. The key pair is made here, on the
// professional's machine, and never leaves it: only a certificate signing
// request travels. `enroll` exchanges the one-time code an administrator
// gave for a first certificate (on the enrollment listener, which asks no
// client certificate); `cert renew` gets a new certificate for a new key
// with the still-valid one, which the server revokes when the new one is
// first used (this command uses it at once, with a whoami).
//
// Both write DIR/cert.pem, DIR/key.pem, DIR/ca.pem and DIR/identity.p12 (for
// a browser), with a password asked on the terminal or read from
// --p12-password-file.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <openssl/ui.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/common/files.h"
#include "server/common/status_macros.h"
#include "server/crypto/x509.h"
#include "tools/cli/command.h"
#include "tools/common/cli.h"

namespace schakel::cli {
namespace {

// A PKCS#12 password shorter than this is refused.
constexpr size_t kMinP12Password = 8;

absl::StatusOr<std::string> P12Password(Flags& f) {
  if (f.Has("p12-password-file")) {
    absl::StatusOr<std::string> text = ReadFile(f.Optional("p12-password-file"));
    if (!text.ok()) {
      return absl::InvalidArgumentError("--p12-password-file: cannot read the file");
    }
    std::string password(absl::StripTrailingAsciiWhitespace(*text));
    if (password.size() < kMinP12Password) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--p12-password-file: the password must be at least ", kMinP12Password, " characters"));
    }
    return password;
  }
  if (::isatty(STDIN_FILENO) == 0) {
    return absl::InvalidArgumentError(
        "--p12-password-file: required when there is no terminal to ask the password on");
  }
  char buffer[256];
  // Asks twice on the terminal, without echo.
  if (EVP_read_pw_string(buffer, sizeof buffer, "password for identity.p12: ", 1) != 0) {
    return absl::InvalidArgumentError("password: not given, or the two did not match");
  }
  std::string password(buffer);
  OPENSSL_cleanse(buffer, sizeof buffer);
  if (password.size() < kMinP12Password) {
    return absl::InvalidArgumentError(
        absl::StrCat("password: at least ", kMinP12Password, " characters"));
  }
  return password;
}

// Refuses a directory that already holds an identity: nothing is overwritten.
absl::Status CheckOut(const std::string& out) {
  if (PathExists(JoinPath(out, "cert.pem")) || PathExists(JoinPath(out, "key.pem"))) {
    return absl::AlreadyExistsError(absl::StrCat("--out: ", out, " already holds an identity"));
  }
  return absl::OkStatus();
}

// Writes the four files of an identity; the key last but one, the PKCS#12
// last, all private to the user.
absl::Status WriteIdentity(const std::string& out, EVP_PKEY* key, const std::string& cert_pem,
                           const std::string& ca_pem, const std::string& p12_password,
                           const std::string& name) {
  RETURN_IF_ERROR(MakeDirectory(out, 0700));
  RETURN_IF_ERROR(WriteFileDurably(JoinPath(out, "ca.pem"), ca_pem));
  RETURN_IF_ERROR(WriteFileDurably(JoinPath(out, "cert.pem"), cert_pem));
  RETURN_IF_ERROR(WriteFileDurably(JoinPath(out, "key.pem"), crypto::PrivateKeyToPem(key)));
  absl::StatusOr<std::string> p12 = crypto::MakePkcs12(key, cert_pem, ca_pem, name, p12_password);
  if (!p12.ok()) return p12.status();
  return WriteFileDurably(JoinPath(out, "identity.p12"), *p12);
}

int Enroll(Invocation& in) {
  Flags f(in);
  const std::string code = f.Required("code");
  const std::string ca_file = f.Required("ca");
  const std::string out = f.Required("out");
  if (!f.ok()) return Fail(f.status());
  if (!in.args().Has("server")) return Fail(absl::InvalidArgumentError("enroll: --server H:P is required (the enrollment listener)"));
  absl::StatusOr<std::string> ca = ReadFile(ca_file);
  if (!ca.ok()) return Fail(absl::InvalidArgumentError(absl::StrCat("--ca: cannot read ", ca_file)));
  if (absl::Status s = CheckOut(out); !s.ok()) return Fail(s);
  absl::StatusOr<std::string> password = P12Password(f);
  if (!password.ok()) return Fail(password.status());

  // The key is made here and never sent.
  absl::StatusOr<crypto::PkeyPtr> key = crypto::GenerateEcKey();
  if (!key.ok()) return Fail(key.status());
  absl::StatusOr<std::string> csr = crypto::MakeCsrPem(key->get());
  if (!csr.ok()) return Fail(csr.status());
  v1::EnrollRequest request;
  request.set_code(code);
  request.set_csr_pem(*csr);
  absl::StatusOr<v1::EnrollResponse> r = schakel::Enroll(in.args().Get("server"), *ca, request);
  if (!r.ok()) return Fail(r.status());
  absl::Status written = WriteIdentity(out, key->get(), r->certificate_pem(),
                                       r->ca_certificate_pem(), *password,
                                       absl::StrCat("schakel ", r->professional().id()));
  if (!written.ok()) return Fail(written);
  return Print(in, *r, [&] {
    std::cout << "enrolled professional " << r->professional().id() << ": certificate "
              << r->certificate().serial() << " in " << out
              << " (roles take effect once a second administrator approves them)\n";
  });
}

int Renew(Invocation& in) {
  Flags f(in);
  const std::string out = f.Required("out");
  if (!f.ok()) return Fail(f.status());
  if (absl::Status s = CheckOut(out); !s.ok()) return Fail(s);
  absl::StatusOr<std::string> password = P12Password(f);
  if (!password.ok()) return Fail(password.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  absl::StatusOr<crypto::PkeyPtr> key = crypto::GenerateEcKey();
  if (!key.ok()) return Fail(key.status());
  absl::StatusOr<std::string> csr = crypto::MakeCsrPem(key->get());
  if (!csr.ok()) return Fail(csr.status());
  v1::RenewCertificateRequest request;
  request.set_csr_pem(*csr);
  auto r = (*client)->RenewCertificate(request);
  if (!r.ok()) return Fail(r.status());
  absl::Status written = WriteIdentity(out, key->get(), r->certificate_pem(),
                                       r->ca_certificate_pem(), *password,
                                       absl::StrCat("schakel ", r->certificate().professional_id()));
  if (!written.ok()) return Fail(written);
  // The first request with the new certificate revokes the old one.
  ClientOptions options = tools::ConnectionOptions(in.args());
  options.identity_dir = out;
  absl::StatusOr<Client> renewed = Client::Connect(options);
  absl::Status used = renewed.ok() ? renewed->WhoAmI().status() : renewed.status();
  if (!used.ok()) {
    return Fail(absl::Status(used.code(),
                             absl::StrCat("the new certificate is in ", out,
                                          " but could not be used yet (", used.message(),
                                          "); the old one stays valid until it is")));
  }
  return Print(in, *r, [&] {
    std::cout << "renewed: certificate " << r->certificate().serial() << " in " << out
              << "; the old certificate is revoked\n";
  });
}

}  // namespace

std::vector<Command> CredentialCommands() {
  return {
      {"", "enroll", "", {"code", "ca", "out", "p12-password-file"},
       "--server H:P --ca CA.pem --code CODE --out DIR [--p12-password-file F]", Enroll},
      {"cert", "renew", "", {"out", "p12-password-file"}, "--out DIR [--p12-password-file F]",
       Renew},
  };
}

}  // namespace schakel::cli
