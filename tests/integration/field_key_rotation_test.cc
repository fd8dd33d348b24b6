// On PostgreSQL, a rotation of the data key while schakeld serves
// (deployment/field_key_rotation.h): `key rotate` adds key 2; the server
// keeps sealing under key 1 until key 2 has waited its activation delay,
// then seals under key 2, re-seals everything under key 1 between the
// requests and retires key 1 — while a professional keeps writing, and
// every acknowledged write reads back as it was written.
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/privacy.grpc.pb.h"
#include "schakel/v1/residents.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "schakel/v1/trajectories.grpc.pb.h"
#include "server/audit/checkpoint.h"
#include "server/audit/verifier.h"
#include "server/deployment/deployment.h"
#include "server/deployment/field_key_rotation.h"
#include "server/deployment/field_keys.h"
#include "server/store/postgres_setup.h"
#include "tests/integration/case_fixture.h"
#include "tests/support/postgres.h"
#include "tests/support/test_engine.h"
#include "tests/support/test_support.h"

namespace schakel::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class FieldKeyRotationTest : public CasesTest {
 protected:
  FieldKeyRotationTest() {
    field_key_check_interval_ = absl::Milliseconds(50);
    // Small batches: the demo's rows take many transactions, with the
    // writer's requests in between.
    field_key_reseal_batch_ = 3;
  }

  std::string Query(const std::string& sql) {
    absl::StatusOr<std::string> out = SharedTestPostgres().Query(DatabaseName(), sql);
    EXPECT_THAT(out, IsOk()) << sql;
    return out.value_or("<failed>");
  }
  // The key a signal's description is sealed under, as "f1.N.".
  std::string KeyOfSignal(const std::string& id) {
    return Query(absl::StrCat("SELECT substr(description, 1, 5) FROM signals WHERE id = '", id,
                              "'"));
  }
  bool WaitFor(const std::function<bool()>& done) {
    for (int i = 0; i < 600; ++i) {
      if (done()) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }
};

TEST_F(FieldKeyRotationTest, ADataKeyRotatesWhileAProfessionalKeepsWriting) {
  SCHAKEL_POSTGRES_ONLY("SQLCipher rotates its file's key with the server stopped (KeysTest)");
  As regisseur = Who("regisseur");
  As consultant = Who("consultant");
  const std::string resident = Register(consultant, "Trudy van Ommeren", "1968-02-09");
  const v1::Trajectory trajectory = StartTrajectoryWithHistory(consultant, resident);
  const v1::Signal before = CreateSignal(regisseur, "FVW-OVERLAST");
  ASSERT_EQ(KeyOfSignal(before.id()), "f1.1.");
  // A rectification: its old and new values are sealed under a context of
  // its own (resident, field, time).
  auto privacy = v1::PrivacyService::NewStub(Who("privacy").channel);
  auto rectify = [&](const std::string& ref, const std::string& address) {
    v1::RectifyRequest req;
    req.set_resident_id(resident);
    req.set_request_ref(ref);
    req.set_address(address);
    v1::RectifyResponse out;
    Ctx ctx;
    grpc::Status s = privacy->Rectify(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  rectify("AVG-1", "Vlietweg 12");

  // A professional writes signals all along; what was acknowledged, by id.
  std::mutex mu;
  std::map<std::string, std::string> written;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread writer([&] {
    As w = Who("regisseur");
    for (int i = 0; !stop; ++i) {
      v1::CreateSignalRequest req;
      req.set_request_id(Rid("rot"));
      req.set_category("FVW-OVERLAST");
      req.set_wijk("prinsenhof");
      req.set_place(absl::StrCat("Portiek Vlietrand ", i));
      req.set_description(absl::StrCat("Geluidsoverlast bij de lift, melding ", i));
      v1::Signal out;
      Ctx ctx;
      grpc::Status s = w.signals->CreateSignal(&ctx, req, &out);
      if (!s.ok()) {
        ++failures;
        continue;
      }
      std::lock_guard<std::mutex> lock(mu);
      written[out.id()] = req.description();
    }
  });
  auto count_written = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return written.size();
  };

  const std::string kek = DemoKek(*paths_);
  absl::StatusOr<uint32_t> added = deployment::AddDataKeyToDeployment(*paths_, kek, clock_);
  ASSERT_THAT(added, IsOk());
  EXPECT_EQ(*added, 2u);
  // Loaded by the server, but not sealing yet: another process serving the
  // same database may not hold it yet.
  absl::SleepFor(absl::Milliseconds(300));
  const v1::Signal waiting = CreateSignal(regisseur, "FVW-OVERLAST");
  EXPECT_EQ(KeyOfSignal(waiting.id()), "f1.1.");

  clock_.Advance(deployment::kDataKeyActivationDelay);
  ASSERT_TRUE(WaitFor([&] {
    return Query("SELECT count(*) FROM field_keys WHERE id = 1 AND retire_time IS NOT NULL") ==
           "1";
  })) << "key 1 was not retired";
  const size_t at_retirement = count_written();
  ASSERT_TRUE(WaitFor([&] { return count_written() >= at_retirement + 5; }));
  stop = true;
  writer.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(written.size(), 5u);

  // Nothing of the store is sealed under key 1 any more (a pg_dump holds
  // no value of its form), and the field keys are still both there.
  absl::StatusOr<std::string> dump = SharedTestPostgres().Dump(DatabaseName());
  ASSERT_THAT(dump, IsOk());
  EXPECT_THAT(*dump, Not(HasSubstr("f1.1.")));
  EXPECT_THAT(*dump, HasSubstr("f1.2."));
  EXPECT_THAT(*dump, Not(HasSubstr("Vlietrand")));
  EXPECT_EQ(Query("SELECT string_agg(id::text, ',' ORDER BY id) FROM field_keys"), "0,1,2");
  EXPECT_EQ(KeyOfSignal(CreateSignal(regisseur, "FVW-OVERLAST").id()), "f1.2.");

  // Every acknowledged write reads back as it was written, and so does what
  // was there before the rotation.
  for (const auto& [id, description] : written) {
    v1::GetSignalRequest get;
    get.set_id(id);
    v1::Signal s;
    Ctx ctx;
    grpc::Status st = regisseur.signals->GetSignal(&ctx, get, &s);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(s.description(), description);
    EXPECT_THAT(s.place(), HasSubstr("Portiek Vlietrand "));
  }
  {
    v1::GetSignalRequest get;
    get.set_id(before.id());
    v1::Signal s;
    Ctx ctx;
    ASSERT_TRUE(regisseur.signals->GetSignal(&ctx, get, &s).ok());
    EXPECT_EQ(s.description(), "Beschrijving van het signaal");
  }
  {
    auto trajectories = v1::TrajectoryService::NewStub(consultant.channel);
    v1::GetTrajectoryRequest get;
    get.set_id(trajectory.id());
    v1::Trajectory t;
    Ctx ctx;
    grpc::Status st = trajectories->GetTrajectory(&ctx, get, &t);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(t.goal(), "Trudy wil werken in de zorg");
    ASSERT_GE(t.steps_size(), 1);
    EXPECT_EQ(t.steps(0).description(), "Trudy helpt in het buurthuis");
  }
  {
    v1::FindResidentsRequest find;
    find.set_name("trudy omm");
    find.set_birth_date("1968-02-09");
    v1::FindResidentsResponse found;
    Ctx ctx;
    ASSERT_TRUE(consultant.residents->FindResidents(&ctx, find, &found).ok());
    ASSERT_EQ(found.residents_size(), 1);
    EXPECT_EQ(found.residents(0).name(), "Trudy van Ommeren");
  }

  {
    clock_.Advance(absl::Seconds(1));
    const v1::RectifyResponse out = rectify("AVG-2", "Vlietweg 14");
    ASSERT_EQ(out.history_size(), 2);
    EXPECT_EQ(out.history(0).old_value(), "Prinsenhoflaan 1");
    EXPECT_EQ(out.history(0).new_value(), "Vlietweg 12");
    EXPECT_EQ(out.history(1).new_value(), "Vlietweg 14");
  }

  // The audit chain, appended by the requests throughout, is intact.
  ExpectAuditChainIntact();
}

TEST_F(FieldKeyRotationTest, AValueThatDoesNotOpenStopsTheReSealAndIsNotOverwritten) {
  SCHAKEL_POSTGRES_ONLY("SQLCipher has no sealed fields");
  As regisseur = Who("regisseur");
  const v1::Signal damaged = CreateSignal(regisseur, "FVW-OVERLAST");
  // A database administrator moves another row's description here: it
  // does not open under this row's context.
  const v1::Signal other = CreateSignal(regisseur, "FVW-OVERLAST");
  TamperWithStore(*paths_, DemoKek(*paths_),
                  absl::StrCat("UPDATE signals SET description = (SELECT description FROM signals"
                               " WHERE id = '", other.id(), "') WHERE id = '", damaged.id(), "'"));
  const std::string moved = Query(
      absl::StrCat("SELECT description FROM signals WHERE id = '", damaged.id(), "'"));

  ASSERT_THAT(deployment::AddDataKeyToDeployment(*paths_, DemoKek(*paths_), clock_), IsOk());
  clock_.Advance(deployment::kDataKeyActivationDelay);
  // New values are sealed under key 2 ...
  ASSERT_TRUE(WaitFor([&] {
    return KeyOfSignal(CreateSignal(regisseur, "FVW-OVERLAST").id()) == "f1.2.";
  }));
  absl::SleepFor(absl::Milliseconds(500));
  // ... but key 1 stays in use: the damaged value is left as it was, not
  // re-sealed as if it were empty, and key 1 is not retired.
  EXPECT_EQ(Query(absl::StrCat("SELECT description FROM signals WHERE id = '", damaged.id(), "'")),
            moved);
  EXPECT_EQ(Query("SELECT count(*) FROM field_keys WHERE retire_time IS NOT NULL"), "0");
  // Reading it is DATA_LOSS, naming no value.
  v1::GetSignalRequest get;
  get.set_id(damaged.id());
  v1::Signal s;
  Ctx ctx;
  grpc::Status st = regisseur.signals->GetSignal(&ctx, get, &s);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::DATA_LOSS);
}

}  // namespace
}  // namespace schakel::testing
