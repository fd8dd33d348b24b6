#include "server/audit/entry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/crypto/openssl_util.h"

namespace schakel::audit {
namespace {

void Put(std::string& out, absl::string_view field) {
  absl::StrAppend(&out, field.size(), ":", field, "\n");
}

}  // namespace

const std::string& GenesisHash() {
  static const std::string* genesis = new std::string(64, '0');
  return *genesis;
}

std::string CanonicalEncoding(const Entry& e) {
  // Version 1 stays exactly as it was, so that entries written before the
  // privacy request existed keep their hashes.
  const bool v2 = !e.privacy_request.empty();
  std::string out = v2 ? "schakel-audit-v2\n" : "schakel-audit-v1\n";
  Put(out, absl::StrCat(e.seq));
  Put(out, absl::StrCat(absl::ToUnixMicros(e.time)));
  Put(out, e.professional_id);
  Put(out, e.organisation_id);
  Put(out, e.roles);
  Put(out, e.certificate);
  Put(out, e.action);
  Put(out, e.resource_type);
  Put(out, e.resource_id);
  Put(out, absl::StrJoin(e.residents, ","));
  Put(out, e.outcome);
  Put(out, e.reason);
  Put(out, e.purpose);
  Put(out, e.break_glass ? "1" : "0");
  Put(out, e.request_id);
  Put(out, e.peer);
  if (v2) Put(out, e.privacy_request);
  Put(out, e.prev_hash);
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
