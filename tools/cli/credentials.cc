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
// Both write DIR/cert.pem, DIR/key.pem, DIR/ca.pem and DIR/identity.p12 (the
// same key and certificate for a browser to import). The password of
// identity.p12 is the one in --p12-password-file, or else a random one
// written to DIR/p12-password. On this disk a stored password adds no risk
// (key.pem lies beside it in the clear); it guards a copy of identity.p12
// that travels without it.
#include <iostream>

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
constexpr char kP12File[] = "identity.p12";
constexpr char kP12PasswordFile[] = "p12-password";

// The password of identity.p12 and where the professional finds it.
struct P12Password {
  std::string password;
  std::string file;  // --p12-password-file; empty: a random one, for DIR/p12-password
};

absl::StatusOr<P12Password> ChooseP12Password(Flags& f) {
  if (!f.Has("p12-password-file")) {
    absl::StatusOr<std::string> random = crypto::NewPkcs12Password();
    if (!random.ok()) return random.status();
    return P12Password{*std::move(random), ""};
  }
  const std::string file = f.Optional("p12-password-file");
  absl::StatusOr<std::string> text = ReadFile(file);
  if (!text.ok()) return absl::InvalidArgumentError("--p12-password-file: cannot read the file");
  std::string password(absl::StripTrailingAsciiWhitespace(*text));
  if (password.size() < kMinP12Password) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--p12-password-file: the password must be at least ", kMinP12Password, " characters"));
  }
  return P12Password{std::move(password), file};
}

// Refuses a directory that already holds an identity: nothing is overwritten.
absl::Status CheckOut(const std::string& out) {
  for (const char* f : {"cert.pem", "key.pem", kP12File, kP12PasswordFile}) {
    if (PathExists(JoinPath(out, f))) {
      return absl::AlreadyExistsError(absl::StrCat("--out: ", out, " already holds an identity"));
    }
  }
  return absl::OkStatus();
}

// Writes the files of an identity, all private to the user: the key last
// but one, the PKCS#12 last (its password file before it).
absl::Status WriteIdentity(const std::string& out, EVP_PKEY* key, const std::string& cert_pem,
                           const std::string& ca_pem, const P12Password& p12_password,
                           const std::string& name) {
  RETURN_IF_ERROR(MakeDirectory(out, 0700));
  RETURN_IF_ERROR(WriteFileDurably(JoinPath(out, "ca.pem"), ca_pem));
  RETURN_IF_ERROR(WriteFileDurably(JoinPath(out, "cert.pem"), cert_pem));
  RETURN_IF_ERROR(WriteFileDurably(JoinPath(out, "key.pem"), crypto::PrivateKeyToPem(key)));
  absl::StatusOr<std::string> p12 =
      crypto::MakePkcs12(key, cert_pem, ca_pem, name, p12_password.password);
  if (!p12.ok()) return p12.status();
  if (p12_password.file.empty()) {
    RETURN_IF_ERROR(
        WriteFileDurably(JoinPath(out, kP12PasswordFile), p12_password.password + "\n"));
  }
  return WriteFileDurably(JoinPath(out, kP12File), *p12);
}

// The line that tells the professional what to import in their browser.
std::string P12Line(const std::string& out, const P12Password& p12_password) {
  return absl::StrCat("for your browser: import ", JoinPath(out, kP12File), "; its password is in ",
                      p12_password.file.empty() ? JoinPath(out, kP12PasswordFile)
                                                : p12_password.file,
                      "\n");
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
  absl::StatusOr<P12Password> password = ChooseP12Password(f);
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
              << " (roles take effect once a second administrator approves them)\n"
              << P12Line(out, *password);
  });
}

int Renew(Invocation& in) {
  Flags f(in);
  const std::string out = f.Required("out");
  if (!f.ok()) return Fail(f.status());
  if (absl::Status s = CheckOut(out); !s.ok()) return Fail(s);
  absl::StatusOr<P12Password> password = ChooseP12Password(f);
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
              << "; the old certificate is revoked\n"
              << P12Line(out, *password);
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
