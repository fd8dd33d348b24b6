// schakel handover propose | show | accept | decline | introduce | complete |
// cancel | withdraw-consent | forward | note | inbox | outbox
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/cli/command.h"

namespace schakel::cli {
namespace {

std::string StatusWord(const v1::Handover& h) {
  std::string word = EnumWord(v1::HandoverStatus_descriptor(), "HANDOVER_STATUS_", h.status());
  if (h.overdue()) return absl::StrCat(word, " (overdue)");
  if (h.due_soon()) return absl::StrCat(word, " (due soon)");
  return word;
}

std::string WithPerson(const std::string& organisation, const std::string& organisation_name,
                       absl::string_view role, const std::string& professional,
                       const std::string& professional_name) {
  if (organisation_name.empty() && professional_name.empty()) {  // a server without names
    if (professional.empty()) return organisation;
    return absl::StrCat(organisation, " (", role, " ", professional, ")");
  }
  std::string org = NameId(organisation_name, organisation);
  if (professional.empty()) return org;
  return absl::StrCat(org, ", ", role, " ", NameId(professional_name, professional));
}

void ShowBasis(const v1::LawfulBasis& b) {
  switch (b.basis_case()) {
    case v1::LawfulBasis::kConsent:
      Field("basis", absl::StrCat("consent of ", b.consent().date().empty() ? "-" : b.consent().date(),
                                  b.consent().recorded_by().empty()
                                      ? ""
                                      : absl::StrCat(", recorded by ", b.consent().recorded_by())));
      Field("consent covers", b.consent().covers());
      break;
    case v1::LawfulBasis::kLegalTask:
      Field("basis", "legal task");
      Field("legal reference", b.legal_task().reference());
      break;
    case v1::LawfulBasis::kVitalInterest:
      Field("basis", "vital interest");
      Field("vital interest", b.vital_interest().reason());
      break;
    default:
      Field("basis", "");
  }
}

void ShowHandover(const v1::Handover& h) {
  Field("id", h.id());
  Field("status", StatusWord(h));
  Field("resident", NameId(h.resident_name(), h.resident_id()));
  Field("from", WithPerson(OrgTeam(h.from_organisation_id(), h.from_team()),
                           h.from_organisation_name(), "sender", h.sender_id(), h.sender_name()));
  Field("to", WithPerson(OrgTeam(h.to_organisation_id(), h.to_team()), h.to_organisation_name(),
                         "receiver", h.receiver_id(), h.receiver_name()));
  Block("reason", h.reason());
  Field("signal", h.signal_id());
  ShowBasis(h.basis());
  Field("deadline", h.deadline());
  if (!h.decline_reason().empty()) Block("declined", h.decline_reason());
  if (!h.cancel_reason().empty()) Block("cancelled", h.cancel_reason());
  if (!h.introduced_date().empty() || !h.introduced_with().empty()) {
    Field("introduced", h.introduced_with().empty()
                            ? h.introduced_date()
                            : absl::StrCat(h.introduced_date(), " with ", h.introduced_with()));
  }
  if (h.outcome() != v1::OUTCOME_UNSPECIFIED) {
    Field("outcome", EnumWord(v1::Outcome_descriptor(), "OUTCOME_", h.outcome()));
    if (!h.outcome_text().empty()) Block("outcome text", h.outcome_text());
  }
  Field("created", Time(h.create_time()));
  Field("updated", Time(h.update_time()));
  Field("etag", h.etag());
  Notes(h.notes());
}

int Propose(Invocation& in) {
  Flags f(in);
  v1::ProposeHandoverRequest request;
  request.set_resident_id(f.Required("resident"));
  request.set_to_organisation_id(f.Required("to"));
  request.set_team(f.Optional("team"));
  request.set_to_team(f.Optional("to-team"));
  request.set_reason(f.Required("reason"));
  std::string basis = absl::AsciiStrToLower(f.Required("basis"));
  std::string note = f.Optional("basis-note");
  std::string consent_date = f.Date("consent-date", /*required=*/false);
  v1::LawfulBasis* b = request.mutable_basis();
  if (basis == "consent") {
    b->mutable_consent()->set_covers(note);
    b->mutable_consent()->set_date(consent_date);
  } else if (basis == "legal_task") {
    b->mutable_legal_task()->set_reference(note);
  } else if (basis == "vital_interest") {
    b->mutable_vital_interest()->set_reason(note);
  } else if (!basis.empty()) {
    f.Error(absl::InvalidArgumentError(absl::StrCat(
        "--basis: unknown value \"", f.Optional("basis"),
        "\" (consent | legal_task | vital_interest)")));
  }
  if (f.Has("consent-date") && !basis.empty() && basis != "consent") {
    f.Error(absl::InvalidArgumentError("--consent-date: only with --basis consent"));
  }
  request.set_signal_id(f.Optional("signal"));
  request.set_response_days(f.Int("response-days", 0));
  request.set_request_id(f.RequestId());
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->ProposeHandover(request);
  if (!r.ok()) return FailCreate(r.status(), request.request_id());
  return Print(in, *r, [&] { std::cout << r->id() << "\n"; });
}

int Show(Invocation& in) {
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->GetHandover(in.id());
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] { ShowHandover(*r); });
}

// The actions: check the flags, then call with the etag and show the
// handover. The etag is --etag, else the current one, read just before
// (the server requires one on every update; a user at a terminal means
// "as it is now").
int Act(Invocation& in, const Flags& f,
        const std::function<absl::StatusOr<v1::Handover>(Client&, const std::string&)>& call) {
  return UpdateWithEtag(
      in, f,
      [&](Client& c) -> absl::StatusOr<std::string> {
        auto current = c.GetHandover(in.id());
        if (!current.ok()) return current.status();
        return current->etag();
      },
      call, ShowHandover);
}

int Accept(Invocation& in) {
  Flags f(in);
  return Act(in, f,
             [&](Client& c, const std::string& etag) { return c.AcceptHandover(in.id(), etag); });
}

int Decline(Invocation& in) {
  Flags f(in);
  std::string reason = f.Required("reason");
  return Act(in, f, [&](Client& c, const std::string& etag) {
    return c.DeclineHandover(in.id(), reason, etag);
  });
}

int Introduce(Invocation& in) {
  Flags f(in);
  std::string date = f.Date("date", /*required=*/false);
  return Act(in, f, [&](Client& c, const std::string& etag) {
    return c.IntroduceHandover(in.id(), date, f.Optional("with"), etag);
  });
}

int Complete(Invocation& in) {
  Flags f(in);
  auto outcome = static_cast<v1::Outcome>(
      f.Enum("outcome", v1::Outcome_descriptor(), "OUTCOME_", /*required=*/true));
  return Act(in, f, [&](Client& c, const std::string& etag) {
    return c.CompleteHandover(in.id(), outcome, f.Optional("text"), etag);
  });
}

int Cancel(Invocation& in) {
  Flags f(in);
  return Act(in, f, [&](Client& c, const std::string& etag) {
    return c.CancelHandover(in.id(), f.Optional("reason"), etag);
  });
}

int Forward(Invocation& in) {
  Flags f(in);
  std::string to_team = f.Required("to-team");
  return Act(in, f, [&](Client& c, const std::string& etag) {
    return c.ForwardHandover(in.id(), to_team, etag);
  });
}

int WithdrawConsent(Invocation& in) {
  Flags f(in);
  return Act(in, f, [&](Client& c, const std::string& etag) {
    return c.WithdrawConsent(in.id(), f.Optional("reason"), etag);
  });
}

int Note(Invocation& in) {
  Flags f(in);
  v1::AddHandoverNoteRequest request;
  request.set_handover_id(in.id());
  request.set_text(f.Required("text"));
  request.set_visibility(static_cast<v1::NoteVisibility>(f.Enum(
      "visibility", v1::NoteVisibility_descriptor(), "NOTE_VISIBILITY_", /*required=*/false)));
  request.set_request_id(f.RequestId());
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->AddHandoverNote(request);
  if (!r.ok()) return FailCreate(r.status(), request.request_id());
  return Print(in, *r, [&] { std::cout << r->id() << "\n"; });
}

int Box(Invocation& in, bool inbox) {
  Flags f(in);
  v1::ListHandoversRequest request;
  request.set_status(static_cast<v1::HandoverStatus>(f.Enum(
      "status", v1::HandoverStatus_descriptor(), "HANDOVER_STATUS_", /*required=*/false)));
  request.set_page_size(f.Int("page-size", 0));
  request.set_page_token(f.Optional("page-token"));
  request.set_resident_id(f.Optional("resident"));
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  v1::ListHandoversResponse response;
  if (f.Has("all")) {
    auto all = inbox ? (*client)->ListAllInbox(request) : (*client)->ListAllOutbox(request);
    if (!all.ok()) return Fail(all.status());
    for (auto& h : *all) *response.add_handovers() = std::move(h);
  } else {
    auto page = inbox ? (*client)->ListInbox(request) : (*client)->ListOutbox(request);
    if (!page.ok()) return Fail(page.status());
    response = *std::move(page);
  }
  // Deadlines are dates (working days in Europe/Amsterdam); an overdue
  // one is marked in STATUS and DEADLINE alike.
  tools::Table table{{"ID", "STATUS", "RESIDENT", "FROM", "SENDER", "TO", "DEADLINE"}, {}, {}};
  for (const auto& h : response.handovers()) {
    std::string deadline = Cell(h.deadline());
    if (h.overdue()) absl::StrAppend(&deadline, " OVERDUE");
    table.rows.push_back(
        {Cell(h.id()), StatusWord(h), NameId(h.resident_name(), h.resident_id()),
         h.from_organisation_name().empty() ? Cell(h.from_organisation_id())
                                            : Cell(h.from_organisation_name()),
         h.sender_name().empty() ? Cell(h.sender_id()) : Cell(h.sender_name()),
         h.to_organisation_name().empty() ? Cell(h.to_organisation_id())
                                          : Cell(h.to_organisation_name()),
         deadline});
  }
  return PrintList(in, response, table, response.next_page_token());
}

}  // namespace

std::vector<Command> HandoverCommands() {
  const std::vector<std::string> list_flags = {"status", "resident", "page-size", "page-token",
                                               "all"};
  const std::string list_synopsis =
      "[--status S] [--resident ID] [--page-size N] [--page-token T] [--all]\n"
      "        (--resident: only the handovers about that resident)";
  return {
      {"handover", "propose", "",
       {"resident", "to", "reason", "basis", "basis-note", "signal", "consent-date",
        "response-days", "request-id", "team", "to-team"},
       "--resident ID --to ORG --reason T --basis consent|legal_task|vital_interest\n"
       "        [--basis-note T] [--signal ID] [--consent-date D] [--response-days N]\n"
       "        [--request-id ID]   (--basis-note: what the consent covers, the legal\n"
       "        reference, or the vital-interest reason)\n"
       "        [--team T] [--to-team T]   (--team: the team you send for; --to-team: a team\n"
       "        of ORG, default its intake team; ORG may be your own organisation when\n"
       "        --to-team names another team of it)",
       Propose},
      {"handover", "show", "ID", {}, "", Show},
      {"handover", "accept", "ID", {"etag"}, "[--etag E]", Accept},
      {"handover", "decline", "ID", {"reason", "etag"}, "--reason T [--etag E]", Decline},
      {"handover", "introduce", "ID", {"date", "with", "etag"}, "[--date D] [--with T] [--etag E]",
       Introduce},
      {"handover", "complete", "ID", {"outcome", "text", "etag"},
       "--outcome helped|not_helped|referred_on|resident_declined [--text T] [--etag E]",
       Complete},
      {"handover", "cancel", "ID", {"reason", "etag"}, "[--reason T] [--etag E]", Cancel},
      {"handover", "withdraw-consent", "ID", {"reason", "etag"}, "[--reason T] [--etag E]",
       WithdrawConsent},
      {"handover", "forward", "ID", {"to-team", "etag"},
       "--to-team T [--etag E]   (the receiving team passes a\n"
       "        proposed handover to another team of its organisation)",
       Forward},
      {"handover", "note", "ID", {"text", "visibility", "request-id"},
       "--text T [--visibility involved|own_organisation|health] [--request-id ID]", Note},
      {"handover", "inbox", "", list_flags, list_synopsis,
       [](Invocation& in) { return Box(in, /*inbox=*/true); }},
      {"handover", "outbox", "", list_flags, list_synopsis,
       [](Invocation& in) { return Box(in, /*inbox=*/false); }},
  };
}

}  // namespace schakel::cli
