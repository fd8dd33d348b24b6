// Demo deployments and directly registered professionals for tests that run
// a real server.
#ifndef SCHAKEL_TESTS_SUPPORT_DEPLOYMENT_SUPPORT_H_
#define SCHAKEL_TESTS_SUPPORT_DEPLOYMENT_SUPPORT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "server/common/clock.h"
#include "server/crypto/x509.h"
#include "server/deployment/deployment.h"
#include "server/domain/directory.h"
#include "server/store/directory_store.h"
#include "tests/support/test_support.h"

namespace schakel::testing {

// `schakel-admin init DIR --demo` into tmp/deployment; its paths. The
// certificates are issued at `clock`'s time (the system clock when null).
// On PostgreSQL (OnPostgres()), with --postgresql in a new database of the
// shared test cluster.
std::unique_ptr<deployment::Paths> InitDemoDeployment(const TempDir& tmp,
                                                      const Clock* clock = nullptr);

// Runs `sql` against the deployment's store with the rights of whoever
// could change it behind schakel's back: the SQLCipher file opened with its
// key, or on PostgreSQL the database's owner (the service role may not
// change the audit tables at all). Fails the test when `sql` fails (on
// SQLCipher also when its last statement changed no row).
void TamperWithStore(const deployment::Paths& paths, const std::string& kek,
                     const std::string& sql);

// The demo deployment's key-encryption key.
std::string DemoKek(const deployment::Paths& paths);

// Verifies the deployment's whole audit chain against its checkpoints
// (through its own config: the SQLCipher file, or its PostgreSQL hosts).
void ExpectAuditChainIntact(const deployment::Paths& paths);

// The deployment's CA, loaded from its files.
crypto::CertificateAuthority LoadCa(const deployment::Paths& paths);

// Registers a professional straight in the database (no server needed) with a
// client certificate of `ca` valid in [not_before, not_after); returns the
// identity to call with. `serial` receives the certificate's serial. The
// professional works in `teams` of the organisation, by default in its
// intake team.
Identity RegisterProfessional(store::Database& db,
                              const crypto::CertificateAuthority& ca, const std::string& id,
                              const std::string& organisation, std::vector<domain::Role> roles,
                              absl::Time not_before, absl::Time not_after,
                              std::string* serial = nullptr, std::vector<std::string> teams = {});

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_SUPPORT_DEPLOYMENT_SUPPORT_H_
