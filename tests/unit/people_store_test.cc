// The directory's people in the store (SqlitePeopleStore) on a temporary
// SQLCipher file, and migration 13 over the rows of a database of the
// schema before it.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/crypto/key_wrap.h"
#include "server/domain/people.h"
#include "server/domain/resident.h"
#include "server/domain/seed.h"
#include "server/store/database.h"
#include "server/store/sqlite_database.h"
#include "server/store/directory_store.h"
#include "server/store/migrations.h"
#include "tests/support/directory_records.h"
#include "tests/support/test_support.h"
#include "tests/support/transaction.h"

namespace schakel::store {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> Ids(const PeoplePage& page) {
  std::vector<std::string> out;
  for (const domain::Person& p : page.people) out.push_back(p.id);
  return out;
}

class PeopleStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteDatabase::Open(dir_.File("people.db"), *crypto::NewDatabaseKey(), /*create=*/true);
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
    ASSERT_THAT(ApplyMigrations(*db_), IsOk());
    directory_ = std::make_unique<SqliteDirectoryStore>(db_.get());
    ASSERT_THAT(directory_->LoadSeed(*domain::EmbeddedSeed()), IsOk());
    people_ = std::make_unique<SqlitePeopleStore>(db_.get());
  }

  void Add(const std::string& id, const std::string& name, std::vector<domain::Role> roles,
           const std::string& org = "woej") {
    ProfessionalRecord r = testing::TestProfessionalRecord(id, "req-" + id + "-0000", roles);
    r.professional.display_name = name;
    r.professional.organisation_id = org;
    r.professional.teams = {"intake"};
    if (org == "gemeente-lv") r.professional.teams = {"gebiedsregie"};
    ASSERT_THAT(testing::InTransaction(*db_,
                                       [&](Connection& c) { return directory_->AddProfessional(c, r); }),
                IsOk());
  }

  PeoplePage List(const domain::PeopleQuery& q, const std::string& after = "", int limit = 50) {
    auto page = people_->ListPeople(q, after, limit);
    EXPECT_THAT(page, IsOk());
    return page.ok() ? *page : PeoplePage();
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SqliteDirectoryStore> directory_;
  std::unique_ptr<SqlitePeopleStore> people_;
};

TEST_F(PeopleStoreTest, OnlyProfessionalsWithARoleInEffectAreListed) {
  Add("pa", "Anna de Wit", {domain::Role::kPartner});
  Add("pb", "Bert Pending", {});  // a first grant awaiting approval
  Add("pc", "Carla Zorg", {domain::Role::kGgz, domain::Role::kPartner}, "ggz-rivierduinen");
  PeoplePage all = List({});
  EXPECT_THAT(Ids(all), ElementsAre("pa", "pc"));
  EXPECT_FALSE(all.more);
  const domain::Person& carla = all.people[1];
  EXPECT_EQ(carla.display_name, "Carla Zorg");
  EXPECT_EQ(carla.organisation_id, "ggz-rivierduinen");
  EXPECT_EQ(carla.organisation_name, "GGZ Rivierduinen (Wijk-GGZ)");
  EXPECT_THAT(carla.teams, ElementsAre("intake"));
  EXPECT_THAT(carla.roles, ElementsAre(domain::Role::kGgz, domain::Role::kPartner));
}

TEST_F(PeopleStoreTest, FiltersHoldTogetherAndPagesCountMatchesOnly) {
  Add("p1", "Jan Jansen", {domain::Role::kPartner});
  Add("p2", "Els de Vries", {domain::Role::kPartner});
  Add("p3", "Johan de Jong", {domain::Role::kRegisseur}, "gemeente-lv");
  Add("p4", "Joke Smit", {domain::Role::kPartner});
  Add("p5", "Piet Jorissen", {domain::Role::kPartner});
  domain::PeopleQuery q;
  q.name_key = domain::NameKey("JO");
  EXPECT_THAT(Ids(List(q)), ElementsAre("p3", "p4", "p5"));
  // The page is full after two matches; the rows skipped by the name do
  // not count, and the next page starts after the last match.
  PeoplePage first = List(q, "", 2);
  EXPECT_THAT(Ids(first), ElementsAre("p3", "p4"));
  EXPECT_TRUE(first.more);
  PeoplePage second = List(q, "p4", 2);
  EXPECT_THAT(Ids(second), ElementsAre("p5"));
  EXPECT_FALSE(second.more);

  q.organisation_id = "woej";
  EXPECT_THAT(Ids(List(q)), ElementsAre("p4", "p5"));
  q.role = domain::Role::kRegisseur;
  EXPECT_THAT(Ids(List(q)), IsEmpty());
  domain::PeopleQuery by_team;
  by_team.organisation_id = "gemeente-lv";
  by_team.team = "gebiedsregie";
  EXPECT_THAT(Ids(List(by_team)), ElementsAre("p3"));
  by_team.team = "vth";
  EXPECT_THAT(Ids(List(by_team)), IsEmpty());
  domain::PeopleQuery de;
  de.name_key = domain::NameKey("de ");
  EXPECT_THAT(Ids(List(de)), ElementsAre("p2", "p3"));
}

TEST_F(PeopleStoreTest, DisabledProfessionalsOnlyWhenAskedFor) {
  Add("p1", "Jan Jansen", {domain::Role::kPartner});
  Add("p2", "Els de Vries", {domain::Role::kPartner});
  ASSERT_THAT(testing::InTransaction(
                  *db_, [&](Connection& c) { return directory_->DisableProfessional(c, "p1"); }),
              IsOk());
  EXPECT_THAT(Ids(List({})), ElementsAre("p2"));
  domain::PeopleQuery q;
  q.include_disabled = true;
  PeoplePage page = List(q);
  ASSERT_THAT(Ids(page), ElementsAre("p1", "p2"));
  EXPECT_TRUE(page.people[0].disabled);
  EXPECT_FALSE(page.people[1].disabled);
}

TEST_F(PeopleStoreTest, WorkContactIsWrittenWholeAndReportsWhatItWas) {
  Add("p1", "Jan Jansen", {domain::Role::kPartner});
  auto set = testing::InTransaction(*db_, [&](Connection& c) {
    return people_->SetWorkContact(c, "p1", {"070 123 45 67", "jan@woej.nl"});
  });
  ASSERT_THAT(set, IsOk());
  EXPECT_EQ(set->before.phone, "");
  EXPECT_EQ(set->after.contact.phone, "070 123 45 67");
  EXPECT_EQ(set->after.contact.email, "jan@woej.nl");
  EXPECT_THAT(set->after.roles, ElementsAre(domain::Role::kPartner));
  auto cleared = testing::InTransaction(
      *db_, [&](Connection& c) { return people_->SetWorkContact(c, "p1", {"", "jan@woej.nl"}); });
  ASSERT_THAT(cleared, IsOk());
  EXPECT_EQ(cleared->before.phone, "070 123 45 67");
  PeoplePage page = List({});
  ASSERT_EQ(page.people.size(), 1u);
  EXPECT_EQ(page.people[0].contact.phone, "");
  EXPECT_EQ(page.people[0].contact.email, "jan@woej.nl");
  EXPECT_THAT(testing::InTransaction(
                  *db_, [&](Connection& c) { return people_->SetWorkContact(c, "pnone", {}); }),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("professional_id: no professional")));
}

TEST_F(PeopleStoreTest, NamesOfTheIdsThatExist) {
  Add("p1", "Jan Jansen", {domain::Role::kPartner});
  auto names = people_->Names({"p1", "p1", "pgone", ""}, {"woej", "nowhere"});
  ASSERT_THAT(names, IsOk());
  EXPECT_EQ(names->professionals.size(), 1u);
  EXPECT_EQ(names->professionals.at("p1"), "Jan Jansen");
  EXPECT_EQ(names->organisations.size(), 1u);
  EXPECT_EQ(names->organisations.at("woej"), "Woej");
}

// Migration 13 over a database of schema 12: the professionals keep every
// column and row, get empty work contact data, and the directory reads and
// writes it. (12 is whatever precedes 13; 13 reads nothing of it.)
TEST(PeopleMigrationTest, ThirteenAddsEmptyWorkContactToEveryProfessional) {
  TempDir dir;
  auto db = SqliteDatabase::Open(dir.File("old.db"), *crypto::NewDatabaseKey(), /*create=*/true);
  ASSERT_THAT(db, IsOk());
  ASSERT_THAT(ApplyMigrations(**db, 12), IsOk());
  ASSERT_THAT((*db)->SchemaVersion(), IsOk());
  EXPECT_EQ(*(*db)->SchemaVersion(), 12);
  SqliteDirectoryStore directory(db->get());
  ASSERT_THAT(directory.LoadSeed(*domain::EmbeddedSeed()), IsOk());
  ASSERT_THAT((*db)->Write([](Connection& c) {
    return c.Exec(
        "INSERT INTO professionals (id, organisation_id, display_name, disabled, create_time)"
        " VALUES ('pold', 'woej', 'Oude Collega', 0, 1700000000000000),"
        " ('poff', 'woej', 'Uit Dienst', 1, 1700000000000000);"
        "INSERT INTO professional_roles (professional_id, role) VALUES ('pold', 'partner'),"
        " ('poff', 'partner');"
        "INSERT INTO team_members (professional_id, organisation_id, team_id, since)"
        " VALUES ('pold', 'woej', 'intake', 1700000000000000);",
        "old rows");
  }),
              IsOk());
  // (SQLite 3.15 has no pragma_table_info(); the table's SQL names its columns.)
  EXPECT_EQ(testing::QueryInt(**db, "SELECT instr(sql, 'work_phone') FROM sqlite_master"
                                    " WHERE name = 'professionals'"),
            0);

  ASSERT_THAT(ApplyMigrations(**db), IsOk());
  EXPECT_EQ(*(*db)->SchemaVersion(), LatestSchemaVersion());
  EXPECT_EQ(testing::QueryInt(**db, "SELECT count(*) FROM professionals"
                                    " WHERE work_phone = '' AND work_email = ''"),
            2);
  SqlitePeopleStore people(db->get());
  domain::PeopleQuery q;
  q.include_disabled = true;
  auto page = people.ListPeople(q, "", 10);
  ASSERT_THAT(page, IsOk());
  ASSERT_THAT(Ids(*page), ElementsAre("poff", "pold"));
  const domain::Person& old = page->people[1];
  EXPECT_EQ(old.display_name, "Oude Collega");
  EXPECT_THAT(old.teams, ElementsAre("intake"));
  EXPECT_EQ(old.contact.phone, "");
  EXPECT_TRUE(page->people[0].disabled);
  auto set = testing::InTransaction(**db, [&](Connection& c) {
    return people.SetWorkContact(c, "pold", {"+31 70 000 00 00", "oud@woej.nl"});
  });
  ASSERT_THAT(set, IsOk());
  EXPECT_EQ(set->after.contact.email, "oud@woej.nl");
  // Running the migrations again changes nothing.
  ASSERT_THAT(ApplyMigrations(**db), IsOk());
  EXPECT_EQ(testing::QueryText(**db, "SELECT work_email FROM professionals WHERE id = 'pold'"),
            "oud@woej.nl");
}

}  // namespace
}  // namespace schakel::store
