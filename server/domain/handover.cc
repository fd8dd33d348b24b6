#include "server/domain/handover.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/directory.h"
#include "server/domain/text.h"

namespace schakel::domain {
namespace {

constexpr size_t kMaxReasonLength = 2000;
constexpr size_t kMaxBasisTextLength = 1000;
constexpr size_t kMaxReferenceLength = 500;

using S = HandoverStatus;
using A = HandoverAction;

// The table: which states each action leaves from, and where it goes.
struct Rule {
  A action;
  std::initializer_list<S> from;
  S to;
  std::optional<Party> by;  // nullopt: either party (introduce) or the clock
};
const Rule kRules[] = {
    {A::kAccept, {S::kProposed}, S::kAccepted, Party::kReceiver},
    {A::kDecline, {S::kProposed}, S::kDeclined, Party::kReceiver},
    {A::kExpire, {S::kProposed}, S::kExpired, std::nullopt},
    {A::kCancel, {S::kProposed, S::kAccepted}, S::kCancelled, Party::kSender},
    {A::kWithdrawConsent, {S::kProposed, S::kAccepted, S::kIntroduced}, S::kCancelled,
     Party::kSender},
    {A::kIntroduce, {S::kAccepted}, S::kIntroduced, std::nullopt},
    {A::kComplete, {S::kAccepted, S::kIntroduced}, S::kCompleted, Party::kReceiver},
};

const Rule& RuleFor(A action) {
  for (const Rule& r : kRules) {
    if (r.action == action) return r;
  }
  return kRules[0];
}

// A field the action does not take is refused, never silently ignored: a
// client that sends an outcome with an accept has misunderstood the call.
absl::Status CheckFieldsApply(const HandoverActionInput& in) {
  const bool reason = in.action == A::kDecline || in.action == A::kCancel ||
                      in.action == A::kWithdrawConsent;
  const bool introduce = in.action == A::kIntroduce;
  const bool complete = in.action == A::kComplete;
  const struct {
    const char* field;
    bool set;
    bool applies;
  } fields[] = {
      {"reason", !in.reason.empty(), reason},
      {"date", !in.date.empty(), introduce},
      {"with", !in.with.empty(), introduce},
      {"outcome", in.outcome.has_value(), complete},
      {"text", !in.text.empty(), complete},
  };
  for (const auto& f : fields) {
    if (f.set && !f.applies) {
      return absl::InvalidArgumentError(absl::StrCat(f.field, ": ", HandoverActionName(in.action),
                                                     " takes no ", f.field));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateInput(const HandoverActionInput& in, absl::CivilDay today) {
  RETURN_IF_ERROR(CheckFieldsApply(in));
  switch (in.action) {
    case A::kDecline:
      return ValidateText("reason", in.reason, kMaxReasonLength, true);
    case A::kCancel:
    case A::kWithdrawConsent:
      return ValidateOptionalText("reason", in.reason, kMaxReasonLength, true);
    case A::kIntroduce:
      if (!in.date.empty()) {
        ASSIGN_OR_RETURN(absl::CivilDay d, ParseDate("date", in.date));
        if (d > today) return absl::InvalidArgumentError("date: must not be in the future");
      }
      return ValidateOptionalText("with", in.with, kMaxNameLength);
    case A::kComplete:
      if (!in.outcome) {
        return absl::InvalidArgumentError(
            "outcome: required (helped, not_helped, referred_on or resident_declined)");
      }
      return ValidateOptionalText("text", in.text, kMaxDescriptionLength, true);
    case A::kAccept:
    case A::kExpire:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace

const char* HandoverStatusName(HandoverStatus s) {
  switch (s) {
    case S::kProposed: return "proposed";
    case S::kAccepted: return "accepted";
    case S::kIntroduced: return "introduced";
    case S::kCompleted: return "completed";
    case S::kDeclined: return "declined";
    case S::kExpired: return "expired";
    case S::kCancelled: return "cancelled";
  }
  return "proposed";
}

std::optional<HandoverStatus> ParseHandoverStatus(const std::string& name) {
  for (S s : {S::kProposed, S::kAccepted, S::kIntroduced, S::kCompleted, S::kDeclined,
              S::kExpired, S::kCancelled}) {
    if (name == HandoverStatusName(s)) return s;
  }
  return std::nullopt;
}

bool IsFinal(HandoverStatus s) {
  return s == S::kCompleted || s == S::kDeclined || s == S::kExpired || s == S::kCancelled;
}

const char* HandoverActionName(HandoverAction a) {
  switch (a) {
    case A::kAccept: return "accept";
    case A::kDecline: return "decline";
    case A::kIntroduce: return "introduce";
    case A::kComplete: return "complete";
    case A::kCancel: return "cancel";
    case A::kWithdrawConsent: return "withdraw consent";
    case A::kExpire: return "expire";
  }
  return "accept";
}

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kHelped: return "helped";
    case Outcome::kNotHelped: return "not_helped";
    case Outcome::kReferredOn: return "referred_on";
    case Outcome::kResidentDeclined: return "resident_declined";
  }
  return "helped";
}

std::optional<Outcome> ParseOutcome(const std::string& name) {
  for (Outcome o : {Outcome::kHelped, Outcome::kNotHelped, Outcome::kReferredOn,
                    Outcome::kResidentDeclined}) {
    if (name == OutcomeName(o)) return o;
  }
  return std::nullopt;
}

const char* BasisKindName(BasisKind k) {
  switch (k) {
    case BasisKind::kConsent: return "consent";
    case BasisKind::kLegalTask: return "legal_task";
    case BasisKind::kVitalInterest: return "vital_interest";
  }
  return "consent";
}

std::string HandoverEtag(int64_t version) { return absl::StrCat("v", version); }

absl::Status ValidateNewHandover(const NewHandover& r, absl::CivilDay today) {
  RETURN_IF_ERROR(ValidateRequestId("request_id", r.request_id));
  RETURN_IF_ERROR(ValidateId("resident_id", r.resident_id));
  RETURN_IF_ERROR(ValidateId("to_organisation_id", r.to_organisation_id));
  if (!r.team.empty()) RETURN_IF_ERROR(ValidateTeamId("team", r.team));
  if (!r.to_team.empty()) RETURN_IF_ERROR(ValidateTeamId("to_team", r.to_team));
  RETURN_IF_ERROR(ValidateText("reason", r.reason, kMaxReasonLength, true));
  if (!r.signal_id.empty()) RETURN_IF_ERROR(ValidateId("signal_id", r.signal_id));
  if (!r.basis) {
    return absl::InvalidArgumentError(
        "basis: a lawful basis is required (consent, legal_task or vital_interest)");
  }
  switch (r.basis->kind) {
    case BasisKind::kConsent:
      RETURN_IF_ERROR(
          ValidateText("basis.consent.covers", r.basis->consent_covers, kMaxBasisTextLength, true));
      if (!r.basis->consent_date.empty()) {
        ASSIGN_OR_RETURN(absl::CivilDay d, ParseDate("basis.consent.date", r.basis->consent_date));
        if (d > today) {
          return absl::InvalidArgumentError("basis.consent.date: must not be in the future");
        }
      }
      break;
    case BasisKind::kLegalTask:
      RETURN_IF_ERROR(ValidateText("basis.legal_task.reference", r.basis->legal_reference,
                                   kMaxReferenceLength));
      break;
    case BasisKind::kVitalInterest:
      RETURN_IF_ERROR(ValidateText("basis.vital_interest.reason", r.basis->vital_reason,
                                   kMaxBasisTextLength, true));
      break;
  }
  if (r.response_days < 0 || r.response_days > kMaxResponseDays) {
    return absl::InvalidArgumentError(
        absl::StrCat("response_days: must be between 0 and ", kMaxResponseDays,
                     " (0 means ", kDefaultResponseDays, ")"));
  }
  return absl::OkStatus();
}

std::string RequestFingerprint(const NewHandover& r) {
  const LawfulBasis b = r.basis.value_or(LawfulBasis{});
  std::string out =
      CanonicalFields({r.resident_id, r.to_organisation_id, r.reason, r.signal_id,
                       r.basis ? BasisKindName(b.kind) : "", b.consent_date, b.consent_covers,
                       b.legal_reference, b.vital_reason, absl::StrCat(r.response_days)});
  // Appended only when set, so that a request made before teams existed
  // keeps its fingerprint (a retry across the upgrade stays a retry).
  if (!r.team.empty() || !r.to_team.empty()) out += CanonicalFields({r.team, r.to_team});
  return out;
}

absl::Status CheckHandoverParties(const std::string& from_organisation,
                                  const std::string& from_team,
                                  const std::string& to_organisation,
                                  const std::string& to_team, absl::string_view field) {
  if (from_organisation == to_organisation && from_team == to_team) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": a handover goes to another organisation, or with to_team to another "
        "team of your own (", to_team, " is the sending team)"));
  }
  return absl::OkStatus();
}

absl::CivilDay ResponseDeadline(absl::CivilDay today, int response_days) {
  return AddWorkingDays(today, response_days == 0 ? kDefaultResponseDays : response_days);
}

absl::StatusOr<Handover> ApplyHandoverAction(const Handover& h, const HandoverActionInput& in,
                                             std::optional<Party> party,
                                             const std::string& actor_id, absl::CivilDay today,
                                             absl::Time now) {
  RETURN_IF_ERROR(ValidateInput(in, today));
  const Rule& rule = RuleFor(in.action);
  // A proposed handover whose deadline passed is expired, whether or not the
  // sweeper has recorded it yet.
  const bool past_deadline = h.status == S::kProposed && today > h.deadline;
  S current = past_deadline && in.action != A::kExpire ? S::kExpired : h.status;
  bool from_ok = false;
  for (S s : rule.from) from_ok |= s == current;
  if (in.action == A::kExpire && from_ok && !past_deadline) {
    return absl::FailedPreconditionError(
        absl::StrCat("handover: its deadline ", FormatDate(h.deadline), " has not passed"));
  }
  if (!from_ok) {
    return absl::FailedPreconditionError(absl::StrCat(
        "handover: a handover that is ", HandoverStatusName(current), " cannot be given '",
        HandoverActionName(in.action), "'"));
  }
  if (in.action == A::kWithdrawConsent && h.basis.kind != BasisKind::kConsent) {
    return absl::FailedPreconditionError(absl::StrCat(
        "handover: consent can only be withdrawn from a handover on the consent basis (this one "
        "is on ", BasisKindName(h.basis.kind), ")"));
  }
  if (in.action != A::kExpire) {
    if (!party) return absl::PermissionDeniedError("handover: not a party to this handover");
    if (rule.by && *rule.by != *party) {
      return absl::PermissionDeniedError(absl::StrCat(
          "handover: only the ", *rule.by == Party::kReceiver ? "receiving" : "sending",
          " organisation may ", HandoverActionName(in.action)));
    }
  }

  Handover next = h;
  next.status = rule.to;
  next.update_time = now;
  next.version = h.version + 1;
  switch (in.action) {
    case A::kAccept:
      next.receiver_id = actor_id;
      break;
    case A::kDecline:
      next.decline_reason = in.reason;
      break;
    case A::kIntroduce:
      next.introduced_date = in.date.empty() ? FormatDate(today) : in.date;
      next.introduced_with = in.with;
      break;
    case A::kComplete:
      next.outcome = in.outcome;
      next.outcome_text = in.text;
      break;
    case A::kCancel:
      next.cancel_reason = in.reason.empty() ? "cancelled by the sender" : in.reason;
      break;
    case A::kWithdrawConsent:
      next.cancel_reason = in.reason.empty() ? "the resident withdrew consent"
                                             : absl::StrCat("the resident withdrew consent: ",
                                                            in.reason);
      break;
    case A::kExpire:
      break;
  }
  return next;
}

absl::StatusOr<Handover> ForwardHandover(const Handover& h, std::optional<Party> party,
                                         const std::string& to_team, absl::CivilDay today,
                                         absl::Time now) {
  if (party != Party::kReceiver) {
    return absl::PermissionDeniedError(
        "only the receiving team passes a handover on to another team of its organisation");
  }
  if (h.status != HandoverStatus::kProposed || h.deadline < today) {
    return absl::FailedPreconditionError(absl::StrCat(
        "status: a handover that is ",
        h.status == HandoverStatus::kProposed ? "past its deadline" : HandoverStatusName(h.status),
        " cannot be passed on; only a proposed one can"));
  }
  if (to_team == h.to_team) {
    return absl::InvalidArgumentError(
        absl::StrCat("to_team: the handover is with team ", to_team, " already"));
  }
  RETURN_IF_ERROR(CheckHandoverParties(h.from_organisation_id, h.from_team, h.to_organisation_id,
                                       to_team, "to_team"));
  Handover next = h;
  next.to_team = to_team;
  next.update_time = now;
  return next;
}

bool IsDueSoon(const Handover& h, absl::CivilDay today) {
  return h.status == S::kProposed && today <= h.deadline &&
         h.deadline <= AddWorkingDays(today, 1);
}

bool IsOverdue(const Handover& h, absl::CivilDay today) {
  return h.status == S::kProposed && today > h.deadline;
}

}  // namespace schakel::domain
