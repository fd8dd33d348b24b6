#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/domain/directory.h"
#include "absl/strings/match.h"
#include "server/domain/listen_address.h"
#include "server/domain/page_token.h"
#include "server/domain/privacy.h"
#include "server/domain/seed.h"
#include "tests/support/test_support.h"

namespace schakel::domain {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::AllOf;

TEST(RoleTest, EveryRoleRoundTripsThroughItsName) {
  for (Role role : AllRoles()) {
    auto parsed = ParseRole(RoleName(role));
    ASSERT_TRUE(parsed.has_value()) << RoleName(role);
    EXPECT_EQ(*parsed, role);
  }
  EXPECT_EQ(AllRoles().size(), 9u);
  EXPECT_FALSE(ParseRole("root").has_value());
  EXPECT_FALSE(ParseRole("").has_value());
}

TEST(ProfessionalUriTest, OnlyWellFormedUrisNameAProfessional) {
  EXPECT_EQ(ProfessionalIdFromUri(ProfessionalUri("pabc123")), "pabc123");
  EXPECT_FALSE(ProfessionalIdFromUri("schakel:professional/").has_value());
  EXPECT_FALSE(ProfessionalIdFromUri("schakel:professional/a/b").has_value());
  EXPECT_FALSE(ProfessionalIdFromUri("schakel:admin/p1").has_value());
  EXPECT_FALSE(ProfessionalIdFromUri("https://example.org/p1").has_value());
  EXPECT_FALSE(ProfessionalIdFromUri("schakel:professional/" + std::string(65, 'a')).has_value());
}

NewProfessional ValidRequest() {
  return NewProfessional{"req-12345678", "woej", "A. Janssen", {Role::kPartner}, "-----BEGIN"};
}

struct InvalidCase {
  const char* name;
  void (*mutate)(NewProfessional&);
  const char* field;
};

TEST(NewProfessionalTest, EachBrokenFieldIsNamed) {
  const InvalidCase cases[] = {
      {"short request id", [](NewProfessional& r) { r.request_id = "abc"; }, "request_id"},
      {"request id with space", [](NewProfessional& r) { r.request_id = "req 12345678"; },
       "request_id"},
      {"long request id", [](NewProfessional& r) { r.request_id = std::string(65, 'a'); },
       "request_id"},
      {"no organisation", [](NewProfessional& r) { r.organisation_id.clear(); },
       "organisation_id"},
      {"no name", [](NewProfessional& r) { r.display_name.clear(); }, "display_name"},
      {"long name", [](NewProfessional& r) { r.display_name = std::string(201, 'x'); },
       "display_name"},
      {"newline in name", [](NewProfessional& r) { r.display_name = "A\nB"; }, "display_name"},
      {"no roles", [](NewProfessional& r) { r.roles.clear(); }, "roles"},
      {"huge csr", [](NewProfessional& r) { r.csr_pem = std::string(16385, 'x'); }, "csr_pem"},
      {"a team name for an id", [](NewProfessional& r) { r.team = "Werk en Inkomen"; },
       "team: only lower-case"},
  };
  EXPECT_THAT(ValidateNewProfessional(ValidRequest()), IsOk());
  // Without a CSR the professional enrolls with a code.
  NewProfessional enrolling = ValidRequest();
  enrolling.csr_pem.clear();
  EXPECT_THAT(ValidateNewProfessional(enrolling), IsOk());
  for (const auto& c : cases) {
    NewProfessional r = ValidRequest();
    c.mutate(r);
    EXPECT_THAT(ValidateNewProfessional(r),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.field)))
        << c.name;
  }
}

TEST(RoleCombinationTest, OversightRolesReadNoCaseData) {
  using R = Role;
  struct Case {
    std::vector<Role> roles;
    bool ok;
  };
  const Case cases[] = {
      {{R::kAdmin}, true},
      {{R::kAuditor}, true},
      {{R::kAdmin, R::kAuditor}, true},
      {{R::kAdmin, R::kAnalyst}, true},
      {{R::kGgz, R::kPartner}, true},
      {{R::kRegisseur, R::kAnalyst}, true},
      {{R::kAdmin, R::kRegisseur}, false},
      {{R::kAdmin, R::kPartner}, false},
      {{R::kAuditor, R::kGgz}, false},
      {{R::kAuditor, R::kPrivacyOfficer}, false},
      {{R::kConsultant, R::kAdmin}, false},
  };
  for (const Case& c : cases) {
    NewProfessional r = ValidRequest();
    r.roles = c.roles;
    if (c.ok) {
      EXPECT_THAT(ValidateNewProfessional(r), IsOk());
    } else {
      EXPECT_THAT(ValidateNewProfessional(r),
                  StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("separation of duties")));
    }
  }
}

TEST(NewProfessionalTest, FingerprintIgnoresRoleOrderButNotContent) {
  NewProfessional a = ValidRequest();
  a.roles = {Role::kPartner, Role::kGgz};
  NewProfessional b = a;
  b.roles = {Role::kGgz, Role::kPartner, Role::kGgz};
  EXPECT_EQ(RequestFingerprint(a), RequestFingerprint(b));
  NewProfessional c = a;
  c.display_name = "B. Janssen";
  EXPECT_NE(RequestFingerprint(a), RequestFingerprint(c));
  // Field boundaries cannot be shifted to forge the same encoding.
  NewProfessional d = a, e = a;
  d.organisation_id = "wo";
  d.display_name = "ejA. Janssen";
  EXPECT_NE(RequestFingerprint(d), RequestFingerprint(e));
}

TEST(CsvTest, ParsesQuotesEscapesAndLineEnds) {
  auto rows = ParseCsv("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\nlast,\n");
  ASSERT_THAT(rows, IsOk());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1][0], "x, y");
  EXPECT_EQ((*rows)[1][1], "say \"hi\"");
  EXPECT_EQ((*rows)[2], (std::vector<std::string>{"last", ""}));
}

TEST(CsvTest, UnterminatedQuoteIsRejectedWithItsLine) {
  EXPECT_THAT(ParseCsv("a,b\n\"open,c\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unterminated")));
}

TEST(SeedTest, EmbeddedSeedHoldsTheProgrammesData) {
  auto seed = EmbeddedSeed();
  ASSERT_THAT(seed, IsOk());
  EXPECT_EQ(seed->organisations.size(), 34u);
  EXPECT_EQ(seed->opgaven.size(), 4u);
  EXPECT_EQ(seed->wijken.size(), 2u);
  EXPECT_GT(seed->categories.size(), 50u);
  bool justice = false, health = false;
  for (const auto& c : seed->categories) {
    justice |= c.sensitivity == Sensitivity::kJustice;
    health |= c.sensitivity == Sensitivity::kHealth;
  }
  EXPECT_TRUE(justice);
  EXPECT_TRUE(health);
}

TEST(SeedTest, InconsistentSeedIsRejected) {
  const char* opgaven = "opgave,doel,label_nl,label_en\nFZ,,Geld,Money\n";
  const char* wijken = "code,name\nx,X\n";
  const char* categories = "code,label_nl,label_en,opgave,sensitivity\nC,c,c,FZ,normal\n";
  EXPECT_THAT(ParseSeed("id,name,sector,opgaven\na,A,s,FZ\n", opgaven, categories, wijken),
              IsOk());
  EXPECT_THAT(ParseSeed("id,name,sector,opgaven\na,A,s,XX\n", opgaven, categories, wijken),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown opgave XX")));
  EXPECT_THAT(ParseSeed("id,name,sector,opgaven\na,A,s,FZ\n", opgaven,
                        "code,label_nl,label_en,opgave,sensitivity\nC,c,c,FZ,secret\n", wijken),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown sensitivity")));
  EXPECT_THAT(ParseSeed("id,name\n", opgaven, categories, wijken),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("header")));
}

TEST(ListenAddressTest, AcceptsHostAndPortAndRefusesWhatGrpcWouldBindElsewhere) {
  for (const char* ok : {"127.0.0.1:7443", "[::1]:0", "localhost:1", "schakel.example.nl:65535"}) {
    EXPECT_TRUE(ParseListenAddress("--listen", ok).ok()) << ok;
  }
  EXPECT_EQ(ParseListenAddress("--listen", "[::1]:7443")->host, "[::1]");
  EXPECT_EQ(ParseListenAddress("--listen", "127.0.0.1:7443")->port, 7443);
  const std::pair<const char*, const char*> bad[] = {
      {"127.0.0.1:99999", "a port from 0 to 65535"},
      {":65536", "a port from 0 to 65535"},
      {"0.0.0.0:-1", "a port from 0 to 65535"},
      {"127.0.0.1:80a", "a port from 0 to 65535"},
      {"127.0.0.1", "has no port"},
      {"127.0.0.1:", "has no port"},
      {":7443", "has no host"},
      {"::1:7443", "needs [brackets]"},
      {"[::1:7443", "unclosed"},
      {"[::1]x:7443", "unclosed"},
      {"host name:7443", "invalid host"},
  };
  for (const auto& [text, rule] : bad) {
    EXPECT_THAT(ParseListenAddress("--listen", text),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr("--listen"), HasSubstr(rule))))
        << text;
  }
}

TEST(PageSizeTest, ZeroMeansDefaultAndBoundsAreEnforced) {
  EXPECT_EQ(*ResolvePageSize(0, 50, 100), 50);
  EXPECT_EQ(*ResolvePageSize(100, 50, 100), 100);
  EXPECT_THAT(ResolvePageSize(101, 50, 100),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
  EXPECT_THAT(ResolvePageSize(-1, 50, 100),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

}  // namespace
}  // namespace schakel::domain

namespace schakel::domain {
namespace {

TEST(PrivacyRulesTest, RequestReferencesAreShortPlainAndRequired) {
  struct Case {
    std::string ref;
    bool ok;
  };
  for (const Case& c : std::vector<Case>{{"AVG-2026-0042", true},
                                         {"x", true},
                                         {"FG/2026/17.b_2", true},
                                         {"0123456789", true},
                                         {std::string(64, 'a'), true},
                                         {"", false},
                                         {std::string(65, 'a'), false},
                                         {"AVG\n1", false},
                                         {" AVG-1", false},
                                         {"AVG-1 ", false},
                                         {"AVG 1", false},
                                         {"AVG-\xc3\xa9", false},
                                         {"AVG\"1", false},
                                         {"AVG'1", false},
                                         {"AVG<1>", false},
                                         {"AVG;1", false},
                                         {"AVG\\1", false},
                                         {"AVG,1", false},
                                         {"AVG:1", false},
                                         {"AVG=1", false},
                                         {"AVG%1", false},
                                         {std::string("AVG\0" "1", 5), false}}) {
    absl::Status s = ValidateRequestRef(c.ref);
    EXPECT_EQ(s.ok(), c.ok) << c.ref;
    if (!c.ok) {
      EXPECT_TRUE(absl::StartsWith(s.message(), "request_ref: ")) << s.message();
    }
  }
}

TEST(PrivacyRulesTest, RetentionPeriodsDefaultAndNeverKeepAuditUnderFiveYears) {
  auto p = MakeRetentionPeriods(0, 0, 0);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->cases, absl::Hours(24 * 730));
  EXPECT_EQ(p->trajectories, absl::Hours(24 * 730));
  EXPECT_EQ(p->audit, absl::Hours(24 * 3650));
  auto custom = MakeRetentionPeriods(30, 365, 1826);
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ(custom->cases, absl::Hours(24 * 30));
  absl::Status short_audit = MakeRetentionPeriods(0, 0, 1825).status();
  EXPECT_EQ(short_audit.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(short_audit.message(), "audit_days: "));
  absl::Time now = absl::FromUnixSeconds(1795424400);
  RetentionCutoffs cut = CutoffsAt(*custom, now);
  EXPECT_EQ(cut.cases, now - absl::Hours(24 * 30));
  EXPECT_EQ(cut.trajectories, now - absl::Hours(24 * 365));
}

TEST(PrivacyRulesTest, ARectificationNamesWhatChangesAndFollowsTheRegistrationRules) {
  absl::CivilDay today(2026, 11, 23);
  auto changes = ValidateRectification({"Nieuwe Naam", "1980-01-02", "", "prinsenhof"}, today);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ((*changes)[0].field, "name");
  EXPECT_EQ((*changes)[1].field, "birth_date");
  EXPECT_EQ((*changes)[2].field, "wijk");
  EXPECT_TRUE(absl::StartsWith(ValidateRectification({}, today).status().message(), "name: "));
  EXPECT_TRUE(absl::StartsWith(
      ValidateRectification({"", "2027-01-01", "", ""}, today).status().message(), "birth_date: "));
  EXPECT_TRUE(absl::StartsWith(
      ValidateRectification({"", "", "a\tb", ""}, today).status().message(), "address: "));
  EXPECT_TRUE(absl::StartsWith(
      ValidateRectification({"", "", "", "no wijk!"}, today).status().message(), "wijk: "));
}

}  // namespace
}  // namespace schakel::domain
