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
};

// A demo identity `schakel-admin init --demo` creates under DIR/users/NAME.
struct DemoUser {
  const char* name;
  const char* role;
  const char* organisation;
};
const std::vector<DemoUser>& DemoUsers();

// Creates the deployment: CA, server certificate, wrapped database key,
// configuration, the seeded database, and the `admin` identity (and with
// `demo`, one identity per demo user and DIR/demo-passphrase). Everything is
// built in a temporary sibling directory and renamed into place, so a
// failure leaves no half deployment. ALREADY_EXISTS when DIR exists and is
// not empty.
absl::Status InitDeployment(const InitOptions& options, const Clock& clock, IdGenerator& ids);

}  // namespace schakel::deployment

#endif  // SCHAKEL_SERVER_DEPLOYMENT_INIT_H_
