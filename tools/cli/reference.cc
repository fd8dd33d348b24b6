// schakel people | categories | wijken | opgaven | vocabularies
//
// The directory of colleagues (DirectoryService.ListPeople) and the
// reference data (ReferenceService): the taxonomy, the wijken, the opgaven
// and the fixed vocabularies with their Dutch labels.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/cli/command.h"

namespace schakel::cli {
namespace {

std::string Roles(const google::protobuf::RepeatedField<int>& roles) {
  std::vector<std::string> words;
  for (int r : roles) words.push_back(EnumWord(v1::Role_descriptor(), "ROLE_", r));
  return words.empty() ? "-" : absl::StrJoin(words, ",");
}

int People(Invocation& in) {
  Flags f(in);
  v1::ListPeopleRequest request;
  request.set_organisation_id(f.Optional("org"));
  request.set_team(f.Optional("team"));
  request.set_name(f.Optional("name"));
  if (f.Has("role")) {
    int role = f.Enum("role", v1::Role_descriptor(), "ROLE_", /*required=*/false);
    request.set_role(EnumWord(v1::Role_descriptor(), "ROLE_", role));
  }
  if (f.Has("team") && request.organisation_id().empty()) {
    f.Error(absl::InvalidArgumentError("--team: only with --org ORG, its organisation"));
  }
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  if (absl::Status s =
          CheckReference(**client, "org", "organisation", request.organisation_id());
      !s.ok()) {
    return Fail(s);
  }
  auto all = (*client)->ListAllPeople(request);
  if (!all.ok()) return Fail(all.status());
  v1::ListPeopleResponse response;
  for (auto& p : *all) *response.add_people() = std::move(p);
  tools::Table table{{"NAME", "ORGANISATION", "TEAMS", "ROLES", "PHONE", "E-MAIL", "ID"}, {}, {}};
  for (const v1::Person& p : response.people()) {
    table.rows.push_back({Cell(p.display_name()), NameId(p.organisation_name(), p.organisation_id()),
                          Cell(absl::StrJoin(p.teams(), ",")), Roles(p.roles()),
                          Cell(p.work_phone()), Cell(p.work_email()), Cell(p.id())});
  }
  return PrintList(in, response, table);
}

int Categories(Invocation& in) {
  Flags f(in);
  std::string opgave = f.Optional("opgave");
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  if (absl::Status s = CheckReference(**client, "opgave", "opgave", opgave); !s.ok()) {
    return Fail(s);
  }
  auto r = (*client)->ListCategories(opgave);
  if (!r.ok()) return Fail(r.status());
  tools::Table table{{"CODE", "LABEL", "OPGAVE", "SENSITIVITY"}, {}, {}};
  for (const v1::SignalCategory& c : r->categories()) {
    table.rows.push_back(
        {Cell(c.code()), Cell(c.label_nl()), Cell(c.opgave()), Cell(c.sensitivity())});
  }
  return PrintList(in, *r, table);
}

int Wijken(Invocation& in) {
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->ListWijken();
  if (!r.ok()) return Fail(r.status());
  tools::Table table{{"CODE", "NAME"}, {}, {}};
  for (const v1::Wijk& w : r->wijken()) table.rows.push_back({Cell(w.code()), Cell(w.name())});
  return PrintList(in, *r, table);
}

// One row per doel, the opgave on each (so that CSV stays one table).
int Opgaven(Invocation& in) {
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->ListOpgaven();
  if (!r.ok()) return Fail(r.status());
  tools::Table table{{"CODE", "LABEL", "DOEL", "DOEL LABEL"}, {}, {false, false, true}};
  for (const v1::Opgave& o : r->opgaven()) {
    if (o.doelen().empty()) table.rows.push_back({Cell(o.code()), Cell(o.label_nl()), "-", "-"});
    for (const v1::Doel& d : o.doelen()) {
      table.rows.push_back(
          {Cell(o.code()), Cell(o.label_nl()), absl::StrCat(d.number()), Cell(d.label_nl())});
    }
  }
  return PrintList(in, *r, table);
}

int Vocabularies(Invocation& in) {
  Flags f(in);
  std::string name = f.Optional("name");
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->ListVocabularies(name);
  if (!r.ok()) return Fail(r.status());
  tools::Table table{{"VOCABULARY", "CODE", "LABEL", "LABEL (EN)"}, {}, {}};
  for (const v1::Vocabulary& v : r->vocabularies()) {
    for (const v1::VocabularyTerm& t : v.terms()) {
      table.rows.push_back(
          {Cell(v.name()), Cell(t.code()), Cell(t.label_nl()), Cell(t.label_en())});
    }
  }
  return PrintList(in, *r, table);
}

}  // namespace

std::vector<Command> ReferenceCommands() {
  return {
      {"", "people", "", {"org", "team", "role", "name"},
       "[--org ORG] [--team T] [--role R] [--name N]", People},
      {"", "categories", "", {"opgave"}, "[--opgave O]", Categories},
      {"", "wijken", "", {}, "", Wijken},
      {"", "opgaven", "", {}, "", Opgaven},
      {"", "vocabularies", "", {"name"}, "[--name V]", Vocabularies},
  };
}

}  // namespace schakel::cli
