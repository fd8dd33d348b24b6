// A professional with a certificate, as the directory store registers one,
// for store tests.
#ifndef SCHAKEL_TESTS_SUPPORT_DIRECTORY_RECORDS_H_
#define SCHAKEL_TESTS_SUPPORT_DIRECTORY_RECORDS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "server/store/directory_store.h"

namespace schakel::testing {

// Professional `id` of organisation woej with `roles`, registered by
// `request_id`, and a certificate "fp-<id>" valid from 2023 to 2027.
inline store::ProfessionalRecord TestProfessionalRecord(const std::string& id,
                                                        const std::string& request_id,
                                                        std::vector<domain::Role> roles) {
  store::ProfessionalRecord r;
  r.professional.id = id;
  r.professional.organisation_id = "woej";
  r.professional.display_name = "Test " + id;
  r.professional.roles = std::move(roles);
  r.professional.create_time = absl::FromUnixSeconds(1700000000);
  r.request_id = request_id;
  r.request_hash = "hash-" + request_id;
  r.certificate.fingerprint = "fp-" + id;
  r.certificate.serial = "SERIAL" + id;
  r.certificate.professional_id = id;
  r.certificate.not_before = absl::FromUnixSeconds(1700000000);
  r.certificate.not_after = absl::FromUnixSeconds(1800000000);
  r.certificate.pem = "pem";
  return r;
}

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_SUPPORT_DIRECTORY_RECORDS_H_
