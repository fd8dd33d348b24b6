// schakeld's wiring: holds the deployment, opens the database, builds the
// services and serves them over mutual TLS. Used by main and by tests, which
// start it on 127.0.0.1 port 0.
#ifndef SCHAKEL_SERVER_SERVER_H_
#define SCHAKEL_SERVER_SERVER_H_

#include <functional>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/api/limits.h"
#include "server/common/clock.h"

namespace schakel {

// The session-level advisory lock the primary instance holds on a
// PostgreSQL database (an arbitrary constant, beside the writers' lock of
// store/postgres_database.cc): a second primary is refused at start, and
// a primary whose lock another session holds signs and purges nothing
// until it holds it again.
inline constexpr int64_t kPrimaryInstanceLock = 7310485230942;
// The one the instance that sends the notification e-mail holds: any
// instance whose configuration names an SMTP relay takes it when nobody
// holds it, so the e-mail goes on from another instance when that one
// stops.
inline constexpr int64_t kMailSenderLock = 7310485230943;

struct ServerOptions {
  std::string deployment_dir;
  // Overrides the config's listen address; "HOST:0" picks a free port.
  std::string listen;
  // Overrides the config's enrollment_listen ("off": none). When empty and
  // `listen` is given, the enrollment listener takes the host of `listen`
  // and a free port (tests and ad-hoc runs never collide on a fixed port).
  std::string enrollment_listen;
  // Overrides the config's web.listen (the HTTPS port; "off": none). When
  // empty, `listen` asks for a free port ("HOST:0") and the config names an
  // HTTPS port, it takes the host of `listen` and a free port too.
  std::string web_listen;
  // Overrides the config's key-encryption key source.
  std::optional<std::string> kek_file;
  // Serves gRPC server reflection (off by default: it helps an attacker
  // map the API as much as it helps an operator).
  bool reflection = false;
  // Time source; the system clock when null. Not owned.
  const Clock* clock = nullptr;
  // How often the health service asks the database.
  absl::Duration health_interval = absl::Seconds(2);
  // How often proposed handovers past their deadline are expired.
  absl::Duration expiry_interval = absl::Seconds(60);
  // How often the retention job runs; zero takes the configuration's
  // retention.interval_seconds (default one hour).
  absl::Duration retention_interval = absl::ZeroDuration();
  // On PostgreSQL, how often the field keys are reloaded (a key added by
  // `schakel-admin key rotate` is picked up, and what is sealed under an
  // older key re-sealed); well below deployment::kDataKeyActivationDelay.
  absl::Duration field_key_check_interval = absl::Seconds(30);
  // Rows per write transaction while re-sealing. Tests lower it.
  int field_key_reseal_batch = 200;
  // What a connection and a request may cost (server/api/limits.h).
  api::Limits limits = api::DefaultLimits();
  // The operator's --accept-checkpoint-loss: start although the audit log
  // holds entries and audit-checkpoints no checkpoint; the acceptance is
  // recorded in the log (server/audit/start_check.h).
  bool accept_checkpoint_loss = false;
  // The start budget: the whole audit chain is verified before listening
  // when it has at most this many entries, else right after start in the
  // background (health NOT_SERVING if it fails). Tests lower it.
  int64_t start_verify_max_entries = 1'000'000;
  // Tests only: called at every cancellation/deadline check: when a request
  // starts and between the rows of a long operation (api::HandlerOptions).
  std::function<void()> stop_check_hook_for_testing;
  // Tests only: consulted before every audit append; a non-OK status makes
  // the append fail (fault injection for fail-closed auditing).
  std::function<absl::Status()> audit_fault_for_testing;
};

class Server {
 public:
  // Takes the deployment's lock, checks the secrets' permissions, opens the
  // database and starts serving. FAILED_PRECONDITION / PERMISSION_DENIED with
  // one clear sentence when it must refuse.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();

  // The address it listens on, with the port actually bound.
  const std::string& address() const;
  int port() const;
  // The enrollment listener (TLS, no client certificate asked): where
  // `schakel enroll` connects, with the port actually bound; empty and 0
  // when it is off.
  const std::string& enrollment_address() const;
  int enrollment_port() const;
  // The HTTPS port (Connect API and web console), with the port actually
  // bound; empty and 0 when there is none.
  const std::string& web_address() const;
  int web_port() const;
  // Whether the deployment is a demo one (for the start banner).
  bool demo() const;

  // Stops accepting, lets running requests finish within `grace`, then
  // cancels the rest, closes every connection (idle ones as soon as no
  // request runs) and closes the database. Idempotent.
  void Shutdown(absl::Duration grace);
  // The configuration's shutdown_grace_seconds, or kDefaultShutdownGrace.
  absl::Duration shutdown_grace() const;
  static constexpr absl::Duration kDefaultShutdownGrace = absl::Seconds(5);

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace schakel

#endif  // SCHAKEL_SERVER_SERVER_H_
