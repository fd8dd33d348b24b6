#include "server/api/case_convert.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "server/api/convert.h"
#include "server/domain/calendar.h"

namespace schakel::api {
namespace {

absl::Status BadEnum(const char* field) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": not a known value"));
}

v1::SignalStatus ToProto(domain::SignalStatus s) {
  switch (s) {
    case domain::SignalStatus::kOpen: return v1::SIGNAL_STATUS_OPEN;
    case domain::SignalStatus::kInProgress: return v1::SIGNAL_STATUS_IN_PROGRESS;
    case domain::SignalStatus::kResolved: return v1::SIGNAL_STATUS_RESOLVED;
    case domain::SignalStatus::kClosed: return v1::SIGNAL_STATUS_CLOSED;
    case domain::SignalStatus::kWithdrawn: return v1::SIGNAL_STATUS_WITHDRAWN;
  }
  return v1::SIGNAL_STATUS_UNSPECIFIED;
}

v1::Urgency ToProto(domain::Urgency u) {
  switch (u) {
    case domain::Urgency::kLow: return v1::URGENCY_LOW;
    case domain::Urgency::kNormal: return v1::URGENCY_NORMAL;
    case domain::Urgency::kHigh: return v1::URGENCY_HIGH;
    case domain::Urgency::kAcute: return v1::URGENCY_ACUTE;
  }
  return v1::URGENCY_UNSPECIFIED;
}



v1::NoteVisibility ToProto(domain::NoteVisibility v) {
  switch (v) {
    case domain::NoteVisibility::kInvolved: return v1::NOTE_VISIBILITY_INVOLVED;
    case domain::NoteVisibility::kOwnOrganisation: return v1::NOTE_VISIBILITY_OWN_ORGANISATION;
    case domain::NoteVisibility::kHealth: return v1::NOTE_VISIBILITY_HEALTH;
  }
  return v1::NOTE_VISIBILITY_UNSPECIFIED;
}

v1::TimelineEvent::Kind ToProto(domain::SignalEventKind k) {
  switch (k) {
    case domain::SignalEventKind::kCreated: return v1::TimelineEvent::KIND_CREATED;
    case domain::SignalEventKind::kAssigned: return v1::TimelineEvent::KIND_ASSIGNED;
    case domain::SignalEventKind::kStatusChanged: return v1::TimelineEvent::KIND_STATUS_CHANGED;
    case domain::SignalEventKind::kNoteAdded: return v1::TimelineEvent::KIND_NOTE_ADDED;
    case domain::SignalEventKind::kHandoverLinked: return v1::TimelineEvent::KIND_HANDOVER_LINKED;
  }
  return v1::TimelineEvent::KIND_UNSPECIFIED;
}

}  // namespace

v1::Outcome ToProto(domain::Outcome o) {
  switch (o) {
    case domain::Outcome::kHelped: return v1::OUTCOME_HELPED;
    case domain::Outcome::kNotHelped: return v1::OUTCOME_NOT_HELPED;
    case domain::Outcome::kReferredOn: return v1::OUTCOME_REFERRED_ON;
    case domain::Outcome::kResidentDeclined: return v1::OUTCOME_RESIDENT_DECLINED;
  }
  return v1::OUTCOME_UNSPECIFIED;
}

v1::HandoverStatus ToProto(domain::HandoverStatus s) {
  switch (s) {
    case domain::HandoverStatus::kProposed: return v1::HANDOVER_STATUS_PROPOSED;
    case domain::HandoverStatus::kAccepted: return v1::HANDOVER_STATUS_ACCEPTED;
    case domain::HandoverStatus::kIntroduced: return v1::HANDOVER_STATUS_INTRODUCED;
    case domain::HandoverStatus::kCompleted: return v1::HANDOVER_STATUS_COMPLETED;
    case domain::HandoverStatus::kDeclined: return v1::HANDOVER_STATUS_DECLINED;
    case domain::HandoverStatus::kExpired: return v1::HANDOVER_STATUS_EXPIRED;
    case domain::HandoverStatus::kCancelled: return v1::HANDOVER_STATUS_CANCELLED;
  }
  return v1::HANDOVER_STATUS_UNSPECIFIED;
}

void ToProto(const domain::Resident& in, v1::Resident* out) {
  out->set_id(in.id);
  out->set_name(in.name);
  out->set_birth_date(domain::FormatDate(in.birth_date));
  out->set_address(in.address);
  out->set_wijk(in.wijk);
  SetTime(in.create_time, out->mutable_create_time());
}

void ToProto(const domain::Note& in, v1::Note* out) {
  out->set_id(in.id);
  out->set_author_id(in.author_id);
  out->set_author_organisation_id(in.author_organisation_id);
  out->set_visibility(ToProto(in.visibility));
  out->set_text(in.text);
  SetTime(in.create_time, out->mutable_create_time());
}

namespace {

// A view without names (none looked up) names nothing.
const domain::Names& NamesOr(const std::shared_ptr<const domain::Names>& names) {
  static const domain::Names* none = new domain::Names();
  return names ? *names : *none;
}

void NamedNoteToProto(const domain::Note& in, const domain::Names& names, v1::Note* out) {
  ::schakel::api::ToProto(in, out);
  out->set_author_name(names.Professional(in.author_id));
  out->set_author_organisation_name(names.Organisation(in.author_organisation_id));
}

}  // namespace

void ToProto(const app::SignalView& in, v1::Signal* out) {
  const domain::Signal& s = in.signal;
  const domain::Names& names = NamesOr(in.names);
  out->set_author_name(names.Professional(s.author_id));
  out->set_author_organisation_name(names.Organisation(s.author_organisation_id));
  out->set_owner_organisation_name(names.Organisation(s.owner_organisation_id));
  out->set_resident_name(names.Resident(s.resident_id));
  out->set_id(s.id);
  out->set_category(s.category);
  out->set_opgave(s.opgave);
  out->set_sensitivity(std::string(domain::SensitivityName(s.sensitivity)));
  out->set_wijk(s.wijk);
  out->set_place(s.place);
  out->set_description(s.description);
  out->set_resident_id(s.resident_id);
  out->set_urgency(ToProto(s.urgency));
  out->set_owner_organisation_id(s.owner_organisation_id);
  out->set_owner_team(s.owner_team);
  out->set_author_team(s.author_team);
  out->set_status(ToProto(s.status));
  out->set_author_id(s.author_id);
  out->set_author_organisation_id(s.author_organisation_id);
  SetTime(s.create_time, out->mutable_create_time());
  SetTime(s.update_time, out->mutable_update_time());
  out->set_etag(domain::SignalEtag(s.version));
  out->set_content_withheld(in.content_withheld);
  out->set_routed_by_rule_id(s.routed_by_rule_id);
  out->set_routed_by_rule_version(s.routed_by_rule_version);
  for (const domain::SignalEvent& e : in.timeline) {
    v1::TimelineEvent* p = out->add_timeline();
    p->set_kind(ToProto(e.kind));
    SetTime(e.time, p->mutable_time());
    p->set_actor_id(e.actor_id);
    p->set_actor_organisation_id(e.actor_organisation_id);
    if (e.from_status) p->set_from_status(ToProto(*e.from_status));
    if (e.to_status) p->set_to_status(ToProto(*e.to_status));
    p->set_owner_organisation_id(e.owner_organisation_id);
    p->set_owner_team(e.owner_team);
    p->set_note_id(e.note_id);
    p->set_handover_id(e.handover_id);
    p->set_routed_by_rule_id(e.rule_id);
    p->set_routed_by_rule_version(e.rule_version);
    p->set_actor_name(names.Professional(e.actor_id));
    p->set_actor_organisation_name(names.Organisation(e.actor_organisation_id));
    p->set_owner_organisation_name(names.Organisation(e.owner_organisation_id));
  }
  for (const domain::Note& n : in.notes) NamedNoteToProto(n, names, out->add_notes());
}

void ToProto(const app::HandoverView& in, v1::Handover* out) {
  const domain::Handover& h = in.handover;
  const domain::Names& names = NamesOr(in.names);
  out->set_resident_name(names.Resident(h.resident_id));
  out->set_sender_name(names.Professional(h.sender_id));
  out->set_receiver_name(names.Professional(h.receiver_id));
  out->set_from_organisation_name(names.Organisation(h.from_organisation_id));
  out->set_to_organisation_name(names.Organisation(h.to_organisation_id));
  out->set_id(h.id);
  out->set_resident_id(h.resident_id);
  out->set_from_organisation_id(h.from_organisation_id);
  out->set_sender_id(h.sender_id);
  out->set_to_organisation_id(h.to_organisation_id);
  out->set_from_team(h.from_team);
  out->set_to_team(h.to_team);
  out->set_receiver_id(h.receiver_id);
  out->set_reason(h.reason);
  out->set_signal_id(h.signal_id);
  v1::LawfulBasis* b = out->mutable_basis();
  switch (h.basis.kind) {
    case domain::BasisKind::kConsent:
      b->mutable_consent()->set_date(h.basis.consent_date);
      b->mutable_consent()->set_covers(h.basis.consent_covers);
      b->mutable_consent()->set_recorded_by(h.basis.consent_recorded_by);
      break;
    case domain::BasisKind::kLegalTask:
      b->mutable_legal_task()->set_reference(h.basis.legal_reference);
      break;
    case domain::BasisKind::kVitalInterest:
      b->mutable_vital_interest()->set_reason(h.basis.vital_reason);
      break;
  }
  out->set_deadline(domain::FormatDate(h.deadline));
  out->set_status(ToProto(h.status));
  out->set_decline_reason(h.decline_reason);
  out->set_cancel_reason(h.cancel_reason);
  out->set_introduced_date(h.introduced_date);
  out->set_introduced_with(h.introduced_with);
  if (h.outcome) out->set_outcome(ToProto(*h.outcome));
  out->set_outcome_text(h.outcome_text);
  SetTime(h.create_time, out->mutable_create_time());
  SetTime(h.update_time, out->mutable_update_time());
  out->set_etag(domain::HandoverEtag(h.version));
  out->set_due_soon(in.due_soon);
  out->set_overdue(in.overdue);
  for (const domain::Note& n : in.notes) NamedNoteToProto(n, names, out->add_notes());
}

absl::StatusOr<std::optional<domain::SignalStatus>> FromProto(v1::SignalStatus s,
                                                              const char* field) {
  switch (s) {
    case v1::SIGNAL_STATUS_UNSPECIFIED: return std::optional<domain::SignalStatus>();
    case v1::SIGNAL_STATUS_OPEN: return std::optional(domain::SignalStatus::kOpen);
    case v1::SIGNAL_STATUS_IN_PROGRESS: return std::optional(domain::SignalStatus::kInProgress);
    case v1::SIGNAL_STATUS_RESOLVED: return std::optional(domain::SignalStatus::kResolved);
    case v1::SIGNAL_STATUS_CLOSED: return std::optional(domain::SignalStatus::kClosed);
    case v1::SIGNAL_STATUS_WITHDRAWN: return std::optional(domain::SignalStatus::kWithdrawn);
    default: return BadEnum(field);
  }
}

absl::StatusOr<std::optional<domain::HandoverStatus>> FromProto(v1::HandoverStatus s,
                                                                const char* field) {
  using H = domain::HandoverStatus;
  switch (s) {
    case v1::HANDOVER_STATUS_UNSPECIFIED: return std::optional<H>();
    case v1::HANDOVER_STATUS_PROPOSED: return std::optional(H::kProposed);
    case v1::HANDOVER_STATUS_ACCEPTED: return std::optional(H::kAccepted);
    case v1::HANDOVER_STATUS_INTRODUCED: return std::optional(H::kIntroduced);
    case v1::HANDOVER_STATUS_COMPLETED: return std::optional(H::kCompleted);
    case v1::HANDOVER_STATUS_DECLINED: return std::optional(H::kDeclined);
    case v1::HANDOVER_STATUS_EXPIRED: return std::optional(H::kExpired);
    case v1::HANDOVER_STATUS_CANCELLED: return std::optional(H::kCancelled);
    default: return BadEnum(field);
  }
}

absl::StatusOr<domain::Urgency> FromProto(v1::Urgency u, const char* field) {
  switch (u) {
    case v1::URGENCY_UNSPECIFIED:
    case v1::URGENCY_NORMAL: return domain::Urgency::kNormal;
    case v1::URGENCY_LOW: return domain::Urgency::kLow;
    case v1::URGENCY_HIGH: return domain::Urgency::kHigh;
    case v1::URGENCY_ACUTE: return domain::Urgency::kAcute;
    default: return BadEnum(field);
  }
}

absl::StatusOr<domain::NoteVisibility> FromProto(v1::NoteVisibility v, const char* field) {
  switch (v) {
    case v1::NOTE_VISIBILITY_UNSPECIFIED:
    case v1::NOTE_VISIBILITY_INVOLVED: return domain::NoteVisibility::kInvolved;
    case v1::NOTE_VISIBILITY_OWN_ORGANISATION: return domain::NoteVisibility::kOwnOrganisation;
    case v1::NOTE_VISIBILITY_HEALTH: return domain::NoteVisibility::kHealth;
    default: return BadEnum(field);
  }
}

absl::StatusOr<std::optional<domain::Outcome>> FromProto(v1::Outcome o, const char* field) {
  switch (o) {
    case v1::OUTCOME_UNSPECIFIED: return std::optional<domain::Outcome>();
    case v1::OUTCOME_HELPED: return std::optional(domain::Outcome::kHelped);
    case v1::OUTCOME_NOT_HELPED: return std::optional(domain::Outcome::kNotHelped);
    case v1::OUTCOME_REFERRED_ON: return std::optional(domain::Outcome::kReferredOn);
    case v1::OUTCOME_RESIDENT_DECLINED: return std::optional(domain::Outcome::kResidentDeclined);
    default: return BadEnum(field);
  }
}

std::optional<domain::LawfulBasis> FromProto(const v1::LawfulBasis& b) {
  domain::LawfulBasis out;
  switch (b.basis_case()) {
    case v1::LawfulBasis::kConsent:
      out.kind = domain::BasisKind::kConsent;
      out.consent_date = b.consent().date();
      out.consent_covers = b.consent().covers();
      return out;
    case v1::LawfulBasis::kLegalTask:
      out.kind = domain::BasisKind::kLegalTask;
      out.legal_reference = b.legal_task().reference();
      return out;
    case v1::LawfulBasis::kVitalInterest:
      out.kind = domain::BasisKind::kVitalInterest;
      out.vital_reason = b.vital_interest().reason();
      return out;
    case v1::LawfulBasis::BASIS_NOT_SET:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace schakel::api
