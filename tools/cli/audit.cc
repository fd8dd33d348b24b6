// schakel audit query | verify | breakglass | resident-report | anomalies | grants
//
// The auditor's view of the audit log (server/audit/FORMAT.md). Periods are
// whole days in Europe/Amsterdam, the zone the tables show: --from D starts
// at 00:00 of D, --to D is inclusive (it ends at 00:00 of the day after D,
// the exclusive bound the API takes).
#include <google/protobuf/descriptor.h>

#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/cli/command.h"
#include "tools/common/suggest.h"

namespace schakel::cli {
namespace {

// The residents of an entry in a table cell: at most kShownResidents ids,
// then how many more (--json shows them all).
constexpr int kShownResidents = 2;

std::string Residents(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  if (ids.empty()) return "-";
  std::vector<std::string> shown;
  for (const std::string& id : ids) {
    if (static_cast<int>(shown.size()) == kShownResidents) break;
    shown.push_back(Cell(id));
  }
  std::string out = absl::StrJoin(shown, ",");
  if (ids.size() > kShownResidents) absl::StrAppend(&out, ",+", ids.size() - kShownResidents);
  return out;
}

// "signal/ID", "audit", or "-".
std::string Resource(const v1::AuditEntry& e) {
  if (e.resource_type().empty() && e.resource_id().empty()) return "-";
  if (e.resource_id().empty()) return Cell(e.resource_type());
  return absl::StrCat(Cell(e.resource_type()), "/", Cell(e.resource_id()));
}

// The period of --from / --to (inclusive); unset ends stay unset (the
// server's default). An error when --from is after --to.
absl::Time PeriodStart(Flags& f) { return f.DayStart("from", absl::InfinitePast()); }

absl::Time PeriodEnd(Flags& f, absl::Time from) {
  absl::Time to = f.DayEnd("to", absl::InfiniteFuture());
  if (f.ok() && f.Has("from") && f.Has("to") && from >= to) {
    f.Error(absl::InvalidArgumentError("--from: must not be after --to"));
  }
  return to;
}

// The services whose methods --action names in its short form.
constexpr const char* kServices[] = {
    "DirectoryService", "AdminService",   "ResidentService", "SignalService",
    "HandoverService",  "AuditService",   "TrajectoryService", "ReportService",
    "PrivacyService",   "ReferenceService", "EnrollmentService"};

// --action: "Service.Method" (or any other recorded action, e.g.
// "schakel-admin.restore") as given; a bare method name ("GetResident") as
// "ResidentService.GetResident". A bare name of no method, or of methods
// of two services (ListGrants), is an error naming the choices.
std::string Action(Flags& f) {
  std::string given = f.Optional("action");
  if (given.empty() || given.find_first_of(".- ") != std::string::npos) return given;
  std::vector<std::string> matches, methods;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const char* service : kServices) {
    const google::protobuf::ServiceDescriptor* d =
        pool->FindServiceByName(absl::StrCat("schakel.v1.", service));
    if (d == nullptr) continue;
    for (int i = 0; i < d->method_count(); ++i) {
      methods.push_back(d->method(i)->name());
      if (d->method(i)->name() == given) matches.push_back(absl::StrCat(service, ".", given));
    }
  }
  if (matches.size() == 1) return matches[0];
  if (matches.size() > 1) {
    f.Error(absl::InvalidArgumentError(absl::StrCat("--action: ", given, " is a method of ",
                                                    matches.size(), " services; give one of ",
                                                    absl::StrJoin(matches, " | "))));
    return given;
  }
  f.Error(absl::InvalidArgumentError(absl::StrCat(
      "--action: no method \"", given, "\"", tools::DidYouMean(given, methods),
      " (give Service.Method, e.g. ResidentService.GetResident, or a method name alone)")));
  return given;
}

void SetDay(absl::Time t, google::protobuf::Timestamp* out) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return;
  out->set_seconds(absl::ToUnixSeconds(t));
}

int Query(Invocation& in) {
  Flags f(in);
  v1::QueryAuditRequest request;
  request.set_professional_id(f.Optional("professional"));
  request.set_organisation_id(f.Optional("organisation"));
  request.set_resident_id(f.Optional("resident"));
  request.set_action(Action(f));
  request.set_outcome(f.Choice("outcome", {"allowed", "denied", "failed"}, /*required=*/false));
  absl::Time from = PeriodStart(f);
  absl::Time to = PeriodEnd(f, from);
  SetDay(from, request.mutable_from());
  SetDay(to, request.mutable_to());
  request.set_page_size(f.Int("page-size", 0));
  request.set_page_token(f.Optional("page-token"));
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  v1::QueryAuditResponse response;
  if (f.Has("all")) {
    auto all = (*client)->QueryAllAudit(request);
    if (!all.ok()) return Fail(all.status());
    for (auto& e : *all) *response.add_entries() = std::move(e);
  } else {
    auto page = (*client)->QueryAudit(request);
    if (!page.ok()) return Fail(page.status());
    response = *std::move(page);
  }
  // Professional and organisation by name (directory data); the
  // residents by id only: the auditor reads no resident's name.
  tools::Table table{{"SEQ", "TIME", "PROFESSIONAL", "ORGANISATION", "ACTION", "RESOURCE",
                      "RESIDENTS", "OUTCOME", "BG", "PURPOSE"}, {}, {true}};
  for (const auto& e : response.entries()) {
    table.rows.push_back({absl::StrCat(e.seq()), IsoTime(e.time()),
                          NameId(e.professional_name(), e.professional_id()),
                          NameId(e.organisation_name(), e.organisation_id()), Cell(e.action()),
                          Resource(e), Residents(e.resident_ids()), Cell(e.outcome()),
                          e.break_glass() ? "BG" : "-", Cell(e.purpose())});
  }
  return PrintList(in, response, table, response.next_page_token());
}

// --expect SEQ:HASH, the hash lower-cased.
void ParseExpect(Flags& f, int64_t* seq, std::string* hash) {
  if (!f.Has("expect")) return;
  std::string value = f.Optional("expect");
  size_t colon = value.find(':');
  bool ok = colon != std::string::npos &&
            absl::SimpleAtoi(absl::string_view(value).substr(0, colon), seq) && *seq > 0 &&
            value.size() - colon - 1 == 64;
  if (ok) {
    *hash = absl::AsciiStrToLower(absl::string_view(value).substr(colon + 1));
    for (char c : *hash) ok = ok && absl::ascii_isxdigit(static_cast<unsigned char>(c));
  }
  if (!ok) {
    f.Error(absl::InvalidArgumentError(
        "--expect: must be SEQ:HASH (a sequence number from 1 and a 64-digit hex hash)"));
  }
}

int Verify(Invocation& in) {
  Flags f(in);
  int64_t seq = 0;
  std::string hash;
  ParseExpect(f, &seq, &hash);
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->VerifyAudit(seq, hash);
  if (!r.ok()) return Fail(r.status());
  if (r->intact()) {
    return Print(in, *r, [&] {
      std::cout << "intact: " << r->entries() << " entries, head " << r->head_seq() << ":"
                << Cell(r->head_hash()) << ", " << r->checkpoints() << " checkpoints\n";
    });
  }
  if (in.json()) {
    if (int code = Print(in, *r, [] {}); code != 0) return code;
  }
  std::string problem = r->problem().empty() ? "no reason given" : Cell(r->problem());
  if (r->first_bad_seq() > 0) {
    std::cerr << "NOT INTACT at seq " << r->first_bad_seq() << ": " << problem << std::endl;
  } else {
    std::cerr << "NOT INTACT: " << problem << std::endl;
  }
  return kExitNotIntact;
}

int BreakGlass(Invocation& in) {
  Flags f(in);
  absl::Time from = PeriodStart(f);
  absl::Time to = PeriodEnd(f, from);
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->ListBreakGlass(from, to);
  if (!r.ok()) return Fail(r.status());
  tools::Table table{
      {"ID", "START", "END", "PROFESSIONAL", "ORGANISATION", "RESIDENT", "REASON"}, {}, {}};
  for (const auto& s : r->sessions()) {
    table.rows.push_back({Cell(s.id()), IsoTime(s.start_time()), IsoTime(s.end_time()),
                          Cell(s.professional_id()), Cell(s.organisation_id()),
                          Cell(s.resident_id()), Cell(s.reason())});
  }
  return PrintList(in, *r, table);
}

int ResidentReport(Invocation& in) {
  Flags f(in);
  v1::ResidentAccessReportRequest request;
  request.set_resident_id(f.Required("resident"));
  request.set_page_size(f.Int("page-size", 0));
  request.set_page_token(f.Optional("page-token"));
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  v1::ResidentAccessReportResponse response;
  if (f.Has("all")) {
    auto all = (*client)->AllResidentAccesses(request);
    if (!all.ok()) return Fail(all.status());
    for (auto& e : *all) *response.add_accesses() = std::move(e);
  } else {
    auto page = (*client)->ResidentAccessReport(request);
    if (!page.ok()) return Fail(page.status());
    response = *std::move(page);
  }
  tools::Table table{{"TIME", "ORGANISATION", "ROLES", "ACTION", "RESOURCE", "PURPOSE",
                      "BREAK-GLASS", "OUTCOME"}, {}, {}};
  for (const auto& e : response.accesses()) {
    table.rows.push_back({IsoTime(e.time()), NameId(e.organisation_name(), e.organisation_id()),
                          Cell(e.roles()), Cell(e.action()), Resource(e), Cell(e.purpose()),
                          e.break_glass() ? "yes" : "no", Cell(e.outcome())});
  }
  return PrintList(in, response, table, response.next_page_token());
}

int Anomalies(Invocation& in) {
  Flags f(in);
  absl::Time from = PeriodStart(f);
  absl::Time to = PeriodEnd(f, from);
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->ListAnomalies(from, to);
  if (!r.ok()) return Fail(r.status());
  tools::Table table{{"KIND", "PROFESSIONAL", "ORGANISATION", "DAY", "COUNT", "USUAL", "DETAIL"},
                     {},
                     {false, false, false, false, true, true}};
  for (const auto& a : r->anomalies()) {
    std::string usual = a.kind() == v1::Anomaly::KIND_READ_VOLUME ? absl::StrCat(a.usual()) : "-";
    table.rows.push_back({EnumWord(v1::Anomaly::Kind_descriptor(), "KIND_", a.kind()),
                          Cell(a.professional_id()), Cell(a.organisation_id()), Cell(a.day()),
                          absl::StrCat(a.count()), usual, Cell(a.detail())});
  }
  return PrintList(in, *r, table);
}

std::string RoleWords(const google::protobuf::RepeatedField<int>& roles) {
  std::vector<std::string> words;
  for (int r : roles) words.push_back(EnumWord(v1::Role_descriptor(), "ROLE_", r));
  return words.empty() ? "-" : absl::StrJoin(words, ",");
}

// Every professional with roles in effect and pending, the full history of
// grants, and the grant anomalies.
int Grants(Invocation& in) {
  Flags f(in);
  v1::ListGrantsRequest request;
  request.set_professional_id(f.Optional("professional"));
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->ReviewGrants(request);
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] {
    constexpr char kPeople[] = "%-24s %-20s %-8s %-28s %s\n";
    std::cout << absl::StrFormat(kPeople, "PROFESSIONAL", "ORGANISATION", "DISABLED", "ROLES",
                                 "PENDING");
    for (const auto& p : r->professionals()) {
      std::cout << absl::StrFormat(kPeople, Cell(p.id()), Cell(p.organisation_id()),
                                   p.disabled() ? "yes" : "no", RoleWords(p.roles()),
                                   RoleWords(p.pending_roles()));
    }
    std::cout << "\n";
    constexpr char kGrants[] = "%-24s %-9s %-24s %-20s %-5s %-28s %-24s %-20s %-24s %s\n";
    std::cout << absl::StrFormat(kGrants, "GRANT", "STATUS", "PROFESSIONAL", "ORGANISATION",
                                 "TEAM", "ROLES", "REQUESTED-BY", "REQUESTED", "DECIDED-BY",
                                 "DECIDED");
    for (const auto& g : r->grants()) {
      std::cout << absl::StrFormat(
          kGrants, Cell(g.id()), EnumWord(v1::Grant::Status_descriptor(), "STATUS_", g.status()),
          Cell(g.professional_id()), Cell(g.organisation_id()),
          g.team().empty() ? "-" : Cell(g.team()), RoleWords(g.roles()), Cell(g.requested_by()),
          Time(g.request_time()), g.decided_by().empty() ? "-" : Cell(g.decided_by()),
          g.has_decide_time() ? Time(g.decide_time()) : "-");
    }
    if (r->anomalies().empty()) return;
    std::cout << "\n";
    constexpr char kAnomalies[] = "%-22s %-24s %-24s %-20s %s\n";
    std::cout << absl::StrFormat(kAnomalies, "ANOMALY", "GRANT", "PROFESSIONAL", "TIME",
                                 "DETAIL");
    for (const auto& a : r->anomalies()) {
      std::cout << absl::StrFormat(
          kAnomalies, EnumWord(v1::GrantAnomaly::Kind_descriptor(), "KIND_", a.kind()),
          Cell(a.grant_id()), Cell(a.professional_id()), Time(a.time()), Cell(a.detail()));
    }
  });
}

// The privacy officers' acts with their request references, newest first.
int PrivacyActs(Invocation& in) {
  Flags f(in);
  absl::Time from = PeriodStart(f);
  absl::Time to = PeriodEnd(f, from);
  if (!f.ok()) return Fail(f.status());
  v1::ListPrivacyActsRequest request;
  SetDay(from, request.mutable_from());
  SetDay(to, request.mutable_to());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->ListPrivacyActs(request);
  if (!r.ok()) return Fail(r.status());
  tools::Table table{
      {"SEQ", "TIME", "PROFESSIONAL", "ACTION", "OUTCOME", "REQUEST", "RESIDENTS"}, {}, {true}};
  for (const auto& e : r->entries()) {
    table.rows.push_back({absl::StrCat(e.seq()), Time(e.time()),
                          NameId(e.professional_name(), e.professional_id()), Cell(e.action()),
                          Cell(e.outcome()), Cell(e.privacy_request()),
                          Residents(e.resident_ids())});
  }
  return PrintList(in, *r, table);
}

}  // namespace

std::vector<Command> AuditCommands() {
  return {
      {"audit", "query", "",
       {"professional", "organisation", "resident", "action", "outcome", "from", "to",
        "page-size", "page-token", "all"},
       "[--professional ID] [--organisation ORG] [--resident ID] [--action A]\n"
       "        [--outcome allowed|denied|failed] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
       "        [--page-size N] [--page-token T] [--all]   (--action GetResident: the method\n"
       "        alone will do; --to D includes D)",
       Query},
      {"audit", "verify", "", {"expect"}, "[--expect SEQ:HASH]", Verify},
      {"audit", "breakglass", "", {"from", "to"}, "[--from YYYY-MM-DD] [--to YYYY-MM-DD]",
       BreakGlass},
      {"audit", "resident-report", "", {"resident", "page-size", "page-token", "all"},
       "--resident ID [--page-size N] [--page-token T] [--all]", ResidentReport},
      {"audit", "anomalies", "", {"from", "to"}, "[--from YYYY-MM-DD] [--to YYYY-MM-DD]",
       Anomalies},
      {"audit", "grants", "", {"professional"}, "[--professional ID]", Grants},
      {"audit", "privacy-acts", "", {"from", "to"}, "[--from YYYY-MM-DD] [--to YYYY-MM-DD]",
       PrivacyActs},
  };
}

}  // namespace schakel::cli
