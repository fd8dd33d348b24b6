// The emergency-access sessions the audit log answers from memory, over a
// real SQLCipher file: a session opened is effective at once, one ends at
// its end time by the injected clock, and a read racing an opening does not
// hide it afterwards.
#include <atomic>
#include <functional>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/audit/audit_log.h"
#include "server/common/clock.h"
#include "server/crypto/key_wrap.h"
#include "server/domain/seed.h"
#include "server/store/database.h"
#include "server/store/sqlite_database.h"
#include "server/store/directory_store.h"
#include "server/store/migrations.h"
#include "tests/support/test_support.h"

namespace schakel::audit {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Key;
using ::testing::Pair;

absl::Time Start() { return absl::FromUnixSeconds(1795424400); }

class BreakGlassCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::SqliteDatabase::Open(dir_.File("test.db"), *crypto::NewDatabaseKey(), true);
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
    ASSERT_THAT(store::ApplyMigrations(*db_), IsOk());
    store::SqliteDirectoryStore directory(db_.get());
    ASSERT_THAT(directory.LoadSeed(*domain::EmbeddedSeed()), IsOk());
    ASSERT_THAT(db_->Write([](store::Connection& c) -> absl::Status {
      for (const char* id : {"r1", "r2", "r3"}) {
        auto st = c.Prepare(
            "INSERT INTO residents (id, name, name_key, birth_date, address, wijk, create_time)"
            " VALUES (?1, 'x', 'x', '1980-01-01', 'x', 'prinsenhof', 0)",
            "insert resident");
        if (!st.ok()) return st.status();
        st->Bind(1, id);
        if (absl::Status s = st->Run(); !s.ok()) return s;
      }
      return absl::OkStatus();
    }),
                IsOk());
    MakeLog(AuditLogOptions().break_glass_cache_entries);
  }

  void MakeLog(size_t cache_entries) {
    auto signer = CheckpointSigner::Generate();
    ASSERT_THAT(signer, IsOk());
    AuditLogOptions options;
    options.break_glass_cache_entries = cache_entries;
    options.checkpoint_path = dir_.File("audit-checkpoints");
    options.before_break_glass_fill_for_testing = [this] {
      if (before_fill_) {
        auto hook = std::move(before_fill_);
        before_fill_ = nullptr;
        hook();
      }
    };
    log_ = std::make_unique<AuditLog>(db_.get(), &clock_, *std::move(signer), options);
  }

  absl::Status Open(const std::string& professional, const std::string& resident) {
    static std::atomic<int> n{0};
    BreakGlassSession s{absl::StrCat("bg", n++), professional, "ggz-rivierduinen", resident,
                        "Acute crisis, bewoner in nood", clock_.Now(),
                        clock_.Now() + absl::Minutes(60)};
    Entry e;
    e.time = clock_.Now();
    e.professional_id = professional;
    e.action = "ResidentService.OpenBreakGlass";
    e.residents = {resident};
    return log_->OpenBreakGlass(s, e);
  }

  // The residents open to the professional now.
  std::set<std::string> Active(const std::string& professional) {
    auto open = log_->ActiveBreakGlass(professional, clock_.Now());
    EXPECT_THAT(open, IsOk());
    std::set<std::string> residents;
    if (open.ok()) {
      for (const auto& [resident, end] : *open) residents.insert(resident);
    }
    return residents;
  }

  // What the database says, without the cache.
  std::set<std::string> InDatabase(const std::string& professional) {
    auto open = ActiveBreakGlassResidents(*db_, professional, clock_.Now());
    EXPECT_THAT(open, IsOk());
    return *open;
  }

  TempDir dir_;
  FakeClock clock_{Start()};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<AuditLog> log_;
  std::function<void()> before_fill_;
};

TEST_F(BreakGlassCacheTest, AnOpenedSessionIsEffectiveAtOnceAndEndsAtItsEndTime) {
  EXPECT_THAT(Active("pggz"), IsEmpty());  // remembered: none
  ASSERT_THAT(Open("pggz", "r1"), IsOk());
  EXPECT_THAT(Active("pggz"), ElementsAre("r1"));
  EXPECT_THAT(Active("pother"), IsEmpty());

  clock_.Advance(absl::Minutes(30));
  ASSERT_THAT(Open("pggz", "r2"), IsOk());
  EXPECT_THAT(Active("pggz"), ElementsAre("r1", "r2"));
  // From memory from now on; the clock decides per call.
  clock_.Advance(absl::Minutes(30) - absl::Microseconds(1));
  EXPECT_THAT(Active("pggz"), ElementsAre("r1", "r2"));
  clock_.Advance(absl::Microseconds(1));  // r1's session ends exactly now
  EXPECT_THAT(Active("pggz"), ElementsAre("r2"));
  EXPECT_EQ(Active("pggz"), InDatabase("pggz"));
  clock_.Advance(absl::Minutes(30));
  EXPECT_THAT(Active("pggz"), IsEmpty());
  EXPECT_EQ(Active("pggz"), InDatabase("pggz"));
}

TEST_F(BreakGlassCacheTest, ARequestDatedBeforeTheReadAsksTheDatabase) {
  ASSERT_THAT(Open("pggz", "r1"), IsOk());
  clock_.Advance(absl::Minutes(90));
  EXPECT_THAT(Active("pggz"), IsEmpty());  // remembered as of now: ended
  // A request that started an hour earlier still had emergency access.
  auto earlier = log_->ActiveBreakGlass("pggz", clock_.Now() - absl::Minutes(60));
  ASSERT_THAT(earlier, IsOk());
  EXPECT_THAT(*earlier, ElementsAre(Key("r1")));
}

TEST_F(BreakGlassCacheTest, AccessToAResidentEndsWithItsLongestSession) {
  const absl::Time first_end = clock_.Now() + absl::Minutes(60);
  ASSERT_THAT(Open("pggz", "r1"), IsOk());
  clock_.Advance(absl::Minutes(20));
  ASSERT_THAT(Open("pggz", "r1"), IsOk());  // opened again: 20 minutes more
  ASSERT_THAT(Open("pggz", "r2"), IsOk());
  auto open = log_->ActiveBreakGlass("pggz", clock_.Now());
  ASSERT_THAT(open, IsOk());
  EXPECT_THAT(*open, ElementsAre(Pair("r1", first_end + absl::Minutes(20)),
                                 Pair("r2", clock_.Now() + absl::Minutes(60))));
  const absl::Time r2_end = clock_.Now() + absl::Minutes(60);
  clock_.Advance(absl::Minutes(45));  // past the first session's end
  auto later = log_->ActiveBreakGlass("pggz", clock_.Now());  // from memory
  ASSERT_THAT(later, IsOk());
  EXPECT_THAT(*later, ElementsAre(Pair("r1", first_end + absl::Minutes(20)), Pair("r2", r2_end)));
  EXPECT_THAT(InDatabase("pggz"), ElementsAre("r1", "r2"));
}

TEST_F(BreakGlassCacheTest, AReadRacingAnOpeningDoesNotHideTheSessionAfterwards) {
  // The read finds no session; before it remembers that, a session is
  // opened and the opening returns.
  before_fill_ = [this] { ASSERT_THAT(Open("pggz", "r3"), IsOk()); };
  auto racing = log_->ActiveBreakGlass("pggz", clock_.Now());
  ASSERT_THAT(racing, IsOk());
  EXPECT_THAT(*racing, IsEmpty());  // concurrent with the opening: fair
  for (int i = 0; i < 3; ++i) EXPECT_THAT(Active("pggz"), ElementsAre("r3")) << i;
}

TEST_F(BreakGlassCacheTest, AFailedOpeningLeavesNothingOpen) {
  EXPECT_THAT(Active("pggz"), IsEmpty());
  // An unknown resident breaks the foreign key: the opening fails whole.
  EXPECT_FALSE(Open("pggz", "nobody").ok());
  EXPECT_THAT(Active("pggz"), IsEmpty());
  EXPECT_EQ(Active("pggz"), InDatabase("pggz"));
}

TEST_F(BreakGlassCacheTest, AnswersStayRightWhenTheBoundOverflows) {
  MakeLog(/*cache_entries=*/2);
  ASSERT_THAT(Open("p1", "r1"), IsOk());
  ASSERT_THAT(Open("p3", "r3"), IsOk());
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 5; ++i) {
      std::string id = absl::StrCat("p", i);
      EXPECT_EQ(Active(id), InDatabase(id)) << id;
    }
  }
  EXPECT_THAT(Active("p3"), ElementsAre("r3"));
}

}  // namespace
}  // namespace schakel::audit
