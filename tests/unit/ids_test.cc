// Identifier formats (domain/ids.h) and purposes of use (domain/purpose.h),
// as tables.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/clock.h"
#include "server/domain/ids.h"
#include "server/domain/purpose.h"
#include "tests/support/test_support.h"

namespace schakel::domain {
namespace {

using ::schakel::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(IdsTest, GeneratedIdsHaveTheirKindsFormat) {
  RandomIdGenerator ids;
  const IdKind generated[] = {IdKind::kResident, IdKind::kSignal,      IdKind::kHandover,
                              IdKind::kTrajectory, IdKind::kMeasurement, IdKind::kStep,
                              IdKind::kNote,     IdKind::kGrant,       IdKind::kProfessional,
                              IdKind::kBreakGlass};
  for (IdKind kind : generated) {
    for (int i = 0; i < 20; ++i) {
      const std::string id = ids.NewId(std::string(IdPrefix(kind)));
      EXPECT_TRUE(IsIdOf(kind, id)) << id;
      EXPECT_TRUE(ValidateIdOf(kind, "id", id).ok()) << id;
    }
  }
}

TEST(IdsTest, FreeTextAndOtherKindsAreRefusedNamingFieldAndRule) {
  struct Case {
    IdKind kind;
    std::string id;
    bool ok;
  };
  const std::vector<Case> table = {
      {IdKind::kResident, "rabcdefghijklmnop", true},
      {IdKind::kResident, "r234567abcdefghij", true},
      {IdKind::kResident, "sabcdefghijklmnop", false},    // a signal's prefix
      {IdKind::kResident, "rabcdefghijklmno", false},     // 15 characters
      {IdKind::kResident, "rabcdefghijklmnopq", false},   // 17
      {IdKind::kResident, "rABCDEFGHIJKLMNOP", false},    // upper case
      {IdKind::kResident, "rabcdefghijklmn01", false},    // 0 and 1 are no base32
      {IdKind::kResident, "Fatima El Amrani 1985-03-02 depressie", false},
      {IdKind::kSignal, "sabcdefghijklmnop", true},
      {IdKind::kStep, "stabcdefghijklmnop", true},
      {IdKind::kSignal, "stabcdefghijklmnop", false},     // a step id is no signal id
      {IdKind::kBreakGlass, "bgabcdefghijklmnop", true},
      {IdKind::kOrganisation, "gemeente-lv", true},
      {IdKind::kOrganisation, "ggz-rivierduinen", true},
      {IdKind::kOrganisation, "wsp", true},
      {IdKind::kOrganisation, "w", false},
      {IdKind::kOrganisation, "Gemeente-LV", false},
      {IdKind::kOrganisation, "gemeente--lv", false},
      {IdKind::kOrganisation, "-woej", false},
      {IdKind::kOrganisation, "woej-", false},
      {IdKind::kOrganisation, "gemeente_lv", false},
      {IdKind::kOrganisation, "Fatima El Amrani 1985-03-02 depressie", false},
      {IdKind::kOrganisation, std::string(41, 'a'), false},
      {IdKind::kRequest, "cli-abcdefghij0123456789", true},
      {IdKind::kRequest, "req-signal-1", true},
      {IdKind::kRequest, "short", false},
      {IdKind::kRequest, "Fatima El Amrani 1985-03-02", false},
      {IdKind::kRequest, std::string(65, 'a'), false},
  };
  for (const Case& c : table) {
    EXPECT_EQ(IsIdOf(c.kind, c.id), c.ok) << c.id;
    absl::Status s = ValidateIdOf(c.kind, "resident_id", c.id);
    EXPECT_EQ(s.ok(), c.ok) << c.id;
    if (!c.ok) {
      EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("resident_id: ")))
          << c.id;
      // The message names the rule, never the value.
      if (c.id.size() > 5) EXPECT_THAT(s.message(), Not(HasSubstr(c.id))) << c.id;
    }
  }
  EXPECT_THAT(ValidateIdOf(IdKind::kSignal, "id", ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("id: required")));
  EXPECT_THAT(ValidateIdOf(IdKind::kSignal, "id", "x"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("id: not an id of its kind ('s' and 16 characters of a-z and "
                                 "2-7")));
}

TEST(IdsTest, ResourceTypesKnowTheirKind) {
  EXPECT_EQ(IdKindOfResource("organisation"), IdKind::kOrganisation);
  EXPECT_EQ(IdKindOfResource("signal"), IdKind::kSignal);
  EXPECT_EQ(IdKindOfResource("breakglass"), IdKind::kBreakGlass);
  EXPECT_EQ(IdKindOfResource("report"), std::nullopt);
  EXPECT_EQ(IdKindOfResource("audit"), std::nullopt);
}

TEST(PurposeTest, OnlyCodesOfTheListAndOtherWhereAllowed) {
  PurposePolicy policy = DefaultPurposePolicy();
  ASSERT_TRUE(ValidatePurposePolicy(policy).ok());
  struct Case {
    std::optional<std::string> sent;
    bool allow_other;
    std::string recorded;  // "" refused
    std::string message;
  };
  const std::string too_long(kMaxOtherPurposeText + 1, 'a');
  const std::vector<Case> table = {
      {std::nullopt, false, "zorgcoordinatie", ""},
      {"", false, "zorgcoordinatie", ""},
      {"signaalopvolging", false, "signaalopvolging", ""},
      {"monitor", false, "monitor", ""},
      {"care coordination", false, "", "x-schakel-purpose: not a purpose code"},
      {"wijkoverleg", false, "", "one of: zorgcoordinatie, signaalopvolging"},
      {"Signaalopvolging", false, "", "not a purpose code"},
      {"signaalopvolging:Fatima", false, "", "not a purpose code"},
      {"anders:overleg", false, "", "\"anders\" (another purpose, with a text) is not allowed"},
      {"anders:overleg met het wijkteam", true, "anders: overleg met het wijkteam", ""},
      {"anders:  overleg  ", true, "anders: overleg", ""},
      {"anders:" + std::string(kMaxOtherPurposeText, 'a'), true,
       "anders: " + std::string(kMaxOtherPurposeText, 'a'), ""},
      {"anders:" + too_long, true, "", "is at most 80 characters"},
      {"anders", true, "", "needs a text after the colon"},
      {"anders:", true, "", "needs a text after the colon"},
      {"anders:\x01x", true, "", "printable ASCII"},
      {"wijkoverleg", true, "", "anders:<text>"},
  };
  for (const Case& c : table) {
    policy.allow_other = c.allow_other;
    std::optional<absl::string_view> sent;
    if (c.sent) sent = *c.sent;
    absl::StatusOr<std::string> r = ResolvePurpose(policy, sent);
    const std::string label = c.sent.value_or("(none)");
    if (c.recorded.empty()) {
      EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message))) << label;
      if (!r.ok() && c.sent && c.sent->size() > 3) {
        EXPECT_THAT(r.status().message(), Not(HasSubstr("Fatima"))) << label;
      }
    } else {
      ASSERT_TRUE(r.ok()) << label << ": " << r.status();
      EXPECT_EQ(*r, c.recorded) << label;
    }
  }
}

TEST(PurposeTest, AConfiguredListIsChecked) {
  PurposePolicy p{{{"zorg", "Zorg"}, {"wijkoverleg", "Casusoverleg"}}, "zorg", false};
  EXPECT_TRUE(ValidatePurposePolicy(p).ok());
  auto broken = [&](auto change, const char* message) {
    PurposePolicy q = p;
    change(q);
    EXPECT_THAT(ValidatePurposePolicy(q),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(message)));
  };
  broken([](PurposePolicy& q) { q.codes.clear(); }, "purposes: at least one code");
  broken([](PurposePolicy& q) { q.codes[0].code = "Zorg"; }, "must be 2 to 32 characters");
  broken([](PurposePolicy& q) { q.codes[0].code = "1zorg"; }, "starting with a letter");
  broken([](PurposePolicy& q) { q.codes[1].code = "zorg"; }, "given twice");
  broken([](PurposePolicy& q) { q.codes[1].label_nl = ""; }, "has no label_nl");
  broken([](PurposePolicy& q) { q.codes[1].code = "anders"; }, "set allow_other instead");
  broken([](PurposePolicy& q) { q.default_code = "monitor"; }, "default_code must be one of");
}

}  // namespace
}  // namespace schakel::domain
