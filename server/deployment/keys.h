// Changing the deployment's keys: rotating the database key (rekey) and
// re-wrapping it under a new key-encryption key. Both refuse while another
// process holds the deployment.
#ifndef SCHAKEL_SERVER_DEPLOYMENT_KEYS_H_
#define SCHAKEL_SERVER_DEPLOYMENT_KEYS_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "server/deployment/deployment.h"

namespace schakel::deployment {

// The durable steps of a rotation, in order.
enum class RotationStep { kNextKeyWritten, kRekeyed, kRenamed };

// Rotates the database key without a moment at which no key file opens the
// database: writes the new wrapped key to DIR/key.next (durably), rekeys
// the database in one transaction, then renames key.next over key.wrapped.
// Opening tries key.wrapped and then key.next, so a kill at any step leaves
// a deployment that opens (OpenDatabase finishes or discards the rotation).
// `after_step`, when set, is called after each step (tests stop the process
// there).
absl::Status RotateKey(const Paths& paths, const std::string& kek,
                       const std::function<void(RotationStep)>& after_step = nullptr);

// Wraps the same database key under `new_kek`; no rekey. When the config's
// key source is a file, it is pointed at `new_kek_file`; otherwise the
// operator must update the credential or environment (`note` says so).
absl::Status RewrapKey(const Paths& paths, const std::string& kek, const std::string& new_kek,
                       const std::string& new_kek_file, std::string* note);

}  // namespace schakel::deployment

#endif  // SCHAKEL_SERVER_DEPLOYMENT_KEYS_H_
