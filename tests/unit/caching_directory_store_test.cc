// The in-memory directory of authentication over a real SQLCipher file: as
// fresh as the database after every write that goes through it, also when a
// read races a write, and bounded in memory.
#include "server/store/caching_directory_store.h"

#include <atomic>
#include <functional>

#include "absl/strings/str_cat.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/crypto/key_wrap.h"
#include "server/domain/seed.h"
#include "server/store/database.h"
#include "server/store/sqlite_database.h"
#include "server/store/migrations.h"
#include "tests/support/directory_records.h"
#include "tests/support/test_support.h"

namespace schakel::store {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TempDir;
using ::testing::_;

// Passes everything to the real store, counting the identity lookups that
// reach the database; `after_find` runs after a lookup read its row and
// before it returns (to race a write in between).
class CountingDirectoryStore final : public DirectoryStore {
 public:
  explicit CountingDirectoryStore(DirectoryStore* real) : real_(real) {}

  absl::StatusOr<Identity> FindIdentity(const std::string& fingerprint) override {
    ++finds;
    absl::StatusOr<Identity> found = real_->FindIdentity(fingerprint);
    if (after_find) {
      auto hook = std::move(after_find);
      after_find = nullptr;
      hook();
    }
    return found;
  }
  absl::StatusOr<domain::Organisation> GetOrganisation(const std::string& id) override {
    return real_->GetOrganisation(id);
  }
  absl::StatusOr<domain::Professional> GetProfessional(const std::string& id) override {
    return real_->GetProfessional(id);
  }
  absl::StatusOr<OrganisationPage> ListOrganisations(const std::string& after_id,
                                                     int limit) override {
    return real_->ListOrganisations(after_id, limit);
  }
  absl::StatusOr<std::optional<ProfessionalRecord>> FindByRequestId(
      const std::string& request_id) override {
    return real_->FindByRequestId(request_id);
  }
  absl::Status AddProfessional(Connection& c, const ProfessionalRecord& record) override {
    return real_->AddProfessional(c, record);
  }
  absl::StatusOr<domain::Professional> DisableProfessional(Connection& c,
                                                           const std::string& id) override {
    return real_->DisableProfessional(c, id);
  }
  absl::StatusOr<domain::CertificateRecord> RevokeCertificate(Connection& c,
                                                              const std::string& serial,
                                                              absl::Time now) override {
    return real_->RevokeCertificate(c, serial, now);
  }
  absl::StatusOr<std::vector<domain::Professional>> ListProfessionals(int limit) override {
    return real_->ListProfessionals(limit);
  }
  absl::StatusOr<domain::Grant> GetGrant(const std::string& id) override {
    return real_->GetGrant(id);
  }
  absl::StatusOr<std::vector<domain::Grant>> ListGrants(bool pending_only,
                                                        const std::string& professional_id,
                                                        int limit) override {
    return real_->ListGrants(pending_only, professional_id, limit);
  }
  absl::Status DecideGrant(Connection& c, const domain::Grant& decided) override {
    return real_->DecideGrant(c, decided);
  }
  absl::StatusOr<std::optional<EnrollmentCodeRow>> FindEnrollmentCode(
      const std::string& code_hash) override {
    return real_->FindEnrollmentCode(code_hash);
  }
  absl::Status AddGrant(Connection& c, const domain::Grant& grant) override {
    return real_->AddGrant(c, grant);
  }
  absl::Status AddCertificate(Connection& c, const NewCertificate& request) override {
    return real_->AddCertificate(c, request);
  }
  absl::Status LoadSeed(const domain::SeedData& seed) override { return real_->LoadSeed(seed); }
  absl::StatusOr<std::vector<domain::Team>> ListTeams(const std::string& organisation_id,
                                                      int limit) override {
    return real_->ListTeams(organisation_id, limit);
  }
  absl::StatusOr<std::optional<domain::Team>> FindTeam(Connection& c,
                                                       const std::string& organisation_id,
                                                       const std::string& id) override {
    return real_->FindTeam(c, organisation_id, id);
  }
  absl::StatusOr<domain::Team> IntakeTeam(Connection& c, const std::string& organisation_id,
                                          const std::string& field) override {
    return real_->IntakeTeam(c, organisation_id, field);
  }
  absl::Status AddTeam(Connection& c, const domain::Team& team) override {
    return real_->AddTeam(c, team);
  }
  absl::StatusOr<domain::Professional> RemoveFromTeam(Connection& c,
                                                      const std::string& professional_id,
                                                      const std::string& team) override {
    return real_->RemoveFromTeam(c, professional_id, team);
  }

  std::atomic<int> finds{0};
  std::function<void()> after_find;

 private:
  DirectoryStore* real_;
};

class CachingDirectoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteDatabase::Open(dir_.File("test.db"), *crypto::NewDatabaseKey(), /*create=*/true);
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
    ASSERT_THAT(ApplyMigrations(*db_), IsOk());
    real_ = std::make_unique<SqliteDirectoryStore>(db_.get());
    counting_ = std::make_unique<CountingDirectoryStore>(real_.get());
    cache_ = std::make_unique<CachingDirectoryStore>(counting_.get(), /*max_entries=*/4);
    ASSERT_THAT(cache_->LoadSeed(*domain::EmbeddedSeed()), IsOk());
  }

  // One write through the cache, in its own transaction (as a use case's
  // unit of work runs it); `then` runs inside it after the write, as the
  // audit entry's append would.
  absl::Status Write(const std::function<absl::Status(Connection&)>& write,
                     const std::function<absl::Status()>& then = nullptr) {
    return db_->Write([&](Connection& c) -> absl::Status {
      absl::Status s = write(c);
      if (!s.ok()) return s;
      return then ? then() : absl::OkStatus();
    });
  }
  absl::Status Add(const std::string& id) {
    return Write([&](Connection& c) { return cache_->AddProfessional(c, Record(id)); });
  }
  absl::Status Revoke(const std::string& serial, absl::Time at) {
    return Write([&](Connection& c) { return cache_->RevokeCertificate(c, serial, at).status(); });
  }

  static ProfessionalRecord Record(const std::string& id) {
    return testing::TestProfessionalRecord(id, "req-" + id + "-0001", {domain::Role::kPartner});
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SqliteDirectoryStore> real_;
  std::unique_ptr<CountingDirectoryStore> counting_;
  std::unique_ptr<CachingDirectoryStore> cache_;
};

TEST_F(CachingDirectoryStoreTest, RepeatedLookupsAreAnsweredFromMemory) {
  ASSERT_THAT(Add("p1"), IsOk());
  for (int i = 0; i < 5; ++i) {
    auto found = cache_->FindIdentity("fp-p1");
    ASSERT_THAT(found, IsOk());
    EXPECT_EQ(found->professional.id, "p1");
    EXPECT_EQ(found->professional.organisation_id, "woej");
    EXPECT_EQ(found->professional.roles, std::vector<domain::Role>{domain::Role::kPartner});
    EXPECT_EQ(found->certificate.serial, "SERIALp1");
    EXPECT_FALSE(found->certificate.revoke_time.has_value());
  }
  EXPECT_EQ(counting_->finds.load(), 1);
  // An unknown certificate is asked of the database every time.
  EXPECT_THAT(cache_->FindIdentity("fp-nobody"), StatusIs(absl::StatusCode::kNotFound, _));
  EXPECT_THAT(cache_->FindIdentity("fp-nobody"), StatusIs(absl::StatusCode::kNotFound, _));
  EXPECT_EQ(counting_->finds.load(), 3);
}

TEST_F(CachingDirectoryStoreTest, EveryWriteIsSeenByTheNextLookup) {
  ASSERT_THAT(Add("p1"), IsOk());
  // Unknown, then registered: found at once.
  EXPECT_THAT(cache_->FindIdentity("fp-p2"), StatusIs(absl::StatusCode::kNotFound, _));
  ASSERT_THAT(cache_->FindIdentity("fp-p1"), IsOk());
  ASSERT_THAT(Add("p2"), IsOk());
  ASSERT_THAT(cache_->FindIdentity("fp-p2"), IsOk());

  ASSERT_THAT(cache_->FindIdentity("fp-p1"), IsOk());  // cached
  ASSERT_THAT(Revoke("SERIALp1", absl::FromUnixSeconds(1750000000)),
              IsOk());
  auto revoked = cache_->FindIdentity("fp-p1");
  ASSERT_THAT(revoked, IsOk());
  EXPECT_EQ(revoked->certificate.revoke_time, absl::FromUnixSeconds(1750000000));

  ASSERT_THAT(cache_->FindIdentity("fp-p2"), IsOk());  // cached
  ASSERT_THAT(Write([&](Connection& c) { return cache_->DisableProfessional(c, "p2").status(); }), IsOk());
  auto disabled = cache_->FindIdentity("fp-p2");
  ASSERT_THAT(disabled, IsOk());
  EXPECT_TRUE(disabled->professional.disabled);
}

TEST_F(CachingDirectoryStoreTest, AFailedWriteInvalidatesToo) {
  ASSERT_THAT(Add("p1"), IsOk());
  ASSERT_THAT(cache_->FindIdentity("fp-p1"), IsOk());
  ASSERT_THAT(cache_->FindIdentity("fp-p1"), IsOk());
  EXPECT_EQ(counting_->finds.load(), 1);
  // The audit entry's append fails after the write: nothing is written,
  // and the cache is dropped all the same (a failure is not trusted to have
  // changed nothing).
  EXPECT_THAT(Write([&](Connection& c) { return cache_->DisableProfessional(c, "p1").status(); },
                    [] { return absl::UnavailableError("injected: the audit log cannot be written"); }),
              StatusIs(absl::StatusCode::kUnavailable, _));
  auto after = cache_->FindIdentity("fp-p1");
  ASSERT_THAT(after, IsOk());
  EXPECT_FALSE(after->professional.disabled);  // rolled back
  EXPECT_EQ(counting_->finds.load(), 2);
}

TEST_F(CachingDirectoryStoreTest, ALookupRacingARevocationDoesNotBringTheOldRowBack) {
  ASSERT_THAT(Add("p1"), IsOk());
  // The lookup reads the row while it is not revoked; before it remembers
  // it, the revocation commits and returns.
  counting_->after_find = [this] {
    ASSERT_THAT(Revoke("SERIALp1", absl::FromUnixSeconds(1750000000)),
                IsOk());
  };
  auto racing = cache_->FindIdentity("fp-p1");
  ASSERT_THAT(racing, IsOk());
  // It ran concurrently with the revocation, so either answer was fair...
  EXPECT_FALSE(racing->certificate.revoke_time.has_value());
  // ...but every lookup after the revocation returned sees it.
  for (int i = 0; i < 3; ++i) {
    auto next = cache_->FindIdentity("fp-p1");
    ASSERT_THAT(next, IsOk());
    EXPECT_EQ(next->certificate.revoke_time, absl::FromUnixSeconds(1750000000)) << i;
  }
  EXPECT_EQ(cache_->cached_identities(), 1u);
}

TEST_F(CachingDirectoryStoreTest, MemoryIsBounded) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_THAT(Add(absl::StrCat("p", i)), IsOk());
  }
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 10; ++i) {
      auto found = cache_->FindIdentity(absl::StrCat("fp-p", i));
      ASSERT_THAT(found, IsOk());
      EXPECT_EQ(found->professional.id, absl::StrCat("p", i));
      EXPECT_LE(cache_->cached_identities(), 4u);
    }
  }
}

}  // namespace
}  // namespace schakel::store
