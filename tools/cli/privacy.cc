// schakel privacy export | rectify | erase | hold | release
//
// The privacy officer's acts on one resident's data, each against the
// reference of the resident's request (--request), which the server records
// with the act in the audit log.
#include <google/protobuf/util/json_util.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/cli/command.h"

namespace schakel::cli {
namespace {

void ShowHistory(const google::protobuf::RepeatedPtrField<v1::Rectification>& history) {
  if (history.empty()) return;
  std::cout << "history\n";
  for (const auto& h : history) {
    std::cout << absl::StrFormat("  %s  %-10s %s -> %s  by %s, request %s\n", Time(h.time()),
                                 Cell(h.field()), Cell(h.old_value()), Cell(h.new_value()),
                                 Cell(h.professional_id()), Cell(h.request_ref()));
  }
}

// Prints the export document itself: the JSON the resident receives.
int Export(Invocation& in) {
  Flags f(in);
  std::string resident = f.Required("resident");
  std::string request = f.Required("request");
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->PrivacyExport(resident, request);
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] {
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    options.preserve_proto_field_names = true;
    // Every field, also false and empty ones: "not under break-glass" is an
    // answer the resident asked for.
    options.always_print_primitive_fields = true;
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(r->document(), &json, options).ok()) {
      std::cerr << "schakel: the export could not be written as JSON\n";
      return;
    }
    std::cout << json << "\n";
  });
}

int Rectify(Invocation& in) {
  Flags f(in);
  v1::RectifyRequest request;
  request.set_resident_id(f.Required("resident"));
  request.set_request_ref(f.Required("request"));
  request.set_name(f.Optional("name"));
  request.set_birth_date(f.Date("birth-date", /*required=*/false));
  request.set_address(f.Optional("address"));
  request.set_wijk(f.Optional("wijk"));
  if (f.ok() && request.name().empty() && request.birth_date().empty() &&
      request.address().empty() && request.wijk().empty()) {
    f.Error(absl::InvalidArgumentError(
        "privacy rectify: give at least one of --name, --birth-date, --address, --wijk"));
  }
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->Rectify(request);
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] {
    Field("id", r->resident().id());
    Field("name", r->resident().name());
    Field("birth date", r->resident().birth_date());
    Field("address", r->resident().address());
    Field("wijk", r->resident().wijk());
    ShowHistory(r->history());
  });
}

int Erase(Invocation& in) {
  Flags f(in);
  std::string resident = f.Required("resident");
  std::string request = f.Required("request");
  if (!f.ok()) return Fail(f.status());
  if (absl::Status s = Confirm(in, absl::StrCat("erase resident ", Cell(resident),
                                                " under request ", Cell(request),
                                                "? This cannot be undone."));
      !s.ok()) {
    return Fail(s);
  }
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->Erase(resident, request);
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] {
    std::cout << absl::StrFormat(
        "erased %s: %d signals withdrawn, %d handovers cancelled, %d texts erased, %d "
        "rectifications removed\n",
        Cell(r->resident_id()), r->signals_withdrawn(), r->handovers_cancelled(),
        r->texts_erased(), r->rectifications_removed());
  });
}

int SetHold(Invocation& in, bool held) {
  Flags f(in);
  std::string resident = f.Required("resident");
  std::string request = f.Required("request");
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = held ? (*client)->Hold(resident, request) : (*client)->Release(resident, request);
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] {
    std::cout << (r->held() ? "legal hold on " : "legal hold released on ")
              << Cell(r->resident_id()) << "\n";
  });
}

}  // namespace

std::vector<Command> PrivacyCommands() {
  return {
      {"privacy", "export", "", {"resident", "request"}, "--resident ID --request REF", Export},
      {"privacy", "rectify", "", {"resident", "request", "name", "birth-date", "address", "wijk"},
       "--resident ID --request REF [--name N] [--birth-date YYYY-MM-DD] [--address A] "
       "[--wijk W]",
       Rectify},
      {"privacy", "erase", "", {"resident", "request", "yes"},
       "--resident ID --request REF [--yes]   (asks on a terminal; elsewhere --yes)", Erase},
      {"privacy", "hold", "", {"resident", "request"}, "--resident ID --request REF",
       [](Invocation& in) { return SetHold(in, true); }},
      {"privacy", "release", "", {"resident", "request"}, "--resident ID --request REF",
       [](Invocation& in) { return SetHold(in, false); }},
  };
}

}  // namespace schakel::cli
