// One audit entry and the hash chain over entries (the format is written
// down in FORMAT.md beside this file). Pure code.
#ifndef SCHAKEL_SERVER_AUDIT_ENTRY_H_
#define SCHAKEL_SERVER_AUDIT_ENTRY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace schakel::audit {

inline constexpr char kAllowed[] = "allowed";
inline constexpr char kDenied[] = "denied";
inline constexpr char kFailed[] = "failed";

// The version of the canonical encoding new entries are written in
// (FORMAT.md). Entries of versions 1 and 2 keep their encoding; their rows
// store version 0 (the version follows from privacy_request).
inline constexpr int kEntryVersion = 3;
inline constexpr int kLegacyVersion = 0;

// The NEN 7513 facts of one request: when, who, what, which residents, the
// outcome, the purpose. Never names, descriptions or note text.
struct Entry {
  int64_t seq = 0;
  absl::Time time;
  std::string professional_id;
  std::string organisation_id;
  std::string roles;        // the caller's roles, comma-separated
  std::string certificate;  // SHA-256 fingerprint of the client certificate
  std::string action;       // e.g. "SignalService.GetSignal"
  std::string resource_type;
  std::string resource_id;
  std::vector<std::string> residents;  // opaque ids, sorted, unique
  std::string outcome;                 // allowed | denied | failed
  std::string reason;
  std::string purpose;
  bool break_glass = false;
  std::string request_id;
  std::string peer;
  // The resident's request reference of a privacy officer's act (export,
  // rectify, erase, hold, release); empty otherwise. Flags the entry.
  std::string privacy_request;
  // On the entry that opens a break-glass session: the session's commitment
  // (SessionCommitment in break_glass.h, hex); empty otherwise. Version 3.
  std::string session_commitment;
  // kEntryVersion for every entry written now; kLegacyVersion for one read
  // back from before it.
  int version = kEntryVersion;
  std::string prev_hash;  // hex; 64 zeros before the first entry
  std::string hash;       // hex
};

// The hash before the first entry.
const std::string& GenesisHash();

// The hashed fields of an entry in the form its row stores them (residents
// joined by commas, time in microseconds), as views: what the canonical
// encoding is written from, so that verifying a stored entry need not parse
// it into an Entry first.
struct EntryFields {
  int version = kEntryVersion;
  int64_t seq = 0;
  int64_t time_micros = 0;
  absl::string_view professional_id, organisation_id, roles, certificate, action,
      resource_type, resource_id, residents, outcome, reason, purpose;
  bool break_glass = false;
  absl::string_view request_id, peer, privacy_request, session_commitment, prev_hash;
};

// The canonical encoding of every field but `hash` (FORMAT.md): version 3
// for kEntryVersion; for kLegacyVersion, version 1 for an entry without a
// privacy request (every entry written before the field existed), version 2
// with it.
std::string CanonicalEncoding(const Entry& e);
// The same, of `f`, appended to `out` (the one encoder both use).
void AppendCanonicalEncoding(const EntryFields& f, std::string& out);

// SHA-256 of the canonical encoding, lower-case hex.
std::string ChainHash(const Entry& e);

// Sorts and de-duplicates the residents, dropping empty ids.
void NormalizeResidents(std::vector<std::string>& residents);

}  // namespace schakel::audit

#endif  // SCHAKEL_SERVER_AUDIT_ENTRY_H_
