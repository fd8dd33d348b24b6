// The HTTPS port (server/web): the same API as the gRPC port, with the same
// identity, policy and audit, and a browser's safety rules. Every test runs
// a real schakeld on 127.0.0.1 (gRPC and HTTPS on free ports) over a demo
// deployment, and talks to it with a real TLS client (tests/support/https_client.h).
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/generic/generic_stub.h>
#include <openssl/ssl.h>

#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "server/web/connect_protocol.h"
#include "tests/integration/case_fixture.h"
#include "tools/common/https_client.h"

namespace schakel::testing {
namespace {

using ::testing::HasSubstr;
using tools::HttpResponse;
using tools::HttpsClient;
using tools::HttpsOptions;

tools::TlsIdentity Tls(const Identity& id) { return {id.cert_pem, id.key_pem, id.ca_pem}; }
using google::protobuf::Message;

class HttpsPortTest : public CasesTest {
 protected:
  int Port() const { return server_->web_port(); }
  Identity Demo(const std::string& name) const { return LoadIdentity(paths_->UserDir(name)); }
  std::unique_ptr<HttpsClient> Connect(const std::string& name) {
    auto c = HttpsClient::Connect(Port(), Tls(Demo(name)));
    EXPECT_THAT(c, IsOk());
    return c.ok() ? std::move(c).value() : nullptr;
  }
  // The professional a call over HTTPS was made as (WhoAmI).
  std::string WhoOverHttps(HttpsClient& c, const std::map<std::string, std::string>& headers = {}) {
    auto r = c.PostJson("/schakel.v1.DirectoryService/WhoAmI", "{}", headers);
    if (!r.ok() || r->status != 200) return absl::StrCat("HTTP ", r.ok() ? r->status : 0);
    v1::WhoAmIResponse who;
    if (!google::protobuf::util::JsonStringToMessage(r->body, &who).ok()) return "unparsable";
    return who.professional().id();
  }
};

// Every method of every schakel.v1 service, from the descriptors.
std::vector<const google::protobuf::MethodDescriptor*> AllMethods() {
  std::vector<const google::protobuf::MethodDescriptor*> out;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& e : std::filesystem::directory_iterator(
           std::filesystem::path(SCHAKEL_SOURCE_DIR) / "proto" / "schakel" / "v1")) {
    const auto* file = pool->FindFileByName("schakel/v1/" + e.path().filename().string());
    if (file == nullptr) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        // A stream is not a unary call: its own tests open it.
        if (file->service(s)->method(m)->server_streaming()) continue;
        out.push_back(file->service(s)->method(m));
      }
    }
  }
  return out;
}

std::string ConnectPath(const google::protobuf::MethodDescriptor* m) {
  return absl::StrCat("/", m->service()->full_name(), "/", m->name());
}

struct Answer {
  std::string code;  // Connect's name
  std::string message;
  std::string response;  // serialized, when OK
};

// The Connect code and message of an HTTPS answer, or the decoded response.
Answer FromHttps(const HttpResponse& r, const google::protobuf::MethodDescriptor* m, bool json) {
  Answer a;
  google::protobuf::DynamicMessageFactory factory;
  if (r.status == 200) {
    a.code = "ok";
    std::unique_ptr<Message> out(factory.GetPrototype(m->output_type())->New());
    bool parsed = json ? google::protobuf::util::JsonStringToMessage(r.body, out.get()).ok()
                       : out->ParseFromString(r.body);
    EXPECT_TRUE(parsed) << m->full_name();
    out->SerializeToString(&a.response);
    return a;
  }
  google::protobuf::Struct error;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.body, &error).ok()) << r.body;
  a.code = error.fields().at("code").string_value();
  if (error.fields().count("message")) a.message = error.fields().at("message").string_value();
  return a;
}

TEST_F(HttpsPortTest, EveryRpcAnswersAndIsAuditedAsOverGrpc) {
  const auto methods = AllMethods();
  ASSERT_GE(methods.size(), 72u);
  // The regisseur (case data) and the auditor (the audit log) call every
  // method three ways with the same empty request: gRPC, HTTPS JSON, HTTPS proto.
  for (const std::string user : {"regisseur", "auditor"}) {
    auto channel = MakeChannel(server_->address(), Demo(user));
    grpc::GenericStub generic(channel);
    auto https = Connect(user);
    ASSERT_NE(https, nullptr);
    for (const auto* m : methods) {
      // A server stream is not a unary call on either port (a unary call
      // of it would wait for the stream's end): https_stream_test.cc.
      if (m->server_streaming()) continue;
      SCOPED_TRACE(absl::StrCat(user, " ", m->full_name()));
      // gRPC
      grpc::ClientContext ctx;
      ctx.AddMetadata("x-schakel-purpose", "signaalopvolging");
      grpc::CompletionQueue cq;
      grpc::ByteBuffer request, reply;
      grpc::Slice empty("");
      request = grpc::ByteBuffer(&empty, 1);
      auto call = generic.PrepareUnaryCall(&ctx, ConnectPath(m), request, &cq);
      call->StartCall();
      grpc::Status status;
      call->Finish(&reply, &status, reinterpret_cast<void*>(1));
      void* tag;
      bool ok;
      ASSERT_TRUE(cq.Next(&tag, &ok));
      Answer over_grpc;
      over_grpc.code = web::ConnectCodeName(static_cast<absl::StatusCode>(status.error_code()));
      over_grpc.message = status.error_message();
      if (status.ok()) {
        std::vector<grpc::Slice> slices;
        ASSERT_TRUE(reply.Dump(&slices).ok());
        for (const auto& s : slices) over_grpc.response.append(reinterpret_cast<const char*>(s.begin()), s.size());
        // Normalise: parse and serialize as the HTTPS side does.
        google::protobuf::DynamicMessageFactory factory;
        std::unique_ptr<Message> out(factory.GetPrototype(m->output_type())->New());
        ASSERT_TRUE(out->ParseFromString(over_grpc.response));
        out->SerializeToString(&over_grpc.response);
      }
      // HTTPS, JSON and binary.
      auto json = https->PostJson(ConnectPath(m), "{}", {{"x-schakel-purpose", "signaalopvolging"}});
      ASSERT_THAT(json, IsOk());
      auto proto = https->Send("POST", ConnectPath(m),
                               {{"Content-Type", "application/proto"},
                                {"x-schakel-purpose", "signaalopvolging"}},
                               "");
      ASSERT_THAT(proto, IsOk());
      EXPECT_EQ(json->Header("cache-control"), "no-store");
      for (const auto& [over, response, is_json] :
           {std::make_tuple("json", *json, true), std::make_tuple("proto", *proto, false)}) {
        Answer a = FromHttps(response, m, is_json);
        EXPECT_EQ(a.code, over_grpc.code) << over;
        EXPECT_EQ(a.message, over_grpc.message) << over;
        EXPECT_EQ(response.status, web::HttpStatusOf(static_cast<absl::StatusCode>(status.error_code())))
            << over;
        // What the audit service reads grows with every call (each call
        // is audited); everything else read here is the same each time.
        if (status.ok() && m->service()->name() != "AuditService") {
          EXPECT_EQ(a.response, over_grpc.response) << over;
        }
      }
    }
  }
  // The audit log: each method's three calls left the same entries (or none
  // at all, for Ping), apart from the peer and the time.
  auto auditor = v1::AuditService::NewStub(MakeChannel(server_->address(), Demo("auditor")));
  std::map<std::string, std::vector<v1::AuditEntry>> by_action;
  std::string token;
  do {
    Ctx ctx;
    v1::QueryAuditRequest req;
    req.set_page_size(500);
    req.set_page_token(token);
    v1::QueryAuditResponse page;
    ASSERT_TRUE(auditor->QueryAudit(ctx.get(), req, &page).ok());
    for (const auto& e : page.entries()) by_action[e.professional_id() + " " + e.action()].push_back(e);
    token = page.next_page_token();
  } while (!token.empty());
  std::set<std::string> called;
  for (const auto* m : methods) {
    if (!m->server_streaming()) called.insert(absl::StrCat(m->service()->name(), ".", m->name()));
  }
  int compared = 0;
  for (const auto& [key, entries] : by_action) {
    const std::string action = key.substr(key.find(' ') + 1);
    if (called.count(action) == 0) continue;  // init's entries, the query's own
    if (action == "AuditService.QueryAudit") continue;  // the reading above adds its own
    ASSERT_EQ(entries.size() % 3, 0u) << key;
    for (size_t i = 0; i + 2 < entries.size(); i += 3) {
      for (size_t j = i + 1; j < i + 3; ++j) {
        EXPECT_EQ(entries[j].outcome(), entries[i].outcome()) << key;
        EXPECT_EQ(entries[j].reason(), entries[i].reason()) << key;
        EXPECT_EQ(entries[j].purpose(), entries[i].purpose()) << key;
        EXPECT_EQ(entries[j].purpose(), "signaalopvolging") << key;
        EXPECT_EQ(entries[j].roles(), entries[i].roles()) << key;
        EXPECT_EQ(entries[j].certificate(), entries[i].certificate()) << key;
        EXPECT_EQ(entries[j].organisation_id(), entries[i].organisation_id()) << key;
        EXPECT_EQ(entries[j].resource_id(), entries[i].resource_id()) << key;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 2 * 100);
}

TEST_F(HttpsPortTest, TheCertificateIsCheckedAtTheHandshakeAndOnEveryRequest) {
  // No certificate: the handshake (or, with TLS 1.3, the first read) fails.
  Identity none = Demo("regisseur");
  none.cert_pem.clear();
  none.key_pem.clear();
  auto anonymous = HttpsClient::Connect(Port(), Tls(none));
  if (anonymous.ok()) {
    EXPECT_FALSE((*anonymous)->PostJson("/schakel.v1.DirectoryService/WhoAmI", "{}").ok());
  }
  // Another CA's certificate.
  auto other_ca = crypto::CertificateAuthority::Create("other CA", absl::Now(), absl::Hours(24));
  ASSERT_THAT(other_ca, IsOk());
  auto key = crypto::GenerateEcKey();
  crypto::CertificateSpec spec;
  spec.common_name = "intruder";
  spec.not_before = absl::Now() - absl::Hours(1);
  spec.not_after = absl::Now() + absl::Hours(1);
  spec.client_auth = true;
  auto cert = other_ca->Issue(spec, key->get());
  Identity intruder{crypto::CertificateToPem(cert->get()), crypto::PrivateKeyToPem(key->get()),
                    Demo("regisseur").ca_pem};
  auto foreign = HttpsClient::Connect(Port(), Tls(intruder));
  if (foreign.ok()) {
    EXPECT_FALSE((*foreign)->PostJson("/schakel.v1.DirectoryService/WhoAmI", "{}").ok());
  }
  // Expired, of our CA.
  auto ca = crypto::CertificateAuthority::Load(ReadFileOrDie(paths_->ca_cert),
                                               ReadFileOrDie(paths_->ca_key));
  ASSERT_THAT(ca, IsOk());
  spec.not_before = absl::Now() - absl::Hours(48);
  spec.not_after = absl::Now() - absl::Hours(24);
  auto old = ca->Issue(spec, key->get());
  Identity expired{crypto::CertificateToPem(old->get()), crypto::PrivateKeyToPem(key->get()),
                   Demo("regisseur").ca_pem};
  auto late = HttpsClient::Connect(Port(), Tls(expired));
  if (late.ok()) {
    EXPECT_FALSE((*late)->PostJson("/schakel.v1.DirectoryService/WhoAmI", "{}").ok());
  }
  // Of our CA, valid, but never registered: TLS lets it in, the
  // Authenticator does not.
  spec.not_before = absl::Now() - absl::Hours(1);
  spec.not_after = absl::Now() + absl::Hours(1);
  auto unregistered = ca->Issue(spec, key->get());
  auto stranger = HttpsClient::Connect(
      Port(), tools::TlsIdentity{crypto::CertificateToPem(unregistered->get()),
                       crypto::PrivateKeyToPem(key->get()), Demo("regisseur").ca_pem});
  ASSERT_THAT(stranger, IsOk());
  auto r = (*stranger)->PostJson("/schakel.v1.DirectoryService/WhoAmI", "{}");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->status, 401);
  EXPECT_THAT(r->body, HasSubstr("\"code\":\"unauthenticated\""));
}

TEST_F(HttpsPortTest, ARevokedCertificatesKeptAliveConnectionIsRefusedAtItsNextRequest) {
  auto c = Connect("partner-woej");
  ASSERT_NE(c, nullptr);
  auto who = c->PostJson("/schakel.v1.DirectoryService/WhoAmI", "{}");
  ASSERT_THAT(who, IsOk());
  ASSERT_EQ(who->status, 200);
  v1::WhoAmIResponse me;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(who->body, &me).ok());
  // The admin revokes it over gRPC; the same HTTPS connection goes on.
  auto admin = v1::AdminService::NewStub(MakeChannel(server_->address(), Demo("admin")));
  Ctx ctx;
  v1::RevokeCertificateRequest req;
  req.set_serial(me.certificate().serial());
  v1::Certificate revoked;
  ASSERT_TRUE(admin->RevokeCertificate(ctx.get(), req, &revoked).ok());
  auto after = c->PostJson("/schakel.v1.SignalService/ListSignals", "{}");
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->status, 401);
  EXPECT_THAT(after->body, HasSubstr("revoked"));
}

TEST_F(HttpsPortTest, ADisabledProfessionalIsRefusedAtTheNextRequest) {
  auto c = Connect("partner-vidomes");
  ASSERT_NE(c, nullptr);
  const std::string id = WhoOverHttps(*c);
  ASSERT_EQ(id.front(), 'p');
  auto admin = v1::AdminService::NewStub(MakeChannel(server_->address(), Demo("admin")));
  Ctx ctx;
  v1::DisableProfessionalRequest req;
  req.set_professional_id(id);
  v1::Professional out;
  ASSERT_TRUE(admin->DisableProfessional(ctx.get(), req, &out).ok());
  auto r = c->PostJson("/schakel.v1.DirectoryService/WhoAmI", "{}");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->status, 401);
  EXPECT_THAT(r->body, HasSubstr("disabled"));
}

TEST_F(HttpsPortTest, TlsBelowOnePointTwoIsRefused) {
  HttpsOptions old;
  old.max_tls_version = TLS1_1_VERSION;
  EXPECT_FALSE(HttpsClient::Connect(Port(), Tls(Demo("regisseur")), old).ok());
  for (int v : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    HttpsOptions o;
    o.min_tls_version = v;
    o.max_tls_version = v;
    auto c = HttpsClient::Connect(Port(), Tls(Demo("regisseur")), o);
    ASSERT_THAT(c, IsOk()) << v;
    EXPECT_EQ(WhoOverHttps(**c).front(), 'p') << v;
  }
}

TEST_F(HttpsPortTest, NoHeaderCookieOrParameterChangesTheIdentity) {
  auto c = Connect("partner-woej");
  ASSERT_NE(c, nullptr);
  const std::string me = WhoOverHttps(*c);
  ASSERT_EQ(me.front(), 'p');
  const Identity other = Demo("regisseur");
  std::string pem_one_line = other.cert_pem;
  std::replace(pem_one_line.begin(), pem_one_line.end(), '\n', ' ');
  auto regisseur = Connect("regisseur");
  const std::string regisseur_id = WhoOverHttps(*regisseur);
  for (const char* header : {"x-schakel-professional", "x-ssl-client-cert", "x-client-cert",
                             "x-forwarded-client-cert", "ssl-client-cert", "x-schakel-identity",
                             "authorization", "cookie"}) {
    EXPECT_EQ(WhoOverHttps(*c, {{header, header == std::string("cookie")
                                              ? "professional=" + regisseur_id
                                              : pem_one_line}}),
              me)
        << header;
  }
  auto q = c->PostJson("/schakel.v1.DirectoryService/WhoAmI?professional=" + regisseur_id, "{}");
  ASSERT_THAT(q, IsOk());
  EXPECT_THAT(q->body, HasSubstr(me));
  EXPECT_THAT(q->body, ::testing::Not(HasSubstr(regisseur_id)));
}

TEST_F(HttpsPortTest, WhatABrowserPageCouldSendFromElsewhereIsRefused) {
  auto c = Connect("regisseur");
  ASSERT_NE(c, nullptr);
  const std::string path = "/schakel.v1.SignalService/ListSignals";
  auto get = c->Send("GET", path, {}, "");
  ASSERT_THAT(get, IsOk());
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(get->Header("allow"), "POST");
  auto options = c->Send("OPTIONS", path, {{"Origin", "https://evil.example"},
                                           {"Access-Control-Request-Method", "POST"}}, "");
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->status, 405);
  for (const char* type : {"application/x-www-form-urlencoded", "multipart/form-data; boundary=b",
                           "text/plain"}) {
    auto r = c->Send("POST", path, {{"Content-Type", type}}, "a=b");
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(r->status, 415) << type;
  }
  // A cross-origin create runs nothing: no signal, no entry.
  auto created = c->PostJson("/schakel.v1.SignalService/CreateSignal",
                             R"({"requestId":"req-evil-000001","category":"FVW-RATTEN",)"
                             R"("wijk":"prinsenhof","place":"x","description":"y"})",
                             {{"Origin", "https://evil.example"}});
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->status, 403);
  EXPECT_THAT(created->body, HasSubstr("\"code\":\"permission_denied\""));
  auto same = c->PostJson("/schakel.v1.SignalService/CreateSignal",
                          R"({"requestId":"req-evil-000001","category":"FVW-RATTEN",)"
                          R"("wijk":"prinsenhof","place":"x","description":"y"})",
                          {{"Origin", absl::StrCat("https://localhost:", Port())}});
  ASSERT_THAT(same, IsOk());
  EXPECT_EQ(same->status, 200) << same->body;  // the first never ran: this one creates
  auto ip = c->PostJson(path, "{}", {{"Origin", absl::StrCat("https://127.0.0.1:", Port())}});
  EXPECT_EQ(ip->status, 200);
  for (const HttpResponse* r : {&*get, &*options, &*created, &*same, &*ip}) {
    EXPECT_EQ(r->Header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r->Header("referrer-policy"), "no-referrer");
    EXPECT_THAT(r->Header("content-security-policy"), HasSubstr("frame-ancestors 'none'"));
    EXPECT_EQ(r->Header("cache-control"), "no-store");
    for (const auto& [name, value] : r->headers) {
      EXPECT_FALSE(absl::StartsWith(name, "access-control-")) << name;
    }
  }
}

TEST_F(HttpsPortTest, TheConsolesFilesAndNeverAFileOutsideThem) {
  // The demo deployment's web/ directory.
  std::filesystem::create_directories(paths_->dir + "/web/assets");
  WriteFileOrDie(paths_->dir + "/web/index.html", "<!doctype html><title>schakel</title>");
  WriteFileOrDie(paths_->dir + "/web/assets/app-1a2b3c.js", "console.log(1)");
  auto c = Connect("regisseur");
  ASSERT_NE(c, nullptr);
  for (const char* route : {"/", "/signalen/s1234567890abcdef"}) {
    auto r = c->Send("GET", route, {}, "");
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(r->status, 200) << route;
    EXPECT_THAT(r->body, HasSubstr("<title>schakel</title>"));
    EXPECT_EQ(r->Header("cache-control"), "no-store");
    EXPECT_THAT(r->Header("content-security-policy"), HasSubstr("frame-ancestors 'none'"));
  }
  auto js = c->Send("GET", "/assets/app-1a2b3c.js", {}, "");
  EXPECT_EQ(js->status, 200);
  EXPECT_THAT(js->Header("cache-control"), HasSubstr("immutable"));
  EXPECT_EQ(js->Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(c->Send("POST", "/", {{"Content-Type", "text/plain"}}, "x")->status, 405);
  for (const char* path : {"/../schakel.conf", "/%2e%2e/schakel.conf", "/assets/../../schakel.db",
                           "/..%2fschakel.conf"}) {
    auto r = c->Raw(absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    ASSERT_THAT(r, IsOk()) << path;
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_THAT(r->body, ::testing::Not(HasSubstr("kek")));
  }
  auto unknown = c->PostJson("/schakel.v1.Nope/Nope", "{}");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_THAT(unknown->body, HasSubstr("\"code\":\"unimplemented\""));
  EXPECT_THAT(unknown->body, ::testing::Not(HasSubstr("<title>")));
}

TEST_F(HttpsPortTest, EachLimitIsAnsweredWithItsStatus) {
  auto c = Connect("regisseur");
  ASSERT_NE(c, nullptr);
  // Refused from its Content-Length, before the body is sent.
  auto big = c->Raw(
      "POST /schakel.v1.SignalService/ListSignals HTTP/1.1\r\nHost: localhost\r\n"
      "Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n");
  ASSERT_THAT(big, IsOk());
  EXPECT_EQ(big->status, 413);
  EXPECT_THAT(big->body, HasSubstr("resource_exhausted"));
  c = Connect("regisseur");
  auto headers = c->PostJson("/schakel.v1.SignalService/ListSignals", "{}",
                             {{"X-Padding", std::string(20000, 'a')}});
  ASSERT_THAT(headers, IsOk());
  EXPECT_EQ(headers->status, 431);
  c = Connect("regisseur");
  for (const char* bad : {"soon", "12345678901"}) {
    auto r = c->PostJson("/schakel.v1.SignalService/ListSignals", "{}", {{"Connect-Timeout-Ms", bad}});
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_THAT(r->body, HasSubstr("Connect-Timeout-Ms"));
  }
  auto unknown_field = c->PostJson("/schakel.v1.SignalService/ListSignals", R"({"bogus":1})");
  EXPECT_EQ(unknown_field->status, 400);
  EXPECT_THAT(unknown_field->body, HasSubstr("body: not a ListSignalsRequest"));
  auto malformed = c->PostJson("/schakel.v1.SignalService/ListSignals", "{");
  EXPECT_EQ(malformed->status, 400);
  auto binary = c->Send("POST", "/schakel.v1.SignalService/ListSignals",
                        {{"Content-Type", "application/proto"}}, "\xff\xff\xff");
  EXPECT_EQ(binary->status, 400);
  // A bad purpose, as on gRPC.
  auto purpose = c->PostJson("/schakel.v1.SignalService/ListSignals", "{}",
                             {{"x-schakel-purpose", "nieuwsgierigheid"}});
  EXPECT_EQ(purpose->status, 400);
  EXPECT_THAT(purpose->body, HasSubstr("x-schakel-purpose"));
}

TEST_F(HttpsPortTest, IdleConnectionsHoldNoWorker) {
  std::vector<std::unique_ptr<HttpsClient>> idle;
  for (int i = 0; i < 40; ++i) {
    idle.push_back(Connect("regisseur"));
    ASSERT_NE(idle.back(), nullptr);
  }
  // And some that started a request and stopped in its headers.
  for (int i = 0; i < 40; ++i) {
    auto slow = Connect("regisseur");
    ASSERT_THAT(slow->WriteOnly("POST /schakel.v1.SignalService/ListSignals HTTP/1.1\r\nHo"), IsOk());
    idle.push_back(std::move(slow));
  }
  auto c = Connect("partner-woej");
  const absl::Time start = absl::Now();
  EXPECT_EQ(WhoOverHttps(*c).front(), 'p');
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

}  // namespace
}  // namespace schakel::testing

namespace schakel::testing {
namespace {

using tools::HttpsClient;

// A server whose stop checks can be slowed down (ServerOptions'
// stop_check_hook_for_testing): a request then runs long enough for its
// deadline to pass or its client to leave.
class HttpsStopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_ = InitDemoDeployment(tmp_);
    ServerOptions options;
    options.deployment_dir = paths_->dir;
    options.listen = "127.0.0.1:0";
    options.stop_check_hook_for_testing = [this] {
      if (!slow_.load()) return;
      checks_.fetch_add(1);
      absl::SleepFor(absl::Milliseconds(150));
    };
    auto server = Server::Start(options);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(server).value();
  }
  std::unique_ptr<HttpsClient> Connect() {
    auto c = HttpsClient::Connect(server_->web_port(), Tls(LoadIdentity(paths_->UserDir("regisseur"))));
    EXPECT_THAT(c, IsOk());
    return std::move(c).value();
  }
  const std::string kList =
      "POST /schakel.v1.SignalService/ListSignals HTTP/1.1\r\nHost: localhost\r\n"
      "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
  TempDir tmp_;
  std::unique_ptr<deployment::Paths> paths_;
  std::unique_ptr<Server> server_;
  std::atomic<bool> slow_{false};
  std::atomic<int> checks_{0};
};

TEST_F(HttpsStopTest, ConnectTimeoutMsIsTheRequestsDeadline) {
  auto c = Connect();
  slow_ = true;
  auto r = c->PostJson("/schakel.v1.SignalService/ListSignals", "{}", {{"Connect-Timeout-Ms", "100"}});
  slow_ = false;
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->status, 504);
  EXPECT_THAT(r->body, HasSubstr("\"code\":\"deadline_exceeded\""));
  // Without the header the same request completes.
  slow_ = true;
  auto ok = c->PostJson("/schakel.v1.SignalService/ListSignals", "{}");
  slow_ = false;
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->status, 200);
}

TEST_F(HttpsStopTest, AClientThatLeavesStopsItsRequest) {
  // The ListSignals entries in the audit log (a request that ran to its
  // end has one; a request stopped before it began has none).
  auto auditor = v1::AuditService::NewStub(
      MakeChannel(server_->address(), LoadIdentity(paths_->UserDir("auditor"))));
  auto listed = [&] {
    Ctx ctx;
    v1::QueryAuditRequest req;
    req.set_action("SignalService.ListSignals");
    req.set_page_size(100);
    v1::QueryAuditResponse page;
    EXPECT_TRUE(auditor->QueryAudit(ctx.get(), req, &page).ok());
    return page.entries_size();
  };
  const int before = listed();
  auto waiting = Connect();
  slow_ = true;
  ASSERT_THAT(waiting->Raw(kList), IsOk());
  slow_ = false;
  ASSERT_EQ(listed(), before + 1);
  // The same request, its client gone at once: the stop check sees the
  // closed connection and the request ends there.
  auto leaving = Connect();
  checks_ = 0;
  slow_ = true;
  ASSERT_THAT(leaving->WriteOnly(kList), IsOk());
  leaving->Close();
  for (int i = 0; i < 50 && checks_.load() == 0; ++i) absl::SleepFor(absl::Milliseconds(20));
  absl::SleepFor(absl::Milliseconds(600));
  slow_ = false;
  EXPECT_GE(checks_.load(), 1);
  EXPECT_EQ(listed(), before + 1);
}

}  // namespace
}  // namespace schakel::testing
