// A professional's working day through a real server: residents found as
// people write their names, and never one the caller may not read; the
// duplicate check on the folded name; names next to ids exactly where a
// read would show them; the API's rules a client author trips over
// (RegisterResident's outcome, etags on every update, fields an action
// does not take, filters that name nothing).
#include <set>

#include "schakel/v1/trajectories.grpc.pb.h"
#include "tests/integration/case_fixture.h"
#include "tests/support/test_engine.h"

namespace schakel::testing {
namespace {

using ::testing::HasSubstr;
using C = grpc::StatusCode;

class WorkingDayTest : public CasesTest {
 protected:
  grpc::Status Find(As& who, const std::string& name, const std::string& birth,
                    const std::string& address, std::vector<std::string>* names) {
    v1::FindResidentsRequest req;
    req.set_name(name);
    req.set_birth_date(birth);
    req.set_address(address);
    v1::FindResidentsResponse resp;
    Ctx ctx;
    grpc::Status s = who.residents->FindResidents(&ctx, req, &resp);
    names->clear();
    for (const auto& r : resp.residents()) names->push_back(r.name());
    return s;
  }

  v1::RegisterResidentResponse RegisterFull(As& who, const std::string& name,
                                            const std::string& birth, const std::string& address,
                                            bool anyway = false) {
    v1::RegisterResidentRequest req;
    req.set_request_id(Rid("res"));
    req.set_name(name);
    req.set_birth_date(birth);
    req.set_address(address);
    req.set_wijk("prinsenhof");
    req.set_register_anyway(anyway);
    v1::RegisterResidentResponse resp;
    Ctx ctx;
    grpc::Status s = who.residents->RegisterResident(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }
};

TEST_F(WorkingDayTest, ResidentsAreFoundAsPeopleWriteTheirNames) {
  As bridge = Who("brugfunctionaris");
  RegisterFull(bridge, "Zoë Bakker-Ünal", "2015-04-01", "Prinsenhoflaan 12");
  RegisterFull(bridge, "Yağmur Özdemir", "1988-09-30", "Heuvelweg 3");
  RegisterFull(bridge, "Mohamed El Amrani", "1979-01-15", "Amstelstroom 40");
  RegisterFull(bridge, "Jürgen Straße", "1960-06-06", "Oranjelaan 7");
  std::vector<std::string> found;
  struct Row {
    const char* name;
    const char* birth;
    const char* address;
    const char* expect;  // "" for none
  };
  const Row rows[] = {
      {"zoë bakker-ünal", "2015-04-01", "", "Zoë Bakker-Ünal"},
      {"ZOE BAKKER-UNAL", "2015-04-01", "", "Zoë Bakker-Ünal"},
      {"unal", "2015-04-01", "", "Zoë Bakker-Ünal"},
      {"zo bak", "", "prinsenhofLAAN", "Zoë Bakker-Ünal"},
      {"ozdemir", "1988-09-30", "", "Yağmur Özdemir"},
      {"yagmur", "", "heuvelweg 3", "Yağmur Özdemir"},
      {"el amrani", "1979-01-15", "", "Mohamed El Amrani"},
      {"jurgen strasse", "1960-06-06", "", "Jürgen Straße"},
      {"zoe", "2015-04-02", "", ""},      // another birth date
      {"akker", "2015-04-01", "", ""},    // not the beginning of a word
  };
  for (const Row& r : rows) {
    if (OnPostgres() && std::string(r.birth).empty()) {
      // Addresses are sealed there: a search goes by the birth date.
      grpc::Status s = Find(bridge, r.name, r.birth, r.address, &found);
      EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT) << r.name;
      EXPECT_THAT(s.error_message(), HasSubstr("birth_date")) << r.name;
      continue;
    }
    ASSERT_TRUE(Find(bridge, r.name, r.birth, r.address, &found).ok()) << r.name;
    if (std::string(r.expect).empty()) {
      EXPECT_TRUE(found.empty()) << r.name;
    } else {
      EXPECT_EQ(found, std::vector<std::string>{r.expect}) << r.name;
    }
  }
}

TEST_F(WorkingDayTest, ASearchNeverShowsOrCountsAResidentTheCallerMayNotRead) {
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej");
  RegisterFull(bridge, "Zoë Bakker-Ünal", "2015-04-01", "Prinsenhoflaan 12");
  std::vector<std::string> found;
  // Same name, birth date and address: partner-woej is not linked.
  ASSERT_TRUE(Find(woej, "zoe bakker-unal", "2015-04-01", "", &found).ok());
  EXPECT_TRUE(found.empty());
  ASSERT_TRUE(Find(woej, "zoe", OnPostgres() ? "2015-04-01" : "", "prinsenhoflaan", &found).ok());
  EXPECT_TRUE(found.empty());
  // Bad searches name the field and the rule.
  grpc::Status s = Find(bridge, "z", "2015-04-01", "", &found);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("name: at least 2"));
  s = Find(bridge, "zoe", "", "", &found);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("birth_date"));
  s = Find(bridge, "zoe", "", "pr", &found);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("address: at least 3"));
  s = Find(bridge, "zoe", "2015-02-30", "", &found);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("birth_date"));
  // A LIKE wildcard in the address is a character, not a pattern.
  ASSERT_TRUE(Find(bridge, "zoe", OnPostgres() ? "2015-04-01" : "", "%%%", &found).ok());
  EXPECT_TRUE(found.empty());
}

TEST_F(WorkingDayTest, RegistrationSeesTheFoldedNameAsAPossibleMatch) {
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej");
  v1::RegisterResidentResponse first =
      RegisterFull(bridge, "Zoë Bakker-Ünal", "2015-04-01", "Prinsenhoflaan 12");
  EXPECT_EQ(first.outcome(), v1::RegisterResidentResponse::OUTCOME_REGISTERED);
  ASSERT_FALSE(first.id().empty());
  // The same person spelled without diacritics: a visible match stops it.
  v1::RegisterResidentResponse again =
      RegisterFull(bridge, "Zoe Bakker-Unal", "2015-04-01", "Prinsenhoflaan 12");
  EXPECT_EQ(again.outcome(), v1::RegisterResidentResponse::OUTCOME_POSSIBLE_MATCH);
  EXPECT_TRUE(again.id().empty());
  ASSERT_EQ(again.matches_size(), 1);
  EXPECT_EQ(again.matches(0).id(), first.id());
  // Someone who may not read the first record creates a new one, marked
  // for the regisseur, and learns nothing.
  v1::RegisterResidentResponse other =
      RegisterFull(woej, "ZOE BAKKER-UNAL", "2015-04-01", "Prinsenhoflaan 12");
  EXPECT_EQ(other.outcome(), v1::RegisterResidentResponse::OUTCOME_REGISTERED);
  EXPECT_EQ(other.matches_size(), 0);
  As regisseur = Who("regisseur");
  v1::ListPossibleDuplicatesResponse pairs;
  Ctx ctx;
  ASSERT_TRUE(regisseur.residents
                  ->ListPossibleDuplicates(&ctx, v1::ListPossibleDuplicatesRequest(), &pairs)
                  .ok());
  ASSERT_EQ(pairs.pairs_size(), 1);
  EXPECT_EQ(pairs.pairs(0).resident().id(), other.id());
  EXPECT_EQ(pairs.pairs(0).duplicate_of().id(), first.id());
}

TEST_F(WorkingDayTest, NamesComeWithIdsWhereTheCallerMaySeeThem) {
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej");
  std::string resident = Register(bridge, "Zoë Bakker-Ünal", "2015-04-01");
  v1::Signal s = CreateSignal(bridge, "JO-ARMOEDE", resident, "woej");
  EXPECT_EQ(s.resident_name(), "Zoë Bakker-Ünal");
  EXPECT_EQ(s.author_name(), "Demo brugfunctionaris");
  EXPECT_FALSE(s.author_organisation_name().empty());
  EXPECT_FALSE(s.owner_organisation_name().empty());
  // The owner reads the signal and, through it, the resident.
  v1::GetSignalRequest get;
  get.set_id(s.id());
  v1::Signal seen;
  {
    Ctx ctx;
    ASSERT_TRUE(woej.signals->GetSignal(&ctx, get, &seen).ok());
  }
  EXPECT_EQ(seen.resident_name(), "Zoë Bakker-Ünal");
  ASSERT_GT(seen.timeline_size(), 0);
  EXPECT_EQ(seen.timeline(0).actor_name(), "Demo brugfunctionaris");
  // A health signal outside the limit: the frame names no author and no
  // resident, only the owner.
  v1::Signal health = CreateSignal(bridge, "FVW-VERSLAVING", resident, "woej");
  get.set_id(health.id());
  {
    Ctx ctx;
    ASSERT_TRUE(woej.signals->GetSignal(&ctx, get, &seen).ok());
  }
  EXPECT_TRUE(seen.content_withheld());
  EXPECT_TRUE(seen.resident_name().empty());
  EXPECT_TRUE(seen.author_name().empty());
  EXPECT_TRUE(seen.author_organisation_name().empty());
  EXPECT_FALSE(seen.owner_organisation_name().empty());
  // A handover names its parties and resident to both of them.
  v1::Handover h = Propose(bridge, resident, "woej");
  EXPECT_EQ(h.resident_name(), "Zoë Bakker-Ünal");
  EXPECT_EQ(h.sender_name(), "Demo brugfunctionaris");
  v1::ListHandoversResponse inbox;
  {
    Ctx ctx;
    ASSERT_TRUE(woej.handovers->ListInbox(&ctx, v1::ListHandoversRequest(), &inbox).ok());
  }
  ASSERT_EQ(inbox.handovers_size(), 1);
  EXPECT_EQ(inbox.handovers(0).resident_name(), "Zoë Bakker-Ünal");
  EXPECT_EQ(inbox.handovers(0).sender_name(), "Demo brugfunctionaris");
  EXPECT_FALSE(inbox.handovers(0).from_organisation_name().empty());
}

TEST_F(WorkingDayTest, EveryUpdateNeedsTheEtagOfTheLastRead) {
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej");
  std::string resident = Register(bridge, "Noor Visser", "1990-02-02");
  v1::Handover h = Propose(bridge, resident, "woej");
  v1::HandoverActionRequest req;
  req.set_id(h.id());
  v1::Handover out;
  {
    Ctx ctx;
    grpc::Status s = woej.handovers->AcceptHandover(&ctx, req, &out);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("etag: required"));
  }
  req.set_etag("v9");
  {
    Ctx ctx;
    grpc::Status s = woej.handovers->AcceptHandover(&ctx, req, &out);
    EXPECT_EQ(s.error_code(), C::ABORTED);
  }
  EXPECT_EQ(GetHandover(woej, h.id()).status(), v1::HANDOVER_STATUS_PROPOSED);
  req.set_etag(h.etag());
  {
    Ctx ctx;
    ASSERT_TRUE(woej.handovers->AcceptHandover(&ctx, req, &out).ok());
  }
  // A trajectory's status change too.
  As consultant = Who("consultant");
  std::string client = Register(consultant, "Kees Bakker", "1966-10-03");
  auto trajectories = v1::TrajectoryService::NewStub(consultant.channel);
  v1::StartTrajectoryRequest start;
  start.set_request_id(Rid("tr"));
  start.set_resident_id(client);
  v1::Trajectory t;
  {
    Ctx ctx;
    ASSERT_TRUE(trajectories->StartTrajectory(&ctx, start, &t).ok());
  }
  EXPECT_EQ(t.resident_name(), "Kees Bakker");
  EXPECT_EQ(t.consultant_name(), "Demo consultant");
  v1::ChangeTrajectoryStatusRequest pause;
  pause.set_id(t.id());
  pause.set_status(v1::TRAJECTORY_STATUS_PAUSED);
  v1::Trajectory paused;
  {
    Ctx ctx;
    grpc::Status s = trajectories->ChangeTrajectoryStatus(&ctx, pause, &paused);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("etag"));
  }
  pause.set_etag(t.etag());
  {
    Ctx ctx;
    grpc::Status s = trajectories->ChangeTrajectoryStatus(&ctx, pause, &paused);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  {
    Ctx ctx;  // the etag of before the change is stale now
    EXPECT_EQ(trajectories->ChangeTrajectoryStatus(&ctx, pause, &paused).error_code(),
              C::ABORTED);
  }
}

TEST_F(WorkingDayTest, AnActionRefusesAFieldItDoesNotTake) {
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej");
  std::string resident = Register(bridge, "Noor Visser", "1990-02-02");
  v1::Handover h = Propose(bridge, resident, "woej");
  v1::Handover out;
  grpc::Status s = Act(woej, &v1::HandoverService::Stub::AcceptHandover, h.id(), &out,
                       [](v1::HandoverActionRequest& r) {
                         r.set_outcome(v1::OUTCOME_HELPED);
                         r.set_reason("helemaal geholpen");
                       });
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("takes no"));
  EXPECT_EQ(GetHandover(woej, h.id()).status(), v1::HANDOVER_STATUS_PROPOSED);
  s = Act(woej, &v1::HandoverService::Stub::DeclineHandover, h.id(), &out,
          [](v1::HandoverActionRequest& r) {
            r.set_reason("Geen plek");
            r.set_with("de brugfunctionaris");
          });
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("with: decline takes no with"));
}

TEST_F(WorkingDayTest, AListFilterThatNamesNothingIsRefused) {
  As regisseur = Who("regisseur");
  struct Row {
    void (*set)(v1::ListSignalsRequest&);
    const char* field;
  };
  const Row rows[] = {
      {[](v1::ListSignalsRequest& r) { r.set_category("JO-GEENCODE"); }, "category"},
      {[](v1::ListSignalsRequest& r) { r.set_wijk("atlantis"); }, "wijk"},
      {[](v1::ListSignalsRequest& r) { r.set_opgave("XX"); }, "opgave"},
      {[](v1::ListSignalsRequest& r) { r.set_owner_organisation_id("nergens"); },
       "owner_organisation_id"},
      {[](v1::ListSignalsRequest& r) {
         r.set_owner_organisation_id("gemeente-lv");
         r.set_owner_team("leerplicht");
       },
       "owner_team"},
  };
  for (const Row& row : rows) {
    v1::ListSignalsRequest req;
    row.set(req);
    v1::ListSignalsResponse resp;
    Ctx ctx;
    grpc::Status s = regisseur.signals->ListSignals(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT) << row.field;
    EXPECT_THAT(s.error_message(), HasSubstr(row.field));
  }
  v1::ListSignalsRequest known;
  known.set_wijk("prinsenhof");
  known.set_owner_organisation_id("gemeente-lv");
  known.set_owner_team("vth");
  v1::ListSignalsResponse resp;
  Ctx ctx;
  EXPECT_TRUE(regisseur.signals->ListSignals(&ctx, known, &resp).ok());
}

}  // namespace
}  // namespace schakel::testing
