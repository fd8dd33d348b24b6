#include "server/audit/verifier.h"

#include <map>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace schakel::audit {
namespace {

// Keeps the earliest problem.
void Flag(VerifyReport& r, int64_t seq, std::string problem) {
  if (r.intact || seq < r.first_bad_seq) {
    r.intact = false;
    r.first_bad_seq = seq;
    r.problem = std::move(problem);
  }
}

}  // namespace

absl::StatusOr<ExpectedHead> ParseExpectedHead(const std::string& text) {
  auto colon = text.find(':');
  ExpectedHead e;
  if (colon == std::string::npos || !absl::SimpleAtoi(text.substr(0, colon), &e.seq) ||
      e.seq <= 0) {
    return absl::InvalidArgumentError(
        "expect: must be SEQ:HASH, a sequence number from 1 and a 64-digit hex hash");
  }
  e.hash = absl::AsciiStrToLower(text.substr(colon + 1));
  if (e.hash.size() != 64 || !std::all_of(e.hash.begin(), e.hash.end(), [](char c) {
        return absl::ascii_isxdigit(static_cast<unsigned char>(c));
      })) {
    return absl::InvalidArgumentError("expect: the hash must be 64 hex digits");
  }
  return e;
}

absl::StatusOr<VerifyReport> VerifyChain(store::Database& db,
                                         const std::vector<Checkpoint>& checkpoints,
                                         const std::string& public_key_pem,
                                         const std::optional<ExpectedHead>& expect,
                                         const std::function<absl::Status()>& stop) {
  VerifyReport r;
  r.head = Head{0, GenesisHash()};
  // The hashes a checkpoint or --expect will ask about.
  std::map<int64_t, std::string> wanted;
  for (const Checkpoint& c : checkpoints) wanted[c.seq];
  if (expect) wanted[expect->seq];

  // After a retention purge the chain starts at its anchor: a checkpoint
  // signed before the purge, whose head the first remaining entry links to.
  ASSIGN_OR_RETURN(std::optional<Checkpoint> anchor, ReadAnchor(db));
  int64_t expected_seq = 1;
  std::string prev = GenesisHash();
  if (anchor) {
    if (!VerifyCheckpoint(*anchor, public_key_pem).ok()) {
      Flag(r, anchor->seq + 1,
           absl::StrCat("the chain's anchor at ", anchor->seq, " has a bad signature"));
    } else if (absl::Status recorded = CheckAnchorRecorded(*anchor, checkpoints, public_key_pem);
               !recorded.ok()) {
      // A genuine checkpoint installed as the anchor after deleting the
      // entries before it: only a purge signs an anchor record.
      Flag(r, anchor->seq + 1, std::string(recorded.message()));
    }
    expected_seq = anchor->seq + 1;
    prev = anchor->head;
    r.anchor_seq = anchor->seq;
    r.head = Head{anchor->seq, anchor->head};
    if (auto it = wanted.find(anchor->seq); it != wanted.end()) it->second = anchor->head;
  }
  RETURN_IF_ERROR(ForEachEntry(db, [&](const Entry& e) -> absl::Status {
    // The walk holds the database for its whole length: a cancelled or
    // overdue verify lets go at once.
    if (stop) RETURN_IF_ERROR(stop());
    if (e.seq != expected_seq) {
      Flag(r, expected_seq,
           absl::StrCat("entry ", expected_seq, " is missing (the next is ", e.seq, ")"));
    } else if (e.prev_hash != prev) {
      Flag(r, e.seq, absl::StrCat("entry ", e.seq, " does not link to the entry before it"));
    } else if (ChainHash(e) != e.hash) {
      Flag(r, e.seq, absl::StrCat("entry ", e.seq, " was altered (its hash does not match)"));
    }
    ++r.entries;
    expected_seq = e.seq + 1;
    prev = e.hash;
    r.head = Head{e.seq, e.hash};
    if (auto it = wanted.find(e.seq); it != wanted.end()) it->second = e.hash;
    return absl::OkStatus();
  }));

  for (const Checkpoint& c : checkpoints) {
    ++r.checkpoints;
    if (!VerifyCheckpoint(c, public_key_pem).ok()) {
      Flag(r, c.seq, absl::StrCat("the checkpoint at ", c.seq, " has a bad signature"));
    } else if (c.seq > r.head.seq) {
      Flag(r, r.head.seq + 1,
           absl::StrCat("the chain ends at ", r.head.seq, ", before the signed checkpoint at ",
                        c.seq, " (truncated, or an older copy of the database)"));
    } else if (anchor && c.seq < anchor->seq) {
      // Its entries were purged; only its signature can still be checked.
    } else if (wanted[c.seq] != c.head) {
      Flag(r, c.seq,
           absl::StrCat("entry ", c.seq, " differs from the signed checkpoint (rewritten)"));
    }
  }
  if (expect) {
    if (expect->seq > r.head.seq) {
      Flag(r, r.head.seq + 1,
           absl::StrCat("the chain ends at ", r.head.seq, ", before the expected head at ",
                        expect->seq));
    } else if (anchor && expect->seq < anchor->seq) {
      Flag(r, expect->seq,
           absl::StrCat("the expected head at ", expect->seq, " was purged (the chain starts at ",
                        anchor->seq, ")"));
    } else if (wanted[expect->seq] != expect->hash) {
      Flag(r, expect->seq, absl::StrCat("entry ", expect->seq, " differs from the expected head"));
    }
  }
  return r;
}

}  // namespace schakel::audit
