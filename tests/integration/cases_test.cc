// Residents, signals and handovers through a real server: mutual TLS on
// loopback, a real SQLCipher deployment, the demo professionals, and an
// injected clock that drives handover deadlines.
#include <grpcpp/generic/generic_stub.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/synchronization/notification.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/handovers.grpc.pb.h"
#include "schakel/v1/residents.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "server/deployment/deployment.h"
#include "server/deployment/init.h"
#include "server/server.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "tests/integration/case_fixture.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using testing::As;
using testing::CasesTest;
using testing::Ctx;
using testing::Rid;

using ::schakel::testing::IsOk;
using ::schakel::testing::LoadIdentity;
using ::schakel::testing::MakeChannel;
using ::schakel::testing::TempDir;
using ::testing::HasSubstr;

TEST_F(CasesTest, WarmHandoverLoopClosesWithTheOutcomeBackAtTheReferrer) {
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej"), vidomes = Who("partner-vidomes");
  std::string parent = Register(bridge, "Fatima El Amrani");
  v1::Handover proposed = Propose(bridge, parent, "woej");
  EXPECT_EQ(proposed.status(), v1::HANDOVER_STATUS_PROPOSED);
  EXPECT_EQ(proposed.deadline(), "2026-11-30");  // five working days
  EXPECT_EQ(proposed.basis().consent().date(), "2026-11-23");
  EXPECT_FALSE(proposed.basis().consent().recorded_by().empty());

  // Not a party: it does not exist.
  grpc::Status s;
  GetHandover(vidomes, proposed.id(), &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ListHandoversResponse inbox;
  {
    Ctx ctx;
    ASSERT_TRUE(woej.handovers->ListInbox(&ctx, v1::ListHandoversRequest(), &inbox).ok());
  }
  ASSERT_EQ(inbox.handovers_size(), 1);
  EXPECT_EQ(inbox.handovers(0).id(), proposed.id());
  EXPECT_FALSE(inbox.handovers(0).due_soon());

  v1::Handover h;
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::AcceptHandover, proposed.id(), &h).ok());
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_ACCEPTED);
  EXPECT_FALSE(h.receiver_id().empty());
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::IntroduceHandover, proposed.id(), &h,
                  [](v1::HandoverActionRequest& r) { r.set_with("de brugfunctionaris"); })
                  .ok());
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_INTRODUCED);
  EXPECT_EQ(h.introduced_date(), "2026-11-23");
  s = Act(woej, &v1::HandoverService::Stub::CompleteHandover, proposed.id(), &h,
          [](v1::HandoverActionRequest& r) {
            r.set_outcome(v1::OUTCOME_HELPED);
            r.set_text("Aangemeld bij het Taalhuis, schuldhulp loopt");
          });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_COMPLETED);

  v1::ListHandoversResponse outbox;
  {
    Ctx ctx;
    ASSERT_TRUE(bridge.handovers->ListOutbox(&ctx, v1::ListHandoversRequest(), &outbox).ok());
  }
  ASSERT_EQ(outbox.handovers_size(), 1);
  EXPECT_EQ(outbox.handovers(0).status(), v1::HANDOVER_STATUS_COMPLETED);
  EXPECT_EQ(outbox.handovers(0).outcome(), v1::OUTCOME_HELPED);
  EXPECT_EQ(outbox.handovers(0).outcome_text(), "Aangemeld bij het Taalhuis, schuldhulp loopt");

  // A completed handover is final.
  s = Act(woej, &v1::HandoverService::Stub::AcceptHandover, proposed.id(), &h);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("completed"));
}

TEST_F(CasesTest, DeclinedCancelledAndConsentWithdrawnPaths) {
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej");
  std::string parent = Register(bridge, "Jan de Vries", "1979-06-14");
  v1::Handover h;

  v1::Handover declined = Propose(bridge, parent, "woej");
  grpc::Status s = Act(woej, &v1::HandoverService::Stub::DeclineHandover, declined.id(), &h);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("reason"));
  s = Act(bridge, &v1::HandoverService::Stub::DeclineHandover, declined.id(), &h,
          [](v1::HandoverActionRequest& r) { r.set_reason("x"); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::DeclineHandover, declined.id(), &h,
                  [](v1::HandoverActionRequest& r) { r.set_reason("Geen plek tot januari"); })
                  .ok());
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_DECLINED);
  EXPECT_EQ(GetHandover(bridge, declined.id()).decline_reason(), "Geen plek tot januari");

  v1::Handover cancelled = Propose(bridge, parent, "woej");
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::AcceptHandover, cancelled.id(), &h).ok());
  s = Act(woej, &v1::HandoverService::Stub::CancelHandover, cancelled.id(), &h);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Act(bridge, &v1::HandoverService::Stub::CancelHandover, cancelled.id(), &h).ok());
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_CANCELLED);

  v1::Handover withdrawn = Propose(bridge, parent, "woej");
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::AcceptHandover, withdrawn.id(), &h).ok());
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::IntroduceHandover, withdrawn.id(), &h).ok());
  // Cancel is no longer possible once introduced; consent withdrawal is.
  s = Act(bridge, &v1::HandoverService::Stub::CancelHandover, withdrawn.id(), &h);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Act(bridge, &v1::HandoverService::Stub::WithdrawConsent, withdrawn.id(), &h).ok());
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_CANCELLED);
  EXPECT_THAT(h.cancel_reason(), HasSubstr("withdrew consent"));

  // A stale etag is refused.
  v1::Handover fresh = Propose(bridge, parent, "woej");
  s = Act(woej, &v1::HandoverService::Stub::AcceptHandover, fresh.id(), &h,
          [](v1::HandoverActionRequest& r) { r.set_etag("v7"); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
}

TEST_F(CasesTest, ExpiryIsDrivenByTheInjectedClock) {
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej");
  std::string parent = Register(bridge, "Noor Bakker", "1990-01-20");
  v1::Handover h = Propose(bridge, parent, "woej", 2);
  EXPECT_EQ(h.deadline(), "2026-11-25");
  clock_.Advance(absl::Hours(24 * 2));  // Wednesday: the last day
  EXPECT_TRUE(GetHandover(bridge, h.id()).due_soon());
  EXPECT_EQ(GetHandover(bridge, h.id()).status(), v1::HANDOVER_STATUS_PROPOSED);
  clock_.Advance(absl::Hours(24));  // Thursday: past the deadline
  v1::Handover seen;
  for (int i = 0; i < 200; ++i) {
    seen = GetHandover(woej, h.id());
    if (seen.status() == v1::HANDOVER_STATUS_EXPIRED) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(seen.status(), v1::HANDOVER_STATUS_EXPIRED);
  v1::Handover out;
  grpc::Status s = Act(woej, &v1::HandoverService::Stub::AcceptHandover, h.id(), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("expired"));
}

TEST_F(CasesTest, ARegistrationRevealsNothingTheCallerMayNotReadAndTheRegisseurMerges) {
  As bridge = Who("brugfunctionaris"), vidomes = Who("partner-vidomes"),
     regisseur = Who("regisseur");
  std::string first = Register(bridge, "Samira Yilmaz", "1988-09-09");
  ASSERT_FALSE(first.empty());

  // Vidomes registers the same person: created, and nothing revealed.
  v1::RegisterResidentRequest req;
  req.set_request_id(Rid("dup"));
  req.set_name("  samira   YILMAZ ");
  req.set_birth_date("1988-09-09");
  req.set_address("Heuvelweg 3");
  req.set_wijk("heuvel-amstelwijk");
  v1::RegisterResidentResponse resp;
  {
    Ctx ctx;
    ASSERT_TRUE(vidomes.residents->RegisterResident(&ctx, req, &resp).ok());
  }
  ASSERT_FALSE(resp.id().empty());
  EXPECT_EQ(resp.matches_size(), 0);
  std::string second = resp.id();
  {
    Ctx ctx;
    v1::GetResidentRequest get;
    get.set_id(first);
    v1::Resident r;
    EXPECT_EQ(vidomes.residents->GetResident(&ctx, get, &r).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  {
    Ctx ctx;
    v1::FindResidentsRequest find;
    find.set_name("Samira Yilmaz");
    find.set_birth_date("1988-09-09");
    v1::FindResidentsResponse found;
    ASSERT_TRUE(vidomes.residents->FindResidents(&ctx, find, &found).ok());
    ASSERT_EQ(found.residents_size(), 1);
    EXPECT_EQ(found.residents(0).id(), second);
  }

  // The brugfunctionaris may read the first record: shown the match,
  // nothing created until "register anyway".
  v1::RegisterResidentRequest again = req;
  again.set_request_id(Rid("again"));
  v1::RegisterResidentResponse shown;
  {
    Ctx ctx;
    ASSERT_TRUE(bridge.residents->RegisterResident(&ctx, again, &shown).ok());
  }
  EXPECT_TRUE(shown.id().empty());
  ASSERT_EQ(shown.matches_size(), 1);
  EXPECT_EQ(shown.matches(0).id(), first);

  // A signal about the vidomes record, to follow through the merge.
  v1::Signal about_second = CreateSignal(vidomes, "FVW-WOONFRAUDE", second, "vidomes");

  v1::ListPossibleDuplicatesResponse pairs;
  {
    Ctx ctx;
    EXPECT_EQ(bridge.residents->ListPossibleDuplicates(&ctx, {}, &pairs).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    Ctx ctx;
    ASSERT_TRUE(regisseur.residents->ListPossibleDuplicates(&ctx, {}, &pairs).ok());
  }
  ASSERT_EQ(pairs.pairs_size(), 1);
  EXPECT_EQ(pairs.pairs(0).resident().id(), second);
  EXPECT_EQ(pairs.pairs(0).duplicate_of().id(), first);
  // Nothing links the regisseur to either record yet: the pair shows ids
  // only, and merging is not the regisseur's to do.
  for (const v1::Resident& side : {pairs.pairs(0).resident(), pairs.pairs(0).duplicate_of()}) {
    EXPECT_TRUE(side.content_withheld()) << side.id();
    EXPECT_TRUE(side.name().empty()) << side.id();
    EXPECT_TRUE(side.address().empty()) << side.id();
  }
  v1::MergeResidentsRequest merge;
  merge.set_keep_id(first);
  merge.set_merge_id(second);
  v1::Resident kept;
  {
    Ctx ctx;
    EXPECT_EQ(regisseur.residents->MergeResidents(&ctx, merge, &kept).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  // Signals the regisseur reads area-wide link it to both records.
  CreateSignal(bridge, "FVW-OVERLAST", first);
  CreateSignal(vidomes, "FVW-OVERLAST", second);
  {
    Ctx ctx;
    ASSERT_TRUE(regisseur.residents->ListPossibleDuplicates(&ctx, {}, &pairs).ok());
  }
  ASSERT_EQ(pairs.pairs_size(), 1);
  EXPECT_FALSE(pairs.pairs(0).resident().content_withheld());
  EXPECT_EQ(pairs.pairs(0).duplicate_of().name(), "Samira Yilmaz");
  {
    Ctx ctx;
    grpc::Status s = regisseur.residents->MergeResidents(&ctx, merge, &kept);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(kept.id(), first);
  {
    Ctx ctx;
    ASSERT_TRUE(regisseur.residents->ListPossibleDuplicates(&ctx, {}, &pairs).ok());
  }
  EXPECT_EQ(pairs.pairs_size(), 0);
  // The signal moved to the kept record; vidomes is now linked to it.
  {
    Ctx ctx;
    v1::GetSignalRequest get;
    get.set_id(about_second.id());
    v1::Signal s;
    ASSERT_TRUE(vidomes.signals->GetSignal(&ctx, get, &s).ok());
    EXPECT_EQ(s.resident_id(), first);
  }
  {
    Ctx ctx;
    v1::GetResidentRequest get;
    get.set_id(first);
    v1::Resident r;
    EXPECT_TRUE(vidomes.residents->GetResident(&ctx, get, &r).ok());
  }
}

TEST_F(CasesTest, TwentyConcurrentRetriesMakeOneSignal) {
  As bridge = Who("brugfunctionaris");
  const std::string request_id = "req-concurrent-0001";
  // Each retry on its own connection.
  const Retried retried =
      CreateConcurrently(request_id, 20, [&](int) -> const Server& { return *server_; });
  const std::vector<grpc::Status>& statuses = retried.statuses;
  const std::vector<std::string>& ids = retried.ids;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    EXPECT_EQ(ids[i], ids[0]);
  }
  v1::ListSignalsResponse all;
  Ctx ctx;
  ASSERT_TRUE(bridge.signals->ListSignals(&ctx, v1::ListSignalsRequest(), &all).ok());
  EXPECT_EQ(all.signals_size(), 1);

  // The same request id with other content.
  v1::CreateSignalRequest other;
  other.set_request_id(request_id);
  other.set_category("JO-ARMOEDE");
  other.set_wijk("prinsenhof");
  other.set_place("School");
  other.set_description("Iets anders");
  v1::Signal out;
  Ctx ctx2;
  grpc::Status s = bridge.signals->CreateSignal(&ctx2, other, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(s.error_message(), HasSubstr("request_id"));
}

// A page token says nothing and works only for the caller, list and
// filter it was made for: the old tokens (base64 of "v1|signals|SEQ")
// showed the global row sequence and were accepted from anyone.
TEST_F(CasesTest, APageTokenIsOpaqueAndBoundToItsCallerListAndFilter) {
  As regisseur = Who("regisseur");
  As ggz = Who("ggz");
  for (int i = 0; i < 3; ++i) CreateSignal(regisseur, "FVW-AFVALDUMP");
  v1::ListSignalsRequest req;
  req.set_page_size(1);
  req.set_category("FVW-AFVALDUMP");
  v1::ListSignalsResponse first;
  {
    Ctx ctx;
    ASSERT_TRUE(regisseur.signals->ListSignals(&ctx, req, &first).ok());
  }
  const std::string token = first.next_page_token();
  ASSERT_FALSE(token.empty());
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  EXPECT_THAT(raw, Not(HasSubstr("signals")));
  EXPECT_THAT(raw, Not(HasSubstr("v1|")));
  auto list = [&](As& who, v1::ListSignalsRequest r, const std::string& t) {
    r.set_page_token(t);
    v1::ListSignalsResponse out;
    Ctx ctx;
    return who.signals->ListSignals(&ctx, r, &out);
  };
  // Where it was made: the next page.
  EXPECT_TRUE(list(regisseur, req, token).ok());
  // Another caller, another filter, another list, an altered byte.
  grpc::Status foreign = list(ggz, req, token);
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(foreign.error_message(), HasSubstr("page_token"));
  v1::ListSignalsRequest other_filter = req;
  other_filter.set_wijk("prinsenhof");
  EXPECT_EQ(list(regisseur, other_filter, token).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  {
    v1::ListHandoversRequest outbox;
    outbox.set_page_token(token);
    v1::ListHandoversResponse out;
    Ctx ctx;
    EXPECT_EQ(regisseur.handovers->ListOutbox(&ctx, outbox, &out).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  std::string altered = token;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(list(regisseur, req, altered).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CasesTest, PagingWhileInsertingReturnsEachSignalOnceInOrder) {
  As regisseur = Who("regisseur");
  std::vector<std::string> created;
  for (int i = 0; i < 1000; ++i) {
    created.push_back(CreateSignal(regisseur, "FVW-AFVALDUMP").id());
  }
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    As other = Who("regisseur");
    while (!stop) CreateSignal(other, "FVW-AFVALDUMP");
  });
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListSignalsRequest req;
    req.set_page_size(37);
    req.set_page_token(token);
    v1::ListSignalsResponse resp;
    Ctx ctx;
    grpc::Status s = regisseur.signals->ListSignals(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const auto& sig : resp.signals()) seen.push_back(sig.id());
    token = resp.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 100);
  stop = true;
  writer.join();
  // Newest first: the pre-existing signals, each once, in reverse creation
  // order, after whatever was inserted before the first page was read.
  std::vector<std::string> expected(created.rbegin(), created.rend());
  auto first = std::find(seen.begin(), seen.end(), expected.front());
  ASSERT_NE(first, seen.end());
  std::vector<std::string> tail(first, seen.end());
  EXPECT_EQ(tail, expected);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
}

struct BadCase {
  const char* name;
  std::function<grpc::Status(As&)> call;
  grpc::StatusCode code;
  const char* field;
};

TEST_F(CasesTest, BadInputGetsItsStatusAndNamesTheField) {
  As bridge = Who("brugfunctionaris");
  std::string resident = Register(bridge, "Kees Jansen", "1970-05-05");
  auto create = [](std::function<void(v1::CreateSignalRequest&)> mutate) {
    return [mutate](As& a) {
      v1::CreateSignalRequest r;
      r.set_request_id(Rid("bad"));
      r.set_category("JO-ARMOEDE");
      r.set_wijk("prinsenhof");
      r.set_place("School");
      r.set_description("Beschrijving");
      mutate(r);
      v1::Signal out;
      Ctx ctx;
      return a.signals->CreateSignal(&ctx, r, &out);
    };
  };
  auto propose = [resident](std::function<void(v1::ProposeHandoverRequest&)> mutate) {
    return [mutate, resident](As& a) {
      v1::ProposeHandoverRequest r;
      r.set_request_id(Rid("bad"));
      r.set_resident_id(resident);
      r.set_to_organisation_id("woej");
      r.set_reason("Reden");
      r.mutable_basis()->mutable_legal_task()->set_reference("Jeugdwet art. 2.1");
      mutate(r);
      v1::Handover out;
      Ctx ctx;
      return a.handovers->ProposeHandover(&ctx, r, &out);
    };
  };
  auto reg = [](std::function<void(v1::RegisterResidentRequest&)> mutate) {
    return [mutate](As& a) {
      v1::RegisterResidentRequest r;
      r.set_request_id(Rid("bad"));
      r.set_name("Naam");
      r.set_birth_date("2001-01-01");
      r.set_address("Adres 1");
      r.set_wijk("prinsenhof");
      mutate(r);
      v1::RegisterResidentResponse out;
      Ctx ctx;
      return a.residents->RegisterResident(&ctx, r, &out);
    };
  };
  using C = grpc::StatusCode;
  const BadCase cases[] = {
      {"no lawful basis", propose([](auto& r) { r.clear_basis(); }), C::INVALID_ARGUMENT,
       "basis"},
      {"to own organisation", propose([](auto& r) { r.set_to_organisation_id("kwadraad"); }),
       C::INVALID_ARGUMENT, "to_organisation_id"},
      {"unknown organisation", propose([](auto& r) { r.set_to_organisation_id("nowhere"); }),
       C::NOT_FOUND, "to_organisation_id"},
      {"unknown resident", propose([](auto& r) { r.set_resident_id("rnopenopenopenope"); }), C::NOT_FOUND,
       "resident_id"},
      {"unknown category", create([](auto& r) { r.set_category("XX-NOPE"); }),
       C::INVALID_ARGUMENT, "category"},
      {"unknown wijk", create([](auto& r) { r.set_wijk("atlantis"); }), C::INVALID_ARGUMENT,
       "wijk"},
      {"empty description", create([](auto& r) { r.set_description(""); }), C::INVALID_ARGUMENT,
       "description"},
      {"long description", create([](auto& r) { r.set_description(std::string(10001, 'x')); }),
       C::INVALID_ARGUMENT, "description: at most 10000"},
      {"long place", create([](auto& r) { r.set_place(std::string(201, 'x')); }),
       C::INVALID_ARGUMENT, "place: at most 200"},
      {"justice without owner", create([](auto& r) { r.set_category("FVW-WOONFRAUDE"); }),
       C::INVALID_ARGUMENT, "owner_organisation_id"},
      {"unknown owner", create([](auto& r) { r.set_owner_organisation_id("nowhere"); }),
       C::NOT_FOUND, "owner_organisation_id"},
      {"unknown signal resident", create([](auto& r) { r.set_resident_id("rnopenopenopenope"); }),
       C::NOT_FOUND, "resident_id"},
      {"bad urgency", create([](auto& r) { r.set_urgency(static_cast<v1::Urgency>(42)); }),
       C::INVALID_ARGUMENT, "urgency"},
      {"no request id", create([](auto& r) { r.set_request_id(""); }), C::INVALID_ARGUMENT,
       "request_id"},
      {"birth date in the future", reg([](auto& r) { r.set_birth_date("2030-01-01"); }),
       C::INVALID_ARGUMENT, "birth_date: must not be in the future"},
      {"birth date not a date", reg([](auto& r) { r.set_birth_date("01-01-2001"); }),
       C::INVALID_ARGUMENT, "birth_date"},
      {"long name", reg([](auto& r) { r.set_name(std::string(201, 'x')); }), C::INVALID_ARGUMENT,
       "name: at most 200"},
      {"empty name", reg([](auto& r) { r.set_name(""); }), C::INVALID_ARGUMENT, "name"},
      {"unknown resident wijk", reg([](auto& r) { r.set_wijk("atlantis"); }),
       C::INVALID_ARGUMENT, "wijk"},
  };
  for (const BadCase& c : cases) {
    grpc::Status s = c.call(bridge);
    EXPECT_EQ(s.error_code(), c.code) << c.name << ": " << s.error_message();
    EXPECT_THAT(s.error_message(), HasSubstr(c.field)) << c.name;
  }
  // Nothing was written by any of them.
  v1::ListSignalsResponse all;
  Ctx ctx;
  ASSERT_TRUE(bridge.signals->ListSignals(&ctx, v1::ListSignalsRequest(), &all).ok());
  EXPECT_EQ(all.signals_size(), 0);
  v1::ListHandoversResponse out;
  Ctx ctx2;
  ASSERT_TRUE(bridge.handovers->ListOutbox(&ctx2, v1::ListHandoversRequest(), &out).ok());
  EXPECT_EQ(out.handovers_size(), 0);
}

TEST_F(CasesTest, InvalidUtf8IsRejectedBeforeAnyHandlerAndWritesNothing) {
  As bridge = Who("brugfunctionaris");
  v1::CreateSignalRequest req;
  req.set_request_id("req-utf8-000001");
  req.set_category("JO-ARMOEDE");
  req.set_wijk("prinsenhof");
  req.set_place("School");
  req.set_description("MARKER");
  std::string bytes = req.SerializeAsString();
  bytes.replace(bytes.find("MARKER"), 6, "\xff\xfe\xfd\xfc\xfb\xfa");
  grpc::GenericStub generic(bridge.channel);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  absl::Notification done;
  Ctx ctx;
  generic.UnaryCall(ctx.get(), "/schakel.v1.SignalService/CreateSignal", grpc::StubOptions(),
                    &request, &response, [&](grpc::Status s) {
                      status = s;
                      done.Notify();
                    });
  done.WaitForNotification();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
  v1::ListSignalsResponse all;
  Ctx ctx2;
  ASSERT_TRUE(bridge.signals->ListSignals(&ctx2, v1::ListSignalsRequest(), &all).ok());
  EXPECT_EQ(all.signals_size(), 0);
}

TEST_F(CasesTest, SignalUpdatesCarryEtagsAndFollowTheStateMachine) {
  As bridge = Who("brugfunctionaris"), regisseur = Who("regisseur"), woej = Who("partner-woej");
  v1::Signal s = CreateSignal(bridge, "JO-ARMOEDE");
  EXPECT_EQ(s.status(), v1::SIGNAL_STATUS_OPEN);
  // Only the regisseur routes.
  v1::AssignSignalRequest assign;
  assign.set_id(s.id());
  assign.set_etag(s.etag());
  assign.set_owner_organisation_id("woej");
  v1::Signal out;
  {
    Ctx ctx;
    EXPECT_EQ(bridge.signals->AssignSignal(&ctx, assign, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    Ctx ctx;
    grpc::Status st = regisseur.signals->AssignSignal(&ctx, assign, &out);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  EXPECT_EQ(out.owner_organisation_id(), "woej");
  EXPECT_NE(out.etag(), s.etag());
  // The old etag is stale now.
  v1::ChangeSignalStatusRequest change;
  change.set_id(s.id());
  change.set_etag(s.etag());
  change.set_status(v1::SIGNAL_STATUS_IN_PROGRESS);
  {
    Ctx ctx;
    EXPECT_EQ(woej.signals->ChangeSignalStatus(&ctx, change, &out).error_code(),
              grpc::StatusCode::ABORTED);
  }
  // The owner moves it on; a jump the machine does not allow is refused.
  v1::GetSignalRequest get;
  get.set_id(s.id());
  {
    Ctx ctx;
    ASSERT_TRUE(woej.signals->GetSignal(&ctx, get, &out).ok());
  }
  change.set_etag(out.etag());
  change.set_status(v1::SIGNAL_STATUS_CLOSED);
  {
    Ctx ctx;
    grpc::Status st = woej.signals->ChangeSignalStatus(&ctx, change, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(st.error_message(), HasSubstr("open cannot become closed"));
  }
  change.set_status(v1::SIGNAL_STATUS_IN_PROGRESS);
  {
    Ctx ctx;
    ASSERT_TRUE(woej.signals->ChangeSignalStatus(&ctx, change, &out).ok());
  }
  EXPECT_EQ(out.status(), v1::SIGNAL_STATUS_IN_PROGRESS);
  // The author's organisation is not the owner: it may not change status.
  change.set_etag(out.etag());
  change.set_status(v1::SIGNAL_STATUS_RESOLVED);
  {
    Ctx ctx;
    EXPECT_EQ(bridge.signals->ChangeSignalStatus(&ctx, change, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    Ctx ctx;
    ASSERT_TRUE(bridge.signals->GetSignal(&ctx, get, &out).ok());
  }
  std::vector<v1::TimelineEvent::Kind> kinds;
  for (const auto& e : out.timeline()) kinds.push_back(e.kind());
  EXPECT_EQ(kinds, (std::vector<v1::TimelineEvent::Kind>{v1::TimelineEvent::KIND_CREATED,
                                                         v1::TimelineEvent::KIND_ASSIGNED,
                                                         v1::TimelineEvent::KIND_STATUS_CHANGED}));
}

// The resident of a health signal is part of its content: the regisseur,
// who sees the signal's frame area-wide, neither reads the resident through
// it nor finds the signal by the resident; the GGZ worker who wrote it does.
TEST_F(CasesTest, AHealthSignalsResidentIsNotReadThroughItsFrame) {
  As regisseur = Who("regisseur"), ggz = Who("ggz");
  const std::string resident = Register(ggz, "Noor Bakker", "1979-05-05");
  v1::Signal health = CreateSignal(ggz, "FVW-VERSLAVING", resident, "ggz-rivierduinen");
  auto by_resident = [&](As& who) {
    v1::ListSignalsRequest req;
    req.set_resident_id(resident);
    v1::ListSignalsResponse out;
    Ctx ctx;
    EXPECT_TRUE(who.signals->ListSignals(&ctx, req, &out).ok());
    return out.signals_size();
  };
  EXPECT_EQ(by_resident(ggz), 1);
  EXPECT_EQ(by_resident(regisseur), 0);
  {
    // The frame stays in the regisseur's area list, without its resident.
    v1::ListSignalsRequest req;
    v1::ListSignalsResponse out;
    Ctx ctx;
    ASSERT_TRUE(regisseur.signals->ListSignals(&ctx, req, &out).ok());
    bool listed = false;
    for (const auto& s : out.signals()) {
      if (s.id() != health.id()) continue;
      listed = true;
      EXPECT_TRUE(s.content_withheld());
      EXPECT_EQ(s.resident_id(), "");
    }
    EXPECT_TRUE(listed);
  }
  {
    v1::GetResidentRequest get;
    get.set_id(resident);
    v1::Resident r;
    Ctx ctx;
    EXPECT_EQ(regisseur.residents->GetResident(&ctx, get, &r).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  {
    v1::FindResidentsRequest find;
    find.set_name("Noor Bakker");
    find.set_birth_date("1979-05-05");
    v1::FindResidentsResponse found;
    Ctx ctx;
    ASSERT_TRUE(regisseur.residents->FindResidents(&ctx, find, &found).ok());
    EXPECT_EQ(found.residents_size(), 0);
  }
}

TEST_F(CasesTest, HealthJusticeAndNoteVisibilityLimitWhatOthersSee) {
  As bridge = Who("brugfunctionaris"), regisseur = Who("regisseur"), ggz = Who("ggz"),
     woej = Who("partner-woej"), vidomes = Who("partner-vidomes");
  // A health signal owned by GGZ: the regisseur sees that it exists, not what it says.
  v1::Signal health = CreateSignal(bridge, "FVW-VERSLAVING", "", "ggz-rivierduinen");
  v1::GetSignalRequest get;
  get.set_id(health.id());
  v1::Signal out;
  {
    Ctx ctx;
    ASSERT_TRUE(regisseur.signals->GetSignal(&ctx, get, &out).ok());
  }
  EXPECT_TRUE(out.content_withheld());
  EXPECT_TRUE(out.description().empty());
  {
    Ctx ctx;
    ASSERT_TRUE(ggz.signals->GetSignal(&ctx, get, &out).ok());
  }
  EXPECT_FALSE(out.content_withheld());
  EXPECT_EQ(out.description(), "Beschrijving van het signaal");

  // A justice signal owned by Vidomes: not area-wide, so the regisseur
  // does not see it at all.
  v1::Signal justice = CreateSignal(bridge, "FVW-WOONFRAUDE", "", "vidomes");
  get.set_id(justice.id());
  {
    Ctx ctx;
    EXPECT_EQ(regisseur.signals->GetSignal(&ctx, get, &out).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  {
    Ctx ctx;
    EXPECT_TRUE(vidomes.signals->GetSignal(&ctx, get, &out).ok());
  }
  {
    Ctx ctx;
    EXPECT_EQ(woej.signals->GetSignal(&ctx, get, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  }

  // Notes: own_organisation stays with the author's organisation.
  v1::Signal normal = CreateSignal(bridge, "JO-ARMOEDE", "", "woej");
  for (auto [visibility, text] :
       {std::pair{v1::NOTE_VISIBILITY_INVOLVED, "voor iedereen"},
        std::pair{v1::NOTE_VISIBILITY_OWN_ORGANISATION, "alleen Kwadraad"}}) {
    v1::AddSignalNoteRequest note;
    note.set_request_id(Rid("note"));
    note.set_signal_id(normal.id());
    note.set_visibility(visibility);
    note.set_text(text);
    v1::Note created;
    Ctx ctx;
    ASSERT_TRUE(bridge.signals->AddSignalNote(&ctx, note, &created).ok());
  }
  get.set_id(normal.id());
  {
    Ctx ctx;
    ASSERT_TRUE(woej.signals->GetSignal(&ctx, get, &out).ok());
  }
  ASSERT_EQ(out.notes_size(), 1);
  EXPECT_EQ(out.notes(0).text(), "voor iedereen");
  int note_events = 0;
  for (const auto& e : out.timeline()) note_events += e.kind() == v1::TimelineEvent::KIND_NOTE_ADDED;
  EXPECT_EQ(note_events, 1);
  {
    Ctx ctx;
    ASSERT_TRUE(bridge.signals->GetSignal(&ctx, get, &out).ok());
  }
  EXPECT_EQ(out.notes_size(), 2);
}

// The server remembers a professional's sessions between requests; the
// injected clock alone decides when one is over, to the microsecond.
// Outside the health limit a signal shows its id, category, wijk, status,
// owner and dates, nothing more; break-glass widens relations, never role
// limits: a regisseur under it still reads no health content, a ggz worker
// does. (Before: place, resident, urgency, author and the timeline's
// actors leaked, and break-glass gave any role the health description.)
TEST_F(CasesTest, TheHealthLimitShowsOnlyTheSignalsFrameAndBreakGlassKeepsRoleLimits) {
  As bridge = Who("brugfunctionaris"), regisseur = Who("regisseur"), ggz = Who("ggz");
  std::string resident = Register(bridge, "Sanne de Groot", "1981-06-06");
  v1::CreateSignalRequest req;
  req.set_request_id(Rid("sig"));
  req.set_category("FVW-VERSLAVING");
  req.set_wijk("prinsenhof");
  req.set_place("Portiek Prinsenhoflaan 12");
  req.set_description("Zorgen over middelengebruik");
  req.set_resident_id(resident);
  req.set_urgency(v1::URGENCY_HIGH);
  req.set_owner_organisation_id("woej");
  v1::Signal created;
  {
    Ctx ctx;
    ASSERT_TRUE(bridge.signals->CreateSignal(&ctx, req, &created).ok());
  }
  {
    v1::AddSignalNoteRequest note;
    note.set_request_id(Rid("note"));
    note.set_signal_id(created.id());
    note.set_visibility(v1::NOTE_VISIBILITY_HEALTH);
    note.set_text("Gezondheidsnotitie");
    v1::Note out;
    Ctx ctx;
    ASSERT_TRUE(bridge.signals->AddSignalNote(&ctx, note, &out).ok());
  }
  auto get = [&](As& who, v1::Signal* out) {
    v1::GetSignalRequest g;
    g.set_id(created.id());
    Ctx ctx;
    return who.signals->GetSignal(&ctx, g, out);
  };
  auto expect_frame_only = [&](const v1::Signal& s) {
    EXPECT_TRUE(s.content_withheld());
    EXPECT_EQ(s.id(), created.id());
    EXPECT_EQ(s.category(), "FVW-VERSLAVING");
    EXPECT_EQ(s.wijk(), "prinsenhof");
    EXPECT_EQ(s.owner_organisation_id(), "woej");
    EXPECT_TRUE(s.description().empty());
    EXPECT_TRUE(s.place().empty());
    EXPECT_TRUE(s.resident_id().empty());
    EXPECT_TRUE(s.author_id().empty());
    EXPECT_NE(s.urgency(), v1::URGENCY_HIGH);
    EXPECT_EQ(s.notes_size(), 0);
    for (const auto& e : s.timeline()) {
      EXPECT_TRUE(e.actor_id().empty()) << e.kind();
      EXPECT_TRUE(e.actor_organisation_id().empty()) << e.kind();
    }
  };
  v1::Signal out;
  ASSERT_TRUE(get(regisseur, &out).ok());
  expect_frame_only(out);
  {
    v1::ListSignalsRequest list;
    list.set_category("FVW-VERSLAVING");
    v1::ListSignalsResponse page;
    Ctx ctx;
    ASSERT_TRUE(regisseur.signals->ListSignals(&ctx, list, &page).ok());
    ASSERT_EQ(page.signals_size(), 1);
    expect_frame_only(page.signals(0));
  }
  // The author sees it all.
  ASSERT_TRUE(get(bridge, &out).ok());
  EXPECT_EQ(out.place(), "Portiek Prinsenhoflaan 12");
  EXPECT_EQ(out.resident_id(), resident);
  EXPECT_EQ(out.notes_size(), 1);

  // GGZ is not involved: it does not see the signal, until break-glass.
  EXPECT_EQ(get(ggz, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::OpenBreakGlassRequest open;
  open.set_resident_id(resident);
  open.set_reason("Acute crisis, bewoner dreigt met zelfbeschadiging, hulpverlening nodig");
  for (As* who : {&ggz, &regisseur}) {
    Ctx ctx;
    v1::OpenBreakGlassResponse session;
    ASSERT_TRUE(who->residents->OpenBreakGlass(&ctx, open, &session).ok());
  }
  ASSERT_TRUE(get(ggz, &out).ok());
  EXPECT_FALSE(out.content_withheld());
  EXPECT_EQ(out.description(), "Zorgen over middelengebruik");
  ASSERT_EQ(out.notes_size(), 1);
  EXPECT_EQ(out.notes(0).text(), "Gezondheidsnotitie");
  // The regisseur under break-glass: what an involved regisseur reads.
  ASSERT_TRUE(get(regisseur, &out).ok());
  expect_frame_only(out);
}

// A handover made from a signal shows in the signal's timeline only to
// who may open the handover (before: its id and the other organisation
// showed to every reader of the signal).
TEST_F(CasesTest, ASignalsTimelineShowsALinkedHandoverOnlyToItsParties) {
  As bridge = Who("brugfunctionaris"), regisseur = Who("regisseur"), woej = Who("partner-woej");
  std::string resident = Register(bridge, "Karim Bouzid", "1979-09-09");
  v1::Signal signal = CreateSignal(bridge, "FZ-SCHULDEN", resident, "kwadraad");
  v1::ProposeHandoverRequest req;
  req.set_request_id(Rid("ho"));
  req.set_resident_id(resident);
  req.set_to_organisation_id("woej");
  req.set_signal_id(signal.id());
  req.set_reason("Bewoner zoekt hulp bij huurachterstand");
  req.mutable_basis()->mutable_consent()->set_covers("doorverwijzing naar de verhuurder");
  v1::Handover handover;
  {
    Ctx ctx;
    grpc::Status s = bridge.handovers->ProposeHandover(&ctx, req, &handover);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  auto linked = [&](As& who) {
    v1::GetSignalRequest g;
    g.set_id(signal.id());
    v1::Signal out;
    Ctx ctx;
    grpc::Status s = who.signals->GetSignal(&ctx, g, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    int n = 0;
    for (const auto& e : out.timeline()) {
      if (e.kind() == v1::TimelineEvent::KIND_HANDOVER_LINKED) {
        ++n;
        EXPECT_EQ(e.handover_id(), handover.id());
      }
    }
    return n;
  };
  EXPECT_EQ(linked(bridge), 1);
  EXPECT_EQ(linked(regisseur), 0);
  // The receiving partner is a party to the handover, not to the signal
  // (neither its author nor its owner): the signal does not exist for it.
  v1::GetSignalRequest g;
  g.set_id(signal.id());
  v1::Signal out;
  Ctx ctx;
  EXPECT_EQ(woej.signals->GetSignal(&ctx, g, &out).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(CasesTest, BreakGlassIsEffectiveOnTheNextRequestAndStopsExactlyAtItsEndTime) {
  As bridge = Who("brugfunctionaris"), ggz = Who("ggz");
  std::string resident = Register(bridge, "Bram de Wit", "1969-04-04");
  v1::Signal justice = CreateSignal(bridge, "FVW-WOONFRAUDE", resident, "vidomes");
  v1::GetSignalRequest get;
  get.set_id(justice.id());
  auto read = [&] {
    Ctx ctx;
    v1::Signal out;
    return ggz.signals->GetSignal(&ctx, get, &out).error_code();
  };
  ASSERT_EQ(read(), grpc::StatusCode::NOT_FOUND);
  ASSERT_EQ(read(), grpc::StatusCode::NOT_FOUND);
  clock_.Advance(absl::Seconds(7));
  v1::OpenBreakGlassRequest open;
  open.set_resident_id(resident);
  open.set_reason("Acute crisis, bewoner dreigt met zelfbeschadiging, hulpverlening nodig");
  {
    Ctx ctx;
    v1::OpenBreakGlassResponse session;
    grpc::Status s = ggz.residents->OpenBreakGlass(&ctx, open, &session);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(read(), grpc::StatusCode::OK);
  clock_.Advance(absl::Minutes(60) - absl::Microseconds(1));
  EXPECT_EQ(read(), grpc::StatusCode::OK);
  EXPECT_EQ(read(), grpc::StatusCode::OK);
  clock_.Advance(absl::Microseconds(1));
  EXPECT_EQ(read(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(read(), grpc::StatusCode::NOT_FOUND);
}

// The console's banner: WhoAmI names the caller's open emergency access
// and when it ends, to the caller only, until it ends.
TEST_F(CasesTest, WhoAmINamesTheCallersOpenEmergencyAccessUntilItEnds) {
  As bridge = Who("brugfunctionaris"), ggz = Who("ggz"), woej = Who("partner-woej"),
     regisseur = Who("regisseur");
  std::string resident = Register(bridge, "Els de Boer", "1971-02-03");
  std::string second = Register(bridge, "Kim de Boer", "2001-07-08");
  auto who_am_i = [](As& who) {
    auto directory = v1::DirectoryService::NewStub(who.channel);
    Ctx ctx;
    v1::WhoAmIResponse out;
    grpc::Status s = directory->WhoAmI(&ctx, v1::WhoAmIRequest(), &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  EXPECT_EQ(who_am_i(ggz).emergency_access_size(), 0);
  v1::OpenBreakGlassRequest open;
  open.set_resident_id(resident);
  open.set_reason("Acute crisis, bewoner dreigt met zelfbeschadiging, hulpverlening nodig");
  v1::OpenBreakGlassResponse session;
  {
    Ctx ctx;
    grpc::Status s = ggz.residents->OpenBreakGlass(&ctx, open, &session);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  clock_.Advance(absl::Minutes(10));
  open.set_resident_id(second);
  v1::OpenBreakGlassResponse later;
  {
    Ctx ctx;
    grpc::Status s = ggz.residents->OpenBreakGlass(&ctx, open, &later);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::WhoAmIResponse me = who_am_i(ggz);
  std::map<std::string, int64_t> ends;
  for (const v1::EmergencyAccess& a : me.emergency_access()) ends[a.resident_id()] = a.end_time().seconds();
  EXPECT_EQ(ends, (std::map<std::string, int64_t>{{resident, session.end_time().seconds()},
                                                  {second, later.end_time().seconds()}}));
  EXPECT_EQ(session.end_time().seconds() - session.start_time().seconds(), 3600);
  // Another professional who may break the glass holds none of these.
  EXPECT_EQ(who_am_i(regisseur).emergency_access_size(), 0);
  EXPECT_EQ(who_am_i(woej).emergency_access_size(), 0);
  EXPECT_EQ(who_am_i(bridge).emergency_access_size(), 0);
  clock_.Advance(absl::Minutes(50));  // the first has ended, the second not
  me = who_am_i(ggz);
  ASSERT_EQ(me.emergency_access_size(), 1);
  EXPECT_EQ(me.emergency_access(0).resident_id(), second);
  clock_.Advance(absl::Minutes(10));
  EXPECT_EQ(who_am_i(ggz).emergency_access_size(), 0);
}

TEST_F(CasesTest, BreakGlassOpensOneResidentForAnHourAndEveryAccessIsFlagged) {
  As bridge = Who("brugfunctionaris"), ggz = Who("ggz"), woej = Who("partner-woej");
  std::string resident = Register(bridge, "Anna Visser", "1975-11-11");
  v1::Signal justice = CreateSignal(bridge, "FVW-WOONFRAUDE", resident, "vidomes");
  v1::GetSignalRequest get;
  get.set_id(justice.id());
  v1::Signal out;
  {
    Ctx ctx;
    EXPECT_EQ(ggz.signals->GetSignal(&ctx, get, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  v1::OpenBreakGlassRequest open;
  open.set_resident_id(resident);
  open.set_reason("te kort");
  v1::OpenBreakGlassResponse session;
  {
    Ctx ctx;
    grpc::Status s = ggz.residents->OpenBreakGlass(&ctx, open, &session);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("at least 20"));
  }
  open.set_reason("Acute crisis, bewoner dreigt met zelfbeschadiging, hulpverlening nodig");
  {
    Ctx ctx;
    EXPECT_EQ(woej.residents->OpenBreakGlass(&ctx, open, &session).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    Ctx ctx;
    grpc::Status s = ggz.residents->OpenBreakGlass(&ctx, open, &session);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  {
    Ctx ctx;
    grpc::Status s = ggz.signals->GetSignal(&ctx, get, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(out.description(), "Beschrijving van het signaal");
  }
  {
    Ctx ctx;
    v1::GetResidentRequest r;
    r.set_id(resident);
    v1::Resident res;
    EXPECT_TRUE(ggz.residents->GetResident(&ctx, r, &res).ok());
  }
  // Emergency access reads, it does not act.
  v1::Handover h = Propose(bridge, resident, "woej");
  v1::Handover acted;
  grpc::Status s = Act(ggz, &v1::HandoverService::Stub::AcceptHandover, h.id(), &acted);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(GetHandover(ggz, h.id()).id(), h.id());

  // Sixty-one minutes later it is over.
  clock_.Advance(absl::Minutes(61));
  {
    Ctx ctx;
    EXPECT_EQ(ggz.signals->GetSignal(&ctx, get, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  }

  // Every access under it is flagged for the auditor.
  As ggz_whoami = Who("ggz");
  auto audit = v1::AuditService::NewStub(Who("auditor").channel);
  v1::ResidentAccessReportRequest report_req;
  report_req.set_resident_id(resident);
  v1::ResidentAccessReportResponse report;
  {
    Ctx ctx;
    ASSERT_TRUE(audit->ResidentAccessReport(&ctx, report_req, &report).ok());
  }
  int flagged = 0;
  for (const auto& a : report.accesses()) {
    if (a.organisation_id() != "ggz-rivierduinen") {
      EXPECT_FALSE(a.break_glass()) << a.action();
      continue;
    }
    if (a.action() == "SignalService.GetSignal" && a.outcome() == "allowed") {
      EXPECT_TRUE(a.break_glass());
      ++flagged;
    }
    if (a.action() == "ResidentService.OpenBreakGlass" && a.outcome() == "allowed") {
      EXPECT_TRUE(a.break_glass());
      ++flagged;
    }
  }
  EXPECT_EQ(flagged, 2);
  v1::ListBreakGlassResponse sessions;
  {
    Ctx ctx;
    ASSERT_TRUE(audit->ListBreakGlass(&ctx, v1::ListBreakGlassRequest(), &sessions).ok());
  }
  ASSERT_EQ(sessions.sessions_size(), 1);
  EXPECT_EQ(sessions.sessions(0).resident_id(), resident);
  v1::ListAnomaliesResponse anomalies;
  {
    Ctx ctx;
    ASSERT_TRUE(audit->ListAnomalies(&ctx, v1::ListAnomaliesRequest(), &anomalies).ok());
  }
  bool break_glass_anomaly = false;
  for (const auto& a : anomalies.anomalies()) {
    break_glass_anomaly |= a.kind() == v1::Anomaly::KIND_BREAK_GLASS;
  }
  EXPECT_TRUE(break_glass_anomaly);
}

// One box, optionally about one resident.
std::vector<std::string> BoxIds(As& who, bool inbox, const std::string& resident,
                                grpc::Status* status = nullptr) {
  v1::ListHandoversRequest req;
  req.set_resident_id(resident);
  v1::ListHandoversResponse out;
  Ctx ctx;
  grpc::Status s = inbox ? who.handovers->ListInbox(&ctx, req, &out)
                         : who.handovers->ListOutbox(&ctx, req, &out);
  EXPECT_TRUE(status != nullptr || s.ok()) << s.error_message();
  if (status) *status = s;
  std::vector<std::string> ids;
  for (const auto& h : out.handovers()) ids.push_back(h.id());
  return ids;
}

TEST_F(CasesTest, TheResidentFilterListsOnlyThatResidentsHandoversInBothBoxes) {
  using ::testing::ElementsAre;
  using ::testing::IsEmpty;
  using ::testing::UnorderedElementsAre;
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej"),
     vidomes = Who("partner-vidomes");
  const std::string anna = Register(bridge, "Anna Visser", "1983-01-01");
  const std::string bram = Register(bridge, "Bram Visser", "1984-02-02");
  const v1::Handover anna_woej = Propose(bridge, anna, "woej");
  const v1::Handover bram_woej = Propose(bridge, bram, "woej");
  const v1::Handover anna_vidomes = Propose(bridge, anna, "vidomes");
  // Unfiltered, both boxes hold more than the one resident's.
  EXPECT_THAT(BoxIds(woej, true, ""), UnorderedElementsAre(anna_woej.id(), bram_woej.id()));
  EXPECT_THAT(BoxIds(bridge, false, ""),
              UnorderedElementsAre(anna_woej.id(), bram_woej.id(), anna_vidomes.id()));
  // Filtered: that resident's only, in the inbox and in the outbox.
  EXPECT_THAT(BoxIds(woej, true, anna), ElementsAre(anna_woej.id()));
  EXPECT_THAT(BoxIds(woej, true, bram), ElementsAre(bram_woej.id()));
  EXPECT_THAT(BoxIds(bridge, false, anna),
              UnorderedElementsAre(anna_woej.id(), anna_vidomes.id()));
  EXPECT_THAT(BoxIds(vidomes, true, anna), ElementsAre(anna_vidomes.id()));
  // The filter never widens the box: another organisation's handover about
  // the same resident stays out, and so does a resident's handover in a
  // box that is not the caller's.
  EXPECT_THAT(BoxIds(vidomes, true, bram), IsEmpty());
  EXPECT_THAT(BoxIds(woej, false, anna), IsEmpty());
  EXPECT_THAT(BoxIds(vidomes, false, anna), IsEmpty());
  // A resident unknown to schakel gives no rows; an id of the wrong form is
  // refused naming the field.
  EXPECT_THAT(BoxIds(woej, true, "rnobodyaaaaaaaaaa"), IsEmpty());
  for (bool inbox : {true, false}) {
    grpc::Status s;
    BoxIds(woej, inbox, "not an id!", &s);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("resident_id"));
  }
  // The list's audit entry names the residents whose handovers it returned.
  {
    auto audit = v1::AuditService::NewStub(Who("auditor").channel);
    v1::QueryAuditRequest q;
    q.set_action("HandoverService.ListInbox");
    q.set_organisation_id("woej");
    q.set_page_size(500);
    v1::QueryAuditResponse entries;
    Ctx ctx;
    ASSERT_TRUE(audit->QueryAudit(&ctx, q, &entries).ok());
    bool only_anna = false;
    for (const auto& e : entries.entries()) {
      if (e.outcome() == "allowed" && e.resident_ids_size() == 1 &&
          e.resident_ids(0) == anna && e.organisation_id() == "woej") {
        only_anna = true;
      }
    }
    EXPECT_TRUE(only_anna);
  }
}

TEST_F(CasesTest, APageTokenOfTheResidentFilteredBoxWorksOnlyWithTheSameFilter) {
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej");
  const std::string anna = Register(bridge, "Anna Visser", "1983-01-01");
  const std::string bram = Register(bridge, "Bram Visser", "1984-02-02");
  std::set<std::string> annas;
  for (int i = 0; i < 3; ++i) {
    annas.insert(Propose(bridge, anna, "woej").id());
    Propose(bridge, bram, "woej");
  }
  auto page = [&](const std::string& resident, const std::string& token,
                  v1::ListHandoversResponse* out) {
    v1::ListHandoversRequest req;
    req.set_resident_id(resident);
    req.set_page_size(2);
    req.set_page_token(token);
    Ctx ctx;
    return woej.handovers->ListInbox(&ctx, req, out);
  };
  // Following the filtered list's tokens: each of that resident's
  // handovers once, none of another's.
  std::set<std::string> seen;
  std::string token, first_token;
  do {
    v1::ListHandoversResponse out;
    grpc::Status s = page(anna, token, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const auto& h : out.handovers()) {
      EXPECT_EQ(h.resident_id(), anna);
      EXPECT_TRUE(seen.insert(h.id()).second) << h.id() << " twice";
    }
    token = out.next_page_token();
    if (first_token.empty()) first_token = token;
  } while (!token.empty());
  EXPECT_EQ(seen, annas);
  ASSERT_FALSE(first_token.empty());
  // A filtered list's token on the unfiltered list or on another
  // resident's, and the unfiltered list's on a filtered one: refused.
  v1::ListHandoversResponse out;
  grpc::Status s = page("", first_token, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("page_token"));
  EXPECT_EQ(page(bram, first_token, &out).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListHandoversResponse unfiltered;
  ASSERT_TRUE(page("", "", &unfiltered).ok());
  ASSERT_FALSE(unfiltered.next_page_token().empty());
  EXPECT_EQ(page(anna, unfiltered.next_page_token(), &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // The inbox's token is not the outbox's, with the same filter.
  {
    v1::ListHandoversRequest req;
    req.set_resident_id(anna);
    req.set_page_size(2);
    req.set_page_token(first_token);
    Ctx ctx;
    EXPECT_EQ(woej.handovers->ListOutbox(&ctx, req, &out).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
}

}  // namespace
}  // namespace schakel
