// End to end: the auditor with the real CLI.
//
// Each test makes its own demo deployment (schakel-admin init --demo), runs
// schakeld on a free port and calls `schakel` as the demo professionals:
// brugfunctionaris (kwadraad) registers a resident, partner-woej (woej) is no
// party to them, regisseur and ggz read, auditor reads the log, admin manages
// the directory. Values are read from --json output, in the proto3 JSON
// mapping. The chain is verified online (`schakel audit verify`), offline
// (`schakel-admin audit verify`) and after tampering with the database the way
// an attacker holding the key would.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/audit.pb.h"
#include "schakel/v1/directory.pb.h"
#include "server/deployment/deployment.h"
#include "server/store/database.h"
#include "server/common/files.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"
#include "tests/support/transaction.h"

namespace schakel {
namespace {

using ::schakel::testing::Bin;
using ::schakel::testing::Daemon;
using ::schakel::testing::DemoCliTest;
using ::schakel::testing::FailsWith;
using ::schakel::testing::IsOk;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::Result;
using ::schakel::testing::RunCommand;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ContainsRegex;
using ::testing::Each;
using ::testing::Ge;
using ::testing::Gt;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Property;
using ::testing::SizeIs;
using ::testing::StartsWith;

// An audit entry's who, what and outcome.
MATCHER_P4(IsAccess, professional_id, organisation_id, action, outcome,
           absl::StrCat("an entry of ", professional_id, " (", organisation_id, ") ", action,
                        " ", outcome)) {
  const v1::AuditEntry& e = arg;
  bool match = e.professional_id() == professional_id &&
               e.organisation_id() == organisation_id && e.action() == action &&
               e.outcome() == outcome;
  if (!match) {
    *result_listener << "is " << e.professional_id() << " (" << e.organisation_id() << ") "
                     << e.action() << " " << e.outcome();
  }
  return match;
}

bool Before(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return a.seconds() != b.seconds() ? a.seconds() < b.seconds() : a.nanos() < b.nanos();
}

// "intact: N entries, head SEQ:HASH, K checkpoints" of both verify commands.
struct Intact {
  int64_t entries = 0;
  int64_t head_seq = 0;
  std::string head_hash;
  int checkpoints = 0;
};

std::optional<Intact> ParseIntact(const std::string& out) {
  static const std::regex kLine(
      "^intact: ([0-9]+) entries, head ([0-9]+):([0-9a-f]{64}), ([0-9]+) checkpoints\n$");
  std::smatch m;
  if (!std::regex_match(out, m, kLine)) return std::nullopt;
  Intact r;
  if (!absl::SimpleAtoi(m[1].str(), &r.entries) || !absl::SimpleAtoi(m[2].str(), &r.head_seq) ||
      !absl::SimpleAtoi(m[4].str(), &r.checkpoints)) {
    return std::nullopt;
  }
  r.head_hash = m[3].str();
  return r;
}

// The demo deployment, with brugfunctionaris registering residents and the
// auditor reading the log.
class AuditCliTest : public DemoCliTest {
 protected:
  std::string RegisterResident(const std::string& name, const std::string& birth_date) {
    return DemoCliTest::RegisterResident("brugfunctionaris", name, birth_date);
  }

  std::string CreateSignal(const std::string& resident) {
    return Create("brugfunctionaris",
                  {"signal", "create", "--category", "FZ-SCHULDEN", "--wijk", "prinsenhof",
                   "--place", "basisschool De Vlieger", "--description",
                   "moeder vertelt over oplopende schulden", "--resident", resident});
  }

  // `schakel-admin audit verify --deployment DIR`.
  Result OfflineVerify() {
    return RunCommand({Bin("schakel-admin"), "audit", "verify", "--deployment", dir_});
  }

  // Runs `sql` on the stopped deployment's database with its key, as an
  // attacker holding the KEK would.
  void Tamper(const std::string& sql) {
    deployment::Paths paths(dir_);
    auto config = deployment::LoadConfig(paths);
    ASSERT_THAT(config, IsOk());
    auto kek = deployment::ReadKek(paths, config->kek(), std::nullopt);
    ASSERT_THAT(kek, IsOk());
    auto db = deployment::OpenDatabase(paths, *kek);
    ASSERT_THAT(db, IsOk());
    testing::Tamper(**db, sql);
  }
};

TEST_F(AuditCliTest, ResidentAccessReportListsEveryAccessInOrderWithPurposeAndDenials) {
  const std::string name = "Samira Bakkali";
  std::string resident = RegisterResident(name, "1988-04-17");
  ASSERT_FALSE(resident.empty());
  std::string signal = CreateSignal(resident);
  ASSERT_FALSE(signal.empty());
  const std::string bridge_id = ProfessionalId("brugfunctionaris");
  const std::string woej_id = ProfessionalId("partner-woej");
  v1::WhoAmIResponse regisseur;
  ASSERT_TRUE(Json("regisseur", {"whoami"}, &regisseur));
  ASSERT_FALSE(bridge_id.empty());
  ASSERT_FALSE(woej_id.empty());

  // WOEJ is no party: the resident answers as if unknown.
  EXPECT_THAT(Cli("partner-woej", {"resident", "show", resident}),
              FailsWith("NOT_FOUND", HasSubstr(resident)));
  // The regisseur reads the signal for the wijkoverleg.
  Result read = Cli("regisseur", {"signal", "show", signal}, /*json=*/false, "signaalopvolging");
  ASSERT_EQ(read.exit_code, 0) << read.err;

  Result report_json =
      Cli("auditor", {"audit", "resident-report", "--resident", resident}, /*json=*/true);
  v1::ResidentAccessReportResponse report;
  ASSERT_TRUE(ParseJson(report_json, "audit resident-report", &report));
  // The log names residents by id only, never by name.
  EXPECT_THAT(report_json.out, Not(HasSubstr(name)));
  EXPECT_THAT(report_json.out, Not(HasSubstr("Bakkali")));
  ASSERT_THAT(report.accesses(), SizeIs(Ge(4))) << report.DebugString();

  // The four accesses, oldest first; the auditor's own report may follow.
  const auto& a = report.accesses();
  EXPECT_THAT(a[0], IsAccess(bridge_id, "kwadraad", "ResidentService.RegisterResident",
                             "allowed"));
  EXPECT_EQ(a[0].resource_id(), resident);
  EXPECT_THAT(a[1], IsAccess(bridge_id, "kwadraad", "SignalService.CreateSignal", "allowed"));
  EXPECT_EQ(a[1].resource_id(), signal);
  EXPECT_THAT(a[2], IsAccess(woej_id, "woej", "ResidentService.GetResident", "denied"));
  EXPECT_EQ(a[2].resource_id(), resident);
  EXPECT_THAT(a[2].reason(), HasSubstr("NOT_FOUND"));
  EXPECT_FALSE(a[2].break_glass());
  EXPECT_THAT(a[3], IsAccess(regisseur.professional().id(), regisseur.organisation().id(),
                             "SignalService.GetSignal", "allowed"));
  EXPECT_EQ(a[3].resource_id(), signal);
  EXPECT_EQ(a[3].purpose(), "signaalopvolging");
  EXPECT_FALSE(a[3].break_glass());
  // Everyone else gave no purpose: the server's default.
  EXPECT_EQ(a[0].purpose(), "zorgcoordinatie");
  EXPECT_EQ(a[2].purpose(), "zorgcoordinatie");
  for (int i = 0; i < a.size(); ++i) {
    EXPECT_THAT(a[i].resident_ids(), Contains(resident)) << a[i].DebugString();
    if (i >= 4) {
      EXPECT_THAT(a[i].action(), StartsWith("AuditService.")) << a[i].DebugString();
    }
    if (i > 0) {
      EXPECT_GT(a[i].seq(), a[i - 1].seq());
      EXPECT_FALSE(Before(a[i].time(), a[i - 1].time())) << "entry " << i << " is older";
    }
  }

  // The auditor's query for denials finds WOEJ's.
  v1::QueryAuditResponse denied;
  ASSERT_TRUE(Json("auditor", {"audit", "query", "--outcome", "denied"}, &denied));
  EXPECT_THAT(denied.entries(), Each(Property(&v1::AuditEntry::outcome, "denied")));
  EXPECT_THAT(denied.entries(),
              Contains(AllOf(IsAccess(woej_id, "woej", "ResidentService.GetResident", "denied"),
                             Property(&v1::AuditEntry::resource_id, resident))))
      << denied.DebugString();

  // Plain mode: a table with a header and one row per access.
  Result table = Cli("auditor", {"audit", "resident-report", "--resident", resident});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.err, IsEmpty());
  EXPECT_THAT(table.out, StartsWith("TIME"));
  EXPECT_THAT(table.out, HasSubstr("ORGANISATION"));
  EXPECT_THAT(table.out, HasSubstr("PURPOSE"));
  EXPECT_THAT(table.out, HasSubstr("kwadraad"));
  EXPECT_THAT(table.out, HasSubstr("woej"));
  EXPECT_THAT(table.out, HasSubstr(regisseur.organisation().id()));
  EXPECT_THAT(table.out, HasSubstr("signaalopvolging"));
  EXPECT_THAT(table.out, Not(HasSubstr(name)));
}

TEST_F(AuditCliTest, AnAdminAddingAProfessionalIsInTheLog) {
  const std::string admin_id = ProfessionalId("admin");
  ASSERT_FALSE(admin_id.empty());
  ASSERT_FALSE(
      AddApprovedProfessional("nieuwe-collega", "woej", {"partner"}, "Nieuwe Collega").empty());
  // The new professional, as their own certificate names them.
  Result who = RunCommand({Bin("schakel"), "--server", daemon_->address(), "--identity",
                           Identity("nieuwe-collega"), "--json", "whoami"});
  v1::WhoAmIResponse added;
  ASSERT_TRUE(ParseJson(who, "whoami as the new professional", &added));
  ASSERT_EQ(added.organisation().id(), "woej");

  v1::QueryAuditResponse log;
  ASSERT_TRUE(
      Json("auditor", {"audit", "query", "--action", "AdminService.AddProfessional"}, &log));
  ASSERT_THAT(log.entries(), SizeIs(1)) << log.DebugString();
  const v1::AuditEntry& e = log.entries(0);
  EXPECT_EQ(e.action(), "AdminService.AddProfessional");
  EXPECT_EQ(e.outcome(), "allowed");
  EXPECT_EQ(e.professional_id(), admin_id);
  EXPECT_EQ(e.roles(), "admin");
  EXPECT_EQ(e.resource_type(), "professional");
  EXPECT_EQ(e.resource_id(), added.professional().id());
  // A directory change concerns no resident; the name is never logged.
  EXPECT_THAT(e.resident_ids(), IsEmpty());
  EXPECT_THAT(log.DebugString(), Not(HasSubstr("Nieuwe Collega")));
  // The entry names what was asked for: organisation, team and roles.
  EXPECT_THAT(e.reason(), HasSubstr("organisation woej, team intake, roles partner"));

  // Only the auditor reads the log, not the admin.
  EXPECT_THAT(Cli("admin", {"audit", "query"}), FailsWith("PERMISSION_DENIED", Not(IsEmpty())));
}

TEST_F(AuditCliTest, VerifyFindsAnEditAndTheDaemonRefusesATruncatedLog) {
  std::string resident = RegisterResident("Anouk de Groot", "1991-09-02");
  ASSERT_FALSE(resident.empty());
  ASSERT_FALSE(CreateSignal(resident).empty());
  EXPECT_THAT(Cli("partner-woej", {"resident", "show", resident}),
              FailsWith("NOT_FOUND", HasSubstr(resident)));

  // Online, as the auditor.
  Result online = Cli("auditor", {"audit", "verify"});
  ASSERT_EQ(online.exit_code, 0) << online.err;
  EXPECT_THAT(online.err, IsEmpty());
  EXPECT_THAT(online.out, StartsWith("intact: "));
  EXPECT_TRUE(ParseIntact(online.out).has_value()) << online.out;

  // An orderly shutdown signs the head; offline verification holds it.
  ASSERT_EQ(daemon_->Stop(), 0) << daemon_->Stderr();
  Result offline = OfflineVerify();
  ASSERT_EQ(offline.exit_code, 0) << offline.err;
  EXPECT_THAT(offline.err, IsEmpty());
  std::optional<Intact> intact = ParseIntact(offline.out);
  ASSERT_TRUE(intact.has_value()) << offline.out;
  EXPECT_EQ(intact->entries, intact->head_seq);
  EXPECT_THAT(intact->checkpoints, Ge(1));
  ASSERT_THAT(intact->head_seq, Gt(10));  // the truncation below must cut signed entries
  const std::string checkpoint =
      absl::StrCat("schakel-checkpoint v1 seq=", intact->head_seq, " head=", intact->head_hash);
  EXPECT_THAT(ReadFileOrDie(dir_ + "/audit-checkpoints"), HasSubstr(checkpoint));
  EXPECT_THAT(daemon_->Stderr(), HasSubstr(checkpoint));

  // An entry edited by someone with the key: verify names its sequence.
  // (Entries 1-8 are schakel-admin init's and all allowed already: setting
  // seq 5 to 'allowed' would leave it as it is, so it is set to 'denied'.)
  Tamper("UPDATE audit_log SET outcome='denied' WHERE seq=5");
  Result edited = OfflineVerify();
  EXPECT_NE(edited.exit_code, 0);
  EXPECT_THAT(edited.out, IsEmpty());
  EXPECT_EQ(std::count(edited.err.begin(), edited.err.end(), '\n'), 1) << edited.err;
  EXPECT_THAT(edited.err, ContainsRegex("seq 5[^0-9]")) << edited.err;

  // The tail cut off below the last signed checkpoint: schakeld refuses to
  // start, before it listens.
  Tamper("DELETE FROM audit_residents WHERE seq > 10; DELETE FROM audit_log WHERE seq > 10");
  Result truncated = OfflineVerify();
  EXPECT_NE(truncated.exit_code, 0);
  EXPECT_THAT(truncated.err, ContainsRegex("seq 5[^0-9]")) << truncated.err;  // still the first
  daemon_.reset();
  Daemon refused(dir_);
  EXPECT_THAT(refused.address(), IsEmpty()) << refused.banner();
  EXPECT_NE(refused.Stop(), 0);
  EXPECT_THAT(refused.Stderr(), HasSubstr("does not reach its last signed checkpoint"));
  EXPECT_THAT(refused.Stderr(), HasSubstr(absl::StrCat("(seq ", intact->head_seq, ")")));
}

TEST_F(AuditCliTest, BreakGlassSessionIsListedForTheAuditor) {
  std::string resident = RegisterResident("Yusuf Demir", "1983-12-30");
  ASSERT_FALSE(resident.empty());
  const std::string ggz_id = ProfessionalId("ggz");
  ASSERT_FALSE(ggz_id.empty());
  const std::string reason = "Acute zorg nodig: bewoner onbereikbaar, GGZ crisisdienst";

  std::string session =
      Create("ggz", {"breakglass", "open", "--resident", resident, "--reason", reason});
  ASSERT_FALSE(session.empty());

  // Too short a reason; a role without emergency access.
  EXPECT_THAT(Cli("ggz", {"breakglass", "open", "--resident", resident, "--reason",
                          "Acute zorg"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("reason")));
  EXPECT_THAT(Cli("partner-woej", {"breakglass", "open", "--resident", resident, "--reason",
                                   reason}),
              FailsWith("PERMISSION_DENIED", Not(IsEmpty())));

  v1::ListBreakGlassResponse list;
  ASSERT_TRUE(Json("auditor", {"audit", "breakglass"}, &list));
  // Only the one that was opened; the refused ones made no session.
  ASSERT_THAT(list.sessions(), SizeIs(1)) << list.DebugString();
  const v1::BreakGlassSession& s = list.sessions(0);
  EXPECT_EQ(s.id(), session);
  EXPECT_EQ(s.professional_id(), ggz_id);
  EXPECT_EQ(s.organisation_id(), "ggz-rivierduinen");
  EXPECT_EQ(s.resident_id(), resident);
  EXPECT_EQ(s.reason(), reason);
  // Sixty minutes of access.
  EXPECT_EQ(s.end_time().seconds() - s.start_time().seconds(), 60 * 60) << s.DebugString();

  // GGZ reads the resident under emergency access: the opening and the read
  // are in the resident's access report, both flagged as break-glass.
  Result read = Cli("ggz", {"resident", "show", resident});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  v1::ResidentAccessReportResponse report;
  ASSERT_TRUE(Json("auditor", {"audit", "resident-report", "--resident", resident}, &report));
  EXPECT_THAT(
      report.accesses(),
      Contains(AllOf(IsAccess(ggz_id, "ggz-rivierduinen", "ResidentService.OpenBreakGlass",
                              "allowed"),
                     Property(&v1::AuditEntry::resource_id, session),
                     Property(&v1::AuditEntry::break_glass, true))))
      << report.DebugString();
  EXPECT_THAT(report.accesses(),
              Contains(AllOf(IsAccess(ggz_id, "ggz-rivierduinen", "ResidentService.GetResident",
                                      "allowed"),
                             Property(&v1::AuditEntry::break_glass, true))))
      << report.DebugString();

  // Every session is an anomaly for the auditor to look at.
  v1::ListAnomaliesResponse anomalies;
  ASSERT_TRUE(Json("auditor", {"audit", "anomalies"}, &anomalies));
  EXPECT_THAT(anomalies.anomalies(),
              Contains(AllOf(Property(&v1::Anomaly::kind, v1::Anomaly::KIND_BREAK_GLASS),
                             Property(&v1::Anomaly::professional_id, ggz_id),
                             Property(&v1::Anomaly::detail, HasSubstr(session)))))
      << anomalies.DebugString();
}

// Issue 18, item 1, through the real binaries. Before: an offline DELETE FROM
// breakglass_sessions verified as intact.
TEST_F(AuditCliTest, OfflineVerifyNamesADeletedBreakGlassSessionAtItsOpeningEntry) {
  std::string resident = RegisterResident("Iris Mulder", "1990-05-05");
  ASSERT_FALSE(resident.empty());
  const std::string session =
      Create("ggz", {"breakglass", "open", "--resident", resident, "--reason",
                     "Acute zorg nodig: bewoner onbereikbaar, crisisdienst belt"});
  ASSERT_FALSE(session.empty());
  v1::QueryAuditResponse opened;
  ASSERT_TRUE(Json("auditor", {"audit", "query", "--action", "ResidentService.OpenBreakGlass"},
                   &opened));
  ASSERT_EQ(opened.entries_size(), 1) << opened.DebugString();
  const int64_t seq = opened.entries(0).seq();
  ASSERT_EQ(daemon_->Stop(), 0) << daemon_->Stderr();
  ASSERT_EQ(OfflineVerify().exit_code, 0);

  Tamper("DELETE FROM breakglass_sessions");
  Result deleted = OfflineVerify();
  EXPECT_EQ(deleted.exit_code, 4);
  EXPECT_THAT(deleted.out, IsEmpty());
  EXPECT_EQ(deleted.err,
            absl::StrCat("schakel-admin: audit log NOT INTACT at seq ", seq,
                         ": the break-glass session ", session, " that entry ", seq,
                         " opened is missing from breakglass_sessions (deleted: the auditor's "
                         "list and its anomaly lose it)\n"));
}

// Issue 18, item 3. Before: a checkpoint file with its last line removed
// verified as intact and started.
TEST_F(AuditCliTest, AShortenedCheckpointFileFailsOfflineVerifyAndTheDaemonRefusesIt) {
  ASSERT_FALSE(RegisterResident("Ruben Kok", "1988-08-08").empty());
  ASSERT_EQ(daemon_->Stop(), 0) << daemon_->Stderr();
  daemon_ = std::make_unique<Daemon>(dir_);
  ASSERT_FALSE(daemon_->address().empty()) << daemon_->banner();
  ASSERT_EQ(Cli("regisseur", {"whoami"}).exit_code, 0);
  ASSERT_EQ(daemon_->Stop(), 0) << daemon_->Stderr();
  const std::string path = dir_ + "/audit-checkpoints";
  std::string text = ReadFileOrDie(path);
  ASSERT_GE(std::count(text.begin(), text.end(), '\n'), 3) << text;
  text.pop_back();
  const std::string last = text.substr(text.rfind('\n') + 1);
  text.resize(text.rfind('\n') + 1);
  ASSERT_THAT(WriteFileDurably(path, text), IsOk());
  std::smatch m;
  ASSERT_TRUE(std::regex_search(last, m, std::regex("seq=([0-9]+) ")));
  const std::string lost = absl::StrCat(path, " lacks the checkpoint at seq ", m[1].str());

  Result shortened = OfflineVerify();
  EXPECT_EQ(shortened.exit_code, 4);
  EXPECT_THAT(shortened.err,
              StartsWith(absl::StrCat("schakel-admin: audit log NOT INTACT at seq ", m[1].str(),
                                      ": ", lost)));
  EXPECT_THAT(shortened.err, HasSubstr("or start schakeld once with --accept-checkpoint-loss\n"));
  daemon_.reset();
  Daemon refused(dir_);
  EXPECT_THAT(refused.address(), IsEmpty()) << refused.banner();
  EXPECT_NE(refused.Stop(), 0);
  EXPECT_THAT(refused.Stderr(), HasSubstr(lost));
}

TEST_F(AuditCliTest, ABackupTakenWhileServingRecordsItselfAndRestores) {
  std::string resident = RegisterResident("Fenna de Boer", "1979-12-12");
  ASSERT_FALSE(resident.empty());
  std::string file = tmp_.File("backup.bin");
  Result backup = RunCommand({Bin("schakel-admin"), "backup", "--deployment", dir_, "--to", file,
                              "--server", daemon_->address(), "--identity", Identity("admin")});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_THAT(backup.out, HasSubstr("audit head"));
  v1::QueryAuditResponse log;
  ASSERT_TRUE(Json("auditor", {"audit", "query", "--action", "AdminService.RecordBackup"}, &log));
  ASSERT_EQ(log.entries_size(), 1);
  EXPECT_EQ(log.entries(0).outcome(), "allowed");
  EXPECT_EQ(log.entries(0).resource_type(), "backup");
  EXPECT_EQ(log.entries(0).resource_id().size(), 64u);

  // A partner cannot record a backup: the file is removed again.
  std::string refused = tmp_.File("refused.bin");
  Result not_admin =
      RunCommand({Bin("schakel-admin"), "backup", "--deployment", dir_, "--to", refused,
                  "--server", daemon_->address(), "--identity", Identity("partner-woej")});
  EXPECT_NE(not_admin.exit_code, 0);
  EXPECT_THAT(not_admin.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_FALSE(PathExists(refused));

  // Restored elsewhere, with the key-encryption key from a file.
  std::string kek = tmp_.File("kek");
  std::filesystem::copy_file(absl::StrCat(dir_, "/demo-passphrase"), kek);
  std::string restored = tmp_.File("restored");
  Result restore = RunCommand({Bin("schakel-admin"), "restore", "--from", file, "--deployment",
                               restored, "--kek-file", kek});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  Result verify = RunCommand({Bin("schakel-admin"), "audit", "verify", "--deployment", restored});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("intact: "));
  Daemon restored_daemon(restored);
  ASSERT_FALSE(restored_daemon.address().empty()) << restored_daemon.Stderr();
  Result shown = RunCommand({Bin("schakel"), "--server", restored_daemon.address(), "--identity",
                             Identity("brugfunctionaris"), "resident", "show", resident});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("Fenna de Boer"));
  EXPECT_EQ(restored_daemon.Stop(), 0);
}

}  // namespace
}  // namespace schakel
