// schakel-admin: deployment and operations.
//
//   schakel-admin init DIR [--demo] [--server-name NAME]... [--kek-file FILE] [--listen HOST:PORT]
//                      [--postgresql CONNINFO]
//   schakel-admin user add --org ORG --name NAME --role ROLE [--role ROLE]... [--team T]
//                          [--csr FILE --out DIR] [--request-id ID]
//   schakel-admin grant request --professional ID [--role ROLE]... [--team T]
//   schakel-admin grant list [--pending]
//   schakel-admin grant approve GRANT-ID
//   schakel-admin grant refuse GRANT-ID --reason T
//   schakel-admin user disable ID
//   schakel-admin user contact ID [--phone P] [--email E]
//   schakel-admin team add --org ORG --id ID --name NAME
//   schakel-admin team remove --professional ID --team T
//   schakel-admin cert revoke --serial S
//   schakel-admin audit verify --deployment DIR [--expect SEQ:HASH] [--kek-file FILE]
//   schakel-admin key rotate --deployment DIR [--kek-file FILE]
//   schakel-admin key rewrap --deployment DIR --new-kek-file FILE [--kek-file FILE]
//   schakel-admin backup --deployment DIR --to FILE [--kek-file FILE]
//   schakel-admin restore --from FILE --deployment NEWDIR [--kek-file FILE]
//   schakel-admin seed --deployment DIR --residents N --signals N --handovers N
//                      [--trajectories N] [--seed S] [--audit-per-row] [--kek-file FILE]
//
// init works on files; the others are requests to the running server with an
// admin identity (--server, --identity as for `schakel`).
#include <sys/stat.h>

#include <unistd.h>

#include <cstdlib>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "schakel/client.h"
#include "server/common/clock.h"
#include "server/common/files.h"
#include "server/crypto/x509.h"
#include "server/audit/checkpoint.h"
#include "server/audit/verifier.h"
#include "server/deployment/deployment.h"
#include "server/audit/audit_store.h"
#include "server/deployment/backup.h"
#include "server/deployment/init.h"
#include "server/deployment/field_key_rotation.h"
#include "server/deployment/field_keys.h"
#include "server/deployment/keys.h"
#include "server/deployment/operator_audit.h"
#include "server/deployment/seed_data.h"
#include "tools/common/cli.h"
#include "tools/common/local_time.h"
#include "tools/common/suggest.h"
#include "tools/common/table.h"
#include "tools/common/terminal.h"
#include "tools/common/version.h"

namespace {

constexpr char kProgram[] = "schakel-admin";
constexpr char kUsage[] =
    "usage:\n"
    "  schakel-admin init DIR [--demo] [--server-name NAME]... [--kek-file FILE] [--audit-export FILE] "
    "[--listen HOST:PORT] [--postgresql CONNINFO]\n"
    "  schakel-admin user add --org ORG --name NAME --role ROLE [--role ROLE]... [--team T] "
    "[--csr FILE --out DIR] [--request-id ID]\n"
    "  schakel-admin grant request --professional ID [--role ROLE]... [--team T]  (at least one "
    "role or a team)\n"
    "  schakel-admin grant list [--pending]\n"
    "  schakel-admin grant approve GRANT-ID\n"
    "  schakel-admin grant refuse GRANT-ID --reason T\n"
    "  schakel-admin user disable ID\n"
    "  schakel-admin user contact ID --phone P --email E  (the work contact colleagues see in "
    "`schakel people`; an empty value clears it, a flag left out keeps it)\n"
    "  schakel-admin team add --org ORG --id ID --name NAME  (a team gives nobody access; "
    "membership is a grant: grant request --team)\n"
    "  schakel-admin team remove --professional ID --team T\n"
    "  schakel-admin cert revoke --serial S\n"
    "  schakel-admin audit verify --deployment DIR [--expect SEQ:HASH] [--kek-file FILE]\n"
    "  schakel-admin key rotate --deployment DIR [--kek-file FILE]  (SQLCipher: rekeys the file, "
    "server stopped; PostgreSQL: adds a data key, schakeld re-seals while it serves)\n"
    "  schakel-admin key rewrap --deployment DIR --new-kek-file FILE [--kek-file FILE]\n"
    "  schakel-admin migrate --deployment DIR [--kek-file FILE]  (after an upgrade, every "
    "instance stopped: the PostgreSQL schema to this release's version)\n"
    "  schakel-admin backup --deployment DIR --to FILE [--kek-file FILE] [--server H:P --identity D]\n"
    "  schakel-admin restore --from FILE --deployment NEWDIR [--kek-file FILE]  (or SCHAKEL_KEK)\n"
    "  schakel-admin seed --deployment DIR --residents N --signals N --handovers N "
    "[--trajectories N] [--seed S] [--audit-per-row] [--kek-file FILE]  (test data, server "
    "stopped)\n"
    "server commands take --server HOST:PORT, --identity DIR (an admin) and --json;\n"
    "grant list takes -o table|csv|json and --no-headers. seed, backup, restore, key rotate\n"
    "and audit verify show a progress line on a terminal (stderr), nothing when piped.\n"
    "schakel-admin --version prints the version.\n";

using schakel::tools::Fail;

// The first two administrators' one-time codes (valid 72 hours, shown
// once): each runs `schakel enroll` with their own.
void PrintFirstAdmins(const schakel::deployment::InitResult& result) {
  for (const auto& admin : result.first_admins) {
    std::cout << "enrollment-code " << admin.name << " " << admin.professional_id << " "
              << admin.enrollment_code << "\n";
  }
  if (!result.first_admins.empty()) {
    std::cout << "each administrator makes their own key: schakel enroll --server HOST:7444 "
                 "--ca DIR/ca/ca.pem --code CODE --out DIR (codes expire after 72 hours)\n";
  }
}

int Init(const schakel::tools::Args& args) {
  if (args.positional().size() != 2) {
    return Fail(kProgram, absl::InvalidArgumentError("init: expected one DIR"));
  }
  schakel::deployment::InitOptions options;
  options.dir = args.positional()[1];
  options.demo = args.Has("demo");
  options.server_names = args.GetAll("server-name");
  if (args.Has("kek-file")) options.kek_file = args.Get("kek-file");
  if (args.Has("listen")) options.listen = args.Get("listen");
  if (args.Has("audit-export")) options.audit_export_path = args.Get("audit-export");
  if (args.Has("postgresql")) options.postgresql_conninfo = args.Get("postgresql");
  schakel::SystemClock clock;
  schakel::RandomIdGenerator ids;
  schakel::deployment::InitResult result;
  if (absl::Status s = schakel::deployment::InitDeployment(options, clock, ids, &result);
      !s.ok()) {
    return Fail(kProgram, s);
  }
  std::cout << "created deployment " << options.dir
            << (options.demo ? " (demo: its key-encryption key is in demo-passphrase; init made "
                               "the demo professionals' keys under users/)"
                             : "")
            << "\n";
  if (!options.demo && options.audit_export_path.empty()) {
    // The checkpoints beside the database are what catches an older copy
    // of it; root on this host can rewrite both.
    std::cerr << "WARNING: NO AUDIT EXPORT PATH: the audit log's signed checkpoints are kept "
                 "only beside the database, so whoever controls this host can roll the log "
                 "back unnoticed. Give `--audit-export PATH` (on other storage) at init, or set "
                 "audit.export_path in " << options.dir << "/schakel.conf\n";
  }
  PrintFirstAdmins(result);
  return 0;
}

absl::StatusOr<schakel::Client> Connect(const schakel::tools::Args& args) {
  return schakel::Client::Connect(schakel::tools::ConnectionOptions(args));
}

int Print(const google::protobuf::Message& m, bool json, const std::string& text) {
  if (json) {
    absl::Status s = schakel::tools::PrintJson(m);
    return s.ok() ? 0 : Fail(kProgram, s);
  }
  std::cout << text;
  return 0;
}

// Registers a professional whose roles await a second administrator.
// Without --csr it prints exactly two lines, "grant GRANT-ID pending" and
// "enrollment-code CODE"; the professional makes their own key with
// `schakel enroll`. With --csr (a professional who brings their own CSR) it
// writes cert.pem and ca.pem to --out and prints "grant GRANT-ID pending"
// and "certificate SERIAL DIR".
// The --role flags as roles; INVALID_ARGUMENT naming an unknown one.
absl::Status AddRoles(const schakel::tools::Args& args,
                      google::protobuf::RepeatedField<int>* roles) {
  for (const std::string& name : args.GetAll("role")) {
    schakel::v1::Role role;
    if (!schakel::v1::Role_Parse(absl::StrCat("ROLE_", absl::AsciiStrToUpper(name)), &role) ||
        role == schakel::v1::ROLE_UNSPECIFIED) {
      const std::vector<std::string> roles = {"regisseur", "consultant", "bridge_officer",
                                              "ggz",       "partner",    "auditor",
                                              "admin",     "analyst",    "privacy_officer"};
      return absl::InvalidArgumentError(
          absl::StrCat("--role: unknown role ", name, schakel::tools::DidYouMean(name, roles),
                       " (regisseur, consultant, bridge_officer, ggz, partner, auditor, admin, "
                       "analyst, privacy_officer)"));
    }
    roles->Add(role);
  }
  return absl::OkStatus();
}

int UserAdd(const schakel::tools::Args& args) {
  if (args.positional().size() != 2) {
    return Fail(kProgram, absl::InvalidArgumentError("user add: takes no positional arguments"));
  }
  for (const char* required : {"org", "name", "role"}) {
    if (!args.Has(required)) {
      return Fail(kProgram, absl::InvalidArgumentError(
                                absl::StrCat("user add: --", required, " is required")));
    }
  }
  if (args.Has("csr") != args.Has("out")) {
    return Fail(kProgram, absl::InvalidArgumentError(
                              "user add: --csr FILE and --out DIR go together (without them the "
                              "professional enrolls with a code and makes their own key)"));
  }
  schakel::v1::AddProfessionalRequest request;
  request.set_organisation_id(args.Get("org"));
  request.set_display_name(args.Get("name"));
  if (args.Has("team")) request.set_team(args.Get("team"));
  if (absl::Status s = AddRoles(args, request.mutable_roles()); !s.ok()) return Fail(kProgram, s);
  schakel::RandomIdGenerator ids;
  request.set_request_id(args.Has("request-id") ? args.Get("request-id") : ids.NewId("req-"));

  const std::string out = args.Get("out");
  if (args.Has("csr")) {
    auto csr = schakel::ReadFile(args.Get("csr"));
    if (!csr.ok()) return Fail(kProgram, csr.status());
    request.set_csr_pem(*csr);
    if (schakel::PathExists(schakel::JoinPath(out, "cert.pem"))) {
      return Fail(kProgram, absl::AlreadyExistsError(
                                absl::StrCat("--out: ", out, " already holds a cert.pem")));
    }
  }
  auto client = Connect(args);
  if (!client.ok()) return Fail(kProgram, client.status());
  auto response = client->AddProfessional(request);
  if (!response.ok()) return Fail(kProgram, response.status());

  std::string text = absl::StrCat("grant ", response->grant_id(), " pending\n");
  if (args.Has("csr")) {
    if (absl::Status s = schakel::MakeDirectory(out, 0700); !s.ok()) return Fail(kProgram, s);
    for (const auto& [name, content] :
         {std::pair<std::string, std::string>{"cert.pem", response->certificate_pem()},
          {"ca.pem", response->ca_certificate_pem()}}) {
      absl::Status s = schakel::WriteFileDurably(schakel::JoinPath(out, name), content);
      if (!s.ok()) return Fail(kProgram, s);
    }
    absl::StrAppend(&text, "certificate ", response->certificate().serial(), " ", out, "\n");
  } else if (response->enrollment_code().empty()) {
    // A retry of a request that already succeeded: the code was shown then.
    return Fail(kProgram, absl::AlreadyExistsError(absl::StrCat(
                              "request_id: professional ", response->professional().id(),
                              " was registered by this request already; its enrollment code is "
                              "shown only once")));
  } else {
    absl::StrAppend(&text, "enrollment-code ", response->enrollment_code(), "\n");
  }
  return Print(*response, args.Has("json"), text);
}

std::string RoleWord(int role) {
  std::string name = schakel::v1::Role_Name(role);
  if (name.rfind("ROLE_", 0) == 0) name = name.substr(5);
  return absl::AsciiStrToLower(name);
}

std::string StatusWord(schakel::v1::Grant::Status status) {
  std::string name = schakel::v1::Grant::Status_Name(status);
  if (name.rfind("STATUS_", 0) == 0) name = name.substr(7);
  return absl::AsciiStrToLower(name);
}

std::string Minute(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%dT%H:%MZ", absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

// One grant per row: GRANT STATUS PROFESSIONAL ORGANISATION TEAM ROLES
// REQUESTED-BY REQUESTED DECIDED-BY DECIDED, times in Europe/Amsterdam.
schakel::tools::Table GrantTable(const schakel::v1::ListGrantsResponse& r) {
  auto minute = [](const google::protobuf::Timestamp& t) -> std::string {
    if (t.seconds() == 0 && t.nanos() == 0) return "-";
    return schakel::tools::LocalMinute(absl::FromUnixSeconds(t.seconds()));
  };
  schakel::tools::Table table{{"GRANT", "STATUS", "PROFESSIONAL", "ORGANISATION", "TEAM", "ROLES",
                               "REQUESTED-BY", "REQUESTED", "DECIDED-BY", "DECIDED"},
                              {},
                              {}};
  for (const auto& g : r.grants()) {
    std::vector<std::string> roles;
    for (int role : g.roles()) roles.push_back(RoleWord(role));
    table.rows.push_back({g.id(), StatusWord(g.status()), g.professional_id(),
                          g.organisation_id(), g.team().empty() ? "-" : g.team(),
                          roles.empty() ? "-" : absl::StrJoin(roles, ","), g.requested_by(),
                          minute(g.request_time()),
                          g.decided_by().empty() ? "-" : g.decided_by(),
                          minute(g.decide_time())});
  }
  return table;
}

int GrantList(const schakel::tools::Args& args) {
  if (args.positional().size() != 2) {
    return Fail(kProgram, absl::InvalidArgumentError("grant list: takes no positional arguments"));
  }
  schakel::v1::ListGrantsRequest request;
  request.set_pending_only(args.Has("pending"));
  if (args.Has("output") && args.Get("output") != "json" && args.Get("output") != "table" &&
      args.Get("output") != "csv") {
    return Fail(kProgram, absl::InvalidArgumentError("-o: json | table | csv"));
  }
  auto client = Connect(args);
  if (!client.ok()) return Fail(kProgram, client.status());
  auto response = client->ListGrants(request);
  if (!response.ok()) return Fail(kProgram, response.status());
  const std::string output = args.Get("output");
  if (args.Has("json") || output == "json") return Print(*response, true, "");
  schakel::tools::Table table = GrantTable(*response);
  if (output == "csv") {
    schakel::tools::PrintCsv(std::cout, table, !args.Has("no-headers"));
  } else {
    schakel::tools::PrintTable(std::cout, table, !args.Has("no-headers"));
  }
  return 0;
}

// More roles, or another team, for an existing professional: "grant
// GRANT-ID pending".
int GrantRequest(const schakel::tools::Args& args) {
  if (args.positional().size() != 2 || !args.Has("professional") ||
      (!args.Has("role") && !args.Has("team"))) {
    return Fail(kProgram, absl::InvalidArgumentError(
                              "grant request: --professional ID and --role ROLE or --team T are "
                              "required"));
  }
  schakel::v1::RequestGrantRequest request;
  request.set_professional_id(args.Get("professional"));
  if (args.Has("team")) request.set_team(args.Get("team"));
  if (absl::Status s = AddRoles(args, request.mutable_roles()); !s.ok()) return Fail(kProgram, s);
  auto client = Connect(args);
  if (!client.ok()) return Fail(kProgram, client.status());
  auto grant = client->RequestGrant(request);
  if (!grant.ok()) return Fail(kProgram, grant.status());
  return Print(*grant, args.Has("json"), absl::StrCat("grant ", grant->id(), " pending\n"));
}

int GrantDecide(const schakel::tools::Args& args, bool approve) {
  const char* command = approve ? "grant approve" : "grant refuse";
  if (args.positional().size() != 3) {
    return Fail(kProgram,
                absl::InvalidArgumentError(absl::StrCat(command, ": expected one GRANT-ID")));
  }
  if (!approve && !args.Has("reason")) {
    return Fail(kProgram, absl::InvalidArgumentError("grant refuse: --reason T is required"));
  }
  auto client = Connect(args);
  if (!client.ok()) return Fail(kProgram, client.status());
  absl::StatusOr<schakel::v1::Grant> grant;
  if (approve) {
    schakel::v1::ApproveGrantRequest request;
    request.set_grant_id(args.positional()[2]);
    grant = client->ApproveGrant(request);
  } else {
    schakel::v1::RefuseGrantRequest request;
    request.set_grant_id(args.positional()[2]);
    request.set_reason(args.Get("reason"));
    grant = client->RefuseGrant(request);
  }
  if (!grant.ok()) return Fail(kProgram, grant.status());
  return Print(*grant, args.Has("json"),
               absl::StrCat("grant ", grant->id(), " ", StatusWord(grant->status()), "\n"));
}

// `team ORG/ID "NAME"[ (intake)], created 2026-12-02T05:10Z`.
std::string TeamLine(const schakel::v1::Team& t) {
  return absl::StrFormat("team %s/%s \"%s\"%s, created %s\n", t.organisation_id(), t.id(),
                         t.name(), t.intake() ? " (intake)" : "", Minute(t.create_time()));
}

// A new team of an organisation; prints it (TeamLine).
int TeamAdd(const schakel::tools::Args& args) {
  if (args.positional().size() != 2) {
    return Fail(kProgram, absl::InvalidArgumentError("team add: takes no positional arguments"));
  }
  for (const char* required : {"org", "id", "name"}) {
    if (args.Get(required).empty()) {
      return Fail(kProgram, absl::InvalidArgumentError(
                                absl::StrCat("team add: --", required, " is required")));
    }
  }
  schakel::v1::CreateTeamRequest request;
  request.set_organisation_id(args.Get("org"));
  request.set_id(args.Get("id"));
  request.set_name(args.Get("name"));
  auto client = Connect(args);
  if (!client.ok()) return Fail(kProgram, client.status());
  auto team = client->CreateTeam(request);
  if (!team.ok()) return Fail(kProgram, team.status());
  return Print(*team, args.Has("json"), TeamLine(*team));
}

// Takes a professional out of a team, from their next request on (one
// administrator suffices: it narrows access). Prints "professional ID
// teams T1,T2".
int TeamRemove(const schakel::tools::Args& args) {
  if (args.positional().size() != 2 || args.Get("professional").empty() ||
      args.Get("team").empty()) {
    return Fail(kProgram, absl::InvalidArgumentError(
                              "team remove: --professional ID and --team T are required"));
  }
  auto client = Connect(args);
  if (!client.ok()) return Fail(kProgram, client.status());
  auto professional = client->RemoveFromTeam(args.Get("professional"), args.Get("team"));
  if (!professional.ok()) return Fail(kProgram, professional.status());
  return Print(*professional, args.Has("json"),
               absl::StrCat("professional ", professional->id(), " teams ",
                            professional->teams().empty()
                                ? "-"
                                : absl::StrJoin(professional->teams(), ","),
                            "\n"));
}

int UserDisable(const schakel::tools::Args& args) {
  if (args.positional().size() != 3) {
    return Fail(kProgram, absl::InvalidArgumentError("user disable: expected one professional ID"));
  }
  auto client = Connect(args);
  if (!client.ok()) return Fail(kProgram, client.status());
  auto response = client->DisableProfessional(args.positional()[2]);
  if (!response.ok()) return Fail(kProgram, response.status());
  return Print(*response, args.Has("json"),
               absl::StrCat("disabled professional ", response->id(), "\n"));
}

// Sets a professional's work phone and e-mail, what colleagues see in
// `schakel people`. A flag left out keeps its value (read from the
// directory first, as the API writes both); an empty one clears it.
int UserContact(const schakel::tools::Args& args) {
  if (args.positional().size() != 3 || (!args.Has("phone") && !args.Has("email"))) {
    return Fail(kProgram, absl::InvalidArgumentError(
                              "user contact: expected one professional ID and --phone P and/or "
                              "--email E"));
  }
  const std::string id = args.positional()[2];
  auto client = Connect(args);
  if (!client.ok()) return Fail(kProgram, client.status());
  schakel::v1::SetWorkContactRequest request;
  request.set_professional_id(id);
  if (!args.Has("phone") || !args.Has("email")) {
    // The current values of the one left out, from the directory.
    schakel::v1::ListPeopleRequest list;
    list.set_include_disabled(true);
    auto people = client->ListAllPeople(list);
    if (!people.ok()) return Fail(kProgram, people.status());
    for (const auto& p : *people) {
      if (p.id() != id) continue;
      request.set_work_phone(p.work_phone());
      request.set_work_email(p.work_email());
    }
  }
  if (args.Has("phone")) request.set_work_phone(args.Get("phone"));
  if (args.Has("email")) request.set_work_email(args.Get("email"));
  auto person = client->SetWorkContact(request);
  if (!person.ok()) return Fail(kProgram, person.status());
  return Print(*person, args.Has("json"),
               absl::StrCat("professional ", person->id(), " phone ",
                            person->work_phone().empty() ? "-" : person->work_phone(), " e-mail ",
                            person->work_email().empty() ? "-" : person->work_email(), "\n"));
}

// The size of a file, 0 while it does not exist.
int64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

// "42 % (12.3 MB of 29.1 MB)" for a file being written towards `total`.
std::string Percent(int64_t done, int64_t total) {
  if (total <= 0) return schakel::tools::Bytes(done);
  int64_t percent = std::min<int64_t>(100, done * 100 / total);
  return absl::StrCat(percent, " % (", schakel::tools::Bytes(done), " of ",
                      schakel::tools::Bytes(total), ")");
}

// The deployment named by --deployment and its current key-encryption key.
absl::StatusOr<std::pair<schakel::deployment::Paths, std::string>> DeploymentAndKek(
    const schakel::tools::Args& args, const char* command) {
  if (!args.Has("deployment")) {
    return absl::InvalidArgumentError(absl::StrCat(command, ": --deployment DIR is required"));
  }
  schakel::deployment::Paths paths(args.Get("deployment"));
  auto config = schakel::deployment::LoadConfig(paths);
  if (!config.ok()) return config.status();
  std::optional<std::string> kek_file;
  if (args.Has("kek-file")) kek_file = args.Get("kek-file");
  auto kek = schakel::deployment::ReadKek(paths, config->kek(), kek_file);
  if (!kek.ok()) return kek.status();
  return std::make_pair(paths, *kek);
}

int KeyRotate(const schakel::tools::Args& args) {
  auto target = DeploymentAndKek(args, "key rotate");
  if (!target.ok()) return Fail(kProgram, target.status());
  if (schakel::deployment::StoreIsPostgresql(target->first)) {
    // The fields are sealed by schakeld: a new data key, which every
    // serving schakeld picks up and re-seals under while it serves.
    schakel::SystemClock clock;
    auto id = schakel::deployment::AddDataKeyToDeployment(target->first, target->second, clock);
    if (!id.ok()) return Fail(kProgram, id.status());
    std::cout << "added data key " << *id << " to " << target->first.dir
              << ": schakeld seals new values with it from "
              << absl::FormatTime("%Y-%m-%d %H:%M:%S %Z",
                                  clock.Now() + schakel::deployment::kDataKeyActivationDelay,
                                  absl::LocalTimeZone())
              << " on and then re-seals the older values while it serves\n";
    return 0;
  }
  absl::Time start = absl::Now();
  absl::Status s;
  {
    // One transaction rewrites every page: the line shows that it runs.
    schakel::tools::Progress progress("key rotate", [] { return std::string("rekeying"); });
    s = schakel::deployment::RotateKey(target->first, target->second);
  }
  if (!s.ok()) return Fail(kProgram, s);
  std::cout << "rotated the database key of " << target->first.dir << " in "
            << absl::FormatDuration(absl::Now() - start) << "\n";
  return 0;
}

int KeyRewrap(const schakel::tools::Args& args) {
  if (!args.Has("new-kek-file")) {
    return Fail(kProgram, absl::InvalidArgumentError("key rewrap: --new-kek-file FILE is required"));
  }
  auto target = DeploymentAndKek(args, "key rewrap");
  if (!target.ok()) return Fail(kProgram, target.status());
  const std::string new_file = args.Get("new-kek-file");
  if (absl::Status s = schakel::CheckPrivate(new_file); !s.ok()) return Fail(kProgram, s);
  auto new_kek = schakel::deployment::ReadKek(target->first, {}, new_file);
  if (!new_kek.ok()) return Fail(kProgram, new_kek.status());
  std::string note;
  absl::Status s =
      schakel::deployment::RewrapKey(target->first, target->second, *new_kek, new_file, &note);
  if (!s.ok()) return Fail(kProgram, s);
  std::cout << "re-wrapped the database key of " << target->first.dir << "; " << note << "\n";
  return 0;
}

// After installing a release, before its first start: the PostgreSQL
// schema brought to its version (every instance stopped), the change an
// entry of the audit log. Nothing changed, nothing recorded.
int Migrate(const schakel::tools::Args& args) {
  auto target = DeploymentAndKek(args, "migrate");
  if (!target.ok()) return Fail(kProgram, target.status());
  const schakel::deployment::Paths& paths = target->first;
  if (!schakel::deployment::StoreIsPostgresql(paths)) {
    std::cout << "nothing to do: schakeld migrates a SQLCipher store each time it opens it\n";
    return 0;
  }
  auto migrated = schakel::deployment::MigrateStore(paths);
  if (!migrated.ok()) return Fail(kProgram, migrated.status());
  if (migrated->from == migrated->to) {
    std::cout << "the PostgreSQL schema of " << paths.dir << " is version " << migrated->to
              << " already: nothing to do\n";
    return 0;
  }
  const std::string what = absl::StrCat("PostgreSQL schema migrated from version ",
                                        migrated->from, " to ", migrated->to);
  schakel::SystemClock clock;
  absl::Status recorded =
      schakel::deployment::RecordOperatorAct(paths, target->second, "migrate", what, clock);
  if (!recorded.ok()) {
    return Fail(kProgram, absl::Status(recorded.code(),
                                       absl::StrCat(what, ", but not recorded in the audit log: ",
                                                    recorded.message())));
  }
  std::cout << what << " (" << paths.dir << ")\n";
  return 0;
}

// Records the backup in the audit log: through the API when the server holds
// the deployment, else directly, holding the deployment's lock.
absl::Status RecordBackup(const schakel::tools::Args& args, const schakel::deployment::Paths& paths,
                          const std::string& kek,
                          const schakel::deployment::BackupResult& result) {
  auto lock = schakel::deployment::Lock::Acquire(paths);
  if (lock.ok()) {
    auto db = schakel::deployment::OpenDatabase(paths, kek);
    if (!db.ok()) return db.status();
    return (*db)->Write([&](schakel::store::Connection& c) {
      schakel::audit::Entry e;
      e.time = absl::Now();
      e.action = "schakel-admin.backup";
      e.resource_type = "backup";
      e.resource_id = result.sha256;
      e.outcome = schakel::audit::kAllowed;
      e.reason = absl::StrCat("backup up to audit seq ", result.head_seq);
      e.purpose = "backup";
      return schakel::audit::AppendEntry(c, e);
    });
  }
  schakel::ClientOptions options = schakel::tools::ConnectionOptions(args);
  if (!args.Has("server")) {
    auto config = schakel::deployment::LoadConfig(paths);
    if (config.ok() && !config->listen().empty()) options.server = config->listen();
  }
  if (options.identity_dir.empty()) options.identity_dir = paths.UserDir("admin");
  auto client = schakel::Client::Connect(options);
  if (!client.ok()) return client.status();
  schakel::v1::RecordBackupRequest request;
  request.set_head_seq(result.head_seq);
  request.set_head_hash(result.head_hash);
  request.set_sha256(result.sha256);
  request.set_bytes(result.bytes);
  return client->RecordBackup(request).status();
}

int Backup(const schakel::tools::Args& args) {
  if (!args.Has("to")) return Fail(kProgram, absl::InvalidArgumentError("backup: --to FILE is required"));
  auto target = DeploymentAndKek(args, "backup");
  if (!target.ok()) return Fail(kProgram, target.status());
  const auto& [paths, kek] = *target;
  const std::string to = args.Get("to");
  absl::Time start = absl::Now();
  schakel::SystemClock clock;
  absl::StatusOr<schakel::deployment::BackupResult> result;
  {
    const int64_t total = FileSize(paths.database);
    // CreateBackup copies the database to TO.db-PID, then seals it into TO.
    const std::string copy = absl::StrCat(to, ".db-", ::getpid());
    schakel::tools::Progress progress("backup", [&] {
      int64_t written = FileSize(copy);
      return FileSize(to) > 0 ? std::string("sealing") : Percent(written, total);
    });
    result = schakel::deployment::CreateBackup(paths, kek, to, clock);
  }
  if (!result.ok()) return Fail(kProgram, result.status());
  if (absl::Status s = RecordBackup(args, paths, kek, *result); !s.ok()) {
    // Every backup that exists is in the audit log.
    ::unlink(to.c_str());
    return Fail(kProgram, absl::Status(s.code(), absl::StrCat("the backup could not be recorded "
                                                              "in the audit log, so it was removed: ",
                                                              s.message())));
  }
  std::cout << "backup " << to << ": " << result->bytes << " bytes, audit head "
            << result->head_seq << ":" << result->head_hash << ", sha256 " << result->sha256
            << ", in " << absl::FormatDuration(absl::Now() - start) << "\n";
  return 0;
}

int Restore(const schakel::tools::Args& args) {
  if (!args.Has("from") || !args.Has("deployment")) {
    return Fail(kProgram, absl::InvalidArgumentError(
                              "restore: --from FILE and --deployment NEWDIR are required"));
  }
  schakel::config::KekSource source;
  if (args.Has("kek-file")) {
    source.set_file(std::filesystem::absolute(args.Get("kek-file")).string());
  } else if (std::getenv("SCHAKEL_KEK") != nullptr) {
    source.set_environment(true);
  } else {
    return Fail(kProgram, absl::FailedPreconditionError(
                              "restore: give --kek-file FILE or set SCHAKEL_KEK (the key-encryption "
                              "key is never in a backup)"));
  }
  schakel::deployment::Paths paths(args.Get("deployment"));
  auto kek = schakel::deployment::ReadKek(paths, source, std::nullopt);
  if (!kek.ok()) return Fail(kProgram, kek.status());
  absl::Time start = absl::Now();
  absl::Status s;
  {
    const int64_t total = FileSize(args.Get("from"));
    // RestoreBackup writes into DIR.restore-PID, then renames it to DIR.
    const schakel::deployment::Paths staging(absl::StrCat(paths.dir, ".restore-", ::getpid()));
    schakel::tools::Progress progress("restore", [&] {
      return Percent(std::max(FileSize(staging.database), FileSize(paths.database)), total);
    });
    s = schakel::deployment::RestoreBackup(args.Get("from"), args.Get("deployment"), *kek,
                                           source);
  }
  if (!s.ok()) return Fail(kProgram, s);
  std::cout << "restored " << args.Get("from") << " into " << paths.dir << " in "
            << absl::FormatDuration(absl::Now() - start) << "\n";
  return 0;
}

// Offline verification of the audit chain: reads the database file and the
// checkpoints directly, while the server is down (it refuses while the
// server holds the deployment).
// Exit 0 when intact, 4 (with the first bad sequence number) when not.
int AuditVerify(const schakel::tools::Args& args) {
  if (args.positional().size() != 2 || !args.Has("deployment")) {
    return Fail(kProgram,
                absl::InvalidArgumentError("audit verify: --deployment DIR is required"));
  }
  std::optional<schakel::audit::ExpectedHead> expect;
  if (args.Has("expect")) {
    auto parsed = schakel::audit::ParseExpectedHead(args.Get("expect"));
    if (!parsed.ok()) return Fail(kProgram, parsed.status());
    expect = *parsed;
  }
  schakel::deployment::Paths paths(args.Get("deployment"));
  auto config = schakel::deployment::LoadConfig(paths);
  if (!config.ok()) return Fail(kProgram, config.status());
  std::optional<std::string> kek_file;
  if (args.Has("kek-file")) kek_file = args.Get("kek-file");
  auto kek = schakel::deployment::ReadKek(paths, config->kek(), kek_file);
  if (!kek.ok()) return Fail(kProgram, kek.status());
  // Offline only: held for the whole walk, so schakeld cannot start
  // meanwhile, and never run beside a live server (ask the server instead).
  auto lock = schakel::deployment::Lock::Acquire(
      paths,
      "while schakeld serves, verify through the API: `schakel --identity AUDITOR audit verify "
      "[--expect SEQ:HASH]`");
  if (!lock.ok()) return Fail(kProgram, lock.status());
  auto db = schakel::deployment::OpenDatabase(paths, *kek);
  if (!db.ok()) return Fail(kProgram, db.status());
  auto public_key = schakel::ReadFile(paths.audit_public_key);
  if (!public_key.ok()) return Fail(kProgram, public_key.status());
  auto checkpoints = schakel::audit::ReadCheckpoints(paths.audit_checkpoints);
  if (!checkpoints.ok()) return Fail(kProgram, checkpoints.status());
  // The admin tool has the database to itself: both cores read and hash.
  schakel::audit::VerifyTuning tuning;
  tuning.two_halves = true;
  // On a terminal, the entries checked so far (VerifyChain asks `stop`
  // before every entry, from both halves' threads).
  std::atomic<int64_t> checked{0};
  schakel::tools::Progress progress("audit verify", [&] {
    return absl::StrCat(checked.load(std::memory_order_relaxed), " entries checked");
  });
  std::function<absl::Status()> count = nullptr;
  if (progress.active()) {
    count = [&checked] {
      checked.fetch_add(1, std::memory_order_relaxed);
      return absl::OkStatus();
    };
  }
  auto report =
      schakel::audit::VerifyChain(**db, *checkpoints, *public_key, expect, count, tuning);
  progress.Done();
  if (!report.ok()) return Fail(kProgram, report.status());
  if (absl::Status file = schakel::audit::CheckCheckpointFile(**db, *checkpoints,
                                                              paths.audit_checkpoints, *report);
      !file.ok()) {
    return Fail(kProgram, file);
  }
  if (!report->intact) {
    std::cerr << kProgram << ": audit log NOT INTACT at seq " << report->first_bad_seq << ": "
              << report->problem << std::endl;
    return 4;
  }
  std::cout << "intact: " << report->entries << " entries, head " << report->head.seq << ":"
            << report->head.hash << ", " << report->checkpoints << " checkpoints\n";
  return 0;
}

// Fills a stopped deployment with invented test data for scale runs
// (server/deployment/seed_data.h).
int Seed(const schakel::tools::Args& args) {
  if (args.positional().size() != 1) {
    return Fail(kProgram, absl::InvalidArgumentError("seed: takes no positional arguments"));
  }
  schakel::deployment::SeedOptions options;
  for (const auto& [flag, field, required] :
       {std::tuple<const char*, int64_t*, bool>{"residents", &options.residents, true},
        {"signals", &options.signals, true},
        {"handovers", &options.handovers, true},
        {"trajectories", &options.trajectories, false}}) {
    if (!args.Has(flag)) {
      if (!required) continue;
      return Fail(kProgram, absl::InvalidArgumentError(
                                absl::StrCat("seed: --", flag, " N is required")));
    }
    if (!absl::SimpleAtoi(args.Get(flag), field) || *field < 0) {
      return Fail(kProgram, absl::InvalidArgumentError(absl::StrCat(
                                "--", flag, ": must be a whole number, 0 or more")));
    }
  }
  if (args.Has("seed") && !absl::SimpleAtoi(args.Get("seed"), &options.seed)) {
    return Fail(kProgram,
                absl::InvalidArgumentError("--seed: must be a whole number, 0 or more"));
  }
  options.audit_entry_per_row = args.Has("audit-per-row");
  auto target = DeploymentAndKek(args, "seed");
  if (!target.ok()) return Fail(kProgram, target.status());
  absl::Time start = absl::Now();
  schakel::SystemClock clock;
  absl::StatusOr<schakel::deployment::SeedResult> result;
  {
    const std::string db = target->first.database;
    const int64_t before = FileSize(db) + FileSize(db + "-wal");
    schakel::tools::Progress progress("seed", [&] {
      return absl::StrCat(schakel::tools::Bytes(FileSize(db) + FileSize(db + "-wal") - before),
                          " written");
    });
    result = schakel::deployment::SeedDeployment(target->first, target->second, options, clock);
  }
  if (!result.ok()) return Fail(kProgram, result.status());
  absl::Duration took = absl::Now() - start;
  std::cout << "seeded " << result->residents << " residents, " << result->signals
            << " signals, " << result->handovers << " handovers, " << result->trajectories
            << " trajectories in " << absl::FormatDuration(took) << " ("
            << result->audit_entries << " audit entries; head " << result->head_seq << ":"
            << result->head_hash << ")\n";
  return 0;
}

int CertRevoke(const schakel::tools::Args& args) {
  if (args.positional().size() != 2 || !args.Has("serial")) {
    return Fail(kProgram, absl::InvalidArgumentError("cert revoke: --serial S is required"));
  }
  auto client = Connect(args);
  if (!client.ok()) return Fail(kProgram, client.status());
  auto response = client->RevokeCertificate(args.Get("serial"));
  if (!response.ok()) return Fail(kProgram, response.status());
  return Print(*response, args.Has("json"),
               absl::StrCat("revoked certificate ", response->serial(), "\n"));
}

// Key rotation, re-wrapping and restore change keys or data outside the API:
// once `act` succeeded, each leaves a chained audit entry in the deployment
// it changed (server/deployment/operator_audit.h). The key material to open
// it: rotate keeps the KEK, rewrap has the new one, restore the one given.
int RecordedOperatorAct(const schakel::tools::Args& args, int (*act)(const schakel::tools::Args&),
                        const char* name) {
  int rc = act(args);
  if (rc != 0) return rc;
  schakel::deployment::Paths paths(args.Get("deployment"));
  absl::StatusOr<std::string> kek;
  std::string reason;
  if (std::string(name) == "key-rotate") {
    auto target = DeploymentAndKek(args, "key rotate");
    kek = target.ok() ? absl::StatusOr<std::string>(target->second) : target.status();
    reason = schakel::deployment::StoreIsPostgresql(paths) ? "data key added (field keys; re-sealed while serving)"
                               : "database key rotated (rekey)";
  } else if (std::string(name) == "key-rewrap") {
    kek = schakel::deployment::ReadKek(paths, {}, args.Get("new-kek-file"));
    reason = "database key re-wrapped under a new key-encryption key";
  } else {
    schakel::config::KekSource source;
    if (args.Has("kek-file")) {
      source.set_file(std::filesystem::absolute(args.Get("kek-file")).string());
    } else {
      source.set_environment(true);
    }
    kek = schakel::deployment::ReadKek(paths, source, std::nullopt);
    reason = absl::StrCat("restored from the backup ",
                          std::filesystem::path(args.Get("from")).filename().string(),
                          " (its own audit chain continues here)");
  }
  schakel::SystemClock clock;
  absl::Status recorded =
      kek.ok() ? schakel::deployment::RecordOperatorAct(paths, *kek, name, reason, clock)
               : kek.status();
  if (!recorded.ok()) {
    return Fail(kProgram, absl::Status(recorded.code(),
                                       absl::StrCat("done, but not recorded in the audit log: ",
                                                    recorded.message())));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ::umask(077);
  schakel::tools::Args args;
  schakel::tools::AddConnectionFlags(args);
  args.AddBool("demo", "init: add demo professionals and keep the passphrase in DIR");
  args.AddString("audit-export", "init: a file on other storage that receives every audit checkpoint");
  args.AddString("postgresql",
                 "init: keep the store in this PostgreSQL database (a libpq connection string of "
                 "its owner; see docs/operations.md)");
  args.AddString("server-name", "init: another name or address for the server certificate");
  args.AddString("kek-file", "init, audit verify: file holding the key-encryption key");
  args.AddString("listen", "init: the address schakeld listens on (default 127.0.0.1:7443)");
  args.AddString("org", "user add, team add: organisation id");
  args.AddString("name", "user add: display name; team add: the team's name (1..100 characters)");
  args.AddString("id", "team add: the team's id inside the organisation (2..40 of a-z, 0-9, -)");
  args.AddString("role", "user add, grant request: a role (repeatable)");
  args.AddString("team",
                 "user add: the team of the organisation the professional will work in "
                 "(default: the organisation's intake team); grant request: a team to add "
                 "them to (with or without --role); team remove: the team to take them out of");
  args.AddString("csr",
                 "user add: a PEM CSR file of a professional who brings their own (default: "
                 "an enrollment code)");
  args.AddString("out", "user add --csr: directory to write cert.pem and ca.pem to");
  args.AddBool("pending", "grant list: only grants awaiting a decision");
  args.AddString("professional", "grant request, team remove: the professional's id");
  args.AddString("reason", "grant refuse: why");
  args.AddString("request-id", "user add: request id making a retry safe (default: random)");
  args.AddString("serial", "cert revoke: the certificate's serial number");
  args.AddString("phone", "user contact: the work phone (empty clears it)");
  args.AddString("email", "user contact: the work e-mail (empty clears it)");
  args.AddString("output", "grant list: -o table | csv | json");
  args.AddShort('o', "output");
  args.AddBool("no-headers", "grant list: leave the header line out");
  args.AddString("deployment", "audit verify, key, migrate, backup, seed: the deployment directory");
  args.AddString("expect", "audit verify: a head recorded earlier, SEQ:HASH");
  args.AddString("new-kek-file", "key rewrap: file holding the new key-encryption key");
  args.AddString("to", "backup: the backup file to write");
  args.AddString("from", "restore: the backup file to read");
  args.AddString("residents", "seed: how many residents to add");
  args.AddString("signals", "seed: how many signals to add");
  args.AddString("handovers", "seed: how many handovers to add");
  args.AddString("trajectories", "seed: how many trajectories to add (default 0)");
  args.AddString("seed", "seed: the random seed (default 1); the same seed gives the same rows");
  args.AddBool("audit-per-row",
               "seed: also one audit entry per row, as its create through the API would write");
  if (absl::Status s = args.Parse(argc, argv, 1); !s.ok()) return Fail(kProgram, s);
  if (args.Has("version")) {
    std::cout << schakel::tools::VersionLine(kProgram) << "\n";
    return 0;
  }
  if (args.Has("help")) {
    std::cout << kUsage << "flags:\n" << args.Help();
    return 0;
  }
  const auto& p = args.positional();
  auto is = [&p](const char* a, const char* b) {
    return p.size() >= 2 && p[0] == a && p[1] == b;
  };
  if (!p.empty() && p[0] == "init") return Init(args);
  if (is("user", "add")) return UserAdd(args);
  if (is("user", "disable")) return UserDisable(args);
  if (is("user", "contact")) return UserContact(args);
  if (is("grant", "request")) return GrantRequest(args);
  if (is("grant", "list")) return GrantList(args);
  if (is("grant", "approve")) return GrantDecide(args, /*approve=*/true);
  if (is("grant", "refuse")) return GrantDecide(args, /*approve=*/false);
  if (is("team", "add")) return TeamAdd(args);
  if (is("team", "remove")) return TeamRemove(args);
  if (is("cert", "revoke")) return CertRevoke(args);
  if (is("audit", "verify")) return AuditVerify(args);
  if (is("key", "rotate")) return RecordedOperatorAct(args, KeyRotate, "key-rotate");
  if (is("key", "rewrap")) return RecordedOperatorAct(args, KeyRewrap, "key-rewrap");
  if (!p.empty() && p[0] == "migrate") return Migrate(args);
  if (!p.empty() && p[0] == "backup") return Backup(args);
  if (!p.empty() && p[0] == "restore") return RecordedOperatorAct(args, Restore, "restore");
  if (!p.empty() && p[0] == "seed") return Seed(args);
  return Fail(kProgram, absl::InvalidArgumentError(
                            "expected a command: init | user add | user disable | user contact | grant request | "
                            "grant list | grant approve | grant refuse | team add | team remove | "
                            "cert revoke | "
                            "audit verify | key rotate | key rewrap | migrate | backup | restore | seed "
                            "(see --help)"));
}
