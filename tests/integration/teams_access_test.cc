// Need-to-know by team (issue 19) through a real server: TLS on loopback, a
// real SQLCipher demo deployment, the injected clock. The demo municipality
// has three teams (gebiedsregie, its intake team, with the regisseur;
// werk-en-inkomen with the consultant; vth with nobody); every other
// organisation has one, `intake`. These tests pin the paths that must be
// refused, and check after each refusal that nothing was changed.
#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/admin.grpc.pb.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/trajectories.grpc.pb.h"
#include "server/crypto/x509.h"
#include "tests/integration/case_fixture.h"

namespace schakel::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using C = grpc::StatusCode;

constexpr char kBreakGlassReason[] =
    "Acute crisis, bewoner dreigt uit huis gezet te worden, hulpverlening nodig";

template <typename M>
std::vector<std::string> IdsOf(const M& repeated) {
  std::vector<std::string> out;
  for (const auto& item : repeated) out.push_back(item.id());
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& id) {
  return std::find(v.begin(), v.end(), id) != v.end();
}

class TeamsAccessTest : public CasesTest {
 protected:
  std::unique_ptr<v1::AdminService::Stub> Admin(const std::string& name) {
    return v1::AdminService::NewStub(Who(name).channel);
  }
  static std::unique_ptr<v1::TrajectoryService::Stub> Trajectories(As& who) {
    return v1::TrajectoryService::NewStub(who.channel);
  }
  static std::unique_ptr<v1::DirectoryService::Stub> Directory(As& who) {
    return v1::DirectoryService::NewStub(who.channel);
  }

  v1::Professional Me(As& who) {
    v1::WhoAmIResponse out;
    Ctx ctx;
    grpc::Status s = Directory(who)->WhoAmI(&ctx, v1::WhoAmIRequest(), &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.professional();
  }

  // A professional of `organisation` in `team` with `role`, registered by
  // admin with their own CSR and approved by admin2.
  As Newcomer(const std::string& organisation, const std::string& team, v1::Role role,
              std::string* id = nullptr) {
    auto key = crypto::GenerateEcKey();
    EXPECT_THAT(key, IsOk());
    v1::AddProfessionalRequest req;
    req.set_request_id(Rid(absl::StrCat("add-", team)));
    req.set_organisation_id(organisation);
    req.set_display_name(absl::StrCat("Collega van ", team));
    req.add_roles(role);
    req.set_team(team);
    req.set_csr_pem(*crypto::MakeCsrPem(key->get()));
    v1::AddProfessionalResponse added;
    {
      Ctx ctx;
      grpc::Status s = Admin("admin")->AddProfessional(&ctx, req, &added);
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    EXPECT_TRUE(Approve("admin2", added.grant_id()).ok());
    if (id != nullptr) *id = added.professional().id();
    Identity identity{added.certificate_pem(), crypto::PrivateKeyToPem(key->get()),
                      added.ca_certificate_pem()};
    As a;
    a.channel = MakeChannel(server_->address(), identity);
    a.residents = v1::ResidentService::NewStub(a.channel);
    a.signals = v1::SignalService::NewStub(a.channel);
    a.handovers = v1::HandoverService::NewStub(a.channel);
    return a;
  }

  grpc::Status RequestTeam(const std::string& admin, const std::string& professional,
                           const std::string& team, v1::Grant* out) {
    v1::RequestGrantRequest req;
    req.set_professional_id(professional);
    req.set_team(team);
    Ctx ctx;
    return Admin(admin)->RequestGrant(&ctx, req, out);
  }

  grpc::Status Approve(const std::string& admin, const std::string& grant) {
    v1::ApproveGrantRequest req;
    req.set_grant_id(grant);
    v1::Grant out;
    Ctx ctx;
    return Admin(admin)->ApproveGrant(&ctx, req, &out);
  }

  // `professional` joins `team`: a grant admin asks for, admin2 approves.
  void AddToTeam(const std::string& professional, const std::string& team) {
    v1::Grant grant;
    grpc::Status s = RequestTeam("admin", professional, team, &grant);
    ASSERT_TRUE(s.ok()) << s.error_message();
    s = Approve("admin2", grant.id());
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  grpc::Status RemoveFromTeam(const std::string& admin, const std::string& professional,
                              const std::string& team, v1::Professional* out) {
    v1::RemoveFromTeamRequest req;
    req.set_professional_id(professional);
    req.set_team(team);
    Ctx ctx;
    return Admin(admin)->RemoveFromTeam(&ctx, req, out);
  }

  grpc::Status CreateTeam(const std::string& who, const std::string& organisation,
                          const std::string& id, v1::Team* out) {
    v1::CreateTeamRequest req;
    req.set_organisation_id(organisation);
    req.set_id(id);
    req.set_name("Leerplicht");
    Ctx ctx;
    return Admin(who)->CreateTeam(&ctx, req, out);
  }

  grpc::Status ListTeams(As& who, const std::string& organisation, v1::ListTeamsResponse* out) {
    v1::ListTeamsRequest req;
    req.set_organisation_id(organisation);
    Ctx ctx;
    return Directory(who)->ListTeams(&ctx, req, out);
  }

  static v1::CreateSignalRequest SignalRequest(const std::string& category,
                                               const std::string& resident = "",
                                               const std::string& owner = "",
                                               const std::string& owner_team = "",
                                               const std::string& team = "") {
    v1::CreateSignalRequest req;
    req.set_request_id(Rid("sig"));
    req.set_category(category);
    req.set_wijk("prinsenhof");
    req.set_place("Portiek Prinsenhoflaan");
    req.set_description("Beschrijving van het signaal");
    req.set_resident_id(resident);
    req.set_owner_organisation_id(owner);
    req.set_owner_team(owner_team);
    req.set_team(team);
    return req;
  }

  static grpc::Status Create(As& who, const v1::CreateSignalRequest& req, v1::Signal* out) {
    Ctx ctx;
    return who.signals->CreateSignal(&ctx, req, out);
  }

  // A signal created with the request given; fails the test when refused.
  static v1::Signal Created(As& who, const v1::CreateSignalRequest& req) {
    v1::Signal out;
    grpc::Status s = Create(who, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  static grpc::Status GetSignal(As& who, const std::string& id, v1::Signal* out) {
    v1::GetSignalRequest req;
    req.set_id(id);
    Ctx ctx;
    return who.signals->GetSignal(&ctx, req, out);
  }

  static std::vector<std::string> ListSignals(As& who, const std::string& resident = "") {
    v1::ListSignalsRequest req;
    req.set_page_size(100);
    req.set_resident_id(resident);
    v1::ListSignalsResponse out;
    Ctx ctx;
    grpc::Status s = who.signals->ListSignals(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return IdsOf(out.signals());
  }

  static grpc::Status GetResident(As& who, const std::string& id) {
    v1::GetResidentRequest req;
    req.set_id(id);
    v1::Resident out;
    Ctx ctx;
    return who.residents->GetResident(&ctx, req, &out);
  }

  static int FindResidents(As& who, const std::string& name, const std::string& birth) {
    v1::FindResidentsRequest req;
    req.set_name(name);
    req.set_birth_date(birth);
    v1::FindResidentsResponse out;
    Ctx ctx;
    grpc::Status s = who.residents->FindResidents(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.residents_size();
  }

  static v1::ProposeHandoverRequest HandoverRequest(const std::string& resident,
                                                    const std::string& to,
                                                    const std::string& to_team = "",
                                                    const std::string& team = "") {
    v1::ProposeHandoverRequest req;
    req.set_request_id(Rid("ho"));
    req.set_resident_id(resident);
    req.set_to_organisation_id(to);
    req.set_to_team(to_team);
    req.set_team(team);
    req.set_reason("Bewoner zoekt hulp bij schulden en werk");
    req.mutable_basis()->mutable_consent()->set_covers("doorverwijzing naar schuldhulp");
    return req;
  }

  static grpc::Status ProposeWith(As& who, const v1::ProposeHandoverRequest& req,
                                  v1::Handover* out) {
    Ctx ctx;
    return who.handovers->ProposeHandover(&ctx, req, out);
  }

  static v1::Handover Proposed(As& who, const v1::ProposeHandoverRequest& req) {
    v1::Handover out;
    grpc::Status s = ProposeWith(who, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  // With `etag`, or else the one a read by `who` gives (the first
  // version's when `who` cannot read it).
  grpc::Status Forward(As& who, const std::string& id, const std::string& to_team,
                       const std::string& etag = "", v1::Handover* out = nullptr) {
    v1::ForwardHandoverRequest req;
    req.set_id(id);
    req.set_to_team(to_team);
    if (etag.empty()) {
      grpc::Status read;
      const std::string current = GetHandover(who, id, &read).etag();
      req.set_etag(read.ok() ? current : "v1");
    } else {
      req.set_etag(etag);
    }
    v1::Handover local;
    Ctx ctx;
    return who.handovers->ForwardHandover(&ctx, req, out != nullptr ? out : &local);
  }

  static std::vector<std::string> Box(As& who, bool inbox) {
    v1::ListHandoversRequest req;
    req.set_page_size(100);
    v1::ListHandoversResponse out;
    Ctx ctx;
    grpc::Status s = inbox ? who.handovers->ListInbox(&ctx, req, &out)
                           : who.handovers->ListOutbox(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return IdsOf(out.handovers());
  }

  static v1::StartTrajectoryRequest TrajectoryRequest(const std::string& resident,
                                                      const std::string& team = "") {
    v1::StartTrajectoryRequest req;
    req.set_request_id(Rid("traj"));
    req.set_resident_id(resident);
    req.set_start_date("2026-05-01");
    req.set_bijstand_since("2023-02-01");
    req.set_goal("Vrijwilligerswerk, daarna betaald werk met ondersteuning");
    req.set_team(team);
    return req;
  }

  static grpc::Status StartWith(As& who, const v1::StartTrajectoryRequest& req,
                                v1::Trajectory* out) {
    Ctx ctx;
    return Trajectories(who)->StartTrajectory(&ctx, req, out);
  }

  static v1::Trajectory Started(As& who, const v1::StartTrajectoryRequest& req) {
    v1::Trajectory out;
    grpc::Status s = StartWith(who, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  static grpc::Status GetTrajectory(As& who, const std::string& id, v1::Trajectory* out) {
    v1::GetTrajectoryRequest req;
    req.set_id(id);
    Ctx ctx;
    return Trajectories(who)->GetTrajectory(&ctx, req, out);
  }

  static grpc::Status Measure(As& who, const std::string& id, v1::Trajectory* out) {
    v1::RecordMeasurementRequest req;
    req.set_request_id(Rid("measure"));
    req.set_trajectory_id(id);
    req.set_rung(2);
    req.set_date("2026-11-20");
    req.set_note("gesprek op het spreekuur");
    Ctx ctx;
    return Trajectories(who)->RecordMeasurement(&ctx, req, out);
  }

  static grpc::Status Caseload(As& who, v1::ListCaseloadResponse* out, int page_size = 100,
                               const std::string& token = "") {
    v1::ListCaseloadRequest req;
    req.set_page_size(page_size);
    req.set_page_token(token);
    Ctx ctx;
    return Trajectories(who)->ListCaseload(&ctx, req, out);
  }

  // The caseload's trajectory ids (the caller must be a consultant).
  static std::vector<std::string> CaseloadIds(As& who) {
    v1::ListCaseloadResponse out;
    grpc::Status s = Caseload(who, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return IdsOf(out.trajectories());
  }

  void OpenBreakGlass(As& who, const std::string& resident) {
    v1::OpenBreakGlassRequest req;
    req.set_resident_id(resident);
    req.set_reason(kBreakGlassReason);
    v1::OpenBreakGlassResponse out;
    Ctx ctx;
    grpc::Status s = who.residents->OpenBreakGlass(&ctx, req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // The audit entries of `action`, oldest first, as the auditor reads them.
  std::vector<v1::AuditEntry> Entries(const std::string& action) {
    As auditor = Who("auditor");
    auto stub = v1::AuditService::NewStub(auditor.channel);
    v1::QueryAuditRequest req;
    req.set_action(action);
    req.set_page_size(500);
    v1::QueryAuditResponse out;
    Ctx ctx;
    grpc::Status s = stub->QueryAudit(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<v1::AuditEntry> entries(out.entries().begin(), out.entries().end());
    std::sort(entries.begin(), entries.end(),
              [](const v1::AuditEntry& a, const v1::AuditEntry& b) { return a.seq() < b.seq(); });
    return entries;
  }

  // The one entry of `action` with `request_id`.
  v1::AuditEntry EntryOf(const std::string& action, const std::string& request_id) {
    std::vector<v1::AuditEntry> found;
    for (const v1::AuditEntry& e : Entries(action)) {
      if (e.request_id() == request_id) found.push_back(e);
    }
    EXPECT_EQ(found.size(), 1u) << action << " " << request_id;
    return found.empty() ? v1::AuditEntry() : found.front();
  }
};

// The outcome an audit entry records for a refusal with `code`.
std::string OutcomeOf(C code) {
  return code == C::PERMISSION_DENIED || code == C::NOT_FOUND ? "denied" : "failed";
}

// --- Acting for a team -------------------------------------------------------

// The consultant works in werk-en-inkomen and vth. Every creating request
// must name one of the two: without `team` it is INVALID_ARGUMENT, with a
// team that is not theirs PERMISSION_DENIED, with a malformed one
// INVALID_ARGUMENT — each naming `team`, each audited, none creating
// anything.
TEST_F(TeamsAccessTest, ACreatorInTwoTeamsNamesOneOfTheirsOrCreatesNothing) {
  As consultant = Who("consultant");
  const std::string consultant_id = Me(consultant).id();
  const std::string resident = Register(consultant, "Karim Ouali", "1971-04-04");
  AddToTeam(consultant_id, "vth");
  ASSERT_THAT(Me(consultant).teams(), ElementsAre("vth", "werk-en-inkomen"));

  const std::vector<std::string> signals_before = ListSignals(consultant);
  const std::vector<std::string> outbox_before = Box(consultant, /*inbox=*/false);
  const std::vector<std::string> caseload_before = CaseloadIds(consultant);
  ASSERT_EQ(FindResidents(consultant, "Nieuwe Bewoner", "1990-09-09"), 0);

  struct Refusal {
    std::string team;
    C code;
    const char* why;
  };
  const std::vector<Refusal> refusals = {
      {"", C::INVALID_ARGUMENT, "works in several teams"},
      {"gebiedsregie", C::PERMISSION_DENIED, "another team of the municipality"},
      {"intake", C::PERMISSION_DENIED, "the team of every other organisation"},
      {"leerplicht", C::PERMISSION_DENIED, "a team that does not exist"},
      {"Werk-en-Inkomen", C::INVALID_ARGUMENT, "malformed: upper case"},
      {"werk-en-inkomen,vth", C::INVALID_ARGUMENT, "malformed: two teams in one"},
      {"%", C::INVALID_ARGUMENT, "malformed: a pattern"},
  };
  for (const Refusal& r : refusals) {
    SCOPED_TRACE(absl::StrCat("team '", r.team, "': ", r.why));
    auto expect_refused = [&](const grpc::Status& s, const char* action,
                              const std::string& request_id) {
      EXPECT_EQ(s.error_code(), r.code) << action << ": " << s.error_message();
      EXPECT_THAT(s.error_message(), StartsWith("team:")) << action;
      v1::AuditEntry e = EntryOf(action, request_id);
      EXPECT_EQ(e.outcome(), OutcomeOf(r.code)) << action;
      EXPECT_THAT(e.reason(), HasSubstr("team:")) << action;
      EXPECT_EQ(e.professional_id(), consultant_id);
    };
    {
      v1::CreateSignalRequest req = SignalRequest("FZ-SCHULDEN", resident, "", "", r.team);
      v1::Signal out;
      expect_refused(Create(consultant, req, &out), "SignalService.CreateSignal",
                     req.request_id());
    }
    {
      v1::RegisterResidentRequest req;
      req.set_request_id(Rid("res"));
      req.set_name("Nieuwe Bewoner");
      req.set_birth_date("1990-09-09");
      req.set_address("Prinsenhoflaan 3");
      req.set_wijk("prinsenhof");
      req.set_team(r.team);
      v1::RegisterResidentResponse out;
      Ctx ctx;
      expect_refused(consultant.residents->RegisterResident(&ctx, req, &out),
                     "ResidentService.RegisterResident", req.request_id());
    }
    {
      v1::ProposeHandoverRequest req = HandoverRequest(resident, "woej", "", r.team);
      v1::Handover out;
      expect_refused(ProposeWith(consultant, req, &out), "HandoverService.ProposeHandover",
                     req.request_id());
    }
    {
      v1::StartTrajectoryRequest req = TrajectoryRequest(resident, r.team);
      v1::Trajectory out;
      expect_refused(StartWith(consultant, req, &out), "TrajectoryService.StartTrajectory",
                     req.request_id());
    }
  }
  // Nothing was created by any of them.
  EXPECT_EQ(ListSignals(consultant), signals_before);
  EXPECT_EQ(Box(consultant, /*inbox=*/false), outbox_before);
  EXPECT_EQ(CaseloadIds(consultant), caseload_before);
  EXPECT_EQ(FindResidents(consultant, "Nieuwe Bewoner", "1990-09-09"), 0);

  // Naming a team of theirs works, and the record carries it.
  // (About a place: the resident is werk-en-inkomen's, which a record made
  // for vth does not reach.)
  EXPECT_EQ(Created(consultant, SignalRequest("FZ-SCHULDEN", "", "", "", "vth")).author_team(),
            "vth");
  EXPECT_EQ(Proposed(consultant, HandoverRequest(resident, "woej", "", "werk-en-inkomen"))
                .from_team(),
            "werk-en-inkomen");
  EXPECT_EQ(Started(consultant, TrajectoryRequest(resident, "werk-en-inkomen")).team(),
            "werk-en-inkomen");
}

// A professional with one team needs not name it: it is theirs.
TEST_F(TeamsAccessTest, AProfessionalWithOneTeamActsForItWithoutNamingIt) {
  As consultant = Who("consultant");
  const std::string resident = Register(consultant, "Lotte de Wit", "1988-02-02");
  EXPECT_EQ(CreateSignal(consultant, "FZ-SCHULDEN", resident).author_team(), "werk-en-inkomen");
  v1::Handover h = Propose(consultant, resident, "woej");
  EXPECT_EQ(h.from_team(), "werk-en-inkomen");
  EXPECT_EQ(h.to_team(), "intake");
  EXPECT_EQ(Started(consultant, TrajectoryRequest(resident)).team(), "werk-en-inkomen");
  // Their only team, named, is theirs; another is not.
  v1::Signal out;
  EXPECT_TRUE(Create(consultant, SignalRequest("FZ-SCHULDEN", "", "", "", "werk-en-inkomen"),
                     &out)
                  .ok());
  grpc::Status other = Create(consultant, SignalRequest("FZ-SCHULDEN", "", "", "", "vth"), &out);
  EXPECT_EQ(other.error_code(), C::PERMISSION_DENIED);
  EXPECT_THAT(other.error_message(), StartsWith("team:"));
}

// --- The regisseur and the other teams of the municipality --------------------

// A handover between werk-en-inkomen and Woej does not exist for the
// regisseur of gebiedsregie: not to read, act on, add a note to, forward
// or list — even though the signal it came from is read area-wide.
TEST_F(TeamsAccessTest, TheRegisseurCannotReachAHandoverBetweenWerkEnInkomenAndWoej) {
  As consultant = Who("consultant"), regisseur = Who("regisseur"), woej = Who("partner-woej");
  const std::string resident = Register(consultant, "Samira Bakker", "1980-01-01");
  const v1::Signal signal = CreateSignal(consultant, "FZ-SCHULDEN", resident);
  v1::ProposeHandoverRequest req = HandoverRequest(resident, "woej");
  req.set_signal_id(signal.id());
  const v1::Handover h = Proposed(consultant, req);
  ASSERT_EQ(h.from_team(), "werk-en-inkomen");
  ASSERT_EQ(h.to_team(), "intake");

  grpc::Status s;
  GetHandover(regisseur, h.id(), &s);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  const std::vector<std::pair<const char*, ActFn>> actions = {
      {"accept", &v1::HandoverService::Stub::AcceptHandover},
      {"decline", &v1::HandoverService::Stub::DeclineHandover},
      {"introduce", &v1::HandoverService::Stub::IntroduceHandover},
      {"complete", &v1::HandoverService::Stub::CompleteHandover},
      {"cancel", &v1::HandoverService::Stub::CancelHandover},
      {"withdraw consent", &v1::HandoverService::Stub::WithdrawConsent},
  };
  for (const auto& [name, fn] : actions) {
    v1::Handover out;
    s = Act(regisseur, fn, h.id(), &out, [](v1::HandoverActionRequest& r) {
      r.set_reason("Geen capaciteit deze maand");
      r.set_date("2026-11-23");
      r.set_with("bewoner");
      r.set_outcome(v1::OUTCOME_HELPED);
      r.set_text("Geholpen met een betalingsregeling");
    });
    EXPECT_EQ(s.error_code(), C::NOT_FOUND) << name << ": " << s.error_message();
  }
  {
    v1::AddHandoverNoteRequest note;
    note.set_request_id(Rid("note"));
    note.set_handover_id(h.id());
    note.set_text("Ik neem het over");
    v1::Note out;
    Ctx ctx;
    s = regisseur.handovers->AddHandoverNote(&ctx, note, &out);
    EXPECT_EQ(s.error_code(), C::NOT_FOUND);
    EXPECT_THAT(s.error_message(), StartsWith("handover_id:"));
  }
  EXPECT_EQ(Forward(regisseur, h.id(), "vth").error_code(), C::NOT_FOUND);
  EXPECT_FALSE(Contains(Box(regisseur, true), h.id()));
  EXPECT_FALSE(Contains(Box(regisseur, false), h.id()));

  // The signal is the regisseur's to read area-wide, but its timeline does
  // not show the handover made from it.
  v1::Signal read;
  ASSERT_TRUE(GetSignal(regisseur, signal.id(), &read).ok());
  EXPECT_EQ(read.description(), "Beschrijving van het signaal");
  for (const v1::TimelineEvent& e : read.timeline()) {
    EXPECT_EQ(e.handover_id(), "") << "the regisseur sees the handover linked to the signal";
  }
  // The consultant, a party, does see it linked.
  ASSERT_TRUE(GetSignal(consultant, signal.id(), &read).ok());
  EXPECT_TRUE(std::any_of(read.timeline().begin(), read.timeline().end(),
                          [&](const v1::TimelineEvent& e) { return e.handover_id() == h.id(); }));

  // Nothing changed: still proposed, the first version, no note, with Woej.
  v1::Handover now = GetHandover(woej, h.id(), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(now.status(), v1::HANDOVER_STATUS_PROPOSED);
  EXPECT_EQ(now.etag(), h.etag());
  EXPECT_EQ(now.to_team(), "intake");
  EXPECT_EQ(now.notes_size(), 0);
  // Every attempt is in the log as a denial.
  for (const char* action :
       {"HandoverService.GetHandover", "HandoverService.AcceptHandover",
        "HandoverService.AddHandoverNote", "HandoverService.ForwardHandover"}) {
    bool denied = false;
    for (const v1::AuditEntry& e : Entries(action)) {
      if (e.resource_id() == h.id() && e.organisation_id() == "gemeente-lv" &&
          absl::StrContains(e.roles(), "regisseur")) {
        denied |= e.outcome() == "denied";
        EXPECT_NE(e.outcome(), "allowed") << action;
      }
    }
    EXPECT_TRUE(denied) << action;
  }
}

// A caseload is its team's: the regisseur cannot open, change or list the
// consultant's trajectory, nor can a consultant of another team of the
// municipality, to whom it cannot be transferred either.
TEST_F(TeamsAccessTest, ACaseloadIsItsTeamsNotTheRegisseursNorAnotherTeamsConsultants) {
  As consultant = Who("consultant"), regisseur = Who("regisseur");
  std::string vth_id;
  As vth = Newcomer("gemeente-lv", "vth", v1::ROLE_CONSULTANT, &vth_id);
  const std::string resident = Register(consultant, "Ahmed Yilmaz", "1966-06-06");
  const v1::Trajectory t = Started(consultant, TrajectoryRequest(resident));
  ASSERT_EQ(t.team(), "werk-en-inkomen");

  v1::Trajectory out;
  EXPECT_EQ(GetTrajectory(regisseur, t.id(), &out).error_code(), C::NOT_FOUND);
  EXPECT_EQ(Measure(regisseur, t.id(), &out).error_code(), C::PERMISSION_DENIED);
  v1::ListCaseloadResponse list;
  EXPECT_EQ(Caseload(regisseur, &list).error_code(), C::PERMISSION_DENIED);

  EXPECT_EQ(GetTrajectory(vth, t.id(), &out).error_code(), C::NOT_FOUND);
  EXPECT_EQ(Measure(vth, t.id(), &out).error_code(), C::NOT_FOUND);
  EXPECT_THAT(CaseloadIds(vth), ::testing::IsEmpty());
  // The resident is werk-en-inkomen's: not linked to vth.
  EXPECT_EQ(GetResident(vth, resident).error_code(), C::NOT_FOUND);
  {
    v1::TransferTrajectoryRequest req;
    req.set_id(t.id());
    req.set_to_consultant_id(vth_id);
    req.set_etag(t.etag());
    Ctx ctx;
    grpc::Status s = Trajectories(consultant)->TransferTrajectory(&ctx, req, &out);
    EXPECT_EQ(s.error_code(), C::FAILED_PRECONDITION);
    EXPECT_THAT(s.error_message(), StartsWith("to_consultant_id:"));
  }
  {
    v1::TransferCaseloadRequest req;
    req.set_from_consultant_id(t.consultant_id());
    req.set_to_consultant_id(vth_id);
    v1::TransferCaseloadResponse moved;
    Ctx ctx;
    grpc::Status s = Trajectories(consultant)->TransferCaseload(&ctx, req, &moved);
    EXPECT_EQ(s.error_code(), C::FAILED_PRECONDITION);
    EXPECT_THAT(s.error_message(), StartsWith("to_consultant_id:"));
  }
  // Unchanged: the consultant's, unmeasured, in werk-en-inkomen.
  grpc::Status s = GetTrajectory(consultant, t.id(), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.consultant_id(), t.consultant_id());
  EXPECT_EQ(out.measurements_size(), 0);
  EXPECT_EQ(out.team(), "werk-en-inkomen");
  EXPECT_EQ(out.etag(), t.etag());
}

// The regisseur reads the signals of the area, whichever team wrote them,
// except justice signals it is not involved in: one owned by
// werk-en-inkomen stays hidden, one addressed to the municipality lands at
// gebiedsregie (its intake team) and is read.
TEST_F(TeamsAccessTest, TheRegisseurReadsOtherTeamsSignalsAreaWideButNotTheirJusticeSignals) {
  As consultant = Who("consultant"), regisseur = Who("regisseur");
  const v1::Signal normal = CreateSignal(consultant, "FZ-SCHULDEN");
  const v1::Signal justice =
      Created(consultant, SignalRequest("FVW-WOONFRAUDE", "", "gemeente-lv", "werk-en-inkomen"));
  ASSERT_EQ(justice.owner_team(), "werk-en-inkomen");
  const v1::Signal to_intake =
      Created(consultant, SignalRequest("FVW-WOONFRAUDE", "", "gemeente-lv"));
  ASSERT_EQ(to_intake.owner_team(), "gebiedsregie");

  v1::Signal read;
  ASSERT_TRUE(GetSignal(regisseur, normal.id(), &read).ok());
  EXPECT_EQ(read.description(), "Beschrijving van het signaal");
  EXPECT_EQ(read.author_team(), "werk-en-inkomen");
  EXPECT_EQ(GetSignal(regisseur, justice.id(), &read).error_code(), C::NOT_FOUND);
  EXPECT_TRUE(GetSignal(regisseur, to_intake.id(), &read).ok());
  const std::vector<std::string> listed = ListSignals(regisseur);
  EXPECT_TRUE(Contains(listed, normal.id()));
  EXPECT_TRUE(Contains(listed, to_intake.id()));
  EXPECT_FALSE(Contains(listed, justice.id()));

  // Nor may it route, change or annotate the hidden one.
  {
    v1::AssignSignalRequest req;
    req.set_id(justice.id());
    req.set_etag(justice.etag());
    req.set_owner_organisation_id("politie");
    Ctx ctx;
    EXPECT_EQ(regisseur.signals->AssignSignal(&ctx, req, &read).error_code(), C::NOT_FOUND);
  }
  {
    v1::ChangeSignalStatusRequest req;
    req.set_id(justice.id());
    req.set_etag(justice.etag());
    req.set_status(v1::SIGNAL_STATUS_WITHDRAWN);
    Ctx ctx;
    EXPECT_EQ(regisseur.signals->ChangeSignalStatus(&ctx, req, &read).error_code(),
              C::NOT_FOUND);
  }
  {
    v1::AddSignalNoteRequest req;
    req.set_request_id(Rid("note"));
    req.set_signal_id(justice.id());
    req.set_text("Gezien");
    v1::Note note;
    Ctx ctx;
    EXPECT_EQ(regisseur.signals->AddSignalNote(&ctx, req, &note).error_code(), C::NOT_FOUND);
  }
  ASSERT_TRUE(GetSignal(consultant, justice.id(), &read).ok());
  EXPECT_EQ(read.etag(), justice.etag());
  EXPECT_EQ(read.owner_organisation_id(), "gemeente-lv");
  EXPECT_EQ(read.owner_team(), "werk-en-inkomen");
  EXPECT_EQ(read.notes_size(), 0);
}

// A consultant of werk-en-inkomen is not area-wide: a signal gebiedsregie
// wrote about a resident the consultant registered is not theirs to read,
// justice or not; the resident stays readable through the registration.
TEST_F(TeamsAccessTest, AConsultantCannotReadAGebiedsregieSignalAboutTheirOwnResident) {
  As consultant = Who("consultant"), regisseur = Who("regisseur");
  const std::string resident = Register(consultant, "Fatima el Idrissi", "1979-07-07");
  // The consultant's own signal about them, which the regisseur reads
  // area-wide (and through it the resident).
  const v1::Signal own = CreateSignal(consultant, "FZ-SCHULDEN", resident);
  ASSERT_TRUE(GetResident(regisseur, resident).ok());
  const v1::Signal justice =
      Created(regisseur, SignalRequest("FVW-WOONFRAUDE", resident, "gemeente-lv"));
  ASSERT_EQ(justice.owner_team(), "gebiedsregie");
  const v1::Signal normal = Created(regisseur, SignalRequest("FZ-RONDKOMEN", resident));
  ASSERT_EQ(normal.author_team(), "gebiedsregie");

  v1::Signal read;
  EXPECT_EQ(GetSignal(consultant, justice.id(), &read).error_code(), C::NOT_FOUND);
  EXPECT_EQ(GetSignal(consultant, normal.id(), &read).error_code(), C::NOT_FOUND);
  EXPECT_THAT(ListSignals(consultant, resident), ElementsAre(own.id()));
  EXPECT_TRUE(GetResident(consultant, resident).ok());
}

// --- ForwardHandover -----------------------------------------------------------

// A handover addressed to the municipality lands at gebiedsregie, which
// alone may pass it on, only to another team of the municipality, only
// while proposed, only at the current version. After the forward the
// intake team no longer sees it, and the audit entry names both teams.
TEST_F(TeamsAccessTest, OnlyTheReceivingTeamForwardsAndThenNoLongerSeesIt) {
  As woej = Who("partner-woej"), regisseur = Who("regisseur"), consultant = Who("consultant");
  As vth = Newcomer("gemeente-lv", "vth", v1::ROLE_PARTNER);
  const std::string resident = Register(woej, "Joyce Pinas", "1992-12-12");
  const v1::Handover h = Propose(woej, resident, "gemeente-lv");
  ASSERT_EQ(h.to_team(), "gebiedsregie");
  ASSERT_TRUE(Contains(Box(regisseur, true), h.id()));
  // Before the forward the resident is the regisseur's to read (party).
  ASSERT_TRUE(GetResident(regisseur, resident).ok());

  grpc::Status s = Forward(woej, h.id(), "werk-en-inkomen");
  EXPECT_EQ(s.error_code(), C::PERMISSION_DENIED) << "the sender: " << s.error_message();
  s = Forward(vth, h.id(), "werk-en-inkomen");
  EXPECT_EQ(s.error_code(), C::NOT_FOUND) << "a third team: " << s.error_message();
  s = Forward(consultant, h.id(), "werk-en-inkomen");
  EXPECT_EQ(s.error_code(), C::NOT_FOUND) << "the target team itself: " << s.error_message();
  struct Case {
    std::string to_team;
    std::string etag;
    C code;
    const char* prefix;
  };
  for (const Case& c : {
           Case{"intake", "", C::NOT_FOUND, "to_team:"},        // a team of other organisations
           Case{"leerplicht", "", C::NOT_FOUND, "to_team:"},    // no such team
           Case{"gebiedsregie", "", C::INVALID_ARGUMENT, "to_team:"},  // where it is already
           Case{"", "", C::INVALID_ARGUMENT, "to_team:"},
           Case{"Werk-en-Inkomen", "", C::INVALID_ARGUMENT, "to_team:"},
           Case{"werk-en-inkomen,vth", "", C::INVALID_ARGUMENT, "to_team:"},
           Case{"werk-en-inkomen", "v0", C::ABORTED, "etag:"},   // stale
           Case{"werk-en-inkomen", "v2", C::ABORTED, "etag:"},   // not yet
       }) {
    s = Forward(regisseur, h.id(), c.to_team, c.etag);
    EXPECT_EQ(s.error_code(), c.code) << "'" << c.to_team << "' " << c.etag << ": "
                                      << s.error_message();
    EXPECT_THAT(s.error_message(), StartsWith(c.prefix)) << c.to_team;
  }
  v1::Handover now = GetHandover(woej, h.id(), &s);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(now.to_team(), "gebiedsregie");
  EXPECT_EQ(now.etag(), h.etag());

  v1::Handover forwarded;
  s = Forward(regisseur, h.id(), "werk-en-inkomen", h.etag(), &forwarded);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(forwarded.to_team(), "werk-en-inkomen");
  EXPECT_EQ(forwarded.to_organisation_id(), "gemeente-lv");
  EXPECT_EQ(forwarded.status(), v1::HANDOVER_STATUS_PROPOSED);
  EXPECT_NE(forwarded.etag(), h.etag());

  // The old receiving team: gone from its inbox, not found, not to act on,
  // and the resident with it.
  GetHandover(regisseur, h.id(), &s);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_FALSE(Contains(Box(regisseur, true), h.id()));
  v1::Handover out;
  EXPECT_EQ(Act(regisseur, &v1::HandoverService::Stub::AcceptHandover, h.id(), &out).error_code(),
            C::NOT_FOUND);
  EXPECT_EQ(Forward(regisseur, h.id(), "vth").error_code(), C::NOT_FOUND);
  EXPECT_EQ(GetResident(regisseur, resident).error_code(), C::NOT_FOUND);
  // The new one has it; the sender sees where it went.
  EXPECT_TRUE(Contains(Box(consultant, true), h.id()));
  EXPECT_EQ(GetHandover(woej, h.id(), &s).to_team(), "werk-en-inkomen");

  // One allowed forward in the log, naming both teams.
  int allowed = 0;
  for (const v1::AuditEntry& e : Entries("HandoverService.ForwardHandover")) {
    if (e.resource_id() != h.id() || e.outcome() != "allowed") continue;
    ++allowed;
    EXPECT_THAT(e.reason(), HasSubstr("gebiedsregie"));
    EXPECT_THAT(e.reason(), HasSubstr("werk-en-inkomen"));
    EXPECT_THAT(e.resident_ids(), ElementsAre(resident));
  }
  EXPECT_EQ(allowed, 1);

  // Once accepted it is no longer passed on.
  ASSERT_TRUE(
      Act(consultant, &v1::HandoverService::Stub::AcceptHandover, h.id(), &out).ok());
  s = Forward(consultant, h.id(), "vth");
  EXPECT_EQ(s.error_code(), C::FAILED_PRECONDITION) << s.error_message();
  EXPECT_THAT(s.error_message(), StartsWith("status:"));
  EXPECT_EQ(GetHandover(woej, h.id(), &s).to_team(), "werk-en-inkomen");
}

// A handover to a team of another organisation does not exist there, and
// a forward cannot point at one.
TEST_F(TeamsAccessTest, AForwardStaysInsideTheReceivingOrganisation) {
  As consultant = Who("consultant"), woej = Who("partner-woej");
  const std::string resident = Register(consultant, "Mirjam Smit", "1983-03-03");
  const v1::Handover h = Propose(consultant, resident, "woej");
  ASSERT_EQ(h.to_team(), "intake");
  for (const char* team : {"werk-en-inkomen", "gebiedsregie", "vth"}) {
    grpc::Status s = Forward(woej, h.id(), team);
    EXPECT_EQ(s.error_code(), C::NOT_FOUND) << team << ": " << s.error_message();
    EXPECT_THAT(s.error_message(), StartsWith("to_team:")) << team;
  }
  grpc::Status s;
  EXPECT_EQ(GetHandover(consultant, h.id(), &s).to_team(), "intake");
  EXPECT_EQ(GetHandover(consultant, h.id(), &s).etag(), h.etag());
  // Nor is a team of another organisation a valid address.
  v1::Handover out;
  s = ProposeWith(consultant, HandoverRequest(resident, "woej", "werk-en-inkomen"), &out);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_THAT(s.error_message(), StartsWith("to_team:"));
  s = ProposeWith(consultant, HandoverRequest(resident, "geen-organisatie", "intake"), &out);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_THAT(s.error_message(), StartsWith("to_organisation_id:"));
}

// Inside one organisation a handover goes to another team: back to the
// sending team it cannot be passed on. A forward past the deadline is
// refused as well.
TEST_F(TeamsAccessTest, AForwardBackToTheSendingTeamOrPastTheDeadlineIsRefused) {
  As consultant = Who("consultant"), regisseur = Who("regisseur");
  const std::string resident = Register(consultant, "Tim Jansen", "1990-10-10");
  // Addressed to the municipality: the consultant's own organisation, so it
  // lands at gebiedsregie.
  const v1::Handover h = Propose(consultant, resident, "gemeente-lv");
  ASSERT_EQ(h.from_team(), "werk-en-inkomen");
  ASSERT_EQ(h.to_team(), "gebiedsregie");
  grpc::Status s = Forward(regisseur, h.id(), "werk-en-inkomen");
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT) << s.error_message();
  // Nor may the sending team send it to itself.
  v1::Handover out;
  s = ProposeWith(consultant, HandoverRequest(resident, "gemeente-lv", "werk-en-inkomen"), &out);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  // And the regisseur cannot address the municipality without a team: that
  // would be its own team.
  s = ProposeWith(regisseur, HandoverRequest(resident, "gemeente-lv"), &out);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT) << s.error_message();
  EXPECT_EQ(GetHandover(regisseur, h.id(), &s).to_team(), "gebiedsregie");

  // Past its deadline (5 working days; the clock runs on) a proposed
  // handover cannot be passed on, whether the expiry has run yet or not.
  // The expiry runs in the background: when it expires the handover between
  // the read of its etag and the forward, the forward is stale (ABORTED)
  // and is asked again with the new etag, as a client does. The expiry
  // changes the handover once, so a second attempt is never stale.
  clock_.Advance(absl::Hours(24 * 10));
  s = Forward(regisseur, h.id(), "vth");
  if (s.error_code() == C::ABORTED) s = Forward(regisseur, h.id(), "vth");
  EXPECT_EQ(s.error_code(), C::FAILED_PRECONDITION) << s.error_message();
  EXPECT_EQ(GetHandover(consultant, h.id(), &s).to_team(), "gebiedsregie");
}

// Bad input names the field of the request it came in: ForwardHandover has
// no to_organisation_id, so passing a handover back to the sending team
// names to_team.
TEST_F(TeamsAccessTest, AForwardBackToTheSendingTeamNamesToTeam) {
  As consultant = Who("consultant"), regisseur = Who("regisseur");
  const std::string resident = Register(consultant, "Tim Jansen", "1990-10-10");
  const v1::Handover h = Propose(consultant, resident, "gemeente-lv");
  grpc::Status s = Forward(regisseur, h.id(), "werk-en-inkomen");
  ASSERT_EQ(s.error_code(), C::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(s.error_message(), StartsWith("to_team:"));
}

// Two forwards of one handover at the same time, to two teams: exactly one
// wins, and the handover is with the winner's team.
TEST_F(TeamsAccessTest, OfTwoConcurrentForwardsExactlyOneWins) {
  As woej = Who("partner-woej");
  const std::string resident = Register(woej, "Eva de Groot", "1977-05-05");
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    const v1::Handover h = Propose(woej, resident, "gemeente-lv");
    ASSERT_EQ(h.to_team(), "gebiedsregie");
    const std::vector<std::string> teams = {"werk-en-inkomen", "vth"};
    std::vector<grpc::Status> results(2);
    std::vector<v1::Handover> outs(2);
    {
      std::vector<As> callers;
      callers.push_back(Who("regisseur"));
      callers.push_back(Who("regisseur"));
      std::vector<std::thread> threads;
      for (int i = 0; i < 2; ++i) {
        threads.emplace_back([&, i] {
          results[i] = Forward(callers[i], h.id(), teams[i], h.etag(), &outs[i]);
        });
      }
      for (std::thread& t : threads) t.join();
    }
    int won = -1, wins = 0;
    for (int i = 0; i < 2; ++i) {
      if (results[i].ok()) {
        won = i;
        ++wins;
      } else {
        // The loser finds it moved on (not found for its team any more) or
        // changed (stale etag).
        EXPECT_TRUE(results[i].error_code() == C::NOT_FOUND ||
                    results[i].error_code() == C::ABORTED)
            << results[i].error_code() << " " << results[i].error_message();
      }
    }
    ASSERT_EQ(wins, 1);
    grpc::Status s;
    const v1::Handover now = GetHandover(woej, h.id(), &s);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(now.to_team(), teams[won]);
    EXPECT_EQ(now.etag(), outs[won].etag());
  }
}

// --- Team membership ------------------------------------------------------------

// Membership is a grant under dual control: nobody asks for a team of
// their own, the team must be of the professional's organisation, and
// until a second administrator approves, the professional is not in it.
TEST_F(TeamsAccessTest, ATeamGrantTakesEffectOnlyOnceASecondAdministratorApproves) {
  As consultant = Who("consultant"), woej = Who("partner-woej"), admin = Who("admin");
  const std::string consultant_id = Me(consultant).id();
  const std::string admin_id = Me(admin).id();
  v1::Grant grant;
  grpc::Status s = RequestTeam("admin", admin_id, "vth", &grant);
  EXPECT_EQ(s.error_code(), C::PERMISSION_DENIED) << "one's own: " << s.error_message();
  EXPECT_THAT(s.error_message(), StartsWith("professional_id:"));
  s = RequestTeam("regisseur", consultant_id, "vth", &grant);
  EXPECT_EQ(s.error_code(), C::PERMISSION_DENIED) << "not an administrator";
  struct Case {
    std::string team;
    C code;
  };
  for (const Case& c : {Case{"intake", C::NOT_FOUND},  // Woej's team, not the municipality's
                        Case{"leerplicht", C::NOT_FOUND},
                        Case{"werk-en-inkomen", C::INVALID_ARGUMENT},  // theirs already
                        Case{"VTH", C::INVALID_ARGUMENT}, Case{"vth,gebiedsregie", C::INVALID_ARGUMENT}}) {
    s = RequestTeam("admin", consultant_id, c.team, &grant);
    EXPECT_EQ(s.error_code(), c.code) << c.team << ": " << s.error_message();
    EXPECT_THAT(s.error_message(), StartsWith("team:")) << c.team;
  }
  EXPECT_THAT(Me(consultant).pending_teams(), ::testing::IsEmpty());

  // A handover to vth, which the consultant will join.
  const std::string resident = Register(woej, "Noah Bos", "1999-09-09");
  const v1::Handover h = Proposed(woej, HandoverRequest(resident, "gemeente-lv", "vth"));
  ASSERT_EQ(h.to_team(), "vth");

  ASSERT_TRUE(RequestTeam("admin", consultant_id, "vth", &grant).ok());
  EXPECT_EQ(grant.status(), v1::Grant::STATUS_PENDING);
  EXPECT_EQ(grant.team(), "vth");
  EXPECT_EQ(grant.organisation_id(), "gemeente-lv");
  s = RequestTeam("admin2", consultant_id, "vth", &grant);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT) << "awaited already";
  v1::Professional me = Me(consultant);
  EXPECT_THAT(me.teams(), ElementsAre("werk-en-inkomen"));
  EXPECT_THAT(me.pending_teams(), ElementsAre("vth"));
  // Pending: nothing of vth, and not acting for it.
  GetHandover(consultant, h.id(), &s);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_FALSE(Contains(Box(consultant, true), h.id()));
  v1::Signal sig;
  s = Create(consultant, SignalRequest("FZ-SCHULDEN", "", "", "", "vth"), &sig);
  EXPECT_EQ(s.error_code(), C::PERMISSION_DENIED);
  // The requester cannot approve it.
  EXPECT_EQ(Approve("admin", grant.id()).error_code(), C::PERMISSION_DENIED);
  GetHandover(consultant, h.id(), &s);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);

  ASSERT_TRUE(Approve("admin2", grant.id()).ok());
  EXPECT_THAT(Me(consultant).teams(), ElementsAre("vth", "werk-en-inkomen"));
  GetHandover(consultant, h.id(), &s);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(Contains(Box(consultant, true), h.id()));

  // The log names the team.
  bool named = false;
  for (const v1::AuditEntry& e : Entries("AdminService.ApproveGrant")) {
    if (e.outcome() == "allowed" && absl::StrContains(e.reason(), grant.id())) {
      named = absl::StrContains(e.reason(), "team vth");
    }
  }
  EXPECT_TRUE(named);
}

// Taking someone out of a team narrows their access from the very next
// request (the authenticator's identity cache is invalidated); a
// professional keeps at least one team.
TEST_F(TeamsAccessTest, RemoveFromTeamTakesEffectOnTheVeryNextRequest) {
  As consultant = Who("consultant"), woej = Who("partner-woej");
  const std::string consultant_id = Me(consultant).id();
  AddToTeam(consultant_id, "vth");
  const std::string resident = Register(woej, "Daan Visser", "1995-01-15");
  const v1::Handover h = Proposed(woej, HandoverRequest(resident, "gemeente-lv", "vth"));
  // Read several times: the identity is cached with both teams now.
  for (int i = 0; i < 3; ++i) {
    grpc::Status s;
    GetHandover(consultant, h.id(), &s);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  v1::Professional out;
  grpc::Status s = RemoveFromTeam("regisseur", consultant_id, "vth", &out);
  EXPECT_EQ(s.error_code(), C::PERMISSION_DENIED) << "not an administrator";
  s = RemoveFromTeam("admin", consultant_id, "gebiedsregie", &out);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND) << "not a member";
  EXPECT_THAT(s.error_message(), StartsWith("team:"));
  s = RemoveFromTeam("admin", "pnobodyaaaaaaaaaa", "vth", &out);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_THAT(s.error_message(), StartsWith("professional_id:"));
  s = RemoveFromTeam("admin", consultant_id, "vth,werk-en-inkomen", &out);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), StartsWith("team:"));
  GetHandover(consultant, h.id(), &s);
  ASSERT_TRUE(s.ok()) << "a refused removal removed: " << s.error_message();

  s = RemoveFromTeam("admin", consultant_id, "vth", &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(out.teams(), ElementsAre("werk-en-inkomen"));
  // The very next request.
  GetHandover(consultant, h.id(), &s);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_FALSE(Contains(Box(consultant, true), h.id()));
  v1::Signal sig;
  s = Create(consultant, SignalRequest("FZ-SCHULDEN", "", "", "", "vth"), &sig);
  EXPECT_EQ(s.error_code(), C::PERMISSION_DENIED);
  EXPECT_THAT(Me(consultant).teams(), ElementsAre("werk-en-inkomen"));
  // With one team left the consultant acts for it without naming it.
  EXPECT_EQ(CreateSignal(consultant, "FZ-SCHULDEN").author_team(), "werk-en-inkomen");

  // The last team stays.
  s = RemoveFromTeam("admin", consultant_id, "werk-en-inkomen", &out);
  EXPECT_EQ(s.error_code(), C::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), StartsWith("team:"));
  EXPECT_THAT(Me(consultant).teams(), ElementsAre("werk-en-inkomen"));
  bool named = false;
  for (const v1::AuditEntry& e : Entries("AdminService.RemoveFromTeam")) {
    if (e.outcome() == "allowed") {
      named = absl::StrContains(e.reason(), consultant_id) && absl::StrContains(e.reason(), "vth");
    }
  }
  EXPECT_TRUE(named);
}

// One administrator creates a team; it gives nobody access and is never
// the intake team: what is addressed to the municipality still lands at
// gebiedsregie.
TEST_F(TeamsAccessTest, CreateTeamIsAnAdministratorsAndNeverMakesAnIntakeTeam) {
  As regisseur = Who("regisseur"), woej = Who("partner-woej");
  v1::Team team;
  for (const char* who : {"regisseur", "auditor", "consultant", "analyst"}) {
    EXPECT_EQ(CreateTeam(who, "gemeente-lv", "leerplicht", &team).error_code(),
              C::PERMISSION_DENIED)
        << who;
  }
  grpc::Status s = CreateTeam("admin", "gemeente-lv", "vth", &team);
  EXPECT_EQ(s.error_code(), C::ALREADY_EXISTS);
  EXPECT_THAT(s.error_message(), StartsWith("id:"));
  for (const char* id : {"Leerplicht", "-leerplicht", "l", "leer,plicht", "leer%", "leer plicht",
                         ""}) {
    s = CreateTeam("admin", "gemeente-lv", id, &team);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT) << "'" << id << "'";
    EXPECT_THAT(s.error_message(), StartsWith("id:")) << id;
  }
  s = CreateTeam("admin", "geen-organisatie", "leerplicht", &team);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_THAT(s.error_message(), StartsWith("organisation_id:"));
  v1::ListTeamsResponse teams;
  ASSERT_TRUE(ListTeams(regisseur, "gemeente-lv", &teams).ok());
  EXPECT_THAT(IdsOf(teams.teams()), ElementsAre("gebiedsregie", "vth", "werk-en-inkomen"));

  s = CreateTeam("admin", "gemeente-lv", "leerplicht", &team);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(team.intake());
  EXPECT_EQ(team.organisation_id(), "gemeente-lv");
  s = CreateTeam("admin2", "gemeente-lv", "leerplicht", &team);
  EXPECT_EQ(s.error_code(), C::ALREADY_EXISTS);
  // The same id in another organisation is another team.
  EXPECT_TRUE(CreateTeam("admin", "woej", "leerplicht", &team).ok());

  ASSERT_TRUE(ListTeams(regisseur, "gemeente-lv", &teams).ok());
  EXPECT_THAT(IdsOf(teams.teams()),
              ElementsAre("gebiedsregie", "leerplicht", "vth", "werk-en-inkomen"));
  int intake = 0;
  for (const v1::Team& t : teams.teams()) {
    if (t.intake()) {
      ++intake;
      EXPECT_EQ(t.id(), "gebiedsregie");
    }
  }
  EXPECT_EQ(intake, 1);
  EXPECT_EQ(ListTeams(regisseur, "geen-organisatie", &teams).error_code(), C::NOT_FOUND);

  const std::string resident = Register(woej, "Sem Peters", "2001-02-03");
  EXPECT_EQ(Propose(woej, resident, "gemeente-lv").to_team(), "gebiedsregie");
  // The new team exists to address, and nobody reads what is addressed to it.
  const v1::Handover to_new =
      Proposed(woej, HandoverRequest(resident, "gemeente-lv", "leerplicht"));
  EXPECT_EQ(to_new.to_team(), "leerplicht");
  for (const char* user : {"regisseur", "consultant", "ggz"}) {
    As who = Who(user);
    grpc::Status read;
    GetHandover(who, to_new.id(), &read);
    EXPECT_EQ(read.error_code(), C::NOT_FOUND) << user;
  }
}

// --- Break-glass across teams ---------------------------------------------------

// Emergency access widens the relations to every record of one resident,
// whatever team holds it, never the role limits: under it the regisseur
// reads werk-en-inkomen's justice signal, handover and trajectory, but
// still not the health content a ggz worker reads.
TEST_F(TeamsAccessTest, BreakGlassOpensOtherTeamsRecordsButNotTheHealthLimit) {
  As consultant = Who("consultant"), regisseur = Who("regisseur"), ggz = Who("ggz");
  const std::string resident = Register(consultant, "Mo Haddou", "1974-04-14");
  const v1::Signal health = Created(
      consultant, SignalRequest("FZ-PSYCHISCH", resident, "gemeente-lv", "werk-en-inkomen"));
  const v1::Signal justice = Created(
      consultant, SignalRequest("FVW-WOONFRAUDE", resident, "gemeente-lv", "werk-en-inkomen"));
  const v1::Handover h = Propose(consultant, resident, "woej");
  const v1::Trajectory t = Started(consultant, TrajectoryRequest(resident));

  v1::Signal read;
  v1::Trajectory traj;
  grpc::Status s;
  // Before: area-wide the health signal's frame only; the rest hidden.
  ASSERT_TRUE(GetSignal(regisseur, health.id(), &read).ok());
  EXPECT_TRUE(read.content_withheld());
  EXPECT_EQ(GetSignal(regisseur, justice.id(), &read).error_code(), C::NOT_FOUND);
  GetHandover(regisseur, h.id(), &s);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_EQ(GetTrajectory(regisseur, t.id(), &traj).error_code(), C::NOT_FOUND);
  EXPECT_EQ(GetSignal(ggz, health.id(), &read).error_code(), C::NOT_FOUND);
  EXPECT_EQ(GetSignal(ggz, justice.id(), &read).error_code(), C::NOT_FOUND);

  OpenBreakGlass(regisseur, resident);
  ASSERT_TRUE(GetSignal(regisseur, justice.id(), &read).ok());
  EXPECT_EQ(read.description(), "Beschrijving van het signaal");
  GetHandover(regisseur, h.id(), &s);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(GetTrajectory(regisseur, t.id(), &traj).ok());
  // The role limit holds for the trajectory too: the regisseur reads it as
  // an involved partner does, the summary.
  EXPECT_TRUE(traj.summary_only());
  EXPECT_EQ(traj.goal(), "");
  EXPECT_EQ(traj.measurements_size(), 0);
  // The health limit holds.
  ASSERT_TRUE(GetSignal(regisseur, health.id(), &read).ok());
  EXPECT_TRUE(read.content_withheld());
  EXPECT_EQ(read.description(), "");
  EXPECT_EQ(read.notes_size(), 0);
  // Reading is not being a party: no act on the handover, no forward.
  v1::Handover out;
  s = Act(regisseur, &v1::HandoverService::Stub::AcceptHandover, h.id(), &out);
  EXPECT_EQ(s.error_code(), C::PERMISSION_DENIED) << s.error_message();
  // (Woej's only team is its intake, where the handover is: the new team
  // is checked before the party, so a team Woej does not have would answer
  // NOT_FOUND naming to_team; the handover's own team reaches the party
  // check.)
  s = Forward(regisseur, h.id(), "intake");
  EXPECT_EQ(s.error_code(), C::PERMISSION_DENIED) << s.error_message();
  EXPECT_EQ(GetHandover(consultant, h.id(), &s).etag(), h.etag());

  OpenBreakGlass(ggz, resident);
  ASSERT_TRUE(GetSignal(ggz, health.id(), &read).ok());
  EXPECT_FALSE(read.content_withheld());
  EXPECT_EQ(read.description(), "Beschrijving van het signaal");
  EXPECT_TRUE(GetSignal(ggz, justice.id(), &read).ok());
  GetHandover(ggz, h.id(), &s);
  EXPECT_TRUE(s.ok()) << s.error_message();

  // Every read of the justice signal was made under it (the regisseur's
  // and the ggz worker's), and each is flagged.
  int flagged = 0;
  for (const v1::AuditEntry& e : Entries("SignalService.GetSignal")) {
    if (e.resource_id() == justice.id() && e.outcome() == "allowed") {
      EXPECT_TRUE(e.break_glass()) << e.professional_id();
      ++flagged;
    }
  }
  EXPECT_EQ(flagged, 2);
}

// --- Paging -------------------------------------------------------------------------

// A page token is the caller's: a colleague of another team of the same
// organisation cannot continue it, for signals or for a caseload.
TEST_F(TeamsAccessTest, APageTokenIsRefusedToAColleagueOfAnotherTeam) {
  As consultant = Who("consultant"), regisseur = Who("regisseur");
  As vth = Newcomer("gemeente-lv", "vth", v1::ROLE_CONSULTANT);
  for (int i = 0; i < 3; ++i) CreateSignal(consultant, "FZ-SCHULDEN");
  v1::ListSignalsRequest req;
  req.set_page_size(1);
  v1::ListSignalsResponse first;
  {
    Ctx ctx;
    ASSERT_TRUE(consultant.signals->ListSignals(&ctx, req, &first).ok());
  }
  ASSERT_FALSE(first.next_page_token().empty());
  req.set_page_token(first.next_page_token());
  for (As* who : {&regisseur, &vth}) {
    v1::ListSignalsResponse out;
    Ctx ctx;
    grpc::Status s = who->signals->ListSignals(&ctx, req, &out);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), StartsWith("page_token:"));
    EXPECT_EQ(out.signals_size(), 0);
  }
  {
    v1::ListSignalsResponse out;
    Ctx ctx;
    EXPECT_TRUE(consultant.signals->ListSignals(&ctx, req, &out).ok());
  }

  for (const char* name : {"Anna Kok", "Bert Kok"}) {
    Started(consultant, TrajectoryRequest(Register(consultant, name, "1970-01-01")));
  }
  v1::ListCaseloadResponse page;
  ASSERT_TRUE(Caseload(consultant, &page, 1).ok());
  ASSERT_FALSE(page.next_page_token().empty());
  v1::ListCaseloadResponse out;
  grpc::Status s = Caseload(vth, &out, 1, page.next_page_token());
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), StartsWith("page_token:"));
  EXPECT_EQ(out.trajectories_size(), 0);
  EXPECT_TRUE(Caseload(consultant, &out, 1, page.next_page_token()).ok());
  EXPECT_EQ(out.trajectories_size(), 1);
}

// --- Team ids and owner teams as an attacker writes them ----------------------------

// The teams of a caller reach SQL as one list parameter ",a,b,", matched
// with instr(): a team id holding ',' (or anything but [a-z0-9-]) would
// match across items. No such id gets in through any field.
TEST_F(TeamsAccessTest, ATeamIdThatCouldBreakTheListParameterIsRefusedInEveryField) {
  As consultant = Who("consultant"), regisseur = Who("regisseur");
  const std::string consultant_id = Me(consultant).id();
  const std::string resident = Register(consultant, "Iris Vos", "1986-08-08");
  const v1::Signal signal = CreateSignal(regisseur, "FVW-AFVALDUMP");
  const std::vector<std::string> before = ListSignals(consultant);
  const std::vector<std::string> bad_ids = {
      ",", "werk-en-inkomen,gebiedsregie", ",vth,", "vth%", "%", "_", "vth'--",
      std::string("vth\0x", 5)};
  for (const std::string& bad : bad_ids) {
    SCOPED_TRACE(absl::StrCat("'", bad, "'"));
    v1::Signal sig;
    grpc::Status s = Create(consultant, SignalRequest("FZ-SCHULDEN", "", "", "", bad), &sig);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), StartsWith("team:"));
    s = Create(consultant, SignalRequest("FZ-SCHULDEN", "", "gemeente-lv", bad), &sig);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), StartsWith("owner_team:"));
    {
      v1::ListSignalsRequest req;
      req.set_owner_organisation_id("gemeente-lv");
      req.set_owner_team(bad);
      v1::ListSignalsResponse out;
      Ctx ctx;
      s = consultant.signals->ListSignals(&ctx, req, &out);
      EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
      EXPECT_THAT(s.error_message(), StartsWith("owner_team:"));
    }
    {
      v1::AssignSignalRequest req;
      req.set_id(signal.id());
      req.set_etag(signal.etag());
      req.set_owner_organisation_id("gemeente-lv");
      req.set_owner_team(bad);
      Ctx ctx;
      s = regisseur.signals->AssignSignal(&ctx, req, &sig);
      EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
      EXPECT_THAT(s.error_message(), StartsWith("owner_team:"));
    }
    v1::Handover ho;
    s = ProposeWith(consultant, HandoverRequest(resident, "gemeente-lv", bad), &ho);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), StartsWith("to_team:"));
    v1::Grant grant;
    s = RequestTeam("admin", consultant_id, bad, &grant);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), StartsWith("team:"));
    v1::Team team;
    s = CreateTeam("admin", "gemeente-lv", bad, &team);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), StartsWith("id:"));
    v1::Professional p;
    s = RemoveFromTeam("admin", consultant_id, bad, &p);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), StartsWith("team:"));
    {
      auto key = crypto::GenerateEcKey();
      v1::AddProfessionalRequest req;
      req.set_request_id(Rid("add"));
      req.set_organisation_id("gemeente-lv");
      req.set_display_name("Nieuwe Collega");
      req.add_roles(v1::ROLE_PARTNER);
      req.set_team(bad);
      req.set_csr_pem(*crypto::MakeCsrPem(key->get()));
      v1::AddProfessionalResponse added;
      Ctx ctx;
      s = Admin("admin")->AddProfessional(&ctx, req, &added);
      EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
      EXPECT_THAT(s.error_message(), StartsWith("team:"));
    }
  }
  // Nothing was made or moved.
  EXPECT_EQ(ListSignals(consultant), before);
  EXPECT_THAT(Me(consultant).teams(), ElementsAre("werk-en-inkomen"));
  EXPECT_THAT(Me(consultant).pending_teams(), ::testing::IsEmpty());
  v1::ListTeamsResponse teams;
  ASSERT_TRUE(ListTeams(regisseur, "gemeente-lv", &teams).ok());
  EXPECT_EQ(teams.teams_size(), 3);
  v1::Signal now;
  ASSERT_TRUE(GetSignal(regisseur, signal.id(), &now).ok());
  EXPECT_EQ(now.etag(), signal.etag());
  EXPECT_EQ(now.owner_organisation_id(), "");
}

// An owner team is a team of the owner organisation: without the
// organisation, or of another organisation, it is refused, when creating
// and when routing; routed to werk-en-inkomen, the signal is that team's.
TEST_F(TeamsAccessTest, AnOwnerTeamBelongsToTheOwnerOrganisation) {
  As consultant = Who("consultant"), regisseur = Who("regisseur");
  As vth = Newcomer("gemeente-lv", "vth", v1::ROLE_PARTNER);
  const std::vector<std::string> before = ListSignals(regisseur);
  v1::Signal out;
  grpc::Status s =
      Create(regisseur, SignalRequest("FZ-SCHULDEN", "", "", "werk-en-inkomen"), &out);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), StartsWith("owner_team:"));
  s = Create(regisseur, SignalRequest("FZ-SCHULDEN", "", "woej", "werk-en-inkomen"), &out);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_THAT(s.error_message(), StartsWith("owner_team:"));
  s = Create(regisseur, SignalRequest("FZ-SCHULDEN", "", "geen-organisatie", "intake"), &out);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_THAT(s.error_message(), StartsWith("owner_organisation_id:"));
  {
    v1::ListSignalsRequest req;
    req.set_owner_team("werk-en-inkomen");
    v1::ListSignalsResponse list;
    Ctx ctx;
    s = regisseur.signals->ListSignals(&ctx, req, &list);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), StartsWith("owner_team:"));
  }
  EXPECT_EQ(ListSignals(regisseur), before);

  const v1::Signal signal = CreateSignal(regisseur, "FZ-SCHULDEN");
  auto assign = [&](const std::string& org, const std::string& team, const std::string& etag) {
    v1::AssignSignalRequest req;
    req.set_id(signal.id());
    req.set_etag(etag);
    req.set_owner_organisation_id(org);
    req.set_owner_team(team);
    Ctx ctx;
    return regisseur.signals->AssignSignal(&ctx, req, &out);
  };
  s = assign("woej", "werk-en-inkomen", signal.etag());
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_THAT(s.error_message(), StartsWith("owner_team:"));
  s = assign("", "werk-en-inkomen", signal.etag());
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), StartsWith("owner_organisation_id:"));
  v1::Signal now;
  ASSERT_TRUE(GetSignal(regisseur, signal.id(), &now).ok());
  EXPECT_EQ(now.etag(), signal.etag());
  EXPECT_EQ(now.owner_organisation_id(), "");
  EXPECT_EQ(GetSignal(consultant, signal.id(), &now).error_code(), C::NOT_FOUND);

  // Routed to werk-en-inkomen: its consultant reads it and may change its
  // status; vth, of the same organisation, neither.
  s = assign("gemeente-lv", "werk-en-inkomen", signal.etag());
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.owner_team(), "werk-en-inkomen");
  ASSERT_TRUE(GetSignal(consultant, signal.id(), &now).ok());
  EXPECT_EQ(now.owner_team(), "werk-en-inkomen");
  EXPECT_EQ(GetSignal(vth, signal.id(), &now).error_code(), C::NOT_FOUND);
  {
    v1::ChangeSignalStatusRequest req;
    req.set_id(signal.id());
    req.set_etag(out.etag());
    req.set_status(v1::SIGNAL_STATUS_IN_PROGRESS);
    Ctx ctx;
    EXPECT_EQ(vth.signals->ChangeSignalStatus(&ctx, req, &now).error_code(), C::NOT_FOUND);
    Ctx ctx2;
    EXPECT_TRUE(consultant.signals->ChangeSignalStatus(&ctx2, req, &now).ok());
  }
  // Routed on to the municipality without a team: back to its intake team,
  // and werk-en-inkomen no longer owns it.
  ASSERT_TRUE(GetSignal(regisseur, signal.id(), &now).ok());
  s = assign("gemeente-lv", "", now.etag());
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.owner_team(), "gebiedsregie");
  EXPECT_EQ(GetSignal(consultant, signal.id(), &now).error_code(), C::NOT_FOUND);
}

// The resident of a new signal or handover is checked with the reading
// rights of the team the creator acts for (auth::ScopeActingFor), not of
// all their teams: a consultant in werk-en-inkomen and vth acting for vth
// about a resident only werk-en-inkomen is linked to finds no such
// resident, and no vth colleague comes to read it (design.md, "Teams":
// cross-team work is a handover, never silent visibility).
TEST_F(TeamsAccessTest, ActingForOneTeamDoesNotReachAnotherTeamsResident) {
  As consultant = Who("consultant");
  const std::string consultant_id = Me(consultant).id();
  As vth = Newcomer("gemeente-lv", "vth", v1::ROLE_PARTNER);
  const std::string resident = Register(consultant, "Lina Haddad", "1982-08-18");
  ASSERT_EQ(GetResident(vth, resident).error_code(), C::NOT_FOUND);
  AddToTeam(consultant_id, "vth");
  ASSERT_EQ(GetResident(vth, resident).error_code(), C::NOT_FOUND);

  v1::Signal sig;
  grpc::Status signal_status =
      Create(consultant, SignalRequest("FZ-SCHULDEN", resident, "", "", "vth"), &sig);
  v1::Handover ho;
  grpc::Status handover_status =
      ProposeWith(consultant, HandoverRequest(resident, "woej", "", "vth"), &ho);
  const C vth_reads = GetResident(vth, resident).error_code();
  EXPECT_EQ(signal_status.error_code(), C::NOT_FOUND);
  EXPECT_THAT(signal_status.error_message(), StartsWith("resident_id:"));
  EXPECT_EQ(handover_status.error_code(), C::NOT_FOUND);
  EXPECT_THAT(handover_status.error_message(), StartsWith("resident_id:"));
  EXPECT_EQ(vth_reads, C::NOT_FOUND);
}

// --- Replays across a change of teams -------------------------------------------------

// A replayed create (same request id, same fields) answers with the
// caller's reading rights of now: after leaving the team it was made for,
// the signal, the handover and the registration are gone for them, and
// the replay creates nothing new.
TEST_F(TeamsAccessTest, ReplayedCreatesAfterLeavingTheTeamAnswerNotFound) {
  std::string mover_id;
  As mover = Newcomer("gemeente-lv", "werk-en-inkomen", v1::ROLE_CONSULTANT, &mover_id);
  As colleague = Who("consultant");
  v1::RegisterResidentRequest reg;
  reg.set_request_id(Rid("res"));
  reg.set_name("Yara Mansour");
  reg.set_birth_date("1984-04-24");
  reg.set_address("Prinsenhoflaan 9");
  reg.set_wijk("prinsenhof");
  v1::RegisterResidentResponse registered;
  {
    Ctx ctx;
    ASSERT_TRUE(mover.residents->RegisterResident(&ctx, reg, &registered).ok());
  }
  const std::string resident = registered.id();
  const v1::CreateSignalRequest sig =
      SignalRequest("FVW-WOONFRAUDE", resident, "gemeente-lv", "werk-en-inkomen");
  const v1::Signal signal = Created(mover, sig);
  const v1::ProposeHandoverRequest ho = HandoverRequest(resident, "woej");
  const v1::Handover handover = Proposed(mover, ho);
  AddToTeam(mover_id, "vth");
  v1::Professional p;
  ASSERT_TRUE(RemoveFromTeam("admin", mover_id, "werk-en-inkomen", &p).ok());
  const std::vector<std::string> colleague_signals = ListSignals(colleague);

  v1::Signal sig_out;
  grpc::Status s = Create(mover, sig, &sig_out);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND) << s.error_message();
  EXPECT_THAT(s.error_message(), StartsWith("request_id:"));
  EXPECT_EQ(sig_out.description(), "");
  v1::Handover ho_out;
  s = ProposeWith(mover, ho, &ho_out);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND) << s.error_message();
  EXPECT_THAT(s.error_message(), StartsWith("request_id:"));
  EXPECT_EQ(ho_out.reason(), "");
  {
    v1::RegisterResidentResponse out;
    Ctx ctx;
    s = mover.residents->RegisterResident(&ctx, reg, &out);
    EXPECT_EQ(s.error_code(), C::NOT_FOUND) << s.error_message();
    EXPECT_EQ(out.id(), "");
  }
  // Nothing new, nothing moved: the team keeps its records.
  EXPECT_EQ(ListSignals(colleague), colleague_signals);
  v1::Signal read;
  ASSERT_TRUE(GetSignal(colleague, signal.id(), &read).ok());
  EXPECT_EQ(read.author_team(), "werk-en-inkomen");
  grpc::Status got;
  EXPECT_EQ(GetHandover(colleague, handover.id(), &got).from_team(), "werk-en-inkomen");
  EXPECT_TRUE(got.ok());
}

// A replayed StartTrajectory answers as a read does now: a consultant taken
// out of werk-en-inkomen (now in vth only) who re-sends the request they
// made while in it gets NOT_FOUND, never the trajectory with the
// measurements colleagues recorded since.
TEST_F(TeamsAccessTest, ReplayingAStartTrajectoryAfterLeavingTheTeamRevealsNothing) {
  std::string mover_id;
  As mover = Newcomer("gemeente-lv", "werk-en-inkomen", v1::ROLE_CONSULTANT, &mover_id);
  As colleague = Who("consultant");
  const std::string resident = Register(mover, "Rachid Amrani", "1969-09-19");
  const v1::StartTrajectoryRequest start = TrajectoryRequest(resident);
  const v1::Trajectory t = Started(mover, start);
  // The colleague of the team measures.
  v1::Trajectory out;
  ASSERT_TRUE(Measure(colleague, t.id(), &out).ok());
  // The mover goes to vth and leaves werk-en-inkomen.
  AddToTeam(mover_id, "vth");
  v1::Professional p;
  ASSERT_TRUE(RemoveFromTeam("admin", mover_id, "werk-en-inkomen", &p).ok());
  ASSERT_EQ(GetTrajectory(mover, t.id(), &out).error_code(), C::NOT_FOUND);

  v1::Trajectory replayed;
  grpc::Status s = StartWith(mover, start, &replayed);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND) << s.error_message();
  EXPECT_EQ(replayed.goal(), "");
  EXPECT_EQ(replayed.measurements_size(), 0);
}

}  // namespace
}  // namespace schakel::testing
