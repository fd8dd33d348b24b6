#include "server/web/connect_dispatcher.h"

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "server/services.h"

namespace schakel::web {
namespace {

using google::protobuf::Message;
using Method = ConnectDispatcher::Method;

// One entry: the generated service base's method, called on the adapter.
template <typename Base, typename Req, typename Resp>
Method Bind(Base* service, grpc::Status (Base::*fn)(grpc::ServerContext*, const Req*, Resp*)) {
  Method m;
  m.request = Req::descriptor();
  m.response = Resp::descriptor();
  m.invoke = [service, fn](grpc::ServerContext* context, const Message& request,
                           Message* response) {
    return (service->*fn)(context, static_cast<const Req*>(&request),
                          static_cast<Resp*>(response));
  };
  return m;
}

ApiReply Error(const absl::Status& status) {
  return ApiReply{HttpStatusOf(status.code()), "application/json", ErrorBody(status)};
}

}  // namespace

// The table is written out (gRPC gives no public way to call a sync
// service's method by name); Create() checks it against the descriptors of
// every service, and ConnectApiTest calls every method the descriptors
// name, so a method added to a .proto and not here stops the server from
// starting.
#define SCHAKEL_METHOD(SERVICE, METHOD, MEMBER)                                         \
  d->methods_["/schakel.v1." #SERVICE "/" #METHOD] =                                     \
      Bind(static_cast<v1::SERVICE::Service*>(services.MEMBER.get()),                    \
           &v1::SERVICE::Service::METHOD)

absl::StatusOr<std::unique_ptr<ConnectDispatcher>> ConnectDispatcher::Create(
    const Services& services) {
  std::unique_ptr<ConnectDispatcher> d(new ConnectDispatcher());
  SCHAKEL_METHOD(AdminService, AddProfessional, admin_service);
  SCHAKEL_METHOD(AdminService, RequestGrant, admin_service);
  SCHAKEL_METHOD(AdminService, ListGrants, admin_service);
  SCHAKEL_METHOD(AdminService, ApproveGrant, admin_service);
  SCHAKEL_METHOD(AdminService, RefuseGrant, admin_service);
  SCHAKEL_METHOD(AdminService, DisableProfessional, admin_service);
  SCHAKEL_METHOD(AdminService, RevokeCertificate, admin_service);
  SCHAKEL_METHOD(AdminService, RecordBackup, admin_service);
  SCHAKEL_METHOD(AdminService, CreateTeam, admin_service);
  SCHAKEL_METHOD(AdminService, RemoveFromTeam, admin_service);
  SCHAKEL_METHOD(AdminService, SetWorkContact, admin_service);
  SCHAKEL_METHOD(AuditService, QueryAudit, audit_service);
  SCHAKEL_METHOD(AuditService, VerifyAudit, audit_service);
  SCHAKEL_METHOD(AuditService, ListBreakGlass, audit_service);
  SCHAKEL_METHOD(AuditService, ResidentAccessReport, audit_service);
  SCHAKEL_METHOD(AuditService, ListAnomalies, audit_service);
  SCHAKEL_METHOD(AuditService, ListGrants, audit_service);
  SCHAKEL_METHOD(AuditService, ListPrivacyActs, audit_service);
  SCHAKEL_METHOD(DirectoryService, WhoAmI, directory_service);
  SCHAKEL_METHOD(DirectoryService, ListOrganisations, directory_service);
  SCHAKEL_METHOD(DirectoryService, GetOrganisation, directory_service);
  SCHAKEL_METHOD(DirectoryService, ListTeams, directory_service);
  SCHAKEL_METHOD(DirectoryService, ListPeople, directory_service);
  SCHAKEL_METHOD(DirectoryService, Ping, directory_service);
  SCHAKEL_METHOD(DirectoryService, RenewCertificate, directory_service);
  SCHAKEL_METHOD(EnrollmentService, Enroll, enrollment_service);
  SCHAKEL_METHOD(HandoverService, ProposeHandover, handover_service);
  SCHAKEL_METHOD(HandoverService, GetHandover, handover_service);
  SCHAKEL_METHOD(HandoverService, ListInbox, handover_service);
  SCHAKEL_METHOD(HandoverService, ListOutbox, handover_service);
  SCHAKEL_METHOD(HandoverService, AcceptHandover, handover_service);
  SCHAKEL_METHOD(HandoverService, DeclineHandover, handover_service);
  SCHAKEL_METHOD(HandoverService, IntroduceHandover, handover_service);
  SCHAKEL_METHOD(HandoverService, CompleteHandover, handover_service);
  SCHAKEL_METHOD(HandoverService, CancelHandover, handover_service);
  SCHAKEL_METHOD(HandoverService, WithdrawConsent, handover_service);
  SCHAKEL_METHOD(HandoverService, ForwardHandover, handover_service);
  SCHAKEL_METHOD(HandoverService, AddHandoverNote, handover_service);
  SCHAKEL_METHOD(PrivacyService, Export, privacy_service);
  SCHAKEL_METHOD(PrivacyService, Rectify, privacy_service);
  SCHAKEL_METHOD(PrivacyService, Erase, privacy_service);
  SCHAKEL_METHOD(PrivacyService, Hold, privacy_service);
  SCHAKEL_METHOD(PrivacyService, Release, privacy_service);
  SCHAKEL_METHOD(ReferenceService, ListCategories, reference_service);
  SCHAKEL_METHOD(ReferenceService, ListWijken, reference_service);
  SCHAKEL_METHOD(ReferenceService, ListOpgaven, reference_service);
  SCHAKEL_METHOD(ReferenceService, ListVocabularies, reference_service);
  SCHAKEL_METHOD(ReferenceService, ListPurposes, reference_service);
  SCHAKEL_METHOD(ReportService, SignalReport, report_service);
  SCHAKEL_METHOD(ReportService, HandoverReport, report_service);
  SCHAKEL_METHOD(ReportService, ParticipationReport, report_service);
  SCHAKEL_METHOD(ResidentService, RegisterResident, resident_service);
  SCHAKEL_METHOD(ResidentService, GetResident, resident_service);
  SCHAKEL_METHOD(ResidentService, FindResidents, resident_service);
  SCHAKEL_METHOD(ResidentService, ListPossibleDuplicates, resident_service);
  SCHAKEL_METHOD(ResidentService, MergeResidents, resident_service);
  SCHAKEL_METHOD(ResidentService, OpenBreakGlass, resident_service);
  SCHAKEL_METHOD(SignalService, CreateSignal, signal_service);
  SCHAKEL_METHOD(SignalService, GetSignal, signal_service);
  SCHAKEL_METHOD(SignalService, ListSignals, signal_service);
  SCHAKEL_METHOD(SignalService, AssignSignal, signal_service);
  SCHAKEL_METHOD(SignalService, ChangeSignalStatus, signal_service);
  SCHAKEL_METHOD(SignalService, AddSignalNote, signal_service);
  SCHAKEL_METHOD(TrajectoryService, StartTrajectory, trajectory_service);
  SCHAKEL_METHOD(TrajectoryService, GetTrajectory, trajectory_service);
  SCHAKEL_METHOD(TrajectoryService, ListCaseload, trajectory_service);
  SCHAKEL_METHOD(TrajectoryService, RecordMeasurement, trajectory_service);
  SCHAKEL_METHOD(TrajectoryService, AddStep, trajectory_service);
  SCHAKEL_METHOD(TrajectoryService, UpdateStep, trajectory_service);
  SCHAKEL_METHOD(TrajectoryService, ChangeTrajectoryStatus, trajectory_service);
  SCHAKEL_METHOD(TrajectoryService, TransferTrajectory, trajectory_service);
  SCHAKEL_METHOD(TrajectoryService, TransferCaseload, trajectory_service);
  SCHAKEL_METHOD(TrajectoryService, ListResidentTrajectories, trajectory_service);
  SCHAKEL_METHOD(NotificationService, ListNotifications, notification_service);
  SCHAKEL_METHOD(NotificationService, MarkNotificationsRead, notification_service);
  SCHAKEL_METHOD(NotificationService, GetNotificationSettings, notification_service);
  SCHAKEL_METHOD(NotificationService, SetNotificationSettings, notification_service);
  SCHAKEL_METHOD(NotificationService, ListDeadLetters, notification_service);

  // Every method of every service the table names must be in the table,
  // with the messages the proto declares.
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  std::vector<const google::protobuf::ServiceDescriptor*> seen;
  for (const auto& [path, m] : d->methods_) {
    std::string full = path.substr(1);
    full[full.find('/')] = '.';
    const auto* method = pool->FindMethodByName(full);
    if (method == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat("no such method in the proto: ", path));
    }
    if (std::find(seen.begin(), seen.end(), method->service()) == seen.end()) {
      seen.push_back(method->service());
    }
  }
  for (const auto* service : seen) {
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      // TODO(streaming): server-streaming methods get a table of their own.
      if (method->server_streaming()) continue;
      std::string path = absl::StrCat("/", service->full_name(), "/", method->name());
      auto it = d->methods_.find(path);
      if (it == d->methods_.end() || it->second.request != method->input_type() ||
          it->second.response != method->output_type()) {
        return absl::FailedPreconditionError(
            absl::StrCat("the HTTPS port does not serve ", path, " as the proto declares it"));
      }
    }
  }
  return d;
}

#undef SCHAKEL_METHOD

ApiReply ConnectDispatcher::Invoke(const std::string& path, Codec codec, const std::string& body,
                                   const api::Call& call) const {
  auto it = methods_.find(path);
  if (it == methods_.end()) {
    return ApiReply{404, "application/json",
                    ErrorBody(absl::UnimplementedError("no such method"))};
  }
  const Method& m = it->second;
  google::protobuf::MessageFactory* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(factory->GetPrototype(m.request)->New());
  std::unique_ptr<Message> response(factory->GetPrototype(m.response)->New());
  if (codec == Codec::kJson) {
    // An empty body is the empty message (curl -d '' is a natural call).
    if (!body.empty()) {
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      if (!google::protobuf::util::JsonStringToMessage(body, request.get(), options).ok()) {
        return Error(absl::InvalidArgumentError(absl::StrCat(
            "body: not a ", m.request->name(),
            " in the proto3 JSON mapping (unknown field, wrong type or malformed JSON)")));
      }
    }
  } else if (!request->ParseFromString(body)) {
    return Error(absl::InvalidArgumentError(
        absl::StrCat("body: not a binary ", m.request->name())));
  }
  std::unique_ptr<api::TransportContext> context = api::TransportContextFactory::Make(&call);
  grpc::Status status = m.invoke(context.get(), *request, response.get());
  if (!status.ok()) {
    return Error(absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                              status.error_message()));
  }
  ApiReply reply;
  reply.content_type = ContentTypeOf(codec);
  if (codec == Codec::kJson) {
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = false;
    if (!google::protobuf::util::MessageToJsonString(*response, &reply.body, options).ok()) {
      return Error(absl::InternalError("internal error"));
    }
  } else {
    response->SerializeToString(&reply.body);
  }
  return reply;
}

}  // namespace schakel::web
