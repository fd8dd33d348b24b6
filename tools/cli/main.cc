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
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "schakel/client.h"
#include "tools/cli/command.h"
#include "tools/common/cli.h"

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
    {"name", true, "resident: the name"},
    {"birth-date", true, "resident: the birth date, YYYY-MM-DD"},
    {"address", true, "resident register, privacy rectify: the address"},
    {"wijk", true, "the wijk code, e.g. prinsenhof"},
    {"anyway", false, "resident register: create even though a match exists"},
    {"keep", true, "resident merge: the id of the record that stays"},
    {"merge", true, "resident merge: the id of the record merged into it"},
    {"category", true, "signal: a category code of the taxonomy, e.g. FZ-SCHULDEN"},
    {"place", true, "signal create: the place"},
    {"description", true, "signal create: what was noticed; trajectory step: the step"},
    {"resident", true, "the resident id"},
    {"professional", true, "audit query: a professional id"},
    {"organisation", true, "audit query: an organisation id"},
    {"action", true, "audit query: an RPC, e.g. SignalService.GetSignal"},
    {"from", true,
     "audit query, breakglass, anomalies: the first day YYYY-MM-DD, from 00:00 UTC (default: "
     "query all, the others 30 days ago); trajectory transfer: the consultant whose whole "
     "caseload moves"},
    {"period", true,
     "report: a month YYYY-MM (2026-11), a quarter YYYY-Qn (2026-Q4) or a year YYYY (2026)"},
    {"expect", true, "audit verify: a head recorded earlier, SEQ:HASH"},
    {"urgency", true, "signal create: low | normal | high | acute"},
    {"owner", true, "signal: the owner organisation id"},
    {"team", true,
     "resident register, signal create, handover propose, trajectory start: the team of your "
     "organisation you act for (default: your only team; required when you work in several)"},
    {"owner-team", true,
     "signal create, assign: the owner team inside --owner (default: its intake team); signal "
     "list: only signals this team of --owner owns"},
    {"to-team", true,
     "handover propose: a team of the receiving organisation (default: its intake team, which "
     "may forward it); handover forward: another team of your organisation"},
    {"org", true, "teams: only the teams of this organisation"},
    {"opgave", true, "signal list: an opgave code, e.g. FZ"},
    {"status", true,
     "list filter: a signal or handover status; trajectory step, step-status: planned | "
     "started | done | stopped"},
    {"to", true,
     "signal status: the new status; handover propose: the receiving organisation; trajectory "
     "transfer: the consultant taking over; audit query, breakglass, anomalies: the end day "
     "YYYY-MM-DD, exclusive: up to 00:00 UTC of that day, which is not included (to include "
     "today, give tomorrow)"},
    {"etag", true, "updates: refuse (ABORTED) unless the record still has this etag"},
    {"text", true, "note text; handover complete: the outcome text"},
    {"visibility", true, "note: involved | own_organisation | health"},
    {"page-size", true, "lists: results per page"},
    {"page-token", true, "lists: the page to start at"},
    {"all", false, "lists: every page"},
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
    {"csv", false, "report: print CSV instead of a table"},
    {"request", true, "privacy: the reference of the resident's request (required)"},
    {"code", true, "enroll: the one-time enrollment code an administrator gave you"},
    {"ca", true, "enroll: the deployment's CA certificate (PEM) to verify the server with"},
    {"out", true, "enroll, cert renew: the new directory to write the identity to"},
    {"p12-password-file", true,
     "enroll, cert renew: a file holding the password of identity.p12 (default: asked on the "
     "terminal)"},
};

const std::set<std::string> kGroups = {"resident",   "breakglass", "signal",  "handover", "audit",
                                       "trajectory", "report",     "privacy", "cert"};
constexpr char kTopLevel[] =
    "whoami | orgs | teams | enroll | cert | resident | breakglass | signal | handover | audit | "
    "trajectory | report | privacy";

// A certificate this close to its end is renewed now.
constexpr absl::Duration kRenewWarning = absl::Hours(24 * 30);

std::string RoleLabel(int role) {
  std::string name = v1::Role_Name(role);
  if (name.rfind("ROLE_", 0) == 0) name = name.substr(5);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string Date(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(t.seconds()), absl::UTCTimeZone());
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
  return Print(in, response, [&] {
    std::cout << absl::StrFormat("%-22s %-40s %-20s %s\n", "ID", "NAME", "SECTOR", "OPGAVEN");
    for (const auto& o : *all) {
      std::cout << absl::StrFormat("%-22s %-40s %-20s %s\n", o.id(), o.name(), o.sector(),
                                   absl::StrJoin(o.opgaven(), ","));
    }
  });
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
  auto r = (*client)->ListTeams(organisation);
  if (!r.ok()) return Fail(r.status());
  if (in.json()) {
    for (const v1::Team& t : r->teams()) {
      if (absl::Status s = tools::PrintJsonLine(t); !s.ok()) return Fail(s);
    }
    if (!std::cout) return Fail(absl::InternalError("cannot write to standard output"));
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {{"ORGANISATION", "TEAM", "NAME", "INTAKE"}};
  for (const v1::Team& t : r->teams()) {
    rows.push_back({Cell(t.organisation_id()), Cell(t.id()), Cell(t.name()),
                    t.intake() ? "yes" : "-"});
  }
  PrintTable(rows, {});
  std::cout.flush();
  if (!std::cout) return Fail(absl::InternalError("cannot write to standard output"));
  return 0;
}

std::vector<Command> AllCommands() {
  std::vector<Command> all = {
      {"", "whoami", "", {}, "", WhoAmI},
      {"", "orgs", "", {}, "", Orgs},
      {"", "teams", "", {"org"}, "[--org ORG]", Teams},
  };
  for (auto* group :
       {CredentialCommands, ResidentCommands, SignalCommands, HandoverCommands, AuditCommands, TrajectoryCommands,
        ReportCommands, PrivacyCommands}) {
    for (Command& c : group()) all.push_back(std::move(c));
  }
  return all;
}

std::string FullName(const Command& c) {
  return c.group.empty() ? c.verb : absl::StrCat(c.group, " ", c.verb);
}

std::string Usage(const std::vector<Command>& commands, const tools::Args& args) {
  std::string out =
      "usage: schakel [--server HOST:PORT] [--identity DIR] [--purpose CODE] [--json]\n"
      "               COMMAND [ID] [FLAGS]\n"
      "commands:\n"
      "  whoami   the professional, organisation, roles and teams of your certificate\n"
      "  orgs     the partner organisations\n"
      "  teams    the teams of the organisations: teams [--org ORG]; --json prints one\n"
      "           Team per line\n";
  std::string group;
  for (const Command& c : commands) {
    if (c.group.empty() && c.verb != "enroll") continue;  // whoami, orgs, teams: above
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
      "Audit periods are whole days in UTC: --from D starts at 00:00 UTC of D; --to D ends\n"
      "at 00:00 UTC of D, exclusive (D itself is not included). In audit query, RESIDENTS\n"
      "shows at most two ids and how many more (--json shows all); BG marks break-glass.\n"
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
    std::string choices = group.empty() ? kTopLevel : absl::StrJoin(verbs, " | ");
    return absl::InvalidArgumentError(
        absl::StrCat("unknown command ", typed, " (", choices, ")"));
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
  for (const FlagSpec& flag : kCommandFlags) {
    if (flag.takes_value) {
      args.AddString(flag.name, flag.help);
    } else {
      args.AddBool(flag.name, flag.help);
    }
  }
  if (absl::Status s = args.Parse(argc, argv, 1); !s.ok()) return Fail(s);
  const std::vector<Command> commands = AllCommands();
  if (args.Has("help")) {
    std::cout << Usage(commands, args);
    return 0;
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
