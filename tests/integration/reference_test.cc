// ReferenceService over the real server (TLS on loopback, a real SQLCipher
// demo deployment): the taxonomy, wijken and opgaven equal the seed files
// of deploy/seed/, read here independently of the binary's embedded copy;
// the fixed vocabularies equal the domain's and name every value of the
// API's enums exactly once (issue 20, item 3).
#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/handovers.pb.h"
#include "schakel/v1/reference.grpc.pb.h"
#include "schakel/v1/signals.pb.h"
#include "schakel/v1/trajectories.pb.h"
#include "server/deployment/init.h"
#include "server/domain/purpose.h"
#include "server/domain/reference.h"
#include "server/domain/seed.h"
#include "server/domain/trajectory.h"
#include "tests/integration/case_fixture.h"

namespace schakel::testing {
namespace {

using ::testing::HasSubstr;
using C = grpc::StatusCode;

std::string ReadSeedFile(const std::string& name) {
  std::ifstream in(absl::StrCat(SCHAKEL_SOURCE_DIR, "/deploy/seed/", name));
  EXPECT_TRUE(in.good()) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

domain::SeedData SeedFiles() {
  auto seed = domain::ParseSeed(ReadSeedFile("partners.csv"), ReadSeedFile("opgaven.csv"),
                                ReadSeedFile("signal_categories.csv"),
                                ReadSeedFile("wijken.csv"));
  EXPECT_THAT(seed, IsOk());
  return seed.ok() ? *seed : domain::SeedData();
}

class ReferenceTest : public CasesTest {
 protected:
  std::unique_ptr<v1::ReferenceService::Stub> Reference(const std::string& user) {
    return v1::ReferenceService::NewStub(
        MakeChannel(server_->address(), LoadIdentity(paths_->UserDir(user))));
  }

  v1::ListCategoriesResponse Categories(const std::string& opgave, grpc::Status* status) {
    v1::ListCategoriesRequest req;
    req.set_opgave(opgave);
    v1::ListCategoriesResponse out;
    Ctx ctx;
    *status = Reference("partner-woej")->ListCategories(ctx.get(), req, &out);
    return out;
  }

  v1::ListVocabulariesResponse Vocabularies(const std::string& name, grpc::Status* status) {
    v1::ListVocabulariesRequest req;
    req.set_name(name);
    v1::ListVocabulariesResponse out;
    Ctx ctx;
    *status = Reference("analyst")->ListVocabularies(ctx.get(), req, &out);
    return out;
  }
};

TEST_F(ReferenceTest, EveryRoleReadsItAndEachReadIsAudited) {
  for (const deployment::DemoUser& u : deployment::DemoUsers()) {
    auto stub = Reference(u.name);
    {
      Ctx ctx;
      v1::ListCategoriesResponse out;
      EXPECT_TRUE(stub->ListCategories(ctx.get(), {}, &out).ok()) << u.name;
    }
    {
      Ctx ctx;
      v1::ListWijkenResponse out;
      EXPECT_TRUE(stub->ListWijken(ctx.get(), {}, &out).ok()) << u.name;
    }
    {
      Ctx ctx;
      v1::ListOpgavenResponse out;
      EXPECT_TRUE(stub->ListOpgaven(ctx.get(), {}, &out).ok()) << u.name;
    }
    {
      Ctx ctx;
      v1::ListVocabulariesResponse out;
      EXPECT_TRUE(stub->ListVocabularies(ctx.get(), {}, &out).ok()) << u.name;
    }
  }
  auto auditor = v1::AuditService::NewStub(
      MakeChannel(server_->address(), LoadIdentity(paths_->UserDir("auditor"))));
  for (const char* action :
       {"ReferenceService.ListCategories", "ReferenceService.ListWijken",
        "ReferenceService.ListOpgaven", "ReferenceService.ListVocabularies"}) {
    v1::QueryAuditRequest req;
    req.set_action(action);
    req.set_page_size(500);
    v1::QueryAuditResponse out;
    Ctx ctx;
    ASSERT_TRUE(auditor->QueryAudit(ctx.get(), req, &out).ok());
    EXPECT_EQ(out.entries_size(), static_cast<int>(deployment::DemoUsers().size())) << action;
    for (const v1::AuditEntry& e : out.entries()) {
      EXPECT_EQ(e.outcome(), "allowed");
      EXPECT_EQ(e.resource_type(), "reference");
    }
  }
}

TEST_F(ReferenceTest, TheTaxonomyIsTheSeed) {
  const domain::SeedData seed = SeedFiles();
  std::map<std::string, domain::SignalCategory> expected;
  for (const domain::SignalCategory& c : seed.categories) expected[c.code] = c;
  grpc::Status s;
  v1::ListCategoriesResponse all = Categories("", &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(all.categories_size(), static_cast<int>(expected.size()));
  auto it = expected.begin();
  for (const v1::SignalCategory& c : all.categories()) {
    EXPECT_EQ(c.code(), it->first);  // ordered by code
    EXPECT_EQ(c.label_nl(), it->second.label_nl);
    EXPECT_EQ(c.label_en(), it->second.label_en);
    EXPECT_EQ(c.opgave(), it->second.opgave);
    EXPECT_EQ(c.sensitivity(), std::string(domain::SensitivityName(it->second.sensitivity)));
    ++it;
  }
  for (const domain::Opgave& o : seed.opgaven) {
    v1::ListCategoriesResponse of = Categories(o.code, &s);
    ASSERT_TRUE(s.ok()) << s.error_message();
    int count = 0;
    for (const auto& [code, c] : expected) count += c.opgave == o.code;
    EXPECT_EQ(of.categories_size(), count) << o.code;
    for (const v1::SignalCategory& c : of.categories()) EXPECT_EQ(c.opgave(), o.code);
  }
  Categories("XX", &s);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("opgave: not a known opgave; one of"));
  EXPECT_THAT(s.error_message(), HasSubstr("JO"));
}

TEST_F(ReferenceTest, WijkenAndOpgavenWithTheirDoelenAreTheSeed) {
  const domain::SeedData seed = SeedFiles();
  auto stub = Reference("brugfunctionaris");
  v1::ListWijkenResponse wijken;
  {
    Ctx ctx;
    ASSERT_TRUE(stub->ListWijken(ctx.get(), {}, &wijken).ok());
  }
  std::map<std::string, std::string> expected_wijken;
  for (const domain::Wijk& w : seed.wijken) expected_wijken[w.code] = w.name;
  std::map<std::string, std::string> got_wijken;
  for (const v1::Wijk& w : wijken.wijken()) got_wijken[w.code()] = w.name();
  EXPECT_EQ(got_wijken, expected_wijken);
  EXPECT_EQ(wijken.wijken_size(), static_cast<int>(seed.wijken.size()));

  v1::ListOpgavenResponse opgaven;
  {
    Ctx ctx;
    ASSERT_TRUE(stub->ListOpgaven(ctx.get(), {}, &opgaven).ok());
  }
  ASSERT_EQ(opgaven.opgaven_size(), static_cast<int>(seed.opgaven.size()));
  std::string previous;
  int doelen = 0;
  for (const v1::Opgave& o : opgaven.opgaven()) {
    EXPECT_LT(previous, o.code());
    previous = o.code();
    const domain::Opgave* want = nullptr;
    for (const domain::Opgave& s : seed.opgaven) {
      if (s.code == o.code()) want = &s;
    }
    ASSERT_NE(want, nullptr) << o.code();
    EXPECT_EQ(o.label_nl(), want->label_nl);
    EXPECT_EQ(o.label_en(), want->label_en);
    std::vector<const domain::Doel*> want_doelen;
    for (const domain::Doel& d : seed.doelen) {
      if (d.opgave == o.code()) want_doelen.push_back(&d);
    }
    std::sort(want_doelen.begin(), want_doelen.end(),
              [](const domain::Doel* a, const domain::Doel* b) { return a->number < b->number; });
    ASSERT_EQ(o.doelen_size(), static_cast<int>(want_doelen.size())) << o.code();
    for (int i = 0; i < o.doelen_size(); ++i) {
      EXPECT_EQ(o.doelen(i).number(), want_doelen[i]->number);
      EXPECT_EQ(o.doelen(i).label_nl(), want_doelen[i]->label_nl);
      EXPECT_EQ(o.doelen(i).label_en(), want_doelen[i]->label_en);
    }
    doelen += o.doelen_size();
  }
  EXPECT_EQ(doelen, static_cast<int>(seed.doelen.size()));
  EXPECT_GT(doelen, 0);
}

// The vocabularies as the domain holds them, and for each enum vocabulary
// every value of the API's enum but UNSPECIFIED exactly once, in order,
// with the name the JSON mapping prints: one table maps JSON and tables.
TEST_F(ReferenceTest, ThePurposesAreTheDeploymentsAndEachIsAccepted) {
  const domain::PurposePolicy& want = domain::DefaultPurposePolicy();
  auto stub = Reference("partner-woej");
  v1::ListPurposesResponse got;
  {
    Ctx ctx;
    ASSERT_TRUE(stub->ListPurposes(ctx.get(), {}, &got).ok());
  }
  ASSERT_EQ(got.purposes_size(), static_cast<int>(want.codes.size()));
  for (int i = 0; i < got.purposes_size(); ++i) {
    EXPECT_EQ(got.purposes(i).code(), want.codes[i].code);
    EXPECT_EQ(got.purposes(i).label_nl(), want.codes[i].label_nl);
  }
  EXPECT_EQ(got.default_code(), want.default_code);
  EXPECT_FALSE(got.allow_other());
  // Every code offered is one a request may send.
  for (const v1::Purpose& p : got.purposes()) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-schakel-purpose", p.code());
    v1::ListPurposesResponse again;
    EXPECT_TRUE(stub->ListPurposes(&ctx, {}, &again).ok()) << p.code();
  }
}

TEST_F(ReferenceTest, TheVocabulariesAreTheDomainsAndCoverTheApisEnums) {
  grpc::Status s;
  v1::ListVocabulariesResponse got = Vocabularies("", &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::vector<domain::Vocabulary>& domain_vocabularies = domain::FixedVocabularies();
  ASSERT_EQ(got.vocabularies_size(), static_cast<int>(domain_vocabularies.size()));
  const std::map<std::string, const google::protobuf::EnumDescriptor*> enums = {
      {"handover_outcome", v1::Outcome_descriptor()},
      {"handover_status", v1::HandoverStatus_descriptor()},
      {"signal_status", v1::SignalStatus_descriptor()},
      {"urgency", v1::Urgency_descriptor()},
      {"note_visibility", v1::NoteVisibility_descriptor()},
      {"step_type", v1::StepType_descriptor()},
      {"step_status", v1::StepStatus_descriptor()},
      {"trajectory_status", v1::TrajectoryStatus_descriptor()},
      {"role", v1::Role_descriptor()},
  };
  for (int i = 0; i < got.vocabularies_size(); ++i) {
    const v1::Vocabulary& v = got.vocabularies(i);
    const domain::Vocabulary& want = domain_vocabularies[i];
    ASSERT_EQ(v.name(), want.name);
    ASSERT_EQ(v.terms_size(), static_cast<int>(want.terms.size())) << v.name();
    for (int j = 0; j < v.terms_size(); ++j) {
      EXPECT_EQ(v.terms(j).code(), want.terms[j].code) << v.name();
      EXPECT_EQ(v.terms(j).label_nl(), want.terms[j].label_nl) << v.name();
      EXPECT_EQ(v.terms(j).label_en(), want.terms[j].label_en) << v.name();
    }
    auto e = enums.find(v.name());
    if (e == enums.end()) continue;
    const google::protobuf::EnumDescriptor* d = e->second;
    EXPECT_EQ(v.api_type(), d->full_name());
    ASSERT_EQ(v.terms_size(), d->value_count() - 1) << v.name();
    for (int j = 0; j < v.terms_size(); ++j) {
      const google::protobuf::EnumValueDescriptor* value = d->value(j + 1);
      EXPECT_EQ(v.terms(j).enum_name(), value->name());
      EXPECT_EQ(v.terms(j).number(), value->number());
      EXPECT_TRUE(absl::EndsWith(value->name(), absl::AsciiStrToUpper(v.terms(j).code())))
          << value->name();
    }
  }

  // The lawful bases are the fields of LawfulBasis's oneof, by name.
  v1::ListVocabulariesResponse bases = Vocabularies("lawful_basis", &s);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(bases.vocabularies_size(), 1);
  const v1::Vocabulary& basis = bases.vocabularies(0);
  EXPECT_EQ(basis.api_type(), "schakel.v1.LawfulBasis.basis");
  const google::protobuf::OneofDescriptor* oneof =
      v1::LawfulBasis::descriptor()->FindOneofByName("basis");
  ASSERT_NE(oneof, nullptr);
  ASSERT_EQ(basis.terms_size(), oneof->field_count());
  for (int j = 0; j < basis.terms_size(); ++j) {
    EXPECT_EQ(basis.terms(j).code(), oneof->field(j)->name());
    EXPECT_EQ(basis.terms(j).number(), oneof->field(j)->number());
    EXPECT_EQ(basis.terms(j).enum_name(), "");
  }
  EXPECT_EQ(basis.terms(1).code(), "legal_task");
  EXPECT_EQ(basis.terms(1).label_nl(), "wettelijke taak");

  // The ladder: rungs 1..6 with the trajectory domain's labels.
  v1::ListVocabulariesResponse ladder = Vocabularies("ladder_rung", &s);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(ladder.vocabularies(0).terms_size(), domain::kMaxRung);
  for (int rung = domain::kMinRung; rung <= domain::kMaxRung; ++rung) {
    const v1::VocabularyTerm& t = ladder.vocabularies(0).terms(rung - 1);
    EXPECT_EQ(t.number(), rung);
    EXPECT_EQ(t.code(), absl::StrCat(rung));
    EXPECT_EQ(t.label_nl(), domain::RungLabelNl(rung));
  }
  EXPECT_EQ(ladder.vocabularies(0).api_type(), "int32");

  Vocabularies("ladder", &s);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("name: not a vocabulary; one of lawful_basis"));
}

}  // namespace
}  // namespace schakel::testing
