// What the auditor relies on besides the entries (issue 18, items 1 and 2):
// the break-glass sessions the chain commits to, and the resident index that
// a resident's access report is read through. Each test runs a real server
// on a demo deployment, damages the stopped deployment's SQLCipher file as
// someone holding the key would, and asserts the exact report.
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/privacy.grpc.pb.h"
#include "schakel/v1/residents.grpc.pb.h"
#include "server/audit/audit_store.h"
#include "server/audit/checkpoint.h"
#include "server/audit/verifier.h"
#include "server/common/clock.h"
#include "server/deployment/backup.h"
#include "server/deployment/deployment.h"
#include "server/deployment/keys.h"
#include "server/server.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_engine.h"
#include "tests/support/test_support.h"
#include "tests/support/transaction.h"

namespace schakel {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::LoadIdentity;
using ::schakel::testing::MakeChannel;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using Ctx = testing::CallContext;

constexpr char kReason[] = "Acute zorg nodig: bewoner onbereikbaar, crisisdienst belt";

class AuditCoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_ = testing::InitDemoDeployment(tmp_);
    kek_ = testing::DemoKek(*paths_);
    StartOn(paths_->dir);
  }

  void StartOn(const std::string& dir) {
    ServerOptions options;
    options.deployment_dir = dir;
    options.listen = "127.0.0.1:0";
    auto server = Server::Start(options);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(server).value();
  }

  // Starting the server on the deployment: what it answers.
  absl::Status StartStatus() {
    ServerOptions options;
    options.deployment_dir = paths_->dir;
    options.listen = "127.0.0.1:0";
    auto server = Server::Start(options);
    if (!server.ok()) return server.status();
    server_ = std::move(server).value();
    return absl::OkStatus();
  }

  void Stop() {
    if (server_ == nullptr) return;
    server_->Shutdown(absl::Seconds(2));
    server_.reset();
  }

  std::shared_ptr<grpc::Channel> As(const std::string& user) {
    return MakeChannel(server_->address(), LoadIdentity(paths_->UserDir(user)));
  }

  std::string RegisterResident(const std::string& request_id, const std::string& name) {
    auto residents = v1::ResidentService::NewStub(As("brugfunctionaris"));
    v1::RegisterResidentRequest reg;
    reg.set_request_id(request_id);
    reg.set_name(name);
    reg.set_birth_date("1984-04-04");
    reg.set_address("Straat 4");
    reg.set_wijk("prinsenhof");
    v1::RegisterResidentResponse out;
    Ctx ctx;
    grpc::Status s = residents->RegisterResident(ctx.get(), reg, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.id();
  }

  // ggz opens emergency access to `resident`; the session id.
  std::string OpenBreakGlass(const std::string& resident) {
    auto residents = v1::ResidentService::NewStub(As("ggz"));
    v1::OpenBreakGlassRequest req;
    req.set_resident_id(resident);
    req.set_reason(kReason);
    v1::OpenBreakGlassResponse out;
    Ctx ctx;
    grpc::Status s = residents->OpenBreakGlass(ctx.get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.id();
  }

  void GetResident(const std::string& user, const std::string& resident) {
    auto residents = v1::ResidentService::NewStub(As(user));
    v1::GetResidentRequest req;
    req.set_id(resident);
    v1::Resident out;
    Ctx ctx;
    grpc::Status s = residents->GetResident(ctx.get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  v1::ListBreakGlassResponse ListBreakGlass() {
    auto audit = v1::AuditService::NewStub(As("auditor"));
    v1::ListBreakGlassResponse out;
    Ctx ctx;
    grpc::Status s = audit->ListBreakGlass(ctx.get(), v1::ListBreakGlassRequest(), &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::unique_ptr<store::Database> OpenDb() {
    auto db = deployment::OpenDatabase(*paths_, kek_);
    EXPECT_THAT(db, IsOk());
    return std::move(db).value();
  }

  // One integer the query answers (0 when it answers nothing).
  int64_t QueryInt(const std::string& sql) { return testing::QueryInt(*OpenDb(), sql); }

  // As schakel-admin audit verify reports it, on each way of walking.
  audit::VerifyReport Verify() {
    auto db = OpenDb();
    auto checkpoints = audit::ReadCheckpoints(paths_->audit_checkpoints);
    EXPECT_THAT(checkpoints, IsOk());
    audit::VerifyReport first;
    int way = 0;
    for (audit::VerifyTuning tuning :
         {audit::VerifyTuning{}, audit::VerifyTuning{8, false, false},
          audit::VerifyTuning{8, true, true}}) {
      auto report = audit::VerifyChain(*db, *checkpoints,
                                       ReadFileOrDie(paths_->audit_public_key), std::nullopt,
                                       nullptr, tuning);
      EXPECT_THAT(report, IsOk());
      EXPECT_THAT(audit::CheckCheckpointFile(*db, *checkpoints, paths_->audit_checkpoints, *report),
                  IsOk());
      if (way++ == 0) {
        first = *report;
      } else {
        EXPECT_EQ(report->intact, first.intact) << "way " << way;
        EXPECT_EQ(report->first_bad_seq, first.first_bad_seq) << "way " << way;
        EXPECT_EQ(report->problem, first.problem) << "way " << way;
      }
    }
    return first;
  }

  // Runs `sql` on the stopped deployment's database with its owner's
  // rights.
  void Tamper(const std::string& sql) { testing::TamperWithStore(*paths_, kek_, sql); }

  // A resident, a break-glass session on them and a read under it, the
  // server stopped (its head signed). The session id; the opening entry's
  // seq in *opened.
  std::string SessionOpenedAndStopped(std::string* resident, int64_t* opened) {
    *resident = RegisterResident("req-cover-0001", "Mila Jansen");
    std::string session = OpenBreakGlass(*resident);
    GetResident("ggz", *resident);
    Stop();
    *opened = QueryInt(absl::StrCat(
        "SELECT seq FROM audit_log WHERE action = 'ResidentService.OpenBreakGlass' AND "
        "resource_id = '", session, "'"));
    EXPECT_GT(*opened, 0);
    audit::VerifyReport r = Verify();
    EXPECT_TRUE(r.intact) << r.problem;
    return session;
  }

  TempDir tmp_;
  std::unique_ptr<deployment::Paths> paths_;
  std::string kek_;
  std::unique_ptr<Server> server_;
};

TEST_F(AuditCoverTest, TheReasonIsStoredSealedAndTheAuditorReadsIt) {
  const std::string resident = RegisterResident("req-cover-0002", "Noah de Wit");
  const std::string session = OpenBreakGlass(resident);
  v1::ListBreakGlassResponse list = ListBreakGlass();
  ASSERT_EQ(list.sessions_size(), 1);
  EXPECT_EQ(list.sessions(0).id(), session);
  EXPECT_EQ(list.sessions(0).reason(), kReason);
  Stop();
  // Not in the clear in the row; its entry is of version 3 and commits to it.
  EXPECT_EQ(QueryInt(absl::StrCat("SELECT count(*) FROM breakglass_sessions WHERE id = '",
                                  session, "' AND reason = '' AND reason_sealed <> ''")),
            1);
  EXPECT_EQ(QueryInt(absl::StrCat("SELECT count(*) FROM audit_log WHERE resource_id = '", session,
                                  "' AND version = 3 AND length(session_commitment) = 64")),
            1);
}

// Before: an offline DELETE FROM breakglass_sessions emptied the auditor's
// list and its anomaly while verify said intact.
TEST_F(AuditCoverTest, ADeletedBreakGlassSessionIsFoundAtTheEntryThatOpenedIt) {
  std::string resident;
  int64_t opened = 0;
  const std::string session = SessionOpenedAndStopped(&resident, &opened);
  Tamper("DELETE FROM breakglass_sessions");
  audit::VerifyReport r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, opened);
  EXPECT_EQ(r.problem, absl::StrCat("the break-glass session ", session, " that entry ", opened,
                                    " opened is missing from breakglass_sessions (deleted: the "
                                    "auditor's list and its anomaly lose it)"));
  // The start check verifies the whole chain: the server refuses.
  EXPECT_THAT(StartStatus(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                      HasSubstr(absl::StrCat("the audit log is NOT INTACT at seq ",
                                                             opened, ": ", r.problem))));
}

// A session row nobody opened through the API grants emergency access that
// no entry records.
TEST_F(AuditCoverTest, ASessionInsertedOutsideTheApiIsFound) {
  std::string resident;
  int64_t opened = 0;
  SessionOpenedAndStopped(&resident, &opened);
  const int64_t head = QueryInt("SELECT max(seq) FROM audit_log");
  Tamper("INSERT INTO breakglass_sessions (id, professional_id, organisation_id, resident_id,"
         " reason, start_time, end_time, reason_sealed) SELECT 'bg-forged', professional_id,"
         " organisation_id, resident_id, 'ingevoegd', 1795424400000000, 1795428000000000, ''"
         " FROM breakglass_sessions");
  audit::VerifyReport r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, head + 1);
  EXPECT_THAT(r.problem, HasSubstr("the break-glass session bg-forged (professional "));
  EXPECT_THAT(r.problem, HasSubstr(absl::StrCat(", resident ", resident,
                                                ", from 2026-11-23T09:00:00+00:00) has no entry "
                                                "that opened it (inserted into "
                                                "breakglass_sessions outside the API)")));
}

// Before: Erase overwrote the reason with "[erased]". The real erasure keeps
// it; an offline overwrite (what Erase used to do) is found.
TEST_F(AuditCoverTest, ErasureKeepsTheReasonAndAnOverwrittenReasonIsFound) {
  const std::string resident = RegisterResident("req-cover-0003", "Sara Bos");
  const std::string session = OpenBreakGlass(resident);
  {
    auto privacy = v1::PrivacyService::NewStub(As("privacy"));
    v1::EraseRequest req;
    req.set_resident_id(resident);
    req.set_request_ref("AVG-2026-018");
    v1::EraseResponse out;
    Ctx ctx;
    grpc::Status s = privacy->Erase(ctx.get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::ListBreakGlassResponse list = ListBreakGlass();
  ASSERT_EQ(list.sessions_size(), 1);
  EXPECT_EQ(list.sessions(0).reason(), kReason);
  Stop();
  const int64_t opened = QueryInt(absl::StrCat(
      "SELECT seq FROM audit_log WHERE action = 'ResidentService.OpenBreakGlass' AND "
      "resource_id = '", session, "'"));
  ASSERT_GT(opened, 0);
  audit::VerifyReport intact = Verify();
  EXPECT_TRUE(intact.intact) << intact.problem;

  Tamper("UPDATE breakglass_sessions SET reason = '[erased]', reason_sealed = ''");
  audit::VerifyReport r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, opened);
  EXPECT_EQ(r.problem, absl::StrCat("the break-glass session ", session, " that entry ", opened,
                                    " opened differs from the entry's commitment (its reason, "
                                    "resident, professional or times were changed)"));
}

TEST_F(AuditCoverTest, ALengthenedSessionOrAMovedReasonIsFound) {
  std::string resident;
  int64_t opened = 0;
  const std::string session = SessionOpenedAndStopped(&resident, &opened);
  const std::string mismatch =
      absl::StrCat("the break-glass session ", session, " that entry ", opened,
                   " opened differs from the entry's commitment (its reason, resident, "
                   "professional or times were changed)");
  // A day more of emergency access.
  Tamper("UPDATE breakglass_sessions SET end_time = end_time + 86400000000");
  audit::VerifyReport r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, opened);
  EXPECT_EQ(r.problem, mismatch);
  Tamper("UPDATE breakglass_sessions SET end_time = end_time - 86400000000");
  EXPECT_TRUE(Verify().intact);
  // One byte of the sealed reason.
  Tamper("UPDATE breakglass_sessions SET reason_sealed = CASE WHEN substr(reason_sealed, 1, 1)"
         " = 'A' THEN 'B' ELSE 'A' END || substr(reason_sealed, 2)");
  r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, opened);
  EXPECT_EQ(r.problem, mismatch);
}

// The reason key is derived from the audit signing key: the reason opens
// after a restart, a database key rotation, and a backup restored into a new
// deployment (which also verifies, its published lines all in its file).
TEST_F(AuditCoverTest, TheReasonOpensAfterKeyRotationAndInARestoredBackup) {
  SCHAKEL_SQLCIPHER_ONLY("the file's key rotation and its backup");
  const std::string resident = RegisterResident("req-cover-0006", "Emma Peters");
  const std::string session = OpenBreakGlass(resident);
  Stop();
  ASSERT_THAT(deployment::RotateKey(*paths_, kek_), IsOk());
  StartOn(paths_->dir);
  v1::ListBreakGlassResponse rotated = ListBreakGlass();
  ASSERT_EQ(rotated.sessions_size(), 1);
  EXPECT_EQ(rotated.sessions(0).reason(), kReason);
  Stop();

  SystemClock clock;
  const std::string file = tmp_.File("backup.bin");
  ASSERT_THAT(deployment::CreateBackup(*paths_, kek_, file, clock), IsOk());
  config::KekSource source;
  source.set_environment(true);
  ::setenv(deployment::kKekEnvironmentVariable, kek_.c_str(), 1);
  const std::string restored_dir = tmp_.File("restored");
  ASSERT_THAT(deployment::RestoreBackup(file, restored_dir, kek_, source), IsOk());
  deployment::Paths restored(restored_dir);
  {
    auto db = deployment::OpenDatabase(restored, kek_);
    ASSERT_THAT(db, IsOk());
    auto checkpoints = audit::ReadCheckpoints(restored.audit_checkpoints);
    ASSERT_THAT(checkpoints, IsOk());
    auto report = audit::VerifyChain(**db, *checkpoints, ReadFileOrDie(restored.audit_public_key),
                                     std::nullopt);
    ASSERT_THAT(report, IsOk());
    ASSERT_THAT(audit::CheckCheckpointFile(**db, *checkpoints, restored.audit_checkpoints, *report),
                IsOk());
    EXPECT_TRUE(report->intact) << report->problem;
  }
  StartOn(restored_dir);
  v1::ListBreakGlassResponse again = ListBreakGlass();
  ASSERT_EQ(again.sessions_size(), 1);
  EXPECT_EQ(again.sessions(0).id(), session);
  EXPECT_EQ(again.sessions(0).reason(), kReason);
}

// Before: deleting index rows offline dropped entries from a resident's
// access report while verify said intact.
TEST_F(AuditCoverTest, DeletedIndexRowsAreFoundAtTheFirstEntryTheyBelongTo) {
  const std::string resident = RegisterResident("req-cover-0004", "Daan Smit");
  GetResident("brugfunctionaris", resident);
  GetResident("brugfunctionaris", resident);
  Stop();
  const int64_t first = QueryInt(
      absl::StrCat("SELECT min(seq) FROM audit_log WHERE residents = '", resident, "'"));
  const int64_t rows = QueryInt(
      absl::StrCat("SELECT count(*) FROM audit_residents WHERE resident_id = '", resident, "'"));
  ASSERT_GT(first, 0);
  ASSERT_GE(rows, 3);
  ASSERT_TRUE(Verify().intact);
  // The later ones only: the first bad entry is the first whose row is gone.
  const int64_t second = QueryInt(absl::StrCat(
      "SELECT min(seq) FROM audit_log WHERE residents = '", resident, "' AND seq > ", first));
  Tamper(absl::StrCat("DELETE FROM audit_residents WHERE resident_id = '", resident,
                      "' AND seq > ", first));
  audit::VerifyReport r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, second);
  EXPECT_EQ(r.problem,
            absl::StrCat("the resident index lacks the row (seq ", second, ", resident ", resident,
                         ") of an entry that concerns the resident (deleted from audit_residents: "
                         "the resident's access report leaves the entry out)"));
  EXPECT_THAT(StartStatus(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                      HasSubstr(absl::StrCat("the audit log is NOT INTACT at seq ",
                                                             second, ": ", r.problem))));
}

TEST_F(AuditCoverTest, AnIndexRowAddedToAnEntryIsFound) {
  const std::string resident = RegisterResident("req-cover-0005", "Lotte Visser");
  Stop();
  ASSERT_TRUE(Verify().intact);
  // Entry 2 is one of init's: it concerns no resident.
  Tamper(absl::StrCat("INSERT INTO audit_residents (resident_id, seq) VALUES ('", resident,
                      "', 2)"));
  audit::VerifyReport r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, 2);
  EXPECT_EQ(r.problem, absl::StrCat("the resident index holds a row (seq 2, resident ", resident,
                                    ") that the entry does not concern (added to "
                                    "audit_residents)"));
}

}  // namespace
}  // namespace schakel
