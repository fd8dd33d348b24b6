// Every store, app and gRPC service of schakel over one database and one
// audit log, wired in one place: schakeld registers them with its gRPC
// server, and the request fuzzer (tests/fuzz) calls them directly, so both
// always run the same graph.
//
// Not copyable or movable (the members point at each other). The pointers
// in ServiceDeps must outlive the Services.
#ifndef SCHAKEL_SERVER_SERVICES_H_
#define SCHAKEL_SERVER_SERVICES_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "server/api/admin_service.h"
#include "server/api/audit_service.h"
#include "server/api/directory_service.h"
#include "server/api/enrollment_service.h"
#include "server/api/handler.h"
#include "server/api/handover_service.h"
#include "server/api/notification_service.h"
#include "server/api/privacy_service.h"
#include "server/api/reference_service.h"
#include "server/api/report_service.h"
#include "server/api/resident_service.h"
#include "server/api/routing_service.h"
#include "server/api/signal_service.h"
#include "server/api/trajectory_service.h"
#include "server/app/audit_app.h"
#include "server/app/page_tokens.h"
#include "server/app/directory_app.h"
#include "server/app/enrollment_app.h"
#include "server/app/grant_app.h"
#include "server/app/handover_app.h"
#include "server/app/notification_app.h"
#include "server/app/notifier.h"
#include "server/app/privacy_app.h"
#include "server/app/reference_app.h"
#include "server/app/report_app.h"
#include "server/app/resident_app.h"
#include "server/app/routing_app.h"
#include "server/app/signal_app.h"
#include "server/app/trajectory_app.h"
#include "server/audit/audit_log.h"
#include "server/auth/authenticator.h"
#include "server/store/shared_generations.h"
#include "server/common/clock.h"
#include "server/crypto/x509.h"
#include "server/store/caching_directory_store.h"
#include "server/store/database.h"
#include "server/store/directory_store.h"
#include "server/store/handover_store.h"
#include "server/store/notification_store.h"
#include "server/store/privacy_store.h"
#include "server/store/reference_store.h"
#include "server/store/report_store.h"
#include "server/store/resident_store.h"
#include "server/store/routing_store.h"
#include "server/store/signal_store.h"
#include "server/store/trajectory_store.h"

namespace schakel {

struct ServiceDeps {
  store::Database* db = nullptr;
  audit::AuditLog* audit = nullptr;
  const crypto::CertificateAuthority* ca = nullptr;
  const Clock* clock = nullptr;
  IdGenerator* ids = nullptr;
  api::HandlerOptions handler_options;
  // The deployment's checkpoint file and audit public key (online verify).
  std::string audit_checkpoints;
  std::string audit_public_pem;
  // Whether notifications are also sent by e-mail, and when digests go.
  app::NotifierOptions notifier_options;
};

struct Services {
  explicit Services(const ServiceDeps& deps);
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  // The gRPC services, in registration order.
  std::vector<grpc::Service*> All() const;

  std::unique_ptr<store::SqliteDirectoryStore> sqlite_directory;
  // What the authenticator and the apps use: the directory with the
  // identities authentication asks for every request held in memory; every
  // directory write goes through it and invalidates them.
  std::unique_ptr<store::CachingDirectoryStore> directory;
  // The directory as colleagues read it (people, work contact data) and
  // the names beside the auditor's ids; authentication reads none of it.
  std::unique_ptr<store::SqlitePeopleStore> people;
  // What keeps the caches as fresh as the database when several instances
  // share one (PostgreSQL).
  std::unique_ptr<store::SharedGenerations> shared_generations;
  std::unique_ptr<auth::Authenticator> authenticator;
  std::unique_ptr<api::Handler> handler;
  std::unique_ptr<app::PageTokens> page_tokens;
  std::unique_ptr<store::SqliteReferenceStore> reference;
  std::unique_ptr<store::SqliteResidentStore> residents;
  std::unique_ptr<store::SqliteSignalStore> signals;
  std::unique_ptr<store::SqliteRoutingStore> routing;
  std::unique_ptr<store::SqliteHandoverStore> handovers;
  std::unique_ptr<store::SqliteTrajectoryStore> trajectories;
  std::unique_ptr<store::SqliteReportStore> reports;
  std::unique_ptr<store::SqlitePrivacyStore> privacy;
  std::unique_ptr<store::SqliteNotificationStore> notifications;

  // The use cases' transactions: rows and audit entry commit together.
  std::unique_ptr<app::UnitOfWork> unit_of_work;
  // Wakes the notification streams after a commit that wrote notifications.
  std::unique_ptr<app::NotificationHub> notification_hub;
  // Writes the notifications of an event in the event's transaction.
  std::unique_ptr<app::Notifier> notifier;
  std::unique_ptr<app::NotificationApp> notification_app;
  std::unique_ptr<app::DirectoryApp> directory_app;
  std::unique_ptr<app::ReferenceApp> reference_app;
  std::unique_ptr<app::ResidentApp> resident_app;
  std::unique_ptr<app::SignalApp> signal_app;
  std::unique_ptr<app::RoutingApp> routing_app;
  std::unique_ptr<app::HandoverApp> handover_app;
  std::unique_ptr<app::TrajectoryApp> trajectory_app;
  std::unique_ptr<app::ReportApp> report_app;
  std::unique_ptr<app::AuditApp> audit_app;
  std::unique_ptr<app::PrivacyApp> privacy_app;
  std::unique_ptr<app::GrantApp> grant_app;
  std::unique_ptr<app::EnrollmentApp> enrollment_app;

  std::unique_ptr<api::DirectoryService> directory_service;
  std::unique_ptr<api::ReferenceService> reference_service;
  std::unique_ptr<api::AdminService> admin_service;
  std::unique_ptr<api::ResidentService> resident_service;
  std::unique_ptr<api::SignalService> signal_service;
  std::unique_ptr<api::RoutingService> routing_service;
  std::unique_ptr<api::HandoverService> handover_service;
  std::unique_ptr<api::TrajectoryService> trajectory_service;
  std::unique_ptr<api::ReportService> report_service;
  std::unique_ptr<api::AuditService> audit_service;
  std::unique_ptr<api::PrivacyService> privacy_service;
  std::unique_ptr<api::NotificationService> notification_service;
  // Also reachable on the enrollment listener, which asks no client
  // certificate: there every other service refuses (no certificate, no
  // principal), this one alone works.
  std::unique_ptr<api::EnrollmentService> enrollment_service;
};

}  // namespace schakel

#endif  // SCHAKEL_SERVER_SERVICES_H_
