// The audit log on a real deployment: tampering found by verify, refusal to
// start on a rolled-back database, fail-closed auditing, and no personal
// text in the log.
#include <atomic>
#include <filesystem>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/residents.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "server/audit/audit_store.h"
#include "server/audit/break_glass.h"
#include "server/audit/checkpoint.h"
#include "server/audit/verifier.h"
#include "server/common/files.h"
#include "server/deployment/deployment.h"
#include "server/deployment/init.h"
#include "server/server.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_support.h"
#include "tests/support/test_engine.h"

namespace schakel {
namespace {

// `init --demo` records one entry per demo professional.
int InitEntries() { return static_cast<int>(deployment::DemoUsers().size()); }

using ::schakel::testing::IsOk;
using ::schakel::testing::LoadIdentity;
using ::schakel::testing::MakeChannel;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TempDir;
using ::testing::HasSubstr;

using Ctx = testing::CallContext;

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_ = testing::InitDemoDeployment(tmp_);
    kek_ = testing::DemoKek(*paths_);
  }

  absl::Status Start(std::function<absl::Status()> fault = nullptr) {
    ServerOptions options;
    options.deployment_dir = paths_->dir;
    options.listen = "127.0.0.1:0";
    options.audit_fault_for_testing = std::move(fault);
    auto server = Server::Start(options);
    if (!server.ok()) return server.status();
    server_ = std::move(server).value();
    return absl::OkStatus();
  }
  void Stop() {
    server_->Shutdown(absl::Seconds(2));
    server_.reset();
  }

  std::shared_ptr<grpc::Channel> As(const std::string& user) {
    return MakeChannel(server_->address(), LoadIdentity(paths_->UserDir(user)));
  }

  // `n` WhoAmI calls: n audit entries.
  void Reads(int n) {
    auto stub = v1::DirectoryService::NewStub(As("regisseur"));
    for (int i = 0; i < n; ++i) {
      Ctx ctx;
      v1::WhoAmIResponse out;
      ASSERT_TRUE(stub->WhoAmI(ctx.get(), v1::WhoAmIRequest(), &out).ok());
    }
  }

  std::unique_ptr<store::Database> OpenDb() {
    auto db = deployment::OpenDatabase(*paths_, kek_);
    EXPECT_THAT(db, IsOk());
    return std::move(db).value();
  }

  audit::VerifyReport Verify() {
    auto db = OpenDb();
    auto checkpoints = audit::ReadCheckpoints(paths_->audit_checkpoints);
    EXPECT_THAT(checkpoints, IsOk());
    auto report =
        audit::VerifyChain(*db, *checkpoints, ReadFileOrDie(paths_->audit_public_key), std::nullopt);
    EXPECT_THAT(report, IsOk());
    return *report;
  }

  void Tamper(const std::string& sql) { testing::TamperWithStore(*paths_, kek_, sql); }

  // A deployment with the init entries and 30 reads, checkpointed at its
  // head, InitEntries() + 30.
  void Populate() {
    ASSERT_THAT(Start(), IsOk());
    Reads(30);
    Stop();
    ASSERT_TRUE(Verify().intact);
    ASSERT_EQ(Verify().head.seq, InitEntries() + 30);
  }

  TempDir tmp_;
  std::unique_ptr<deployment::Paths> paths_;
  std::string kek_;
  std::unique_ptr<Server> server_;
};

constexpr char kColumnsButSeq[] =
    "time, professional_id, organisation_id, roles, certificate, action, resource_type,"
    " resource_id, residents, outcome, reason, purpose, break_glass, request_id, peer,"
    " prev_hash, hash";

TEST_F(AuditTest, AnEditedEntryIsFoundAtItsSequence) {
  Populate();
  Tamper("UPDATE audit_log SET outcome = 'denied' WHERE seq = 17");
  audit::VerifyReport r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, 17);
  EXPECT_THAT(r.problem, HasSubstr("altered"));
}

TEST_F(AuditTest, ADeletedEntryIsFoundAtItsSequence) {
  Populate();
  Tamper("DELETE FROM audit_log WHERE seq = 12");
  audit::VerifyReport r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, 12);
  EXPECT_THAT(r.problem, HasSubstr("missing"));
}

TEST_F(AuditTest, TwoSwappedEntriesAreFoundAtTheFirst) {
  Populate();
  Tamper(absl::StrCat(
      "CREATE TEMP TABLE a AS SELECT * FROM audit_log WHERE seq = 20;"
      "CREATE TEMP TABLE b AS SELECT * FROM audit_log WHERE seq = 21;"
      "DELETE FROM audit_log WHERE seq IN (20, 21);"
      "INSERT INTO audit_log (seq, ", kColumnsButSeq, ") SELECT 20, ", kColumnsButSeq, " FROM b;"
      "INSERT INTO audit_log (seq, ", kColumnsButSeq, ") SELECT 21, ", kColumnsButSeq, " FROM a;"));
  audit::VerifyReport r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, 20);
}

TEST_F(AuditTest, ATruncatedTailIsFoundAfterTheLastKeptEntry) {
  Populate();
  Tamper("DELETE FROM audit_log WHERE seq > 30");
  audit::VerifyReport r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, 31);
  EXPECT_THAT(r.problem,
              HasSubstr(absl::StrCat("before the signed checkpoint at ", InitEntries() + 30)));
}

// The ways of walking the log: one thread, or reading and hashing on two
// threads, with batches small enough that the test's ~40 entries cross
// several batch boundaries, and the default.
std::vector<audit::VerifyTuning> Tunings() {
  return {audit::VerifyTuning{1, false, false}, audit::VerifyTuning{8, false, false},
          audit::VerifyTuning{1, true, false},  audit::VerifyTuning{8, true, false},
          audit::VerifyTuning{1, false, true},  audit::VerifyTuning{8, false, true},
          audit::VerifyTuning{}};
}

std::string TuningName(const audit::VerifyTuning& t) {
  return absl::StrCat(t.batch_entries, t.two_halves ? " halves" : t.second_thread ? " two" : " one");
}

TEST_F(AuditTest, EveryWayOfWalkingFindsTheFirstBadEntryInAndAroundABatch) {
  Populate();
  const int last = InitEntries() + 30;
  ASSERT_GT(last, 32);
  // With batches of 8: 12 is inside a batch, 16 ends one, 17 starts the
  // next, `last` ends the log.
  for (int seq : {12, 16, 17, last}) {
    SCOPED_TRACE(seq);
    Tamper(absl::StrCat("UPDATE audit_log SET purpose = purpose || 'x' WHERE seq = ", seq));
    for (const audit::VerifyTuning& tuning : Tunings()) {
      SCOPED_TRACE(TuningName(tuning));
      auto db = OpenDb();
      auto checkpoints = audit::ReadCheckpoints(paths_->audit_checkpoints);
      ASSERT_THAT(checkpoints, IsOk());
      auto r = audit::VerifyChain(*db, *checkpoints, ReadFileOrDie(paths_->audit_public_key),
                                  std::nullopt, nullptr, tuning);
      ASSERT_THAT(r, IsOk());
      EXPECT_FALSE(r->intact);
      EXPECT_EQ(r->first_bad_seq, seq);
      EXPECT_EQ(r->problem, absl::StrCat("entry ", seq, " was altered (its hash does not match)"));
      EXPECT_EQ(r->entries, last);
      EXPECT_EQ(r->head.seq, last);
    }
    Tamper(absl::StrCat(
        "UPDATE audit_log SET purpose = substr(purpose, 1, length(purpose) - 1) WHERE seq = ",
        seq));
    ASSERT_TRUE(Verify().intact);
  }
}

TEST_F(AuditTest, EveryWayOfWalkingFindsABrokenLinkAndAGapAtABatchBoundary) {
  Populate();
  Tamper("UPDATE audit_log SET prev_hash = hash WHERE seq = 13");
  Tamper("DELETE FROM audit_log WHERE seq = 25");  // the first of a batch of 8
  for (const audit::VerifyTuning& tuning : Tunings()) {
    SCOPED_TRACE(TuningName(tuning));
    auto db = OpenDb();
    auto r = audit::VerifyChain(*db, {}, ReadFileOrDie(paths_->audit_public_key), std::nullopt,
                                nullptr, tuning);
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(r->first_bad_seq, 13);
    EXPECT_EQ(r->problem, "entry 13 does not link to the entry before it");
  }
  Tamper("UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE seq = 12)"
         " WHERE seq = 13");
  for (const audit::VerifyTuning& tuning : Tunings()) {
    auto db = OpenDb();
    auto r = audit::VerifyChain(*db, {}, ReadFileOrDie(paths_->audit_public_key), std::nullopt,
                                nullptr, tuning);
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(r->first_bad_seq, 25);
    EXPECT_EQ(r->problem, "entry 25 is missing (the next is 26)");
    EXPECT_EQ(r->entries, InitEntries() + 30 - 1);
  }
}

TEST_F(AuditTest, EveryWayOfWalkingGivesTheSameReportForAnIntactLog) {
  Populate();
  auto db = OpenDb();
  auto head = audit::ReadHead(*db);
  ASSERT_THAT(head, IsOk());
  auto checkpoints = audit::ReadCheckpoints(paths_->audit_checkpoints);
  ASSERT_THAT(checkpoints, IsOk());
  for (const audit::VerifyTuning& tuning : Tunings()) {
    auto r = audit::VerifyChain(*db, *checkpoints, ReadFileOrDie(paths_->audit_public_key),
                                audit::ExpectedHead{head->seq, head->hash}, nullptr, tuning);
    ASSERT_THAT(r, IsOk());
    EXPECT_TRUE(r->intact) << r->problem;
    EXPECT_EQ(r->entries, head->seq);
    EXPECT_EQ(r->head.seq, head->seq);
    EXPECT_EQ(r->head.hash, head->hash);
    EXPECT_EQ(r->checkpoints, static_cast<int>(checkpoints->size()));
  }
}

TEST_F(AuditTest, AStoppedVerifyStopsBeforeTheNextEntryOnEveryWayOfWalking) {
  Populate();
  auto db = OpenDb();
  for (const audit::VerifyTuning& tuning : Tunings()) {
    SCOPED_TRACE(TuningName(tuning));
    std::atomic<int> asked{0};
    auto r = audit::VerifyChain(
        *db, {}, ReadFileOrDie(paths_->audit_public_key), std::nullopt,
        [&asked]() -> absl::Status {
          return ++asked > 10 ? absl::CancelledError("the request was cancelled")
                              : absl::OkStatus();
        },
        tuning);
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kCancelled, HasSubstr("cancelled")));
    if (tuning.two_halves) {
      // Each half asks before its entries and stops at its first "stop".
      EXPECT_GE(asked.load(), 11);
      EXPECT_LE(asked.load(), 12);
    } else {
      EXPECT_EQ(asked.load(), 11);  // once before each of 10 entries, then no more
    }
  }
}

// Where the two halves meet: every kind of damage at the boundary gives the
// report one walk in order gives.
TEST_F(AuditTest, TwoHalvesReportDamageAtTheirBoundaryExactlyAsOneWalk) {
  SCHAKEL_SQLCIPHER_ONLY("each case starts from a copy of the file");
  Populate();
  std::optional<std::pair<int64_t, int64_t>> range;
  {
    auto db = OpenDb();
    auto r = audit::EntrySeqRange(*db);
    ASSERT_THAT(r, IsOk());
    range = *r;
  }
  ASSERT_TRUE(range.has_value());
  const int64_t mid = range->first + (range->second - range->first + 1) / 2;
  const std::string at_mid = absl::StrCat(" WHERE seq = ", mid);
  const std::string before_mid = absl::StrCat(" WHERE seq = ", mid - 1);
  struct Damage {
    std::string name, sql;
  };
  const std::vector<Damage> damages = {
      {"altered at mid", "UPDATE audit_log SET purpose = purpose || 'x'" + at_mid},
      {"altered before mid", "UPDATE audit_log SET purpose = purpose || 'x'" + before_mid},
      {"link broken at mid", "UPDATE audit_log SET prev_hash = hash" + at_mid},
      {"missing at mid", "DELETE FROM audit_log" + at_mid},
      {"missing before mid", "DELETE FROM audit_log" + before_mid},
  };
  const std::string key = ReadFileOrDie(paths_->audit_public_key);
  // The undamaged log, to start each case from (no connection is open, so
  // the WAL was folded into the file when the last one closed).
  namespace fs = std::filesystem;
  const std::string pristine = paths_->database + ".pristine";
  fs::copy_file(paths_->database, pristine, fs::copy_options::overwrite_existing);
  for (const Damage& d : damages) {
    SCOPED_TRACE(d.name);
    fs::remove(paths_->database + "-wal");
    fs::remove(paths_->database + "-shm");
    fs::copy_file(pristine, paths_->database, fs::copy_options::overwrite_existing);
    Tamper(d.sql);
    auto db = OpenDb();
    auto one = audit::VerifyChain(*db, {}, key, std::nullopt, nullptr,
                                  audit::VerifyTuning{1, false, false});
    auto halves = audit::VerifyChain(*db, {}, key, std::nullopt, nullptr,
                                     audit::VerifyTuning{1, false, true});
    ASSERT_THAT(one, IsOk());
    ASSERT_THAT(halves, IsOk());
    EXPECT_FALSE(one->intact);
    EXPECT_EQ(halves->intact, one->intact);
    EXPECT_EQ(halves->first_bad_seq, one->first_bad_seq);
    EXPECT_EQ(halves->problem, one->problem);
    EXPECT_EQ(halves->entries, one->entries);
    EXPECT_EQ(halves->head.seq, one->head.seq);
    EXPECT_EQ(halves->head.hash, one->head.hash);
  }
}

// The canonical encoding pinned to bytes written out by hand from FORMAT.md,
// and its SHA-256 computed elsewhere (Python's hashlib): the hashes of
// existing logs depend on every byte.
TEST(AuditEntryTest, TheCanonicalEncodingAndHashAreExactlyAsWrittenDown) {
  audit::Entry e;
  e.seq = 7;
  e.time = absl::FromUnixMicros(1700000000123456);
  e.professional_id = "p1";
  e.organisation_id = "o1";
  e.roles = "regisseur,ggz";
  e.certificate = "ab";
  e.action = "SignalService.GetSignal";
  e.resource_type = "signal";
  e.resource_id = "s1";
  e.residents = {"r1", "r2"};
  e.outcome = "allowed";
  e.purpose = "care coordination";
  e.break_glass = true;
  e.peer = "ipv4:127.0.0.1:5";
  e.prev_hash = audit::GenesisHash();
  const std::string common =
      "1:7\n16:1700000000123456\n2:p1\n2:o1\n13:regisseur,ggz\n2:ab\n"
      "23:SignalService.GetSignal\n6:signal\n2:s1\n5:r1,r2\n7:allowed\n0:\n"
      "17:care coordination\n1:1\n0:\n16:ipv4:127.0.0.1:5\n";
  const std::string zeros = "64:" + std::string(64, '0') + "\n";
  // Version 3, what every entry is written in now: privacy_request and
  // session_commitment always present.
  EXPECT_EQ(e.version, audit::kEntryVersion);
  EXPECT_EQ(audit::CanonicalEncoding(e), "schakel-audit-v3\n" + common + "0:\n0:\n" + zeros);
  EXPECT_EQ(audit::ChainHash(e), "c4fe0793672a0a6b29fd070c639c46ffdadd2d9bc2fa4c3afcfa130bebe5a321");
  e.privacy_request = "AVG-2026-001";
  for (int i = 0; i < 32; ++i) e.session_commitment += "ab";
  EXPECT_EQ(audit::CanonicalEncoding(e),
            "schakel-audit-v3\n" + common + "12:AVG-2026-001\n64:" + e.session_commitment + "\n" +
                zeros);
  EXPECT_EQ(audit::ChainHash(e), "01a8e4dc2026c2b071a3563c124ed2c39ac01a12a7c203458bf0680592654709");
  // Versions 1 and 2, as entries written before version 3 are read back
  // (their rows store version 0): byte for byte as before.
  e.version = audit::kLegacyVersion;
  e.session_commitment.clear();
  e.privacy_request.clear();
  EXPECT_EQ(audit::CanonicalEncoding(e), "schakel-audit-v1\n" + common + zeros);
  EXPECT_EQ(audit::ChainHash(e), "9b5870d80f4af38cd93eb3746a527dabc3ddae79a1904b09d512e9188509c3af");
  e.privacy_request = "AVG-2026-001";
  EXPECT_EQ(audit::CanonicalEncoding(e), "schakel-audit-v2\n" + common + "12:AVG-2026-001\n" + zeros);
  EXPECT_EQ(audit::ChainHash(e), "e1e6db6a8bd968e8b80e014cb1ff92417f5b8e7c4dd2c41a853869820fc4096d");
}

// The session commitment of FORMAT.md, "Break-glass sessions", pinned the
// same way.
TEST(AuditEntryTest, TheBreakGlassCommitmentIsExactlyAsWrittenDown) {
  audit::BreakGlassSession s;
  s.id = "bg-1";
  s.professional_id = "p1";
  s.organisation_id = "o1";
  s.resident_id = "r1";
  s.reason = "not part of the commitment: only its sealed bytes are";
  s.start_time = absl::FromUnixMicros(1700000000000000);
  s.end_time = absl::FromUnixMicros(1700003600000000);
  for (int i = 0; i < 40; ++i) s.sealed_reason.push_back(static_cast<char>(i));
  EXPECT_EQ(audit::SessionCommitment(s),
            "99363f86f9cd33b96d7b4af4d1f31ea88029d3eb094210098e07e3052ad4c73a");
}

TEST_F(AuditTest, AnOlderCopyOfTheDatabaseIsFoundAndRefusedAtStart) {
  SCHAKEL_SQLCIPHER_ONLY("an older copy of the file put back");
  ASSERT_THAT(Start(), IsOk());
  Reads(5);
  Stop();  // checkpoint at InitEntries() + 5
  std::string backup = tmp_.File("old.db");
  std::filesystem::copy_file(paths_->database, backup);
  ASSERT_THAT(Start(), IsOk());
  Reads(10);
  Stop();  // checkpoint at InitEntries() + 15
  std::filesystem::remove(paths_->database + "-wal");
  std::filesystem::remove(paths_->database + "-shm");
  std::filesystem::copy_file(backup, paths_->database,
                             std::filesystem::copy_options::overwrite_existing);
  audit::VerifyReport r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, InitEntries() + 6);
  EXPECT_THAT(Start(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr(absl::StrCat("does not reach its last signed checkpoint (seq ",
                                                       InitEntries() + 15, ")"))));
}

TEST_F(AuditTest, AnExpectedHeadRecordedEarlierMustStillHold) {
  Populate();
  auto db = OpenDb();
  auto head = audit::ReadHead(*db);
  ASSERT_THAT(head, IsOk());
  db.reset();
  Tamper(absl::StrCat("UPDATE audit_log SET purpose = 'x' WHERE seq = ", InitEntries() + 30));
  auto db2 = OpenDb();
  auto report = audit::VerifyChain(*db2, {}, ReadFileOrDie(paths_->audit_public_key),
                                   audit::ExpectedHead{head->seq, head->hash});
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_bad_seq, InitEntries() + 30);
}

TEST_F(AuditTest, WhenAuditWritesFailAChangeChangesNothingAndAReadReturnsNothing) {
  std::atomic<bool> broken{false};
  ASSERT_THAT(Start([&broken] {
                return broken ? absl::UnavailableError("disk broken") : absl::OkStatus();
              }),
              IsOk());
  auto signals = v1::SignalService::NewStub(As("brugfunctionaris"));
  v1::CreateSignalRequest create;
  create.set_request_id("req-failclosed-1");
  create.set_category("JO-ARMOEDE");
  create.set_wijk("prinsenhof");
  create.set_place("School");
  create.set_description("Beschrijving");
  v1::Signal existing;
  {
    Ctx ctx;
    ASSERT_TRUE(signals->CreateSignal(ctx.get(), create, &existing).ok());
  }
  broken = true;
  create.set_request_id("req-failclosed-2");
  v1::Signal out;
  {
    Ctx ctx;
    grpc::Status s = signals->CreateSignal(ctx.get(), create, &out);
    EXPECT_FALSE(s.ok());
    EXPECT_TRUE(out.id().empty());
  }
  v1::GetSignalRequest get;
  get.set_id(existing.id());
  {
    Ctx ctx;
    v1::Signal read;
    grpc::Status s = signals->GetSignal(ctx.get(), get, &read);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_THAT(s.error_message(), HasSubstr("could not be recorded"));
    EXPECT_TRUE(read.id().empty());
  }
  {
    Ctx ctx;
    v1::ListSignalsResponse list;
    EXPECT_EQ(signals->ListSignals(ctx.get(), v1::ListSignalsRequest(), &list).error_code(),
              grpc::StatusCode::UNAVAILABLE);
    EXPECT_EQ(list.signals_size(), 0);
  }
  broken = false;
  {
    Ctx ctx;
    v1::ListSignalsResponse list;
    ASSERT_TRUE(signals->ListSignals(ctx.get(), v1::ListSignalsRequest(), &list).ok());
    ASSERT_EQ(list.signals_size(), 1);  // the failed create left nothing
    EXPECT_EQ(list.signals(0).id(), existing.id());
  }
  Stop();
  EXPECT_TRUE(Verify().intact);
}

TEST_F(AuditTest, EveryRequestAndDenialIsRecordedWithoutPersonalText) {
  ASSERT_THAT(Start(), IsOk());
  const std::string marker = "MARKERTEXT-7Q2Z";
  auto residents = v1::ResidentService::NewStub(As("brugfunctionaris"));
  v1::RegisterResidentRequest reg;
  reg.set_request_id("req-marker-0001");
  reg.set_name(marker + " Naam");
  reg.set_birth_date("1980-01-01");
  reg.set_address(marker + " Straat 1");
  reg.set_wijk("prinsenhof");
  v1::RegisterResidentResponse registered;
  {
    Ctx ctx;
    ASSERT_TRUE(residents->RegisterResident(ctx.get(), reg, &registered).ok());
  }
  auto signals = v1::SignalService::NewStub(As("brugfunctionaris"));
  v1::CreateSignalRequest create;
  create.set_request_id("req-marker-0002");
  create.set_category("JO-ARMOEDE");
  create.set_wijk("prinsenhof");
  create.set_place(marker + " plein");
  create.set_description(marker + " beschrijving");
  create.set_resident_id(registered.id());
  v1::Signal signal;
  {
    Ctx ctx;
    ASSERT_TRUE(signals->CreateSignal(ctx.get(), create, &signal).ok());
  }
  v1::AddSignalNoteRequest note;
  note.set_request_id("req-marker-0003");
  note.set_signal_id(signal.id());
  note.set_text(marker + " notitie");
  {
    Ctx ctx;
    v1::Note n;
    ASSERT_TRUE(signals->AddSignalNote(ctx.get(), note, &n).ok());
  }
  // A denial: the auditor asks for case data.
  {
    auto denied = v1::SignalService::NewStub(As("auditor"));
    Ctx ctx;
    v1::GetSignalRequest get;
    get.set_id(signal.id());
    v1::Signal s;
    EXPECT_EQ(denied->GetSignal(ctx.get(), get, &s).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  // The auditor finds the resident's accesses, the denial included.
  auto audit_stub = v1::AuditService::NewStub(As("auditor"));
  v1::ResidentAccessReportRequest report_req;
  report_req.set_resident_id(registered.id());
  v1::ResidentAccessReportResponse report;
  {
    Ctx ctx;
    ASSERT_TRUE(audit_stub->ResidentAccessReport(ctx.get(), report_req, &report).ok());
  }
  std::vector<std::string> actions;
  for (const auto& a : report.accesses()) actions.push_back(a.action() + "/" + a.outcome());
  EXPECT_THAT(actions, ::testing::IsSupersetOf({"ResidentService.RegisterResident/allowed",
                                                "SignalService.CreateSignal/allowed",
                                                "SignalService.AddSignalNote/allowed"}));
  v1::QueryAuditRequest denials;
  denials.set_outcome("denied");
  v1::QueryAuditResponse denied;
  {
    Ctx ctx;
    ASSERT_TRUE(audit_stub->QueryAudit(ctx.get(), denials, &denied).ok());
  }
  ASSERT_EQ(denied.entries_size(), 1);
  EXPECT_EQ(denied.entries(0).action(), "SignalService.GetSignal");
  EXPECT_EQ(denied.entries(0).resource_id(), signal.id());
  EXPECT_THAT(denied.entries(0).reason(), HasSubstr("PERMISSION_DENIED"));
  Stop();

  // Nothing of the marker in any column of the audit tables.
  auto db = OpenDb();
  int rows = 0;
  ASSERT_THAT(audit::ForEachEntry(*db,
                                  [&](const audit::Entry& e) {
                                    ++rows;
                                    EXPECT_EQ(audit::CanonicalEncoding(e).find("MARKERTEXT"),
                                              std::string::npos)
                                        << e.seq;
                                    return absl::OkStatus();
                                  }),
              IsOk());
  EXPECT_GT(rows, 8);
}

TEST_F(AuditTest, AGenuineCheckpointInstalledAsAnchorAfterDeletingEntriesIsFound) {
  ASSERT_THAT(Start(), IsOk());
  Reads(5);
  Stop();  // checkpoint at InitEntries() + 5
  ASSERT_THAT(Start(), IsOk());
  Reads(10);
  Stop();  // checkpoint at InitEntries() + 15
  ASSERT_TRUE(Verify().intact);
  auto checkpoints = audit::ReadCheckpoints(paths_->audit_checkpoints);
  ASSERT_THAT(checkpoints, IsOk());
  const audit::Checkpoint* mid = nullptr;
  for (const audit::Checkpoint& c : *checkpoints) {
    if (c.seq == InitEntries() + 5) mid = &c;
  }
  ASSERT_NE(mid, nullptr);
  // Someone holding the database key removes the first entries and makes
  // the genuine, validly signed checkpoint the chain's anchor.
  const int64_t k = mid->seq;
  Tamper(absl::StrCat("DELETE FROM audit_residents WHERE seq <= ", k, ";",
                      "DELETE FROM audit_log WHERE seq <= ", k, ";",
                      "INSERT INTO audit_anchor (id, seq, head, time, signature) VALUES (1, ", k,
                      ", '", mid->head, "', ", absl::ToUnixMicros(mid->time), ", '",
                      absl::Base64Escape(mid->signature), "');"));
  audit::VerifyReport r = Verify();
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.first_bad_seq, k + 1);
  EXPECT_THAT(r.problem, HasSubstr("no signed purge record"));
  EXPECT_THAT(Start(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr("no signed purge record")));
}

}  // namespace
}  // namespace schakel
