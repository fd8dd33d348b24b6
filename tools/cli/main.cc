// schakel: the professionals' command line.
//
//   schakel [--server HOST:PORT] [--identity DIR] [--purpose CODE] [--json]
//           COMMAND [ID] [FLAGS]
//
// COMMAND is `whoami`, `orgs`, `teams`, or a group and a verb (`signal create`);
// --help lists them all. The commands of each group live in residents.cc
// (with `breakglass open`), signals.cc, handovers.cc, audit.cc,
// trajectories.cc and privacy.cc.
#include <exception>
#include <iostream>
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "schakel/client.h"
#include "tools/cli/command.h"
#include "tools/common/cli.h"
#include "tools/common/local_time.h"
#include "tools/common/suggest.h"
#include "tools/common/version.h"

namespace schakel::cli {
namespace {

// Every flag of the commands, declared once for the whole binary; each
// command lists the ones that apply to it (Command::flags). The connection
// flags (--server, --identity, --purpose, --json) apply to every command.
struct FlagSpec {
  const char* name;
  bool takes_value;
  const char* help;
};
constexpr FlagSpec kCommandFlags[] = {
    {"request-id", true, "creates: the request id that makes a retry safe (default: random)"},
    {"name", true,
     "resident register, privacy rectify: the name; resident find: the name or the beginnings "
     "of its words; people: the beginning of any word of the name; vocabularies: one "
     "vocabulary (e.g. signal_status)"},
    {"birth-date", true, "resident: the birth date, YYYY-MM-DD"},
    {"address", true,
     "resident register, privacy rectify: the address; resident find: part of the address"},
    {"wijk", true, "the wijk code, e.g. prinsenhof"},
    {"anyway", false, "resident register: create even though a match exists"},
    {"keep", true, "resident merge: the id of the record that stays"},
    {"merge", true, "resident merge: the id of the record merged into it"},
    {"category", true, "signal: a category code of the taxonomy, e.g. FZ-SCHULDEN"},
    {"place", true, "signal create: the place"},
    {"description", true, "signal create: what was noticed; trajectory step: the step"},
    {"resident", true,
     "the resident id; handover inbox, outbox and trajectory list: only that resident's"},
    {"professional", true, "audit query: a professional id"},
    {"organisation", true, "audit query: an organisation id"},
    {"action", true,
     "audit query: an RPC, e.g. SignalService.GetSignal, or the method alone (GetSignal)"},
    {"from", true,
     "audit query, breakglass, anomalies, privacy-acts: the first day YYYY-MM-DD, from 00:00 "
     "Europe/Amsterdam (default: query all, the others 30 days ago); trajectory transfer: the "
     "consultant whose whole caseload moves"},
    {"period", true,
     "report: a month YYYY-MM (2026-11), a quarter YYYY-Qn (2026-Q4) or a year YYYY (2026)"},
    {"expect", true, "audit verify: a head recorded earlier, SEQ:HASH"},
    {"urgency", true, "signal create: low | normal | high | acute"},
    {"owner", true, "signal: the owner organisation id"},
    {"team", true,
     "resident register, signal create, handover propose, trajectory start: the team of your "
     "organisation you act for (default: your only team; required when you work in several); "
     "people: only the people of this team of --org"},
    {"owner-team", true,
     "signal create, assign: the owner team inside --owner (default: its intake team); signal "
     "list: only signals this team of --owner owns"},
    {"to-team", true,
     "handover propose: a team of the receiving organisation (default: its intake team, which "
     "may forward it); handover forward: another team of your organisation"},
    {"org", true, "teams, people: only the teams or people of this organisation"},
    {"role", true,
     "people: only the people holding this role (regisseur, consultant, bridge_officer, ggz, "
     "partner, auditor, admin, analyst, privacy_officer)"},
    {"yes", false,
     "resident merge, privacy erase: do it without asking (needed where there is no terminal)"},
    {"opgave", true, "signal list, categories: an opgave code, e.g. FZ"},
    {"status", true,
     "list filter: a signal or handover status; trajectory step, step-status: planned | "
     "started | done | stopped"},
    {"to", true,
     "signal status: the new status; handover propose: the receiving organisation; trajectory "
     "transfer: the consultant taking over; audit query, breakglass, anomalies, privacy-acts: "
     "the last day YYYY-MM-DD, inclusive: D includes all of D (up to 24:00 Europe/Amsterdam)"},
    {"etag", true, "updates: refuse (ABORTED) unless the record still has this etag"},
    {"text", true, "note text; handover complete: the outcome text"},
    {"visibility", true, "note: involved | own_organisation | health"},
    {"page-size", true, "lists: results per page"},
    {"page-token", true, "lists: the page to start at"},
    {"all", false, "lists: every page"},
    {"watch", false, "notifications: stay and print each new notification as it comes"},
    {"for", true, "notifications --watch: stop after this long (30s, 10m, 2h; default: never)"},
    {"unread", false, "notifications: only the unread ones"},
    {"read", true, "notifications: mark these notifications read (ids, comma-separated)"},
    {"read-all", false, "notifications: mark every notification read"},
    {"set", true,
     "notification-settings: how you receive kinds, KIND=in_app|email_now|daily_digest, "
     "comma-separated"},
    {"reason", true,
     "handover: the reason (propose, decline, cancel, withdraw-consent); breakglass open: why "
     "this cannot wait (at least 20 characters); trajectory close (required), pause"},
    {"basis", true, "handover propose: consent | legal_task | vital_interest"},
    {"basis-note", true,
     "handover propose: what the consent covers, the legal reference, or the vital-interest "
     "reason"},
    {"signal", true, "handover propose: the signal it follows up"},
    {"consent-date", true, "handover propose: when the resident consented (default today)"},
    {"response-days", true, "handover propose: working days to answer (default 5, at most 60)"},
    {"date", true,
     "handover introduce: when the resident met the receiver; trajectory measure: the day of "
     "the measurement (default today)"},
    {"with", true, "handover introduce: whom the resident met"},
    {"outcome", true,
     "handover complete: helped | not_helped | referred_on | resident_declined; audit query: "
     "allowed | denied | failed"},
    {"start-date", true,
     "trajectory start: the first day, YYYY-MM-DD (default today); step-status: when the step "
     "started"},
    {"bijstand-since", true, "trajectory start: since when the resident receives bijstand"},
    {"goal", true, "trajectory start: the goal of the trajectory"},
    {"rung", true, "trajectory measure: the rung on the participation ladder, 1..6"},
    {"note", true, "trajectory measure: a note with the measurement"},
    {"mine", false, "trajectory list: only your own caseload"},
    {"include-closed", false, "trajectory list: closed trajectories too"},
    {"type", true,
     "trajectory step: language_course | volunteering | training | job_application | "
     "work_placement | debt_help | health | referral | other"},
    {"planned-date", true, "trajectory step: when the step is planned, YYYY-MM-DD"},
    {"handover", true, "trajectory step: the handover a referral step is (required for referral)"},
    {"step", true, "trajectory step-status: the step id"},
    {"end-date", true, "trajectory step-status: when the step ended"},
    {"by", true, "report: month | quarter | opgave | category | wijk | organisation | team"},
    {"csv", false, "report: print CSV instead of a table (as -o csv)"},
    {"request", true, "privacy: the reference of the resident's request (required)"},
    {"code", true, "enroll: the one-time enrollment code an administrator gave you"},
    {"ca", true, "enroll: the deployment's CA certificate (PEM) to verify the server with"},
    {"out", true, "enroll, cert renew: the new directory to write the identity to"},
    {"p12-password-file", true,
     "enroll, cert renew: a file holding the password for identity.p12 (default: a random "
     "one, written to DIR/p12-password)"},
};

const std::set<std::string> kGroups = {"resident",   "breakglass", "signal",  "handover", "audit",
                                       "trajectory", "report",     "privacy", "cert"};
constexpr char kTopLevel[] =
    "whoami | orgs | teams | people | categories | wijken | opgaven | vocabularies | enroll | "
    "cert | resident | breakglass | signal | handover | audit | trajectory | report | privacy | "
    "help | completion";

// A certificate this close to its end is renewed now.
constexpr absl::Duration kRenewWarning = absl::Hours(24 * 30);

std::string RoleLabel(int role) {
  std::string name = v1::Role_Name(role);
  if (name.rfind("ROLE_", 0) == 0) name = name.substr(5);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string Date(const google::protobuf::Timestamp& t) {
  return tools::LocalDate(absl::FromUnixSeconds(t.seconds()));
}

int WhoAmI(Invocation& in) {
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->WhoAmI();
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] {
    std::vector<std::string> roles;
    for (int role : r->professional().roles()) roles.push_back(RoleLabel(role));
    std::cout << absl::StrFormat("%-13s %s\n", "professional", r->professional().id())
              << absl::StrFormat("%-13s %s\n", "name", r->professional().display_name())
              << absl::StrFormat("%-13s %s (%s)\n", "organisation", r->organisation().id(),
                                 r->organisation().name())
              << absl::StrFormat("%-13s %s\n", "roles", absl::StrJoin(roles, ", "))
              << absl::StrFormat("%-13s %s\n", "teams",
                                 Cell(absl::StrJoin(r->professional().teams(), ", ")))
              << absl::StrFormat("%-13s %s, valid until %s\n", "certificate",
                                 r->certificate().serial(), Date(r->certificate().not_after()));
    if (!r->professional().pending_roles().empty()) {
      std::vector<std::string> pending;
      for (int role : r->professional().pending_roles()) pending.push_back(RoleLabel(role));
      std::cout << absl::StrFormat("%-13s %s (await a second administrator's approval)\n",
                                   "pending", absl::StrJoin(pending, ", "));
    }
    if (!r->professional().pending_teams().empty()) {
      std::cout << absl::StrFormat(
          "%-13s %s (await a second administrator's approval)\n", "pending teams",
          Cell(absl::StrJoin(r->professional().pending_teams(), ", ")));
    }
    absl::Time end = absl::FromUnixSeconds(r->certificate().not_after().seconds());
    if (end - absl::Now() < kRenewWarning) {
      std::cout << absl::StrFormat("%-13s the certificate ends on %s: renew it now with "
                                   "`schakel cert renew --out DIR`\n",
                                   "warning", Date(r->certificate().not_after()));
    }
  });
}

int Orgs(Invocation& in) {
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto all = (*client)->ListAllOrganisations();
  if (!all.ok()) return Fail(all.status());
  v1::ListOrganisationsResponse response;
  for (auto& o : *all) *response.add_organisations() = o;
  tools::Table table{{"ID", "NAME", "SECTOR", "OPGAVEN"}, {}, {}};
  for (const auto& o : *all) {
    table.rows.push_back({Cell(o.id()), Cell(o.name()), Cell(o.sector()),
                          Cell(absl::StrJoin(o.opgaven(), ","))});
  }
  return PrintList(in, response, table);
}

// The teams, ordered by organisation and id. --json: one Team per line
// (not the response), so that a script can read them line by line.
int Teams(Invocation& in) {
  Flags f(in);
  std::string organisation = f.Optional("org");
  if (f.Has("org") && organisation.empty()) f.Required("org");  // "--org is required"
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  if (absl::Status s = CheckReference(**client, "org", "organisation", organisation); !s.ok()) {
    return Fail(s);
  }
  auto r = (*client)->ListTeams(organisation);
  if (!r.ok()) return Fail(r.status());
  if (in.json()) {
    for (const v1::Team& t : r->teams()) {
      if (absl::Status s = tools::PrintJsonLine(t); !s.ok()) return Fail(s);
    }
    if (!std::cout) return Fail(absl::InternalError("cannot write to standard output"));
    return 0;
  }
  tools::Table table{{"ORGANISATION", "TEAM", "NAME", "INTAKE"}, {}, {}};
  for (const v1::Team& t : r->teams()) {
    table.rows.push_back({Cell(t.organisation_id()), Cell(t.id()), Cell(t.name()),
                          t.intake() ? "yes" : "-"});
  }
  return PrintList(in, *r, table);
}

std::vector<Command> AllCommands() {
  std::vector<Command> all = {
      {"", "whoami", "", {}, "", WhoAmI},
      {"", "orgs", "", {}, "", Orgs},
      {"", "teams", "", {"org"}, "[--org ORG]", Teams},
  };
  for (auto* group : {ReferenceCommands, CredentialCommands, ResidentCommands, SignalCommands,
                      HandoverCommands, AuditCommands, TrajectoryCommands, ReportCommands,
                      PrivacyCommands, NotificationCommands}) {
    for (Command& c : group()) all.push_back(std::move(c));
  }
  return all;
}

std::string FullName(const Command& c) {
  return c.group.empty() ? c.verb : absl::StrCat(c.group, " ", c.verb);
}

// The commands that print a table (and so take -o csv and --no-headers).
const std::set<std::string> kTableCommands = {
    "orgs",          "teams",          "people",         "categories",
    "wijken",        "opgaven",        "vocabularies",   "resident find",
    "resident duplicates", "resident register", "signal list", "handover inbox",
    "handover outbox", "trajectory list", "audit query",  "audit breakglass",
    "audit resident-report", "audit anomalies", "audit privacy-acts", "report signals",
    "report handovers", "report participation"};

// One example per command, for `schakel COMMAND --help`.
const std::map<std::string, std::string> kExamples = {
    {"whoami", "schakel whoami"},
    {"orgs", "schakel orgs -o csv"},
    {"teams", "schakel teams --org gemeente-lv"},
    {"people", "schakel people --org gemeente-lv --role consultant"},
    {"categories", "schakel categories --opgave FZ"},
    {"wijken", "schakel wijken"},
    {"opgaven", "schakel opgaven"},
    {"vocabularies", "schakel vocabularies --name handover_outcome"},
    {"enroll",
     "schakel enroll --server 127.0.0.1:7444 --ca ca.pem --code 4K7Q-M2ZX-... --out ~/schakel"},
    {"cert renew", "schakel cert renew --out ~/schakel-2027"},
    {"resident register",
     "schakel resident register --name \"Fatima El Amrani\" --birth-date 1985-03-02 \\\n"
     "      --address \"Prinsenhoflaan 1\" --wijk prinsenhof"},
    {"resident find", "schakel resident find --name \"fatima el\" --birth-date 1985-03-02"},
    {"resident show", "schakel resident show r4k2..."},
    {"resident duplicates", "schakel resident duplicates"},
    {"resident merge", "schakel resident merge --keep r4k2... --merge r9x1..."},
    {"breakglass open",
     "schakel breakglass open --resident r4k2... --reason \"acute zorg, geen bereik via de "
     "huisarts\""},
    {"signal create",
     "schakel signal create --category FZ-SCHULDEN --wijk prinsenhof --place \"Winkelcentrum\" \\\n"
     "      --description \"Betalingsachterstand huur\" --urgency high"},
    {"signal show", "schakel signal show s7p3..."},
    {"signal list", "schakel signal list --status open --wijk prinsenhof --all"},
    {"signal assign", "schakel signal assign s7p3... --owner woej"},
    {"signal status", "schakel signal status s7p3... --to in_progress"},
    {"signal note", "schakel signal note s7p3... --text \"Gebeld, geen gehoor\""},
    {"handover propose",
     "schakel handover propose --resident r4k2... --to woej --reason \"Hulp bij formulieren\" \\\n"
     "      --basis consent --basis-note \"taalhuis en schuldhulp\""},
    {"handover show", "schakel handover show h2m8..."},
    {"handover accept", "schakel handover accept h2m8..."},
    {"handover decline", "schakel handover decline h2m8... --reason \"Geen plek tot maart\""},
    {"handover introduce", "schakel handover introduce h2m8... --with \"J. de Vries\""},
    {"handover complete",
     "schakel handover complete h2m8... --outcome helped --text \"Aangemeld\""},
    {"handover cancel", "schakel handover cancel h2m8... --reason \"Dubbel verstuurd\""},
    {"handover withdraw-consent",
     "schakel handover withdraw-consent h2m8... --reason \"Bewoner wil het niet meer\""},
    {"handover forward", "schakel handover forward h2m8... --to-team werk-en-inkomen"},
    {"handover note", "schakel handover note h2m8... --text \"Afspraak dinsdag\""},
    {"handover inbox", "schakel handover inbox --status proposed"},
    {"handover outbox", "schakel handover outbox -o csv --no-headers"},
    {"trajectory start", "schakel trajectory start --resident r4k2... --goal \"Vrijwilligerswerk\""},
    {"trajectory show", "schakel trajectory show t5c1..."},
    {"trajectory list", "schakel trajectory list --mine"},
    {"trajectory measure", "schakel trajectory measure t5c1... --rung 3"},
    {"trajectory step",
     "schakel trajectory step t5c1... --type volunteering --description \"Bibliotheek\""},
    {"trajectory step-status", "schakel trajectory step-status t5c1... --step st1... --status done"},
    {"trajectory transfer", "schakel trajectory transfer t5c1... --to p8d2..."},
    {"trajectory close", "schakel trajectory close t5c1... --reason \"Betaald werk gevonden\""},
    {"trajectory pause", "schakel trajectory pause t5c1... --reason \"Ziekte\""},
    {"trajectory resume", "schakel trajectory resume t5c1..."},
    {"audit query",
     "schakel audit query --action GetResident --from 2026-11-01 --to 2026-11-30 --all"},
    {"audit verify", "schakel audit verify --expect 1200:3f9a..."},
    {"audit breakglass", "schakel audit breakglass --from 2026-11-01"},
    {"audit resident-report", "schakel audit resident-report --resident r4k2... --all"},
    {"audit anomalies", "schakel audit anomalies --from 2026-11-01 --to 2026-11-30"},
    {"audit grants", "schakel audit grants"},
    {"audit privacy-acts", "schakel audit privacy-acts --from 2026-11-01"},
    {"report signals", "schakel report signals --period 2026-Q4 --by opgave"},
    {"report handovers", "schakel report handovers --period 2026-11 --by organisation -o csv"},
    {"report participation", "schakel report participation --period 2026 --by quarter"},
    {"privacy export", "schakel privacy export --resident r4k2... --request AVG-2026-17"},
    {"privacy rectify",
     "schakel privacy rectify --resident r4k2... --request AVG-2026-18 --address \"Heuvelweg 3\""},
    {"privacy erase", "schakel privacy erase --resident r4k2... --request AVG-2026-19"},
    {"privacy hold", "schakel privacy hold --resident r4k2... --request AVG-2026-20"},
    {"privacy release", "schakel privacy release --resident r4k2... --request AVG-2026-20"},
};

constexpr char kGlobalFlags[] =
    "global flags: --server HOST:PORT, --identity DIR, --purpose CODE, -o json|table|csv\n"
    "(--output; --json is -o json), --no-headers, --version; see schakel --help\n";

std::string Usage(const std::vector<Command>& commands, const tools::Args& args) {
  std::string out =
      "usage: schakel [--server HOST:PORT] [--identity DIR] [--purpose CODE]\n"
      "               [-o json|table|csv] [--no-headers] COMMAND [ID] [FLAGS]\n"
      "       schakel COMMAND --help, schakel help COMMAND: one command's flags and an example\n"
      "       schakel completion bash: shell completion (source <(schakel completion bash))\n"
      "       schakel --version\n"
      "commands:\n"
      "  whoami   the professional, organisation, roles and teams of your certificate\n"
      "  orgs     the partner organisations\n"
      "  teams    the teams of the organisations: teams [--org ORG]; --json prints one\n"
      "           Team per line\n"
      "  people   the colleagues' directory: people [--org ORG] [--team T] [--role R]\n"
      "           [--name N]\n"
      "  categories [--opgave O], wijken, opgaven, vocabularies [--name V]\n"
      "           the reference data: the signal taxonomy, the wijken, the opgaven with\n"
      "           their doelen, the fixed vocabularies with their Dutch labels\n";
  std::string group;
  for (const Command& c : commands) {
    if (c.group.empty() && c.verb != "enroll") continue;  // the top-level ones: above
    if (c.group.empty()) {
      absl::StrAppend(&out,
                      "  enroll   make your key and get your first certificate with a one-time "
                      "code:\n    enroll ",
                      c.synopsis, "\n");
      continue;
    }
    if (c.group != group) {
      group = c.group;
      absl::StrAppend(&out, "  ", group, "\n");
    }
    absl::StrAppend(&out, "    ", c.verb, c.operand.empty() ? "" : " ", c.operand,
                    c.synopsis.empty() ? "" : " ", c.synopsis, "\n");
  }
  absl::StrAppend(
      &out,
      "Creating commands (resident register, breakglass open, signal create, signal note,\n"
      "handover propose, handover note, trajectory start, trajectory step) print the new id\n"
      "alone on one line; --json prints the response in the proto3 JSON mapping (trajectory\n"
      "start: the Trajectory). An error is one line on stderr and a non-zero exit\n"
      "code; resident register exits 3 when it found a match and created nothing; audit verify\n"
      "prints \"intact: N entries, head SEQ:HASH, K checkpoints\" and exits 0, or prints\n"
      "\"NOT INTACT at seq S: problem\" on stderr and exits 4.\n"
      "Output: tables (lists) in columns sized by display width, or -o csv (RFC 4180) or\n"
      "-o json; --no-headers leaves the header line out. Times in tables are in\n"
      "Europe/Amsterdam (CET/CEST); JSON keeps UTC. Deadlines are dates, OVERDUE marked.\n"
      "resident merge and privacy erase ask for confirmation on a terminal; elsewhere they\n"
      "need --yes.\n"
      "Audit periods are whole days in Europe/Amsterdam: --from D starts at 00:00 of D;\n"
      "--to D is inclusive (D itself is included). In audit query, RESIDENTS\n"
      "shows at most two ids and how many more (--json shows all); BG marks break-glass;\n"
      "--action takes Service.Method or the method alone (GetResident).\n"
      "trajectory measure prints the latest rung, its label and the movement since the first\n"
      "and the previous measurement; a measurement is due six months after the last one:\n"
      "show and list mark it \"due\" when the date is near, \"OVERDUE\" after it.\n"
      "trajectory transfer ID --to C moves one\n"
      "trajectory; transfer --from C --to C2 moves every open trajectory of consultant C.\n"
      "Teams: you act for one team of your organisation; where you work in several, name it\n"
      "with --team (resident register, signal create, handover propose, trajectory start),\n"
      "else the server refuses. A handover to an organisation lands at its intake team\n"
      "unless --to-team names another; the receiving team may pass it on with handover\n"
      "forward ID --to-team T. show commands print ORGANISATION/TEAM.\n"
      "Every request records a purpose of use in the audit log, a code of the deployment's\n"
      "list: --purpose CODE, else $SCHAKEL_PURPOSE, else the server's default\n"
      "(zorgcoordinatie). The default list: zorgcoordinatie, signaalopvolging,\n"
      "warme-overdracht, participatie, spoed, avg-verzoek, toezicht, beheer, monitor;\n"
      "anders:TEXT only where the deployment allows it. An unknown code is refused.\n"
      "flags:\n",
      args.Help());
  return out;
}

// `schakel COMMAND --help`: the synopsis, the command's own flags with
// their help, the global flags, and an example.
std::string CommandHelp(const Command& c, const tools::Args& args) {
  std::string name = FullName(c);
  std::string out = absl::StrCat("usage: schakel ", name, c.operand.empty() ? "" : " ", c.operand,
                                 c.synopsis.empty() ? "" : " ", c.synopsis, "\n");
  if (!c.flags.empty()) {
    absl::StrAppend(&out, "flags:\n");
    for (const std::string& flag : c.flags) {
      absl::StrAppend(&out, "  --", flag, args.TakesValue(flag) ? " VALUE" : "", "\n      ",
                      args.HelpOf(flag), "\n");
    }
  }
  if (kTableCommands.count(name) > 0) {
    absl::StrAppend(&out, "prints a table: -o table (default), -o csv, -o json; --no-headers\n");
  }
  absl::StrAppend(&out, kGlobalFlags);
  auto example = kExamples.find(name);
  if (example != kExamples.end()) absl::StrAppend(&out, "example:\n  ", example->second, "\n");
  return out;
}

// `schakel GROUP --help`: the group's commands.
std::string GroupHelp(const std::string& group, const std::vector<Command>& commands) {
  std::string out = absl::StrCat("usage: schakel ", group, " COMMAND [ID] [FLAGS]\ncommands:\n");
  for (const Command& c : commands) {
    if (c.group != group) continue;
    absl::StrAppend(&out, "  ", c.verb, c.operand.empty() ? "" : " ", c.operand,
                    c.synopsis.empty() ? "" : " ", c.synopsis, "\n");
  }
  absl::StrAppend(&out, "schakel ", group, " COMMAND --help shows one command's flags and an "
                        "example\n");
  return out;
}

// The help that `words` (the positional words, without "help") ask for:
// a command's, a group's, or the whole usage.
std::string HelpFor(const std::vector<std::string>& words, const std::vector<Command>& commands,
                    const tools::Args& args) {
  if (words.empty()) return Usage(commands, args);
  if (kGroups.count(words[0]) > 0) {
    for (const Command& c : commands) {
      if (words.size() > 1 && c.group == words[0] && c.verb == words[1]) {
        return CommandHelp(c, args);
      }
    }
    return GroupHelp(words[0], commands);
  }
  for (const Command& c : commands) {
    if (c.group.empty() && c.verb == words[0]) return CommandHelp(c, args);
  }
  return Usage(commands, args);
}

// The choices a flag's value completes to; empty: any value.
std::string FlagValues(const std::string& flag) {
  if (flag == "output") return "json table csv";
  if (flag == "urgency") return "low normal high acute";
  if (flag == "basis") return "consent legal_task vital_interest";
  if (flag == "visibility") return "involved own_organisation health";
  if (flag == "by") return "month quarter opgave category wijk organisation team";
  if (flag == "role") {
    return "regisseur consultant bridge_officer ggz partner auditor admin analyst "
           "privacy_officer";
  }
  if (flag == "type") {
    return "language_course volunteering training job_application work_placement debt_help "
           "health referral other";
  }
  return "";
}

// `schakel completion bash`: a completion function made from the command
// table, so that it knows every command, verb and flag of this binary.
std::string BashCompletion(const std::vector<Command>& commands, const tools::Args& args) {
  std::set<std::string> top = {"help", "completion"};
  std::map<std::string, std::vector<std::string>> verbs;
  for (const Command& c : commands) {
    if (c.group.empty()) {
      top.insert(c.verb);
    } else {
      top.insert(c.group);
      verbs[c.group].push_back(c.verb);
    }
  }
  const std::string global = "--server --identity --purpose --output -o --json --no-headers "
                             "--help --version";
  std::vector<std::string> value_flags = {"-o"};
  for (const std::string& name : args.Names()) {
    if (args.TakesValue(name)) value_flags.push_back(absl::StrCat("--", name));
  }
  std::string out =
      "# bash completion for schakel: source <(schakel completion bash)\n"
      "_schakel() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\" words=() i w\n"
      "  [ \"$COMP_CWORD\" -gt 0 ] && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      "  local value_flags=\" " +
      absl::StrJoin(value_flags, " ") +
      " \"\n"
      "  if [[ \"$value_flags\" == *\" $prev \"* ]]; then\n"
      "    case \"$prev\" in\n";
  for (const std::string& name : args.Names()) {
    std::string values = FlagValues(name);
    if (values.empty()) continue;
    absl::StrAppend(&out, "      --", name, name == "output" ? "|-o" : "",
                    ") COMPREPLY=($(compgen -W \"", values, "\" -- \"$cur\")); return;;\n");
  }
  absl::StrAppend(&out,
                  "      *) COMPREPLY=(); return;;\n"
                  "    esac\n"
                  "  fi\n"
                  "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
                  "    w=\"${COMP_WORDS[i]}\"\n"
                  "    if [[ \"$w\" == -* ]]; then\n"
                  "      [[ \"$value_flags\" == *\" $w \"* ]] && ((i++))\n"
                  "    else\n"
                  "      words+=(\"$w\")\n"
                  "    fi\n"
                  "  done\n"
                  "  local candidates=\"\"\n"
                  "  if [[ \"$cur\" == -* ]]; then\n"
                  "    candidates=\"",
                  global, "\"\n    case \"${words[*]}\" in\n");
  for (const Command& c : commands) {
    std::vector<std::string> flags;
    for (const std::string& f : c.flags) flags.push_back(absl::StrCat("--", f));
    absl::StrAppend(&out, "      \"", FullName(c), "\"*) candidates+=\" ",
                    absl::StrJoin(flags, " "), "\";;\n");
  }
  absl::StrAppend(&out,
                  "    esac\n"
                  "  elif [ \"${#words[@]}\" -eq 0 ]; then\n"
                  "    candidates=\"",
                  absl::StrJoin(top, " "),
                  "\"\n"
                  "  elif [ \"${#words[@]}\" -eq 1 ]; then\n"
                  "    case \"${words[0]}\" in\n");
  for (const auto& [group, names] : verbs) {
    absl::StrAppend(&out, "      ", group, ") candidates=\"", absl::StrJoin(names, " "),
                    "\";;\n");
  }
  absl::StrAppend(&out,
                  "      help) candidates=\"", absl::StrJoin(top, " "),
                  "\";;\n"
                  "      completion) candidates=\"bash\";;\n"
                  "    esac\n"
                  "  fi\n"
                  "  COMPREPLY=($(compgen -W \"$candidates\" -- \"$cur\"))\n"
                  "}\n"
                  "complete -F _schakel schakel\n");
  return out;
}

// Finds the command and checks its operands and flags.
absl::StatusOr<const Command*> Resolve(const std::vector<Command>& commands,
                                       const tools::Args& args,
                                       std::vector<std::string>* operands) {
  const std::vector<std::string>& words = args.positional();
  if (words.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected a command: ", kTopLevel, " (see --help)"));
  }
  std::string group;
  size_t next = 0;
  if (kGroups.count(words[0]) > 0) group = words[next++];
  std::vector<std::string> verbs;
  for (const Command& c : commands) {
    if (c.group == group) verbs.push_back(c.verb);
  }
  if (next >= words.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected ", group == "audit" ? "an " : "a ", group,
                     " command: ", absl::StrJoin(verbs, " | ")));
  }
  const std::string& verb = words[next++];
  const Command* command = nullptr;
  for (const Command& c : commands) {
    if (c.group == group && c.verb == verb) command = &c;
  }
  if (command == nullptr) {
    std::string typed = group.empty() ? verb : absl::StrCat(group, " ", verb);
    std::vector<std::string> candidates = verbs;
    if (group.empty()) candidates.insert(candidates.end(), kGroups.begin(), kGroups.end());
    std::string nearest = tools::Nearest(verb, candidates);
    std::string choices = group.empty() ? kTopLevel : absl::StrJoin(verbs, " | ");
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown command ", typed,
        nearest.empty() ? "" : absl::StrCat("; did you mean ", nearest, "?"), " (", choices,
        ")"));
  }
  std::string name = FullName(*command);
  operands->assign(words.begin() + static_cast<std::ptrdiff_t>(next), words.end());
  const bool optional_operand = !command->operand.empty() && command->operand.front() == '[';
  if (command->operand.empty()) {
    if (!operands->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": unexpected argument \"", (*operands)[0], "\""));
    }
  } else if (optional_operand && operands->empty()) {
    // The command checks its flags for the form without the operand.
  } else if (operands->empty() || (*operands)[0].empty()) {
    absl::string_view operand = command->operand;
    if (optional_operand) operand = operand.substr(1, operand.size() - 2);  // "[ID]" -> "ID"
    return absl::InvalidArgumentError(absl::StrCat(name, ": expected ", operand));
  } else if (operands->size() > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": unexpected argument \"", (*operands)[1], "\""));
  }
  for (const FlagSpec& flag : kCommandFlags) {
    if (!args.Has(flag.name)) continue;
    bool applies = false;
    for (const std::string& f : command->flags) applies = applies || f == flag.name;
    if (!applies) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": flag --", flag.name, " does not apply"));
    }
    if (args.GetAll(flag.name).size() > 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": flag --", flag.name, " given more than once"));
    }
  }
  if (args.Get("output") == "csv" && kTableCommands.count(name) == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("-o csv: ", name, " prints no table (use -o json)"));
  }
  return command;
}

int Main(int argc, char** argv) {
  tools::Args args;
  tools::AddConnectionFlags(args);
  args.AddString("purpose",
                 "the purpose of use recorded in the audit log: a code of the deployment's list "
                 "(e.g. zorgcoordinatie, signaalopvolging), or anders:TEXT where allowed "
                 "(default $SCHAKEL_PURPOSE, else the server's: zorgcoordinatie); empty sends "
                 "none");
  args.AddString("output",
                 "-o json | table | csv: the response in the proto3 JSON mapping (as --json), "
                 "a table (the default), or a table as CSV (RFC 4180)");
  args.AddShort('o', "output");
  args.AddBool("no-headers", "tables and CSV: leave the header line out");
  for (const FlagSpec& flag : kCommandFlags) {
    if (flag.takes_value) {
      args.AddString(flag.name, flag.help);
    } else {
      args.AddBool(flag.name, flag.help);
    }
  }
  if (absl::Status s = args.Parse(argc, argv, 1); !s.ok()) return Fail(s);
  if (args.Has("version")) {
    std::cout << tools::VersionLine(kProgram) << "\n";
    return 0;
  }
  const std::vector<Command> commands = AllCommands();
  const std::vector<std::string>& words = args.positional();
  if (!words.empty() && words[0] == "help") {
    std::cout << HelpFor(std::vector<std::string>(words.begin() + 1, words.end()), commands,
                         args);
    return 0;
  }
  if (args.Has("help")) {
    std::cout << HelpFor(words, commands, args);
    return 0;
  }
  if (!words.empty() && words[0] == "completion") {
    if (words.size() != 2 || words[1] != "bash") {
      return Fail(absl::InvalidArgumentError("completion: expected a shell: bash"));
    }
    std::cout << BashCompletion(commands, args);
    return 0;
  }
  if (args.Has("output")) {
    std::string output = args.Get("output");
    std::vector<std::string> formats = {"json", "table", "csv"};
    if (args.GetAll("output").size() > 1) {
      return Fail(absl::InvalidArgumentError("flag --output given more than once"));
    }
    if (std::find(formats.begin(), formats.end(), output) == formats.end()) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("-o: unknown value \"", output, "\"", tools::DidYouMean(output, formats),
                       " (json | table | csv)")));
    }
  }
  std::vector<std::string> operands;
  absl::StatusOr<const Command*> command = Resolve(commands, args, &operands);
  if (!command.ok()) return Fail(command.status());
  if (args.GetAll("purpose").size() > 1) {
    return Fail(absl::InvalidArgumentError("flag --purpose given more than once"));
  }
  // Checked before any command reads its flags or connects.
  if (absl::StatusOr<std::string> purpose = Purpose(args); !purpose.ok()) {
    return Fail(purpose.status());
  }
  Invocation in(args, FullName(**command), std::move(operands));
  return (*command)->run(in);
}

}  // namespace
}  // namespace schakel::cli

int main(int argc, char** argv) {
  // Nothing here is meant to throw; should anything (allocation failure),
  // it is still one line and a non-zero exit code.
  try {
    return schakel::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    return schakel::cli::Fail(absl::InternalError(e.what()));
  } catch (...) {
    return schakel::cli::Fail(absl::InternalError("unexpected error"));
  }
}
