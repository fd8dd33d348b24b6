// Table tests of both state machines: every (state, action) pair gives the
// next state or the exact error.
#include <map>
#include <set>
#include <optional>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/domain/calendar.h"
#include "server/domain/handover.h"
#include "server/domain/signal.h"
#include "tests/support/test_support.h"

namespace schakel::domain {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::testing::HasSubstr;

TEST(SignalStateMachineTest, EveryPairOfStates) {
  using S = SignalStatus;
  const S all[] = {S::kOpen, S::kInProgress, S::kResolved, S::kClosed, S::kWithdrawn};
  const std::set<std::pair<S, S>> allowed = {
      {S::kOpen, S::kInProgress},     {S::kOpen, S::kWithdrawn},
      {S::kInProgress, S::kResolved}, {S::kInProgress, S::kWithdrawn},
      {S::kResolved, S::kClosed},     {S::kResolved, S::kInProgress},
  };
  for (S from : all) {
    for (S to : all) {
      absl::Status s = CheckSignalTransition(from, to);
      if (allowed.count({from, to})) {
        EXPECT_THAT(s, IsOk()) << SignalStatusName(from) << " -> " << SignalStatusName(to);
      } else {
        EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition,
                                absl::StrCat("status: a signal that is ", SignalStatusName(from),
                                             " cannot become ", SignalStatusName(to))));
      }
    }
  }
}

// A Monday; the handover's deadline is the Friday after.
const absl::CivilDay kToday(2026, 11, 23);
const absl::CivilDay kDeadline(2026, 11, 27);

Handover InState(HandoverStatus status, BasisKind basis = BasisKind::kConsent) {
  Handover h;
  h.id = "h1";
  h.from_organisation_id = "kwadraad";
  h.to_organisation_id = "woej";
  h.status = status;
  h.basis.kind = basis;
  h.deadline = kDeadline;
  h.version = 3;
  return h;
}

HandoverActionInput Valid(HandoverAction a) {
  HandoverActionInput in;
  in.action = a;
  if (a == HandoverAction::kDecline) in.reason = "geen plek";
  if (a == HandoverAction::kComplete) in.outcome = Outcome::kHelped;
  return in;
}

// Who the table gives each action to.
std::optional<Party> ActorFor(HandoverAction a) {
  switch (a) {
    case HandoverAction::kAccept:
    case HandoverAction::kDecline:
    case HandoverAction::kComplete:
    case HandoverAction::kIntroduce:
      return Party::kReceiver;
    case HandoverAction::kCancel:
    case HandoverAction::kWithdrawConsent:
      return Party::kSender;
    case HandoverAction::kExpire:
      return std::nullopt;
  }
  return std::nullopt;
}

TEST(HandoverStateMachineTest, EveryStateAndAction) {
  using S = HandoverStatus;
  using A = HandoverAction;
  const S states[] = {S::kProposed, S::kAccepted, S::kIntroduced, S::kCompleted,
                      S::kDeclined, S::kExpired,  S::kCancelled};
  const A actions[] = {A::kAccept, A::kDecline, A::kIntroduce, A::kComplete,
                       A::kCancel, A::kWithdrawConsent, A::kExpire};
  // design.md's table, exactly.
  const std::map<std::pair<S, A>, S> table = {
      {{S::kProposed, A::kAccept}, S::kAccepted},
      {{S::kProposed, A::kDecline}, S::kDeclined},
      {{S::kProposed, A::kExpire}, S::kExpired},
      {{S::kProposed, A::kCancel}, S::kCancelled},
      {{S::kAccepted, A::kCancel}, S::kCancelled},
      {{S::kProposed, A::kWithdrawConsent}, S::kCancelled},
      {{S::kAccepted, A::kWithdrawConsent}, S::kCancelled},
      {{S::kIntroduced, A::kWithdrawConsent}, S::kCancelled},
      {{S::kAccepted, A::kIntroduce}, S::kIntroduced},
      {{S::kAccepted, A::kComplete}, S::kCompleted},
      {{S::kIntroduced, A::kComplete}, S::kCompleted},
  };
  const absl::Time now = absl::FromUnixSeconds(1795000000);
  for (S state : states) {
    for (A action : actions) {
      // The clock acts only after the deadline; people before it.
      absl::CivilDay today = action == A::kExpire ? kDeadline + 1 : kToday;
      auto next = ApplyHandoverAction(InState(state), Valid(action), ActorFor(action), "p-actor",
                                      today, now);
      auto it = table.find({state, action});
      std::string label = absl::StrCat(HandoverStatusName(state), " + ",
                                       HandoverActionName(action));
      if (it != table.end()) {
        ASSERT_THAT(next, IsOk()) << label;
        EXPECT_EQ(next->status, it->second) << label;
        EXPECT_EQ(next->version, 4) << label;
        EXPECT_EQ(next->update_time, now) << label;
      } else {
        EXPECT_THAT(next, StatusIs(absl::StatusCode::kFailedPrecondition,
                                   absl::StrCat("handover: a handover that is ",
                                                HandoverStatusName(state), " cannot be given '",
                                                HandoverActionName(action), "'")))
            << label;
      }
    }
  }
}

TEST(HandoverStateMachineTest, TheOtherSideIsRefused) {
  struct Case {
    HandoverStatus state;
    HandoverAction action;
    Party wrong;
    const char* message;
  };
  const Case cases[] = {
      {HandoverStatus::kProposed, HandoverAction::kAccept, Party::kSender,
       "only the receiving organisation may accept"},
      {HandoverStatus::kProposed, HandoverAction::kDecline, Party::kSender,
       "only the receiving organisation may decline"},
      {HandoverStatus::kAccepted, HandoverAction::kComplete, Party::kSender,
       "only the receiving organisation may complete"},
      {HandoverStatus::kProposed, HandoverAction::kCancel, Party::kReceiver,
       "only the sending organisation may cancel"},
      {HandoverStatus::kAccepted, HandoverAction::kWithdrawConsent, Party::kReceiver,
       "only the sending organisation may withdraw consent"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(ApplyHandoverAction(InState(c.state), Valid(c.action), c.wrong, "p", kToday,
                                    absl::Now()),
                StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr(c.message)));
  }
  // Either party introduces.
  for (Party p : {Party::kSender, Party::kReceiver}) {
    EXPECT_THAT(ApplyHandoverAction(InState(HandoverStatus::kAccepted),
                                    Valid(HandoverAction::kIntroduce), p, "p", kToday, absl::Now()),
                IsOk());
  }
  // Nobody's side at all.
  EXPECT_THAT(ApplyHandoverAction(InState(HandoverStatus::kProposed),
                                  Valid(HandoverAction::kAccept), std::nullopt, "p", kToday,
                                  absl::Now()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not a party")));
}

TEST(HandoverStateMachineTest, ConsentWithdrawalNeedsTheConsentBasis) {
  for (BasisKind basis : {BasisKind::kLegalTask, BasisKind::kVitalInterest}) {
    EXPECT_THAT(ApplyHandoverAction(InState(HandoverStatus::kAccepted, basis),
                                    Valid(HandoverAction::kWithdrawConsent), Party::kSender, "p",
                                    kToday, absl::Now()),
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("consent basis")));
  }
  auto next = ApplyHandoverAction(InState(HandoverStatus::kAccepted),
                                  Valid(HandoverAction::kWithdrawConsent), Party::kSender, "p",
                                  kToday, absl::Now());
  ASSERT_THAT(next, IsOk());
  EXPECT_THAT(next->cancel_reason, HasSubstr("withdrew consent"));
}

TEST(HandoverStateMachineTest, PastTheDeadlineAProposalIsExpired) {
  Handover h = InState(HandoverStatus::kProposed);
  // On the deadline itself it can still be accepted.
  EXPECT_THAT(ApplyHandoverAction(h, Valid(HandoverAction::kAccept), Party::kReceiver, "p",
                                  kDeadline, absl::Now()),
              IsOk());
  EXPECT_THAT(ApplyHandoverAction(h, Valid(HandoverAction::kAccept), Party::kReceiver, "p",
                                  kDeadline + 1, absl::Now()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is expired")));
  // The clock cannot expire it early.
  EXPECT_THAT(ApplyHandoverAction(h, Valid(HandoverAction::kExpire), std::nullopt, "", kDeadline,
                                  absl::Now()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("has not passed")));
  EXPECT_TRUE(IsOverdue(h, kDeadline + 1));
  EXPECT_FALSE(IsOverdue(h, kDeadline));
  EXPECT_TRUE(IsDueSoon(h, kDeadline - 1));  // Thursday: due within one working day
  EXPECT_FALSE(IsDueSoon(h, kToday));
}

TEST(HandoverStateMachineTest, ActionsCheckTheirInput) {
  Handover proposed = InState(HandoverStatus::kProposed);
  Handover accepted = InState(HandoverStatus::kAccepted);
  HandoverActionInput decline;
  decline.action = HandoverAction::kDecline;
  EXPECT_THAT(ApplyHandoverAction(proposed, decline, Party::kReceiver, "p", kToday, absl::Now()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason: required")));
  HandoverActionInput complete;
  complete.action = HandoverAction::kComplete;
  EXPECT_THAT(ApplyHandoverAction(accepted, complete, Party::kReceiver, "p", kToday, absl::Now()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("outcome: required")));
  HandoverActionInput introduce;
  introduce.action = HandoverAction::kIntroduce;
  introduce.date = "2026-12-31";
  EXPECT_THAT(ApplyHandoverAction(accepted, introduce, Party::kSender, "p", kToday, absl::Now()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("date: must not be in the future")));
  introduce.date = "";
  auto introduced =
      ApplyHandoverAction(accepted, introduce, Party::kSender, "p", kToday, absl::Now());
  ASSERT_THAT(introduced, IsOk());
  EXPECT_EQ(introduced->introduced_date, "2026-11-23");
  auto took = ApplyHandoverAction(proposed, Valid(HandoverAction::kAccept), Party::kReceiver,
                                  "p-woej", kToday, absl::Now());
  ASSERT_THAT(took, IsOk());
  EXPECT_EQ(took->receiver_id, "p-woej");
}

TEST(CalendarTest, WorkingDaysSkipWeekends) {
  EXPECT_EQ(AddWorkingDays(kToday, 5), absl::CivilDay(2026, 11, 30));
  EXPECT_EQ(AddWorkingDays(absl::CivilDay(2026, 11, 27), 1), absl::CivilDay(2026, 11, 30));
  EXPECT_EQ(ResponseDeadline(kToday, 0), absl::CivilDay(2026, 11, 30));
  EXPECT_THAT(ParseDate("d", "2026-02-30"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("d:")));
  EXPECT_THAT(ParseDate("d", "26-02-03"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("YYYY-MM-DD")));
  EXPECT_THAT(ParseDate("d", "2026-02-03"), IsOk());
}

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(CalendarTest, EasterByTheAnonymousGregorianAlgorithm) {
  const absl::CivilDay cases[] = {
      D(1818, 3, 22), D(2008, 3, 23), D(2011, 4, 24), D(2019, 4, 21), D(2024, 3, 31),
      D(2025, 4, 20), D(2026, 4, 5),  D(2027, 3, 28), D(2030, 4, 21), D(2038, 4, 25),
      D(2049, 4, 18), D(2285, 3, 22),
  };
  for (const absl::CivilDay& easter : cases) {
    EXPECT_EQ(EasterSunday(static_cast<int>(easter.year())), easter) << easter.year();
  }
}

// Every public holiday of two years, and no other day of them.
TEST(CalendarTest, EveryPublicHolidayOf2026And2027) {
  const std::map<absl::CivilDay, std::string> holidays = {
      {D(2026, 1, 1), "Nieuwjaarsdag"},       {D(2026, 4, 5), "Eerste Paasdag"},
      {D(2026, 4, 6), "Tweede Paasdag"},      {D(2026, 4, 27), "Koningsdag"},
      {D(2026, 5, 14), "Hemelvaartsdag"},     {D(2026, 5, 24), "Eerste Pinksterdag"},
      {D(2026, 5, 25), "Tweede Pinksterdag"}, {D(2026, 12, 25), "Eerste Kerstdag"},
      {D(2026, 12, 26), "Tweede Kerstdag"},   {D(2027, 1, 1), "Nieuwjaarsdag"},
      {D(2027, 3, 28), "Eerste Paasdag"},     {D(2027, 3, 29), "Tweede Paasdag"},
      {D(2027, 4, 27), "Koningsdag"},         {D(2027, 5, 6), "Hemelvaartsdag"},
      {D(2027, 5, 16), "Eerste Pinksterdag"}, {D(2027, 5, 17), "Tweede Pinksterdag"},
      {D(2027, 12, 25), "Eerste Kerstdag"},   {D(2027, 12, 26), "Tweede Kerstdag"},
  };
  int working_days = 0;
  for (absl::CivilDay day(2026, 1, 1); day < absl::CivilDay(2028, 1, 1); ++day) {
    auto it = holidays.find(day);
    const std::optional<std::string> name = PublicHoliday(day);
    if (it == holidays.end()) {
      EXPECT_EQ(name, std::nullopt) << FormatDate(day) << " is " << name.value_or("");
    } else {
      EXPECT_EQ(name, it->second) << FormatDate(day);
      EXPECT_FALSE(IsWorkingDay(day)) << FormatDate(day);
    }
    if (IsWorkingDay(day)) ++working_days;
  }
  // 261 weekdays in 2026, less 6 holidays on one (1 Jan, 6 Apr, 27 Apr,
  // 14 May, 25 May, 25 Dec); 261 in 2027, less 5 (1 Jan, 29 Mar, 27 Apr,
  // 6 May, 17 May; Kerst is on the weekend).
  EXPECT_EQ(working_days, (261 - 6) + (261 - 5));
  // Goede Vrijdag is a working day.
  EXPECT_TRUE(IsWorkingDay(absl::CivilDay(2026, 4, 3)));
  EXPECT_TRUE(IsWorkingDay(absl::CivilDay(2027, 3, 26)));
}

TEST(CalendarTest, KoningsdagMovesToSaturdayWhenThe27thIsASunday) {
  const struct {
    int year;
    int day;
  } cases[] = {{2025, 26}, {2026, 27}, {2027, 27}, {2031, 26}, {2036, 26}, {2037, 27}};
  for (const auto& c : cases) {
    const int other = c.day == 26 ? 27 : 26;
    EXPECT_EQ(PublicHoliday(absl::CivilDay(c.year, 4, c.day)), "Koningsdag") << c.year;
    EXPECT_EQ(PublicHoliday(absl::CivilDay(c.year, 4, other)), std::nullopt) << c.year;
  }
  EXPECT_EQ(absl::GetWeekday(absl::CivilDay(2025, 4, 27)), absl::Weekday::sunday);
}

TEST(CalendarTest, BevrijdingsdagOnlyInLustrumYears) {
  EXPECT_EQ(PublicHoliday(absl::CivilDay(2025, 5, 5)), "Bevrijdingsdag");
  EXPECT_EQ(PublicHoliday(absl::CivilDay(2030, 5, 5)), "Bevrijdingsdag");
  EXPECT_EQ(PublicHoliday(absl::CivilDay(2026, 5, 5)), std::nullopt);
  EXPECT_TRUE(IsWorkingDay(absl::CivilDay(2026, 5, 5)));   // a Tuesday
  EXPECT_FALSE(IsWorkingDay(absl::CivilDay(2025, 5, 5)));  // a Monday
}

TEST(CalendarTest, WorkingDaysSkipPublicHolidays) {
  const struct {
    absl::CivilDay from;
    int n;
    absl::CivilDay expected;
  } cases[] = {
      // Thursday 24 December: Kerst on Friday and the weekend.
      {D(2026, 12, 24), 1, D(2026, 12, 28)},
      // Through Nieuwjaarsdag (a Friday).
      {D(2026, 12, 24), 5, D(2027, 1, 4)},
      {D(2026, 12, 31), 1, D(2027, 1, 4)},
      // Thursday before Easter: Goede Vrijdag counts, Tweede Paasdag not.
      {D(2026, 4, 2), 1, D(2026, 4, 3)},
      {D(2026, 4, 2), 2, D(2026, 4, 7)},
      // Koningsdag on a Monday.
      {D(2026, 4, 24), 1, D(2026, 4, 28)},
      // Hemelvaart (Thursday) and Pinksteren (Monday) in one stretch.
      {D(2026, 5, 13), 5, D(2026, 5, 21)},
      {D(2026, 5, 21), 2, D(2026, 5, 26)},
      // A lustrum Bevrijdingsdag (Monday 5 May 2025).
      {D(2025, 5, 2), 1, D(2025, 5, 6)},
      // n = 0 is the day itself, even a holiday.
      {D(2026, 12, 25), 0, D(2026, 12, 25)},
      // Starting on a holiday, the next working day is the first.
      {D(2026, 12, 25), 1, D(2026, 12, 28)},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(AddWorkingDays(c.from, c.n), c.expected) << FormatDate(c.from) << " + " << c.n;
  }
  // The default five working days to answer, over Kerst.
  EXPECT_EQ(ResponseDeadline(absl::CivilDay(2026, 12, 21), 0), absl::CivilDay(2026, 12, 29));
}

TEST(NewHandoverTest, BadInputNamesTheField) {
  NewHandover good;
  good.request_id = "req-00000001";
  good.resident_id = "r1";
  good.to_organisation_id = "woej";
  good.reason = "taal";
  good.basis = LawfulBasis{};
  good.basis->consent_covers = "taalcursus";
  EXPECT_THAT(ValidateNewHandover(good, kToday), IsOk());
  struct Case {
    void (*mutate)(NewHandover&);
    const char* field;
  };
  const Case cases[] = {
      {[](NewHandover& r) { r.basis.reset(); }, "basis: a lawful basis is required"},
      {[](NewHandover& r) { r.to_organisation_id = "bad org"; }, "to_organisation_id"},
      {[](NewHandover& r) { r.team = "Werk en Inkomen"; }, "team: only lower-case"},
      {[](NewHandover& r) { r.to_team = "x"; }, "to_team: must be 2 to 40"},
      {[](NewHandover& r) { r.reason.clear(); }, "reason"},
      {[](NewHandover& r) { r.reason = std::string(2001, 'x'); }, "reason: at most 2000"},
      {[](NewHandover& r) { r.basis->consent_covers.clear(); }, "basis.consent.covers"},
      {[](NewHandover& r) { r.basis->consent_date = "2027-01-01"; }, "basis.consent.date"},
      {[](NewHandover& r) {
         r.basis->kind = BasisKind::kLegalTask;
       }, "basis.legal_task.reference"},
      {[](NewHandover& r) {
         r.basis->kind = BasisKind::kVitalInterest;
       }, "basis.vital_interest.reason"},
      {[](NewHandover& r) { r.response_days = 61; }, "response_days"},
      {[](NewHandover& r) { r.resident_id = "bad id"; }, "resident_id"},
  };
  for (const Case& c : cases) {
    NewHandover r = good;
    c.mutate(r);
    EXPECT_THAT(ValidateNewHandover(r, kToday),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.field)));
  }
}

}  // namespace
}  // namespace schakel::domain
