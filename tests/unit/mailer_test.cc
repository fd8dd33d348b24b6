// The mailer's pure parts as tables: the retry schedule, what ValidateMail
// refuses, what the relay configuration must hold, and the rendered message
// (encoded-words and quoted-printable) byte for byte.
#include "server/notify/mailer.h"

#include <sys/stat.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/config/deployment.pb.h"
#include "server/common/clock.h"
#include "server/notify/retry.h"
#include "tests/support/test_support.h"

namespace schakel::notify {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TempDir;
using ::testing::HasSubstr;

TEST(RetryDelayTest, ThirtySecondsDoublingUpToAnHour) {
  const struct {
    int attempt;
    absl::Duration delay;
  } cases[] = {
      {-1, absl::Seconds(30)},   {0, absl::Seconds(30)}, {1, absl::Seconds(30)},
      {2, absl::Seconds(60)},    {3, absl::Minutes(2)},  {4, absl::Minutes(4)},
      {5, absl::Minutes(8)},     {6, absl::Minutes(16)}, {7, absl::Minutes(32)},
      {8, absl::Hours(1)},       {9, absl::Hours(1)},    {64, absl::Hours(1)},
      {1 << 30, absl::Hours(1)},
  };
  for (const auto& c : cases) EXPECT_EQ(RetryDelay(c.attempt), c.delay) << c.attempt;
}

TEST(RetryDelayTest, MaxAttemptsZeroMeansEight) {
  EXPECT_EQ(MaxAttempts(0), 8);
  EXPECT_EQ(MaxAttempts(1), 1);
  EXPECT_EQ(MaxAttempts(20), 20);
  EXPECT_EQ(MaxAttempts(4000000000u), 2147483647);
  // The default schedule: seven waits between eight attempts.
  absl::Duration total;
  for (int a = 1; a < MaxAttempts(0); ++a) total += RetryDelay(a);
  EXPECT_EQ(total, absl::Seconds(3810));  // 1 h 3 min 30 s
}

Mail Good() {
  Mail m;
  m.to = "a.janssen@woej.example.nl";
  m.subject = "Nieuwe overdracht";
  m.text = "Er staat een overdracht voor je klaar.\n";
  m.message_id = "n-0001.1@schakel.example.nl";
  return m;
}

TEST(ValidateMailTest, BadFieldsAreNamedWithTheRule) {
  EXPECT_THAT(ValidateMail(Good()), IsOk());
  const struct {
    void (*mutate)(Mail&);
    const char* message;
  } cases[] = {
      {[](Mail& m) { m.to = "a@b.nl\r\nBcc: x@y.nl"; }, "to: must not contain CR or LF"},
      {[](Mail& m) { m.to = "a@b.nl\n"; }, "to: must not contain CR or LF"},
      {[](Mail& m) { m.to = ""; }, "to: must be an address"},
      {[](Mail& m) { m.to = "geen-adres"; }, "to: must be an address"},
      {[](Mail& m) { m.to = "a@b.nl, c@d.nl"; }, "to: must be an address"},
      {[](Mail& m) { m.to = "A <a@b.nl>"; }, "to: must be an address"},
      {[](Mail& m) { m.to = "zoë@b.nl"; }, "to: must be an address"},
      {[](Mail& m) { m.to = "a..b@c.nl"; }, "to: must be an address"},
      {[](Mail& m) { m.to = "@c.nl"; }, "to: must be an address"},
      {[](Mail& m) { m.to = std::string(250, 'a') + "@c.nl"; }, "to: must be an address"},
      {[](Mail& m) { m.subject = "a\r\nBcc: x@y.nl"; }, "subject: must not contain CR or LF"},
      {[](Mail& m) { m.subject = "a\rb"; }, "subject: must not contain CR or LF"},
      {[](Mail& m) { m.subject = "a\tb"; }, "subject: must not contain control characters"},
      {[](Mail& m) { m.subject = ""; }, "subject: 1 to 200 bytes required"},
      {[](Mail& m) { m.subject = std::string(201, 'x'); }, "subject: 1 to 200 bytes required"},
      {[](Mail& m) { m.subject = "caf\xe9"; }, "subject: must be UTF-8"},
      {[](Mail& m) { m.subject = "\xc0\xaf"; }, "subject: must be UTF-8"},      // overlong '/'
      {[](Mail& m) { m.subject = "\xed\xa0\x80"; }, "subject: must be UTF-8"},  // a surrogate
      {[](Mail& m) { m.text = ""; }, "text: 1 to 100000 bytes required"},
      {[](Mail& m) { m.text = "\xff"; }, "text: must be UTF-8"},
      {[](Mail& m) { m.text = "caf\xc3"; }, "text: must be UTF-8"},
      {[](Mail& m) { m.message_id = ""; }, "message_id: must be local@domain"},
      {[](Mail& m) { m.message_id = "<a@b>"; }, "message_id: must be local@domain"},
      {[](Mail& m) { m.message_id = "a@b\r\nX: y"; }, "message_id: must not contain CR or LF"},
  };
  for (const auto& c : cases) {
    Mail m = Good();
    c.mutate(m);
    EXPECT_THAT(ValidateMail(m), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.message;
  }
  Mail m = Good();
  m.subject = "Zoë — één werkdag ✓";
  m.text = "regel\r\nregel\n\ttab\n";
  EXPECT_THAT(ValidateMail(m), IsOk());
}

class SmtpMailerConfigTest : public ::testing::Test {
 protected:
  config::SmtpRelay Relay() const {
    config::SmtpRelay r;
    r.set_address("smtp.example.nl:587");
    r.set_from("schakel@example.nl");
    return r;
  }
  absl::Status CreateStatus(const config::SmtpRelay& r) {
    return SmtpMailer::Create(r, tmp_.path(), &clock_).status();
  }
  FakeClock clock_{absl::FromUnixSeconds(1795424400)};
  TempDir tmp_;
};

TEST_F(SmtpMailerConfigTest, TheRelayConfigurationIsChecked) {
  EXPECT_THAT(CreateStatus(Relay()), IsOk());
  const struct {
    void (*mutate)(config::SmtpRelay&);
    absl::StatusCode code;
    const char* message;
  } cases[] = {
      {[](config::SmtpRelay& r) { r.clear_address(); }, absl::StatusCode::kInvalidArgument,
       "smtp.address"},
      {[](config::SmtpRelay& r) { r.set_address("smtp.example.nl"); },
       absl::StatusCode::kInvalidArgument, "smtp.address"},
      {[](config::SmtpRelay& r) { r.set_address("smtp.example.nl:0"); },
       absl::StatusCode::kInvalidArgument, "smtp.address: the relay's port is required"},
      {[](config::SmtpRelay& r) { r.set_from("schakel"); }, absl::StatusCode::kInvalidArgument,
       "smtp.from: must be an address"},
      {[](config::SmtpRelay& r) {
         r.set_username("schakel");
         r.set_password_file("pw");
         r.set_allow_plaintext(true);
       },
       absl::StatusCode::kInvalidArgument, "smtp.username: a login needs STARTTLS"},
      {[](config::SmtpRelay& r) { r.set_username("schakel"); }, absl::StatusCode::kInvalidArgument,
       "smtp.password_file: username and password_file"},
      {[](config::SmtpRelay& r) {
         r.set_username("schakel");
         r.set_password_file("missing");
       },
       absl::StatusCode::kNotFound, "smtp.password_file: "},
      {[](config::SmtpRelay& r) {
         r.set_username("schakel");
         r.set_password_file("open-pw");
       },
       absl::StatusCode::kFailedPrecondition, "open-pw"},
      {[](config::SmtpRelay& r) {
         r.set_username("schakel");
         r.set_password_file("empty-pw");
       },
       absl::StatusCode::kInvalidArgument, "smtp.password_file: the file is empty"},
  };
  testing::WriteFileOrDie(tmp_.File("open-pw"), "geheim\n");
  ASSERT_EQ(::chmod(tmp_.File("open-pw").c_str(), 0644), 0);
  testing::WriteFileOrDie(tmp_.File("empty-pw"), "\n");
  ASSERT_EQ(::chmod(tmp_.File("empty-pw").c_str(), 0600), 0);
  for (const auto& c : cases) {
    config::SmtpRelay r = Relay();
    c.mutate(r);
    EXPECT_THAT(CreateStatus(r), StatusIs(c.code, HasSubstr(c.message))) << c.message;
  }
}

TEST_F(SmtpMailerConfigTest, TheMessageIsRenderedAsAsciiWithEncodedWordsAndQuotedPrintable) {
  auto mailer = SmtpMailer::Create(Relay(), tmp_.path(), &clock_);
  ASSERT_THAT(mailer, IsOk());
  Mail m = Good();
  m.text = absl::StrCat("Zoë = ", std::string(80, 'x'), "\nspatie \n.punt\n\nlaatste");
  const std::string rendered = (*mailer)->Render(m);
  EXPECT_EQ(rendered,
            "From: schakel@example.nl\r\n"
            "To: a.janssen@woej.example.nl\r\n"
            "Subject: Nieuwe overdracht\r\n"
            "Date: Mon, 23 Nov 2026 10:00:00 +0100\r\n"
            "Message-ID: <n-0001.1@schakel.example.nl>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n" +
                absl::StrCat("Zo=C3=AB =3D ", std::string(62, 'x'), "=\r\n", std::string(18, 'x'),
                             "\r\n", "spatie=20\r\n", ".punt\r\n", "\r\n", "laatste\r\n"));

  // A non-ASCII subject: encoded-words of at most 75 characters, split
  // between characters (the 'ë' bytes never apart).
  m.subject = "Overdracht voor Zoë Bakker-Ünal: reactie gevraagd vóór maandag — één werkdag";
  const std::string with_words = (*mailer)->Render(m);
  const size_t start = with_words.find("Subject:");
  const size_t end = with_words.find("\r\nDate:");
  ASSERT_NE(start, std::string::npos);
  const std::string field = with_words.substr(start, end - start);
  EXPECT_EQ(field,
            "Subject: =?utf-8?B?T3ZlcmRyYWNodCB2b29yIFpvw6sgQmFra2VyLcOcbmFsOiByZWFj?=\r\n"
            " =?utf-8?B?dGllIGdldnJhYWdkIHbDs8OzciBtYWFuZGFnIOKAlCDDqcOpbiB3?=\r\n"
            " =?utf-8?B?ZXJrZGFn?=");
  for (absl::string_view line : absl::StrSplit(field, "\r\n")) EXPECT_LE(line.size(), 76u);

  // Thirty 'ë' (60 bytes): the 40th byte is the middle of the 20th, so the
  // first word takes 19 of them.
  m.subject.clear();
  for (int i = 0; i < 30; ++i) m.subject += "ë";
  EXPECT_THAT(
      (*mailer)->Render(m),
      HasSubstr("Subject: =?utf-8?B?w6vDq8Orw6vDq8Orw6vDq8Orw6vDq8Orw6vDq8Orw6vDq8Orw6s=?=\r\n"
                " =?utf-8?B?w6vDq8Orw6vDq8Orw6vDq8Orw6vDqw==?=\r\n"));

  // ASCII that looks like an encoded-word is encoded too.
  m.subject = "=?utf-8?B?eA==?=";
  EXPECT_THAT((*mailer)->Render(m), HasSubstr("Subject: =?utf-8?B?PT91dGYtOD9CP2VBPT0/PQ==?=\r\n"));
}

}  // namespace
}  // namespace schakel::notify
