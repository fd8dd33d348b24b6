// Residents' rights and retention through a real server: export
// completeness, rectification history, erasure that leaves no trace of the
// name in the decrypted database file (every page, and the WAL) while the
// audit chain still verifies, refusals of every other role, and the
// retention job's boundaries under the injected clock.
#include <openssl/evp.h>

#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "absl/strings/match.h"
#include "schakel/v1/privacy.grpc.pb.h"
#include "server/app/privacy_app.h"
#include "server/audit/audit_log.h"
#include "server/audit/verifier.h"
#include "server/common/files.h"
#include "server/deployment/init.h"
#include "server/store/privacy_store.h"
#include "tests/integration/case_fixture.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_engine.h"
#include "tests/support/transaction.h"

namespace schakel::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kPageSize = 4096;
// SQLCipher 3: a 16-byte IV and a 20-byte HMAC-SHA1 per page, rounded up
// to the AES block: 48 reserved bytes at the end of every page.
constexpr int kReserve = 48;

// One page decrypted with the raw database key (AES-256-CBC, the IV stored
// in the page's reserved bytes). Page 1 starts with the 16-byte salt.
std::string DecryptPage(const std::string& key, const char* page, bool first) {
  const int offset = first ? 16 : 0;
  const int length = kPageSize - kReserve - offset;
  std::string out(static_cast<size_t>(length), '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int n = 0, m = 0;
  EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr,
                     reinterpret_cast<const unsigned char*>(key.data()),
                     reinterpret_cast<const unsigned char*>(page + kPageSize - kReserve));
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n,
                    reinterpret_cast<const unsigned char*>(page + offset), length);
  EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &m);
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

// The database's files are read while this process has them open: through
// another process, so that this one keeps its locks.
std::string ReadAll(const std::string& path) {
  if (!std::filesystem::exists(path)) return "";
  return testing::ReadFileFromAnotherProcess(path);
}

// Every page of the database file and every frame of its WAL, decrypted
// and concatenated: what anyone with the key could read from the disk,
// including free pages and old page versions.
std::string DecryptedFile(const std::string& db_path, const std::string& key, int* pages) {
  std::string plain;
  std::string file = ReadAll(db_path);
  *pages = 0;
  for (size_t at = 0; at + kPageSize <= file.size(); at += kPageSize) {
    plain += DecryptPage(key, file.data() + at, at == 0);
    ++*pages;
  }
  std::string wal = ReadAll(db_path + "-wal");
  // 32-byte WAL header; frames of a 24-byte header and one page.
  for (size_t at = 32; at + 24 + kPageSize <= wal.size(); at += 24 + kPageSize) {
    const unsigned char* h = reinterpret_cast<const unsigned char*>(wal.data() + at);
    uint32_t page_no = (h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3];
    plain += DecryptPage(key, wal.data() + at + 24, page_no == 1);
    ++*pages;
  }
  return plain;
}

class PrivacyTest : public CasesTest {
 protected:
  std::unique_ptr<v1::PrivacyService::Stub> Privacy(const std::string& user) {
    return v1::PrivacyService::NewStub(Who(user).channel);
  }

  v1::PrivacyExportResponse Export(const std::string& resident, grpc::Status* status = nullptr) {
    v1::PrivacyExportRequest req;
    req.set_resident_id(resident);
    req.set_request_ref("AVG-2026-0042");
    v1::PrivacyExportResponse out;
    Ctx ctx;
    grpc::Status s = Privacy("privacy")->Export(&ctx, req, &out);
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    return out;
  }

  grpc::Status Erase(const std::string& resident, v1::EraseResponse* out,
                     const std::string& user = "privacy") {
    v1::EraseRequest req;
    req.set_resident_id(resident);
    req.set_request_ref("AVG-2026-0043");
    Ctx ctx;
    return Privacy(user)->Erase(&ctx, req, out);
  }

  grpc::Status Hold(const std::string& resident, bool held, const std::string& user = "privacy") {
    v1::LegalHoldRequest req;
    req.set_resident_id(resident);
    req.set_request_ref("AVG-2026-0044");
    v1::LegalHoldResponse out;
    Ctx ctx;
    auto stub = Privacy(user);
    return held ? stub->Hold(&ctx, req, &out) : stub->Release(&ctx, req, &out);
  }

  v1::Note SignalNote(As& who, const std::string& signal, const std::string& text) {
    v1::AddSignalNoteRequest req;
    req.set_request_id(Rid("note"));
    req.set_signal_id(signal);
    req.set_text(text);
    v1::Note out;
    Ctx ctx;
    grpc::Status s = who.signals->AddSignalNote(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::Note HandoverNote(As& who, const std::string& handover, const std::string& text) {
    v1::AddHandoverNoteRequest req;
    req.set_request_id(Rid("hnote"));
    req.set_handover_id(handover);
    req.set_text(text);
    v1::Note out;
    Ctx ctx;
    grpc::Status s = who.handovers->AddHandoverNote(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::VerifyAuditResponse Verify() {
    auto audit = v1::AuditService::NewStub(Who("auditor").channel);
    v1::VerifyAuditRequest req;
    v1::VerifyAuditResponse out;
    Ctx ctx;
    grpc::Status s = audit->VerifyAudit(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  // The deployment's database opened directly, after the server stopped,
  // with the retention job on a fake clock (see the retention test).
  struct Offline {
    FakeClock clock{Monday()};
    std::unique_ptr<store::Database> db;
    std::unique_ptr<audit::AuditLog> log;
    std::unique_ptr<store::SqlitePrivacyStore> store;
    std::unique_ptr<app::UnitOfWork> uow;
    std::unique_ptr<app::RetentionJob> job;

    int64_t Count(const std::string& sql) { return testing::QueryInt(*db, sql); }
  };

  std::unique_ptr<Offline> StopAndOpen() {
    server_->Shutdown(absl::Seconds(5));
    server_.reset();
    auto out = std::make_unique<Offline>();
    auto db = deployment::OpenDatabase(*paths_, DemoKek(*paths_));
    EXPECT_THAT(db, IsOk());
    auto signer_pem = ReadFile(paths_->audit_signing_key);
    EXPECT_THAT(signer_pem, IsOk());
    auto signer = audit::CheckpointSigner::Load(*signer_pem);
    EXPECT_THAT(signer, IsOk());
    out->db = *std::move(db);
    audit::AuditLogOptions options;
    options.checkpoint_path = paths_->audit_checkpoints;
    out->log = std::make_unique<audit::AuditLog>(out->db.get(), &out->clock, *std::move(signer),
                                                 options);
    out->store = std::make_unique<store::SqlitePrivacyStore>(out->db.get());
    auto periods = domain::MakeRetentionPeriods(0, 0, 0);
    EXPECT_THAT(periods, IsOk());
    out->uow = std::make_unique<app::UnitOfWork>(out->db.get(), out->log.get());
    out->job = std::make_unique<app::RetentionJob>(out->store.get(), out->uow.get(),
                                                   out->log.get(), &out->clock, *periods);
    return out;
  }

  void Withdraw(As& who, const v1::Signal& s) {
    v1::ChangeSignalStatusRequest req;
    req.set_id(s.id());
    req.set_etag(s.etag());
    req.set_status(v1::SIGNAL_STATUS_WITHDRAWN);
    v1::Signal out;
    Ctx ctx;
    grpc::Status st = who.signals->ChangeSignalStatus(&ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
  }

  std::string DatabaseKey() {
    auto key = deployment::UnwrapKeyFile(paths_->wrapped_key, DemoKek(*paths_));
    EXPECT_THAT(key, IsOk());
    return key.ok() ? *key : "";
  }
};

// The fixture: one resident with a signal (and its note), a handover (and
// its note) and the accesses of their professionals. The export holds
// exactly these records and the access report names every act.
TEST_F(PrivacyTest, ExportHoldsEverythingAboutTheResidentAndWhoAccessedIt) {
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej");
  std::string resident = Register(bridge, "Fenna Export", "1990-01-31");
  std::string other = Register(bridge, "Someone Else", "1970-05-05");
  v1::Signal signal = CreateSignal(bridge, "JO-ARMOEDE", resident);
  CreateSignal(bridge, "JO-ARMOEDE", other);
  v1::Note sn = SignalNote(bridge, signal.id(), "Moeder belt terug op dinsdag");
  v1::Handover h = Propose(bridge, resident, "woej");
  v1::Note hn = HandoverNote(woej, h.id(), "Intake gepland");
  GetHandover(woej, h.id());

  v1::PrivacyExportResponse r = Export(resident);
  const v1::ResidentExport& e = r.document();
  EXPECT_EQ(e.request_ref(), "AVG-2026-0042");
  EXPECT_EQ(e.resident().id(), resident);
  EXPECT_EQ(e.resident().name(), "Fenna Export");
  EXPECT_EQ(e.resident().birth_date(), "1990-01-31");
  EXPECT_THAT(e.resident().registering_organisation_ids(), ::testing::ElementsAre("kwadraad"));
  ASSERT_EQ(e.signals_size(), 1);
  EXPECT_EQ(e.signals(0).id(), signal.id());
  EXPECT_EQ(e.signals(0).description(), "Beschrijving van het signaal");
  ASSERT_EQ(e.handovers_size(), 1);
  EXPECT_EQ(e.handovers(0).id(), h.id());
  EXPECT_EQ(e.handovers(0).reason(), "Ouder zoekt hulp bij formulieren en taal");
  std::set<std::string> notes;
  for (const auto& n : e.notes()) notes.insert(n.id() + "=" + n.text());
  EXPECT_EQ(notes, (std::set<std::string>{sn.id() + "=Moeder belt terug op dinsdag",
                                          hn.id() + "=Intake gepland"}));
  // Who accessed what: the registration, the signal, the handover, the
  // receiver's read — and nothing about the other resident.
  std::multiset<std::string> actions;
  for (const auto& a : e.accesses()) {
    actions.insert(a.action());
    EXPECT_THAT(a.resident_ids(), ::testing::Contains(resident));
    EXPECT_FALSE(a.professional_id().empty());
  }
  for (const char* want :
       {"ResidentService.RegisterResident", "SignalService.CreateSignal",
        "SignalService.AddSignalNote", "HandoverService.ProposeHandover",
        "HandoverService.AddHandoverNote", "HandoverService.GetHandover"}) {
    EXPECT_EQ(actions.count(want), 1u) << want;
  }
  // Nothing about another resident (the CLI test checks the JSON form).
  EXPECT_THAT(e.DebugString(), Not(HasSubstr("Someone Else")));

  // The export itself is flagged in the audit log with its request.
  v1::PrivacyExportResponse again = Export(resident);
  bool flagged = false;
  for (const auto& a : again.document().accesses()) {
    if (a.action() == "PrivacyService.Export") flagged = a.privacy_request() == "AVG-2026-0042";
  }
  EXPECT_TRUE(flagged);
  EXPECT_TRUE(Verify().intact());
}

// A listing concerns every resident it shows; the resident's access report
// shows only their own id, and none of the professional's peer address,
// certificate fingerprint or the chain hashes.
TEST_F(PrivacyTest, TheAccessReportDisclosesNoOtherResidentsAndNoPeerOrCertificate) {
  As bridge = Who("brugfunctionaris");
  std::string resident = Register(bridge, "Eigen Inzage", "1991-01-01");
  std::string other = Register(bridge, "Ander Persoon", "1992-02-02");
  CreateSignal(bridge, "JO-ARMOEDE", resident);
  CreateSignal(bridge, "JO-ARMOEDE", other);
  {
    v1::ListSignalsResponse all;
    Ctx ctx;
    ASSERT_TRUE(bridge.signals->ListSignals(&ctx, v1::ListSignalsRequest(), &all).ok());
    ASSERT_GE(all.signals_size(), 2);
  }
  v1::PrivacyExportResponse r = Export(resident);
  bool listed = false;
  for (const auto& a : r.document().accesses()) {
    EXPECT_THAT(a.resident_ids(), ::testing::ElementsAre(resident)) << a.action();
    EXPECT_EQ(a.peer(), "") << a.action();
    EXPECT_EQ(a.certificate(), "") << a.action();
    EXPECT_EQ(a.hash(), "") << a.action();
    EXPECT_FALSE(a.professional_id().empty());
    if (a.action() == "SignalService.ListSignals") listed = true;
  }
  EXPECT_TRUE(listed);
  EXPECT_THAT(r.document().DebugString(), Not(HasSubstr(other)));
}

TEST_F(PrivacyTest, RectificationKeepsItsHistory) {
  As bridge = Who("brugfunctionaris");
  std::string resident = Register(bridge, "Pieter Spelfout", "1980-02-02");
  auto privacy = Privacy("privacy");
  v1::RectifyRequest req;
  req.set_resident_id(resident);
  req.set_request_ref("AVG-7");
  req.set_name("Pieter Spelgoed");
  v1::RectifyResponse out;
  {
    Ctx ctx;
    ASSERT_TRUE(privacy->Rectify(&ctx, req, &out).ok());
  }
  clock_.Advance(absl::Hours(1));
  req.clear_name();
  req.set_request_ref("AVG-8");
  req.set_address("Heuvelweg 3");
  req.set_wijk("heuvel-amstelwijk");
  {
    Ctx ctx;
    grpc::Status s = privacy->Rectify(&ctx, req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(out.resident().name(), "Pieter Spelgoed");
  EXPECT_EQ(out.resident().address(), "Heuvelweg 3");
  ASSERT_EQ(out.history_size(), 3);
  EXPECT_EQ(out.history(0).field(), "name");
  EXPECT_EQ(out.history(0).old_value(), "Pieter Spelfout");
  EXPECT_EQ(out.history(0).new_value(), "Pieter Spelgoed");
  EXPECT_EQ(out.history(0).request_ref(), "AVG-7");
  EXPECT_FALSE(out.history(0).professional_id().empty());
  EXPECT_EQ(out.history(1).field(), "address");
  EXPECT_EQ(out.history(1).old_value(), "Prinsenhoflaan 1");
  EXPECT_EQ(out.history(1).request_ref(), "AVG-8");
  EXPECT_EQ(out.history(2).field(), "wijk");
  EXPECT_EQ(out.history(2).new_value(), "heuvel-amstelwijk");
  EXPECT_GT(out.history(1).time().seconds(), out.history(0).time().seconds());
  // The professionals see the corrected record.
  v1::GetResidentRequest get;
  get.set_id(resident);
  v1::Resident seen;
  Ctx ctx;
  ASSERT_TRUE(bridge.residents->GetResident(&ctx, get, &seen).ok());
  EXPECT_EQ(seen.name(), "Pieter Spelgoed");

  // Bad input names the field and the rule; nothing changes.
  struct Bad {
    std::function<void(v1::RectifyRequest&)> set;
    const char* field;
  };
  for (const Bad& bad : std::vector<Bad>{
           {[](v1::RectifyRequest& r) { r.set_request_ref(""); }, "request_ref"},
           {[](v1::RectifyRequest& r) { r.set_request_ref(std::string(65, 'x')); }, "request_ref"},
           {[](v1::RectifyRequest& r) { r.set_request_ref("AVG\t1"); }, "request_ref"},
           {[](v1::RectifyRequest& r) {
              r.clear_address();
              r.clear_wijk();
            },
            "name"},
           {[](v1::RectifyRequest& r) { r.set_birth_date("2031-01-01"); }, "birth_date"},
           {[](v1::RectifyRequest& r) { r.set_wijk("atlantis"); }, "wijk"},
       }) {
    v1::RectifyRequest r = req;
    bad.set(r);
    Ctx c;
    grpc::Status s = privacy->Rectify(&c, r, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad.field;
    EXPECT_THAT(s.error_message(), ::testing::StartsWith(std::string(bad.field) + ":"));
  }
  EXPECT_EQ(Export(resident).document().rectifications_size(), 3);
}

TEST_F(PrivacyTest, ErasureLeavesNoTraceOfTheNameInTheDecryptedFileAndTheChainVerifies) {
  SCHAKEL_SQLCIPHER_ONLY("the decrypted file and its WAL; on PostgreSQL pg_dump holds only sealed values");
  const std::string name = "Zwanette Qwertyuiopsen";
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej"), regisseur = Who("regisseur");
  std::string resident = Register(bridge, name, "1975-07-07");
  v1::Signal open = CreateSignal(bridge, "JO-ARMOEDE", resident);
  SignalNote(bridge, open.id(), "Gesprek met " + name + " over de huur");
  v1::Handover h = Propose(bridge, resident, "woej");
  HandoverNote(woej, h.id(), name + " komt donderdag");
  // The old name goes into the rectification history: personal data too.
  v1::RectifyRequest rect;
  rect.set_resident_id(resident);
  rect.set_request_ref("AVG-9");
  rect.set_name("Zwanette Qwertyuiopsen-Bakker");
  v1::RectifyResponse rectified;
  {
    Ctx ctx;
    ASSERT_TRUE(Privacy("privacy")->Rectify(&ctx, rect, &rectified).ok());
  }
  // Break-glass reasons are free text about the resident, too: erasure keeps
  // them (FORMAT.md, "Break-glass sessions"), sealed, so the decrypted file
  // holds no trace of them either.
  {
    v1::OpenBreakGlassRequest bg;
    bg.set_resident_id(resident);
    bg.set_reason("Acute zorg nodig voor Qwertyuiopsen vannacht");
    v1::OpenBreakGlassResponse bgr;
    Ctx ctx;
    ASSERT_TRUE(regisseur.residents->OpenBreakGlass(&ctx, bg, &bgr).ok());
  }

  const std::string key = DatabaseKey();
  int pages = 0;
  // The decryption reads the file as SQLCipher wrote it: the name is there.
  EXPECT_NE(DecryptedFile(paths_->database, key, &pages).find("Qwertyuiopsen"), std::string::npos);
  EXPECT_GT(pages, 10);

  // A legal hold refuses the erasure; releasing it allows it.
  ASSERT_TRUE(Hold(resident, true).ok());
  EXPECT_EQ(Hold(resident, true).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::EraseResponse erased;
  grpc::Status s = Erase(resident, &erased);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("legal hold"));
  EXPECT_EQ(Export(resident).document().resident().name(), "Zwanette Qwertyuiopsen-Bakker");
  ASSERT_TRUE(Hold(resident, false).ok());
  s = Erase(resident, &erased);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // Right after the erasure, every page of the file and the WAL,
  // decrypted: no trace of the name, in any case; the WAL is empty.
  EXPECT_EQ(ReadAll(paths_->database + "-wal").size(), 0u);
  std::string plain = DecryptedFile(paths_->database, key, &pages);
  EXPECT_GT(pages, 10);
  for (const char* trace : {"Qwertyuiopsen", "qwertyuiopsen", "Zwanette", "zwanette"}) {
    EXPECT_EQ(plain.find(trace), std::string::npos) << trace;
  }
  // What is not about the resident stays readable.
  EXPECT_NE(plain.find(open.id()), std::string::npos);
  EXPECT_NE(plain.find("JO-ARMOEDE"), std::string::npos);
  EXPECT_EQ(erased.signals_withdrawn(), 1);
  EXPECT_EQ(erased.handovers_cancelled(), 1);
  EXPECT_EQ(erased.rectifications_removed(), 1);
  EXPECT_GE(erased.texts_erased(), 4);
  EXPECT_EQ(Erase(resident, &erased).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  {
    auto audit = v1::AuditService::NewStub(Who("auditor").channel);
    v1::ListBreakGlassResponse list;
    Ctx ctx;
    ASSERT_TRUE(audit->ListBreakGlass(&ctx, v1::ListBreakGlassRequest(), &list).ok());
    ASSERT_EQ(list.sessions_size(), 1);
    EXPECT_EQ(list.sessions(0).reason(), "Acute zorg nodig voor Qwertyuiopsen vannacht");
  }

  // The open signal was withdrawn, the open handover cancelled.
  v1::GetSignalRequest gs;
  gs.set_id(open.id());
  v1::Signal after;
  {
    Ctx ctx;
    ASSERT_TRUE(bridge.signals->GetSignal(&ctx, gs, &after).ok());
  }
  EXPECT_EQ(after.status(), v1::SIGNAL_STATUS_WITHDRAWN);
  EXPECT_EQ(GetHandover(woej, h.id()).status(), v1::HANDOVER_STATUS_CANCELLED);

  // The audit log keeps every entry and still verifies.
  v1::VerifyAuditResponse v = Verify();
  EXPECT_TRUE(v.intact()) << v.problem();
  v1::PrivacyExportResponse e = Export(resident);
  EXPECT_EQ(e.document().resident().name(), "[erased]");
  EXPECT_EQ(e.document().rectifications_size(), 0);
  bool erase_flagged = false;
  for (const auto& a : e.document().accesses()) {
    if (a.action() == "PrivacyService.Erase" && a.outcome() == "allowed") {
      erase_flagged = a.privacy_request() == "AVG-2026-0043";
    }
  }
  EXPECT_TRUE(erase_flagged);
}

// Retention purges only closed trajectories: an erasure closes the
// resident's open ones ("[erased]") and overwrites their free text.
TEST_F(PrivacyTest, ErasureClosesOpenTrajectoriesAndErasesTheirText) {
  As consultant = Who("consultant");
  std::string resident = Register(consultant, "Trudy Trajectvrouw", "1972-03-03");
  auto trajectories = v1::TrajectoryService::NewStub(consultant.channel);
  v1::Trajectory t = StartTrajectoryWithHistory(consultant, resident);
  v1::EraseResponse erased;
  grpc::Status s = Erase(resident, &erased);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(erased.trajectories_closed(), 1);

  v1::GetTrajectoryRequest get;
  get.set_id(t.id());
  v1::Trajectory after;
  Ctx ctx;
  ASSERT_TRUE(trajectories->GetTrajectory(&ctx, get, &after).ok());
  EXPECT_EQ(after.status(), v1::TRAJECTORY_STATUS_CLOSED);
  EXPECT_EQ(after.close_reason(), "[erased]");
  EXPECT_EQ(after.goal(), "[erased]");
  ASSERT_EQ(after.measurements_size(), 1);
  EXPECT_EQ(after.measurements(0).note(), "[erased]");
  ASSERT_EQ(after.steps_size(), 1);
  EXPECT_EQ(after.steps(0).description(), "[erased]");
  EXPECT_THAT(Export(resident).DebugString(), Not(HasSubstr("Trudy")));
}

// An erasure commits; the WAL checkpoint after it is best effort. A reader
// that blocks it does not turn the committed erasure into an error; the
// checkpoint stays pending and the next try (the retention loop) empties
// the WAL. (The blocked try waits out the busy timeout, five seconds.)
TEST_F(PrivacyTest, ABlockedCheckpointDoesNotFailACommittedErasure) {
  SCHAKEL_SQLCIPHER_ONLY("the WAL checkpoint after an erasure");
  As bridge = Who("brugfunctionaris");
  const std::string name = "Blokkade Qwertyvrouw";
  std::string resident = Register(bridge, name, "1966-06-06");
  v1::Signal signal = CreateSignal(bridge, "JO-ARMOEDE", resident);
  SignalNote(bridge, signal.id(), name + " belt morgen");
  server_->Shutdown(absl::Seconds(5));
  server_.reset();

  auto db = deployment::OpenDatabase(*paths_, DemoKek(*paths_));
  auto reader = deployment::OpenDatabase(*paths_, DemoKek(*paths_));
  ASSERT_THAT(db, IsOk());
  ASSERT_THAT(reader, IsOk());
  store::SqlitePrivacyStore store(db->get());
  store::Actor actor{"privacy-officer", "gemeente-lv", "AVG-1", Monday()};
  const std::string wal = paths_->database + "-wal";
  // An open read transaction on another connection pins an old snapshot.
  ASSERT_THAT((*reader)->Read([&](store::Connection& c) -> absl::Status {
    auto st = c.Prepare("SELECT count(*) FROM residents", "read");
    if (!st.ok()) return st.status();
    auto row = st->Step();
    if (!row.ok()) return row.status();
    auto erased = testing::InTransaction(
        **db, [&](store::Connection& c) { return store.Erase(c, resident, actor); });
    EXPECT_THAT(erased, IsOk());
    if (erased.ok()) {
      EXPECT_EQ(erased->signals_withdrawn, 1);
    }
    EXPECT_GT(ReadAll(wal).size(), 0u);  // the checkpoint was blocked
    return absl::OkStatus();
  }),
              IsOk());
  // The erasure is committed, and the retry (still pending) empties the WAL.
  auto data = store.Collect(resident);
  ASSERT_THAT(data, IsOk());
  EXPECT_EQ(data->resident.name, "[erased]");
  EXPECT_THAT(store.CheckpointPending(), IsOk());
  EXPECT_EQ(ReadAll(wal).size(), 0u);
  int pages = 0;
  EXPECT_EQ(DecryptedFile(paths_->database, DatabaseKey(), &pages).find("Qwertyvrouw"),
            std::string::npos);
  EXPECT_THAT(store.CheckpointPending(), IsOk());  // nothing pending any more
}

// design.md: only the privacy officer exports, rectifies, erases, holds and
// releases; every refusal is audited.
TEST_F(PrivacyTest, EveryOtherRoleIsRefusedEveryAct) {
  As bridge = Who("brugfunctionaris");
  std::string resident = Register(bridge, "Niet Voor Jou", "1960-06-06");
  for (const auto& user : deployment::DemoUsers()) {
    if (std::string(user.name) == "privacy") continue;
    auto stub = Privacy(user.name);
    std::vector<std::pair<const char*, grpc::Status>> results;
    {
      v1::PrivacyExportRequest r;
      r.set_resident_id(resident);
      r.set_request_ref("AVG-1");
      v1::PrivacyExportResponse out;
      Ctx ctx;
      results.emplace_back("export", stub->Export(&ctx, r, &out));
    }
    {
      v1::RectifyRequest r;
      r.set_resident_id(resident);
      r.set_request_ref("AVG-1");
      r.set_name("Iemand Anders");
      v1::RectifyResponse out;
      Ctx ctx;
      results.emplace_back("rectify", stub->Rectify(&ctx, r, &out));
    }
    v1::EraseResponse erased;
    results.emplace_back("erase", Erase(resident, &erased, user.name));
    results.emplace_back("hold", Hold(resident, true, user.name));
    results.emplace_back("release", Hold(resident, false, user.name));
    for (const auto& [act, status] : results) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << user.name << " " << act;
      EXPECT_THAT(status.error_message(), HasSubstr("privacy officer")) << user.name;
    }
  }
  // Nothing changed, and each refusal is in the resident's access report.
  v1::PrivacyExportResponse e = Export(resident);
  EXPECT_EQ(e.document().resident().name(), "Niet Voor Jou");
  int denied = 0;
  for (const auto& a : e.document().accesses()) {
    if (absl::StartsWith(a.action(), "PrivacyService.") && a.outcome() == "denied") ++denied;
  }
  EXPECT_EQ(denied, 5 * static_cast<int>(deployment::DemoUsers().size() - 1));
}

// The retention job, run directly on the deployment's database with a fake
// clock: a day before the period ends nothing goes, a day after it does;
// open records and records under a legal hold stay; every purge is audited;
// the audit log is purged only up to a signed checkpoint, and verifies from
// that anchor, also at the next start.
TEST_F(PrivacyTest, RetentionPurgesAtTheBoundariesOfItsPeriods) {
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej");
  std::string gone = Register(bridge, "Oud Dossier", "1950-01-01");
  std::string held = Register(bridge, "Vastgehouden Dossier", "1951-01-01");
  std::string stays = Register(bridge, "Lopend Dossier", "1952-01-01");
  auto withdraw = [&](const v1::Signal& s) {
    v1::ChangeSignalStatusRequest req;
    req.set_id(s.id());
    req.set_etag(s.etag());
    req.set_status(v1::SIGNAL_STATUS_WITHDRAWN);
    v1::Signal out;
    Ctx ctx;
    grpc::Status st = bridge.signals->ChangeSignalStatus(&ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
  };
  v1::Signal closed_signal = CreateSignal(bridge, "JO-ARMOEDE", gone, "kwadraad");
  withdraw(closed_signal);
  v1::Signal held_signal = CreateSignal(bridge, "JO-ARMOEDE", held, "kwadraad");
  withdraw(held_signal);
  v1::Signal open_signal = CreateSignal(bridge, "JO-ARMOEDE", stays);
  v1::Handover cancelled = Propose(bridge, gone, "woej");
  v1::Handover tmp;
  ASSERT_TRUE(Act(bridge, &v1::HandoverService::Stub::CancelHandover, cancelled.id(), &tmp).ok());
  v1::Handover open_handover = Propose(bridge, stays, "woej", 60);
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::AcceptHandover, open_handover.id(), &tmp).ok());
  ASSERT_TRUE(Hold(held, true).ok());
  server_->Shutdown(absl::Seconds(5));  // signs the final checkpoint
  server_.reset();

  auto db = deployment::OpenDatabase(*paths_, DemoKek(*paths_));
  ASSERT_THAT(db, IsOk());
  auto signer_pem = ReadFile(paths_->audit_signing_key);
  auto public_pem = ReadFile(paths_->audit_public_key);
  ASSERT_THAT(signer_pem, IsOk());
  auto signer = audit::CheckpointSigner::Load(*signer_pem);
  ASSERT_THAT(signer, IsOk());
  audit::AuditLogOptions options;
  options.checkpoint_path = paths_->audit_checkpoints;
  FakeClock clock(Monday());
  audit::AuditLog log(db->get(), &clock, *std::move(signer), options);
  store::SqlitePrivacyStore store(db->get());
  auto periods = domain::MakeRetentionPeriods(0, 0, 0);
  ASSERT_THAT(periods, IsOk());
  app::UnitOfWork uow(db->get(), &log);
  app::RetentionJob job(&store, &uow, &log, &clock, *periods);
  auto count = [&](const std::string& sql) { return testing::QueryInt(**db, sql); };

  auto head = audit::ReadHead(**db);
  ASSERT_THAT(head, IsOk());
  const int64_t entries_before = head->seq;

  // Two years after closing, less a day: nothing goes.
  clock.Advance(absl::Hours(24 * (730 - 1)));
  auto r = job.RunOnce();
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->signals + r->handovers + r->trajectories + r->audit_entries, 0);
  EXPECT_EQ(audit::ReadHead(**db)->seq, entries_before);  // nothing purged, nothing recorded

  // A day after: the closed signal and the final handover go; the open
  // ones and the resident under a legal hold stay.
  clock.Advance(absl::Hours(48));
  r = job.RunOnce();
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->signals, 1);
  EXPECT_EQ(r->handovers, 1);
  EXPECT_EQ(r->audit_entries, 0);
  EXPECT_EQ(count("SELECT count(*) FROM signals WHERE id = '" + closed_signal.id() + "'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM signal_events WHERE signal_id = '" + closed_signal.id() +
                  "'"),
            0);
  EXPECT_EQ(count("SELECT count(*) FROM signals WHERE id = '" + held_signal.id() + "'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM signals WHERE id = '" + open_signal.id() + "'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM handovers WHERE id = '" + cancelled.id() + "'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM handovers WHERE id = '" + open_handover.id() + "'"), 1);
  // Each purge is itself audited, naming the residents concerned.
  audit::Query q;
  q.action = "retention.PurgeSignals";
  auto purges = audit::QueryEntries(**db, q);
  ASSERT_THAT(purges, IsOk());
  ASSERT_EQ(purges->entries.size(), 1u);
  EXPECT_THAT(purges->entries[0].residents, ::testing::ElementsAre(gone));
  q.action = "retention.PurgeHandovers";
  EXPECT_EQ(audit::QueryEntries(**db, q)->entries.size(), 1u);

  // Audit entries: ten years by default, never under five. (A legal hold
  // keeps the held resident's entries: ALegalHoldKeepsTheResidentsAuditEntries.)
  store::Actor actor{"privacy-officer", "gemeente-lv", "AVG-3", clock.Now()};
  ASSERT_THAT(testing::InTransaction(
                  **db, [&](store::Connection& c) { return store.SetHold(c, held, false, actor); }),
              IsOk());
  EXPECT_EQ(domain::MakeRetentionPeriods(0, 0, 1825).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto checkpoints = audit::ReadCheckpoints(paths_->audit_checkpoints);
  ASSERT_THAT(checkpoints, IsOk());
  ASSERT_FALSE(checkpoints->empty());
  const int64_t anchor = checkpoints->back().seq;
  clock.Advance(absl::Hours(24 * (3650 - 730 - 2)));  // ten years after Monday, less a day
  r = job.RunOnce();
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->audit_entries, 0);
  clock.Advance(absl::Hours(48));
  r = job.RunOnce();
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->audit_entries, anchor);  // up to the last signed checkpoint, no further
  EXPECT_EQ(count("SELECT min(seq) FROM audit_log"), anchor + 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_residents WHERE seq <= " + std::to_string(anchor)),
            0);
  q.action = "retention.PurgeAudit";
  auto audit_purge = audit::QueryEntries(**db, q);
  ASSERT_EQ(audit_purge->entries.size(), 1u);
  EXPECT_EQ(audit_purge->entries[0].resource_id, std::to_string(anchor));

  // The chain verifies from its anchor, and the start check accepts it.
  ASSERT_THAT(log.WriteCheckpoint(), IsOk());
  auto all = audit::ReadCheckpoints(paths_->audit_checkpoints);
  auto report = audit::VerifyChain(**db, *all, *public_pem, std::nullopt);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->anchor_seq, anchor);
  EXPECT_THAT(audit::AuditLog::CheckAgainstLastCheckpoint(**db, paths_->audit_checkpoints,
                                                          *public_pem),
              IsOk());
  // Tampering after the anchor is still found.
  testing::TamperWithStore(*paths_, testing::DemoKek(*paths_),
                           "UPDATE audit_log SET purpose = 'x' WHERE seq = " +
                               std::to_string(anchor + 1));
  report = audit::VerifyChain(**db, *all, *public_pem, std::nullopt);
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_bad_seq, anchor + 1);
}


// A signal about a place has no resident; a legal hold on some resident
// must not keep it (NULL NOT IN (...) is NULL, never true).
TEST_F(PrivacyTest, RetentionPurgesPlaceSignalsNextToALegalHold) {
  As bridge = Who("brugfunctionaris");
  std::string held = Register(bridge, "Vastgehouden Naast Plek", "1953-01-01");
  v1::Signal place = CreateSignal(bridge, "JO-ARMOEDE", "", "kwadraad");
  Withdraw(bridge, place);
  v1::Signal held_signal = CreateSignal(bridge, "JO-ARMOEDE", held, "kwadraad");
  Withdraw(bridge, held_signal);
  ASSERT_TRUE(Hold(held, true).ok());
  auto off = StopAndOpen();

  off->clock.Advance(absl::Hours(24 * (730 + 1)));
  auto r = off->job->RunOnce();
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->signals, 1);
  EXPECT_EQ(off->Count("SELECT count(*) FROM signals WHERE id = '" + place.id() + "'"), 0);
  EXPECT_EQ(off->Count("SELECT count(*) FROM signals WHERE id = '" + held_signal.id() + "'"), 1);
  // The purge is recorded; it concerns no resident.
  audit::Query q;
  q.action = "retention.PurgeSignals";
  auto purges = audit::QueryEntries(*off->db, q);
  ASSERT_THAT(purges, IsOk());
  ASSERT_EQ(purges->entries.size(), 1u);
  EXPECT_TRUE(purges->entries[0].residents.empty());
}


// A merge moves signals and handovers to the kept record; a legal hold put
// on the merged record before still holds the person: it refuses the
// erasure of the kept id and keeps the moved signal from retention, until
// released through the kept id.
TEST_F(PrivacyTest, ALegalHoldOnAMergedRecordHoldsThePerson) {
  As bridge = Who("brugfunctionaris"), regisseur = Who("regisseur");
  std::string kept = Register(bridge, "Samen Gevoegd", "1961-01-01");
  std::string merged = Register(bridge, "Samen Gevoegd-Dubbel", "1961-01-01");
  v1::Signal signal = CreateSignal(bridge, "JO-ARMOEDE", merged, "kwadraad");
  Withdraw(bridge, signal);
  // The regisseur merges only records it may read: a signal it reads
  // area-wide links it to the kept one too.
  Withdraw(bridge, CreateSignal(bridge, "JO-ARMOEDE", kept, "kwadraad"));
  ASSERT_TRUE(Hold(merged, true).ok());
  {
    v1::MergeResidentsRequest req;
    req.set_keep_id(kept);
    req.set_merge_id(merged);
    v1::Resident out;
    Ctx ctx;
    grpc::Status s = regisseur.residents->MergeResidents(&ctx, req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::EraseResponse erased;
  grpc::Status s = Erase(kept, &erased);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("legal hold"));
  EXPECT_EQ(Export(kept).document().resident().name(), "Samen Gevoegd");
  EXPECT_EQ(Hold(kept, true).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  auto off = StopAndOpen();
  off->clock.Advance(absl::Hours(24 * (730 + 1)));
  auto r = off->job->RunOnce();
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->signals, 0);
  EXPECT_EQ(off->Count("SELECT count(*) FROM signals WHERE id = '" + signal.id() + "'"), 1);
  // Released through the kept id, the person may be erased and purged.
  store::Actor actor{"privacy-officer", "gemeente-lv", "AVG-2", off->clock.Now()};
  ASSERT_THAT(testing::InTransaction(*off->db, [&](store::Connection& c) { return off->store->SetHold(c, kept, false, actor); }), IsOk());
  EXPECT_EQ(off->Count("SELECT count(*) FROM legal_holds"), 0);
  EXPECT_THAT(testing::InTransaction(*off->db, [&](store::Connection& c) { return off->store->Erase(c, kept, actor); }), IsOk());
  r = off->job->RunOnce();
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->signals, 2);  // the signal of each record
}


// The audit purge stops before the first entry about a resident under a
// legal hold: their access history is kept with their data.
TEST_F(PrivacyTest, ALegalHoldKeepsTheResidentsAuditEntries) {
  As bridge = Who("brugfunctionaris");
  std::string held = Register(bridge, "Audit Vastgehouden", "1955-05-05");
  CreateSignal(bridge, "JO-ARMOEDE", held);
  ASSERT_TRUE(Hold(held, true).ok());
  auto off = StopAndOpen();
  const std::string about_held =
      "SELECT count(*) FROM audit_residents WHERE resident_id = '" + held + "'";
  const int64_t entries = off->Count(about_held);
  EXPECT_GE(entries, 3);  // registration, signal, hold

  off->clock.Advance(absl::Hours(24 * (3650 + 1)));
  auto r = off->job->RunOnce();
  ASSERT_THAT(r, IsOk());
  // Only init's entries go, up to the checkpoint init signed: they come
  // before the first entry about the held resident.
  const int64_t init_entries = static_cast<int64_t>(deployment::DemoUsers().size());
  EXPECT_EQ(r->audit_entries, init_entries);
  EXPECT_EQ(off->Count(about_held), entries);
  EXPECT_EQ(off->Count("SELECT min(seq) FROM audit_log"), init_entries + 1);

  // Released, the entries go up to the last signed checkpoint.
  store::Actor actor{"privacy-officer", "gemeente-lv", "AVG-4", off->clock.Now()};
  ASSERT_THAT(testing::InTransaction(*off->db, [&](store::Connection& c) { return off->store->SetHold(c, held, false, actor); }), IsOk());
  r = off->job->RunOnce();
  ASSERT_THAT(r, IsOk());
  EXPECT_GT(r->audit_entries, 0);
  EXPECT_EQ(off->Count(about_held), 0);
}


// An idempotency record (create_requests) fingerprints its request's free
// text: those of the erased person's signals, notes, handovers and
// trajectories go with the erasure; another resident's stay.
TEST_F(PrivacyTest, ErasureRemovesTheIdempotencyRecordsOfThePersonsRecords) {
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej"), consultant = Who("consultant");
  // The consultant registers: a trajectory needs a resident the
  // municipality may see.
  std::string resident = Register(consultant, "Idem Potent", "1977-07-07");
  std::string other = Register(bridge, "Blijft Staan", "1978-08-08");
  v1::Signal signal = CreateSignal(consultant, "JO-ARMOEDE", resident);
  v1::Note note = SignalNote(consultant, signal.id(), "Idem belt terug");
  v1::Handover h = Propose(consultant, resident, "woej");
  v1::Note hnote = HandoverNote(woej, h.id(), "Intake met Idem");
  v1::Trajectory t;
  {
    v1::StartTrajectoryRequest req;
    req.set_request_id(Rid("traj"));
    req.set_resident_id(resident);
    req.set_start_date("2026-05-01");
    req.set_goal("Werk voor Idem");
    Ctx ctx;
    grpc::Status s =
        v1::TrajectoryService::NewStub(consultant.channel)->StartTrajectory(&ctx, req, &t);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::Signal kept = CreateSignal(bridge, "JO-ARMOEDE", other);
  v1::EraseResponse erased;
  grpc::Status s = Erase(resident, &erased);
  ASSERT_TRUE(s.ok()) << s.error_message();

  auto off = StopAndOpen();
  for (const std::string& id : {resident, signal.id(), note.id(), h.id(), hnote.id(), t.id()}) {
    EXPECT_EQ(off->Count("SELECT count(*) FROM create_requests WHERE resource_id = '" + id + "'"),
              0)
        << id;
  }
  EXPECT_EQ(off->Count("SELECT count(*) FROM create_requests WHERE resource_id = '" + other + "'"),
            1);
  EXPECT_EQ(
      off->Count("SELECT count(*) FROM create_requests WHERE resource_id = '" + kept.id() + "'"), 1);
}

}  // namespace
}  // namespace schakel::testing
