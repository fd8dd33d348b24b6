#include "server/server.h"

#include <grpc/grpc.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <dlfcn.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "server/api/limits.h"
#include "server/api/security_events.h"
#include "server/audit/audit_log.h"
#include "server/audit/start_check.h"
#include "server/common/files.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/crypto/x509.h"
#include "server/deployment/deployment.h"
#include "server/deployment/field_key_rotation.h"
#include "server/store/instance_wakeups.h"
#include "server/store/postgres_database.h"
#include "server/domain/listen_address.h"
#include "server/app/mail_sender.h"
#include "server/notify/mailer.h"
#include "server/notify/retry.h"
#include "server/services.h"
#include "server/web/connect_dispatcher.h"
#include "server/web/https_server.h"

namespace schakel {
namespace {

const char* const kServiceNames[] = {"schakel.v1.DirectoryService", "schakel.v1.AdminService",
                                     "schakel.v1.ResidentService", "schakel.v1.SignalService",
                                     "schakel.v1.HandoverService", "schakel.v1.AuditService",
                                     "schakel.v1.TrajectoryService", "schakel.v1.ReportService",
                                     "schakel.v1.PrivacyService", "schakel.v1.EnrollmentService",
                                     "schakel.v1.ReferenceService", "schakel.v1.RoutingService"};

// The port of the enrollment listener unless configured.
constexpr char kDefaultEnrollmentPort[] = "7444";


// "HOST" of "HOST:PORT" (also "[v6]:PORT").
std::string HostOf(const std::string& address) {
  if (!address.empty() && address[0] == '[') {
    size_t end = address.find(']');
    if (end != std::string::npos) return address.substr(0, end + 1);
  }
  return address.substr(0, address.rfind(':'));
}

// gRPC's reflection library registers itself with every ServerBuilder from
// a static initializer as soon as it is loaded, whatever the code asks: so
// it is not linked into schakeld, and loaded only when reflection is
// wanted. Loading it before the ServerBuilder exists is what turns it on.
absl::Status LoadReflection() {
  static const bool loaded =
      ::dlopen("libgrpc++_reflection.so.1.51", RTLD_NOW | RTLD_GLOBAL) != nullptr;
  if (!loaded) {
    return absl::FailedPreconditionError(
        "--reflection: gRPC's reflection library (libgrpc++_reflection.so.1.51, Debian package "
        "libgrpc++1.51) cannot be loaded");
  }
  return absl::OkStatus();
}

}  // namespace

struct Server::Impl {
  std::unique_ptr<deployment::Lock> lock;
  config::DeploymentConfig config;
  SystemClock system_clock;
  const Clock* clock = nullptr;
  RandomIdGenerator ids;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<crypto::CertificateAuthority> ca;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<Services> services;
  std::unique_ptr<app::RetentionJob> retention;
  std::unique_ptr<grpc::Server> grpc_server;
  std::string address;
  int port = 0;
  std::string enrollment_address;
  int enrollment_port = 0;
  std::unique_ptr<web::ConnectDispatcher> connect;
  std::unique_ptr<web::HttpsServer> https;
  std::string web_address;
  absl::Notification stop_background;
  std::thread health_thread;
  std::thread expiry_thread;
  std::thread retention_thread;
  std::thread verify_thread;
  // On PostgreSQL: the field keys reloaded, and values re-sealed after a
  // rotation.
  std::unique_ptr<deployment::FieldKeyRotation> key_rotation;
  std::thread key_thread;
  // E-mail of notifications, when the config names an SMTP relay.
  std::unique_ptr<notify::Mailer> mailer;
  std::unique_ptr<app::MailSender> mail_sender;
  std::thread mail_thread;
  // On PostgreSQL: notifications another instance wrote wake this one's
  // streams and e-mail sender (store/instance_wakeups.h).
  std::thread listen_thread;
  // Set when the background verify of the audit chain found it broken:
  // NOT_SERVING from then on.
  std::atomic<bool> audit_broken{false};
  // The primary instance on PostgreSQL keeps the primary's lock of the
  // database; it signs and purges only while it holds it.
  bool keeps_primary_lock = false;
  absl::Mutex primary_mu;  // orders the log lines of changes
  std::atomic<bool> holds_primary{true};
  bool shut_down = false;

  void SetServing(bool serving) {
    grpc::HealthCheckServiceInterface* health = grpc_server->GetHealthCheckService();
    if (health == nullptr) return;
    health->SetServingStatus(serving);
    for (const char* name : kServiceNames) health->SetServingStatus(name, serving);
  }

  // Reports SERVING only while the database answers a read and the audit
  // log can commit an entry durably (a full disk, an unwritable file or a
  // failing audit path make it NOT_SERVING until a probe succeeds again).
  void HealthLoop(absl::Duration interval) {
    bool last = true;
    while (!stop_background.WaitForNotificationWithTimeout(interval)) {
      absl::Status s = db->Ping();
      if (s.ok()) KeepPrimaryLock();
      if (s.ok()) s = audit->Probe();
      bool ok = s.ok() && !audit_broken;
      if (ok != last && !audit_broken) {
        LogWarning(ok ? "database and audit log write again: SERVING"
                      : absl::StrCat("database or audit log cannot write (", s.message(),
                                     "): NOT_SERVING"));
        last = ok;
      }
      SetServing(ok);
    }
  }

  // The primary's lock goes with the session that took it: after a
  // failover (or a restart of the database server) it is taken again on
  // the new primary at the first probe that reaches it. Another instance
  // configured primary that took it meanwhile keeps it, and this one
  // signs and purges nothing until it gets it back. Asked by every probe,
  // and by each checkpoint and retention run right before it signs
  // (HoldsPrimaryNow): what signs knows it holds the lock at that moment.
  // Whether it holds it now.
  bool KeepPrimaryLock() {
    if (!keeps_primary_lock) return true;
    absl::StatusOr<bool> held =
        static_cast<store::PostgresDatabase*>(db.get())->HoldSessionLock(kPrimaryInstanceLock);
    const bool now = held.ok() && *held;
    absl::MutexLock lock(&primary_mu);
    if (now == holds_primary) return now;
    holds_primary = now;
    if (now) {
      LogWarning("this instance holds the primary's lock of the database again: it signs "
                 "checkpoints and runs retention");
    } else if (held.ok()) {
      LogError("another primary instance holds the primary's lock of the database: this one "
               "signs no checkpoint and purges nothing until it holds it again; set "
               "instance { secondary: true } on every instance but one");
    } else {
      LogWarning(absl::StrCat("the primary's lock of the database cannot be checked (",
                              held.status().message(), "): nothing is signed until it is"));
    }
    return now;
  }

  // The HTTPS port: the same services through the Connect protocol.
  absl::Status StartWeb(const ServerOptions& options, const std::string& listen,
                        const std::string& cert_pem, const std::string& key_pem,
                        const std::string& ca_pem, const std::string& dir) {
    std::string web_listen = options.web_listen;
    const std::string& configured = config.web().listen();
    if (web_listen.empty()) {
      if (configured.empty() || configured == "off") return absl::OkStatus();
      // A server started on a free port (tests, ad-hoc runs) takes a free
      // one for HTTPS too, so that two never collide on the configured port.
      const bool free_port = absl::EndsWith(options.listen, ":0");
      web_listen = free_port ? absl::StrCat(HostOf(listen), ":0") : configured;
    }
    if (web_listen == "off") return absl::OkStatus();
    RETURN_IF_ERROR(domain::ParseListenAddress("web.listen", web_listen).status());
    ASSIGN_OR_RETURN(connect, web::ConnectDispatcher::Create(*services));
    web::HttpsOptions web_options;
    web_options.listen = web_listen;
    web_options.server_cert_pem = cert_pem;
    web_options.server_key_pem = key_pem;
    web_options.ca_pem = ca_pem;
    web_options.server_names = {"localhost", "127.0.0.1"};
    for (const std::string& name : config.server_names()) web_options.server_names.push_back(name);
    for (const std::string& origin : config.web().origin()) web_options.extra_origins.push_back(origin);
    std::string assets = config.web().assets_dir().empty() ? "web" : config.web().assets_dir();
    web_options.assets_dir = assets.front() == '/' ? assets : JoinPath(dir, assets);
    web_options.max_body_bytes = static_cast<size_t>(options.limits.max_receive_message_bytes);
    web_options.max_header_bytes = static_cast<size_t>(options.limits.max_metadata_bytes);
    web_options.handshake_timeout = options.limits.handshake_timeout;
    const web::ConnectDispatcher* dispatcher = connect.get();
    ASSIGN_OR_RETURN(https, web::HttpsServer::Start(
                                web_options, [dispatcher](const std::string& path, web::Codec codec,
                                                          const std::string& body,
                                                          const api::Call& call) {
                                  return dispatcher->Invoke(path, codec, body, call);
                                }));
    web_address = absl::StrCat(HostOf(web_listen), ":", https->port());
    LogInfo(absl::StrCat("HTTPS port on ", web_address, " (Connect API and web console)"));
    return absl::OkStatus();
  }

  // The clock's part of the handover table: proposed → expired; and the
  // reminders of answers due within a working day.
  void ExpiryLoop(absl::Duration interval) {
    do {
      absl::StatusOr<int> expired = services->handover_app->ExpireDue();
      if (!expired.ok()) {
        LogWarning(absl::StrCat("expiring handovers failed: ", expired.status().ToString()));
      } else if (*expired > 0) {
        LogInfo(absl::StrCat("expired ", *expired, " handovers past their deadline"));
      }
      absl::StatusOr<int> reminded = services->handover_app->RemindDueSoon();
      if (!reminded.ok()) {
        LogWarning(absl::StrCat("reminding of handovers due failed: ",
                                reminded.status().ToString()));
      }
      absl::StatusOr<int> measurements = services->trajectory_app->RemindMeasurementsDue();
      if (!measurements.ok()) {
        LogWarning(absl::StrCat("reminding of measurements due failed: ",
                                measurements.status().ToString()));
      }
    } while (!stop_background.WaitForNotificationWithTimeout(interval));
  }

  // Whether this instance sends the e-mail now. On PostgreSQL the one
  // instance holding the mail sender's lock does; when it stops (or loses
  // its session) another one takes the lock at its next round.
  std::optional<bool> sends_mail;
  bool SendsMail() {
    if (db->engine() != store::Engine::kPostgresql) return true;
    absl::StatusOr<bool> held =
        static_cast<store::PostgresDatabase*>(db.get())->HoldSessionLock(kMailSenderLock);
    const bool now = held.ok() && *held;
    if (sends_mail == now) return now;
    if (now) {
      LogInfo("this instance sends the notification e-mail (it holds the mail sender's lock)");
    } else if (held.ok()) {
      LogInfo("another instance sends the notification e-mail; this one takes over should it "
              "stop");
    }
    sends_mail = now;
    return now;
  }

  // The e-mail outbox: what is due, at once after a commit that wrote
  // notifications (the hub wakes it), else every few seconds (retries,
  // digests).
  void MailLoop() {
    app::NotificationHub* hub = services->notification_hub.get();
    while (!stop_background.HasBeenNotified() && !hub->closed()) {
      const int64_t seen = hub->generation();
      // The lock asked again before each message: one whose session broke
      // stops at the next, so a batch is not sent again by the instance
      // that takes the lock over.
      absl::StatusOr<int> sent =
          SendsMail() ? mail_sender->SendDue([this] {
            return stop_background.HasBeenNotified() || !SendsMail();
          })
                      : absl::StatusOr<int>(0);
      if (!sent.ok()) {
        LogWarning(absl::StrCat("sending notification e-mail failed: ",
                                sent.status().ToString()));
      }
      hub->WaitAfter(seen, absl::Seconds(5));
    }
  }

  // The whole audit chain, when it was too long to verify before listening.
  void VerifyLoop(std::string checkpoint_path, std::string public_pem, bool file_of_record) {
    absl::Status s = audit::VerifyWholeChain(
        *db, checkpoint_path, public_pem, /*require_checkpoint=*/file_of_record,
        [this]() -> absl::Status {
          return stop_background.HasBeenNotified() ? absl::CancelledError("shutting down")
                                                   : absl::OkStatus();
        });
    if (s.code() == absl::StatusCode::kCancelled) return;
    if (s.ok()) {
      LogInfo("audit log verified in the background: intact");
      return;
    }
    audit_broken = true;
    SetServing(false);
    LogError(absl::StrCat("AUDIT LOG CHECK FAILED AFTER START: ", s.message(),
                          " -- health is NOT_SERVING; stop schakeld and investigate"));
  }

  // Reloads the field keys; after `schakel-admin key rotate`, re-seals
  // what is sealed under an older key (deployment/field_key_rotation.h).
  void KeyLoop(absl::Duration interval) {
    auto stop = [this] { return stop_background.HasBeenNotified(); };
    do {
      absl::StatusOr<deployment::FieldKeyRotation::Report> r = key_rotation->RunOnce(stop);
      if (!r.ok()) {
        LogWarning(absl::StrCat("reloading or re-sealing under the field keys failed: ",
                                r.status().ToString()));
        continue;
      }
      if (r->keyring_changed) {
        LogInfo(absl::StrCat("field keys reloaded: new values are sealed under data key ",
                             r->active));
      }
      if (!r->retired.empty()) {
        LogInfo(absl::StrCat("re-sealed ", r->rows_resealed, " rows under data key ", r->active,
                             "; retired data key(s) ", absl::StrJoin(r->retired, ", ")));
      }
    } while (!stop_background.WaitForNotificationWithTimeout(interval));
  }

  // Purges what outlived its retention period (domain/privacy.h).
  void RetentionLoop(absl::Duration interval) {
    do {
      if (!KeepPrimaryLock()) continue;
      absl::StatusOr<app::RetentionReport> r = retention->RunOnce();
      if (!r.ok()) {
        LogWarning(absl::StrCat("retention run failed: ", r.status().ToString()));
      } else if (r->signals + r->handovers + r->trajectories + r->audit_entries > 0) {
        LogInfo(absl::StrCat("retention purged ", r->signals, " signals, ", r->handovers,
                             " handovers, ", r->trajectories, " trajectories, ",
                             r->audit_entries, " audit entries"));
      }
    } while (!stop_background.WaitForNotificationWithTimeout(interval));
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Shutdown(kDefaultShutdownGrace); }

const std::string& Server::address() const { return impl_->address; }
int Server::port() const { return impl_->port; }
const std::string& Server::enrollment_address() const { return impl_->enrollment_address; }
int Server::enrollment_port() const { return impl_->enrollment_port; }
const std::string& Server::web_address() const { return impl_->web_address; }
int Server::web_port() const { return impl_->https ? impl_->https->port() : 0; }
bool Server::demo() const { return impl_->config.demo(); }

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->clock = options.clock != nullptr ? options.clock : &impl->system_clock;
  deployment::Paths paths(options.deployment_dir);

  ASSIGN_OR_RETURN(impl->config, deployment::LoadConfig(paths));
  // Checked before anything is opened: a typo refuses at once.
  std::string listen = options.listen.empty() ? impl->config.listen() : options.listen;
  if (listen.empty()) listen = "127.0.0.1:7443";
  RETURN_IF_ERROR(domain::ParseListenAddress(
                      options.listen.empty() ? "listen (schakel.conf)" : "--listen", listen)
                      .status());
  ASSIGN_OR_RETURN(impl->lock, deployment::Lock::Acquire(paths));
  RETURN_IF_ERROR(deployment::CheckSecretsArePrivate(paths));
  ASSIGN_OR_RETURN(std::string kek,
                   deployment::ReadKek(paths, impl->config.kek(), options.kek_file));
  ASSIGN_OR_RETURN(impl->db, deployment::OpenDatabase(paths, kek));
  if (impl->db->engine() == store::Engine::kPostgresql) {
    deployment::FieldKeyRotation::Options rotation;
    rotation.batch_rows = options.field_key_reseal_batch;
    ASSIGN_OR_RETURN(impl->key_rotation,
                     deployment::FieldKeyRotation::Create(
                         paths, kek, static_cast<store::PostgresDatabase*>(impl->db.get()),
                         impl->clock, rotation));
  }

  ASSIGN_OR_RETURN(std::string ca_pem, ReadFile(paths.ca_cert));
  ASSIGN_OR_RETURN(std::string ca_key_pem, ReadFile(paths.ca_key));
  ASSIGN_OR_RETURN(std::string server_cert_pem, ReadFile(paths.server_cert));
  ASSIGN_OR_RETURN(std::string server_key_pem, ReadFile(paths.server_key));
  ASSIGN_OR_RETURN(auto ca, crypto::CertificateAuthority::Load(ca_pem, ca_key_pem));
  impl->ca = std::make_unique<crypto::CertificateAuthority>(std::move(ca));

  // The audit log: refuse to run on a database older than its last signed
  // checkpoint, before anything listens.
  RETURN_IF_ERROR(audit::EnsureSigningKey(paths.audit_signing_key, paths.audit_public_key,
                                          [&] { return deployment::CreateAuditSigningKey(paths); }));
  ASSIGN_OR_RETURN(std::string signing_pem, ReadFile(paths.audit_signing_key));
  ASSIGN_OR_RETURN(std::string public_pem, ReadFile(paths.audit_public_key));
  ASSIGN_OR_RETURN(audit::CheckpointSigner signer, audit::CheckpointSigner::Load(signing_pem));
  RETURN_IF_ERROR(
      audit::AuditLog::CheckAgainstLastCheckpoint(*impl->db, paths.audit_checkpoints, public_pem));
  // Then the checkpoint file's presence and the whole chain (or only its
  // length, when it is to be verified after start).
  audit::StartCheckOptions start_check;
  start_check.checkpoint_path = paths.audit_checkpoints;
  start_check.public_key_pem = public_pem;
  start_check.accept_checkpoint_loss = options.accept_checkpoint_loss;
  start_check.verify_max_entries = options.start_verify_max_entries;
  // Several instances on one database: the primary one signs (FORMAT.md,
  // "Several instances"), purges and mails.
  const bool primary = !impl->config.instance().secondary();
  if (!primary && impl->db->engine() != store::Engine::kPostgresql) {
    return absl::InvalidArgumentError(
        "instance.secondary: only with store postgresql (one process holds a SQLCipher "
        "deployment)");
  }
  start_check.file_of_record = primary;
  if (primary && impl->db->engine() == store::Engine::kPostgresql) {
    // Held to the end: a second primary on the same database would sign
    // and mail too.
    ASSIGN_OR_RETURN(bool held, static_cast<store::PostgresDatabase*>(impl->db.get())
                                    ->HoldSessionLock(kPrimaryInstanceLock));
    impl->keeps_primary_lock = true;
    if (!held) {
      return absl::FailedPreconditionError(
          "another primary instance serves this database: set instance { secondary: true } on "
          "every instance but one (docs/operations.md, \"Several instances\")");
    }
  }
  ASSIGN_OR_RETURN(audit::StartCheckResult checked, audit::CheckAtStart(*impl->db, start_check));
  const bool verify_after_start = checked.verify_in_background;
  const bool loss_accepted = checked.checkpoint_loss_accepted;
  audit::AuditLogOptions audit_options;
  audit_options.checkpoint_path = paths.audit_checkpoints;
  audit_options.export_path = impl->config.audit().export_path();
  if (impl->config.audit().checkpoint_every_entries() > 0) {
    audit_options.checkpoint_every_entries =
        static_cast<int>(impl->config.audit().checkpoint_every_entries());
  }
  if (impl->config.audit().checkpoint_interval_seconds() > 0) {
    audit_options.checkpoint_interval =
        absl::Seconds(impl->config.audit().checkpoint_interval_seconds());
  }
  audit_options.fault_for_testing = options.audit_fault_for_testing;
  audit_options.signs_checkpoints = primary;
  audit_options.may_sign = [raw = impl.get()] { return raw->KeepPrimaryLock(); };
  impl->audit = std::make_unique<audit::AuditLog>(impl->db.get(), impl->clock, std::move(signer),
                                                  audit_options);
  if (loss_accepted) {
    RETURN_IF_ERROR(audit::RecordCheckpointLoss(*impl->db, *impl->audit, checked.loss_up_to_seq,
                                                checked.lost_lines, impl->clock->Now()));
  }

  ServiceDeps deps;
  deps.db = impl->db.get();
  deps.audit = impl->audit.get();
  deps.ca = impl->ca.get();
  deps.clock = impl->clock;
  deps.ids = &impl->ids;
  deps.handler_options.max_request_deadline = options.limits.max_request_deadline;
  ASSIGN_OR_RETURN(deps.handler_options.purposes, deployment::PurposePolicyOf(impl->config));
  deps.handler_options.stop_check_hook_for_testing = options.stop_check_hook_for_testing;
  deps.audit_checkpoints = paths.audit_checkpoints;
  deps.notifier_options.mail = impl->config.notifications().has_smtp();
  const uint32_t digest_hour = impl->config.notifications().digest_hour();
  if (digest_hour > 23) {
    return absl::InvalidArgumentError("notifications.digest_hour: 0 to 23 (0 means 7)");
  }
  deps.notifier_options.digest_hour = digest_hour == 0 ? 7 : static_cast<int>(digest_hour);
  deps.audit_public_pem = public_pem;
  impl->services = std::make_unique<Services>(deps);
  // Several instances keep their caches fresh through this table
  // (store/shared_generations.h): a database without it is refused now,
  // not at every request.
  if (!impl->services->shared_generations->Refresh().ok()) {
    return absl::FailedPreconditionError(
        "the database's table cache_generations cannot be read by the service role (its "
        "schema version says it has it): check the database's grants and that the table "
        "exists");
  }

  const config::RetentionConfig& retention = impl->config.retention();
  ASSIGN_OR_RETURN(domain::RetentionPeriods periods,
                   domain::MakeRetentionPeriods(retention.case_days(), retention.trajectory_days(),
                                                retention.audit_days()));
  impl->retention = std::make_unique<app::RetentionJob>(
      impl->services->privacy.get(), impl->services->unit_of_work.get(), impl->audit.get(),
      impl->clock, periods);

  grpc::SslServerCredentialsOptions ssl(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = ca_pem;
  ssl.pem_key_cert_pairs.push_back({server_key_pem, server_cert_pem});

  grpc::EnableDefaultHealthCheckService(true);
  if (options.reflection) RETURN_IF_ERROR(LoadReflection());

  // The enrollment listener: whoever enrolls has no certificate yet, so
  // this port's TLS asks for none. Every service is registered on both
  // ports, but without a certificate there is no principal: on this port
  // every RPC except EnrollmentService.Enroll is refused UNAUTHENTICATED by
  // the one Handler (docs/design.md, "Enrollment").
  std::string enrollment_listen = options.enrollment_listen;
  if (enrollment_listen.empty()) {
    if (!options.listen.empty()) {
      enrollment_listen = absl::StrCat(HostOf(listen), ":0");
    } else if (!impl->config.enrollment_listen().empty()) {
      enrollment_listen = impl->config.enrollment_listen();
    } else {
      enrollment_listen = absl::StrCat(HostOf(listen), ":", kDefaultEnrollmentPort);
    }
  }
  // "off": no enrollment listener (open it only while professionals enroll:
  // it exposes gRPC's HTTP/2 code to callers without a certificate).
  const bool enrollment_on = enrollment_listen != "off";
  if (enrollment_on) {
    RETURN_IF_ERROR(domain::ParseListenAddress("enrollment_listen", enrollment_listen).status());
  }
  grpc::SslServerCredentialsOptions enrollment_ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  enrollment_ssl.pem_key_cert_pairs.push_back({server_key_pem, server_cert_pem});

  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, grpc::SslServerCredentials(ssl), &impl->port);
  if (enrollment_on) {
    builder.AddListeningPort(enrollment_listen, grpc::SslServerCredentials(enrollment_ssl),
                             &impl->enrollment_port);
  }
  api::ApplyLimits(options.limits, builder);
  api::CaptureGrpcLog();
  for (grpc::Service* service : impl->services->All()) builder.RegisterService(service);
  impl->grpc_server = builder.BuildAndStart();
  if (impl->grpc_server == nullptr || impl->port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen));
  }
  std::pair<std::string, std::string> host_port = absl::StrSplit(listen, absl::MaxSplits(':', 1));
  if (listen.rfind(']') != std::string::npos) host_port.first = listen.substr(0, listen.rfind(']') + 1);
  impl->address = absl::StrCat(host_port.first, ":", impl->port);
  if (enrollment_on && impl->enrollment_port == 0) {
    impl->grpc_server->Shutdown();
    return absl::UnavailableError(
        absl::StrCat("cannot listen for enrollment on ", enrollment_listen));
  }
  if (enrollment_on) {
    impl->enrollment_address =
        absl::StrCat(HostOf(enrollment_listen), ":", impl->enrollment_port);
    LogInfo(absl::StrCat("enrollment listener on ", impl->enrollment_address,
                         " (TLS without client certificates; EnrollmentService.Enroll only)"));
  } else {
    LogInfo("no enrollment listener (enrollment_listen: \"off\")");
  }
  RETURN_IF_ERROR(impl->StartWeb(options, listen, server_cert_pem, server_key_pem, ca_pem,
                                 paths.dir));
  if (impl->config.notifications().has_smtp()) {
    const config::SmtpRelay& smtp = impl->config.notifications().smtp();
    ASSIGN_OR_RETURN(impl->mailer, notify::SmtpMailer::Create(smtp, paths.dir, impl->clock));
    app::MailSenderOptions mail;
    mail.console_url = impl->config.notifications().console_url();
    if (mail.console_url.empty()) mail.console_url = absl::StrCat("https://", impl->web_address);
    if (mail.console_url.back() != '/') mail.console_url.push_back('/');
    const size_t at = smtp.from().rfind('@');
    if (at != std::string::npos) mail.message_domain = smtp.from().substr(at + 1);
    mail.max_attempts = notify::MaxAttempts(smtp.max_attempts());
    impl->mail_sender = std::make_unique<app::MailSender>(
        impl->services->notifications.get(), impl->services->unit_of_work.get(),
        impl->mailer.get(), impl->clock, mail);
    LogInfo(absl::StrCat("notification e-mail through ", smtp.address(),
                         smtp.allow_plaintext() ? " (STARTTLS when offered)" : " (STARTTLS)"));
  }
  impl->SetServing(true);
  impl->audit->Start();
  Impl* raw = impl.get();
  absl::Duration interval = options.health_interval;
  impl->health_thread = std::thread([raw, interval] { raw->HealthLoop(interval); });
  // Every instance with a relay; one of them at a time sends (SendsMail).
  if (impl->mail_sender) impl->mail_thread = std::thread([raw] { raw->MailLoop(); });
  if (impl->db->engine() == store::Engine::kPostgresql) {
    impl->listen_thread = std::thread([raw] {
      app::NotificationHub* hub = raw->services->notification_hub.get();
      static_cast<store::PostgresDatabase*>(raw->db.get())
          ->Listen(
              store::kNotificationsChannel,
              [hub](const std::string& payload) { hub->Published(store::RecipientsOf(payload)); },
              [raw] { return raw->stop_background.HasBeenNotified(); });
    });
  }
  absl::Duration expiry = options.expiry_interval;
  impl->expiry_thread = std::thread([raw, expiry] { raw->ExpiryLoop(expiry); });
  if (verify_after_start) {
    LogInfo("the audit log is longer than the start budget: verifying it in the background");
    std::string checkpoint_path = paths.audit_checkpoints;
    impl->verify_thread = std::thread([raw, checkpoint_path, public_pem, primary] {
      raw->VerifyLoop(checkpoint_path, public_pem, primary);
    });
  }
  if (impl->key_rotation) {
    absl::Duration every = options.field_key_check_interval;
    impl->key_thread = std::thread([raw, every] { raw->KeyLoop(every); });
  }
  // The purge signs the new anchor into the checkpoint file: the signer's.
  if (!retention.disabled() && primary) {
    absl::Duration every = options.retention_interval;
    if (every <= absl::ZeroDuration()) {
      every = absl::Seconds(retention.interval_seconds() > 0 ? retention.interval_seconds() : 3600);
    }
    impl->retention_thread = std::thread([raw, every] { raw->RetentionLoop(every); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

void Server::Shutdown(absl::Duration grace) {
  if (impl_ == nullptr || impl_->shut_down) return;
  impl_->shut_down = true;
  impl_->stop_background.Notify();
  // Notification streams end (their clients open them again elsewhere or
  // after the restart, from the last seq they saw).
  impl_->services->notification_hub->Close();
  if (impl_->health_thread.joinable()) impl_->health_thread.join();
  if (impl_->expiry_thread.joinable()) impl_->expiry_thread.join();
  if (impl_->mail_thread.joinable()) impl_->mail_thread.join();
  if (impl_->listen_thread.joinable()) impl_->listen_thread.join();
  if (impl_->retention_thread.joinable()) impl_->retention_thread.join();
  if (impl_->verify_thread.joinable()) impl_->verify_thread.join();
  if (impl_->key_thread.joinable()) impl_->key_thread.join();
  impl_->SetServing(false);
  if (impl_->https) impl_->https->StopAccepting();
  // gRPC's Shutdown stops listening and refuses new calls at once, but then
  // waits for every connection to close, and a client holding an idle
  // connection keeps it open until the deadline. So once no request has
  // run for a settling moment (or the grace is over), every connection is
  // closed (grpc_server_cancel_all_calls disconnects them), and again
  // until Shutdown returns. The settling moment covers what the count
  // cannot see: a reply still on its way out after Handle returned, a call
  // gRPC accepted but has not handed to a thread yet; and it starts after
  // Shutdown has begun, so that no disconnected client finds the port open.
  const absl::Time deadline = absl::Now() + grace;
  const absl::Duration settle = absl::Milliseconds(100);
  absl::Notification stopped;
  std::thread closer([this, deadline, settle, &stopped] {
    const api::Handler& handler = *impl_->services->handler;
    while (!stopped.WaitForNotificationWithTimeout(settle)) {
      if (absl::Now() >= deadline) break;
      if (handler.WaitUntilIdle(absl::ZeroDuration())) {
        // Idle at two looks a settling moment apart.
        if (stopped.WaitForNotificationWithTimeout(settle)) return;
        if (handler.WaitUntilIdle(absl::ZeroDuration())) break;
      } else {
        handler.WaitUntilIdle(deadline - absl::Now());
      }
    }
    do {
      grpc_server_cancel_all_calls(impl_->grpc_server->c_server());
    } while (!stopped.WaitForNotificationWithTimeout(absl::Milliseconds(50)));
  });
  impl_->grpc_server->Shutdown(absl::ToChronoTime(deadline));
  stopped.Notify();
  closer.join();
  impl_->grpc_server->Wait();
  if (impl_->https) impl_->https->Shutdown();
  // The last requests are in: sign the final head.
  impl_->audit->Stop();
  impl_->db.reset();
  impl_->lock.reset();
}

absl::Duration Server::shutdown_grace() const {
  const uint32_t seconds = impl_->config.shutdown_grace_seconds();
  return seconds > 0 ? absl::Seconds(seconds) : kDefaultShutdownGrace;
}

}  // namespace schakel
