// The SMTP mailer against a real relay on loopback (tests/support/
// smtp_sink.py): STARTTLS with a certificate of a test CA, the message
// decoded by another implementation (Python's email package), and each way
// a relay can refuse, with the class of error the caller retries on.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/config/deployment.pb.h"
#include "server/common/clock.h"
#include "server/crypto/x509.h"
#include "server/notify/mailer.h"
#include "tests/support/process.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/test_support.h"

namespace schakel::notify {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::SmtpSink;
using ::schakel::testing::SmtpSinkOptions;
using ::schakel::testing::MakePki;
using ::schakel::testing::TestPki;
using ::schakel::testing::StatusIs;
using ::schakel::testing::SunkMail;
using ::schakel::testing::TempDir;
using ::testing::_;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kRecipient[] = "a.janssen@woej.example.nl";

// Subject and body of a message as Python's email package reads them (an
// implementation of RFC 2047 and quoted-printable that is not ours), the
// body's line ends as LF.
struct Decoded {
  std::string subject;
  std::string body;
  std::string content_type;
};
Decoded DecodeWithPython(const TempDir& dir, const std::string& data) {
  const std::string in = dir.File("decode-in.eml");
  testing::WriteFileOrDie(in, data);
  const std::string script = absl::StrCat(
      "import email, email.policy, sys\n"
      "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n"
      "open(sys.argv[2], 'w', encoding='utf-8').write(str(m['subject']))\n"
      "open(sys.argv[3], 'w', encoding='utf-8', newline='').write("
      "m.get_content().replace('\\r\\n', '\\n'))\n"
      "open(sys.argv[4], 'w', encoding='utf-8').write(m.get_content_type() + ';' + "
      "m.get_content_charset())\n");
  testing::Result r =
      testing::RunCommand({"/usr/bin/python3", "-c", script, in, dir.File("subject"),
                           dir.File("body"), dir.File("type")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return {};
  return {testing::ReadFileOrDie(dir.File("subject")), testing::ReadFileOrDie(dir.File("body")),
          testing::ReadFileOrDie(dir.File("type"))};
}

// A port on loopback where nothing listens: bound once, then closed.
int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// No error of the mailer names the recipient or quotes the relay.
MATCHER(IsCleanError, "") {
  const std::string message(arg.message());
  if (message.find("woej.example.nl") != std::string::npos ||
      message.find("a.janssen") != std::string::npos) {
    *result_listener << "names the recipient: " << message;
    return false;
  }
  for (const char* relay_words : {"mailbox unavailable", "try again later", "5.1.1", "4.3.0"}) {
    if (message.find(relay_words) != std::string::npos) {
      *result_listener << "quotes the relay: " << message;
      return false;
    }
  }
  return true;
}

class SmtpMailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // deploy/install-deps.sh installs python3-aiosmtpd: missing is a
    // failure, not a reason to skip.
    ASSERT_TRUE(testing::SmtpSinkAvailable())
        << "/usr/bin/python3 cannot import aiosmtpd (apt-get install python3-aiosmtpd)";
    pki_ = MakePki(tmp_, "relay", "relay test CA", {"127.0.0.1"}, {"localhost"});
  }

  // A sink offering STARTTLS with the relay certificate, unless `tls` is
  // false.
  std::unique_ptr<SmtpSink> StartSink(SmtpSinkOptions options = {}, bool tls = true) {
    if (tls && options.cert_file.empty()) {
      options.cert_file = pki_.cert_file;
      options.key_file = pki_.key_file;
    }
    auto sink = std::make_unique<SmtpSink>(tmp_.File(absl::StrCat("sink", ++sinks_)), options);
    EXPECT_GT(sink->port(), 0);
    return sink;
  }

  config::SmtpRelay Relay(const std::string& address) const {
    config::SmtpRelay relay;
    relay.set_address(address);
    relay.set_from("schakel@leidschendam-voorburg.example.nl");
    relay.set_ca_file(pki_.ca_file);
    return relay;
  }

  std::unique_ptr<SmtpMailer> MailerFor(const config::SmtpRelay& relay) {
    auto mailer = SmtpMailer::Create(relay, tmp_.path(), &clock_);
    EXPECT_THAT(mailer, IsOk());
    return mailer.ok() ? std::move(mailer).value() : nullptr;
  }

  static Mail AMail() {
    Mail m;
    m.to = kRecipient;
    m.subject = "Nieuwe overdracht voor je team";
    m.text = "Er staat een overdracht voor je klaar.\nBekijk hem in schakel.\n";
    m.message_id = "n-0001.1@schakel.example.nl";
    return m;
  }

  FakeClock clock_{absl::FromUnixSeconds(1795424400)};  // Monday 23 November 2026, 10:00
  TempDir tmp_;
  TestPki pki_;
  int sinks_ = 0;
};

TEST_F(SmtpMailerTest, AMessageGoesThroughStartTlsWithHeadersAndBodyIntact) {
  SmtpSinkOptions options;
  options.require_starttls = true;
  auto sink = StartSink(options);
  auto mailer = MailerFor(Relay(sink->address()));
  ASSERT_NE(mailer, nullptr);

  Mail m = AMail();
  // Non-ASCII over more than one encoded-word, and a body that needs
  // quoted-printable's every rule: a line longer than 76, '=', a line that
  // starts with a dot, trailing white space, a tab, non-ASCII, an empty line.
  m.subject = "Overdracht voor Zoë Bakker-Ünal: reactie gevraagd vóór maandag — één werkdag";
  m.text = absl::StrCat(
      "Beste collega,\n\n",
      "Er is een warme overdracht voor je team (één bewoner, geen namen in deze e-mail). ",
      "Deze regel is langer dan zesenzeventig tekens, zodat hij zacht wordt afgebroken.\n",
      ".Een regel die met een punt begint\n", "a=b en 100% = klaar, code=41\n",
      "spatie aan het eind \n", "\ttab vooraan\n", "\n", "Groet, schakel ✓\n");
  ASSERT_THAT(mailer->Send(m), IsOk());

  const std::vector<SunkMail> got = sink->Messages();
  ASSERT_THAT(got, SizeIs(1));
  EXPECT_TRUE(got[0].tls);
  EXPECT_EQ(got[0].from, "schakel@leidschendam-voorburg.example.nl");
  EXPECT_THAT(got[0].to, ::testing::ElementsAre(kRecipient));
  const std::string& data = got[0].data;
  EXPECT_THAT(data, HasSubstr("From: schakel@leidschendam-voorburg.example.nl\r\n"));
  EXPECT_THAT(data, HasSubstr(absl::StrCat("To: ", kRecipient, "\r\n")));
  EXPECT_THAT(data, HasSubstr("Message-ID: <n-0001.1@schakel.example.nl>\r\n"));
  EXPECT_THAT(data, HasSubstr("Date: Mon, 23 Nov 2026 10:00:00 +0100\r\n"));
  EXPECT_THAT(data, HasSubstr("MIME-Version: 1.0\r\n"));
  EXPECT_THAT(data, HasSubstr("Content-Transfer-Encoding: quoted-printable\r\n"));
  // Nothing but ASCII on the wire, no line longer than SMTP's 998 (or
  // quoted-printable's 76).
  for (char ch : data) EXPECT_LT(static_cast<unsigned char>(ch), 0x80);
  for (absl::string_view line : absl::StrSplit(data, "\r\n")) EXPECT_LE(line.size(), 76u) << line;

  const Decoded d = DecodeWithPython(tmp_, data);
  EXPECT_EQ(d.subject, m.subject);
  EXPECT_EQ(d.body, m.text);
  EXPECT_EQ(d.content_type, "text/plain;utf-8");
}

TEST_F(SmtpMailerTest, ARelayWithoutStartTlsIsRefusedUnlessPlaintextIsAllowed) {
  auto sink = StartSink({}, /*tls=*/false);
  auto required = MailerFor(Relay(sink->address()));
  ASSERT_NE(required, nullptr);
  const absl::Status s = required->Send(AMail());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("STARTTLS")));
  EXPECT_THAT(s, IsCleanError());
  EXPECT_THAT(sink->Messages(), IsEmpty());

  config::SmtpRelay relay = Relay(sink->address());
  relay.set_allow_plaintext(true);
  auto plaintext = MailerFor(relay);
  ASSERT_NE(plaintext, nullptr);
  ASSERT_THAT(plaintext->Send(AMail()), IsOk());
  const std::vector<SunkMail> got = sink->Messages();
  ASSERT_THAT(got, SizeIs(1));
  EXPECT_FALSE(got[0].tls);
}

TEST_F(SmtpMailerTest, AllowPlaintextStillTakesStartTlsWhenOffered) {
  auto sink = StartSink();
  config::SmtpRelay relay = Relay(sink->address());
  relay.set_allow_plaintext(true);
  auto mailer = MailerFor(relay);
  ASSERT_NE(mailer, nullptr);
  ASSERT_THAT(mailer->Send(AMail()), IsOk());
  ASSERT_THAT(sink->Messages(), SizeIs(1));
  EXPECT_TRUE(sink->Messages()[0].tls);
}

TEST_F(SmtpMailerTest, StartTlsRefusedForNowIsTransient) {
  SmtpSinkOptions options;
  options.starttls_tempfail = true;
  auto sink = StartSink(options);
  auto mailer = MailerFor(Relay(sink->address()));
  ASSERT_NE(mailer, nullptr);
  const absl::Status s = mailer->Send(AMail());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("454")));
  EXPECT_THAT(s, IsCleanError());
  EXPECT_THAT(sink->Messages(), IsEmpty());
}

TEST_F(SmtpMailerTest, AnUntrustedRelayCertificateIsRefused) {
  // Signed by another CA than the one in ca_file.
  const TestPki other = MakePki(tmp_, "other", "other CA", {"127.0.0.1"}, {"localhost"});
  SmtpSinkOptions options;
  options.cert_file = other.cert_file;
  options.key_file = other.key_file;
  auto sink = StartSink(options);
  auto mailer = MailerFor(Relay(sink->address()));
  ASSERT_NE(mailer, nullptr);
  absl::Status s = mailer->Send(AMail());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not trusted")));
  EXPECT_THAT(s, IsCleanError());

  // Of the right CA, but for another name than the relay's address.
  const TestPki wrong_name = MakePki(tmp_, "name", "name CA", {}, {"smtp.elsewhere.example"});
  options.cert_file = wrong_name.cert_file;
  options.key_file = wrong_name.key_file;
  auto named_sink = StartSink(options);
  config::SmtpRelay relay = Relay(named_sink->address());
  relay.set_ca_file(wrong_name.ca_file);
  auto named = MailerFor(relay);
  ASSERT_NE(named, nullptr);
  s = named->Send(AMail());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not trusted")));

  // Trusting a CA does not trust another even with allow_plaintext: a relay
  // that offers TLS is verified.
  relay = Relay(sink->address());
  relay.set_allow_plaintext(true);
  auto lax = MailerFor(relay);
  ASSERT_NE(lax, nullptr);
  EXPECT_THAT(lax->Send(AMail()), StatusIs(absl::StatusCode::kFailedPrecondition, _));
  EXPECT_THAT(sink->Messages(), IsEmpty());
  EXPECT_THAT(named_sink->Messages(), IsEmpty());
}

TEST_F(SmtpMailerTest, A451IsTransientAndTheRetryCarriesTheSameMessageId) {
  SmtpSinkOptions options;
  options.tempfail_first = 1;
  auto sink = StartSink(options);
  auto mailer = MailerFor(Relay(sink->address()));
  ASSERT_NE(mailer, nullptr);
  const absl::Status first = mailer->Send(AMail());
  EXPECT_THAT(first, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("451")));
  EXPECT_THAT(first, IsCleanError());
  EXPECT_THAT(sink->Messages(), IsEmpty());
  clock_.Advance(absl::Seconds(30));
  ASSERT_THAT(mailer->Send(AMail()), IsOk());
  const std::vector<SunkMail> got = sink->Messages();
  ASSERT_THAT(got, SizeIs(1));
  EXPECT_THAT(got[0].data, HasSubstr("Message-ID: <n-0001.1@schakel.example.nl>\r\n"));
}

TEST_F(SmtpMailerTest, ARefusedRecipientIsPermanent) {
  SmtpSinkOptions options;
  options.reject = kRecipient;
  auto sink = StartSink(options);
  auto mailer = MailerFor(Relay(sink->address()));
  ASSERT_NE(mailer, nullptr);
  const absl::Status s = mailer->Send(AMail());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("550")));
  EXPECT_THAT(s, IsCleanError());
  EXPECT_THAT(sink->Messages(), IsEmpty());
  // Another recipient of the same relay gets through.
  Mail other = AMail();
  other.to = "b.devries@kwadraad.example.nl";
  EXPECT_THAT(mailer->Send(other), IsOk());
  EXPECT_THAT(sink->Messages(), SizeIs(1));
}

TEST_F(SmtpMailerTest, NothingListeningIsTransient) {
  auto mailer = MailerFor(Relay(absl::StrCat("127.0.0.1:", FreePort())));
  ASSERT_NE(mailer, nullptr);
  const absl::Status s = mailer->Send(AMail());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("cannot connect")));
  EXPECT_THAT(s, IsCleanError());
}

TEST_F(SmtpMailerTest, ARelayThatStopsIsTransient) {
  auto sink = StartSink();
  auto mailer = MailerFor(Relay(sink->address()));
  ASSERT_NE(mailer, nullptr);
  ASSERT_THAT(mailer->Send(AMail()), IsOk());
  sink->Stop();
  EXPECT_THAT(mailer->Send(AMail()), StatusIs(absl::StatusCode::kUnavailable, _));
}

TEST_F(SmtpMailerTest, HeaderInjectionIsRefusedBeforeAnythingIsSent) {
  auto sink = StartSink();
  auto mailer = MailerFor(Relay(sink->address()));
  ASSERT_NE(mailer, nullptr);
  Mail m = AMail();
  m.subject = "Overdracht\r\nBcc: iedereen@example.nl";
  EXPECT_THAT(mailer->Send(m),
              StatusIs(absl::StatusCode::kInvalidArgument, "subject: must not contain CR or LF"));
  m = AMail();
  m.subject = "Overdracht\nBcc: iedereen@example.nl";
  EXPECT_THAT(mailer->Send(m), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("CR or LF")));
  m = AMail();
  m.to = std::string(kRecipient) + "\r\nRCPT TO:<iedereen@example.nl>";
  const absl::Status s = mailer->Send(m);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, "to: must not contain CR or LF"));
  EXPECT_THAT(s, IsCleanError());
  m = AMail();
  m.to = std::string(kRecipient) + ", iedereen@example.nl";
  EXPECT_THAT(mailer->Send(m), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("to:")));
  EXPECT_THAT(sink->Messages(), IsEmpty());
}

TEST_F(SmtpMailerTest, TheLoginGoesOverStartTls) {
  SmtpSinkOptions options;
  options.auth = "schakel:geheim-wachtwoord";
  auto sink = StartSink(options);
  config::SmtpRelay relay = Relay(sink->address());
  relay.set_username("schakel");
  relay.set_password_file("smtp-password");
  testing::WriteFileOrDie(tmp_.File("smtp-password"), "geheim-wachtwoord\n");
  ASSERT_EQ(::chmod(tmp_.File("smtp-password").c_str(), 0600), 0);
  auto mailer = MailerFor(relay);
  ASSERT_NE(mailer, nullptr);
  ASSERT_THAT(mailer->Send(AMail()), IsOk());
  ASSERT_THAT(sink->Messages(), SizeIs(1));
  EXPECT_EQ(sink->Messages()[0].login, "schakel");
  EXPECT_TRUE(sink->Messages()[0].tls);

  testing::WriteFileOrDie(tmp_.File("smtp-password"), "fout\n");
  auto wrong = MailerFor(relay);
  ASSERT_NE(wrong, nullptr);
  const absl::Status s = wrong->Send(AMail());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("login")));
  EXPECT_THAT(s, Not(StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("fout"))));
  EXPECT_THAT(sink->Messages(), SizeIs(1));
}

}  // namespace
}  // namespace schakel::notify
