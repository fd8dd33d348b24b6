// The directory's people and the fixed vocabularies as domain code: the
// rules of work contact data, the name match of ListPeople, and the
// vocabularies' codes against the domain's own enums, all as tables.
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/domain/directory.h"
#include "server/domain/handover.h"
#include "server/domain/note.h"
#include "server/domain/people.h"
#include "server/domain/reference.h"
#include "server/domain/resident.h"
#include "server/domain/signal.h"
#include "server/domain/trajectory.h"
#include "tests/support/test_support.h"

namespace schakel::domain {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(WorkContactTest, ValidValuesAndEmptyOnesPass) {
  for (const WorkContact& c : std::vector<WorkContact>{
           {"", ""},
           {"+31 70 123 45 67", "j.jansen@woej.nl"},
           {"(070) 123-4567", ""},
           {"", "zoë.de.vries@gemeente.leidschendam-voorburg.nl"},
           {std::string(30, '1'), std::string(188, 'a') + "@example.org"},
       }) {
    EXPECT_THAT(ValidateWorkContact(c), IsOk()) << c.phone << " / " << c.email;
  }
}

TEST(WorkContactTest, EachBrokenRuleNamesItsFieldAndNeverTheValue) {
  struct Case {
    WorkContact contact;
    const char* field;
    const char* rule;
  };
  const Case kCases[] = {
      {{std::string(31, '1'), ""}, "work_phone", "at most 30"},
      {{"070-1234567 ext", ""}, "work_phone", "only digits"},
      {{"070.1234567", ""}, "work_phone", "only digits"},
      {{"+( )-", ""}, "work_phone", "a digit"},
      {{"", "geen-apenstaart.nl"}, "work_email", "exactly one @"},
      {{"", "a@b@c.nl"}, "work_email", "exactly one @"},
      {{"", "@woej.nl"}, "work_email", "before the @"},
      {{"", "jan@localhost"}, "work_email", "dot"},
      {{"", "jan@.woej"}, "work_email", "dot"},
      {{"", "jan@woej."}, "work_email", "dot"},
      {{"", "jan jansen@woej.nl"}, "work_email", "no spaces"},
      {{"", "jan\t@woej.nl"}, "work_email", "control"},
      {{"", std::string("jan\x01@woej.nl")}, "work_email", "control"},
      {{"", std::string(189, 'a') + "@example.org"}, "work_email", "at most 200"},
  };
  for (const Case& c : kCases) {
    absl::Status s = ValidateWorkContact(c.contact);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr(std::string(c.field) + ":"), HasSubstr(c.rule))))
        << c.contact.phone << " / " << c.contact.email;
    const std::string& value = c.contact.phone.empty() ? c.contact.email : c.contact.phone;
    EXPECT_THAT(std::string(s.message()), Not(HasSubstr(value)));
  }
}

TEST(WorkContactTest, TheChangeTextNamesFieldsNotValues) {
  EXPECT_EQ(WorkContactChangeText({"", ""}, {"070 1", "a@b.nl"}),
            "work_phone set, work_email set");
  EXPECT_EQ(WorkContactChangeText({"070 1", "a@b.nl"}, {"070 2", ""}),
            "work_phone changed, work_email cleared");
  EXPECT_EQ(WorkContactChangeText({"070 1", "a@b.nl"}, {"070 1", "a@b.nl"}),
            "work_phone unchanged, work_email unchanged");
}

// The directory matches names as a resident search does
// (domain::NameMatches): every word asked for begins a word of the name.
TEST(NameMatchTest, EveryWordBeginsAWordOfTheNameInAnyCase) {
  struct Case {
    const char* query;
    const char* name;
    bool matches;
  };
  const Case kCases[] = {
      {"jan", "Jan Jansen", true},        {"JANS", "Jan Jansen", true},
      {"jansen", "Jan Jansen", true},     {"ansen", "Jan Jansen", false},
      {"de v", "Els de Vries", true},     {"  De   V ", "Els de Vries", true},
      {"e v", "Els de Vries", true},      {"vries", "Els de Vries", true},
      {"marie", "Anne-Marie Bos", true},  {"jan jansen x", "Jan Jansen", false},
      {"zoe", "Zoë Bakker", true},        {"piet", "Jan Jansen", false},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(NameMatches(NameKey(c.name), NameKey(c.query)), c.matches)
        << c.query << " / " << c.name;
  }
}

TEST(NameMatchTest, AnUnknownRoleWordListsTheValidOnes) {
  EXPECT_THAT(ParseRoleWord("role", "bridge_officer"), IsOk());
  EXPECT_THAT(ParseRoleWord("role", "brugfunctionaris"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("role: not a role"), HasSubstr("bridge_officer"),
                             HasSubstr("privacy_officer"), HasSubstr("regisseur"))));
}

// Each vocabulary's codes, in order, are the words the domain's own
// parser reads back as the enum value of that position: a row added,
// dropped or reordered fails here.
template <typename E, typename Parse>
void ExpectCodesOf(const Vocabulary& v, int count, Parse parse) {
  ASSERT_EQ(static_cast<int>(v.terms.size()), count) << v.name;
  for (int i = 0; i < count; ++i) {
    std::optional<E> parsed = parse(v.terms[i].code);
    ASSERT_TRUE(parsed.has_value()) << v.name << " " << v.terms[i].code;
    EXPECT_EQ(static_cast<int>(*parsed), i) << v.name << " " << v.terms[i].code;
  }
}

const Vocabulary& Find(const std::string& name) {
  for (const Vocabulary& v : FixedVocabularies()) {
    if (v.name == name) return v;
  }
  ADD_FAILURE() << "no vocabulary " << name;
  static const Vocabulary* none = new Vocabulary;
  return *none;
}

TEST(VocabularyTest, TheVocabulariesComeInTheOrderOfTheirNames) {
  std::vector<std::string> names;
  for (const Vocabulary& v : FixedVocabularies()) names.push_back(v.name);
  EXPECT_EQ(names, std::vector<std::string>(std::begin(kVocabularyNames),
                                            std::end(kVocabularyNames)));
}

TEST(VocabularyTest, EveryCodeIsTheDomainsWordForItsValue) {
  auto s = [](auto parse) { return [parse](const std::string& c) { return parse(c); }; };
  ExpectCodesOf<HandoverStatus>(Find("handover_status"), 7, s(ParseHandoverStatus));
  ExpectCodesOf<Outcome>(Find("handover_outcome"), 4, s(ParseOutcome));
  ExpectCodesOf<SignalStatus>(Find("signal_status"), 5, s(ParseSignalStatus));
  ExpectCodesOf<Urgency>(Find("urgency"), 4, s(ParseUrgency));
  ExpectCodesOf<StepType>(Find("step_type"), 9, s(ParseStepType));
  ExpectCodesOf<StepStatus>(Find("step_status"), 4, s(ParseStepStatus));
  ExpectCodesOf<TrajectoryStatus>(Find("trajectory_status"), 3, s(ParseTrajectoryStatus));
  ExpectCodesOf<NoteVisibility>(Find("note_visibility"), 3, [](const std::string& c) {
    NoteVisibility v;
    return ParseNoteVisibility(c, &v) ? std::optional<NoteVisibility>(v) : std::nullopt;
  });
  ExpectCodesOf<Role>(Find("role"), static_cast<int>(AllRoles().size()),
                      [](const std::string& c) { return ParseRole(c); });
  ExpectCodesOf<BasisKind>(Find("lawful_basis"), 3, [](const std::string& c) {
    for (BasisKind k : {BasisKind::kConsent, BasisKind::kLegalTask, BasisKind::kVitalInterest}) {
      if (c == BasisKindName(k)) return std::optional<BasisKind>(k);
    }
    return std::optional<BasisKind>();
  });
  ExpectCodesOf<Sensitivity>(Find("sensitivity"), 4, [](const std::string& c) {
    for (Sensitivity k : {Sensitivity::kNormal, Sensitivity::kSensitive, Sensitivity::kHealth,
                          Sensitivity::kJustice}) {
      if (c == SensitivityName(k)) return std::optional<Sensitivity>(k);
    }
    return std::optional<Sensitivity>();
  });
  EXPECT_EQ(Find("lawful_basis").terms[1].code, "legal_task");
}

TEST(VocabularyTest, TheLadderIsTheTrajectoryDomainsOwn) {
  const Vocabulary& ladder = Find("ladder_rung");
  ASSERT_EQ(ladder.terms.size(), static_cast<size_t>(kMaxRung));
  for (int rung = kMinRung; rung <= kMaxRung; ++rung) {
    const VocabularyTerm& t = ladder.terms[rung - 1];
    EXPECT_EQ(t.code, std::to_string(rung));
    EXPECT_EQ(t.rung, rung);
    EXPECT_EQ(t.label_nl, RungLabelNl(rung));
    EXPECT_EQ(t.label_en, RungLabelEn(rung));
  }
}

TEST(VocabularyTest, EveryTermHasBothLabelsAndAUniqueCode) {
  for (const Vocabulary& v : FixedVocabularies()) {
    std::set<std::string> codes;
    for (const VocabularyTerm& t : v.terms) {
      EXPECT_FALSE(t.label_nl.empty()) << v.name << " " << t.code;
      EXPECT_FALSE(t.label_en.empty()) << v.name << " " << t.code;
      EXPECT_TRUE(codes.insert(t.code).second) << v.name << " " << t.code;
      if (v.name != "ladder_rung") {
        EXPECT_EQ(t.rung, 0) << v.name;
      }
    }
  }
}

}  // namespace
}  // namespace schakel::domain
