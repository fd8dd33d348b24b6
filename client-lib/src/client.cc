#include "schakel/client.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "schakel/v1/admin.grpc.pb.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/enrollment.grpc.pb.h"
#include "schakel/v1/handovers.grpc.pb.h"
#include "schakel/v1/notifications.grpc.pb.h"
#include "schakel/v1/privacy.grpc.pb.h"
#include "schakel/v1/reference.grpc.pb.h"
#include "schakel/v1/residents.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "schakel/v1/reports.grpc.pb.h"
#include "schakel/v1/trajectories.grpc.pb.h"

namespace schakel {
namespace {

absl::StatusOr<std::string> ReadIdentityFile(const std::string& dir, const std::string& name) {
  std::string path = dir.empty() ? name : absl::StrCat(dir, "/", name);
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("identity: cannot read ", path));
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

absl::Status FromGrpc(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

// Every item of a paginated list: calls `list` with the request's page
// token, appends what `items` picks from each page, and follows
// next_page_token until it is empty. A server that answers the token it was
// given would loop forever: that is an INTERNAL error instead.
template <typename Item, typename Request, typename List, typename Items>
absl::StatusOr<std::vector<Item>> FollowPages(Request request, List list, Items items) {
  if (request.page_size() == 0) request.set_page_size(100);
  std::vector<Item> out;
  while (true) {
    auto page = list(request);
    if (!page.ok()) return page.status();
    for (const auto& item : items(*page)) out.push_back(item);
    const std::string& next = page->next_page_token();
    if (next.empty()) return out;
    if (next == request.page_token()) {
      return absl::InternalError("the server answered the same page token again");
    }
    request.set_page_token(next);
  }
}

// `t` as a Timestamp; an infinite time leaves `out` unset (the server's
// default). INVALID_ARGUMENT naming `field` outside the years 1..9999.
absl::Status SetTime(const char* field, absl::Time t, google::protobuf::Timestamp* out) {
  out->Clear();
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return absl::OkStatus();
  // 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z, the Timestamp's range.
  constexpr int64_t kMinSeconds = -62135596800;
  constexpr int64_t kEndSeconds = 253402300800;
  int64_t seconds = absl::ToUnixSeconds(t);  // rounds down
  if (seconds < kMinSeconds || seconds >= kEndSeconds) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": outside the years 1..9999"));
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
  return absl::OkStatus();
}

class GrpcConnection final : public Connection {
 public:
  GrpcConnection(const std::shared_ptr<grpc::Channel>& channel, absl::Duration timeout,
                 std::string purpose)
      : directory_(v1::DirectoryService::NewStub(channel)),
        admin_(v1::AdminService::NewStub(channel)),
        residents_(v1::ResidentService::NewStub(channel)),
        signals_(v1::SignalService::NewStub(channel)),
        handovers_(v1::HandoverService::NewStub(channel)),
        audit_(v1::AuditService::NewStub(channel)),
        trajectories_(v1::TrajectoryService::NewStub(channel)),
        reports_(v1::ReportService::NewStub(channel)),
        privacy_(v1::PrivacyService::NewStub(channel)),
        reference_(v1::ReferenceService::NewStub(channel)),
        notifications_(v1::NotificationService::NewStub(channel)),
        timeout_(timeout),
        purpose_(std::move(purpose)) {}

  absl::StatusOr<v1::WhoAmIResponse> WhoAmI(const v1::WhoAmIRequest& r) override {
    return Call<v1::WhoAmIResponse>(
        [&](grpc::ClientContext* c, auto* out) { return directory_->WhoAmI(c, r, out); });
  }
  absl::StatusOr<v1::ListOrganisationsResponse> ListOrganisations(
      const v1::ListOrganisationsRequest& r) override {
    return Call<v1::ListOrganisationsResponse>(
        [&](grpc::ClientContext* c, auto* out) { return directory_->ListOrganisations(c, r, out); });
  }
  absl::StatusOr<v1::Organisation> GetOrganisation(const v1::GetOrganisationRequest& r) override {
    return Call<v1::Organisation>(
        [&](grpc::ClientContext* c, auto* out) { return directory_->GetOrganisation(c, r, out); });
  }
  absl::StatusOr<v1::AddProfessionalResponse> AddProfessional(
      const v1::AddProfessionalRequest& r) override {
    return Call<v1::AddProfessionalResponse>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->AddProfessional(c, r, out); });
  }
  absl::StatusOr<v1::Professional> DisableProfessional(
      const v1::DisableProfessionalRequest& r) override {
    return Call<v1::Professional>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->DisableProfessional(c, r, out); });
  }
  absl::StatusOr<v1::Certificate> RevokeCertificate(
      const v1::RevokeCertificateRequest& r) override {
    return Call<v1::Certificate>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->RevokeCertificate(c, r, out); });
  }
  absl::StatusOr<v1::ListGrantsResponse> ListGrants(const v1::ListGrantsRequest& r) override {
    return Call<v1::ListGrantsResponse>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->ListGrants(c, r, out); });
  }
  absl::StatusOr<v1::Grant> RequestGrant(const v1::RequestGrantRequest& r) override {
    return Call<v1::Grant>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->RequestGrant(c, r, out); });
  }
  absl::StatusOr<v1::Grant> ApproveGrant(const v1::ApproveGrantRequest& r) override {
    return Call<v1::Grant>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->ApproveGrant(c, r, out); });
  }
  absl::StatusOr<v1::Grant> RefuseGrant(const v1::RefuseGrantRequest& r) override {
    return Call<v1::Grant>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->RefuseGrant(c, r, out); });
  }
  absl::StatusOr<v1::ListGrantsResponse> ReviewGrants(const v1::ListGrantsRequest& r) override {
    return Call<v1::ListGrantsResponse>(
        [&](grpc::ClientContext* c, auto* out) { return audit_->ListGrants(c, r, out); });
  }
  absl::StatusOr<v1::ListPrivacyActsResponse> ListPrivacyActs(
      const v1::ListPrivacyActsRequest& r) override {
    return Call<v1::ListPrivacyActsResponse>(
        [&](grpc::ClientContext* c, auto* out) { return audit_->ListPrivacyActs(c, r, out); });
  }
  absl::StatusOr<v1::RenewCertificateResponse> RenewCertificate(
      const v1::RenewCertificateRequest& r) override {
    return Call<v1::RenewCertificateResponse>(
        [&](grpc::ClientContext* c, auto* out) { return directory_->RenewCertificate(c, r, out); });
  }
  absl::StatusOr<v1::ListNotificationsResponse> ListNotifications(
      const v1::ListNotificationsRequest& r) override {
    return Call<v1::ListNotificationsResponse>([&](grpc::ClientContext* c, auto* out) {
      return notifications_->ListNotifications(c, r, out);
    });
  }
  absl::StatusOr<v1::MarkNotificationsReadResponse> MarkNotificationsRead(
      const v1::MarkNotificationsReadRequest& r) override {
    return Call<v1::MarkNotificationsReadResponse>([&](grpc::ClientContext* c, auto* out) {
      return notifications_->MarkNotificationsRead(c, r, out);
    });
  }
  absl::Status WatchNotifications(
      const v1::WatchNotificationsRequest& r, absl::Duration duration,
      const std::function<bool(const v1::Notification&)>& on_notification) override {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::microseconds(absl::ToInt64Microseconds(duration)));
    if (!purpose_.empty()) context.AddMetadata("x-schakel-purpose", purpose_);
    std::unique_ptr<grpc::ClientReader<v1::Notification>> reader =
        notifications_->WatchNotifications(&context, r);
    v1::Notification n;
    while (reader->Read(&n)) {
      if (!on_notification(n)) {
        context.TryCancel();
        reader->Finish();
        return absl::OkStatus();
      }
    }
    grpc::Status status = reader->Finish();
    if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) return absl::OkStatus();
    if (!status.ok()) return FromGrpc(status);
    return absl::OkStatus();
  }
  absl::StatusOr<v1::NotificationSettings> GetNotificationSettings(
      const v1::GetNotificationSettingsRequest& r) override {
    return Call<v1::NotificationSettings>([&](grpc::ClientContext* c, auto* out) {
      return notifications_->GetNotificationSettings(c, r, out);
    });
  }
  absl::StatusOr<v1::NotificationSettings> SetNotificationSettings(
      const v1::NotificationSettings& r) override {
    return Call<v1::NotificationSettings>([&](grpc::ClientContext* c, auto* out) {
      return notifications_->SetNotificationSettings(c, r, out);
    });
  }
  absl::StatusOr<v1::ListDeadLettersResponse> ListDeadLetters(
      const v1::ListDeadLettersRequest& r) override {
    return Call<v1::ListDeadLettersResponse>([&](grpc::ClientContext* c, auto* out) {
      return notifications_->ListDeadLetters(c, r, out);
    });
  }
  absl::StatusOr<v1::ListTeamsResponse> ListTeams(const v1::ListTeamsRequest& r) override {
    return Call<v1::ListTeamsResponse>(
        [&](grpc::ClientContext* c, auto* out) { return directory_->ListTeams(c, r, out); });
  }
  absl::StatusOr<v1::Team> CreateTeam(const v1::CreateTeamRequest& r) override {
    return Call<v1::Team>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->CreateTeam(c, r, out); });
  }
  absl::StatusOr<v1::Professional> RemoveFromTeam(const v1::RemoveFromTeamRequest& r) override {
    return Call<v1::Professional>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->RemoveFromTeam(c, r, out); });
  }
  absl::StatusOr<v1::Handover> ForwardHandover(const v1::ForwardHandoverRequest& r) override {
    return Call<v1::Handover>(
        [&](grpc::ClientContext* c, auto* out) { return handovers_->ForwardHandover(c, r, out); });
  }
  absl::StatusOr<v1::ListPeopleResponse> ListPeople(const v1::ListPeopleRequest& r) override {
    return Call<v1::ListPeopleResponse>(
        [&](grpc::ClientContext* c, auto* out) { return directory_->ListPeople(c, r, out); });
  }
  absl::StatusOr<v1::Person> SetWorkContact(const v1::SetWorkContactRequest& r) override {
    return Call<v1::Person>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->SetWorkContact(c, r, out); });
  }
  absl::StatusOr<v1::ListCategoriesResponse> ListCategories(
      const v1::ListCategoriesRequest& r) override {
    return Call<v1::ListCategoriesResponse>(
        [&](grpc::ClientContext* c, auto* out) { return reference_->ListCategories(c, r, out); });
  }
  absl::StatusOr<v1::ListWijkenResponse> ListWijken(const v1::ListWijkenRequest& r) override {
    return Call<v1::ListWijkenResponse>(
        [&](grpc::ClientContext* c, auto* out) { return reference_->ListWijken(c, r, out); });
  }
  absl::StatusOr<v1::ListOpgavenResponse> ListOpgaven(const v1::ListOpgavenRequest& r) override {
    return Call<v1::ListOpgavenResponse>(
        [&](grpc::ClientContext* c, auto* out) { return reference_->ListOpgaven(c, r, out); });
  }
  absl::StatusOr<v1::ListVocabulariesResponse> ListVocabularies(
      const v1::ListVocabulariesRequest& r) override {
    return Call<v1::ListVocabulariesResponse>(
        [&](grpc::ClientContext* c, auto* out) { return reference_->ListVocabularies(c, r, out); });
  }
  absl::StatusOr<v1::RecordBackupResponse> RecordBackup(const v1::RecordBackupRequest& r) override {
    return Call<v1::RecordBackupResponse>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->RecordBackup(c, r, out); });
  }

  absl::StatusOr<v1::RegisterResidentResponse> RegisterResident(const v1::RegisterResidentRequest& r) override {
    return Call<v1::RegisterResidentResponse>(
        [&](grpc::ClientContext* c, auto* out) { return residents_->RegisterResident(c, r, out); });
  }
  absl::StatusOr<v1::Resident> GetResident(const v1::GetResidentRequest& r) override {
    return Call<v1::Resident>(
        [&](grpc::ClientContext* c, auto* out) { return residents_->GetResident(c, r, out); });
  }
  absl::StatusOr<v1::FindResidentsResponse> FindResidents(const v1::FindResidentsRequest& r) override {
    return Call<v1::FindResidentsResponse>(
        [&](grpc::ClientContext* c, auto* out) { return residents_->FindResidents(c, r, out); });
  }
  absl::StatusOr<v1::ListPossibleDuplicatesResponse> ListPossibleDuplicates(const v1::ListPossibleDuplicatesRequest& r) override {
    return Call<v1::ListPossibleDuplicatesResponse>(
        [&](grpc::ClientContext* c, auto* out) { return residents_->ListPossibleDuplicates(c, r, out); });
  }
  absl::StatusOr<v1::Resident> MergeResidents(const v1::MergeResidentsRequest& r) override {
    return Call<v1::Resident>(
        [&](grpc::ClientContext* c, auto* out) { return residents_->MergeResidents(c, r, out); });
  }
  absl::StatusOr<v1::OpenBreakGlassResponse> OpenBreakGlass(const v1::OpenBreakGlassRequest& r) override {
    return Call<v1::OpenBreakGlassResponse>(
        [&](grpc::ClientContext* c, auto* out) { return residents_->OpenBreakGlass(c, r, out); });
  }
  absl::StatusOr<v1::Signal> CreateSignal(const v1::CreateSignalRequest& r) override {
    return Call<v1::Signal>(
        [&](grpc::ClientContext* c, auto* out) { return signals_->CreateSignal(c, r, out); });
  }
  absl::StatusOr<v1::Signal> GetSignal(const v1::GetSignalRequest& r) override {
    return Call<v1::Signal>(
        [&](grpc::ClientContext* c, auto* out) { return signals_->GetSignal(c, r, out); });
  }
  absl::StatusOr<v1::ListSignalsResponse> ListSignals(const v1::ListSignalsRequest& r) override {
    return Call<v1::ListSignalsResponse>(
        [&](grpc::ClientContext* c, auto* out) { return signals_->ListSignals(c, r, out); });
  }
  absl::StatusOr<v1::Signal> AssignSignal(const v1::AssignSignalRequest& r) override {
    return Call<v1::Signal>(
        [&](grpc::ClientContext* c, auto* out) { return signals_->AssignSignal(c, r, out); });
  }
  absl::StatusOr<v1::Signal> ChangeSignalStatus(const v1::ChangeSignalStatusRequest& r) override {
    return Call<v1::Signal>(
        [&](grpc::ClientContext* c, auto* out) { return signals_->ChangeSignalStatus(c, r, out); });
  }
  absl::StatusOr<v1::Note> AddSignalNote(const v1::AddSignalNoteRequest& r) override {
    return Call<v1::Note>(
        [&](grpc::ClientContext* c, auto* out) { return signals_->AddSignalNote(c, r, out); });
  }
  absl::StatusOr<v1::Handover> ProposeHandover(const v1::ProposeHandoverRequest& r) override {
    return Call<v1::Handover>(
        [&](grpc::ClientContext* c, auto* out) { return handovers_->ProposeHandover(c, r, out); });
  }
  absl::StatusOr<v1::Handover> GetHandover(const v1::GetHandoverRequest& r) override {
    return Call<v1::Handover>(
        [&](grpc::ClientContext* c, auto* out) { return handovers_->GetHandover(c, r, out); });
  }
  absl::StatusOr<v1::ListHandoversResponse> ListInbox(const v1::ListHandoversRequest& r) override {
    return Call<v1::ListHandoversResponse>(
        [&](grpc::ClientContext* c, auto* out) { return handovers_->ListInbox(c, r, out); });
  }
  absl::StatusOr<v1::ListHandoversResponse> ListOutbox(const v1::ListHandoversRequest& r) override {
    return Call<v1::ListHandoversResponse>(
        [&](grpc::ClientContext* c, auto* out) { return handovers_->ListOutbox(c, r, out); });
  }
  absl::StatusOr<v1::Handover> AcceptHandover(const v1::HandoverActionRequest& r) override {
    return Call<v1::Handover>(
        [&](grpc::ClientContext* c, auto* out) { return handovers_->AcceptHandover(c, r, out); });
  }
  absl::StatusOr<v1::Handover> DeclineHandover(const v1::HandoverActionRequest& r) override {
    return Call<v1::Handover>(
        [&](grpc::ClientContext* c, auto* out) { return handovers_->DeclineHandover(c, r, out); });
  }
  absl::StatusOr<v1::Handover> IntroduceHandover(const v1::HandoverActionRequest& r) override {
    return Call<v1::Handover>(
        [&](grpc::ClientContext* c, auto* out) { return handovers_->IntroduceHandover(c, r, out); });
  }
  absl::StatusOr<v1::Handover> CompleteHandover(const v1::HandoverActionRequest& r) override {
    return Call<v1::Handover>(
        [&](grpc::ClientContext* c, auto* out) { return handovers_->CompleteHandover(c, r, out); });
  }
  absl::StatusOr<v1::Handover> CancelHandover(const v1::HandoverActionRequest& r) override {
    return Call<v1::Handover>(
        [&](grpc::ClientContext* c, auto* out) { return handovers_->CancelHandover(c, r, out); });
  }
  absl::StatusOr<v1::Handover> WithdrawConsent(const v1::HandoverActionRequest& r) override {
    return Call<v1::Handover>(
        [&](grpc::ClientContext* c, auto* out) { return handovers_->WithdrawConsent(c, r, out); });
  }
  absl::StatusOr<v1::Note> AddHandoverNote(const v1::AddHandoverNoteRequest& r) override {
    return Call<v1::Note>(
        [&](grpc::ClientContext* c, auto* out) { return handovers_->AddHandoverNote(c, r, out); });
  }
  absl::StatusOr<v1::QueryAuditResponse> QueryAudit(const v1::QueryAuditRequest& r) override {
    return Call<v1::QueryAuditResponse>(
        [&](grpc::ClientContext* c, auto* out) { return audit_->QueryAudit(c, r, out); });
  }
  absl::StatusOr<v1::VerifyAuditResponse> VerifyAudit(const v1::VerifyAuditRequest& r) override {
    return Call<v1::VerifyAuditResponse>(
        [&](grpc::ClientContext* c, auto* out) { return audit_->VerifyAudit(c, r, out); });
  }
  absl::StatusOr<v1::ListBreakGlassResponse> ListBreakGlass(const v1::ListBreakGlassRequest& r) override {
    return Call<v1::ListBreakGlassResponse>(
        [&](grpc::ClientContext* c, auto* out) { return audit_->ListBreakGlass(c, r, out); });
  }
  absl::StatusOr<v1::ResidentAccessReportResponse> ResidentAccessReport(const v1::ResidentAccessReportRequest& r) override {
    return Call<v1::ResidentAccessReportResponse>(
        [&](grpc::ClientContext* c, auto* out) { return audit_->ResidentAccessReport(c, r, out); });
  }
  absl::StatusOr<v1::ListAnomaliesResponse> ListAnomalies(const v1::ListAnomaliesRequest& r) override {
    return Call<v1::ListAnomaliesResponse>(
        [&](grpc::ClientContext* c, auto* out) { return audit_->ListAnomalies(c, r, out); });
  }
  absl::StatusOr<v1::Trajectory> StartTrajectory(const v1::StartTrajectoryRequest& r) override {
    return Call<v1::Trajectory>(
        [&](grpc::ClientContext* c, auto* out) { return trajectories_->StartTrajectory(c, r, out); });
  }
  absl::StatusOr<v1::Trajectory> GetTrajectory(const v1::GetTrajectoryRequest& r) override {
    return Call<v1::Trajectory>(
        [&](grpc::ClientContext* c, auto* out) { return trajectories_->GetTrajectory(c, r, out); });
  }
  absl::StatusOr<v1::ListCaseloadResponse> ListCaseload(const v1::ListCaseloadRequest& r) override {
    return Call<v1::ListCaseloadResponse>(
        [&](grpc::ClientContext* c, auto* out) { return trajectories_->ListCaseload(c, r, out); });
  }
  absl::StatusOr<v1::Trajectory> RecordMeasurement(const v1::RecordMeasurementRequest& r) override {
    return Call<v1::Trajectory>(
        [&](grpc::ClientContext* c, auto* out) { return trajectories_->RecordMeasurement(c, r, out); });
  }
  absl::StatusOr<v1::Step> AddStep(const v1::AddStepRequest& r) override {
    return Call<v1::Step>(
        [&](grpc::ClientContext* c, auto* out) { return trajectories_->AddStep(c, r, out); });
  }
  absl::StatusOr<v1::Step> UpdateStep(const v1::UpdateStepRequest& r) override {
    return Call<v1::Step>(
        [&](grpc::ClientContext* c, auto* out) { return trajectories_->UpdateStep(c, r, out); });
  }
  absl::StatusOr<v1::Trajectory> ChangeTrajectoryStatus(const v1::ChangeTrajectoryStatusRequest& r) override {
    return Call<v1::Trajectory>(
        [&](grpc::ClientContext* c, auto* out) { return trajectories_->ChangeTrajectoryStatus(c, r, out); });
  }
  absl::StatusOr<v1::Trajectory> TransferTrajectory(const v1::TransferTrajectoryRequest& r) override {
    return Call<v1::Trajectory>(
        [&](grpc::ClientContext* c, auto* out) { return trajectories_->TransferTrajectory(c, r, out); });
  }
  absl::StatusOr<v1::TransferCaseloadResponse> TransferCaseload(const v1::TransferCaseloadRequest& r) override {
    return Call<v1::TransferCaseloadResponse>(
        [&](grpc::ClientContext* c, auto* out) { return trajectories_->TransferCaseload(c, r, out); });
  }
  absl::StatusOr<v1::ListResidentTrajectoriesResponse> ListResidentTrajectories(
      const v1::ListResidentTrajectoriesRequest& r) override {
    return Call<v1::ListResidentTrajectoriesResponse>([&](grpc::ClientContext* c, auto* out) {
      return trajectories_->ListResidentTrajectories(c, r, out);
    });
  }
  absl::StatusOr<v1::Report> SignalReport(const v1::ReportRequest& r) override {
    return Call<v1::Report>(
        [&](grpc::ClientContext* c, auto* out) { return reports_->SignalReport(c, r, out); });
  }
  absl::StatusOr<v1::Report> HandoverReport(const v1::ReportRequest& r) override {
    return Call<v1::Report>(
        [&](grpc::ClientContext* c, auto* out) { return reports_->HandoverReport(c, r, out); });
  }
  absl::StatusOr<v1::Report> ParticipationReport(const v1::ReportRequest& r) override {
    return Call<v1::Report>(
        [&](grpc::ClientContext* c, auto* out) { return reports_->ParticipationReport(c, r, out); });
  }
  absl::StatusOr<v1::PrivacyExportResponse> PrivacyExport(const v1::PrivacyExportRequest& r) override {
    return Call<v1::PrivacyExportResponse>(
        [&](grpc::ClientContext* c, auto* out) { return privacy_->Export(c, r, out); });
  }
  absl::StatusOr<v1::RectifyResponse> Rectify(const v1::RectifyRequest& r) override {
    return Call<v1::RectifyResponse>(
        [&](grpc::ClientContext* c, auto* out) { return privacy_->Rectify(c, r, out); });
  }
  absl::StatusOr<v1::EraseResponse> Erase(const v1::EraseRequest& r) override {
    return Call<v1::EraseResponse>(
        [&](grpc::ClientContext* c, auto* out) { return privacy_->Erase(c, r, out); });
  }
  absl::StatusOr<v1::LegalHoldResponse> Hold(const v1::LegalHoldRequest& r) override {
    return Call<v1::LegalHoldResponse>(
        [&](grpc::ClientContext* c, auto* out) { return privacy_->Hold(c, r, out); });
  }
  absl::StatusOr<v1::LegalHoldResponse> Release(const v1::LegalHoldRequest& r) override {
    return Call<v1::LegalHoldResponse>(
        [&](grpc::ClientContext* c, auto* out) { return privacy_->Release(c, r, out); });
  }

 private:
  // One unary call with the deadline and the purpose of use.
  template <typename Response, typename Fn>
  absl::StatusOr<Response> Call(Fn fn) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::microseconds(absl::ToInt64Microseconds(timeout_)));
    if (!purpose_.empty()) context.AddMetadata("x-schakel-purpose", purpose_);
    Response response;
    grpc::Status status = fn(&context, &response);
    if (!status.ok()) return FromGrpc(status);
    return response;
  }

  std::unique_ptr<v1::DirectoryService::Stub> directory_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::ResidentService::Stub> residents_;
  std::unique_ptr<v1::SignalService::Stub> signals_;
  std::unique_ptr<v1::HandoverService::Stub> handovers_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::TrajectoryService::Stub> trajectories_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::PrivacyService::Stub> privacy_;
  std::unique_ptr<v1::ReferenceService::Stub> reference_;
  std::unique_ptr<v1::NotificationService::Stub> notifications_;
  absl::Duration timeout_;
  std::string purpose_;
};

}  // namespace

absl::Status ValidatePurpose(absl::string_view purpose, absl::string_view label) {
  if (purpose.empty()) return absl::OkStatus();
  if (purpose.size() > kMaxPurposeLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(label, ": at most ", kMaxPurposeLength, " characters"));
  }
  for (char c : purpose) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) {
      return absl::InvalidArgumentError(absl::StrCat(
          label, ": only printable ASCII characters (gRPC metadata cannot carry others)"));
    }
  }
  if (purpose.front() == ' ' || purpose.back() == ' ') {
    return absl::InvalidArgumentError(
        absl::StrCat(label, ": must not start or end with a space"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<Connection>> MakeGrpcConnection(const ClientOptions& options) {
  if (options.server.empty()) return absl::InvalidArgumentError("server: required (HOST:PORT)");
  if (absl::Status s = ValidatePurpose(options.purpose, "purpose"); !s.ok()) return s;
  if (options.identity_dir.empty()) {
    return absl::InvalidArgumentError("identity: required (a directory with cert.pem, key.pem, ca.pem)");
  }
  grpc::SslCredentialsOptions ssl;
  absl::StatusOr<std::string> ca = ReadIdentityFile(options.identity_dir, "ca.pem");
  if (!ca.ok()) return ca.status();
  absl::StatusOr<std::string> cert = ReadIdentityFile(options.identity_dir, "cert.pem");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadIdentityFile(options.identity_dir, "key.pem");
  if (!key.ok()) return key.status();
  ssl.pem_root_certs = *std::move(ca);
  ssl.pem_cert_chain = *std::move(cert);
  ssl.pem_private_key = *std::move(key);
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(4 << 20);
  if (options.max_reconnect_backoff > absl::ZeroDuration()) {
    int ms = static_cast<int>(absl::ToInt64Milliseconds(options.max_reconnect_backoff));
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, ms);
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, std::min(ms, 100));
    // gRPC also uses this as the deadline of one connection attempt (TCP and
    // TLS handshake). An attempt that reached a server which then went away
    // can hang until this deadline (20 s by default), so a client that wants
    // to notice a restart quickly needs it short — but long enough for a TLS
    // handshake on a busy machine.
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 1000);
    // Its own connection: a new Client then really makes a new attempt
    // instead of sharing one that hangs in the process-wide pool.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  }
  auto channel =
      grpc::CreateCustomChannel(options.server, grpc::SslCredentials(ssl), args);
  return std::shared_ptr<Connection>(std::make_shared<GrpcConnection>(channel, options.timeout,
                                                                          options.purpose));
}

absl::StatusOr<v1::EnrollResponse> Enroll(const std::string& server, const std::string& ca_pem,
                                          const v1::EnrollRequest& request,
                                          absl::Duration timeout) {
  if (server.empty()) return absl::InvalidArgumentError("server: required (HOST:PORT)");
  if (ca_pem.empty()) return absl::InvalidArgumentError("ca: required (the deployment's CA)");
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ca_pem;
  auto channel = grpc::CreateChannel(server, grpc::SslCredentials(ssl));
  auto stub = v1::EnrollmentService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::microseconds(absl::ToInt64Microseconds(timeout)));
  v1::EnrollResponse response;
  absl::Status s = FromGrpc(stub->Enroll(&context, request, &response));
  if (!s.ok()) return s;
  return response;
}

absl::StatusOr<Client> Client::Connect(const ClientOptions& options) {
  absl::StatusOr<std::shared_ptr<Connection>> connection = MakeGrpcConnection(options);
  if (!connection.ok()) return connection.status();
  return Client(*std::move(connection));
}

absl::StatusOr<v1::WhoAmIResponse> Client::WhoAmI() {
  return connection_->WhoAmI(v1::WhoAmIRequest());
}

absl::StatusOr<v1::ListOrganisationsResponse> Client::ListOrganisations(
    int page_size, const std::string& page_token) {
  v1::ListOrganisationsRequest r;
  r.set_page_size(page_size);
  r.set_page_token(page_token);
  return connection_->ListOrganisations(r);
}

absl::StatusOr<std::vector<v1::Organisation>> Client::ListAllOrganisations() {
  std::vector<v1::Organisation> out;
  std::string token;
  do {
    absl::StatusOr<v1::ListOrganisationsResponse> page = ListOrganisations(100, token);
    if (!page.ok()) return page.status();
    for (const auto& o : page->organisations()) out.push_back(o);
    token = page->next_page_token();
  } while (!token.empty());
  return out;
}

absl::StatusOr<v1::Organisation> Client::GetOrganisation(const std::string& id) {
  v1::GetOrganisationRequest r;
  r.set_id(id);
  return connection_->GetOrganisation(r);
}

absl::StatusOr<v1::ListTeamsResponse> Client::ListTeams(const std::string& organisation_id) {
  v1::ListTeamsRequest r;
  r.set_organisation_id(organisation_id);
  return connection_->ListTeams(r);
}

absl::StatusOr<v1::Professional> Client::RemoveFromTeam(const std::string& professional_id,
                                                        const std::string& team) {
  v1::RemoveFromTeamRequest r;
  r.set_professional_id(professional_id);
  r.set_team(team);
  return connection_->RemoveFromTeam(r);
}

absl::StatusOr<std::vector<v1::Person>> Client::ListAllPeople(const v1::ListPeopleRequest& request) {
  return FollowPages<v1::Person>(
      request, [this](const v1::ListPeopleRequest& r) { return connection_->ListPeople(r); },
      [](const v1::ListPeopleResponse& page) -> const auto& { return page.people(); });
}

absl::StatusOr<v1::AddProfessionalResponse> Client::AddProfessional(
    const v1::AddProfessionalRequest& request) {
  return connection_->AddProfessional(request);
}

absl::StatusOr<v1::Professional> Client::DisableProfessional(const std::string& professional_id) {
  v1::DisableProfessionalRequest r;
  r.set_professional_id(professional_id);
  return connection_->DisableProfessional(r);
}

absl::StatusOr<v1::Certificate> Client::RevokeCertificate(const std::string& serial) {
  v1::RevokeCertificateRequest r;
  r.set_serial(serial);
  return connection_->RevokeCertificate(r);
}

// Residents.

absl::StatusOr<v1::RegisterResidentResponse> Client::RegisterResident(
    const v1::RegisterResidentRequest& request) {
  return connection_->RegisterResident(request);
}

absl::StatusOr<v1::Resident> Client::GetResident(const std::string& id) {
  v1::GetResidentRequest r;
  r.set_id(id);
  return connection_->GetResident(r);
}

absl::StatusOr<v1::FindResidentsResponse> Client::FindResidents(const std::string& name,
                                                                const std::string& birth_date) {
  v1::FindResidentsRequest r;
  r.set_name(name);
  r.set_birth_date(birth_date);
  return connection_->FindResidents(r);
}

absl::StatusOr<v1::ListPossibleDuplicatesResponse> Client::ListPossibleDuplicates() {
  return connection_->ListPossibleDuplicates(v1::ListPossibleDuplicatesRequest());
}

absl::StatusOr<v1::Resident> Client::MergeResidents(const std::string& keep_id,
                                                    const std::string& merge_id) {
  v1::MergeResidentsRequest r;
  r.set_keep_id(keep_id);
  r.set_merge_id(merge_id);
  return connection_->MergeResidents(r);
}

absl::StatusOr<v1::OpenBreakGlassResponse> Client::OpenBreakGlass(const std::string& resident_id,
                                                                  const std::string& reason) {
  v1::OpenBreakGlassRequest r;
  r.set_resident_id(resident_id);
  r.set_reason(reason);
  return connection_->OpenBreakGlass(r);
}

// Signals.

absl::StatusOr<v1::Signal> Client::CreateSignal(const v1::CreateSignalRequest& request) {
  return connection_->CreateSignal(request);
}

absl::StatusOr<v1::Signal> Client::GetSignal(const std::string& id) {
  v1::GetSignalRequest r;
  r.set_id(id);
  return connection_->GetSignal(r);
}

absl::StatusOr<v1::ListSignalsResponse> Client::ListSignals(const v1::ListSignalsRequest& request) {
  return connection_->ListSignals(request);
}

absl::StatusOr<std::vector<v1::Signal>> Client::ListAllSignals(
    const v1::ListSignalsRequest& request) {
  return FollowPages<v1::Signal>(
      request, [this](const v1::ListSignalsRequest& r) { return connection_->ListSignals(r); },
      [](const v1::ListSignalsResponse& page) -> const auto& { return page.signals(); });
}

absl::StatusOr<v1::Signal> Client::AssignSignal(const std::string& id,
                                                const std::string& owner_organisation_id,
                                                const std::string& etag) {
  v1::AssignSignalRequest r;
  r.set_id(id);
  r.set_owner_organisation_id(owner_organisation_id);
  r.set_etag(etag);
  return connection_->AssignSignal(r);
}

absl::StatusOr<v1::Signal> Client::ChangeSignalStatus(const std::string& id,
                                                      v1::SignalStatus status,
                                                      const std::string& etag) {
  v1::ChangeSignalStatusRequest r;
  r.set_id(id);
  r.set_status(status);
  r.set_etag(etag);
  return connection_->ChangeSignalStatus(r);
}

absl::StatusOr<v1::Note> Client::AddSignalNote(const v1::AddSignalNoteRequest& request) {
  return connection_->AddSignalNote(request);
}

// Handovers.

absl::StatusOr<v1::Handover> Client::ProposeHandover(const v1::ProposeHandoverRequest& request) {
  return connection_->ProposeHandover(request);
}

absl::StatusOr<v1::Handover> Client::GetHandover(const std::string& id) {
  v1::GetHandoverRequest r;
  r.set_id(id);
  return connection_->GetHandover(r);
}

absl::StatusOr<v1::ListHandoversResponse> Client::ListInbox(
    const v1::ListHandoversRequest& request) {
  return connection_->ListInbox(request);
}

absl::StatusOr<v1::ListHandoversResponse> Client::ListOutbox(
    const v1::ListHandoversRequest& request) {
  return connection_->ListOutbox(request);
}

absl::StatusOr<std::vector<v1::Handover>> Client::ListAllInbox(
    const v1::ListHandoversRequest& request) {
  return FollowPages<v1::Handover>(
      request, [this](const v1::ListHandoversRequest& r) { return connection_->ListInbox(r); },
      [](const v1::ListHandoversResponse& page) -> const auto& { return page.handovers(); });
}

absl::StatusOr<std::vector<v1::Handover>> Client::ListAllOutbox(
    const v1::ListHandoversRequest& request) {
  return FollowPages<v1::Handover>(
      request, [this](const v1::ListHandoversRequest& r) { return connection_->ListOutbox(r); },
      [](const v1::ListHandoversResponse& page) -> const auto& { return page.handovers(); });
}

namespace {

v1::HandoverActionRequest Action(const std::string& id, const std::string& etag) {
  v1::HandoverActionRequest r;
  r.set_id(id);
  r.set_etag(etag);
  return r;
}

}  // namespace

absl::StatusOr<v1::Handover> Client::AcceptHandover(const std::string& id,
                                                    const std::string& etag) {
  return connection_->AcceptHandover(Action(id, etag));
}

absl::StatusOr<v1::Handover> Client::DeclineHandover(const std::string& id,
                                                     const std::string& reason,
                                                     const std::string& etag) {
  v1::HandoverActionRequest r = Action(id, etag);
  r.set_reason(reason);
  return connection_->DeclineHandover(r);
}

absl::StatusOr<v1::Handover> Client::IntroduceHandover(const std::string& id,
                                                       const std::string& date,
                                                       const std::string& with,
                                                       const std::string& etag) {
  v1::HandoverActionRequest r = Action(id, etag);
  r.set_date(date);
  r.set_with(with);
  return connection_->IntroduceHandover(r);
}

absl::StatusOr<v1::Handover> Client::CompleteHandover(const std::string& id, v1::Outcome outcome,
                                                      const std::string& text,
                                                      const std::string& etag) {
  v1::HandoverActionRequest r = Action(id, etag);
  r.set_outcome(outcome);
  r.set_text(text);
  return connection_->CompleteHandover(r);
}

absl::StatusOr<v1::Handover> Client::CancelHandover(const std::string& id,
                                                    const std::string& reason,
                                                    const std::string& etag) {
  v1::HandoverActionRequest r = Action(id, etag);
  r.set_reason(reason);
  return connection_->CancelHandover(r);
}

absl::StatusOr<v1::Handover> Client::WithdrawConsent(const std::string& id,
                                                     const std::string& reason,
                                                     const std::string& etag) {
  v1::HandoverActionRequest r = Action(id, etag);
  r.set_reason(reason);
  return connection_->WithdrawConsent(r);
}

absl::StatusOr<v1::Note> Client::AddHandoverNote(const v1::AddHandoverNoteRequest& request) {
  return connection_->AddHandoverNote(request);
}

absl::StatusOr<v1::Handover> Client::ForwardHandover(const std::string& id,
                                                     const std::string& to_team,
                                                     const std::string& etag) {
  v1::ForwardHandoverRequest r;
  r.set_id(id);
  r.set_to_team(to_team);
  r.set_etag(etag);
  return connection_->ForwardHandover(r);
}

// The audit log.

absl::StatusOr<v1::QueryAuditResponse> Client::QueryAudit(const v1::QueryAuditRequest& request) {
  return connection_->QueryAudit(request);
}

absl::StatusOr<std::vector<v1::AuditEntry>> Client::QueryAllAudit(
    const v1::QueryAuditRequest& request) {
  return FollowPages<v1::AuditEntry>(
      request, [this](const v1::QueryAuditRequest& r) { return connection_->QueryAudit(r); },
      [](const v1::QueryAuditResponse& page) -> const auto& { return page.entries(); });
}

absl::StatusOr<v1::VerifyAuditResponse> Client::VerifyAudit(int64_t expect_seq,
                                                            const std::string& expect_hash) {
  v1::VerifyAuditRequest r;
  r.set_expect_seq(expect_seq);
  r.set_expect_hash(expect_hash);
  return connection_->VerifyAudit(r);
}

absl::StatusOr<v1::ListBreakGlassResponse> Client::ListBreakGlass(absl::Time from, absl::Time to) {
  v1::ListBreakGlassRequest r;
  if (absl::Status s = SetTime("from", from, r.mutable_from()); !s.ok()) return s;
  if (absl::Status s = SetTime("to", to, r.mutable_to()); !s.ok()) return s;
  return connection_->ListBreakGlass(r);
}

absl::StatusOr<v1::ResidentAccessReportResponse> Client::ResidentAccessReport(
    const v1::ResidentAccessReportRequest& request) {
  return connection_->ResidentAccessReport(request);
}

absl::StatusOr<std::vector<v1::AuditEntry>> Client::AllResidentAccesses(
    const v1::ResidentAccessReportRequest& request) {
  return FollowPages<v1::AuditEntry>(
      request,
      [this](const v1::ResidentAccessReportRequest& r) {
        return connection_->ResidentAccessReport(r);
      },
      [](const v1::ResidentAccessReportResponse& page) -> const auto& { return page.accesses(); });
}

absl::StatusOr<v1::ListAnomaliesResponse> Client::ListAnomalies(absl::Time from, absl::Time to) {
  v1::ListAnomaliesRequest r;
  if (absl::Status s = SetTime("from", from, r.mutable_from()); !s.ok()) return s;
  if (absl::Status s = SetTime("to", to, r.mutable_to()); !s.ok()) return s;
  return connection_->ListAnomalies(r);
}

// Participation trajectories.

absl::StatusOr<v1::Trajectory> Client::StartTrajectory(const v1::StartTrajectoryRequest& request) {
  return connection_->StartTrajectory(request);
}

absl::StatusOr<v1::Trajectory> Client::GetTrajectory(const std::string& id) {
  v1::GetTrajectoryRequest r;
  r.set_id(id);
  return connection_->GetTrajectory(r);
}

absl::StatusOr<v1::ListCaseloadResponse> Client::ListCaseload(
    const v1::ListCaseloadRequest& request) {
  return connection_->ListCaseload(request);
}

absl::StatusOr<std::vector<v1::Trajectory>> Client::ListAllCaseload(
    const v1::ListCaseloadRequest& request) {
  return FollowPages<v1::Trajectory>(
      request, [this](const v1::ListCaseloadRequest& r) { return connection_->ListCaseload(r); },
      [](const v1::ListCaseloadResponse& page) -> const auto& { return page.trajectories(); });
}

absl::StatusOr<v1::Trajectory> Client::RecordMeasurement(
    const v1::RecordMeasurementRequest& request) {
  return connection_->RecordMeasurement(request);
}

absl::StatusOr<v1::Step> Client::AddStep(const v1::AddStepRequest& request) {
  return connection_->AddStep(request);
}

absl::StatusOr<v1::Step> Client::UpdateStep(const std::string& trajectory_id,
                                            const std::string& step_id, v1::StepStatus status,
                                            const std::string& start_date,
                                            const std::string& end_date) {
  v1::UpdateStepRequest r;
  r.set_trajectory_id(trajectory_id);
  r.set_step_id(step_id);
  r.set_status(status);
  r.set_start_date(start_date);
  r.set_end_date(end_date);
  return connection_->UpdateStep(r);
}

absl::StatusOr<v1::Trajectory> Client::ChangeTrajectoryStatus(const std::string& id,
                                                              v1::TrajectoryStatus status,
                                                              const std::string& reason) {
  v1::ChangeTrajectoryStatusRequest r;
  r.set_id(id);
  r.set_status(status);
  r.set_reason(reason);
  return connection_->ChangeTrajectoryStatus(r);
}

absl::StatusOr<v1::Trajectory> Client::TransferTrajectory(const std::string& id,
                                                          const std::string& to_consultant_id) {
  v1::TransferTrajectoryRequest r;
  r.set_id(id);
  r.set_to_consultant_id(to_consultant_id);
  return connection_->TransferTrajectory(r);
}

absl::StatusOr<v1::TransferCaseloadResponse> Client::TransferCaseload(
    const std::string& from_consultant_id, const std::string& to_consultant_id) {
  v1::TransferCaseloadRequest r;
  r.set_from_consultant_id(from_consultant_id);
  r.set_to_consultant_id(to_consultant_id);
  return connection_->TransferCaseload(r);
}

absl::StatusOr<v1::ListResidentTrajectoriesResponse> Client::ListResidentTrajectories(
    const v1::ListResidentTrajectoriesRequest& request) {
  return connection_->ListResidentTrajectories(request);
}

namespace {

v1::ReportRequest MakeReportRequest(const std::string& period, v1::ReportGrouping by) {
  v1::ReportRequest r;
  r.set_period(period);
  r.set_by(by);
  return r;
}

}  // namespace

absl::StatusOr<v1::Report> Client::SignalReport(const std::string& period, v1::ReportGrouping by) {
  return connection_->SignalReport(MakeReportRequest(period, by));
}

absl::StatusOr<v1::Report> Client::HandoverReport(const std::string& period,
                                                  v1::ReportGrouping by) {
  return connection_->HandoverReport(MakeReportRequest(period, by));
}

absl::StatusOr<v1::Report> Client::ParticipationReport(const std::string& period,
                                                       v1::ReportGrouping by) {
  return connection_->ParticipationReport(MakeReportRequest(period, by));
}

// Residents' rights.

absl::StatusOr<v1::PrivacyExportResponse> Client::PrivacyExport(const std::string& resident_id,
                                                                const std::string& request_ref) {
  v1::PrivacyExportRequest r;
  r.set_resident_id(resident_id);
  r.set_request_ref(request_ref);
  return connection_->PrivacyExport(r);
}

absl::StatusOr<v1::RectifyResponse> Client::Rectify(const v1::RectifyRequest& request) {
  return connection_->Rectify(request);
}

absl::StatusOr<v1::EraseResponse> Client::Erase(const std::string& resident_id,
                                                const std::string& request_ref) {
  v1::EraseRequest r;
  r.set_resident_id(resident_id);
  r.set_request_ref(request_ref);
  return connection_->Erase(r);
}

absl::StatusOr<v1::LegalHoldResponse> Client::Hold(const std::string& resident_id,
                                                   const std::string& request_ref) {
  v1::LegalHoldRequest r;
  r.set_resident_id(resident_id);
  r.set_request_ref(request_ref);
  return connection_->Hold(r);
}

absl::StatusOr<v1::LegalHoldResponse> Client::Release(const std::string& resident_id,
                                                      const std::string& request_ref) {
  v1::LegalHoldRequest r;
  r.set_resident_id(resident_id);
  r.set_request_ref(request_ref);
  return connection_->Release(r);
}

}  // namespace schakel
