#include "server/services.h"

namespace schakel {

Services::Services(const ServiceDeps& d) {
  store::Database* db = d.db;
  sqlite_directory = std::make_unique<store::SqliteDirectoryStore>(db);
  directory = std::make_unique<store::CachingDirectoryStore>(sqlite_directory.get());
  people = std::make_unique<store::SqlitePeopleStore>(db);
  shared_generations = std::make_unique<store::SharedGenerations>(db);
  shared_generations->OnChange(store::SharedCache::kDirectory,
                               [dir = directory.get()] { dir->Invalidate(); });
  shared_generations->OnChange(store::SharedCache::kBreakGlass,
                               [audit = d.audit] { audit->InvalidateBreakGlass(); });
  authenticator = std::make_unique<auth::Authenticator>(
      directory.get(), d.clock,
      [audit = d.audit](const std::string& professional_id, absl::Time now) {
        return audit->ActiveBreakGlass(professional_id, now);
      },
      shared_generations.get());
  handler = std::make_unique<api::Handler>(authenticator.get(), d.audit, d.clock,
                                           d.handler_options);
  reference = std::make_unique<store::SqliteReferenceStore>(db);
  residents = std::make_unique<store::SqliteResidentStore>(db);
  signals = std::make_unique<store::SqliteSignalStore>(db);
  routing = std::make_unique<store::SqliteRoutingStore>();
  handovers = std::make_unique<store::SqliteHandoverStore>(db);
  trajectories = std::make_unique<store::SqliteTrajectoryStore>(db);
  reports = std::make_unique<store::SqliteReportStore>(db);
  privacy = std::make_unique<store::SqlitePrivacyStore>(db);
  notifications = std::make_unique<store::SqliteNotificationStore>(db);
  // A key of this process: tokens end with it (a list starts again after a
  // restart). Without a random source nothing is safe to serve.
  absl::StatusOr<app::PageTokens> tokens = app::PageTokens::Create();
  if (!tokens.ok()) std::abort();
  page_tokens = std::make_unique<app::PageTokens>(*std::move(tokens));

  unit_of_work = std::make_unique<app::UnitOfWork>(db, d.audit);
  notification_hub = std::make_unique<app::NotificationHub>();
  notifier = std::make_unique<app::Notifier>(notifications.get(), d.ids, notification_hub.get(),
                                             d.notifier_options);
  notification_app =
      std::make_unique<app::NotificationApp>(notifications.get(), unit_of_work.get(), d.clock,
                                             page_tokens.get(), notification_hub.get());
  directory_app = std::make_unique<app::DirectoryApp>(directory.get(), people.get(), d.ca,
                                                      unit_of_work.get(), d.clock, d.ids,
                                                      page_tokens.get());
  reference_app = std::make_unique<app::ReferenceApp>(reference.get());
  resident_app = std::make_unique<app::ResidentApp>(residents.get(), unit_of_work.get(), d.audit,
                                                    d.clock, d.ids);
  signal_app = std::make_unique<app::SignalApp>(signals.get(), reference.get(), unit_of_work.get(),
                                                d.clock, d.ids, page_tokens.get(), routing.get(),
                                                notifier.get());
  routing_app = std::make_unique<app::RoutingApp>(routing.get(), reference.get(),
                                                  unit_of_work.get(), d.clock, d.ids);
  handover_app = std::make_unique<app::HandoverApp>(handovers.get(), signals.get(),
                                                    unit_of_work.get(), d.clock, d.ids,
                                                    page_tokens.get(), notifier.get());
  trajectory_app = std::make_unique<app::TrajectoryApp>(trajectories.get(), directory.get(),
                                                        unit_of_work.get(), d.clock, d.ids,
                                                        page_tokens.get(), notifier.get());
  report_app = std::make_unique<app::ReportApp>(reports.get());
  audit_app =
      std::make_unique<app::AuditApp>(db, d.audit_checkpoints, d.audit_public_pem, d.clock,
                                      page_tokens.get(), &d.audit->reasons(), people.get());
  privacy_app = std::make_unique<app::PrivacyApp>(privacy.get(), db, unit_of_work.get(), d.clock);
  grant_app =
      std::make_unique<app::GrantApp>(directory.get(), db, unit_of_work.get(), d.clock, d.ids);
  enrollment_app =
      std::make_unique<app::EnrollmentApp>(directory.get(), d.ca, unit_of_work.get(), d.clock);
  app::EnrollmentApp* renewals = enrollment_app.get();
  handler->SetRetireReplaced(
      [renewals](const auth::Principal& caller, const std::string& serial, audit::Trail& trail) {
        return renewals->RetireReplaced(caller, serial, trail);
      });

  api::Handler* h = handler.get();
  directory_service = std::make_unique<api::DirectoryService>(h, directory_app.get(),
                                                             enrollment_app.get());
  reference_service = std::make_unique<api::ReferenceService>(h, reference_app.get());
  admin_service = std::make_unique<api::AdminService>(h, directory_app.get(), grant_app.get());
  resident_service = std::make_unique<api::ResidentService>(h, resident_app.get());
  signal_service = std::make_unique<api::SignalService>(h, signal_app.get());
  routing_service = std::make_unique<api::RoutingService>(h, routing_app.get());
  handover_service = std::make_unique<api::HandoverService>(h, handover_app.get());
  trajectory_service = std::make_unique<api::TrajectoryService>(h, trajectory_app.get());
  report_service = std::make_unique<api::ReportService>(h, report_app.get());
  audit_service = std::make_unique<api::AuditService>(h, audit_app.get(), grant_app.get());
  privacy_service = std::make_unique<api::PrivacyService>(h, privacy_app.get());
  enrollment_service = std::make_unique<api::EnrollmentService>(h, enrollment_app.get());
  notification_service = std::make_unique<api::NotificationService>(h, notification_app.get());
}

std::vector<grpc::Service*> Services::All() const {
  return {directory_service.get(),  admin_service.get(),  resident_service.get(),
          signal_service.get(),     handover_service.get(), audit_service.get(),
          trajectory_service.get(), report_service.get(), privacy_service.get(),
          enrollment_service.get(), reference_service.get(), notification_service.get(),
          routing_service.get()};
}

}  // namespace schakel
