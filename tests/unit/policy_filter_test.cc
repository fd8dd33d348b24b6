// The access module's list predicates (SQL) and its row-by-row decisions
// (C++) must agree on every row, and the field view decided on the row a
// list returned must be the one decided on the facts it was generated
// from: generated data, every principal (every role of every organisation,
// in one team, in another, in two), every row. The relations go by team:
// rows of another team of the caller's own organisation are in the data.
#include <map>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/app/case_context.h"
#include "server/auth/policy.h"
#include "server/crypto/key_wrap.h"
#include "server/domain/seed.h"
#include "server/store/database.h"
#include "server/store/sqlite_database.h"
#include "server/store/directory_store.h"
#include "server/store/handover_store.h"
#include "server/store/migrations.h"
#include "server/store/name_rows.h"
#include "server/store/resident_store.h"
#include "server/store/signal_store.h"
#include "server/store/trajectory_store.h"
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

// The teams of every organisation in the generated rows, and the team sets
// the principals work in.
const char* const kTeams[] = {"intake", "t2", "t3"};
const std::vector<std::vector<std::string>> kTeamSets = {{"intake"}, {"t2"}, {"intake", "t3"}};

// Handover statuses in turn: the summary of a resident's trajectories
// opens only with the accepted ones (and those after them).
const char* const kHandoverStatuses[] = {"proposed", "accepted", "introduced", "completed",
                                         "declined", "cancelled"};

struct Generated {
  std::vector<auth::ResidentFacts> residents;
  std::vector<std::pair<std::string, auth::SignalFacts>> signals;
  std::vector<std::pair<std::string, auth::HandoverFacts>> handovers;
  std::vector<std::pair<std::string, domain::TeamRef>> trajectories;
  // Per trajectory: what the row decision decides on, and whether it is closed.
  std::map<std::string, auth::TrajectoryFacts> trajectory_facts;
  std::set<std::string> closed_trajectories;
};

class PolicyFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::SqliteDatabase::Open(dir_.File("policy.db"), *crypto::NewDatabaseKey(), true);
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
    auto team_of = [&](const std::string& o) {
      return domain::TeamRef{o, kTeams[rng() % 3]};
    };
    // Per resident: the receiving teams of its accepted handovers.
    std::map<std::string, std::vector<domain::TeamRef>> accepted;
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
          domain::TeamRef t = team_of(org());
          Exec(c,
               "INSERT OR IGNORE INTO resident_registrations (resident_id, organisation_id,"
               " professional_id, create_time, team) VALUES (?1, ?2, ?3, 0, ?4)",
               {r.id, t.organisation_id, absl::StrCat("p", k), t.team});
          r.registering_teams.push_back(t);
        }
        g.residents.push_back(r);
      }
      for (int i = 0; i < 300; ++i) {
        const auto& [category, sensitivity] = kCategories[rng() % 4];
        auth::SignalFacts s;
        s.author_id = absl::StrCat("author", rng() % 5);
        s.author = team_of(org());
        if (rng() % 3 != 0) s.owner = team_of(org());
        s.sensitivity = sensitivity;
        int resident = static_cast<int>(rng() % 80);  // some signals are about a place
        s.resident_id = resident < 60 ? absl::StrCat("r", resident) : "";
        std::string id = absl::StrCat("s", i);
        Exec(c,
             "INSERT INTO signals (id, category, opgave, sensitivity, wijk, place, description,"
             " resident_id, urgency, owner_org, status, author_id, author_org, create_time,"
             " update_time, version, author_team, owner_team) VALUES (?1, ?2, 'FVW', ?3,"
             " 'prinsenhof', 'p', 'd', ?4, 'normal', ?5, 'open', ?6, ?7, 0, 0, 1, ?8, ?9)",
             {id, category, std::string(domain::SensitivityName(sensitivity)),
              s.resident_id.empty() ? "NULL" : s.resident_id,
              s.owner.organisation_id.empty() ? "NULL" : s.owner.organisation_id, s.author_id,
              s.author.organisation_id, s.author.team, s.owner.team});
        g.signals.emplace_back(id, s);
        if (resident < 60) g.residents[resident].signals.push_back(s);
      }
      for (int i = 0; i < 80; ++i) {
        auth::HandoverFacts h;
        h.from = team_of(org());
        // Between teams: of two organisations, or of one (cross-team work).
        do {
          h.to = team_of(rng() % 4 == 0 ? h.from.organisation_id : org());
        } while (h.to.organisation_id == h.from.organisation_id && h.to.team == h.from.team);
        int resident = static_cast<int>(rng() % 60);
        h.resident_id = absl::StrCat("r", resident);
        std::string id = absl::StrCat("h", i);
        const std::string status = kHandoverStatuses[i % 6];
        Exec(c,
             "INSERT INTO handovers (id, resident_id, from_org, sender_id, to_org, reason,"
             " basis_kind, deadline, status, create_time, update_time, version, from_team,"
             " to_team) VALUES (?1, ?2, ?3, 'p', ?4, 'r', 'consent', '2026-12-01', ?7,"
             " 0, 0, 1, ?5, ?6)",
             {id, h.resident_id, h.from.organisation_id, h.to.organisation_id, h.from.team,
              h.to.team, status});
        if (status == "accepted" || status == "introduced" || status == "completed") {
          accepted[h.resident_id].push_back(h.to);
        }
        g.handovers.emplace_back(id, h);
        g.residents[resident].handovers.push_back(h);
      }
      for (int i = 0; i < 40; ++i) {
        domain::TeamRef t = team_of(org());
        int resident = static_cast<int>(rng() % 60);
        std::string id = absl::StrCat("t", i);
        const bool closed = i % 4 == 3;
        const std::string resident_id = absl::StrCat("r", resident);
        Exec(c,
             "INSERT INTO trajectories (id, resident_id, consultant_id, organisation_id,"
             " start_date, goal, status, create_time, update_time, version, team) VALUES"
             " (?1, ?2, 'p', ?3, '2026-01-01', '', ?5, 0, 0, 1, ?4)",
             {id, resident_id, t.organisation_id, t.team, closed ? "closed" : "active"});
        g.residents[resident].trajectory_teams.push_back(t);
        g.trajectories.emplace_back(id, t);
        g.trajectory_facts[id] = auth::TrajectoryFacts{t, resident_id, accepted[resident_id]};
        if (closed) g.closed_trajectories.insert(id);
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
  store::SqliteTrajectoryStore trajectories(db_.get());
  int compared = 0, mismatches = 0, limited_views = 0, full_views = 0, other_team_rows = 0;
  int summary_trajectories = 0, full_trajectories = 0;
  for (Role role : {Role::kRegisseur, Role::kConsultant, Role::kBridgeOfficer, Role::kGgz,
                    Role::kPartner, Role::kAuditor, Role::kAdmin, Role::kAnalyst}) {
    for (const char* org : kOrgs) {
     for (const std::vector<std::string>& teams : kTeamSets) {
      auth::Principal p;
      p.professional.id = absl::StrCat("p-", domain::RoleName(role), "-", org);
      p.professional.organisation_id = org;
      p.professional.teams = teams;
      p.professional.roles = {role};
      p.now = now;
      if (p.professional.id == "p-ggz-woej") p.break_glass_residents = {{"r7", absl::InfiniteFuture()}};
      const std::string who = absl::StrCat(p.professional.id, " in ", absl::StrJoin(teams, "+"));
      // A row of the caller's organisation but none of its teams: the
      // relation the teams change.
      auto other_team = [&](const domain::TeamRef& t) {
        return t.organisation_id == org && !p.professional.InTeam(t.team);
      };

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
        other_team_rows += other_team(facts.author) || other_team(facts.owner);
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
          const auth::SignalFacts read{row.author_id,
                                       {row.author_organisation_id, row.author_team},
                                       {row.owner_organisation_id, row.owner_team},
                                       row.sensitivity,
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
      // A resident's name comes with a response only for whoever may read
      // the resident (store::ReadNames), exactly as a read.
      domain::NameRequest all_residents;
      for (const auth::ResidentFacts& r : g.residents) all_residents.Resident(r.id);
      domain::Names names;
      ASSERT_THAT(db_->Read([&](store::Connection& c) -> absl::Status {
        auto read = store::ReadNames(c, all_residents, auth::ScopeOf(p));
        if (!read.ok()) return read.status();
        names = *std::move(read);
        return absl::OkStatus();
      }),
                  IsOk());
      for (const auth::ResidentFacts& r : g.residents) {
        bool decided = auth::CanReadResident(p, r);
        bool found = may_use && residents.Get(r.id, auth::ScopeOf(p)).ok();
        ++compared;
        if (decided != found) {
          ++mismatches;
          ADD_FAILURE() << who << " resident " << r.id << ": decision " << decided;
        }
        ++compared;
        if (may_use && decided != !names.Resident(r.id).empty()) {
          ++mismatches;
          ADD_FAILURE() << who << " resident " << r.id << ": name shown " << !decided;
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
      // The boxes: a handover is in the inbox (outbox) of the receiving
      // (sending) team, never by emergency access.
      if (may_use) {
        for (domain::HandoverBox box : {domain::HandoverBox::kInbox, domain::HandoverBox::kOutbox}) {
          std::set<std::string> boxed;
          std::string after_deadline;
          int64_t after_seq = 0;
          while (true) {
            auto page = handovers.List(box, auth::ScopeOf(p), std::nullopt, "", after_deadline,
                                       after_seq, 29);
            ASSERT_THAT(page, IsOk());
            for (const auto& h : page->handovers) boxed.insert(h.id);
            if (!page->more) break;
            after_deadline = page->last_deadline;
            after_seq = page->last_seq;
          }
          for (const auto& [id, facts] : g.handovers) {
            const bool decided = auth::WorksIn(
                p, box == domain::HandoverBox::kInbox ? facts.to : facts.from);
            ++compared;
            if (decided != (boxed.count(id) > 0)) {
              ++mismatches;
              ADD_FAILURE() << who << " box " << static_cast<int>(box) << " handover " << id
                            << ": decision " << decided;
            }
          }
        }
      }
      // The caseload: a consultant's is every trajectory of their teams,
      // exactly those AccessToTrajectory opens in full without break-glass.
      if (auth::Decide(p, auth::Action::kReadCaseload).allowed) {
        std::set<std::string> caseload;
        store::CaseloadQuery q;
        q.scope = auth::ScopeOf(p);
        q.include_closed = true;  // some generated trajectories are closed
        q.limit = 17;
        while (true) {
          auto page = trajectories.ListCaseload(q);
          ASSERT_THAT(page, IsOk());
          for (const auto& d : page->trajectories) caseload.insert(d.trajectory.id);
          if (!page->more) break;
          q.after_due = page->last_due;
          q.after_seq = page->last_seq;
        }
        for (const auto& [id, team] : g.trajectories) {
          const bool decided =
              auth::AccessToTrajectory(p, auth::TrajectoryFacts{team, "", {}}) ==
              auth::TrajectoryAccess::kFull;
          ++compared;
          if (decided != (caseload.count(id) > 0)) {
            ++mismatches;
            ADD_FAILURE() << who << " caseload trajectory " << id << ": decision " << decided;
          }
        }
      }
      // One resident's trajectories: exactly those AccessToTrajectory opens
      // (in full or as the summary), and the view decided on the row the
      // list returned is the view decided on the generated facts.
      if (may_use) {
        for (const auth::ResidentFacts& r : g.residents) {
          for (bool include_closed : {true, false}) {
            store::ResidentTrajectoriesQuery q;
            q.scope = auth::ScopeOf(p);
            q.resident_id = r.id;
            q.include_closed = include_closed;
            q.limit = 1000;
            auto rows = trajectories.ListOfResident(q);
            ASSERT_THAT(rows, IsOk());
            std::map<std::string, auth::TrajectoryAccess> listed_access;
            for (const auto& d : *rows) {
              listed_access[d.trajectory.id] = auth::AccessToTrajectory(
                  p, auth::TrajectoryFacts{{d.trajectory.organisation_id, d.trajectory.team},
                                           d.trajectory.resident_id,
                                           d.accepted_handover_teams});
            }
            for (const auto& [id, facts] : g.trajectory_facts) {
              if (facts.resident_id != r.id) continue;
              const auth::TrajectoryAccess decided = auth::AccessToTrajectory(p, facts);
              const bool expected = decided != auth::TrajectoryAccess::kNone &&
                                    (include_closed || !g.closed_trajectories.count(id));
              ++compared;
              if (expected != (listed_access.count(id) > 0)) {
                ++mismatches;
                ADD_FAILURE() << who << " resident " << r.id << " trajectory " << id
                              << ": decision " << static_cast<int>(decided)
                              << (include_closed ? " with closed" : " open only");
                continue;
              }
              if (!expected) continue;
              ++compared;
              if (listed_access[id] != decided) {
                ++mismatches;
                ADD_FAILURE() << who << " trajectory " << id << ": view differs";
              }
              summary_trajectories += decided == auth::TrajectoryAccess::kSummary;
              full_trajectories += decided == auth::TrajectoryAccess::kFull;
            }
          }
        }
      }
     }
    }
  }
  std::cout << "policy filter agreement: " << compared << " rows compared, " << mismatches
            << " mismatches\n";
  EXPECT_EQ(mismatches, 0);
  EXPECT_GT(compared, 60000);
  // Rows of another team of the caller's organisation occur: the team
  // relation is tested, not only the organisation one.
  EXPECT_GT(other_team_rows, 5000);
  // Both views occur in the generated data: the comparison is not vacuous.
  EXPECT_GT(limited_views, 50);
  EXPECT_GT(full_views, 500);
  // A resident's trajectories are listed both in full and as the summary.
  EXPECT_GT(summary_trajectories, 20);
  EXPECT_GT(full_trajectories, 20);
}

}  // namespace
}  // namespace schakel
