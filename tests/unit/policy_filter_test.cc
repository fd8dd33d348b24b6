// The access module's list predicates (SQL) and its row-by-row decisions
// (C++) must agree on every row, and the field view decided on the row a
// list returned must be the one decided on the facts it was generated
// from: generated data, every principal, every row.
#include <map>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/app/case_context.h"
#include "server/auth/policy.h"
#include "server/crypto/key_wrap.h"
#include "server/domain/seed.h"
#include "server/store/database.h"
#include "server/store/directory_store.h"
#include "server/store/handover_store.h"
#include "server/store/migrations.h"
#include "server/store/resident_store.h"
#include "server/store/signal_store.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::TempDir;
using domain::Role;
using domain::Sensitivity;

const char* const kOrgs[] = {"woej", "vidomes", "kwadraad", "ggz-rivierduinen", "kredietbank",
                             "gemeente-lv"};
// One category per sensitivity (deploy/seed/signal_categories.csv).
const std::pair<const char*, Sensitivity> kCategories[] = {
    {"FVW-AFVALDUMP", Sensitivity::kNormal},
    {"JO-ARMOEDE", Sensitivity::kSensitive},
    {"FVW-VERSLAVING", Sensitivity::kHealth},
    {"FVW-WOONFRAUDE", Sensitivity::kJustice},
};

struct Generated {
  std::vector<auth::ResidentFacts> residents;
  std::vector<std::pair<std::string, auth::SignalFacts>> signals;
  std::vector<std::pair<std::string, auth::HandoverFacts>> handovers;
};

class PolicyFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::Open(dir_.File("policy.db"), *crypto::NewDatabaseKey(), true);
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
    ASSERT_THAT(store::ApplyMigrations(*db_), IsOk());
    store::SqliteDirectoryStore directory(db_.get());
    ASSERT_THAT(directory.LoadSeed(*domain::EmbeddedSeed()), IsOk());
  }

  void Exec(store::Connection& c, const std::string& sql,
            std::initializer_list<std::string> values) {
    auto st = c.Prepare(sql, "generate");
    ASSERT_THAT(st, IsOk());
    int i = 1;
    for (const std::string& v : values) {
      if (v == "NULL") {
        st->BindNull(i++);
      } else {
        st->Bind(i++, v);
      }
    }
    ASSERT_THAT(st->Run(), IsOk());
  }

  Generated Generate(std::mt19937& rng, absl::Time now) {
    Generated g;
    auto org = [&] { return std::string(kOrgs[rng() % 6]); };
    EXPECT_THAT(db_->Write([&](store::Connection& c) -> absl::Status {
      for (int i = 0; i < 60; ++i) {
        auth::ResidentFacts r;
        r.id = absl::StrCat("r", i);
        Exec(c,
             "INSERT INTO residents (id, name, name_key, birth_date, address, wijk, create_time)"
             " VALUES (?1, 'n', 'n', '1980-01-01', 'a', 'prinsenhof', 0)",
             {r.id});
        int registrations = 1 + rng() % 2;
        for (int k = 0; k < registrations; ++k) {
          std::string o = org();
          Exec(c,
               "INSERT OR IGNORE INTO resident_registrations (resident_id, organisation_id,"
               " professional_id, create_time) VALUES (?1, ?2, 'p', 0)",
               {r.id, o});
          r.registering_organisations.push_back(o);
        }
        g.residents.push_back(r);
      }
      for (int i = 0; i < 300; ++i) {
        const auto& [category, sensitivity] = kCategories[rng() % 4];
        auth::SignalFacts s;
        s.author_id = absl::StrCat("author", rng() % 5);
        s.author_organisation_id = org();
        s.owner_organisation_id = rng() % 3 == 0 ? "" : org();
        s.sensitivity = sensitivity;
        int resident = static_cast<int>(rng() % 80);  // some signals are about a place
        s.resident_id = resident < 60 ? absl::StrCat("r", resident) : "";
        std::string id = absl::StrCat("s", i);
        Exec(c,
             "INSERT INTO signals (id, category, opgave, sensitivity, wijk, place, description,"
             " resident_id, urgency, owner_org, status, author_id, author_org, create_time,"
             " update_time, version) VALUES (?1, ?2, 'FVW', ?3, 'prinsenhof', 'p', 'd', ?4,"
             " 'normal', ?5, 'open', ?6, ?7, 0, 0, 1)",
             {id, category, std::string(domain::SensitivityName(sensitivity)),
              s.resident_id.empty() ? "NULL" : s.resident_id,
              s.owner_organisation_id.empty() ? "NULL" : s.owner_organisation_id, s.author_id,
              s.author_organisation_id});
        g.signals.emplace_back(id, s);
        if (resident < 60) g.residents[resident].signals.push_back(s);
      }
      for (int i = 0; i < 80; ++i) {
        auth::HandoverFacts h;
        h.from_organisation_id = org();
        do {
          h.to_organisation_id = org();
        } while (h.to_organisation_id == h.from_organisation_id);
        int resident = static_cast<int>(rng() % 60);
        h.resident_id = absl::StrCat("r", resident);
        std::string id = absl::StrCat("h", i);
        Exec(c,
             "INSERT INTO handovers (id, resident_id, from_org, sender_id, to_org, reason,"
             " basis_kind, deadline, status, create_time, update_time, version) VALUES"
             " (?1, ?2, ?3, 'p', ?4, 'r', 'consent', '2026-12-01', 'proposed', 0, 0, 1)",
             {id, h.resident_id, h.from_organisation_id, h.to_organisation_id});
        g.handovers.emplace_back(id, h);
        g.residents[resident].handovers.push_back(h);
      }
      for (int i = 0; i < 40; ++i) {
        std::string o = org();
        int resident = static_cast<int>(rng() % 60);
        Exec(c,
             "INSERT INTO trajectories (id, resident_id, consultant_id, organisation_id,"
             " start_date, goal, status, create_time, update_time, version) VALUES"
             " (?1, ?2, 'p', ?3, '2026-01-01', '', 'active', 0, 0, 1)",
             {absl::StrCat("t", i), absl::StrCat("r", resident), o});
        g.residents[resident].trajectory_organisations.push_back(o);
      }
      // One open and one expired emergency access.
      Exec(c,
           "INSERT INTO breakglass_sessions (id, professional_id, organisation_id, resident_id,"
           " reason, start_time, end_time) VALUES ('bg1', 'p-ggz-woej', 'woej', 'r7', 'reason',"
           " ?1, ?2)",
           {absl::StrCat(absl::ToUnixMicros(now - absl::Minutes(5))),
            absl::StrCat(absl::ToUnixMicros(now + absl::Minutes(55)))});
      Exec(c,
           "INSERT INTO breakglass_sessions (id, professional_id, organisation_id, resident_id,"
           " reason, start_time, end_time) VALUES ('bg2', 'p-regisseur-vidomes', 'vidomes',"
           " 'r9', 'reason', ?1, ?2)",
           {absl::StrCat(absl::ToUnixMicros(now - absl::Minutes(120))),
            absl::StrCat(absl::ToUnixMicros(now - absl::Minutes(60)))});
      return absl::OkStatus();
    }),
                IsOk());
    return g;
  }

  TempDir dir_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(PolicyFilterTest, SqlFiltersAndRowDecisionsAgreeOnEveryRow) {
  std::mt19937 rng(20261127);
  const absl::Time now = absl::FromUnixSeconds(1795000000);
  Generated g = Generate(rng, now);
  store::SqliteSignalStore signals(db_.get());
  store::SqliteResidentStore residents(db_.get());
  store::SqliteHandoverStore handovers(db_.get());
  int compared = 0, mismatches = 0, limited_views = 0, full_views = 0;
  for (Role role : {Role::kRegisseur, Role::kConsultant, Role::kBridgeOfficer, Role::kGgz,
                    Role::kPartner, Role::kAuditor, Role::kAdmin, Role::kAnalyst}) {
    for (const char* org : kOrgs) {
      auth::Principal p;
      p.professional.id = absl::StrCat("p-", domain::RoleName(role), "-", org);
      p.professional.organisation_id = org;
      p.professional.roles = {role};
      p.now = now;
      if (p.professional.id == "p-ggz-woej") p.break_glass_residents = {"r7"};
      const std::string who = p.professional.id;

      // Signals: every page of the list, against the decision per row.
      std::set<std::string> listed;
      std::map<std::string, domain::Signal> rows;
      int64_t before = 0;
      while (true) {
        auto page = signals.List({}, auth::ScopeOf(p), before, 37);
        ASSERT_THAT(page, IsOk());
        for (const auto& s : page->signals) {
          listed.insert(s.id);
          rows[s.id] = s;
        }
        if (!page->more) break;
        before = page->last_seq;
      }
      // Roles without case data are refused before any query (Decide);
      // for them the row decision must deny every row.
      bool may_use = auth::Decide(p, auth::Action::kUseCaseData).allowed;
      for (const auto& [id, facts] : g.signals) {
        bool decided = auth::CanReadSignal(p, facts);
        ++compared;
        if (!may_use) {
          if (decided) {
            ++mismatches;
            ADD_FAILURE() << who << " may read signal " << id << " without a case role";
          }
          continue;
        }
        if (decided != (listed.count(id) > 0)) {
          ++mismatches;
          ADD_FAILURE() << who << " signal " << id << ": decision " << decided;
        }
        // Field agreement: the view decided on the row the list returned is
        // the view decided on the generated facts, and it shows nothing of
        // the content when limited.
        if (decided && rows.count(id)) {
          domain::Signal row = rows[id];
          const auth::SignalFacts read{row.author_id, row.author_organisation_id,
                                       row.owner_organisation_id, row.sensitivity,
                                       row.resident_id};
          const auth::SignalFields view = auth::SignalFieldView(p, read);
          ++compared;
          if (view != auth::SignalFieldView(p, facts)) {
            ++mismatches;
            ADD_FAILURE() << who << " signal " << id << ": field view differs";
          }
          auth::ApplySignalFields(view, row);
          if (view == auth::SignalFields::kLimited &&
              (!row.place.empty() || !row.description.empty() || !row.resident_id.empty() ||
               !row.author_id.empty() || !row.author_organisation_id.empty())) {
            ++mismatches;
            ADD_FAILURE() << who << " signal " << id << ": limited view shows content";
          }
          if (view == auth::SignalFields::kLimited) ++limited_views;
          if (view == auth::SignalFields::kFull) ++full_views;
        }
      }
      for (const auth::ResidentFacts& r : g.residents) {
        bool decided = auth::CanReadResident(p, r);
        bool found = may_use && residents.Get(r.id, auth::ScopeOf(p)).ok();
        ++compared;
        if (decided != found) {
          ++mismatches;
          ADD_FAILURE() << who << " resident " << r.id << ": decision " << decided;
        }
      }
      for (const auto& [id, facts] : g.handovers) {
        bool decided = auth::CanReadHandover(p, facts);
        auth::ListScope party = auth::ScopeOf(p);
        bool found = may_use && handovers.Get(id, party).ok();
        ++compared;
        if (decided != found) {
          ++mismatches;
          ADD_FAILURE() << who << " handover " << id << ": decision " << decided;
        }
      }
    }
  }
  std::cout << "policy filter agreement: " << compared << " rows compared, " << mismatches
            << " mismatches\n";
  EXPECT_EQ(mismatches, 0);
  EXPECT_GT(compared, 15000);
  // Both views occur in the generated data: the comparison is not vacuous.
  EXPECT_GT(limited_views, 50);
  EXPECT_GT(full_views, 500);
}

}  // namespace
}  // namespace schakel
