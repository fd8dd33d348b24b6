// schakel notifications [--watch] | notification-settings
//
// A notification is a kind, a resource and dates — never a name or text:
// `schakel handover show ID` (or signal, trajectory) opens what it is
// about, and that is the audited read.
#include <iostream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tools/cli/command.h"
#include "tools/common/cli.h"

namespace schakel::cli {
namespace {

std::string KindWord(v1::NotificationKind kind) {
  return absl::AsciiStrToLower(v1::NotificationKind_Name(kind));
}

// What to type to open it.
std::string OpenCommand(const v1::Notification& n) {
  return absl::StrCat("schakel ", n.resource_type(), " show ", n.resource_id());
}

void PrintLine(const v1::Notification& n) {
  std::cout << Time(n.create_time()) << "  " << Cell(KindWord(n.kind())) << "  "
            << Cell(n.resource_type()) << " " << Cell(n.resource_id());
  if (!n.due_date().empty()) std::cout << "  due " << Cell(n.due_date());
  std::cout << "\n" << std::flush;
}

// --watch: every new notification as it comes (a line, or with --json one
// JSON object per line), the stream opened again after the last seq seen
// when the server ends it or goes away, until --for has passed (default:
// until interrupted).
int Watch(Invocation& in, Client& client, absl::Duration total) {
  const absl::Time end = total > absl::ZeroDuration() ? absl::Now() + total : absl::InfiniteFuture();
  int64_t last = 0;
  absl::Duration backoff = absl::Milliseconds(500);
  while (absl::Now() < end) {
    v1::WatchNotificationsRequest request;
    request.set_after_seq(last);
    absl::Duration left = end - absl::Now();
    if (left > absl::Hours(1)) left = absl::Hours(1);
    absl::Status printed;
    absl::Status s = client.WatchNotifications(request, left, [&](const v1::Notification& n) {
      last = std::max(last, n.seq());
      if (in.json()) {
        printed = tools::PrintJsonLine(n);
        return printed.ok();
      }
      PrintLine(n);
      return true;
    });
    if (!printed.ok()) return Fail(printed);
    if (s.ok()) {
      backoff = absl::Milliseconds(500);
      continue;
    }
    // The server restarting or out of reach: wait and open it again; any
    // other refusal (not allowed, disabled) ends the watch.
    if (s.code() != absl::StatusCode::kUnavailable) return Fail(s);
    absl::SleepFor(std::min(backoff, std::max(end - absl::Now(), absl::ZeroDuration())));
    backoff = std::min(backoff * 2, absl::Seconds(10));
  }
  return 0;
}

int Notifications(Invocation& in) {
  Flags f(in);
  absl::Duration watch_for = absl::ZeroDuration();
  if (f.Has("for")) {
    if (!absl::ParseDuration(f.Optional("for"), &watch_for) || watch_for <= absl::ZeroDuration()) {
      f.Error(absl::InvalidArgumentError("--for: a duration such as 30s, 10m or 2h"));
    }
    if (!f.Has("watch")) f.Error(absl::InvalidArgumentError("--for: only with --watch"));
  }
  const std::string read = f.Optional("read");
  if (f.Has("watch") && (f.Has("read") || f.Has("read-all"))) {
    f.Error(absl::InvalidArgumentError("--watch: not with --read or --read-all"));
  }
  v1::ListNotificationsRequest request;
  request.set_unread_only(f.Has("unread"));
  request.set_page_size(f.Int("page-size", 0));
  request.set_page_token(f.Optional("page-token"));
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  if (f.Has("watch")) return Watch(in, **client, watch_for);
  if (f.Has("read") || f.Has("read-all")) {
    v1::MarkNotificationsReadRequest mark;
    for (absl::string_view id : absl::StrSplit(read, ',', absl::SkipEmpty())) {
      mark.add_ids(std::string(id));
    }
    if (f.Has("read-all")) {
      // Everything up to the newest one there is now.
      v1::ListNotificationsRequest newest;
      newest.set_page_size(1);
      auto page = (*client)->ListNotifications(newest);
      if (!page.ok()) return Fail(page.status());
      if (page->notifications_size() > 0) mark.set_up_to_seq(page->notifications(0).seq());
      if (mark.ids_size() == 0 && mark.up_to_seq() == 0) {
        v1::MarkNotificationsReadResponse none;
        return Print(in, none, [] { std::cout << "marked 0, unread 0\n"; });
      }
    }
    auto r = (*client)->MarkNotificationsRead(mark);
    if (!r.ok()) return Fail(r.status());
    return Print(in, *r, [&] {
      std::cout << "marked " << r->marked() << ", unread " << r->unread_count() << "\n";
    });
  }
  auto r = (*client)->ListNotifications(request);
  if (!r.ok()) return Fail(r.status());
  tools::Table table{{"ID", "KIND", "RESOURCE", "DUE", "CREATED", "READ", "OPEN WITH"}, {}, {}};
  for (const v1::Notification& n : r->notifications()) {
    table.rows.push_back({Cell(n.id()), Cell(KindWord(n.kind())),
                          Cell(absl::StrCat(n.resource_type(), " ", n.resource_id())),
                          Cell(n.due_date()), Time(n.create_time()),
                          n.has_read_time() ? Time(n.read_time()) : "unread",
                          Cell(OpenCommand(n))});
  }
  if (!in.json() && !in.csv() && in.headers()) {
    std::cout << r->unread_count() << " unread\n";
  }
  return PrintList(in, *r, table, r->next_page_token());
}

// notification-settings [--set KIND=in_app|email_now|daily_digest,...]
int Settings(Invocation& in) {
  Flags f(in);
  v1::NotificationSettings changes;
  for (absl::string_view pair : absl::StrSplit(f.Optional("set"), ',', absl::SkipEmpty())) {
    std::vector<std::string> kv = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    v1::NotificationKind kind;
    v1::Delivery delivery;
    if (kv.size() != 2 ||
        !v1::NotificationKind_Parse(absl::AsciiStrToUpper(kv[0]), &kind) ||
        kind == v1::NOTIFICATION_KIND_UNSPECIFIED) {
      f.Error(absl::InvalidArgumentError(absl::StrCat(
          "--set: \"", Cell(pair), "\" is not KIND=DELIVERY with a kind such as "
          "handover_proposed (see schakel notification-settings)")));
      break;
    }
    if (!v1::Delivery_Parse(absl::AsciiStrToUpper(kv[1]), &delivery) ||
        delivery == v1::DELIVERY_UNSPECIFIED) {
      f.Error(absl::InvalidArgumentError(absl::StrCat(
          "--set: the delivery of ", kv[0], " is in_app, email_now or daily_digest")));
      break;
    }
    v1::NotificationSettings::Choice* c = changes.add_choices();
    c->set_kind(kind);
    c->set_delivery(delivery);
  }
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = changes.choices_size() > 0 ? (*client)->SetNotificationSettings(changes)
                                      : (*client)->GetNotificationSettings();
  if (!r.ok()) return Fail(r.status());
  tools::Table table{{"KIND", "DELIVERY"}, {}, {}};
  for (const auto& c : r->choices()) {
    table.rows.push_back({KindWord(c.kind()), absl::AsciiStrToLower(v1::Delivery_Name(c.delivery()))});
  }
  return PrintList(in, *r, table);
}

// dead-letters (admin): the e-mails that could not be delivered.
int DeadLetters(Invocation& in) {
  Flags f(in);
  v1::ListDeadLettersRequest request;
  request.set_page_size(f.Int("page-size", 0));
  request.set_page_token(f.Optional("page-token"));
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->ListDeadLetters(request);
  if (!r.ok()) return Fail(r.status());
  tools::Table table{{"NOTIFICATION", "PROFESSIONAL", "KIND", "ATTEMPTS", "LAST ATTEMPT", "ERROR"},
                     {},
                     {}};
  for (const v1::DeadLetter& d : r->dead_letters()) {
    table.rows.push_back({Cell(d.notification_id()), Cell(d.professional_id()),
                          Cell(KindWord(d.kind())), absl::StrCat(d.attempts()),
                          Time(d.last_attempt_time()), Cell(d.last_error())});
  }
  return PrintList(in, *r, table, r->next_page_token());
}

}  // namespace

std::vector<Command> NotificationCommands() {
  return {
      {"", "notifications", "",
       {"watch", "for", "unread", "read", "read-all", "page-size", "page-token"},
       "[--unread] [--page-size N] [--page-token T] | --watch [--for D] |\n"
       "        --read ID[,ID...] | --read-all\n"
       "        (--watch: each new one as it comes, with --json one object per line)",
       Notifications},
      {"", "notification-settings", "", {"set"},
       "[--set KIND=in_app|email_now|daily_digest[,...]]", Settings},
      {"", "dead-letters", "", {"page-size", "page-token"},
       "[--page-size N] [--page-token T]   (admin: e-mails that could not be delivered)",
       DeadLetters},
  };
}

}  // namespace schakel::cli
