// Notifications by e-mail through a real SMTP relay on loopback
// (tests/support/smtp_sink.py, STARTTLS with a test CA's certificate): sent
// once to the recipient's work address, with no personal data at all; the
// day's digest; what the relay refuses for good is a dead letter for the
// admin, what it refuses for now is tried again.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/admin.grpc.pb.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/notifications.grpc.pb.h"
#include "server/deployment/deployment.h"
#include "tests/integration/case_fixture.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/test_engine.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using testing::As;
using testing::Ctx;
using testing::Rid;
using ::schakel::testing::IsOk;
using ::schakel::testing::MakePki;
using ::schakel::testing::SmtpSink;
using ::schakel::testing::SmtpSinkOptions;
using ::schakel::testing::SunkMail;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kWoejAddress[] = "wijkbeheer@woej.example.nl";
constexpr char kConsole[] = "https://schakel.example.nl/";

class NotificationMailTest : public testing::CasesTest {
 protected:
  // The demo deployment with its relay; `sink` options as the test needs.
  void StartWithRelay(const SmtpSinkOptions& extra = {}) {
    server_.reset();
    pki_ = MakePki(tmp_, "relay", "relay test CA", {"127.0.0.1"}, {"localhost"});
    SmtpSinkOptions o = extra;
    o.cert_file = pki_.cert_file;
    o.key_file = pki_.key_file;
    o.require_starttls = true;
    sink_ = std::make_unique<SmtpSink>(tmp_.File("sink"), o);
    ASSERT_GT(sink_->port(), 0) << sink_->Stderr();
    auto config = deployment::LoadConfig(*paths_);
    ASSERT_THAT(config, IsOk());
    config::NotificationConfig* n = config->mutable_notifications();
    n->set_console_url(kConsole);
    n->mutable_smtp()->set_address(sink_->address());
    n->mutable_smtp()->set_from("schakel@leidschendam.example.nl");
    n->mutable_smtp()->set_ca_file(pki_.ca_file);
    ASSERT_THAT(deployment::WriteConfig(*paths_, *config), IsOk());
    auto server = Server::Start(InstanceOptions(paths_->dir));
    ASSERT_THAT(server, IsOk());
    server_ = std::move(server).value();
  }

  std::string IdOf(const std::string& who) {
    auto stub = v1::DirectoryService::NewStub(Who(who).channel);
    v1::WhoAmIResponse me;
    Ctx ctx;
    EXPECT_TRUE(stub->WhoAmI(&ctx, v1::WhoAmIRequest(), &me).ok());
    return me.professional().id();
  }

  void SetAddress(const std::string& who, const std::string& address) {
    auto admin = v1::AdminService::NewStub(Who("admin").channel);
    v1::SetWorkContactRequest req;
    req.set_professional_id(IdOf(who));
    req.set_work_email(address);
    v1::Person out;
    Ctx ctx;
    grpc::Status s = admin->SetWorkContact(&ctx, req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  void Choose(const std::string& who, v1::NotificationKind kind, v1::Delivery delivery) {
    auto stub = v1::NotificationService::NewStub(Who(who).channel);
    v1::NotificationSettings set;
    auto* c = set.add_choices();
    c->set_kind(kind);
    c->set_delivery(delivery);
    v1::NotificationSettings out;
    Ctx ctx;
    ASSERT_TRUE(stub->SetNotificationSettings(&ctx, set, &out).ok());
  }

  // The sink's messages once there are `n` (at most `wait`).
  std::vector<SunkMail> AwaitMail(size_t n, absl::Duration wait = absl::Seconds(10)) {
    const absl::Time end = absl::Now() + wait;
    std::vector<SunkMail> got = sink_->Messages();
    while (got.size() < n && absl::Now() < end) {
      absl::SleepFor(absl::Milliseconds(10));
      got = sink_->Messages();
    }
    return got;
  }

  std::vector<v1::DeadLetter> DeadLetters() {
    auto admin = v1::NotificationService::NewStub(Who("admin").channel);
    v1::ListDeadLettersResponse r;
    Ctx ctx;
    EXPECT_TRUE(admin->ListDeadLetters(&ctx, v1::ListDeadLettersRequest(), &r).ok());
    return {r.dead_letters().begin(), r.dead_letters().end()};
  }

  testing::TestPki pki_;
  std::unique_ptr<SmtpSink> sink_;
};

TEST_F(NotificationMailTest, AProposalIsMailedOnceOverTlsWithoutAnyPersonalData) {
  if (!testing::SmtpSinkAvailable()) GTEST_FAIL() << "python3-aiosmtpd is not installed";
  StartWithRelay();
  SetAddress("partner-woej", kWoejAddress);
  Choose("partner-woej", v1::HANDOVER_PROPOSED, v1::EMAIL_NOW);
  As brug = Who("brugfunctionaris");
  const std::string resident = Register(brug, "Fatima el Amrani", "1979-05-04");
  const absl::Time before = absl::Now();
  v1::Handover h = Propose(brug, resident, "woej");
  const absl::Time acknowledged = absl::Now();
  std::vector<SunkMail> mail = AwaitMail(1);
  const absl::Time arrived = absl::Now();
  ASSERT_EQ(mail.size(), 1u) << sink_->Stderr();
  std::cout << "commit to SMTP: at most " << absl::FormatDuration(arrived - acknowledged)
            << " after the answer (" << absl::FormatDuration(arrived - before)
            << " after the request)\n";
  const SunkMail& m = mail[0];
  EXPECT_TRUE(m.tls);
  ASSERT_EQ(m.to.size(), 1u);
  EXPECT_EQ(m.to[0], kWoejAddress);
  EXPECT_THAT(m.data, HasSubstr("Er staat een nieuwe warme overdracht voor uw team"));
  EXPECT_THAT(m.data, HasSubstr("https://schakel.example.nl/meldingen"));
  // Nothing of the resident, the handover or its text: not the name, the
  // birth date, the address, the reason, the ids.
  for (const std::string& secret : {std::string("Fatima"), std::string("Amrani"),
                                    std::string("1979"), std::string("Prinsenhof"),
                                    std::string("formulieren"), resident, h.id()}) {
    EXPECT_THAT(m.data, Not(HasSubstr(secret))) << secret;
  }
  // Once: the next rounds find it sent.
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(sink_->Messages().size(), 1u);
  // The others chose nothing, or have no relay choice: none to them.
  Choose("partner-vidomes", v1::HANDOVER_PROPOSED, v1::EMAIL_NOW);
  EXPECT_EQ(sink_->Messages().size(), 1u);
}

TEST_F(NotificationMailTest, TheDailyDigestCountsTheDaysNotificationsTheNextMorning) {
  if (!testing::SmtpSinkAvailable()) GTEST_FAIL() << "python3-aiosmtpd is not installed";
  StartWithRelay();
  SetAddress("partner-woej", kWoejAddress);
  Choose("partner-woej", v1::HANDOVER_PROPOSED, v1::DAILY_DIGEST);
  As brug = Who("brugfunctionaris");
  Propose(brug, Register(brug, "Inwoner Een"), "woej");
  Propose(brug, Register(brug, "Inwoner Twee"), "woej");
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_TRUE(sink_->Messages().empty());
  // Monday 10:00 → Tuesday 07:00 in Amsterdam.
  clock_.Advance(absl::Hours(21));
  std::vector<SunkMail> mail = AwaitMail(1);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_THAT(mail[0].data, HasSubstr("2 nieuwe meldingen op 2026-11-23"));
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(sink_->Messages().size(), 1u);
}

TEST_F(NotificationMailTest, ARefusedRecipientIsADeadLetterAndATemporaryRefusalIsTriedAgain) {
  if (!testing::SmtpSinkAvailable()) GTEST_FAIL() << "python3-aiosmtpd is not installed";
  SmtpSinkOptions o;
  o.reject = "weg@vidomes.example.nl";
  o.tempfail_first = 1;
  StartWithRelay(o);
  SetAddress("partner-woej", kWoejAddress);
  SetAddress("partner-vidomes", "weg@vidomes.example.nl");
  Choose("partner-woej", v1::HANDOVER_PROPOSED, v1::EMAIL_NOW);
  Choose("partner-vidomes", v1::HANDOVER_PROPOSED, v1::EMAIL_NOW);
  Choose("brugfunctionaris", v1::HANDOVER_ACCEPTED, v1::EMAIL_NOW);  // no address set
  As brug = Who("brugfunctionaris");
  v1::Handover to_woej = Propose(brug, Register(brug, "Inwoner Drie"), "woej");
  // The first attempt got 451: nothing yet, and not dead.
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_TRUE(sink_->Messages().empty());
  EXPECT_TRUE(DeadLetters().empty());
  // 30 s later (the first backoff) it goes.
  clock_.Advance(absl::Seconds(31));
  ASSERT_EQ(AwaitMail(1).size(), 1u);
  Propose(brug, Register(brug, "Inwoner Vier"), "vidomes");
  v1::Handover out;
  As woej = Who("partner-woej");
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::AcceptHandover, to_woej.id(), &out).ok());
  std::vector<v1::DeadLetter> dead;
  for (int i = 0; i < 500 && dead.size() < 2; ++i) {
    absl::SleepFor(absl::Milliseconds(20));
    dead = DeadLetters();
  }
  ASSERT_EQ(dead.size(), 2u);
  EXPECT_EQ(dead[0].kind(), v1::HANDOVER_PROPOSED);
  EXPECT_EQ(dead[0].professional_id(), IdOf("partner-vidomes"));
  EXPECT_EQ(dead[0].attempts(), 1);
  EXPECT_THAT(dead[0].last_error(), Not(HasSubstr("vidomes.example.nl")));
  EXPECT_EQ(dead[1].kind(), v1::HANDOVER_ACCEPTED);
  EXPECT_EQ(dead[1].last_error(), "no work e-mail address set");
  // Dead stays dead: a day later nothing more went out.
  clock_.Advance(absl::Hours(24));
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(sink_->Messages().size(), 1u);
}

// Several instances on one PostgreSQL database, each with the relay: one
// of them at a time sends, each e-mail once, and when it stops another one
// goes on without an operator.
TEST_F(NotificationMailTest, OneInstanceSendsEachMailAndAnotherGoesOnWhenItStops) {
  SCHAKEL_POSTGRES_ONLY("one process holds a SQLCipher deployment");
  if (!testing::SmtpSinkAvailable()) GTEST_FAIL() << "python3-aiosmtpd is not installed";
  StartWithRelay();
  SetAddress("partner-woej", kWoejAddress);
  Choose("partner-woej", v1::HANDOVER_PROPOSED, v1::EMAIL_NOW);
  As brug = Who("brugfunctionaris");
  // Sent by the first, which holds the mail sender's lock from then on.
  Propose(brug, Register(brug, "Inwoner Een"), "woej");
  ASSERT_EQ(AwaitMail(1).size(), 1u) << sink_->Stderr();

  auto second = Server::Start(InstanceOptions(CopyAsSecondary("second")));
  ASSERT_THAT(second, IsOk());
  As brug_on_second = WhoAt(**second, "brugfunctionaris");
  // Written on the second: sent once, by one of the two.
  Propose(brug_on_second, Register(brug_on_second, "Inwoner Twee"), "woej");
  ASSERT_EQ(AwaitMail(2).size(), 2u);
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(sink_->Messages().size(), 2u);

  // The first stops: the second sends what is written from then on.
  server_->Shutdown(absl::Seconds(1));
  server_.reset();
  Propose(brug_on_second, Register(brug_on_second, "Inwoner Drie"), "woej");
  EXPECT_EQ(AwaitMail(3, absl::Seconds(20)).size(), 3u);
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(sink_->Messages().size(), 3u);
  (*second)->Shutdown(absl::Seconds(1));
}

}  // namespace
}  // namespace schakel
