// End to end: the handover loop driven with the real `schakel` binary.
//
// Each test makes its own demo deployment (schakel-admin init --demo), runs
// schakeld on a free port and calls the CLI as the demo professionals:
// brugfunctionaris (kwadraad) refers a parent to partner-woej (woej), who
// answers and reports the outcome back; partner-vidomes (vidomes) is never a
// party. Values are read from --json output, in the proto3 JSON mapping.
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/handovers.pb.h"
#include "schakel/v1/residents.pb.h"
#include "schakel/v1/signals.pb.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"

namespace schakel {
namespace {

using ::schakel::testing::DemoCliTest;
using ::schakel::testing::FailsWith;
using ::schakel::testing::Result;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Property;

// The demo deployment, with brugfunctionaris referring residents to WOEJ.
class HandoverCliTest : public DemoCliTest {
 protected:
  std::string RegisterParent(const std::string& name, const std::string& birth_date) {
    return RegisterResident("brugfunctionaris", name, birth_date);
  }

  std::string ProposeToWoej(const std::string& resident, const std::string& reason,
                            const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"handover", "propose", "--resident", resident, "--to", "woej",
                                     "--reason", reason, "--basis", "consent", "--basis-note",
                                     "taalcursus en schuldhulp"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Create("brugfunctionaris", args);
  }

  // The handover `id` in the caller's inbox or outbox (every status).
  bool FindInBox(const std::string& user, const char* box, const std::string& id,
                 v1::Handover* out) {
    v1::ListHandoversResponse list;
    if (!Json(user, {"handover", box, "--all"}, &list)) return false;
    for (const v1::Handover& h : list.handovers()) {
      if (h.id() == id) {
        *out = h;
        return true;
      }
    }
    ADD_FAILURE() << "handover " << id << " is not in the " << box << " of " << user << ":\n"
                  << list.DebugString();
    return false;
  }
};

TEST_F(HandoverCliTest, WarmHandoverLoopClosesWithOutcomeVisibleToReferrer) {
  // The brugfunctionaris registers the parent and records what they noticed.
  std::string resident = RegisterParent("Samira Bakkali", "1988-04-17");
  ASSERT_FALSE(resident.empty());
  std::string signal =
      Create("brugfunctionaris",
             {"signal", "create", "--category", "FZ-SCHULDEN", "--wijk", "prinsenhof", "--place",
              "basisschool De Vlieger", "--description",
              "moeder vertelt over oplopende schulden en wil Nederlands leren", "--resident",
              resident});
  ASSERT_FALSE(signal.empty());

  // ... and refers her to WOEJ with her consent.
  std::string handover = ProposeToWoej(resident, "schulden en taalvraag", {"--signal", signal});
  ASSERT_FALSE(handover.empty());

  // WOEJ sees the referral in its inbox, with a deadline to answer.
  v1::Handover in;
  ASSERT_TRUE(FindInBox("partner-woej", "inbox", handover, &in));
  EXPECT_EQ(in.status(), v1::HANDOVER_STATUS_PROPOSED);
  EXPECT_EQ(in.resident_id(), resident);
  EXPECT_EQ(in.from_organisation_id(), "kwadraad");
  EXPECT_EQ(in.to_organisation_id(), "woej");
  EXPECT_EQ(in.signal_id(), signal);
  EXPECT_EQ(in.reason(), "schulden en taalvraag");
  EXPECT_EQ(in.basis().consent().covers(), "taalcursus en schuldhulp");
  EXPECT_THAT(in.receiver_id(), IsEmpty());
  absl::Time deadline;
  std::string parse_error;
  ASSERT_TRUE(absl::ParseTime("%Y-%m-%d", in.deadline(), absl::UTCTimeZone(), &deadline,
                              &parse_error))
      << "deadline \"" << in.deadline() << "\": " << parse_error;
  // Five working days to answer: in any time zone, after today.
  EXPECT_GT(in.deadline(), absl::FormatTime("%Y-%m-%d", absl::Now(), absl::UTCTimeZone()));

  // WOEJ accepts, records the warm introduction and reports the outcome.
  v1::Handover h;
  ASSERT_TRUE(Json("partner-woej", {"handover", "accept", handover}, &h));
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_ACCEPTED);
  EXPECT_THAT(h.receiver_id(), Not(IsEmpty()));
  ASSERT_TRUE(Json("partner-woej", {"handover", "introduce", handover}, &h));
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_INTRODUCED);
  EXPECT_THAT(h.introduced_date(), Not(IsEmpty()));
  const std::string outcome_text = "Gestart met de taalcursus; schuldhulptraject loopt.";
  ASSERT_TRUE(Json("partner-woej",
                   {"handover", "complete", handover, "--outcome", "helped", "--text",
                    outcome_text},
                   &h));
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_COMPLETED);

  // The loop is closed: the referrer sees the outcome in its outbox.
  v1::Handover out;
  ASSERT_TRUE(FindInBox("brugfunctionaris", "outbox", handover, &out));
  EXPECT_EQ(out.status(), v1::HANDOVER_STATUS_COMPLETED);
  EXPECT_EQ(out.outcome(), v1::OUTCOME_HELPED);
  EXPECT_EQ(out.outcome_text(), outcome_text);
  EXPECT_EQ(out.to_organisation_id(), "woej");
  EXPECT_THAT(out.receiver_id(), Not(IsEmpty()));
  EXPECT_THAT(out.introduced_date(), Not(IsEmpty()));

  // The signal's timeline records the handover that followed it up.
  v1::Signal s;
  ASSERT_TRUE(Json("brugfunctionaris", {"signal", "show", signal}, &s));
  EXPECT_THAT(s.timeline(),
              Contains(AllOf(Property(&v1::TimelineEvent::kind,
                                      v1::TimelineEvent::KIND_HANDOVER_LINKED),
                             Property(&v1::TimelineEvent::handover_id, handover))))
      << s.DebugString();
}

TEST_F(HandoverCliTest, DeniedAndInvalidRequestsFailWithOneLineAndNonZeroExit) {
  std::string resident = RegisterParent("Anouk de Groot", "1991-09-02");
  ASSERT_FALSE(resident.empty());
  std::string handover = ProposeToWoej(resident, "hulp bij formulieren");
  ASSERT_FALSE(handover.empty());

  // Not a party: the handover answers as if it did not exist, with the same
  // words as a handover that does not exist.
  Result stranger = Cli("partner-vidomes", {"handover", "show", handover});
  EXPECT_THAT(stranger, FailsWith("NOT_FOUND", HasSubstr(handover)));
  const std::string unknown_id = "haaaaaaaaaaaaaaaa";
  Result unknown = Cli("partner-vidomes", {"handover", "show", unknown_id});
  EXPECT_THAT(unknown, FailsWith("NOT_FOUND", HasSubstr(unknown_id)));
  {
    std::string masked = stranger.err;
    size_t at = masked.find(handover);
    if (at != std::string::npos) masked.replace(at, handover.size(), unknown_id);
    EXPECT_EQ(masked, unknown.err);
  }
  v1::ListHandoversResponse vidomes_box;
  ASSERT_TRUE(Json("partner-vidomes", {"handover", "inbox", "--all"}, &vidomes_box));
  EXPECT_THAT(vidomes_box.handovers(), Not(Contains(Property(&v1::Handover::id, handover))));

  // The sender may not accept its own referral; it stays proposed.
  EXPECT_THAT(Cli("brugfunctionaris", {"handover", "accept", handover}),
              FailsWith("PERMISSION_DENIED", Not(IsEmpty())));
  v1::Handover h;
  ASSERT_TRUE(Json("partner-woej", {"handover", "show", handover}, &h));
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_PROPOSED);
  EXPECT_THAT(h.receiver_id(), IsEmpty());

  // A completed handover is final; the error names the state it is in.
  ASSERT_TRUE(Json("partner-woej", {"handover", "accept", handover}, &h));
  ASSERT_TRUE(Json("partner-woej",
                   {"handover", "complete", handover, "--outcome", "not_helped", "--text",
                    "bewoner niet bereikt"},
                   &h));
  ASSERT_EQ(h.status(), v1::HANDOVER_STATUS_COMPLETED);
  EXPECT_THAT(Cli("partner-woej", {"handover", "accept", handover}),
              FailsWith("FAILED_PRECONDITION", HasSubstr("completed")));

  // A handover goes to another organisation, one that exists.
  EXPECT_THAT(Cli("brugfunctionaris",
                  {"handover", "propose", "--resident", resident, "--to", "kwadraad", "--reason",
                   "eigen organisatie", "--basis", "consent", "--basis-note", "formulieren"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("to_organisation_id")));
  EXPECT_THAT(Cli("brugfunctionaris",
                  {"handover", "propose", "--resident", resident, "--to", "nowhere", "--reason",
                   "onbekende organisatie", "--basis", "consent", "--basis-note", "formulieren"}),
              FailsWith("NOT_FOUND", HasSubstr("nowhere")));

  // A signal's category comes from the taxonomy.
  EXPECT_THAT(Cli("brugfunctionaris",
                  {"signal", "create", "--category", "FZ-BESTAAT-NIET", "--wijk", "prinsenhof",
                   "--place", "schoolplein", "--description", "iets", "--resident", resident}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("category")));

  // The auditor reads no case data, not even whether a resident is known.
  EXPECT_THAT(Cli("auditor", {"resident", "find", "--name", "Anouk de Groot", "--birth-date",
                              "1991-09-02"}),
              FailsWith("PERMISSION_DENIED", Not(IsEmpty())));

  // None of the refused proposals was created.
  v1::ListHandoversResponse outbox;
  ASSERT_TRUE(Json("brugfunctionaris", {"handover", "outbox", "--all"}, &outbox));
  EXPECT_EQ(outbox.handovers_size(), 1) << outbox.DebugString();
}

TEST_F(HandoverCliTest, DeclinedAndConsentWithdrawnHandoversShowInOutbox) {
  std::string resident = RegisterParent("Yusuf Demir", "1983-12-30");
  ASSERT_FALSE(resident.empty());

  // WOEJ declines one referral, with a reason the referrer gets to see.
  std::string declined = ProposeToWoej(resident, "taalcursus");
  ASSERT_FALSE(declined.empty());
  const std::string decline_reason = "geen plek in de taalcursus tot september";
  v1::Handover h;
  ASSERT_TRUE(Json("partner-woej", {"handover", "decline", declined, "--reason", decline_reason},
                   &h));
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_DECLINED);

  // The resident withdraws consent after WOEJ accepted another one.
  std::string withdrawn = ProposeToWoej(resident, "schuldhulp");
  ASSERT_FALSE(withdrawn.empty());
  ASSERT_TRUE(Json("partner-woej", {"handover", "accept", withdrawn}, &h));
  ASSERT_EQ(h.status(), v1::HANDOVER_STATUS_ACCEPTED);
  const std::string withdraw_reason = "bewoner wil zelf de schuldhulp regelen";
  ASSERT_TRUE(Json("brugfunctionaris",
                   {"handover", "withdraw-consent", withdrawn, "--reason", withdraw_reason}, &h));
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_CANCELLED);

  v1::Handover out;
  ASSERT_TRUE(FindInBox("brugfunctionaris", "outbox", declined, &out));
  EXPECT_EQ(out.status(), v1::HANDOVER_STATUS_DECLINED);
  EXPECT_EQ(out.decline_reason(), decline_reason);
  EXPECT_EQ(out.outcome(), v1::OUTCOME_UNSPECIFIED);

  ASSERT_TRUE(FindInBox("brugfunctionaris", "outbox", withdrawn, &out));
  EXPECT_EQ(out.status(), v1::HANDOVER_STATUS_CANCELLED);
  EXPECT_THAT(out.cancel_reason(), HasSubstr(withdraw_reason));

  // Both are final: the receiver can no longer act on them.
  EXPECT_THAT(Cli("partner-woej", {"handover", "accept", declined}),
              FailsWith("FAILED_PRECONDITION", HasSubstr("declined")));
  EXPECT_THAT(Cli("partner-woej",
                  {"handover", "complete", withdrawn, "--outcome", "helped", "--text", "te laat"}),
              FailsWith("FAILED_PRECONDITION", HasSubstr("cancelled")));

  // The status filter of the outbox finds each by its status.
  v1::ListHandoversResponse filtered;
  ASSERT_TRUE(
      Json("brugfunctionaris", {"handover", "outbox", "--status", "declined", "--all"}, &filtered));
  EXPECT_THAT(filtered.handovers(), Contains(Property(&v1::Handover::id, declined)));
  EXPECT_THAT(filtered.handovers(), Not(Contains(Property(&v1::Handover::id, withdrawn))));
}

}  // namespace
}  // namespace schakel
