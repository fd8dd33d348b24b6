#include "server/api/request_ids.h"

#include <google/protobuf/descriptor.h>

#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/domain/ids.h"
#include "server/domain/text.h"

namespace schakel::api {
namespace {

using domain::IdKind;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

struct NamedKind {
  absl::string_view field;
  IdKind kind;
};
// Field names and the kind of id they hold, in every request message.
constexpr NamedKind kFieldKinds[] = {
    {"request_id", IdKind::kRequest},
    {"resident_id", IdKind::kResident},
    {"keep_id", IdKind::kResident},
    {"merge_id", IdKind::kResident},
    {"signal_id", IdKind::kSignal},
    {"handover_id", IdKind::kHandover},
    {"trajectory_id", IdKind::kTrajectory},
    {"trajectory_ids", IdKind::kTrajectory},
    {"step_id", IdKind::kStep},
    {"note_id", IdKind::kNote},
    {"grant_id", IdKind::kGrant},
    {"professional_id", IdKind::kProfessional},
    {"consultant_id", IdKind::kProfessional},
    {"from_consultant_id", IdKind::kProfessional},
    {"to_consultant_id", IdKind::kProfessional},
    {"organisation_id", IdKind::kOrganisation},
    {"owner_organisation_id", IdKind::kOrganisation},
    {"from_organisation_id", IdKind::kOrganisation},
    {"to_organisation_id", IdKind::kOrganisation},
};

// The kind of a field named `id` (or `parent_id`) by the service it is sent to.
constexpr NamedKind kServiceKinds[] = {
    {"SignalService.", IdKind::kSignal},
    {"HandoverService.", IdKind::kHandover},
    {"ResidentService.", IdKind::kResident},
    {"TrajectoryService.", IdKind::kTrajectory},
    {"DirectoryService.", IdKind::kOrganisation},
};

std::optional<IdKind> KindOf(absl::string_view action, absl::string_view field) {
  for (const NamedKind& k : kFieldKinds) {
    if (k.field == field) return k.kind;
  }
  if (field == "id" || field == "parent_id") {
    for (const NamedKind& k : kServiceKinds) {
      if (absl::StartsWith(action, k.field)) return k.kind;
    }
  }
  return std::nullopt;
}

bool LooksLikeId(absl::string_view field) {
  return field == "id" || absl::EndsWith(field, "_id") || absl::EndsWith(field, "_ids");
}

absl::Status CheckValue(absl::string_view action, const std::string& path, absl::string_view name,
                        const std::string& value) {
  if (value.empty()) return absl::OkStatus();
  if (std::optional<IdKind> kind = KindOf(action, name)) {
    return domain::ValidateIdOf(*kind, path, value);
  }
  return domain::ValidateId(path, value);
}

absl::Status Check(absl::string_view action, const Message& m, const std::string& prefix,
                   int depth) {
  // Requests nest a message or two (a lawful basis, a filter); deeper than
  // that is not a request of ours.
  if (depth > 4) return absl::OkStatus();
  const google::protobuf::Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string path = absl::StrCat(prefix, f->name());
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_map()) continue;
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(m, f); ++j) {
          absl::Status s =
              Check(action, r->GetRepeatedMessage(m, f, j), absl::StrCat(path, "."), depth + 1);
          if (!s.ok()) return s;
        }
      } else if (r->HasField(m, f)) {
        absl::Status s = Check(action, r->GetMessage(m, f), absl::StrCat(path, "."), depth + 1);
        if (!s.ok()) return s;
      }
      continue;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_STRING || !LooksLikeId(f->name())) continue;
    if (f->is_repeated()) {
      for (int j = 0; j < r->FieldSize(m, f); ++j) {
        absl::Status s = CheckValue(action, path, f->name(), r->GetRepeatedString(m, f, j));
        if (!s.ok()) return s;
      }
    } else {
      absl::Status s = CheckValue(action, path, f->name(), r->GetString(m, f));
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateRequestIds(absl::string_view action, const Message& request) {
  return Check(action, request, "", 0);
}

}  // namespace schakel::api
