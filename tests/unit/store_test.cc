#include <sqlcipher/sqlite3.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/files.h"
#include "server/crypto/key_wrap.h"
#include "server/domain/seed.h"
#include "server/store/database.h"
#include "server/store/sqlite_database.h"
#include "server/store/directory_store.h"
#include "server/store/migrations.h"
#include "tests/support/directory_records.h"
#include "tests/support/test_support.h"
#include "tests/support/transaction.h"

namespace schakel::store {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TempDir;
using ::testing::HasSubstr;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = *crypto::NewDatabaseKey();
    auto db = SqliteDatabase::Open(path(), key_, /*create=*/true);
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
    ASSERT_THAT(ApplyMigrations(*db_), IsOk());
    directory_ = std::make_unique<SqliteDirectoryStore>(db_.get());
    ASSERT_THAT(directory_->LoadSeed(*domain::EmbeddedSeed()), IsOk());
  }
  std::string path() const { return dir_.File("test.db"); }

  ProfessionalRecord Record(const std::string& id, const std::string& request_id) {
    return testing::TestProfessionalRecord(id, request_id,
                                           {domain::Role::kGgz, domain::Role::kPartner});
  }

  TempDir dir_;
  std::string key_;
  std::unique_ptr<Database> db_;


  // One directory write as its own transaction (the tools' way).
  template <typename Fn>
  auto InTx(Fn fn) {
    return testing::InTransaction(*db_, fn);
  }
  std::unique_ptr<SqliteDirectoryStore> directory_;
};

TEST_F(StoreTest, FileOnDiskHoldsNoSeededNameInPlaintext) {
  // Checkpoint the WAL so that everything is in the main file too.
  ASSERT_THAT(db_->Write([](Connection& c) { return absl::OkStatus(); }), IsOk());
  db_.reset();
  for (const std::string& file : {path(), path() + "-wal"}) {
    if (!PathExists(file)) continue;
    std::string raw = ReadFileOrDie(file);
    EXPECT_EQ(raw.find("SQLite format 3"), std::string::npos) << file;
    const domain::SeedData seed = *domain::EmbeddedSeed();
    for (const auto& org : seed.organisations) {
      // A name of a few bytes ("GGD") turns up in random ciphertext by
      // chance (about 2 % for 3 bytes in a file this size); from 8 bytes on
      // a chance match is negligible (about 1 in 10^14).
      if (org.name.size() < 8) continue;
      EXPECT_EQ(raw.find(org.name), std::string::npos) << org.name << " in " << file;
    }
    EXPECT_EQ(raw.find("Vidomes"), std::string::npos);
  }
}

TEST_F(StoreTest, WrongKeyRefusesWithOneClearSentence) {
  db_.reset();
  std::string other = *crypto::NewDatabaseKey();
  EXPECT_THAT(SqliteDatabase::Open(path(), other, false),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("does not open")));
  EXPECT_THAT(SqliteDatabase::Open(path(), key_, false), IsOk());
}

TEST_F(StoreTest, PlaintextDatabaseIsRefused) {
  std::string plain = dir_.File("plain.db");
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(plain.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  EXPECT_THAT(SqliteDatabase::Open(plain, key_, false),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("plaintext")));
}

TEST_F(StoreTest, PlaintextDatabaseIsRefusedReadOnlyToo) {
  std::string plain = dir_.File("plain.db");
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(plain.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE t(x);", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  EXPECT_THAT(SqliteDatabase::OpenReadOnly(plain, key_),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("plaintext")));
}

// What the online backup relies on: a read-only open beside the writer
// reads what is committed, exports it, and can change nothing.
// How many professionals `db` holds, or -1 after recording a failure.
int64_t CountProfessionals(Database& db) {
  int64_t professionals = -1;
  EXPECT_THAT(db.Read([&](Connection& c) -> absl::Status {
    auto st = c.Prepare("SELECT count(*) FROM professionals", "count");
    if (!st.ok()) return st.status();
    auto row = st->Step();
    if (!row.ok()) return row.status();
    professionals = st->ColumnInt(0);
    return absl::OkStatus();
  }),
              IsOk());
  return professionals;
}

TEST_F(StoreTest, AReadOnlyOpenReadsAndExportsButNeverWrites) {
  auto reader = SqliteDatabase::OpenReadOnly(path(), key_);
  ASSERT_THAT(reader, IsOk());
  ASSERT_THAT(InTx([&](Connection& c) { return directory_->AddProfessional(c, Record("p1", "r1")); }), IsOk());
  EXPECT_EQ(CountProfessionals(**reader), 1);
  EXPECT_THAT((*reader)->Write([](Connection& c) {
    return c.Exec("DELETE FROM professionals;", "delete");
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("read-only")));
  EXPECT_THAT((*reader)->Rekey(*crypto::NewDatabaseKey()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("read-only")));
  EXPECT_THAT((*reader)->CheckpointWal(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("read-only")));
  const std::string copy = dir_.File("copy.db");
  const std::string copy_key = *crypto::NewDatabaseKey();
  ASSERT_THAT((*reader)->Export(copy, copy_key, [](Connection&) { return absl::OkStatus(); }),
              IsOk());
  reader->reset();
  auto exported = SqliteDatabase::Open(copy, copy_key, false);
  ASSERT_THAT(exported, IsOk());
  EXPECT_EQ(CountProfessionals(**exported), 1);
  // The writer still writes: the read-only open took nothing from it.
  EXPECT_THAT(InTx([&](Connection& c) { return directory_->AddProfessional(c, Record("p2", "r2")); }), IsOk());
}

TEST_F(StoreTest, MissingFileIsNotCreatedUnlessAsked) {
  EXPECT_THAT(SqliteDatabase::Open(dir_.File("missing.db"), key_, false),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no database")));
}

TEST_F(StoreTest, MigrationsTwiceChangeNothing) {
  ASSERT_THAT(db_->SchemaVersion(), IsOk());
  EXPECT_EQ(*db_->SchemaVersion(), LatestSchemaVersion());
  ASSERT_THAT(ApplyMigrations(*db_), IsOk());
  EXPECT_EQ(*db_->SchemaVersion(), LatestSchemaVersion());
  auto page = directory_->ListOrganisations("", 100);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->organisations.size(), 34u);
}

TEST_F(StoreTest, NewerSchemaIsRefused) {
  ASSERT_THAT(db_->Write([](Connection& c) {
    return c.Exec("PRAGMA user_version = 999;", "bump");
  }),
              IsOk());
  EXPECT_THAT(ApplyMigrations(*db_),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("schema version 999")));
}

TEST_F(StoreTest, SeedingTwiceIsRefused) {
  EXPECT_THAT(directory_->LoadSeed(*domain::EmbeddedSeed()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already seeded")));
}

TEST_F(StoreTest, OrganisationsPageByKey) {
  auto first = directory_->ListOrganisations("", 10);
  ASSERT_THAT(first, IsOk());
  ASSERT_EQ(first->organisations.size(), 10u);
  EXPECT_TRUE(first->more);
  auto second = directory_->ListOrganisations(first->organisations.back().id, 30);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->organisations.size(), 24u);
  EXPECT_FALSE(second->more);
  EXPECT_LT(first->organisations.back().id, second->organisations.front().id);
  auto ggz = directory_->GetOrganisation("ggz-rivierduinen");
  ASSERT_THAT(ggz, IsOk());
  EXPECT_EQ(ggz->opgaven, (std::vector<std::string>{"FVW", "FZ"}));
  EXPECT_THAT(directory_->GetOrganisation("nope"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
}

// Migration 9 over a directory of schema 8: the roles given before dual
// control existed stay in effect, each professional's recorded as one
// approved grant, so the grant history starts complete.
TEST(MigrationTest, RolesFromBeforeDualControlBecomeApprovedGrants) {
  TempDir dir;
  auto db = SqliteDatabase::Open(dir.File("old.db"), *crypto::NewDatabaseKey(), /*create=*/true);
  ASSERT_THAT(db, IsOk());
  ASSERT_THAT(ApplyMigrations(**db, 8), IsOk());
  SqliteDirectoryStore directory(db->get());
  ASSERT_THAT(directory.LoadSeed(*domain::EmbeddedSeed()), IsOk());
  ASSERT_THAT((*db)->Write([](Connection& c) {
    return c.Exec(
        "INSERT INTO professionals (id, organisation_id, display_name, disabled, create_time)"
        " VALUES ('pold', 'woej', 'Oud', 0, 1700000000000000),"
        " ('pnone', 'woej', 'Zonder rol', 0, 1700000000000000);"
        "INSERT INTO professional_roles (professional_id, role) VALUES ('pold', 'partner'),"
        " ('pold', 'ggz');",
        "old rows");
  }),
              IsOk());
  ASSERT_THAT(ApplyMigrations(**db), IsOk());
  auto grants = directory.ListGrants(false, "", 100);
  ASSERT_THAT(grants, IsOk());
  ASSERT_EQ(grants->size(), 1u);
  const domain::Grant& g = grants->front();
  EXPECT_EQ(g.id, "g-m9-pold");
  EXPECT_EQ(g.professional_id, "pold");
  EXPECT_EQ(g.roles, (std::vector<domain::Role>{domain::Role::kGgz, domain::Role::kPartner}));
  EXPECT_EQ(g.status, domain::GrantStatus::kApproved);
  EXPECT_EQ(g.requested_by, "migration-9");
  EXPECT_EQ(g.decided_by, "migration-9");
  auto old = directory.GetProfessional("pold");
  ASSERT_THAT(old, IsOk());
  EXPECT_EQ(old->roles, (std::vector<domain::Role>{domain::Role::kGgz, domain::Role::kPartner}));
  EXPECT_TRUE(old->pending_roles.empty());
}

// A pending grant grants nothing until decided; a grant is decided once
// (the second of two racing decisions is refused by the row, not by luck);
// an enrollment code is used once and never after it expired.
TEST_F(StoreTest, GrantsAreDecidedOnceAndCodesUsedOnce) {
  ProfessionalRecord rec = Record("pg", "req-grant-0001");
  rec.professional.roles.clear();
  rec.certificate.fingerprint.clear();
  domain::Grant grant;
  grant.id = "g1";
  grant.professional_id = "pg";
  grant.organisation_id = "woej";
  grant.roles = {domain::Role::kPartner};
  grant.requested_by = "p-admin1";
  grant.request_time = absl::FromUnixSeconds(1750000000);
  rec.grant = grant;
  rec.enrollment_code_hash = "hash-of-code";
  rec.enrollment_expire_time = absl::FromUnixSeconds(1750000000) + absl::Hours(72);
  ASSERT_THAT(InTx([&](Connection& c) { return directory_->AddProfessional(c, rec); }), IsOk());
  auto pending = directory_->GetProfessional("pg");
  ASSERT_THAT(pending, IsOk());
  EXPECT_TRUE(pending->roles.empty());
  EXPECT_EQ(pending->pending_roles, std::vector<domain::Role>{domain::Role::kPartner});

  domain::Grant approved = grant;
  approved.status = domain::GrantStatus::kApproved;
  approved.decided_by = "p-admin2";
  approved.decide_time = absl::FromUnixSeconds(1750000100);
  ASSERT_THAT(InTx([&](Connection& c) { return directory_->DecideGrant(c, approved); }), IsOk());
  domain::Grant refused = grant;
  refused.status = domain::GrantStatus::kRefused;
  refused.decided_by = "p-admin3";
  refused.decide_time = absl::FromUnixSeconds(1750000200);
  refused.reason = "te laat";
  EXPECT_THAT(InTx([&](Connection& c) { return directory_->DecideGrant(c, refused); }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("meanwhile")));
  auto now_approved = directory_->GetProfessional("pg");
  EXPECT_EQ(now_approved->roles, std::vector<domain::Role>{domain::Role::kPartner});
  EXPECT_TRUE(now_approved->pending_roles.empty());
  auto stored = directory_->GetGrant("g1");
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->status, domain::GrantStatus::kApproved);
  EXPECT_EQ(stored->decided_by, "p-admin2");

  store::NewCertificate cert;
  cert.certificate = Record("pg", "unused").certificate;
  cert.code_hash = "hash-of-code";
  cert.now = absl::FromUnixSeconds(1750000000) + absl::Hours(73);  // expired
  EXPECT_THAT(InTx([&](Connection& c) { return directory_->AddCertificate(c, cert); }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("code")));
  EXPECT_THAT(directory_->FindIdentity("fp-pg"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("")));
  cert.now = absl::FromUnixSeconds(1750000000) + absl::Hours(1);
  ASSERT_THAT(InTx([&](Connection& c) { return directory_->AddCertificate(c, cert); }), IsOk());
  cert.certificate.fingerprint = "fp-pg-2";
  cert.certificate.serial = "SERIALpg2";
  EXPECT_THAT(InTx([&](Connection& c) { return directory_->AddCertificate(c, cert); }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("used")));
  EXPECT_THAT(directory_->FindIdentity("fp-pg-2"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("")));
  auto code = directory_->FindEnrollmentCode("hash-of-code");
  ASSERT_THAT(code, IsOk());
  ASSERT_TRUE(code->has_value());
  EXPECT_TRUE((*code)->use_time.has_value());
  // Every professional is listed, with or without a grant.
  ASSERT_THAT(InTx([&](Connection& c) { return directory_->AddProfessional(c, Record("pz", "req-grant-0002")); }), IsOk());
  auto all = directory_->ListProfessionals(100);
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(all->size(), 2u);
}

TEST_F(StoreTest, ProfessionalLifecycle) {
  ASSERT_THAT(InTx([&](Connection& c) { return directory_->AddProfessional(c, Record("p1", "req-00000001")); }), IsOk());
  auto identity = directory_->FindIdentity("fp-p1");
  ASSERT_THAT(identity, IsOk());
  EXPECT_EQ(identity->professional.id, "p1");
  EXPECT_EQ(identity->professional.roles,
            (std::vector<domain::Role>{domain::Role::kGgz, domain::Role::kPartner}));
  EXPECT_FALSE(identity->certificate.revoke_time.has_value());

  auto replay = directory_->FindByRequestId("req-00000001");
  ASSERT_THAT(replay, IsOk());
  ASSERT_TRUE(replay->has_value());
  EXPECT_EQ((*replay)->request_hash, "hash-req-00000001");
  EXPECT_EQ((*replay)->certificate.serial, "SERIALp1");

  // Same request id again: refused, nothing half-written.
  EXPECT_THAT(InTx([&](Connection& c) { return directory_->AddProfessional(c, Record("p2", "req-00000001")); }),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("request_id")));
  EXPECT_THAT(directory_->FindIdentity("fp-p2"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("not registered")));

  ProfessionalRecord unknown_org = Record("p3", "req-00000003");
  unknown_org.professional.organisation_id = "nowhere";
  EXPECT_THAT(InTx([&](Connection& c) { return directory_->AddProfessional(c, unknown_org); }),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("organisation_id")));

  auto revoked = InTx([&](Connection& c) { return directory_->RevokeCertificate(c, "SERIALp1", absl::FromUnixSeconds(1750000000)); });
  ASSERT_THAT(revoked, IsOk());
  EXPECT_EQ(revoked->revoke_time, absl::FromUnixSeconds(1750000000));
  // Revoking again keeps the first time.
  auto again = InTx([&](Connection& c) { return directory_->RevokeCertificate(c, "SERIALp1", absl::FromUnixSeconds(1760000000)); });
  EXPECT_EQ(again->revoke_time, absl::FromUnixSeconds(1750000000));
  EXPECT_THAT(InTx([&](Connection& c) { return directory_->RevokeCertificate(c, "FFFF", absl::Now()); }),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("serial")));

  auto disabled = InTx([&](Connection& c) { return directory_->DisableProfessional(c, "p1"); });
  ASSERT_THAT(disabled, IsOk());
  EXPECT_TRUE(disabled->disabled);
  EXPECT_TRUE(directory_->FindIdentity("fp-p1")->professional.disabled);
  EXPECT_THAT(InTx([&](Connection& c) { return directory_->DisableProfessional(c, "nobody"); }), StatusIs(absl::StatusCode::kNotFound, HasSubstr("nobody")));
}

}  // namespace
}  // namespace schakel::store
