// Server streams on the HTTPS port (Connect's streaming form, server/web):
// NotificationService.WatchNotifications as the web console and HTTP
// integrations keep it open. Every test runs a real schakeld on 127.0.0.1
// over a demo deployment and reads the stream with a real TLS client that
// writes the request's envelope and reads the chunked answer as it comes.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/notifications.pb.h"
#include "server/web/connect_protocol.h"
#include "tests/integration/case_fixture.h"

namespace schakel::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using ::testing::HasSubstr;

constexpr char kWatch[] = "/schakel.v1.NotificationService/WatchNotifications";

struct Envelope {
  uint8_t flags = 0;
  std::string payload;
};

// One HTTPS request and its answer read as it arrives: the envelopes of a
// stream one by one, each within a time limit.
class StreamClient {
 public:
  static std::unique_ptr<StreamClient> Open(int port, const Identity& id, const std::string& body,
                                            const std::map<std::string, std::string>& headers,
                                            const std::string& path = kWatch) {
    auto c = std::unique_ptr<StreamClient>(new StreamClient(id));
    beast::get_lowest_layer(c->stream_).connect(
        net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)));
    c->stream_.handshake(ssl::stream_base::client);
    c->Request(path, headers, body);
    return c;
  }

  // Another request on the same (kept-alive) connection, once the answer
  // before it was read whole.
  void Request(const std::string& path, const std::map<std::string, std::string>& headers,
               const std::string& body) {
    http::request<http::string_body> req{http::verb::post, path, 11};
    req.set(http::field::host, "localhost");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    http::write(stream_, req);
    parser_.emplace();
    // Not boost::none: Boost 1.74 compares a Content-Length with an empty
    // limit as exceeded.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    pending_.clear();
  }

  // The answer's head, waiting at most `timeout` for it (a stream sends it
  // with its first envelope).
  bool WaitForHead(absl::Duration timeout) {
    const absl::Time until = absl::Now() + timeout;
    while (!parser_->is_header_done()) {
      if (!Pump(until)) return false;
    }
    return true;
  }
  int status() { return parser_->get().result_int(); }
  std::string Header(http::field f) { return std::string(parser_->get()[f]); }

  // The next envelope, or nullopt when none came within `timeout` (or the
  // connection ended).
  std::optional<Envelope> Next(absl::Duration timeout) {
    const absl::Time until = absl::Now() + timeout;
    for (;;) {
      if (pending_.size() >= web::kEnvelopeHeaderBytes) {
        uint32_t n = 0;
        for (int i = 1; i < 5; ++i) n = (n << 8) | static_cast<uint8_t>(pending_[i]);
        if (pending_.size() >= web::kEnvelopeHeaderBytes + n) {
          Envelope e{static_cast<uint8_t>(pending_[0]), pending_.substr(5, n)};
          pending_.erase(0, 5 + n);
          return e;
        }
      }
      if (!Pump(until)) return std::nullopt;
    }
  }

  // Reads envelopes until the end of the stream; its JSON, or nullopt.
  std::optional<std::string> End(absl::Duration timeout, std::vector<Envelope>* messages = nullptr) {
    const absl::Time until = absl::Now() + timeout;
    for (;;) {
      std::optional<Envelope> e = Next(until - absl::Now());
      if (!e) return std::nullopt;
      if (e->flags == web::kEnvelopeEndStream) return e->payload;
      if (messages) messages->push_back(*e);
    }
  }

  bool message_complete() const { return parser_->is_done(); }
  bool closed() const { return closed_; }

  // Goes away without a word (a closed tab).
  void Drop() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
  }

 private:
  explicit StreamClient(const Identity& id) : tls_(Tls(id)), stream_(ioc_, tls_) {}
  static ssl::context Tls(const Identity& id) {
    ssl::context tls(ssl::context::tls_client);
    tls.use_certificate_chain(net::buffer(id.cert_pem));
    tls.use_private_key(net::buffer(id.key_pem), ssl::context::pem);
    tls.add_certificate_authority(net::buffer(id.ca_pem));
    tls.set_verify_mode(ssl::verify_peer);
    return tls;
  }

  // Runs the one outstanding read until it completes or `until`.
  bool Pump(absl::Time until) {
    if (closed_) return false;
    if (!reading_) {
      reading_ = true;
      http::async_read_some(stream_, buffer_, *parser_, [this](beast::error_code ec, size_t) {
        reading_ = false;
        if (ec) closed_ = true;
        std::string& body = parser_->get().body();
        pending_ += body;
        body.clear();
      });
    }
    const absl::Duration left = until - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    ioc_.restart();
    ioc_.run_one_for(absl::ToChronoMilliseconds(left));
    return !closed_ || !pending_.empty();
  }

  net::io_context ioc_;
  ssl::context tls_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  std::string pending_;
  bool reading_ = false;
  bool closed_ = false;
};

std::map<std::string, std::string> StreamHeaders(const std::string& type, int timeout_ms) {
  std::map<std::string, std::string> h = {{"Content-Type", type}};
  if (timeout_ms > 0) h["Connect-Timeout-Ms"] = absl::StrCat(timeout_ms);
  return h;
}

std::string JsonRequest(const std::string& json = "{}") { return web::Envelope(0, json); }

// The code of an end-of-stream's error ("" for {}).
std::string EndCode(const std::string& end_json, std::string* message = nullptr) {
  google::protobuf::Struct end;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(end_json, &end).ok()) << end_json;
  if (!end.fields().count("error")) return "";
  const auto& error = end.fields().at("error").struct_value().fields();
  if (message && error.count("message")) *message = error.at("message").string_value();
  return error.at("code").string_value();
}

class HttpsStreamTest : public CasesTest {
 protected:
  Identity Demo(const std::string& name) const { return LoadIdentity(paths_->UserDir(name)); }
  std::unique_ptr<StreamClient> Watch(const std::string& who, const std::string& type,
                                      const std::string& body, int timeout_ms = 20000,
                                      std::map<std::string, std::string> extra = {}) {
    auto headers = StreamHeaders(type, timeout_ms);
    headers.insert(extra.begin(), extra.end());
    return StreamClient::Open(server_->web_port(), Demo(who), body, headers);
  }
  std::string Resident(As& who) { return Register(who, absl::StrCat("Inwoner ", Rid("s"))); }

  // Reads messages until one about `handover`; the time it arrived.
  std::optional<absl::Time> AwaitProposal(StreamClient& c, const std::string& handover, bool json,
                                          absl::Duration timeout) {
    const absl::Time until = absl::Now() + timeout;
    for (;;) {
      std::optional<Envelope> e = c.Next(until - absl::Now());
      if (!e) return std::nullopt;
      const absl::Time at = absl::Now();
      EXPECT_EQ(e->flags, 0) << e->payload;
      if (e->flags != 0) return std::nullopt;
      v1::Notification n;
      const bool parsed = json ? google::protobuf::util::JsonStringToMessage(e->payload, &n).ok()
                               : n.ParseFromString(e->payload);
      EXPECT_TRUE(parsed) << e->payload;
      if (n.resource_id() == handover) {
        EXPECT_EQ(n.kind(), v1::HANDOVER_PROPOSED);
        EXPECT_EQ(n.resource_type(), "handover");
        return at;
      }
    }
  }
};

TEST_F(HttpsStreamTest, AProposalArrivesOnTheStreamWithinASecondInJsonAndBinary) {
  auto json = Watch("partner-woej", "application/connect+json", JsonRequest());
  v1::WatchNotificationsRequest binary_request;
  auto binary = Watch("partner-woej", "application/connect+proto",
                      web::Envelope(0, binary_request.SerializeAsString()));
  // The streams are open once the server has recorded them.
  absl::SleepFor(absl::Milliseconds(300));
  As brug = Who("brugfunctionaris");
  const std::string resident = Resident(brug);
  v1::Handover h = Propose(brug, resident, "woej");
  const absl::Time committed = absl::Now();
  for (auto [client, is_json] : {std::make_pair(json.get(), true), std::make_pair(binary.get(), false)}) {
    SCOPED_TRACE(is_json ? "json" : "binary");
    std::optional<absl::Time> at = AwaitProposal(*client, h.id(), is_json, absl::Seconds(5));
    ASSERT_TRUE(at.has_value());
    std::printf("HTTPS stream (%s): HANDOVER_PROPOSED %s %.1f ms after its commit\n",
                is_json ? "json" : "binary", h.id().c_str(),
                absl::ToDoubleMilliseconds(*at - committed));
    EXPECT_LT(*at - committed, absl::Seconds(1));
    EXPECT_EQ(client->status(), 200);
    EXPECT_EQ(client->Header(http::field::content_type),
              is_json ? "application/connect+json" : "application/connect+proto");
    EXPECT_EQ(client->Header(http::field::cache_control), "no-store");
    EXPECT_EQ(client->Header(http::field::transfer_encoding), "chunked");
  }
}

TEST_F(HttpsStreamTest, TheStreamEndsWithAnEmptyEndAtTheClientsDeadline) {
  auto c = Watch("partner-woej", "application/connect+json", JsonRequest(), /*timeout_ms=*/1000);
  absl::SleepFor(absl::Milliseconds(1300));
  // Past the deadline nothing more is sent: the next notification ends it.
  As brug = Who("brugfunctionaris");
  v1::Handover late = Propose(brug, Resident(brug), "woej");
  std::vector<Envelope> messages;
  std::optional<std::string> end = c->End(absl::Seconds(5), &messages);
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(*end, "{}");
  EXPECT_EQ(c->status(), 200);
  for (const Envelope& e : messages) EXPECT_THAT(e.payload, ::testing::Not(HasSubstr(late.id())));
  // The answer is complete (the last chunk came), and the connection
  // serves the next request.
  c->Next(absl::Milliseconds(200));
  EXPECT_TRUE(c->message_complete());
  c->Request("/schakel.v1.DirectoryService/WhoAmI", {{"Content-Type", "application/json"}}, "{}");
  ASSERT_TRUE(c->WaitForHead(absl::Seconds(5)));
  EXPECT_EQ(c->status(), 200);
}

TEST_F(HttpsStreamTest, ADisabledProfessionalGetsAnUnauthenticatedEnd) {
  auto admin = v1::AdminService::NewStub(MakeChannel(server_->address(), Demo("admin")));
  Ctx ctx;
  v1::DisableProfessionalRequest req;
  auto who = v1::DirectoryService::NewStub(MakeChannel(server_->address(), Demo("partner-vidomes")));
  v1::WhoAmIResponse me;
  {
    Ctx c;
    ASSERT_TRUE(who->WhoAmI(c.get(), v1::WhoAmIRequest(), &me).ok());
  }
  req.set_professional_id(me.professional().id());
  v1::Professional out;
  ASSERT_TRUE(admin->DisableProfessional(ctx.get(), req, &out).ok());
  auto c = Watch("partner-vidomes", "application/connect+json", JsonRequest());
  std::vector<Envelope> messages;
  std::optional<std::string> end = c->End(absl::Seconds(5), &messages);
  ASSERT_TRUE(end.has_value());
  // An error before any message: still 200, the end-of-stream envelope only.
  EXPECT_EQ(c->status(), 200);
  EXPECT_EQ(c->Header(http::field::content_type), "application/connect+json");
  EXPECT_TRUE(messages.empty());
  std::string message;
  EXPECT_EQ(EndCode(*end, &message), "unauthenticated");
  EXPECT_THAT(message, HasSubstr("disabled"));
}

TEST_F(HttpsStreamTest, AMalformedEnvelopeIsInvalidArgumentNamingTheRule) {
  const std::string json = "{}";
  std::string compressed = web::Envelope(0, json);
  compressed[0] = static_cast<char>(web::kEnvelopeCompressed);
  std::string end_flag = web::Envelope(web::kEnvelopeEndStream, json);
  std::string longer = web::Envelope(0, json) + "x";
  std::string shorter = web::Envelope(0, json).substr(0, 6);
  struct Case {
    std::string body, type, says;
  };
  for (const Case& k : std::vector<Case>{
           {compressed, "application/connect+json", "compressed"},
           {end_flag, "application/connect+json", "flag 0"},
           {longer, "application/connect+json", "says 2 bytes and carries 3"},
           {shorter, "application/connect+json", "says 2 bytes and carries 1"},
           {"{}", "application/connect+json", "one envelope"},
           {"", "application/connect+json", "one envelope"},
           {web::Envelope(0, "{\"afterSeq\":\"x\"}"), "application/connect+json", "WatchNotificationsRequest"},
           {web::Envelope(0, "\xff\xff\xff"), "application/connect+proto", "binary WatchNotificationsRequest"},
       }) {
    SCOPED_TRACE(k.says);
    auto c = Watch("partner-woej", k.type, k.body);
    std::optional<std::string> end = c->End(absl::Seconds(5));
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(c->status(), 200);
    std::string message;
    EXPECT_EQ(EndCode(*end, &message), "invalid_argument");
    EXPECT_THAT(message, HasSubstr(k.says));
  }
  // A negative after_seq reaches the adapter, which names the field.
  auto c = Watch("partner-woej", "application/connect+json", JsonRequest("{\"afterSeq\":\"-1\"}"));
  std::optional<std::string> end = c->End(absl::Seconds(5));
  ASSERT_TRUE(end.has_value());
  std::string message;
  EXPECT_EQ(EndCode(*end, &message), "invalid_argument");
  EXPECT_THAT(message, HasSubstr("after_seq"));
}

TEST_F(HttpsStreamTest, TheBrowserRulesOfUnaryCallsApplyAndEachFormToItsOwnMethods) {
  const Identity woej = Demo("partner-woej");
  const int port = server_->web_port();
  auto plain = [&](const std::string& path, std::map<std::string, std::string> headers,
                   const std::string& body) {
    auto c = StreamClient::Open(port, woej, body, headers, path);
    EXPECT_TRUE(c->WaitForHead(absl::Seconds(5)));
    return c;
  };
  // Another site's page: refused before anything runs, no CORS header.
  auto evil = plain(kWatch, {{"Content-Type", "application/connect+json"},
                             {"Origin", "https://evil.example"}}, JsonRequest());
  EXPECT_EQ(evil->status(), 403);
  EXPECT_EQ(evil->Header(http::field::access_control_allow_origin), "");
  EXPECT_EQ(evil->Header(http::field::cache_control), "no-store");
  // The console's own origin streams; no Origin (curl, an integration) too.
  for (const std::string& origin : {absl::StrCat("https://localhost:", port), std::string()}) {
    std::map<std::string, std::string> h = {{"Content-Type", "application/connect+json"},
                                            {"Connect-Timeout-Ms", "500"}};
    if (!origin.empty()) h["Origin"] = origin;
    auto ok = StreamClient::Open(port, woej, JsonRequest(), h);
    // The deadline passes with nothing to send; a notification ends it.
    absl::SleepFor(absl::Milliseconds(700));
    As brug = Who("brugfunctionaris");
    Propose(brug, Resident(brug), "woej");
    std::optional<std::string> end = ok->End(absl::Seconds(5));
    ASSERT_TRUE(end.has_value()) << origin;
    EXPECT_EQ(ok->status(), 200);
    EXPECT_EQ(*end, "{}");
  }
  // A form's or a page's content type, and compression, are refused as for unary calls.
  auto form = plain(kWatch, {{"Content-Type", "text/plain"}}, JsonRequest());
  EXPECT_EQ(form->status(), 415);
  auto gzip = plain(kWatch, {{"Content-Type", "application/connect+json"},
                             {"Connect-Content-Encoding", "gzip"}}, JsonRequest());
  EXPECT_EQ(gzip->status(), 415);
  // The streaming method in the unary form, a unary one in the streaming form: 415.
  auto unary_form = plain(kWatch, {{"Content-Type", "application/json"}}, "{}");
  EXPECT_EQ(unary_form->status(), 415);
  auto stream_form = plain("/schakel.v1.DirectoryService/WhoAmI",
                           {{"Content-Type", "application/connect+json"}}, JsonRequest());
  EXPECT_EQ(stream_form->status(), 415);
  auto unknown = plain("/schakel.v1.NotificationService/WatchEverything",
                       {{"Content-Type", "application/connect+json"}}, JsonRequest());
  EXPECT_EQ(unknown->status(), 404);
}

TEST_F(HttpsStreamTest, StreamsBeyondTheBoundAreRefusedAndALeavingClientFreesItsSlot) {
  // schakeld's HTTPS port has 32 workers: 16 streams at most.
  constexpr int kBound = 16;
  std::vector<std::unique_ptr<StreamClient>> open;
  // Half of them partner-woej's, half partner-vidomes' (a professional holds
  // 8 at most, on either port: NotificationApp::kMaxWatchesPerProfessional).
  for (int i = 0; i < kBound; ++i) {
    open.push_back(Watch(i < kBound / 2 ? "partner-woej" : "partner-vidomes",
                         "application/connect+json", JsonRequest()));
  }
  absl::SleepFor(absl::Milliseconds(500));
  // The regisseur's first: refused by the port's bound, not its own.
  auto refused = Watch("regisseur", "application/connect+json", JsonRequest());
  std::optional<std::string> end = refused->End(absl::Seconds(5));
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(refused->status(), 200);
  std::string message;
  EXPECT_EQ(EndCode(*end, &message), "resource_exhausted");
  EXPECT_THAT(message, HasSubstr("streams"));
  // Unary calls still find workers.
  {
    auto dir = v1::DirectoryService::NewStub(MakeChannel(server_->address(), Demo("regisseur")));
    Ctx ctx;
    v1::WhoAmIResponse me;
    EXPECT_TRUE(dir->WhoAmI(ctx.get(), v1::WhoAmIRequest(), &me).ok());
  }
  // One client goes; its stream ends within the poll.
  open.front()->Drop();
  absl::SleepFor(absl::Milliseconds(100));
  As brug = Who("brugfunctionaris");
  v1::Handover first = Propose(brug, Resident(brug), "woej");
  for (size_t i = 1; i < kBound / 2; ++i) {
    ASSERT_TRUE(AwaitProposal(*open[i], first.id(), true, absl::Seconds(5)).has_value()) << i;
  }
  absl::SleepFor(absl::Milliseconds(200));
  auto again = Watch("partner-woej", "application/connect+json", JsonRequest());
  absl::SleepFor(absl::Milliseconds(300));
  v1::Handover second = Propose(brug, Resident(brug), "woej");
  EXPECT_TRUE(AwaitProposal(*again, second.id(), true, absl::Seconds(5)).has_value());
}

TEST_F(HttpsStreamTest, ShutdownWithAStreamOpenReturnsWithinTheGrace) {
  auto c = Watch("partner-woej", "application/connect+json", JsonRequest(), /*timeout_ms=*/0);
  absl::SleepFor(absl::Milliseconds(300));
  As brug = Who("brugfunctionaris");
  v1::Handover h = Propose(brug, Resident(brug), "woej");
  ASSERT_TRUE(AwaitProposal(*c, h.id(), true, absl::Seconds(5)).has_value());
  const absl::Duration grace = absl::Seconds(5);
  const absl::Time start = absl::Now();
  server_->Shutdown(grace);
  const absl::Duration took = absl::Now() - start;
  std::printf("Shutdown with an HTTPS stream open: %.1f ms\n", absl::ToDoubleMilliseconds(took));
  EXPECT_LT(took, grace);
  // The stream ended with its end-of-stream envelope, not a cut connection.
  std::optional<std::string> end = c->End(absl::Seconds(2));
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(*end, "{}");
}

}  // namespace
}  // namespace schakel::testing
