// schakel rules list | add | move | remove | dry-run
//
// The regisseur's routing rules (RoutingService; docs/design.md, "Routing
// rules"): ordered, first match wins, applied to a signal created without
// an owner.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/cli/command.h"

namespace schakel::cli {
namespace {

// "category FZ-SCHULDEN, wijk prinsenhof": the criteria a rule sets.
std::string Criteria(const std::string& category, const std::string& opgave,
                     const std::string& wijk) {
  std::vector<std::string> parts;
  if (!category.empty()) parts.push_back(absl::StrCat("category ", Cell(category)));
  if (!opgave.empty()) parts.push_back(absl::StrCat("opgave ", Cell(opgave)));
  if (!wijk.empty()) parts.push_back(absl::StrCat("wijk ", Cell(wijk)));
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

void ShowRule(const v1::RoutingRule& r) {
  Field("id", r.id());
  Field("position", r.removed() ? "- (removed)" : absl::StrCat(r.position()));
  Field("version", absl::StrCat(r.version()));
  Field("matches", Criteria(r.category(), r.opgave(), r.wijk()));
  Field("routes to", OrgTeam(r.owner_organisation_id(), r.owner_team()));
  Field("created", Time(r.create_time()));
  Field("updated", Time(r.update_time()));
  if (r.removed()) Field("removed", Time(r.remove_time()));
  Field("etag", r.etag());
}

// The criteria flags; at least one (the server says so too, but a typo
// should not cost a round trip).
void ReadCriteria(Flags& f, std::string* category, std::string* opgave, std::string* wijk) {
  *category = f.Optional("category");
  *opgave = f.Optional("opgave");
  *wijk = f.Optional("wijk");
}

// The etag to change a rule with: --etag when given, else the rule's
// current one, read just before (a user at a terminal means "as it is now").
// The rule's etag as it is now.
absl::StatusOr<std::string> CurrentEtag(const std::string& id, Client& client) {
  auto rules = client.ListRoutingRules(/*include_removed=*/true);
  if (!rules.ok()) return rules.status();
  for (const v1::RoutingRule& r : rules->rules()) {
    if (r.id() == id) return r.etag();
  }
  return absl::NotFoundError(absl::StrCat("id: no routing rule ", id));
}

int List(Invocation& in) {
  Flags f(in);
  const bool removed = f.Has("include-removed");
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->ListRoutingRules(removed);
  if (!r.ok()) return Fail(r.status());
  tools::Table table{{"POS", "ID", "CATEGORY", "OPGAVE", "WIJK", "OWNER", "VERSION"},
                     {},
                     {true, false, false, false, false, false, true}};
  for (const v1::RoutingRule& rule : r->rules()) {
    table.rows.push_back({rule.removed() ? "removed" : absl::StrCat(rule.position()),
                          Cell(rule.id()), Cell(rule.category()), Cell(rule.opgave()),
                          Cell(rule.wijk()),
                          Cell(OrgTeam(rule.owner_organisation_id(), rule.owner_team())),
                          absl::StrCat(rule.version())});
  }
  return PrintList(in, *r, table);
}

int Add(Invocation& in) {
  Flags f(in);
  v1::AddRoutingRuleRequest request;
  ReadCriteria(f, request.mutable_category(), request.mutable_opgave(), request.mutable_wijk());
  if (request.category().empty() && request.opgave().empty() && request.wijk().empty()) {
    f.Error(absl::InvalidArgumentError(
        "--category: a rule needs at least one of --category, --opgave, --wijk"));
  }
  request.set_owner_organisation_id(f.Required("owner"));
  request.set_owner_team(f.Optional("owner-team"));
  request.set_position(f.Int("position", 0));
  request.set_request_id(f.RequestId());
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->AddRoutingRule(request);
  if (!r.ok()) return FailCreate(r.status(), request.request_id());
  return Print(in, *r, [&] { std::cout << r->id() << "\n"; });
}

int Move(Invocation& in) {
  Flags f(in);
  v1::MoveRoutingRuleRequest request;
  request.set_id(in.id());
  if (!f.Has("position")) f.Required("position");  // "--position is required"
  request.set_position(f.Int("position", 0));
  return UpdateWithEtag(
      in, f, [&](Client& c) { return CurrentEtag(in.id(), c); },
      [&](Client& c, const std::string& etag) {
        request.set_etag(etag);
        return c.MoveRoutingRule(request);
      },
      ShowRule);
}

int Remove(Invocation& in) {
  Flags f(in);
  v1::RemoveRoutingRuleRequest request;
  request.set_id(in.id());
  return UpdateWithEtag(
      in, f, [&](Client& c) { return CurrentEtag(in.id(), c); },
      [&](Client& c, const std::string& etag) {
        request.set_etag(etag);
        return c.RemoveRoutingRule(request);
      },
      ShowRule);
}

int DryRun(Invocation& in) {
  Flags f(in);
  v1::DryRunRoutingRuleRequest request;
  if (in.has_id()) request.set_rule_id(in.id());
  ReadCriteria(f, request.mutable_category(), request.mutable_opgave(), request.mutable_wijk());
  const bool has_criteria =
      !request.category().empty() || !request.opgave().empty() || !request.wijk().empty();
  if (in.has_id() && (has_criteria || f.Has("position"))) {
    f.Error(absl::InvalidArgumentError(
        "--category: either a rule's ID or criteria (--category, --opgave, --wijk), not both"));
  } else if (!in.has_id() && !has_criteria) {
    f.Error(absl::InvalidArgumentError(
        "--category: a rule's ID, or at least one of --category, --opgave, --wijk"));
  }
  request.set_position(f.Int("position", 0));
  if (!f.Has("days")) f.Required("days");  // "--days is required"
  request.set_days(f.Int("days", 0));
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->DryRunRoutingRule(request);
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] {
    Field("since", Time(r->since()));
    Field("matched", absl::StrCat(r->matched()));
    Field("taken earlier", absl::StrCat(r->taken_earlier(), " (an earlier rule matches first)"));
    Field("would route", absl::StrCat(r->matched() - r->taken_earlier()));
    if (!r->signal_ids().empty()) {
      std::cout << "signals\n";
      for (const std::string& id : r->signal_ids()) std::cout << "    " << Cell(id) << "\n";
    }
  });
}

}  // namespace

std::vector<Command> RoutingCommands() {
  return {
      {"rules", "list", "", {"include-removed"}, "[--include-removed]", List},
      {"rules", "add", "",
       {"category", "opgave", "wijk", "owner", "owner-team", "position", "request-id"},
       "[--category C] [--opgave O] [--wijk W] --owner ORG [--owner-team T]\n"
       "        [--position N] [--request-id ID]   (at least one of --category, --opgave,\n"
       "        --wijk; --position: 1 is first, default the end)",
       Add},
      {"rules", "move", "ID", {"position", "etag"}, "--position N [--etag E]", Move},
      {"rules", "remove", "ID", {"etag"}, "[--etag E]", Remove},
      {"rules", "dry-run", "[ID]", {"category", "opgave", "wijk", "position", "days"},
       "--days N [--category C] [--opgave O] [--wijk W] [--position N]\n"
       "        (a rule's ID, or criteria tried as a new rule at --position, default the end)",
       DryRun},
  };
}

}  // namespace schakel::cli
