// design.md's policy table as a generated matrix, through a real server:
// every role × action × relation to the record × sensitivity, against the
// table written out independently here; and every denial leaves its audit
// entry. The relations go by team (design.md, "Teams"): each relation is
// tried from the team that has it and from another team of the same
// organisation, which must count as uninvolved.
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/handovers.grpc.pb.h"
#include "schakel/v1/reports.grpc.pb.h"
#include "schakel/v1/privacy.grpc.pb.h"
#include "schakel/v1/residents.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "schakel/v1/trajectories.grpc.pb.h"
#include "server/audit/audit_store.h"
#include "server/crypto/x509.h"
#include "server/deployment/deployment.h"
#include "server/store/handover_store.h"
#include "server/store/resident_store.h"
#include "server/store/trajectory_store.h"
#include "server/deployment/init.h"
#include "server/server.h"
#include "server/store/directory_store.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using ::schakel::testing::Identity;
using ::schakel::testing::IsOk;
using ::schakel::testing::MakeChannel;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::TempDir;
using domain::Role;

enum class Relation { kAuthor, kRegistering, kOwner, kParty, kTrajectory, kUninvolved };
// Every record is written by, owned by, registered by, handed over to and
// kept by the intake team of these organisations.
struct RelationCase {
  Relation relation;
  const char* organisation;
  // A professional of the organisation working in another team of it.
  bool other_team;
};
constexpr char kOtherTeam[] = "andere-afdeling";
const RelationCase kRelations[] = {
    {Relation::kAuthor, "woej", false},
    {Relation::kRegistering, "kwadraad", false},
    {Relation::kOwner, "vidomes", false},
    {Relation::kParty, "kredietbank", false},
    {Relation::kTrajectory, "sociaal-servicepunt", false},
    {Relation::kUninvolved, "avalex", false},
    {Relation::kAuthor, "woej", true},
    {Relation::kRegistering, "kwadraad", true},
    {Relation::kOwner, "vidomes", true},
    {Relation::kParty, "kredietbank", true},
    {Relation::kTrajectory, "sociaal-servicepunt", true},
};
constexpr size_t kRelationCount = sizeof(kRelations) / sizeof(kRelations[0]);
const char* RelationName(Relation r) {
  switch (r) {
    case Relation::kAuthor: return "author";
    case Relation::kRegistering: return "registering";
    case Relation::kOwner: return "owner";
    case Relation::kParty: return "party";
    case Relation::kTrajectory: return "trajectory";
    case Relation::kUninvolved: return "uninvolved";
  }
  return "?";
}

const std::pair<const char*, const char*> kSensitivities[] = {
    {"normal", "FVW-AFVALDUMP"},
    {"sensitive", "JO-ARMOEDE"},
    {"health", "FVW-VERSLAVING"},
    {"justice", "FVW-WOONFRAUDE"},
};

enum class Act {
  kSignalGet, kSignalContent, kSignalList, kSignalStatus, kSignalAssign, kResidentGet,
  kHandoverGet, kTrajectoryGet, kTrajectoryFull, kPrivacyExport
};
const std::pair<Act, const char*> kActs[] = {
    {Act::kSignalGet, "signal.get"},       {Act::kSignalContent, "signal.content"},
    {Act::kSignalList, "signal.list"},     {Act::kSignalStatus, "signal.status"},
    {Act::kSignalAssign, "signal.assign"}, {Act::kResidentGet, "resident.get"},
    {Act::kHandoverGet, "handover.get"},   {Act::kTrajectoryGet, "trajectory.get"},
    {Act::kTrajectoryFull, "trajectory.full"}, {Act::kPrivacyExport, "privacy.export"},
};

// design.md, "Who may see what", written out once more, independently of
// server/auth/policy.cc.
bool Expected(Role role, Act act, const RelationCase& relation, const std::string& sensitivity) {
  // Another team of the organisation is not involved: need-to-know goes by
  // team.
  const Relation rel = relation.other_team ? Relation::kUninvolved : relation.relation;
  // Residents' rights: the privacy officer, whatever the relation.
  if (act == Act::kPrivacyExport) return role == Role::kPrivacyOfficer;
  bool case_role = role == Role::kRegisseur || role == Role::kConsultant ||
                   role == Role::kBridgeOfficer || role == Role::kGgz || role == Role::kPartner;
  if (!case_role) return false;
  bool involved = rel == Relation::kAuthor || rel == Relation::kOwner;
  bool reads_signal =
      involved || (role == Role::kRegisseur && sensitivity != "justice");
  switch (act) {
    case Act::kSignalGet:
    case Act::kSignalList:
      return reads_signal;
    case Act::kSignalContent:
      return reads_signal && (sensitivity != "health" || (role == Role::kGgz && involved));
    case Act::kSignalStatus:
      return reads_signal && (role == Role::kRegisseur || rel == Relation::kOwner);
    case Act::kSignalAssign:
      return reads_signal && role == Role::kRegisseur;
    case Act::kResidentGet:
      // A health signal's frame, read area-wide, does not carry its resident.
      return rel != Relation::kUninvolved || (reads_signal && sensitivity != "health");
    case Act::kHandoverGet:
      return rel == Relation::kParty;
    case Act::kTrajectoryFull:
      return role == Role::kConsultant && rel == Relation::kTrajectory;
    case Act::kTrajectoryGet:
      // The full trajectory, or the summary for the receiver of an
      // accepted handover for the resident.
      return (role == Role::kConsultant && rel == Relation::kTrajectory) ||
             rel == Relation::kParty;
    case Act::kPrivacyExport:
      return false;  // decided above
  }
  return false;
}

struct Record {
  std::string resident;
  std::string signal;
  std::string handover;
  std::string trajectory;
};

class PolicyMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_ = testing::InitDemoDeployment(tmp_);
    kek_ = testing::DemoKek(*paths_);
    Populate();
    ServerOptions options;
    options.deployment_dir = paths_->dir;
    options.listen = "127.0.0.1:0";
    auto server = Server::Start(options);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(server).value();
  }

  void Exec(store::Connection& c, const std::string& sql, std::vector<std::string> values) {
    auto st = c.Prepare(sql, "populate");
    ASSERT_THAT(st, IsOk());
    for (size_t i = 0; i < values.size(); ++i) st->Bind(static_cast<int>(i + 1), values[i]);
    ASSERT_THAT(st->Run(), IsOk());
  }

  // The records, and one professional per role in each relation's
  // organisation, written before the server starts.
  void Populate() {
    auto db = deployment::OpenDatabase(*paths_, kek_);
    ASSERT_THAT(db, IsOk());
    crypto::CertificateAuthority ca = testing::LoadCa(*paths_);
    ASSERT_THAT((*db)->Write([&](store::Connection& c) -> absl::Status {
      for (const auto& [sensitivity, category] : kSensitivities) {
        // Ids in the format the server checks (domain/ids.h): the prefix
        // and 16 base32 characters.
        auto id = [&](const char* prefix) {
          return absl::StrCat(prefix, std::string(sensitivity), std::string(16, 'a'))
              .substr(0, std::string(prefix).size() + 16);
        };
        Record r{id("r"), id("s"), id("h"), id("t")};
        {
          // As the store writes it (sealed on PostgreSQL).
          domain::Resident resident;
          resident.id = r.resident;
          resident.name = "n";
          resident.birth_date = absl::CivilDay(1980, 1, 1);
          resident.address = "a";
          resident.wijk = "prinsenhof";
          resident.create_time = absl::FromUnixMicros(0);
          EXPECT_THAT(store::InsertResidentRow(c, resident, "n", ""), IsOk());
        }
        Exec(c,
             "INSERT INTO resident_registrations (resident_id, organisation_id, professional_id,"
             " create_time, team) VALUES (?1, 'kwadraad', 'p-registrar', 0, 'intake')",
             {r.resident});
        {
          // Place and description as the store writes them (sealed on
          // PostgreSQL).
          auto st = c.Prepare(
              "INSERT INTO signals (id, category, opgave, sensitivity, wijk, place, description,"
              " resident_id, urgency, owner_org, status, author_id, author_org, create_time,"
              " update_time, version, author_team, owner_team) VALUES (?1, ?2, 'FVW', ?3,"
              " 'prinsenhof', ?5, ?6, ?4, 'normal', 'vidomes', 'open', 'p-author',"
              " 'woej', 0, 0, 1, 'intake', 'intake')",
              "test row");
          EXPECT_THAT(st, IsOk());
          if (!st.ok()) return st.status();
          st->Bind(1, r.signal).Bind(2, category).Bind(3, sensitivity).Bind(4, r.resident);
          st->BindSealed(5, store::SealContext("signals.place", r.signal), "plek");
          st->BindSealed(6, store::SealContext("signals.description", r.signal), "inhoud");
          EXPECT_THAT(st->Run(), IsOk());
        }
        {
          // Handover and trajectory as the stores write them (their text
          // sealed on PostgreSQL).
          domain::Handover h;
          h.id = r.handover;
          h.resident_id = r.resident;
          h.from_organisation_id = "bibliotheek-vliet";
          h.sender_id = "p-sender";
          h.to_organisation_id = "kredietbank";
          h.reason = "r";
          h.basis.kind = domain::BasisKind::kLegalTask;
          h.deadline = absl::CivilDay(2099, 1, 1);
          h.status = domain::HandoverStatus::kAccepted;
          h.create_time = h.update_time = absl::FromUnixMicros(0);
          h.version = 1;
          h.from_team = h.to_team = "intake";
          EXPECT_THAT(store::InsertHandoverRow(c, h), IsOk());
          domain::Trajectory t;
          t.id = r.trajectory;
          t.resident_id = r.resident;
          t.consultant_id = "p-trajectory-consultant";
          t.organisation_id = "sociaal-servicepunt";
          t.start_date = absl::CivilDay(2026, 1, 1);
          t.goal = "doel";
          t.status = domain::TrajectoryStatus::kActive;
          t.create_time = t.update_time = absl::FromUnixMicros(0);
          t.version = 1;
          t.team = "intake";
          EXPECT_THAT(store::InsertTrajectoryRow(c, t), IsOk());
        }
        records_[sensitivity] = r;
      }
      for (const RelationCase& rc : kRelations) {
        if (!rc.other_team) continue;
        Exec(c,
             "INSERT INTO teams (organisation_id, id, name, intake, create_time)"
             " VALUES (?1, ?2, 'Andere afdeling', 0, 0)",
             {rc.organisation, kOtherTeam});
      }
      return absl::OkStatus();
    }),
                IsOk());
    store::SqliteDirectoryStore directory(db->get());
    absl::Time now = absl::Now();
    for (Role role : domain::AllRoles()) {
      for (size_t i = 0; i < kRelationCount; ++i) {
        const RelationCase& rc = kRelations[i];
        // In the format of a professional id ("p" and 16 base32
        // characters: domain/ids.h), one per role and relation.
        static constexpr char kBase32[] = "abcdefghijklmnopqrstuvwxyz234567";
        std::string id = absl::StrCat("pmatrix", std::string(1, kBase32[static_cast<int>(role)]),
                                      std::string(1, kBase32[i]), "aaaaaaaa");
        identities_[{role, i}] = testing::RegisterProfessional(
            **db, ca, id, rc.organisation, {role}, now - absl::Hours(1), now + absl::Hours(2),
            nullptr, {rc.other_team ? kOtherTeam : "intake"});
        ids_[{role, i}] = id;
      }
    }
  }

  TempDir tmp_;
  std::unique_ptr<deployment::Paths> paths_;
  std::string kek_;
  std::unique_ptr<Server> server_;
  std::map<std::string, Record> records_;
  std::map<std::pair<Role, size_t>, Identity> identities_;
  std::map<std::pair<Role, size_t>, std::string> ids_;
};

grpc::ClientContext* Deadline(grpc::ClientContext& ctx) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return &ctx;
}

bool Denied(const grpc::Status& s) {
  return s.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
         s.error_code() == grpc::StatusCode::NOT_FOUND;
}

TEST_F(PolicyMatrixTest, EveryRoleActionRelationAndSensitivityFollowsTheTable) {
  int cases = 0, mismatches = 0, name_cases = 0, list_cases = 0;
  // (professional, audit action, resource id): each denial's expected entry.
  std::multiset<std::tuple<std::string, std::string, std::string>> denials;
  for (Role role : domain::AllRoles()) {
    for (size_t rel_index = 0; rel_index < kRelationCount; ++rel_index) {
      const RelationCase& rel = kRelations[rel_index];
      auto channel = MakeChannel(server_->address(), identities_[{role, rel_index}]);
      auto signals = v1::SignalService::NewStub(channel);
      auto residents = v1::ResidentService::NewStub(channel);
      auto handovers = v1::HandoverService::NewStub(channel);
      auto trajectories = v1::TrajectoryService::NewStub(channel);
      auto privacy = v1::PrivacyService::NewStub(channel);
      const std::string who = ids_[{role, rel_index}];

      std::set<std::string> listed;
      grpc::Status list_status;
      {
        grpc::ClientContext ctx;
        v1::ListSignalsResponse resp;
        list_status = signals->ListSignals(Deadline(ctx), v1::ListSignalsRequest(), &resp);
        for (const auto& s : resp.signals()) listed.insert(s.id());
      }
      for (const auto& [sensitivity, category] : kSensitivities) {
        const Record& r = records_[sensitivity];
        v1::Signal got;
        grpc::Status get_status;
        {
          grpc::ClientContext ctx;
          v1::GetSignalRequest req;
          req.set_id(r.signal);
          get_status = signals->GetSignal(Deadline(ctx), req, &got);
        }
        // The names next to the ids follow the same table: the owner's
        // organisation whenever the signal is seen; the author's
        // organisation with the full view only; the resident's name only
        // with the full view (the frame shows no resident) and only to
        // whoever may read that resident.
        if (get_status.ok()) {
          const bool full = Expected(role, Act::kSignalContent, rel, sensitivity);
          const bool resident = Expected(role, Act::kResidentGet, rel, sensitivity);
          const std::pair<bool, bool> name_checks[] = {
              {!got.owner_organisation_name().empty(), true},
              {!got.author_organisation_name().empty(), full},
              {!got.resident_name().empty(), full && resident},
          };
          for (const auto& [shown, allowed] : name_checks) {
            ++name_cases;
            if (shown != allowed) {
              ++mismatches;
              ADD_FAILURE() << who << " names on a " << sensitivity << " signal as "
                            << RelationName(rel.relation) << (rel.other_team ? " (other team)" : "")
                            << ": shown " << shown << ", allowed " << allowed << " ("
                            << got.ShortDebugString() << ")";
            }
          }
        }
        for (const auto& [act, act_name] : kActs) {
          bool expected = Expected(role, act, rel, sensitivity);
          bool observed = false;
          std::string audit_action, resource = r.signal;
          switch (act) {
            case Act::kSignalGet:
              observed = get_status.ok();
              audit_action = "SignalService.GetSignal";
              break;
            case Act::kSignalContent:
              observed = get_status.ok() && !got.content_withheld() && got.description() == "inhoud";
              break;
            case Act::kSignalList:
              observed = list_status.ok() && listed.count(r.signal) > 0;
              break;
            case Act::kSignalStatus: {
              // open → closed is never allowed: passing the policy shows as
              // FAILED_PRECONDITION, and nothing changes.
              grpc::ClientContext ctx;
              v1::ChangeSignalStatusRequest req;
              req.set_id(r.signal);
              req.set_etag(get_status.ok() ? got.etag() : "v1");
              req.set_status(v1::SIGNAL_STATUS_CLOSED);
              v1::Signal out;
              grpc::Status s = signals->ChangeSignalStatus(Deadline(ctx), req, &out);
              observed = s.error_code() == grpc::StatusCode::FAILED_PRECONDITION;
              if (!observed) {
                EXPECT_TRUE(Denied(s)) << who << " " << s.error_message();
              }
              audit_action = "SignalService.ChangeSignalStatus";
              break;
            }
            case Act::kSignalAssign: {
              grpc::ClientContext read_ctx;
              v1::GetSignalRequest read;
              read.set_id(r.signal);
              v1::Signal fresh;
              signals->GetSignal(Deadline(read_ctx), read, &fresh);
              grpc::ClientContext ctx;
              v1::AssignSignalRequest req;
              req.set_id(r.signal);
              req.set_etag(fresh.etag().empty() ? "v1" : fresh.etag());
              req.set_owner_organisation_id("vidomes");  // the owner stays the same
              v1::Signal out;
              grpc::Status s = signals->AssignSignal(Deadline(ctx), req, &out);
              observed = s.ok();
              if (!observed) {
                EXPECT_TRUE(Denied(s)) << who << " " << s.error_message();
              }
              audit_action = "SignalService.AssignSignal";
              break;
            }
            case Act::kPrivacyExport: {
              grpc::ClientContext ctx;
              v1::PrivacyExportRequest req;
              req.set_resident_id(r.resident);
              req.set_request_ref("AVG-MATRIX-1");
              v1::PrivacyExportResponse out;
              grpc::Status s = privacy->Export(Deadline(ctx), req, &out);
              observed = s.ok() && out.document().resident().id() == r.resident;
              if (!observed) {
                EXPECT_TRUE(Denied(s)) << who << " " << s.error_message();
              }
              audit_action = "PrivacyService.Export";
              resource = r.resident;
              break;
            }
            case Act::kResidentGet: {
              grpc::ClientContext ctx;
              v1::GetResidentRequest req;
              req.set_id(r.resident);
              v1::Resident out;
              grpc::Status s = residents->GetResident(Deadline(ctx), req, &out);
              observed = s.ok();
              audit_action = "ResidentService.GetResident";
              resource = r.resident;
              break;
            }
            case Act::kTrajectoryGet:
            case Act::kTrajectoryFull: {
              grpc::ClientContext ctx;
              v1::GetTrajectoryRequest req;
              req.set_id(r.trajectory);
              v1::Trajectory out;
              grpc::Status s = trajectories->GetTrajectory(Deadline(ctx), req, &out);
              observed = s.ok() && (act == Act::kTrajectoryGet || !out.summary_only());
              if (act == Act::kTrajectoryGet) {
                audit_action = "TrajectoryService.GetTrajectory";
                // The resident's list shows the trajectory exactly when
                // GetTrajectory opens it, with the same view.
                grpc::ClientContext list_ctx;
                v1::ListResidentTrajectoriesRequest list_req;
                list_req.set_resident_id(r.resident);
                v1::ListResidentTrajectoriesResponse listed;
                grpc::Status ls =
                    trajectories->ListResidentTrajectories(Deadline(list_ctx), list_req, &listed);
                const v1::Trajectory* in_list = nullptr;
                for (const auto& t : listed.trajectories()) {
                  if (t.id() == r.trajectory) in_list = &t;
                }
                ++list_cases;
                if ((in_list != nullptr) != s.ok() ||
                    (in_list && in_list->summary_only() != out.summary_only()) ||
                    (!ls.ok() && !Denied(ls))) {
                  ++mismatches;
                  ADD_FAILURE() << who << " ListResidentTrajectories on a " << sensitivity
                                << " record as " << RelationName(rel.relation)
                                << (rel.other_team ? " (another team)" : "") << ": listed "
                                << (in_list != nullptr) << ", GetTrajectory " << s.ok() << " "
                                << ls.error_message();
                }
              }
              resource = r.trajectory;
              break;
            }
            case Act::kHandoverGet: {
              grpc::ClientContext ctx;
              v1::GetHandoverRequest req;
              req.set_id(r.handover);
              v1::Handover out;
              grpc::Status s = handovers->GetHandover(Deadline(ctx), req, &out);
              observed = s.ok();
              // A party reads the resident: the name comes with the handover.
              if (s.ok()) {
                ++name_cases;
                if (out.resident_name().empty() || out.to_organisation_name().empty()) {
                  ++mismatches;
                  ADD_FAILURE() << who << " handover without the names a party may read";
                }
              }
              audit_action = "HandoverService.GetHandover";
              resource = r.handover;
              break;
            }
          }
          ++cases;
          if (observed != expected) {
            ++mismatches;
            ADD_FAILURE() << who << " " << act_name << " on a " << sensitivity << " record as "
                          << RelationName(rel.relation)
                          << (rel.other_team ? " (another team of that organisation)" : "")
                          << ": expected " << expected << ", got " << observed;
          }
          if (!expected && !audit_action.empty()) denials.insert({who, audit_action, resource});
        }
      }
    }
  }
  std::cout << "policy matrix: " << domain::AllRoles().size() << " roles x " << std::size(kActs)
            << " actions x " << std::size(kRelations) << " relations x "
            << std::size(kSensitivities) << " sensitivities = " << cases << " cases, "
            << mismatches << " mismatches\n";
  EXPECT_EQ(cases, 9 * 10 * 11 * 4);
  EXPECT_EQ(mismatches, 0);
  std::cout << "policy matrix names: " << name_cases << " name fields checked\n";
  EXPECT_GT(name_cases, 200);
  EXPECT_EQ(list_cases, 9 * 11 * 4);

  // Every denial has its audit entry.
  server_->Shutdown(absl::Seconds(2));
  server_.reset();
  auto db = deployment::OpenDatabase(*paths_, kek_);
  ASSERT_THAT(db, IsOk());
  std::multiset<std::tuple<std::string, std::string, std::string>> recorded;
  ASSERT_THAT(audit::ForEachEntry(**db,
                                  [&](const audit::Entry& e) {
                                    if (e.outcome == audit::kDenied) {
                                      recorded.insert({e.professional_id, e.action, e.resource_id});
                                    }
                                    return absl::OkStatus();
                                  }),
              IsOk());
  int missing = 0;
  for (const auto& d : denials) {
    auto it = recorded.find(d);
    if (it == recorded.end()) {
      ++missing;
      ADD_FAILURE() << "no audit entry for the denial of " << std::get<1>(d) << " on "
                    << std::get<2>(d) << " to " << std::get<0>(d);
    } else {
      recorded.erase(it);
    }
  }
  std::cout << "denials: " << denials.size() << ", each with its audit entry: "
            << (missing == 0 ? "yes" : "no") << "\n";
  EXPECT_EQ(missing, 0);
}

// The analyst reads aggregates only: through every existing RPC that reads,
// lists or writes case data, an analyst of each relation's organisation —
// author, registering, owner, party, trajectory — gets a refusal or an
// empty answer, never a resident-level record.
TEST_F(PolicyMatrixTest, AnalystGetsNoResidentLevelDataThroughAnyRpc) {
  int calls = 0;
  auto none = [&](const std::string& who, const char* rpc, const grpc::Status& s, int returned) {
    ++calls;
    EXPECT_TRUE(Denied(s) || (s.ok() && returned == 0))
        << who << " " << rpc << ": " << s.error_code() << " " << s.error_message() << ", "
        << returned << " returned";
  };
  for (size_t rel = 0; rel < kRelationCount; ++rel) {
    auto channel = MakeChannel(server_->address(), identities_[{Role::kAnalyst, rel}]);
    const std::string who = ids_[{Role::kAnalyst, rel}];
    auto residents = v1::ResidentService::NewStub(channel);
    auto signals = v1::SignalService::NewStub(channel);
    auto handovers = v1::HandoverService::NewStub(channel);
    auto trajectories = v1::TrajectoryService::NewStub(channel);
    auto audit = v1::AuditService::NewStub(channel);
    for (const auto& [sensitivity, category] : kSensitivities) {
      const Record& r = records_[sensitivity];
      grpc::ClientContext c1, c2, c3, c4, c5, c6, c7, c8;
      v1::GetResidentRequest gr;
      gr.set_id(r.resident);
      v1::Resident resident;
      none(who, "GetResident", residents->GetResident(Deadline(c1), gr, &resident), 0);
      v1::GetSignalRequest gs;
      gs.set_id(r.signal);
      v1::Signal signal;
      none(who, "GetSignal", signals->GetSignal(Deadline(c2), gs, &signal), 0);
      v1::GetHandoverRequest gh;
      gh.set_id(r.handover);
      v1::Handover handover;
      none(who, "GetHandover", handovers->GetHandover(Deadline(c3), gh, &handover), 0);
      v1::GetTrajectoryRequest gt;
      gt.set_id(r.trajectory);
      v1::Trajectory trajectory;
      none(who, "GetTrajectory", trajectories->GetTrajectory(Deadline(c4), gt, &trajectory), 0);
      {
        grpc::ClientContext c;
        v1::ListResidentTrajectoriesRequest lr;
        lr.set_resident_id(r.resident);
        lr.set_include_closed(true);
        v1::ListResidentTrajectoriesResponse listed;
        grpc::Status s = trajectories->ListResidentTrajectories(Deadline(c), lr, &listed);
        none(who, "ListResidentTrajectories", s, listed.trajectories_size());
      }
      v1::OpenBreakGlassRequest bg;
      bg.set_resident_id(r.resident);
      bg.set_reason("Acute zorg nodig, geen andere weg mogelijk");
      v1::OpenBreakGlassResponse bg_out;
      none(who, "OpenBreakGlass", residents->OpenBreakGlass(Deadline(c5), bg, &bg_out), 0);
      v1::ResidentAccessReportRequest ar;
      ar.set_resident_id(r.resident);
      v1::ResidentAccessReportResponse ar_out;
      grpc::Status s = audit->ResidentAccessReport(Deadline(c6), ar, &ar_out);
      none(who, "ResidentAccessReport", s, ar_out.accesses_size());
      v1::AddSignalNoteRequest note;
      note.set_request_id(absl::StrCat("note-", who, "-", sensitivity));
      note.set_signal_id(r.signal);
      note.set_text("notitie");
      v1::Note note_out;
      none(who, "AddSignalNote", signals->AddSignalNote(Deadline(c7), note, &note_out), 0);
      v1::HandoverActionRequest act;
      act.set_id(r.handover);
      v1::Handover act_out;
      none(who, "CancelHandover", handovers->CancelHandover(Deadline(c8), act, &act_out), 0);
    }
    grpc::ClientContext c1, c2, c3, c4, c5, c6, c7, c8, c9;
    v1::ListSignalsResponse ls;
    grpc::Status s = signals->ListSignals(Deadline(c1), v1::ListSignalsRequest(), &ls);
    none(who, "ListSignals", s, ls.signals_size());
    v1::FindResidentsRequest find;
    find.set_name("n");
    find.set_birth_date("1980-01-01");
    v1::FindResidentsResponse found;
    s = residents->FindResidents(Deadline(c2), find, &found);
    none(who, "FindResidents", s, found.residents_size());
    v1::ListPossibleDuplicatesResponse dups;
    s = residents->ListPossibleDuplicates(Deadline(c3), v1::ListPossibleDuplicatesRequest(), &dups);
    none(who, "ListPossibleDuplicates", s, dups.pairs_size());
    v1::ListHandoversResponse inbox, outbox;
    s = handovers->ListInbox(Deadline(c4), v1::ListHandoversRequest(), &inbox);
    none(who, "ListInbox", s, inbox.handovers_size());
    s = handovers->ListOutbox(Deadline(c5), v1::ListHandoversRequest(), &outbox);
    none(who, "ListOutbox", s, outbox.handovers_size());
    v1::ListCaseloadResponse caseload;
    s = trajectories->ListCaseload(Deadline(c6), v1::ListCaseloadRequest(), &caseload);
    none(who, "ListCaseload", s, caseload.trajectories_size());
    v1::QueryAuditResponse entries;
    s = audit->QueryAudit(Deadline(c7), v1::QueryAuditRequest(), &entries);
    none(who, "QueryAudit", s, entries.entries_size());
    v1::RegisterResidentRequest reg;
    reg.set_request_id(absl::StrCat("reg-", who));
    reg.set_name("Nieuwe Bewoner");
    reg.set_birth_date("1980-01-01");
    reg.set_address("Straat 1");
    reg.set_wijk("prinsenhof");
    v1::RegisterResidentResponse reg_out;
    s = residents->RegisterResident(Deadline(c8), reg, &reg_out);
    none(who, "RegisterResident", s, reg_out.id().empty() ? 0 : 1);
    v1::CreateSignalRequest create;
    create.set_request_id(absl::StrCat("sig-", who));
    create.set_category("FVW-AFVALDUMP");
    create.set_wijk("prinsenhof");
    create.set_place("plek");
    create.set_description("inhoud");
    v1::Signal created;
    s = signals->CreateSignal(Deadline(c9), create, &created);
    none(who, "CreateSignal", s, created.id().empty() ? 0 : 1);
  }
  std::cout << "analyst: " << calls << " calls to case RPCs, none answered with case data\n";
  EXPECT_EQ(calls, static_cast<int>(kRelationCount) * (4 * 9 + 9));
}

// The report RPCs answer the analyst only; every other role is refused
// (PERMISSION_DENIED naming the analyst role).
TEST_F(PolicyMatrixTest, ReportsAnswerTheAnalystOnly) {
  int refused = 0;
  for (Role role : domain::AllRoles()) {
    auto reports = v1::ReportService::NewStub(
        MakeChannel(server_->address(), identities_[{role, size_t{5}}]));  // avalex: uninvolved
    v1::ReportRequest req;
    req.set_period("2026");
    req.set_by(v1::REPORT_GROUPING_WIJK);
    for (int rpc = 0; rpc < 3; ++rpc) {
      grpc::ClientContext ctx;
      v1::Report out;
      grpc::Status s = rpc == 0   ? reports->SignalReport(Deadline(ctx), req, &out)
                       : rpc == 1 ? reports->HandoverReport(Deadline(ctx), req, &out)
                                  : reports->ParticipationReport(Deadline(ctx), req, &out);
      if (role == Role::kAnalyst) {
        EXPECT_TRUE(s.ok()) << rpc << " " << s.error_message();
        EXPECT_GT(out.columns_size(), 0);
      } else {
        ++refused;
        EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << domain::RoleName(role) << " " << rpc;
        EXPECT_EQ(out.rows_size(), 0);
      }
    }
  }
  EXPECT_EQ(refused, 3 * (static_cast<int>(domain::AllRoles().size()) - 1));
}

}  // namespace
}  // namespace schakel
