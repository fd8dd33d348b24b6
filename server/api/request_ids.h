// Checks every identifier a request carries against the format of its kind
// (domain/ids.h) before the request reaches the application, so that free
// text sent as an id is refused in one place for every RPC and never
// reaches a store or the audit log.
#ifndef SCHAKEL_SERVER_API_REQUEST_IDS_H_
#define SCHAKEL_SERVER_API_REQUEST_IDS_H_

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace schakel::api {

// INVALID_ARGUMENT naming the first field (by its proto name, with the path
// of nested messages: "basis.xyz_id") whose non-empty value is not an id of
// its kind. The kind comes from the field's name (`resident_id`,
// `keep_id`, `to_organisation_id`, `trajectory_ids`…); a field named `id`
// takes the kind of the service in `action` ("SignalService.GetSignal": a
// signal id; DirectoryService: an organisation id). Any other field ending
// in `_id` or `_ids` must at least be 1 to 64 characters of [A-Za-z0-9_-].
// Empty values are left to the application (required or not).
absl::Status ValidateRequestIds(absl::string_view action, const google::protobuf::Message& request);

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_REQUEST_IDS_H_
