// schakel signal create | show | list | assign | status | note
#include <iostream>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/cli/command.h"

namespace schakel::cli {
namespace {

std::string StatusWord(int status) {
  return EnumWord(v1::SignalStatus_descriptor(), "SIGNAL_STATUS_", status);
}

std::string UrgencyWord(int urgency) {
  return EnumWord(v1::Urgency_descriptor(), "URGENCY_", urgency);
}

std::string EventText(const v1::TimelineEvent& e) {
  using Kind = v1::TimelineEvent;
  switch (e.kind()) {
    case Kind::KIND_CREATED:
      return "created";
    case Kind::KIND_ASSIGNED:
      return absl::StrCat("assigned to ",
                          Cell(OrgTeam(e.owner_organisation_id(), e.owner_team())),
                          e.owner_organisation_name().empty()
                              ? ""
                              : absl::StrCat(" (", Cell(e.owner_organisation_name()), ")"));
    case Kind::KIND_STATUS_CHANGED:
      return absl::StrCat("status ", StatusWord(e.from_status()), " -> ",
                          StatusWord(e.to_status()));
    case Kind::KIND_NOTE_ADDED:
      return absl::StrCat("note ", Cell(e.note_id()), " added");
    case Kind::KIND_HANDOVER_LINKED:
      return absl::StrCat("handover ", Cell(e.handover_id()), " linked");
    default:
      return EnumWord(v1::TimelineEvent::Kind_descriptor(), "KIND_", e.kind());
  }
}

void ShowSignal(const v1::Signal& s) {
  Field("id", s.id());
  Field("category", s.category());
  Field("opgave", s.opgave());
  Field("sensitivity", s.sensitivity());
  Field("status", StatusWord(s.status()));
  Field("urgency", UrgencyWord(s.urgency()));
  Field("wijk", s.wijk());
  Field("place", s.place());
  Field("resident", NameId(s.resident_name(), s.resident_id()));
  Field("owner", s.owner_organisation_id().empty()
                     ? "- (to be routed by the regisseur)"
                     : NameId(s.owner_organisation_name(),
                              OrgTeam(s.owner_organisation_id(), s.owner_team())));
  if (!s.routed_by_rule_id().empty()) {
    Field("routed by", absl::StrCat("rule ", s.routed_by_rule_id(), " v",
                                    s.routed_by_rule_version()));
  }
  Field("author", Who(s.author_name(), s.author_id(), s.author_organisation_name(),
                      OrgTeam(s.author_organisation_id(), s.author_team())));
  Field("created", Time(s.create_time()));
  Field("updated", Time(s.update_time()));
  Field("etag", s.etag());
  if (s.content_withheld()) {
    Field("description", "(withheld: health content)");
  } else {
    Block("description", s.description());
  }
  if (!s.timeline().empty()) {
    std::cout << "timeline\n";
    for (const auto& e : s.timeline()) {
      // An assignment by a routing rule has no actor: the rule is named.
      const std::string by =
          e.routed_by_rule_id().empty()
              ? Who(e.actor_name(), e.actor_id(), e.actor_organisation_name(),
                    e.actor_organisation_id())
              : absl::StrCat("routing rule ", Cell(e.routed_by_rule_id()), " v",
                             e.routed_by_rule_version());
      std::cout << absl::StrFormat("    %s  %s by %s\n", Time(e.time()), EventText(e), by);
    }
  }
  Notes(s.notes());
}

// The signals you may read: the owner organisation and the resident by
// name where the server sends one (a health signal outside its limit
// shows what it may).
tools::Table SignalTable(const google::protobuf::RepeatedPtrField<v1::Signal>& signals) {
  tools::Table table{
      {"ID", "STATUS", "URGENCY", "CATEGORY", "WIJK", "OWNER", "RESIDENT", "CREATED"}, {}, {}};
  for (const auto& s : signals) {
    std::string owner = s.owner_organisation_name().empty() ? Cell(s.owner_organisation_id())
                                                            : Cell(s.owner_organisation_name());
    table.rows.push_back({Cell(s.id()), StatusWord(s.status()), UrgencyWord(s.urgency()),
                          Cell(s.category()), Cell(s.wijk()), owner,
                          NameId(s.resident_name(), s.resident_id()), Time(s.create_time())});
  }
  return table;
}

// --owner-team, which names a team of --owner: an error without --owner.
std::string OwnerTeam(Flags& f) {
  if (f.Has("owner-team") && f.Optional("owner").empty()) {
    f.Error(absl::InvalidArgumentError("--owner-team: only with --owner ORG, its organisation"));
  }
  return f.Optional("owner-team");
}

int Create(Invocation& in) {
  Flags f(in);
  v1::CreateSignalRequest request;
  request.set_category(f.Required("category"));
  request.set_wijk(f.Required("wijk"));
  request.set_place(f.Required("place"));
  request.set_description(f.Required("description"));
  request.set_resident_id(f.Optional("resident"));
  request.set_urgency(static_cast<v1::Urgency>(
      f.Enum("urgency", v1::Urgency_descriptor(), "URGENCY_", /*required=*/false)));
  request.set_owner_organisation_id(f.Optional("owner"));
  request.set_team(f.Optional("team"));
  request.set_owner_team(OwnerTeam(f));
  request.set_request_id(f.RequestId());
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->CreateSignal(request);
  if (!r.ok()) return FailCreate(r.status(), request.request_id());
  return Print(in, *r, [&] { std::cout << r->id() << "\n"; });
}

int Show(Invocation& in) {
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->GetSignal(in.id());
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] { ShowSignal(*r); });
}

int List(Invocation& in) {
  Flags f(in);
  v1::ListSignalsRequest request;
  request.set_status(static_cast<v1::SignalStatus>(
      f.Enum("status", v1::SignalStatus_descriptor(), "SIGNAL_STATUS_", /*required=*/false)));
  request.set_category(f.Optional("category"));
  request.set_opgave(f.Optional("opgave"));
  request.set_wijk(f.Optional("wijk"));
  request.set_owner_organisation_id(f.Optional("owner"));
  request.set_owner_team(OwnerTeam(f));
  request.set_resident_id(f.Optional("resident"));
  request.set_page_size(f.Int("page-size", 0));
  request.set_page_token(f.Optional("page-token"));
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  for (const auto& [flag, kind, value] :
       {std::tuple<std::string, std::string, std::string>{"category", "category",
                                                          request.category()},
        {"opgave", "opgave", request.opgave()},
        {"wijk", "wijk", request.wijk()},
        {"owner", "organisation", request.owner_organisation_id()}}) {
    if (absl::Status s = CheckReference(**client, flag, kind, value); !s.ok()) return Fail(s);
  }
  v1::ListSignalsResponse response;
  if (f.Has("all")) {
    auto all = (*client)->ListAllSignals(request);
    if (!all.ok()) return Fail(all.status());
    for (auto& s : *all) *response.add_signals() = std::move(s);
  } else {
    auto page = (*client)->ListSignals(request);
    if (!page.ok()) return Fail(page.status());
    response = *std::move(page);
  }
  return PrintList(in, response, SignalTable(response.signals()), response.next_page_token());
}

// The etag to update with: --etag when given, else the current one, read
// just before (a user at a terminal means "as it is now").
absl::StatusOr<std::string> CurrentEtag(const std::string& id, Client& client) {
  auto current = client.GetSignal(id);
  if (!current.ok()) return current.status();
  return current->etag();
}

int Assign(Invocation& in) {
  Flags f(in);
  v1::AssignSignalRequest request;
  request.set_id(in.id());
  request.set_owner_organisation_id(f.Required("owner"));
  request.set_owner_team(f.Optional("owner-team"));
  return UpdateWithEtag(
      in, f, [&](Client& c) { return CurrentEtag(in.id(), c); },
      [&](Client& c, const std::string& etag) {
        request.set_etag(etag);
        return c.AssignSignal(request);
      },
      ShowSignal);
}

int Status(Invocation& in) {
  Flags f(in);
  auto status = static_cast<v1::SignalStatus>(
      f.Enum("to", v1::SignalStatus_descriptor(), "SIGNAL_STATUS_", /*required=*/true));
  return UpdateWithEtag(
      in, f, [&](Client& c) { return CurrentEtag(in.id(), c); },
      [&](Client& c, const std::string& etag) {
        return c.ChangeSignalStatus(in.id(), status, etag);
      },
      ShowSignal);
}

int Note(Invocation& in) {
  Flags f(in);
  v1::AddSignalNoteRequest request;
  request.set_signal_id(in.id());
  request.set_text(f.Required("text"));
  request.set_visibility(static_cast<v1::NoteVisibility>(f.Enum(
      "visibility", v1::NoteVisibility_descriptor(), "NOTE_VISIBILITY_", /*required=*/false)));
  request.set_request_id(f.RequestId());
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->AddSignalNote(request);
  if (!r.ok()) return FailCreate(r.status(), request.request_id());
  return Print(in, *r, [&] { std::cout << r->id() << "\n"; });
}

}  // namespace

std::vector<Command> SignalCommands() {
  return {
      {"signal", "create", "",
       {"category", "wijk", "place", "description", "resident", "urgency", "owner", "team",
        "owner-team", "request-id"},
       "--category CODE --wijk W --place P --description D [--resident ID]\n"
       "        [--urgency low|normal|high|acute] [--owner ORG] [--request-id ID]\n"
       "        [--team T] [--owner-team T]   (--team: the team you record it for;\n"
       "        --owner-team: a team of --owner, default its intake team)",
       Create},
      {"signal", "show", "ID", {}, "", Show},
      {"signal", "list", "",
       {"status", "category", "opgave", "wijk", "owner", "owner-team", "resident", "page-size",
        "page-token", "all"},
       "[--status S] [--category C] [--opgave O] [--wijk W] [--owner ORG]\n"
       "        [--resident ID] [--page-size N] [--page-token T] [--all]\n"
       "        [--owner-team T]   (with --owner: only what that team of it owns)",
       List},
      {"signal", "assign", "ID", {"owner", "owner-team", "etag"},
       "--owner ORG [--etag E] [--owner-team T]\n"
       "        (--owner-team: a team of ORG, default its intake team)",
       Assign},
      {"signal", "status", "ID", {"to", "etag"},
       "--to open|in_progress|resolved|closed|withdrawn [--etag E]", Status},
      {"signal", "note", "ID", {"text", "visibility", "request-id"},
       "--text T [--visibility involved|own_organisation|health] [--request-id ID]", Note},
  };
}

}  // namespace schakel::cli
