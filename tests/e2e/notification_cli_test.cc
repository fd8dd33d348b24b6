// Notifications with the real binaries: `schakel notifications` lists and
// watches them (--json one object per notification), and an e-mail
// committed but not yet delivered when schakeld is killed (kill -9) is
// delivered exactly once after the restart.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include <google/protobuf/util/json_util.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/notifications.pb.h"
#include "server/deployment/deployment.h"
#include "tests/support/cli_support.h"
#include "tests/support/smtp_sink.h"

namespace schakel {
namespace {

using ::schakel::testing::Bin;
using ::schakel::testing::Daemon;
using ::schakel::testing::IsOk;
using ::schakel::testing::Result;
using ::schakel::testing::RunCommand;
using ::testing::HasSubstr;
using ::testing::Not;

class NotificationCliTest : public testing::DemoCliTest {
 protected:
  std::string Propose(const std::string& to) {
    const std::string resident =
        RegisterResident("brugfunctionaris", absl::StrCat("Inwoner ", ++n_), "1985-03-02");
    return Create("brugfunctionaris",
                  {"handover", "propose", "--resident", resident, "--to", to, "--reason",
                   "Ouder zoekt hulp bij formulieren", "--basis", "consent", "--basis-note",
                   "doorverwijzing"});
  }
  int n_ = 0;
};

TEST_F(NotificationCliTest, ListsWhatTheCallerWasToldAndHowToOpenIt) {
  const std::string h = Propose("woej");
  Result plain = Cli("partner-woej", {"notifications"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_THAT(plain.out, HasSubstr("1 unread"));
  EXPECT_THAT(plain.out, HasSubstr("handover_proposed"));
  EXPECT_THAT(plain.out, HasSubstr(absl::StrCat("schakel handover show ", h)));
  v1::ListNotificationsResponse list;
  ASSERT_TRUE(Json("partner-woej", {"notifications", "--unread"}, &list));
  ASSERT_EQ(list.notifications_size(), 1);
  EXPECT_EQ(list.notifications(0).resource_id(), h);
  // Nobody else was told.
  ASSERT_TRUE(Json("partner-vidomes", {"notifications"}, &list));
  EXPECT_EQ(list.notifications_size(), 0);
  // Marking read, and the refusals, one line on stderr each.
  Result read = Cli("partner-woej", {"notifications", "--read-all"});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_THAT(read.out, HasSubstr("marked 1, unread 0"));
  Result bad = Cli("partner-woej", {"notifications", "--read", "not-an-id"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("ids"));
  Result both = Cli("partner-woej", {"notifications", "--watch", "--read-all"});
  EXPECT_NE(both.exit_code, 0);
  EXPECT_THAT(both.err, HasSubstr("--watch"));
  Result for_alone = Cli("partner-woej", {"notifications", "--for", "5s"});
  EXPECT_NE(for_alone.exit_code, 0);
  EXPECT_THAT(for_alone.err, HasSubstr("--for"));
}

TEST_F(NotificationCliTest, WatchPrintsEachNewOneAsAJsonLineWithItsResource) {
  Result watched;
  std::thread watcher([&] {
    watched = Cli("partner-woej", {"notifications", "--watch", "--for", "6s"}, /*json=*/true);
  });
  absl::SleepFor(absl::Seconds(2));  // the CLI connected and the stream is open
  const std::string first = Propose("woej");
  const std::string second = Propose("woej");
  watcher.join();
  ASSERT_EQ(watched.exit_code, 0) << watched.err;
  std::vector<std::string> lines =
      absl::StrSplit(absl::StripTrailingAsciiWhitespace(watched.out), '\n');
  ASSERT_EQ(lines.size(), 2u) << watched.out;
  v1::Notification n;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[0], &n).ok()) << lines[0];
  EXPECT_EQ(n.resource_id(), first);
  EXPECT_EQ(n.kind(), v1::HANDOVER_PROPOSED);
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[1], &n).ok()) << lines[1];
  EXPECT_EQ(n.resource_id(), second);
}

// A port where a listener takes connections and never says a word: the
// sender's SMTP client waits there for a greeting.
class SilentRelay {
 public:
  SilentRelay() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(fd_, 16);
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentRelay() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_F(NotificationCliTest, AMailCommittedBeforeACrashIsDeliveredExactlyOnceAfterTheRestart) {
  if (!testing::SmtpSinkAvailable()) GTEST_FAIL() << "python3-aiosmtpd is not installed";
  const std::string woej = ProfessionalId("partner-woej");
  Result contact = Admin("admin", {"user", "contact", woej, "--email", "intake@woej.example.nl"});
  ASSERT_EQ(contact.exit_code, 0) << contact.err;
  Result chose = Cli("partner-woej",
                     {"notification-settings", "--set", "handover_proposed=email_now"});
  ASSERT_EQ(chose.exit_code, 0) << chose.err;
  EXPECT_THAT(chose.out, HasSubstr("email_now"));
  // Restart against a relay that never answers: the e-mail is committed
  // with the handover and then waits in the outbox.
  const testing::TestPki pki =
      testing::MakePki(tmp_, "relay", "relay test CA", {"127.0.0.1"}, {"localhost"});
  SilentRelay silent;
  deployment::Paths paths(dir_);
  auto relay_at = [&](const std::string& address) {
    auto config = deployment::LoadConfig(paths);
    ASSERT_THAT(config, IsOk());
    config->mutable_notifications()->mutable_smtp()->set_address(address);
    config->mutable_notifications()->mutable_smtp()->set_from("schakel@example.nl");
    config->mutable_notifications()->mutable_smtp()->set_ca_file(pki.ca_file);
    ASSERT_THAT(deployment::WriteConfig(paths, *config), IsOk());
  };
  ASSERT_EQ(daemon_->Stop(), 0);
  relay_at(absl::StrCat("127.0.0.1:", silent.port()));
  daemon_ = std::make_unique<Daemon>(dir_);
  ASSERT_FALSE(daemon_->address().empty()) << daemon_->Stderr();
  const std::string h = Propose("woej");
  ASSERT_FALSE(h.empty());
  absl::SleepFor(absl::Milliseconds(300));  // the sender waits for a greeting
  EXPECT_EQ(daemon_->Kill(), 137);
  silent.Close();
  // The relay is back; schakeld restarts and sends what it owes, once.
  testing::SmtpSinkOptions o;
  o.cert_file = pki.cert_file;
  o.key_file = pki.key_file;
  o.require_starttls = true;
  testing::SmtpSink sink(tmp_.File("sink"), o);
  ASSERT_GT(sink.port(), 0) << sink.Stderr();
  relay_at(sink.address());
  daemon_ = std::make_unique<Daemon>(dir_);
  ASSERT_FALSE(daemon_->address().empty()) << daemon_->Stderr();
  for (int i = 0; i < 500 && sink.Messages().empty(); ++i) absl::SleepFor(absl::Milliseconds(20));
  ASSERT_EQ(sink.Messages().size(), 1u) << daemon_->Stderr();
  EXPECT_THAT(sink.Messages()[0].data, HasSubstr("warme overdracht"));
  EXPECT_EQ(sink.Messages()[0].to, std::vector<std::string>{"intake@woej.example.nl"});
  Result dead = Cli("admin", {"dead-letters"});
  EXPECT_EQ(dead.exit_code, 0) << dead.err;
  EXPECT_THAT(dead.out, Not(HasSubstr("handover_proposed")));
  EXPECT_NE(Cli("partner-woej", {"dead-letters"}).exit_code, 0);
  // Neither the rounds after it nor another restart send it again.
  absl::SleepFor(absl::Seconds(2));
  ASSERT_EQ(daemon_->Stop(), 0);
  daemon_ = std::make_unique<Daemon>(dir_);
  ASSERT_FALSE(daemon_->address().empty()) << daemon_->Stderr();
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(sink.Messages().size(), 1u);
}

}  // namespace
}  // namespace schakel
