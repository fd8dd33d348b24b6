// schakel: the professionals' command line.
//
//   schakel [--server HOST:PORT] [--identity DIR] [--json] whoami | orgs
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "schakel/client.h"
#include "tools/common/cli.h"

namespace {

constexpr char kProgram[] = "schakel";
constexpr char kUsage[] =
    "usage: schakel [--server HOST:PORT] [--identity DIR] [--json] COMMAND\n"
    "commands:\n"
    "  whoami   the professional, organisation and roles of your certificate\n"
    "  orgs     the partner organisations\n";

std::string RoleLabel(int role) {
  std::string name = schakel::v1::Role_Name(role);
  if (name.rfind("ROLE_", 0) == 0) name = name.substr(5);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string Date(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(t.seconds()), absl::UTCTimeZone());
}

int WhoAmI(schakel::Client& client, bool json) {
  auto r = client.WhoAmI();
  if (!r.ok()) return schakel::tools::Fail(kProgram, r.status());
  if (json) {
    auto s = schakel::tools::PrintJson(*r);
    return s.ok() ? 0 : schakel::tools::Fail(kProgram, s);
  }
  std::vector<std::string> roles;
  for (int role : r->professional().roles()) roles.push_back(RoleLabel(role));
  std::cout << absl::StrFormat("%-13s %s\n", "professional", r->professional().id())
            << absl::StrFormat("%-13s %s\n", "name", r->professional().display_name())
            << absl::StrFormat("%-13s %s (%s)\n", "organisation", r->organisation().id(),
                               r->organisation().name())
            << absl::StrFormat("%-13s %s\n", "roles", absl::StrJoin(roles, ", "))
            << absl::StrFormat("%-13s %s, valid until %s\n", "certificate",
                               r->certificate().serial(), Date(r->certificate().not_after()));
  return 0;
}

int Orgs(schakel::Client& client, bool json) {
  auto all = client.ListAllOrganisations();
  if (!all.ok()) return schakel::tools::Fail(kProgram, all.status());
  if (json) {
    schakel::v1::ListOrganisationsResponse response;
    for (auto& o : *all) *response.add_organisations() = o;
    auto s = schakel::tools::PrintJson(response);
    return s.ok() ? 0 : schakel::tools::Fail(kProgram, s);
  }
  std::cout << absl::StrFormat("%-22s %-40s %-20s %s\n", "ID", "NAME", "SECTOR", "OPGAVEN");
  for (const auto& o : *all) {
    std::cout << absl::StrFormat("%-22s %-40s %-20s %s\n", o.id(), o.name(), o.sector(),
                                 absl::StrJoin(o.opgaven(), ","));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  schakel::tools::Args args;
  schakel::tools::AddConnectionFlags(args);
  if (absl::Status s = args.Parse(argc, argv, 1); !s.ok()) {
    return schakel::tools::Fail(kProgram, s);
  }
  if (args.Has("help")) {
    std::cout << kUsage << "flags:\n" << args.Help();
    return 0;
  }
  if (args.positional().size() != 1) {
    return schakel::tools::Fail(
        kProgram, absl::InvalidArgumentError("expected one command: whoami | orgs (see --help)"));
  }
  const std::string& command = args.positional()[0];
  if (command != "whoami" && command != "orgs") {
    return schakel::tools::Fail(
        kProgram, absl::InvalidArgumentError(absl::StrCat("unknown command ", command,
                                                          " (whoami | orgs)")));
  }
  auto client = schakel::Client::Connect(schakel::tools::ConnectionOptions(args));
  if (!client.ok()) return schakel::tools::Fail(kProgram, client.status());
  bool json = args.Has("json");
  if (command == "whoami") return WhoAmI(*client, json);
  return Orgs(*client, json);
}
