// Proto ⇄ domain conversions of residents, signals, handovers and notes.
#ifndef SCHAKEL_SERVER_API_CASE_CONVERT_H_
#define SCHAKEL_SERVER_API_CASE_CONVERT_H_

#include <optional>

#include "absl/status/statusor.h"
#include "schakel/v1/common.pb.h"
#include "schakel/v1/handovers.pb.h"
#include "schakel/v1/residents.pb.h"
#include "schakel/v1/signals.pb.h"
#include "server/app/handover_app.h"
#include "server/app/signal_app.h"
#include "server/domain/resident.h"

namespace schakel::api {

v1::HandoverStatus ToProto(domain::HandoverStatus s);
v1::Outcome ToProto(domain::Outcome o);

void ToProto(const domain::Resident& in, v1::Resident* out);
void ToProto(const domain::Note& in, v1::Note* out);
void ToProto(const app::SignalView& in, v1::Signal* out);
void ToProto(const app::HandoverView& in, v1::Handover* out);

// INVALID_ARGUMENT naming `field` for a value outside the enum; nullopt for
// UNSPECIFIED.
absl::StatusOr<std::optional<domain::SignalStatus>> FromProto(v1::SignalStatus s,
                                                              const char* field);
absl::StatusOr<std::optional<domain::HandoverStatus>> FromProto(v1::HandoverStatus s,
                                                                const char* field);
absl::StatusOr<domain::Urgency> FromProto(v1::Urgency u, const char* field);
absl::StatusOr<domain::NoteVisibility> FromProto(v1::NoteVisibility v, const char* field);
absl::StatusOr<std::optional<domain::Outcome>> FromProto(v1::Outcome o, const char* field);
// nullopt when no basis is set.
std::optional<domain::LawfulBasis> FromProto(const v1::LawfulBasis& b);

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_CASE_CONVERT_H_
