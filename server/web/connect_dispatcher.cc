#include "server/web/connect_dispatcher.h"

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <memory>
#include <type_traits>
#include <utility>

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

// One streaming entry: the adapter's transport-neutral form of the method.
template <typename Service, typename Req, typename Resp>
ConnectDispatcher::StreamMethod BindStream(
    Service* service,
    grpc::Status (Service::*fn)(grpc::ServerContext*, const Req&,
                                const std::function<bool(const Resp&)>&)) {
  ConnectDispatcher::StreamMethod m;
  m.request = Req::descriptor();
  m.response = Resp::descriptor();
  m.invoke = [service, fn](grpc::ServerContext* context, const Message& request,
                           const std::function<bool(const Message&)>& write) {
    return (service->*fn)(context, static_cast<const Req&>(request),
                          [&write](const Resp& r) { return write(r); });
  };
  return m;
}

ApiReply Error(const absl::Status& status) {
  return ApiReply{HttpStatusOf(status.code()), "application/json", ErrorBody(status)};
}

ApiReply EndOfStream(Codec codec, const absl::Status& status) {
  ApiReply reply{200, StreamContentTypeOf(codec), EndStreamBody(status)};
  reply.end_of_stream = true;
  return reply;
}

absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

// A request message from its bytes in `codec`; INVALID_ARGUMENT naming the
// rule. `what` names where the bytes were ("body", "the envelope's message").
absl::Status Decode(Codec codec, const std::string& bytes, const std::string& what,
                    Message* request) {
  if (codec == Codec::kJson) {
    // An empty body is the empty message (curl -d '' is a natural call).
    if (bytes.empty()) return absl::OkStatus();
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    if (!google::protobuf::util::JsonStringToMessage(bytes, request, options).ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, ": not a ", request->GetDescriptor()->name(),
          " in the proto3 JSON mapping (unknown field, wrong type or malformed JSON)"));
    }
    return absl::OkStatus();
  }
  if (!request->ParseFromString(bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": not a binary ", request->GetDescriptor()->name()));
  }
  return absl::OkStatus();
}

// A response message in `codec`; false only when JSON cannot print it.
bool Encode(Codec codec, const Message& response, std::string* out) {
  if (codec == Codec::kProto) return response.SerializeToString(out);
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  return google::protobuf::util::MessageToJsonString(response, out, options).ok();
}

}  // namespace

// The table is written out (gRPC gives no public way to call a sync
// service's method by name); Create() checks it against the descriptors of
// every service, and ConnectApiTest calls every method the descriptors
// name, so a method added to a .proto and not here stops the server from
// starting. A server-streaming method is bound to its adapter's
// transport-neutral form (FN), which the gRPC method calls too.
#define SCHAKEL_METHOD(SERVICE, METHOD, MEMBER)                                         \
  d->methods_["/schakel.v1." #SERVICE "/" #METHOD] =                                     \
      Bind(static_cast<v1::SERVICE::Service*>(services.MEMBER.get()),                    \
           &v1::SERVICE::Service::METHOD)
#define SCHAKEL_STREAM(SERVICE, METHOD, MEMBER, FN)                                      \
  d->streams_["/schakel.v1." #SERVICE "/" #METHOD] =                                     \
      BindStream(services.MEMBER.get(), &std::decay_t<decltype(*services.MEMBER)>::FN)

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
  SCHAKEL_METHOD(RoutingService, ListRoutingRules, routing_service);
  SCHAKEL_METHOD(RoutingService, AddRoutingRule, routing_service);
  SCHAKEL_METHOD(RoutingService, MoveRoutingRule, routing_service);
  SCHAKEL_METHOD(RoutingService, RemoveRoutingRule, routing_service);
  SCHAKEL_METHOD(RoutingService, DryRunRoutingRule, routing_service);
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

  SCHAKEL_STREAM(NotificationService, WatchNotifications, notification_service, Watch);

  // Every method of every service the tables name must be in the table of
  // its form (unary, or server-streaming), with the messages the proto
  // declares; a client-streaming method cannot be served at all.
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  std::vector<const google::protobuf::ServiceDescriptor*> seen;
  std::vector<std::string> named;
  for (const auto& entry : d->methods_) named.push_back(entry.first);
  for (const auto& entry : d->streams_) named.push_back(entry.first);
  for (const std::string& path : named) {
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
      std::string path = absl::StrCat("/", service->full_name(), "/", method->name());
      // The messages the table of the method's form declares; nullptr
      // when it is not there (or in the other table).
      auto declared = [&](const auto& table, const auto& other)
          -> std::pair<const google::protobuf::Descriptor*, const google::protobuf::Descriptor*> {
        auto it = table.find(path);
        if (it == table.end() || other.contains(path)) return {nullptr, nullptr};
        return {it->second.request, it->second.response};
      };
      const auto [request, response] = method->server_streaming()
                                           ? declared(d->streams_, d->methods_)
                                           : declared(d->methods_, d->streams_);
      if (method->client_streaming() || request != method->input_type() ||
          response != method->output_type()) {
        return absl::FailedPreconditionError(
            absl::StrCat("the HTTPS port does not serve ", path, " as the proto declares it"));
      }
    }
  }
  return d;
}

#undef SCHAKEL_METHOD
#undef SCHAKEL_STREAM

ApiReply ConnectDispatcher::Invoke(const std::string& path, Codec codec, const std::string& body,
                                   const api::Call& call) const {
  // The streaming form's call is the HTTPS port's own type (the ApiHandler
  // is one signature for both forms).
  if (const auto* stream = dynamic_cast<const StreamCall*>(&call)) {
    return InvokeStream(path, codec, body, *stream);
  }
  auto it = methods_.find(path);
  if (it == methods_.end()) {
    if (streams_.contains(path)) {
      return ApiReply{415, "application/json",
                      ErrorBody(absl::InvalidArgumentError(
                          "Content-Type: a server-streaming method takes "
                          "application/connect+json or application/connect+proto"))};
    }
    return ApiReply{404, "application/json",
                    ErrorBody(absl::UnimplementedError("no such method"))};
  }
  const Method& m = it->second;
  google::protobuf::MessageFactory* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(factory->GetPrototype(m.request)->New());
  std::unique_ptr<Message> response(factory->GetPrototype(m.response)->New());
  if (absl::Status decoded = Decode(codec, body, "body", request.get()); !decoded.ok()) {
    return Error(decoded);
  }
  std::unique_ptr<api::TransportContext> context = api::TransportContextFactory::Make(&call);
  grpc::Status status = m.invoke(context.get(), *request, response.get());
  if (!status.ok()) return Error(FromGrpc(status));
  ApiReply reply;
  reply.content_type = ContentTypeOf(codec);
  if (!Encode(codec, *response, &reply.body)) return Error(absl::InternalError("internal error"));
  return reply;
}

ApiReply ConnectDispatcher::InvokeStream(const std::string& path, Codec codec,
                                         const std::string& body, const StreamCall& call) const {
  auto it = streams_.find(path);
  if (it == streams_.end()) {
    if (methods_.contains(path)) {
      return ApiReply{415, "application/json",
                      ErrorBody(absl::InvalidArgumentError(
                          "Content-Type: a unary method takes application/json or "
                          "application/proto"))};
    }
    return ApiReply{404, "application/json",
                    ErrorBody(absl::UnimplementedError("no such method"))};
  }
  const StreamMethod& m = it->second;
  absl::StatusOr<std::string> message = RequestMessage(body);
  if (!message.ok()) return EndOfStream(codec, message.status());
  google::protobuf::MessageFactory* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(factory->GetPrototype(m.request)->New());
  if (absl::Status decoded = Decode(codec, *message, "the envelope's message", request.get());
      !decoded.ok()) {
    return EndOfStream(codec, decoded);
  }
  std::unique_ptr<api::TransportContext> context = api::TransportContextFactory::Make(&call);
  bool unprintable = false;
  grpc::Status status = m.invoke(context.get(), *request, [&](const Message& response) {
    std::string bytes;
    if (!Encode(codec, response, &bytes)) {
      unprintable = true;
      return false;
    }
    return call.Send(bytes);
  });
  if (unprintable) return EndOfStream(codec, absl::InternalError("internal error"));
  return EndOfStream(codec, FromGrpc(status));
}

}  // namespace schakel::web
