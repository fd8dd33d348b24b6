// schakel resident register | find | show | duplicates | merge
// schakel breakglass open
#include <iostream>

#include "absl/strings/str_format.h"
#include "tools/cli/command.h"

namespace schakel::cli {
namespace {

void ResidentHeader() {
  std::cout << absl::StrFormat("%-24s %-30s %-10s %-18s %s\n", "ID", "NAME", "BIRTH DATE", "WIJK",
                               "ADDRESS");
}

void ResidentRow(const v1::Resident& r) {
  std::cout << absl::StrFormat("%-24s %-30s %-10s %-18s %s\n", Cell(r.id()), Cell(r.name()),
                               Cell(r.birth_date()), Cell(r.wijk()), Cell(r.address()));
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

  if (!r->id().empty()) {
    return Print(in, *r, [&] { std::cout << r->id() << "\n"; });
  }
  // Nothing was created: the caller can see a resident with this name and
  // birth date. Show the matches, then ask for confirmation.
  if (r->matches().empty() || request.register_anyway()) {
    return Fail(absl::InternalError("the server created no resident and gave no reason"));
  }
  int code = Print(in, *r, [&] {
    ResidentHeader();
    for (const auto& m : r->matches()) ResidentRow(m);
  });
  if (code != 0) return code;
  std::cerr << kProgram
            << ": a resident with this name and birth date exists; confirm with --anyway"
            << std::endl;
  return kExitNeedsConfirmation;
}

int Find(Invocation& in) {
  Flags f(in);
  std::string name = f.Required("name");
  std::string birth_date = f.Date("birth-date", /*required=*/true);
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->FindResidents(name, birth_date);
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] {
    ResidentHeader();
    for (const auto& m : r->residents()) ResidentRow(m);
  });
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
  return Print(in, *r, [&] {
    std::cout << absl::StrFormat("%-24s %-24s %-30s %-10s %s\n", "RESIDENT", "DUPLICATE OF",
                                 "NAME", "BIRTH DATE", "REGISTERED");
    for (const auto& p : r->pairs()) {
      // A side you may not read shows its id only.
      const std::string name =
          p.resident().content_withheld() ? "(not yours to read)" : p.resident().name();
      std::cout << absl::StrFormat("%-24s %-24s %-30s %-10s %s\n", Cell(p.resident().id()),
                                   Cell(p.duplicate_of().id()), Cell(name),
                                   Cell(p.resident().birth_date()),
                                   Time(p.resident().create_time()));
    }
  });
}

int Merge(Invocation& in) {
  Flags f(in);
  std::string keep = f.Required("keep");
  std::string merge = f.Required("merge");
  if (f.ok() && keep == merge) {
    f.Error(absl::InvalidArgumentError("resident merge: --keep and --merge name the same resident"));
  }
  if (!f.ok()) return Fail(f.status());
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
      {"resident", "find", "", {"name", "birth-date"}, "--name N --birth-date YYYY-MM-DD", Find},
      {"resident", "show", "ID", {}, "", Show},
      {"resident", "duplicates", "", {}, "", Duplicates},
      {"resident", "merge", "", {"keep", "merge"}, "--keep ID --merge ID", Merge},
      {"breakglass", "open", "", {"resident", "reason"},
       "--resident ID --reason T   (at least 20 characters; 60 minutes of access)",
       OpenBreakGlass},
  };
}

}  // namespace schakel::cli
