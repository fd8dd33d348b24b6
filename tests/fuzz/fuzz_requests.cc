// fuzz_requests: arbitrary bytes through the request handling of every RPC.
//
// An input is [caller][rpc][request bytes]: the first byte picks one of the
// demo deployment's professionals (so every role's path is taken), the
// second one of the RPCs, and the rest is parsed as that RPC's request
// proto, as gRPC would. The request then goes through the real service
// adapter, api::Handler (authentication from the caller's real
// certificate, audit trail), the app's policy and validation, the domain
// and the store, on a real SQLCipher database in a temporary deployment.
// Nothing of it may crash, hang or leak.
//
// Built two ways: with libFuzzer (-DSCHAKEL_FUZZ=ON, clang) as
// bin/fuzz_requests; and with the ordinary build as
// tests/fuzz_corpus_replay, which runs every file of tests/fuzz/corpus once
// (a regression test for every input that ever crashed) and writes the
// seed corpus (--write-seeds DIR).
//
// The database grows with every request (each one is audited), which
// would make VerifyAudit ever slower; every kResetEvery inputs the
// deployment's database is put back to its state after init. An input
// whose crash depends on the state left by earlier ones is therefore only
// reproduced together with them (libFuzzer's crash file plus the inputs
// before it).
#include <google/protobuf/stubs/logging.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/security/auth_context.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "schakel/v1/admin.pb.h"
#include "schakel/v1/audit.pb.h"
#include "schakel/v1/directory.pb.h"
#include "schakel/v1/handovers.pb.h"
#include "schakel/v1/privacy.pb.h"
#include "schakel/v1/reports.pb.h"
#include "schakel/v1/residents.pb.h"
#include "schakel/v1/signals.pb.h"
#include "schakel/v1/trajectories.pb.h"
#include "server/audit/audit_log.h"
#include "server/audit/checkpoint.h"
#include "server/common/files.h"
#include "server/crypto/x509.h"
#include "server/deployment/deployment.h"
#include "server/deployment/init.h"
#include "server/store/database.h"
#include "server/store/sqlite_database.h"
#include "server/store/migrations.h"
#include "server/services.h"

// gRPC lets only a few friends set a ServerContext's peer; this is one of
// them, declared in grpcpp/server_context.h and defined in gRPC's own
// interop tests, which are not part of the library we link.
namespace grpc::testing {
class InteropServerContextInspector {
 public:
  static void SetAuthContext(grpc::ServerContext& context,
                             std::shared_ptr<const grpc::AuthContext> auth) {
    context.auth_context_ = std::move(auth);
  }
};
}  // namespace grpc::testing

namespace schakel::fuzz {
namespace {

constexpr int kResetEvery = 2000;

// An iterator over no properties (its constructor is protected).
struct NoProperties : grpc::AuthPropertyIterator {
  NoProperties() : grpc::AuthPropertyIterator() {}
};

// The TLS peer as gRPC reports it after a verified handshake: only the
// certificate property is read (api::Handler).
class PeerAuthContext final : public grpc::AuthContext {
 public:
  explicit PeerAuthContext(std::string pem) : pem_(std::move(pem)) {}
  bool IsPeerAuthenticated() const override { return true; }
  std::vector<grpc::string_ref> GetPeerIdentity() const override { return {}; }
  std::string GetPeerIdentityPropertyName() const override { return ""; }
  std::vector<grpc::string_ref> FindPropertyValues(const std::string& name) const override {
    if (name != "x509_pem_cert") return {};
    return {grpc::string_ref(pem_)};
  }
  grpc::AuthPropertyIterator begin() const override { return NoProperties(); }
  grpc::AuthPropertyIterator end() const override { return NoProperties(); }
  void AddProperty(const std::string&, const grpc::string_ref&) override {}
  bool SetPeerIdentityPropertyName(const std::string&) override { return false; }

 private:
  std::string pem_;
};

// Ids a fuzzer can find: "<prefix>n" and the counter in 15 base32 digits,
// the format the server checks ids against (domain/ids.h); compare
// instrumentation sees them in the store's queries.
class CountingIds final : public IdGenerator {
 public:
  std::string NewId(const std::string& prefix) override {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    std::string digits(15, 'a');
    int64_t n = ++n_;
    for (int i = 14; i >= 0 && n > 0; --i, n /= 32) digits[i] = kAlphabet[n % 32];
    return absl::StrCat(prefix, "n", digits);
  }

 private:
  int64_t n_ = 0;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "fuzz_requests: %s\n", what.c_str());
  std::abort();
}

template <typename T>
T Must(absl::StatusOr<T> v, const char* what) {
  if (!v.ok()) Die(absl::StrCat(what, ": ", v.status().ToString()));
  return *std::move(v);
}

// Everything server.cc wires, minus gRPC's transport.
struct World {
  std::string dir;       // the live deployment
  std::string pristine;  // its database right after init
  std::unique_ptr<deployment::Paths> paths;
  std::string db_key;
  std::string public_pem;
  std::string signing_pem;
  std::vector<std::string> caller_pems;
  FakeClock clock{absl::FromUnixSeconds(1795424400)};
  CountingIds ids;
  std::unique_ptr<crypto::CertificateAuthority> ca;

  std::unique_ptr<store::Database> db;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<Services> services;
  int served = 0;

  World() {
    // A RAM disk when there is one: every request commits durably.
    const char* base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
    char tmpl[256];
    std::snprintf(tmpl, sizeof(tmpl), "%s/schakel-fuzz-XXXXXX", base);
    if (::mkdtemp(tmpl) == nullptr) Die("cannot make a temporary directory");
    root_ = tmpl;
    dir = root_ + "/deployment";
    deployment::InitOptions init;
    init.dir = dir;
    init.demo = true;
    RandomIdGenerator random;
    absl::Status s = deployment::InitDeployment(init, clock, random);
    if (!s.ok()) Die(absl::StrCat("init: ", s.ToString()));
    paths = std::make_unique<deployment::Paths>(dir);
    auto config = Must(deployment::LoadConfig(*paths), "config");
    std::string kek = Must(deployment::ReadKek(*paths, config.kek(), std::nullopt), "kek");
    db_key = Must(deployment::UnwrapKeyFile(paths->wrapped_key, kek), "key");
    // The audit signing key is made at the first server start.
    if (!PathExists(paths->audit_signing_key)) {
      s = deployment::CreateAuditSigningKey(*paths);
      if (!s.ok()) Die(absl::StrCat("signing key: ", s.ToString()));
    }
    signing_pem = Must(ReadFile(paths->audit_signing_key), "signing key");
    public_pem = Must(ReadFile(paths->audit_public_key), "public key");
    ca = std::make_unique<crypto::CertificateAuthority>(Must(
        crypto::CertificateAuthority::Load(Must(ReadFile(paths->ca_cert), "ca"),
                                           Must(ReadFile(paths->ca_key), "ca key")),
        "ca load"));
    for (const deployment::DemoUser& u : deployment::DemoUsers()) {
      caller_pems.push_back(Must(ReadFile(paths->UserDir(u.name) + "/cert.pem"), "cert"));
    }
    pristine = root_ + "/pristine.db";
    std::filesystem::copy_file(paths->database, pristine);
    Open();
  }

  ~World() {
    Close();
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  void Open() {
    db = Must(store::SqliteDatabase::Open(paths->database, db_key, /*create=*/false), "open");
    absl::Status s = store::ApplyMigrations(*db);
    if (!s.ok()) Die(absl::StrCat("migrations: ", s.ToString()));
    audit::AuditLogOptions audit_options;
    audit_options.checkpoint_path = paths->audit_checkpoints;
    audit = std::make_unique<audit::AuditLog>(
        db.get(), &clock, Must(audit::CheckpointSigner::Load(signing_pem), "signer"),
        audit_options);
    ServiceDeps deps;
    deps.db = db.get();
    deps.audit = audit.get();
    deps.ca = ca.get();
    deps.clock = &clock;
    deps.ids = &ids;
    deps.audit_checkpoints = paths->audit_checkpoints;
    deps.audit_public_pem = public_pem;
    services = std::make_unique<Services>(deps);
  }

  void Close() {
    services.reset();
    audit.reset();
    db.reset();
  }

  // Back to the database right after init.
  void Reset() {
    Close();
    for (const char* suffix : {"-wal", "-shm"}) {
      std::error_code ec;
      std::filesystem::remove(paths->database + suffix, ec);
    }
    std::filesystem::copy_file(pristine, paths->database,
                               std::filesystem::copy_options::overwrite_existing);
    std::error_code ec;
    std::filesystem::remove(paths->audit_checkpoints, ec);
    Open();
  }

 private:
  std::string root_;
};

World* the_world = nullptr;

World& TheWorld() {
  if (the_world == nullptr) {
    // protobuf logs one line per invalid-UTF-8 string it refuses: expected
    // here millions of times, and nothing to learn from.
    google::protobuf::SetLogHandler(nullptr);
    the_world = new World();
    // libFuzzer ends with exit(): take the temporary deployment along.
    std::atexit([] { delete the_world; });
  }
  return *the_world;
}

using Runner = void (*)(World&, grpc::ServerContext&, const uint8_t*, size_t);

// Parses the bytes as `Req` and calls `method` on `service`, as gRPC's
// unary handler does (a request that does not parse never reaches it).
template <typename Service, typename Req, typename Resp>
void Call(Service& service,
          grpc::Status (Service::*method)(grpc::ServerContext*, const Req*, Resp*),
          grpc::ServerContext& context, const uint8_t* data, size_t size) {
  Req request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  Resp response;
  grpc::Status status = (service.*method)(&context, &request, &response);
  // A bug answers INTERNAL; a fuzzer should hear about it.
  if (status.error_code() == grpc::StatusCode::INTERNAL ||
      status.error_code() == grpc::StatusCode::UNKNOWN) {
    Die(absl::StrCat("INTERNAL from a request: ", status.error_message()));
  }
  std::string out;
  response.SerializeToString(&out);
}

#define RPC(member, Class, Method)                                                   \
  {#Class "." #Method, [](World& w, grpc::ServerContext& c, const uint8_t* d, size_t n) { \
     Call(*w.services->member, &api::Class::Method, c, d, n);                                  \
   }}

struct Rpc {
  const char* name;
  Runner run;
};

const std::vector<Rpc>& Rpcs() {
  static const auto* rpcs = new std::vector<Rpc>{
      RPC(directory_service, DirectoryService, WhoAmI),
      RPC(directory_service, DirectoryService, ListOrganisations),
      RPC(directory_service, DirectoryService, GetOrganisation),
      RPC(admin_service, AdminService, AddProfessional),
      RPC(admin_service, AdminService, DisableProfessional),
      RPC(admin_service, AdminService, RevokeCertificate),
      RPC(admin_service, AdminService, RecordBackup),
      RPC(resident_service, ResidentService, RegisterResident),
      RPC(resident_service, ResidentService, GetResident),
      RPC(resident_service, ResidentService, FindResidents),
      RPC(resident_service, ResidentService, ListPossibleDuplicates),
      RPC(resident_service, ResidentService, MergeResidents),
      RPC(resident_service, ResidentService, OpenBreakGlass),
      RPC(signal_service, SignalService, CreateSignal),
      RPC(signal_service, SignalService, GetSignal),
      RPC(signal_service, SignalService, ListSignals),
      RPC(signal_service, SignalService, AssignSignal),
      RPC(signal_service, SignalService, ChangeSignalStatus),
      RPC(signal_service, SignalService, AddSignalNote),
      RPC(handover_service, HandoverService, ProposeHandover),
      RPC(handover_service, HandoverService, GetHandover),
      RPC(handover_service, HandoverService, ListInbox),
      RPC(handover_service, HandoverService, ListOutbox),
      RPC(handover_service, HandoverService, AcceptHandover),
      RPC(handover_service, HandoverService, DeclineHandover),
      RPC(handover_service, HandoverService, IntroduceHandover),
      RPC(handover_service, HandoverService, CompleteHandover),
      RPC(handover_service, HandoverService, CancelHandover),
      RPC(handover_service, HandoverService, WithdrawConsent),
      RPC(handover_service, HandoverService, AddHandoverNote),
      RPC(trajectory_service, TrajectoryService, StartTrajectory),
      RPC(trajectory_service, TrajectoryService, GetTrajectory),
      RPC(trajectory_service, TrajectoryService, ListCaseload),
      RPC(trajectory_service, TrajectoryService, RecordMeasurement),
      RPC(trajectory_service, TrajectoryService, AddStep),
      RPC(trajectory_service, TrajectoryService, UpdateStep),
      RPC(trajectory_service, TrajectoryService, ChangeTrajectoryStatus),
      RPC(trajectory_service, TrajectoryService, TransferTrajectory),
      RPC(trajectory_service, TrajectoryService, TransferCaseload),
      RPC(audit_service, AuditService, QueryAudit),
      RPC(audit_service, AuditService, VerifyAudit),
      RPC(audit_service, AuditService, ListBreakGlass),
      RPC(audit_service, AuditService, ResidentAccessReport),
      RPC(audit_service, AuditService, ListAnomalies),
      RPC(report_service, ReportService, SignalReport),
      RPC(report_service, ReportService, HandoverReport),
      RPC(report_service, ReportService, ParticipationReport),
      RPC(privacy_service, PrivacyService, Export),
      RPC(privacy_service, PrivacyService, Rectify),
      RPC(privacy_service, PrivacyService, Erase),
      RPC(privacy_service, PrivacyService, Hold),
      RPC(privacy_service, PrivacyService, Release),
      // New RPCs go last: an input's second byte picks by position, and
      // the corpus must keep meaning what it meant.
      RPC(trajectory_service, TrajectoryService, ListResidentTrajectories),
      RPC(admin_service, AdminService, RequestGrant),
      RPC(admin_service, AdminService, ListGrants),
      RPC(admin_service, AdminService, ApproveGrant),
      RPC(admin_service, AdminService, RefuseGrant),
      RPC(admin_service, AdminService, CreateTeam),
      RPC(admin_service, AdminService, RemoveFromTeam),
      RPC(admin_service, AdminService, SetWorkContact),
      RPC(audit_service, AuditService, ListGrants),
      RPC(audit_service, AuditService, ListPrivacyActs),
      RPC(directory_service, DirectoryService, ListTeams),
      RPC(directory_service, DirectoryService, ListPeople),
      RPC(directory_service, DirectoryService, Ping),
      RPC(directory_service, DirectoryService, RenewCertificate),
      RPC(enrollment_service, EnrollmentService, Enroll),
      RPC(handover_service, HandoverService, ForwardHandover),
      RPC(notification_service, NotificationService, ListNotifications),
      RPC(notification_service, NotificationService, MarkNotificationsRead),
      RPC(notification_service, NotificationService, GetNotificationSettings),
      RPC(notification_service, NotificationService, SetNotificationSettings),
      RPC(notification_service, NotificationService, ListDeadLetters),
      RPC(reference_service, ReferenceService, ListCategories),
      RPC(reference_service, ReferenceService, ListWijken),
      RPC(reference_service, ReferenceService, ListOpgaven),
      RPC(reference_service, ReferenceService, ListVocabularies),
      RPC(reference_service, ReferenceService, ListPurposes),
      RPC(routing_service, RoutingService, ListRoutingRules),
      RPC(routing_service, RoutingService, AddRoutingRule),
      RPC(routing_service, RoutingService, MoveRoutingRule),
      RPC(routing_service, RoutingService, RemoveRoutingRule),
      RPC(routing_service, RoutingService, DryRunRoutingRule),
  };
  return *rpcs;
}

}  // namespace

int RunOne(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  World& world = TheWorld();
  if (++world.served % kResetEvery == 0) world.Reset();
  const std::string& pem = world.caller_pems[data[0] % world.caller_pems.size()];
  const Rpc& rpc = Rpcs()[data[1] % Rpcs().size()];
  grpc::ServerContext context;
  grpc::testing::InteropServerContextInspector::SetAuthContext(
      context, std::make_shared<PeerAuthContext>(pem));
  rpc.run(world, context, data + 2, size - 2);
  return 0;
}

int RpcCount() { return static_cast<int>(Rpcs().size()); }
const char* RpcName(int i) { return Rpcs()[i].name; }

}  // namespace schakel::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return schakel::fuzz::RunOne(data, size);
}
