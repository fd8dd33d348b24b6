// schakel's C++ client library.
//
// A `Client` is a cheap value type over a `Connection`; the default
// connection speaks gRPC over mutual TLS with the identity of one
// professional (a directory with cert.pem, key.pem and ca.pem). Every call
// has a deadline and returns absl::StatusOr; nothing throws. Tests of code
// that uses the library can pass their own Connection.
//
// Every call carries the purpose of use (ClientOptions::purpose) in the
// metadata `x-schakel-purpose` when one is set; the server records it in
// the audit log.
#ifndef SCHAKEL_CLIENT_LIB_INCLUDE_SCHAKEL_CLIENT_H_
#define SCHAKEL_CLIENT_LIB_INCLUDE_SCHAKEL_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "schakel/v1/admin.pb.h"
#include "schakel/v1/audit.pb.h"
#include "schakel/v1/directory.pb.h"
#include "schakel/v1/enrollment.pb.h"
#include "schakel/v1/grants.pb.h"
#include "schakel/v1/handovers.pb.h"
#include "schakel/v1/notifications.pb.h"
#include "schakel/v1/privacy.pb.h"
#include "schakel/v1/reference.pb.h"
#include "schakel/v1/residents.pb.h"
#include "schakel/v1/signals.pb.h"
#include "schakel/v1/reports.pb.h"
#include "schakel/v1/trajectories.pb.h"

namespace schakel {

struct ClientOptions {
  // HOST:PORT of schakeld.
  std::string server;
  // Directory holding cert.pem, key.pem and ca.pem.
  std::string identity_dir;
  // Deadline of each call.
  absl::Duration timeout = absl::Seconds(10);
  // The purpose of use recorded in the audit log: a code of the
  // deployment's list (e.g. "zorgcoordinatie", "signaalopvolging";
  // docs/operations.md), or "anders:<text>" where the deployment allows
  // another purpose. The server refuses any other value (INVALID_ARGUMENT
  // naming x-schakel-purpose, listing the codes). Empty sends none: the
  // server records its default code (zorgcoordinatie). Checked here only
  // for what gRPC metadata can carry: at most kMaxPurposeLength characters
  // of printable ASCII, not starting or ending with a space
  // (ValidatePurpose).
  std::string purpose;
  // The longest wait between reconnection attempts after the server went
  // away; zero keeps gRPC's default (up to two minutes). Clients that must
  // notice a restarted server quickly set a short one; a connection attempt
  // then times out after 1 s, and each Client keeps its own connection (not
  // shared through gRPC's process-wide pool).
  absl::Duration max_reconnect_backoff = absl::ZeroDuration();
};

// The longest purpose the server records (a longer one it would replace by
// its default).
inline constexpr size_t kMaxPurposeLength = 100;

// OK for an empty purpose (none is sent) or a valid one; else
// INVALID_ARGUMENT "<label>: <rule>". MakeGrpcConnection checks
// options.purpose with the label "purpose".
absl::Status ValidatePurpose(absl::string_view purpose, absl::string_view label);

// The RPCs, one virtual method each; implemented over gRPC by
// MakeGrpcConnection and by test doubles.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual absl::StatusOr<v1::WhoAmIResponse> WhoAmI(const v1::WhoAmIRequest& request) = 0;
  virtual absl::StatusOr<v1::ListOrganisationsResponse> ListOrganisations(
      const v1::ListOrganisationsRequest& request) = 0;
  virtual absl::StatusOr<v1::Organisation> GetOrganisation(
      const v1::GetOrganisationRequest& request) = 0;
  virtual absl::StatusOr<v1::AddProfessionalResponse> AddProfessional(
      const v1::AddProfessionalRequest& request) = 0;
  virtual absl::StatusOr<v1::Professional> DisableProfessional(
      const v1::DisableProfessionalRequest& request) = 0;
  virtual absl::StatusOr<v1::Certificate> RevokeCertificate(
      const v1::RevokeCertificateRequest& request) = 0;
  virtual absl::StatusOr<v1::RecordBackupResponse> RecordBackup(
      const v1::RecordBackupRequest& request) = 0;

  // NotificationService; UNIMPLEMENTED unless a connection implements it.
  virtual absl::StatusOr<v1::ListNotificationsResponse> ListNotifications(
      const v1::ListNotificationsRequest&) {
    return absl::UnimplementedError("ListNotifications");
  }
  virtual absl::StatusOr<v1::MarkNotificationsReadResponse> MarkNotificationsRead(
      const v1::MarkNotificationsReadRequest&) {
    return absl::UnimplementedError("MarkNotificationsRead");
  }
  // Calls `on_notification` for each notification the stream brings, until
  // it returns false, the server ends the stream (OK at its end of a
  // stream's life: open it again after the last seq), or `duration` passes
  // (OK). The call's deadline is `duration`, not the connection's timeout.
  virtual absl::Status WatchNotifications(
      const v1::WatchNotificationsRequest&, absl::Duration /*duration*/,
      const std::function<bool(const v1::Notification&)>& /*on_notification*/) {
    return absl::UnimplementedError("WatchNotifications");
  }
  virtual absl::StatusOr<v1::NotificationSettings> GetNotificationSettings(
      const v1::GetNotificationSettingsRequest&) {
    return absl::UnimplementedError("GetNotificationSettings");
  }
  virtual absl::StatusOr<v1::NotificationSettings> SetNotificationSettings(
      const v1::NotificationSettings&) {
    return absl::UnimplementedError("SetNotificationSettings");
  }
  virtual absl::StatusOr<v1::ListDeadLettersResponse> ListDeadLetters(
      const v1::ListDeadLettersRequest&) {
    return absl::UnimplementedError("ListDeadLetters");
  }

  // Grants and renewal; UNIMPLEMENTED unless a connection implements them.
  virtual absl::StatusOr<v1::ListGrantsResponse> ListGrants(const v1::ListGrantsRequest&) {
    return absl::UnimplementedError("ListGrants");
  }
  virtual absl::StatusOr<v1::Grant> RequestGrant(const v1::RequestGrantRequest&) {
    return absl::UnimplementedError("RequestGrant");
  }
  virtual absl::StatusOr<v1::Grant> ApproveGrant(const v1::ApproveGrantRequest&) {
    return absl::UnimplementedError("ApproveGrant");
  }
  virtual absl::StatusOr<v1::Grant> RefuseGrant(const v1::RefuseGrantRequest&) {
    return absl::UnimplementedError("RefuseGrant");
  }
  virtual absl::StatusOr<v1::ListGrantsResponse> ReviewGrants(const v1::ListGrantsRequest&) {
    return absl::UnimplementedError("AuditService.ListGrants");
  }
  virtual absl::StatusOr<v1::RenewCertificateResponse> RenewCertificate(
      const v1::RenewCertificateRequest&) {
    return absl::UnimplementedError("RenewCertificate");
  }
  virtual absl::StatusOr<v1::ListPrivacyActsResponse> ListPrivacyActs(
      const v1::ListPrivacyActsRequest&) {
    return absl::UnimplementedError("ListPrivacyActs");
  }

  // Teams; UNIMPLEMENTED unless a connection implements them.
  virtual absl::StatusOr<v1::ListTeamsResponse> ListTeams(const v1::ListTeamsRequest&) {
    return absl::UnimplementedError("ListTeams");
  }
  virtual absl::StatusOr<v1::Team> CreateTeam(const v1::CreateTeamRequest&) {
    return absl::UnimplementedError("CreateTeam");
  }
  virtual absl::StatusOr<v1::Professional> RemoveFromTeam(const v1::RemoveFromTeamRequest&) {
    return absl::UnimplementedError("RemoveFromTeam");
  }
  virtual absl::StatusOr<v1::Handover> ForwardHandover(const v1::ForwardHandoverRequest&) {
    return absl::UnimplementedError("ForwardHandover");
  }

  // The professionals' directory, work contact data, and the reference
  // data (ReferenceService); UNIMPLEMENTED unless a connection implements
  // them.
  virtual absl::StatusOr<v1::ListPeopleResponse> ListPeople(const v1::ListPeopleRequest&) {
    return absl::UnimplementedError("ListPeople");
  }
  virtual absl::StatusOr<v1::Person> SetWorkContact(const v1::SetWorkContactRequest&) {
    return absl::UnimplementedError("SetWorkContact");
  }
  virtual absl::StatusOr<v1::ListCategoriesResponse> ListCategories(
      const v1::ListCategoriesRequest&) {
    return absl::UnimplementedError("ListCategories");
  }
  virtual absl::StatusOr<v1::ListWijkenResponse> ListWijken(const v1::ListWijkenRequest&) {
    return absl::UnimplementedError("ListWijken");
  }
  virtual absl::StatusOr<v1::ListOpgavenResponse> ListOpgaven(const v1::ListOpgavenRequest&) {
    return absl::UnimplementedError("ListOpgaven");
  }
  virtual absl::StatusOr<v1::ListVocabulariesResponse> ListVocabularies(
      const v1::ListVocabulariesRequest&) {
    return absl::UnimplementedError("ListVocabularies");
  }

  // ResidentService.
  virtual absl::StatusOr<v1::RegisterResidentResponse> RegisterResident(
      const v1::RegisterResidentRequest& request) = 0;
  virtual absl::StatusOr<v1::Resident> GetResident(const v1::GetResidentRequest& request) = 0;
  virtual absl::StatusOr<v1::FindResidentsResponse> FindResidents(
      const v1::FindResidentsRequest& request) = 0;
  virtual absl::StatusOr<v1::ListPossibleDuplicatesResponse> ListPossibleDuplicates(
      const v1::ListPossibleDuplicatesRequest& request) = 0;
  virtual absl::StatusOr<v1::Resident> MergeResidents(
      const v1::MergeResidentsRequest& request) = 0;
  virtual absl::StatusOr<v1::OpenBreakGlassResponse> OpenBreakGlass(
      const v1::OpenBreakGlassRequest& request) = 0;

  // SignalService.
  virtual absl::StatusOr<v1::Signal> CreateSignal(const v1::CreateSignalRequest& request) = 0;
  virtual absl::StatusOr<v1::Signal> GetSignal(const v1::GetSignalRequest& request) = 0;
  virtual absl::StatusOr<v1::ListSignalsResponse> ListSignals(
      const v1::ListSignalsRequest& request) = 0;
  virtual absl::StatusOr<v1::Signal> AssignSignal(const v1::AssignSignalRequest& request) = 0;
  virtual absl::StatusOr<v1::Signal> ChangeSignalStatus(
      const v1::ChangeSignalStatusRequest& request) = 0;
  virtual absl::StatusOr<v1::Note> AddSignalNote(const v1::AddSignalNoteRequest& request) = 0;

  // HandoverService.
  virtual absl::StatusOr<v1::Handover> ProposeHandover(
      const v1::ProposeHandoverRequest& request) = 0;
  virtual absl::StatusOr<v1::Handover> GetHandover(const v1::GetHandoverRequest& request) = 0;
  virtual absl::StatusOr<v1::ListHandoversResponse> ListInbox(
      const v1::ListHandoversRequest& request) = 0;
  virtual absl::StatusOr<v1::ListHandoversResponse> ListOutbox(
      const v1::ListHandoversRequest& request) = 0;
  virtual absl::StatusOr<v1::Handover> AcceptHandover(
      const v1::HandoverActionRequest& request) = 0;
  virtual absl::StatusOr<v1::Handover> DeclineHandover(
      const v1::HandoverActionRequest& request) = 0;
  virtual absl::StatusOr<v1::Handover> IntroduceHandover(
      const v1::HandoverActionRequest& request) = 0;
  virtual absl::StatusOr<v1::Handover> CompleteHandover(
      const v1::HandoverActionRequest& request) = 0;
  virtual absl::StatusOr<v1::Handover> CancelHandover(
      const v1::HandoverActionRequest& request) = 0;
  virtual absl::StatusOr<v1::Handover> WithdrawConsent(
      const v1::HandoverActionRequest& request) = 0;
  virtual absl::StatusOr<v1::Note> AddHandoverNote(
      const v1::AddHandoverNoteRequest& request) = 0;

  // AuditService.
  virtual absl::StatusOr<v1::QueryAuditResponse> QueryAudit(
      const v1::QueryAuditRequest& request) = 0;
  virtual absl::StatusOr<v1::VerifyAuditResponse> VerifyAudit(
      const v1::VerifyAuditRequest& request) = 0;
  virtual absl::StatusOr<v1::ListBreakGlassResponse> ListBreakGlass(
      const v1::ListBreakGlassRequest& request) = 0;
  virtual absl::StatusOr<v1::ResidentAccessReportResponse> ResidentAccessReport(
      const v1::ResidentAccessReportRequest& request) = 0;
  virtual absl::StatusOr<v1::ListAnomaliesResponse> ListAnomalies(
      const v1::ListAnomaliesRequest& request) = 0;

  // TrajectoryService.
  virtual absl::StatusOr<v1::Trajectory> StartTrajectory(
      const v1::StartTrajectoryRequest& request) = 0;
  virtual absl::StatusOr<v1::Trajectory> GetTrajectory(
      const v1::GetTrajectoryRequest& request) = 0;
  virtual absl::StatusOr<v1::ListCaseloadResponse> ListCaseload(
      const v1::ListCaseloadRequest& request) = 0;
  virtual absl::StatusOr<v1::Trajectory> RecordMeasurement(
      const v1::RecordMeasurementRequest& request) = 0;
  virtual absl::StatusOr<v1::Step> AddStep(const v1::AddStepRequest& request) = 0;
  virtual absl::StatusOr<v1::Step> UpdateStep(const v1::UpdateStepRequest& request) = 0;
  virtual absl::StatusOr<v1::Trajectory> ChangeTrajectoryStatus(
      const v1::ChangeTrajectoryStatusRequest& request) = 0;
  virtual absl::StatusOr<v1::Trajectory> TransferTrajectory(
      const v1::TransferTrajectoryRequest& request) = 0;
  virtual absl::StatusOr<v1::TransferCaseloadResponse> TransferCaseload(
      const v1::TransferCaseloadRequest& request) = 0;
  virtual absl::StatusOr<v1::ListResidentTrajectoriesResponse> ListResidentTrajectories(
      const v1::ListResidentTrajectoriesRequest& request) = 0;

  // ReportService.
  virtual absl::StatusOr<v1::Report> SignalReport(const v1::ReportRequest& request) = 0;
  virtual absl::StatusOr<v1::Report> HandoverReport(const v1::ReportRequest& request) = 0;
  virtual absl::StatusOr<v1::Report> ParticipationReport(const v1::ReportRequest& request) = 0;
  // PrivacyService.
  virtual absl::StatusOr<v1::PrivacyExportResponse> PrivacyExport(
      const v1::PrivacyExportRequest& request) = 0;
  virtual absl::StatusOr<v1::RectifyResponse> Rectify(const v1::RectifyRequest& request) = 0;
  virtual absl::StatusOr<v1::EraseResponse> Erase(const v1::EraseRequest& request) = 0;
  virtual absl::StatusOr<v1::LegalHoldResponse> Hold(const v1::LegalHoldRequest& request) = 0;
  virtual absl::StatusOr<v1::LegalHoldResponse> Release(const v1::LegalHoldRequest& request) = 0;
};

// A gRPC connection with the identity in `options.identity_dir`.
// INVALID_ARGUMENT / NOT_FOUND naming the file when the identity cannot be
// read; INVALID_ARGUMENT when options.purpose is not valid. The channel
// connects lazily; an unreachable server shows as UNAVAILABLE on the first
// call.
absl::StatusOr<std::shared_ptr<Connection>> MakeGrpcConnection(const ClientOptions& options);

// EnrollmentService.Enroll on the enrollment listener `server` (HOST:PORT),
// over TLS verified against `ca_pem` and without a client certificate (the
// caller has none yet).
absl::StatusOr<v1::EnrollResponse> Enroll(const std::string& server, const std::string& ca_pem,
                                          const v1::EnrollRequest& request,
                                          absl::Duration timeout = absl::Seconds(10));

class Client {
 public:
  explicit Client(std::shared_ptr<Connection> connection) : connection_(std::move(connection)) {}

  // Connects with MakeGrpcConnection.
  static absl::StatusOr<Client> Connect(const ClientOptions& options);

  // The caller's notifications (NotificationService): a kind, a resource id
  // and dates each; opening one is reading that resource.
  absl::StatusOr<v1::ListNotificationsResponse> ListNotifications(
      const v1::ListNotificationsRequest& request) {
    return connection_->ListNotifications(request);
  }
  absl::StatusOr<v1::MarkNotificationsReadResponse> MarkNotificationsRead(
      const v1::MarkNotificationsReadRequest& request) {
    return connection_->MarkNotificationsRead(request);
  }
  absl::Status WatchNotifications(const v1::WatchNotificationsRequest& request,
                                  absl::Duration duration,
                                  const std::function<bool(const v1::Notification&)>& on) {
    return connection_->WatchNotifications(request, duration, on);
  }
  absl::StatusOr<v1::NotificationSettings> GetNotificationSettings() {
    return connection_->GetNotificationSettings(v1::GetNotificationSettingsRequest());
  }
  absl::StatusOr<v1::NotificationSettings> SetNotificationSettings(
      const v1::NotificationSettings& request) {
    return connection_->SetNotificationSettings(request);
  }
  absl::StatusOr<v1::ListDeadLettersResponse> ListDeadLetters(
      const v1::ListDeadLettersRequest& request) {
    return connection_->ListDeadLetters(request);
  }

  // AdminService's grants (dual control) and AuditService.ListGrants.
  absl::StatusOr<v1::ListGrantsResponse> ListGrants(const v1::ListGrantsRequest& request) {
    return connection_->ListGrants(request);
  }
  absl::StatusOr<v1::Grant> RequestGrant(const v1::RequestGrantRequest& request) {
    return connection_->RequestGrant(request);
  }
  absl::StatusOr<v1::Grant> ApproveGrant(const v1::ApproveGrantRequest& request) {
    return connection_->ApproveGrant(request);
  }
  absl::StatusOr<v1::Grant> RefuseGrant(const v1::RefuseGrantRequest& request) {
    return connection_->RefuseGrant(request);
  }
  absl::StatusOr<v1::ListGrantsResponse> ReviewGrants(const v1::ListGrantsRequest& request) {
    return connection_->ReviewGrants(request);
  }
  absl::StatusOr<v1::RenewCertificateResponse> RenewCertificate(
      const v1::RenewCertificateRequest& request) {
    return connection_->RenewCertificate(request);
  }
  absl::StatusOr<v1::ListPrivacyActsResponse> ListPrivacyActs(
      const v1::ListPrivacyActsRequest& request) {
    return connection_->ListPrivacyActs(request);
  }

  absl::StatusOr<v1::WhoAmIResponse> WhoAmI();
  absl::StatusOr<v1::ListOrganisationsResponse> ListOrganisations(int page_size,
                                                                  const std::string& page_token);
  // Every organisation, following the page tokens.
  absl::StatusOr<std::vector<v1::Organisation>> ListAllOrganisations();
  absl::StatusOr<v1::Organisation> GetOrganisation(const std::string& id);
  // The teams of one organisation (empty: of every organisation), ordered
  // by organisation and id; NOT_FOUND for an unknown organisation.
  absl::StatusOr<v1::ListTeamsResponse> ListTeams(const std::string& organisation_id);

  // Teams (admin). A new team gives nobody access: membership is a grant
  // (RequestGrant with `team`) that a second administrator approves.
  // ALREADY_EXISTS when the organisation has a team with that id.
  absl::StatusOr<v1::Team> CreateTeam(const v1::CreateTeamRequest& request) {
    return connection_->CreateTeam(request);
  }
  // Takes a professional out of one of their teams; FAILED_PRECONDITION
  // when it is their last one.
  absl::StatusOr<v1::Professional> RemoveFromTeam(const std::string& professional_id,
                                                  const std::string& team);

  // The professionals' directory (every role): one page of the people
  // matching the filters of `request`; every page with ListAllPeople.
  absl::StatusOr<v1::ListPeopleResponse> ListPeople(const v1::ListPeopleRequest& request) {
    return connection_->ListPeople(request);
  }
  absl::StatusOr<std::vector<v1::Person>> ListAllPeople(const v1::ListPeopleRequest& request);
  // An administrator sets a professional's work phone and e-mail (both
  // written; empty clears); answers the directory entry.
  absl::StatusOr<v1::Person> SetWorkContact(const v1::SetWorkContactRequest& request) {
    return connection_->SetWorkContact(request);
  }

  // Reference data (every role): the taxonomy (of one opgave, or all), the
  // wijken, the opgaven with their doelen, the fixed vocabularies (one by
  // name, or all). They change only with the deployment's seed or the
  // server's version.
  absl::StatusOr<v1::ListCategoriesResponse> ListCategories(const std::string& opgave) {
    v1::ListCategoriesRequest r;
    r.set_opgave(opgave);
    return connection_->ListCategories(r);
  }
  absl::StatusOr<v1::ListWijkenResponse> ListWijken() {
    return connection_->ListWijken(v1::ListWijkenRequest());
  }
  absl::StatusOr<v1::ListOpgavenResponse> ListOpgaven() {
    return connection_->ListOpgaven(v1::ListOpgavenRequest());
  }
  absl::StatusOr<v1::ListVocabulariesResponse> ListVocabularies(const std::string& name) {
    v1::ListVocabulariesRequest r;
    r.set_name(name);
    return connection_->ListVocabularies(r);
  }

  absl::StatusOr<v1::AddProfessionalResponse> AddProfessional(
      const v1::AddProfessionalRequest& request);
  absl::StatusOr<v1::Professional> DisableProfessional(const std::string& professional_id);
  absl::StatusOr<v1::Certificate> RevokeCertificate(const std::string& serial);
  absl::StatusOr<v1::RecordBackupResponse> RecordBackup(const v1::RecordBackupRequest& request) {
    return connection_->RecordBackup(request);
  }

  // Residents. Registering answers without an id, and with the matches,
  // when the caller can already see a resident with this name and birth
  // date; set register_anyway to create the record nonetheless.
  absl::StatusOr<v1::RegisterResidentResponse> RegisterResident(
      const v1::RegisterResidentRequest& request);
  absl::StatusOr<v1::Resident> GetResident(const std::string& id);
  absl::StatusOr<v1::FindResidentsResponse> FindResidents(const std::string& name,
                                                          const std::string& birth_date);
  // By name with a birth date or part of the address (either set).
  absl::StatusOr<v1::FindResidentsResponse> FindResidents(const v1::FindResidentsRequest& request) {
    return connection_->FindResidents(request);
  }
  absl::StatusOr<v1::ListPossibleDuplicatesResponse> ListPossibleDuplicates();
  // Merges `merge_id` into `keep_id`; answers the kept resident.
  absl::StatusOr<v1::Resident> MergeResidents(const std::string& keep_id,
                                              const std::string& merge_id);
  // Emergency access (regisseur, ggz): every record of one resident for 60
  // minutes; `reason` at least 20 characters. Not idempotent: each call
  // opens a new session.
  absl::StatusOr<v1::OpenBreakGlassResponse> OpenBreakGlass(const std::string& resident_id,
                                                            const std::string& reason);

  // Signals. An empty etag sends none.
  absl::StatusOr<v1::Signal> CreateSignal(const v1::CreateSignalRequest& request);
  absl::StatusOr<v1::Signal> GetSignal(const std::string& id);
  absl::StatusOr<v1::ListSignalsResponse> ListSignals(const v1::ListSignalsRequest& request);
  // Every signal matching the filters of `request`, following the page
  // tokens from request.page_token() on.
  absl::StatusOr<std::vector<v1::Signal>> ListAllSignals(const v1::ListSignalsRequest& request);
  absl::StatusOr<v1::Signal> AssignSignal(const std::string& id,
                                          const std::string& owner_organisation_id,
                                          const std::string& etag);
  // As above, to a team of the owner organisation (empty: its intake team).
  absl::StatusOr<v1::Signal> AssignSignal(const v1::AssignSignalRequest& request) {
    return connection_->AssignSignal(request);
  }
  absl::StatusOr<v1::Signal> ChangeSignalStatus(const std::string& id, v1::SignalStatus status,
                                                const std::string& etag);
  absl::StatusOr<v1::Note> AddSignalNote(const v1::AddSignalNoteRequest& request);

  // Handovers. An empty etag sends none (the action is then not checked
  // against a concurrent change); empty optional strings are left unset.
  absl::StatusOr<v1::Handover> ProposeHandover(const v1::ProposeHandoverRequest& request);
  absl::StatusOr<v1::Handover> GetHandover(const std::string& id);
  absl::StatusOr<v1::ListHandoversResponse> ListInbox(const v1::ListHandoversRequest& request);
  absl::StatusOr<v1::ListHandoversResponse> ListOutbox(const v1::ListHandoversRequest& request);
  // Every handover of the inbox / outbox, following the page tokens from
  // request.page_token() on.
  absl::StatusOr<std::vector<v1::Handover>> ListAllInbox(const v1::ListHandoversRequest& request);
  absl::StatusOr<std::vector<v1::Handover>> ListAllOutbox(const v1::ListHandoversRequest& request);
  absl::StatusOr<v1::Handover> AcceptHandover(const std::string& id, const std::string& etag);
  absl::StatusOr<v1::Handover> DeclineHandover(const std::string& id, const std::string& reason,
                                               const std::string& etag);
  // `date` YYYY-MM-DD, empty means today; `with` whom the resident met.
  absl::StatusOr<v1::Handover> IntroduceHandover(const std::string& id, const std::string& date,
                                                 const std::string& with,
                                                 const std::string& etag);
  absl::StatusOr<v1::Handover> CompleteHandover(const std::string& id, v1::Outcome outcome,
                                                const std::string& text,
                                                const std::string& etag);
  absl::StatusOr<v1::Handover> CancelHandover(const std::string& id, const std::string& reason,
                                              const std::string& etag);
  // Records that the resident withdrew consent (consent basis only).
  absl::StatusOr<v1::Handover> WithdrawConsent(const std::string& id, const std::string& reason,
                                               const std::string& etag);
  absl::StatusOr<v1::Note> AddHandoverNote(const v1::AddHandoverNoteRequest& request);
  // The receiving team passes a proposed handover to another team of its
  // organisation, which answers it from then on.
  absl::StatusOr<v1::Handover> ForwardHandover(const std::string& id, const std::string& to_team,
                                               const std::string& etag);

  // The audit log (auditor). Times: an infinite time (absl::InfinitePast()
  // for `from`, absl::InfiniteFuture() for `to`) leaves that end unset, for
  // the server's default; `to` is exclusive.
  absl::StatusOr<v1::QueryAuditResponse> QueryAudit(const v1::QueryAuditRequest& request);
  // Every entry matching the filters of `request`, following the page
  // tokens from request.page_token() on.
  absl::StatusOr<std::vector<v1::AuditEntry>> QueryAllAudit(const v1::QueryAuditRequest& request);
  // Recomputes the chain and checks the checkpoints; with expect_seq > 0,
  // also that entry expect_seq has the hash expect_hash (0 and "": none).
  absl::StatusOr<v1::VerifyAuditResponse> VerifyAudit(int64_t expect_seq,
                                                      const std::string& expect_hash);
  // Break-glass sessions that started in [from, to); default the last 30 days.
  absl::StatusOr<v1::ListBreakGlassResponse> ListBreakGlass(absl::Time from, absl::Time to);
  // The entries concerning one resident, oldest first.
  absl::StatusOr<v1::ResidentAccessReportResponse> ResidentAccessReport(
      const v1::ResidentAccessReportRequest& request);
  // Every entry of the report, following the page tokens from
  // request.page_token() on.
  absl::StatusOr<std::vector<v1::AuditEntry>> AllResidentAccesses(
      const v1::ResidentAccessReportRequest& request);
  // Anomalies per professional and day in [from, to); default the last 30 days.
  absl::StatusOr<v1::ListAnomaliesResponse> ListAnomalies(absl::Time from, absl::Time to);

  // Participation trajectories (consultants of the owning team; a team
  // holding an accepted handover for the resident reads a summary). Dates are YYYY-MM-DD; an empty date means today where the API
  // allows it, and empty optional strings are left unset.
  absl::StatusOr<v1::Trajectory> StartTrajectory(const v1::StartTrajectoryRequest& request);
  absl::StatusOr<v1::Trajectory> GetTrajectory(const std::string& id);
  // The caseload of the caller's teams (request.mine(): only the
  // caller's), by next measurement due.
  absl::StatusOr<v1::ListCaseloadResponse> ListCaseload(const v1::ListCaseloadRequest& request);
  // Every trajectory of the caseload, following the page tokens from
  // request.page_token() on.
  absl::StatusOr<std::vector<v1::Trajectory>> ListAllCaseload(
      const v1::ListCaseloadRequest& request);
  // A rung on the participation ladder (1..6); answers the trajectory with
  // the latest rung and the movement since the first and previous one.
  absl::StatusOr<v1::Trajectory> RecordMeasurement(const v1::RecordMeasurementRequest& request);
  // A referral step names a handover from the caller's organisation about
  // the same resident; other types name none.
  absl::StatusOr<v1::Step> AddStep(const v1::AddStepRequest& request);
  absl::StatusOr<v1::Step> UpdateStep(const std::string& trajectory_id,
                                      const std::string& step_id, v1::StepStatus status,
                                      const std::string& start_date,
                                      const std::string& end_date);
  // The updates of a trajectory as requests, with the etag of the last
  // read (required by the server; ABORTED when it changed since).
  absl::StatusOr<v1::Step> UpdateStep(const v1::UpdateStepRequest& request) {
    return connection_->UpdateStep(request);
  }
  absl::StatusOr<v1::Trajectory> ChangeTrajectoryStatus(
      const v1::ChangeTrajectoryStatusRequest& request) {
    return connection_->ChangeTrajectoryStatus(request);
  }
  absl::StatusOr<v1::Trajectory> TransferTrajectory(const v1::TransferTrajectoryRequest& request) {
    return connection_->TransferTrajectory(request);
  }
  // Pause, resume (active) or close; `reason` is required when closing.
  absl::StatusOr<v1::Trajectory> ChangeTrajectoryStatus(const std::string& id,
                                                        v1::TrajectoryStatus status,
                                                        const std::string& reason);
  // One trajectory to another consultant of its team.
  absl::StatusOr<v1::Trajectory> TransferTrajectory(const std::string& id,
                                                    const std::string& to_consultant_id);
  // Every open trajectory of one consultant to another.
  absl::StatusOr<v1::TransferCaseloadResponse> TransferCaseload(
      const std::string& from_consultant_id, const std::string& to_consultant_id);
  // The trajectories of one resident the caller may read, newest first (at
  // most 50): the caller's teams' in full, a summary where a team of theirs
  // holds an accepted handover for the resident; no measurements or steps.
  absl::StatusOr<v1::ListResidentTrajectoriesResponse> ListResidentTrajectories(
      const v1::ListResidentTrajectoriesRequest& request);

  // The programme monitor (analysts only): aggregate tables over a
  // `period` — a month "2026-11", a quarter "2026-Q4" or a year "2026" —
  // already through disclosure control on the server (counts rounded to
  // fives, "<5", "x"; see reports.proto).
  absl::StatusOr<v1::Report> SignalReport(const std::string& period, v1::ReportGrouping by);
  absl::StatusOr<v1::Report> HandoverReport(const std::string& period, v1::ReportGrouping by);
  absl::StatusOr<v1::Report> ParticipationReport(const std::string& period,
                                                 v1::ReportGrouping by);
  // Residents' rights (role privacy_officer); `request_ref` is the
  // resident's request number, recorded with the act in the audit log.
  // Everything about one resident and its access report, as a message
  // (response.document); the document handed to the resident is its proto3
  // JSON mapping with every field printed (what `schakel privacy export`
  // prints).
  absl::StatusOr<v1::PrivacyExportResponse> PrivacyExport(const std::string& resident_id,
                                                          const std::string& request_ref);
  // Only the fields set in `request` change; the history is kept.
  absl::StatusOr<v1::RectifyResponse> Rectify(const v1::RectifyRequest& request);
  // Anonymises the resident; FAILED_PRECONDITION under a legal hold.
  absl::StatusOr<v1::EraseResponse> Erase(const std::string& resident_id,
                                          const std::string& request_ref);
  absl::StatusOr<v1::LegalHoldResponse> Hold(const std::string& resident_id,
                                             const std::string& request_ref);
  absl::StatusOr<v1::LegalHoldResponse> Release(const std::string& resident_id,
                                                const std::string& request_ref);

 private:
  std::shared_ptr<Connection> connection_;
};

}  // namespace schakel

#endif  // SCHAKEL_CLIENT_LIB_INCLUDE_SCHAKEL_CLIENT_H_
