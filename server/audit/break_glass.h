// What the audit log keeps of an emergency-access (break-glass) session
// besides its chained entry (FORMAT.md, "Break-glass sessions"): the reason,
// sealed beside the session, and the commitment to the session that the
// opening entry carries. Pure code but for the cipher.
//
// The reason is the one piece of case text the log keeps, by design: the
// auditor must be able to judge why someone broke the glass. It is sealed
// with AES-256-GCM under a key derived from the deployment's audit signing
// key (CheckpointSigner::DeriveKey with kReasonKeyInfo), which survives
// restarts, is in every backup and is never replaced; the database key is
// not used because `key rotate` changes it.
#ifndef SCHAKEL_SERVER_AUDIT_BREAK_GLASS_H_
#define SCHAKEL_SERVER_AUDIT_BREAK_GLASS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/audit/audit_store.h"
#include "server/audit/checkpoint.h"

namespace schakel::audit {

// The action of the entry that opens a session.
inline constexpr char kOpenBreakGlassAction[] = "ResidentService.OpenBreakGlass";
// The HKDF info of the reason key.
inline constexpr char kReasonKeyInfo[] = "schakel break-glass reason v1";

// The hex SHA-256 of the session's encoding (FORMAT.md): its id, professional,
// organisation, resident, start and end time and its sealed reason. It
// commits to the reason through the sealed bytes, so that no hash of the
// text itself (which a guess could confirm) enters the chain.
std::string SessionCommitment(const BreakGlassSession& s);

// Seals and opens break-glass reasons. Thread-safe (immutable).
class BreakGlassReasons {
 public:
  // The key derived from the deployment's audit signing key.
  static absl::StatusOr<BreakGlassReasons> ForSigner(const CheckpointSigner& signer);
  explicit BreakGlassReasons(std::string key) : key_(std::move(key)) {}

  // Seals `s.reason` into `s.sealed_reason`, bound to the session's id,
  // professional, organisation, resident and times.
  absl::Status Seal(BreakGlassSession& s) const;
  // The reason of a stored session: opened from sealed_reason, or `reason`
  // of a session opened before migration 10. PERMISSION_DENIED ("does not
  // authenticate") when the sealed reason or the fields it is bound to were
  // changed.
  absl::StatusOr<std::string> Reason(const BreakGlassSession& s) const;

 private:
  std::string key_;
};

}  // namespace schakel::audit

#endif  // SCHAKEL_SERVER_AUDIT_BREAK_GLASS_H_
