// schakel resident register | find | show | duplicates | merge
// schakel breakglass open
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/cli/command.h"

namespace schakel::cli {
namespace {

// Residents in columns sized by display width (names with ë, Ü or a CJK
// character line up).
tools::Table ResidentTable(const google::protobuf::RepeatedPtrField<v1::Resident>& residents) {
  tools::Table table{{"ID", "NAME", "BIRTH DATE", "WIJK", "ADDRESS"}, {}, {}};
  for (const v1::Resident& r : residents) {
    table.rows.push_back({Cell(r.id()), Cell(r.name()), Cell(r.birth_date()), Cell(r.wijk()),
                          Cell(r.address())});
  }
  return table;
}

void ShowResident(const v1::Resident& r) {
  Field("id", r.id());
  Field("name", r.name());
  Field("birth date", r.birth_date());
  Field("address", r.address());
  Field("wijk", r.wijk());
  Field("registered", Time(r.create_time()));
}

int Register(Invocation& in) {
  Flags f(in);
  v1::RegisterResidentRequest request;
  request.set_name(f.Required("name"));
  request.set_birth_date(f.Date("birth-date", /*required=*/true));
  request.set_address(f.Required("address"));
  request.set_wijk(f.Required("wijk"));
  request.set_register_anyway(f.Has("anyway"));
  request.set_team(f.Optional("team"));
  request.set_request_id(f.RequestId());
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->RegisterResident(request);
  if (!r.ok()) return FailCreate(r.status(), request.request_id());

  // The outcome says what happened; a server from before it says it by
  // the id alone.
  const bool registered =
      r->outcome() == v1::RegisterResidentResponse::OUTCOME_REGISTERED ||
      (r->outcome() == v1::RegisterResidentResponse::OUTCOME_UNSPECIFIED && !r->id().empty());
  if (registered) {
    return Print(in, *r, [&] { std::cout << r->id() << "\n"; });
  }
  // Nothing was created: the caller can see a resident with this name and
  // birth date. Show the matches, then ask for confirmation.
  if (r->matches().empty() || request.register_anyway()) {
    return Fail(absl::InternalError("the server created no resident and gave no reason"));
  }
  int code = PrintList(in, *r, ResidentTable(r->matches()));
  if (code != 0) return code;
  std::cerr << kProgram
            << ": a resident with this name and birth date exists; confirm with --anyway"
            << std::endl;
  return kExitNeedsConfirmation;
}

int Find(Invocation& in) {
  Flags f(in);
  v1::FindResidentsRequest request;
  request.set_name(f.Required("name"));
  request.set_birth_date(f.Date("birth-date", /*required=*/false));
  request.set_address(f.Optional("address"));
  if (f.ok() && request.birth_date().empty() && request.address().empty()) {
    f.Error(absl::InvalidArgumentError(
        "resident find: give --birth-date D or --address A (part of it) with --name"));
  }
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->FindResidents(request);
  if (!r.ok()) return Fail(r.status());
  return PrintList(in, *r, ResidentTable(r->residents()));
}

int Show(Invocation& in) {
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->GetResident(in.id());
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] { ShowResident(*r); });
}

int Duplicates(Invocation& in) {
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->ListPossibleDuplicates();
  if (!r.ok()) return Fail(r.status());
  // Both sides by name where the regisseur may read them; a side it may
  // not read shows its id only.
  auto name = [](const v1::Resident& x) {
    return x.content_withheld() ? std::string("(not yours to read)") : Cell(x.name());
  };
  tools::Table table{{"RESIDENT", "NAME", "DUPLICATE OF", "ITS NAME", "BIRTH DATE", "REGISTERED"},
                     {},
                     {}};
  for (const auto& p : r->pairs()) {
    table.rows.push_back({Cell(p.resident().id()), name(p.resident()),
                          Cell(p.duplicate_of().id()), name(p.duplicate_of()),
                          Cell(p.resident().birth_date()), Time(p.resident().create_time())});
  }
  return PrintList(in, *r, table);
}

int Merge(Invocation& in) {
  Flags f(in);
  std::string keep = f.Required("keep");
  std::string merge = f.Required("merge");
  if (f.ok() && keep == merge) {
    f.Error(absl::InvalidArgumentError("resident merge: --keep and --merge name the same resident"));
  }
  if (!f.ok()) return Fail(f.status());
  if (absl::Status s = Confirm(in, absl::StrCat("merge resident ", Cell(merge), " into ",
                                                Cell(keep), "? This cannot be undone."));
      !s.ok()) {
    return Fail(s);
  }
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->MergeResidents(keep, merge);
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] { ShowResident(*r); });
}

// Emergency access to one resident's records. The request has no request
// id: a retry after an unclear failure opens a second session, which the
// auditor sees as such.
int OpenBreakGlass(Invocation& in) {
  Flags f(in);
  std::string resident = f.Required("resident");
  std::string reason = f.Required("reason");
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->OpenBreakGlass(resident, reason);
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] { std::cout << r->id() << "\n"; });
}

}  // namespace

std::vector<Command> ResidentCommands() {
  return {
      {"resident", "register", "",
       {"name", "birth-date", "address", "wijk", "anyway", "request-id", "team"},
       "--name N --birth-date YYYY-MM-DD --address A --wijk W [--anyway] [--request-id ID]\n"
       "        [--team T]   (the team you register for)",
       Register},
      {"resident", "find", "", {"name", "birth-date", "address"},
       "--name N (--birth-date YYYY-MM-DD | --address A)   (the beginnings of the\n"
       "        name's words; part of the address)",
       Find},
      {"resident", "show", "ID", {}, "", Show},
      {"resident", "duplicates", "", {}, "", Duplicates},
      {"resident", "merge", "", {"keep", "merge", "yes"},
       "--keep ID --merge ID [--yes]   (asks on a terminal; elsewhere --yes)", Merge},
      {"breakglass", "open", "", {"resident", "reason"},
       "--resident ID --reason T   (at least 20 characters; 60 minutes of access)",
       OpenBreakGlass},
  };
}

}  // namespace schakel::cli
