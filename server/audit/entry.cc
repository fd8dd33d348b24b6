#include "server/audit/entry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/crypto/openssl_util.h"

namespace schakel::audit {
namespace {

// Appends by hand rather than with StrAppend: verify writes ~20 fields for
// each of millions of entries, and this is the inner loop.
void Put(std::string& out, absl::string_view field) {
  const absl::AlphaNum length(field.size());  // decimal digits, no allocation
  out.append(length.data(), length.size());
  out.push_back(':');
  out.append(field.data(), field.size());
  out.push_back('\n');
}

void PutNumber(std::string& out, int64_t n) { Put(out, absl::AlphaNum(n).Piece()); }

}  // namespace

const std::string& GenesisHash() {
  static const std::string* genesis = new std::string(64, '0');
  return *genesis;
}

void AppendCanonicalEncoding(const EntryFields& f, std::string& out) {
  // Versions 1 and 2 stay exactly as they were, so that entries written
  // before version 3 keep their hashes.
  const bool v3 = f.version == kEntryVersion;
  const bool v2 = !v3 && !f.privacy_request.empty();
  out.append(v3 ? "schakel-audit-v3\n" : v2 ? "schakel-audit-v2\n" : "schakel-audit-v1\n");
  PutNumber(out, f.seq);
  PutNumber(out, f.time_micros);
  Put(out, f.professional_id);
  Put(out, f.organisation_id);
  Put(out, f.roles);
  Put(out, f.certificate);
  Put(out, f.action);
  Put(out, f.resource_type);
  Put(out, f.resource_id);
  Put(out, f.residents);
  Put(out, f.outcome);
  Put(out, f.reason);
  Put(out, f.purpose);
  Put(out, f.break_glass ? "1" : "0");
  Put(out, f.request_id);
  Put(out, f.peer);
  if (v2 || v3) Put(out, f.privacy_request);
  if (v3) Put(out, f.session_commitment);
  Put(out, f.prev_hash);
}

std::string CanonicalEncoding(const Entry& e) {
  const std::string residents = absl::StrJoin(e.residents, ",");
  EntryFields f;
  f.version = e.version;
  f.seq = e.seq;
  f.time_micros = absl::ToUnixMicros(e.time);
  f.professional_id = e.professional_id;
  f.organisation_id = e.organisation_id;
  f.roles = e.roles;
  f.certificate = e.certificate;
  f.action = e.action;
  f.resource_type = e.resource_type;
  f.resource_id = e.resource_id;
  f.residents = residents;
  f.outcome = e.outcome;
  f.reason = e.reason;
  f.purpose = e.purpose;
  f.break_glass = e.break_glass;
  f.request_id = e.request_id;
  f.peer = e.peer;
  f.privacy_request = e.privacy_request;
  f.session_commitment = e.session_commitment;
  f.prev_hash = e.prev_hash;
  std::string out;
  AppendCanonicalEncoding(f, out);
  return out;
}

std::string ChainHash(const Entry& e) {
  return crypto::HexEncode(crypto::Sha256(CanonicalEncoding(e)));
}

void NormalizeResidents(std::vector<std::string>& residents) {
  residents.erase(std::remove(residents.begin(), residents.end(), std::string()),
                  residents.end());
  std::sort(residents.begin(), residents.end());
  residents.erase(std::unique(residents.begin(), residents.end()), residents.end());
}

}  // namespace schakel::audit
