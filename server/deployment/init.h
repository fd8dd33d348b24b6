// `schakel-admin init`: creates a deployment directory from nothing.
#ifndef SCHAKEL_SERVER_DEPLOYMENT_INIT_H_
#define SCHAKEL_SERVER_DEPLOYMENT_INIT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "server/common/clock.h"

namespace schakel::deployment {

struct InitOptions {
  std::string dir;
  bool demo = false;
  std::vector<std::string> server_names;
  // The KEK source, in order of preference: this file; else SCHAKEL_KEK;
  // else the credential "schakel-kek" in $CREDENTIALS_DIRECTORY. A demo
  // deployment makes its own passphrase file instead.
  std::optional<std::string> kek_file;
  std::string listen = "127.0.0.1:7443";
  // Where checkpoints of the audit log are copied to, on other storage
  // (config audit.export_path); empty for none.
  std::string audit_export_path;
  // The store on PostgreSQL instead of a SQLCipher file: a libpq
  // connection string of the database's owner (an empty database,
  // LC_COLLATE C; dbname= required). Init makes the roles "<db>_service"
  // and "<db>_maintenance" there with the schema and the field keys, keeps
  // their passwords in DIR/pgpass, and never stores the owner's.
  std::string postgresql_conninfo;
};

// A demo identity `schakel-admin init --demo` creates under DIR/users/NAME.
struct DemoUser {
  const char* name;
  const char* role;
  const char* organisation;
  const char* team;  // "": the organisation's intake team
};
const std::vector<DemoUser>& DemoUsers();

// What init made that only it can show: the enrollment codes of the first
// two administrators of a non-demo deployment, shown once.
struct InitResult {
  struct FirstAdmin {
    std::string name;  // "admin", "admin2"
    std::string professional_id;
    std::string enrollment_code;
  };
  std::vector<FirstAdmin> first_admins;
};

// Creates the deployment: CA, server certificate, wrapped database key,
// configuration and the seeded database. A non-demo deployment gets its
// first two administrators (`admin`, `admin2`), each with an enrollment
// code: they make their own keys with `schakel enroll`, and their admin
// role is in effect from the start (there is nobody yet to approve it).
// With `demo`, init makes one identity per demo user under DIR/users (keys
// made by init: demo only) with its role approved at once: cert.pem,
// key.pem, ca.pem, and identity.p12 for a browser with its random password
// in p12-password (a demo convenience). It also writes DIR/demo-passphrase
// and opens the HTTPS port on 127.0.0.1:7445 (web.listen); without `demo`
// the config has no web block. Everything is built in a temporary sibling
// directory and renamed into place, so a failure leaves no half
// deployment. ALREADY_EXISTS when DIR exists and is not empty.
absl::Status InitDeployment(const InitOptions& options, const Clock& clock, IdGenerator& ids,
                            InitResult* result = nullptr);

}  // namespace schakel::deployment

#endif  // SCHAKEL_SERVER_DEPLOYMENT_INIT_H_
