// What the commands of the `schakel` CLI share: the command table, one
// invocation's arguments and lazily made client, flag parsing helpers
// (required values, enum words, dates, request ids) and plain output.
//
// Every command checks its arguments before it connects, so a bad argument
// is reported without reading the identity or reaching the server.
#ifndef SCHAKEL_TOOLS_CLI_COMMAND_H_
#define SCHAKEL_TOOLS_CLI_COMMAND_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/repeated_ptr_field.h>
#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "schakel/client.h"
#include "tools/common/args.h"
#include "tools/common/table.h"

namespace schakel::cli {

inline constexpr char kProgram[] = "schakel";

// Exit code of `resident register` when nothing was created because the
// caller can see a resident with the same name and birth date.
inline constexpr int kExitNeedsConfirmation = 3;
// Exit code of `audit verify` when the audit log is not intact.
inline constexpr int kExitNotIntact = 4;

// The purpose of use to send: --purpose when given (empty: none), else
// $SCHAKEL_PURPOSE; INVALID_ARGUMENT naming the flag or the variable when it
// is not valid (schakel::ValidatePurpose).
absl::StatusOr<std::string> Purpose(const tools::Args& args);

class Invocation {
 public:
  // `name` is the command as typed ("signal show"); `operands` are the
  // positional arguments after it.
  Invocation(const tools::Args& args, std::string name, std::vector<std::string> operands)
      : args_(args), name_(std::move(name)), operands_(std::move(operands)) {}

  const tools::Args& args() const { return args_; }
  const std::string& name() const { return name_; }
  // --json or -o json: the response in the proto3 JSON mapping.
  bool json() const { return args_.Has("json") || args_.Get("output") == "json"; }
  // -o csv: tables as CSV (commands that print a table; checked by the
  // dispatcher).
  bool csv() const { return args_.Get("output") == "csv"; }
  // Without --no-headers.
  bool headers() const { return !args_.Has("no-headers"); }
  // Whether the ID operand was given (a command whose operand is optional).
  bool has_id() const { return !operands_.empty(); }
  // The ID operand of commands that take one (checked by the dispatcher).
  const std::string& id() const { return operands_.at(0); }

  // The client, connected on first use with --server / --identity and the
  // purpose of use (Purpose).
  absl::StatusOr<Client*> Connect();

 private:
  const tools::Args& args_;
  std::string name_;
  std::vector<std::string> operands_;
  std::optional<Client> client_;
};

struct Command {
  // "resident", "signal", "handover", "breakglass", "audit", "trajectory", "report",
  // "rules", or "" for a top-level command.
  std::string group;
  std::string verb;
  // Operands after the verb, e.g. "ID"; empty when it takes none; in
  // brackets ("[ID]") when it may be left out (Invocation::has_id).
  std::string operand;
  // The command's own flags (the connection flags are always allowed).
  std::vector<std::string> flags;
  // Synopsis of the flags for --help, e.g. "--name N [--anyway]".
  std::string synopsis;
  std::function<int(Invocation&)> run;
};

// The commands of each file, in the order --help lists them.
std::vector<Command> ResidentCommands();
std::vector<Command> SignalCommands();
std::vector<Command> HandoverCommands();
std::vector<Command> AuditCommands();
std::vector<Command> TrajectoryCommands();
std::vector<Command> ReportCommands();
std::vector<Command> PrivacyCommands();
std::vector<Command> CredentialCommands();
std::vector<Command> ReferenceCommands();
std::vector<Command> NotificationCommands();
std::vector<Command> RoutingCommands();

// Prints the status as one line on stderr; returns the exit code (1).
// An empty message (gRPC's bare UNIMPLEMENTED) gets a short explanation.
int Fail(const absl::Status& status);
// As Fail, for a failed create: when the request may have reached the
// server (UNAVAILABLE, DEADLINE_EXCEEDED, UNKNOWN), the line names the
// request id to retry with, so that the retry creates nothing twice.
int FailCreate(const absl::Status& status, const std::string& request_id);

// --json: prints `message` in the proto3 JSON mapping; otherwise calls
// `plain`. Returns the exit code.
int Print(const Invocation& in, const google::protobuf::Message& message,
          const std::function<void()>& plain);

// A list: -o json prints `message`; -o csv the table as CSV; otherwise the
// table in columns. --no-headers leaves the header out. A next page token
// is named on stdout after a table ("more: --page-token T"), on stderr
// after CSV or without headers (where a script reads stdout).
int PrintList(const Invocation& in, const google::protobuf::Message& message,
              const tools::Table& table, const std::string& next_page_token = "");

// "Name (id)", the id alone without a name, "-" without either; made safe.
std::string NameId(absl::string_view name, absl::string_view id);
// A professional and their organisation: "ID (ORG)" when the server sent
// no names (as before names were sent), else "Name (ID), Org name (ORG)".
std::string Who(absl::string_view name, absl::string_view id, absl::string_view org_name,
                absl::string_view org);

// Asks before an act that cannot be undone (tools::Confirm with --yes).
absl::Status Confirm(const Invocation& in, const std::string& question);

// Checks a filter value against the reference data before a list is asked
// (the server refuses an unknown one too, but an empty table must never
// be the answer to a typo): `kind` is "wijk", "category", "opgave" or
// "organisation". INVALID_ARGUMENT naming --flag, the nearest valid value
// and the valid ones. OK when the value is empty, and when the server
// offers no reference data (an older server then answers for itself).
absl::Status CheckReference(Client& client, const std::string& flag, const std::string& kind,
                            const std::string& value);

// Reads the flags of one invocation and keeps the first error: a command
// reads all it needs, then checks ok() once, before it connects. Every error
// is INVALID_ARGUMENT naming the flag.
class Flags {
 public:
  explicit Flags(const Invocation& in) : in_(in) {}

  bool ok() const { return status_.ok(); }
  const absl::Status& status() const { return status_; }
  // Records a local error; the first one wins.
  void Error(absl::Status status);

  bool Has(const std::string& flag) const { return in_.args().Has(flag); }
  // The value, "" when absent.
  std::string Optional(const std::string& flag) const { return in_.args().Get(flag); }
  // The value; an error when absent or empty.
  std::string Required(const std::string& flag);
  // A YYYY-MM-DD calendar date; "" when absent and not required.
  std::string Date(const std::string& flag, bool required);
  // The enum value named by a word: the value's name without `prefix`,
  // lower-cased ("in_progress" for SIGNAL_STATUS_IN_PROGRESS), the word
  // the tables show; in any case, and also the full name JSON prints.
  // 0 when absent and not required; an error naming the nearest word and
  // listing the allowed ones for any other word.
  int Enum(const std::string& flag, const google::protobuf::EnumDescriptor* type,
           absl::string_view prefix, bool required);
  // One of `words` (given in any case), lower-cased; "" when absent and not
  // required; an error listing the words for any other value.
  std::string Choice(const std::string& flag, const std::vector<std::string>& words,
                     bool required);
  // A date YYYY-MM-DD (year 1 or later) as 00:00 of that day in
  // Europe/Amsterdam; `if_absent` when the flag is absent.
  absl::Time DayStart(const std::string& flag, absl::Time if_absent);
  // An inclusive end day: 00:00 of the day after, the exclusive bound the
  // API takes; `if_absent` when absent.
  absl::Time DayEnd(const std::string& flag, absl::Time if_absent);
  // An int32; `fallback` when absent.
  int32_t Int(const std::string& flag, int32_t fallback);
  // --request-id, checked (8..64 characters of [A-Za-z0-9_-]), or else a
  // new random "cli-" followed by 20 characters of [a-z0-9].
  std::string RequestId();

 private:
  const Invocation& in_;
  absl::Status status_;
};

// An update of the record the ID operand names: once the flags are
// checked, connects and calls `call` with the etag of --etag or, without
// one, the record's etag as it is now (`current_etag`, read just before: the
// server requires one on every update, and a user at a terminal means "as
// it is now"), then prints the answer (`show`, or --json).
template <typename CurrentEtag, typename Call, typename Show>
int UpdateWithEtag(Invocation& in, const Flags& f, const CurrentEtag& current_etag,
                   const Call& call, const Show& show) {
  if (!f.ok()) return Fail(f.status());
  absl::StatusOr<Client*> client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  std::string etag = f.Optional("etag");
  if (etag.empty()) {
    absl::StatusOr<std::string> now = current_etag(**client);
    if (!now.ok()) return Fail(now.status());
    etag = *std::move(now);
  }
  auto r = call(**client, etag);
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] { show(*r); });
}

// The lower-case word of an enum value; "-" for 0 (unspecified).
std::string EnumWord(const google::protobuf::EnumDescriptor* type, absl::string_view prefix,
                     int value);

// In Europe/Amsterdam, "2024-05-01 15:45 CEST", or "-" when unset.
std::string Time(const google::protobuf::Timestamp& t);
// ISO 8601 in Europe/Amsterdam to the second, "2024-05-01T15:45:07+02:00",
// or "-" when unset.
std::string IsoTime(const google::protobuf::Timestamp& t);
// Server text made safe for a terminal on one line: control characters
// (C0, DEL, C1) become spaces; "-" when empty.
std::string Cell(absl::string_view text);
// "label         value" with the value made safe by Cell.
void Field(absl::string_view label, absl::string_view value);
// Multi-line text under a label, each line indented and made safe.
void Block(absl::string_view label, absl::string_view text);
// Each line of `text` after `indent` spaces, made safe.
void Indented(absl::string_view text, int indent);
// The notes of a signal or handover under "notes", if there are any.
void Notes(const google::protobuf::RepeatedPtrField<v1::Note>& notes);
// "ORGANISATION/TEAM", or the organisation alone when the team is empty
// (a record from before teams, or no owner yet); not made safe (Cell).
std::string OrgTeam(absl::string_view organisation, absl::string_view team);

// Columns on screen (tools::DisplayWidth).
size_t Width(absl::string_view text);
// Prints `rows` (the first one the header) in columns as wide as their
// widest cell on screen, two spaces apart; column i is right-aligned when
// right[i] is true. No trailing spaces after a left-aligned last column.
// Cells are printed as given: make server text safe with Cell first.
void PrintTable(const std::vector<std::vector<std::string>>& rows,
                const std::vector<bool>& right);

}  // namespace schakel::cli

#endif  // SCHAKEL_TOOLS_CLI_COMMAND_H_
