#include "server/web/connect_protocol.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "server/web/static_files.h"

namespace schakel::web {
namespace {

const std::vector<std::string> kOrigins = {"https://localhost:7445", "https://127.0.0.1:7445"};

ApiRequestHead Post(std::string content_type) {
  ApiRequestHead h;
  h.method = "POST";
  h.target = "/schakel.v1.SignalService/GetSignal";
  h.content_type = std::move(content_type);
  return h;
}

TEST(ConnectProtocolTest, AcceptsTheTwoUnaryCodecs) {
  Refusal r;
  EXPECT_EQ(*CheckApiRequest(Post("application/json"), kOrigins, &r), Codec::kJson);
  EXPECT_EQ(*CheckApiRequest(Post("application/json; charset=utf-8"), kOrigins, &r), Codec::kJson);
  EXPECT_EQ(*CheckApiRequest(Post("Application/JSON"), kOrigins, &r), Codec::kJson);
  EXPECT_EQ(*CheckApiRequest(Post("application/proto"), kOrigins, &r), Codec::kProto);
}

TEST(ConnectProtocolTest, RefusesWhatAFormOrAnImageCouldSend) {
  // What a cross-site page can send without a CORS preflight.
  for (const char* type : {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                           "text/plain", "text/plain; charset=utf-8", "", "application/json; charset=latin1",
                           "application/proto; x=1", "application/connect+json"}) {
    Refusal r;
    absl::StatusOr<Codec> c = CheckApiRequest(Post(type), kOrigins, &r);
    EXPECT_FALSE(c.ok()) << type;
    EXPECT_EQ(r.http_status, 415) << type;
    EXPECT_NE(c.status().message().find("Content-Type"), absl::string_view::npos);
  }
}

TEST(ConnectProtocolTest, TheStreamingFormHasItsOwnContentTypesUnderTheSameRules) {
  Refusal r;
  absl::StatusOr<ApiForm> json = CheckConnectRequest(Post("application/connect+json"), kOrigins, &r);
  ASSERT_TRUE(json.ok());
  EXPECT_TRUE(json->streaming);
  EXPECT_EQ(json->codec, Codec::kJson);
  absl::StatusOr<ApiForm> proto = CheckConnectRequest(Post("application/connect+proto"), kOrigins, &r);
  ASSERT_TRUE(proto.ok());
  EXPECT_EQ(proto->codec, Codec::kProto);
  absl::StatusOr<ApiForm> unary = CheckConnectRequest(Post("application/json"), kOrigins, &r);
  ASSERT_TRUE(unary.ok());
  EXPECT_FALSE(unary->streaming);
  ApiRequestHead evil = Post("application/connect+json");
  evil.origin = "https://evil.example";
  Refusal denied;
  EXPECT_FALSE(CheckConnectRequest(evil, kOrigins, &denied).ok());
  EXPECT_EQ(denied.http_status, 403);
  ApiRequestHead gzip = Post("application/connect+proto");
  gzip.connect_content_encoding = "gzip";
  Refusal compressed;
  EXPECT_FALSE(CheckConnectRequest(gzip, kOrigins, &compressed).ok());
  EXPECT_EQ(compressed.http_status, 415);
  for (const char* type : {"text/plain", "application/connect+proto; x=1", "application/grpc"}) {
    Refusal t;
    EXPECT_FALSE(CheckConnectRequest(Post(type), kOrigins, &t).ok()) << type;
    EXPECT_EQ(t.http_status, 415) << type;
  }
}

TEST(ConnectProtocolTest, ARequestEnvelopeIsExactlyOneUncompressedMessage) {
  const std::string good = Envelope(0, "{\"afterSeq\":\"3\"}");
  ASSERT_EQ(good.size(), 5u + 16u);
  EXPECT_EQ(good.substr(0, 5), std::string("\0\0\0\0\x10", 5));
  EXPECT_EQ(*RequestMessage(good), "{\"afterSeq\":\"3\"}");
  EXPECT_EQ(*RequestMessage(Envelope(0, "")), "");
  std::string compressed = good;
  compressed[0] = 0x01;
  std::string end = good;
  end[0] = 0x02;
  std::string unknown = good;
  unknown[0] = 0x40;
  for (const auto& [body, says] : std::vector<std::pair<std::string, std::string>>{
           {compressed, "compressed"},
           {end, "flag 0"},
           {unknown, "flag 0"},
           {good.substr(0, good.size() - 1), "says 16 bytes and carries 15"},
           {good + good, "says 16 bytes and carries 37"},
           {good.substr(0, 4), "one envelope"},
       }) {
    absl::StatusOr<std::string> m = RequestMessage(body);
    EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument) << says;
    EXPECT_NE(m.status().message().find(says), absl::string_view::npos) << m.status().message();
  }
}

TEST(ConnectProtocolTest, TheEndOfAStreamIsEmptyOrTheUnaryErrorUnderError) {
  EXPECT_EQ(EndStreamBody(absl::OkStatus()), "{}");
  EXPECT_EQ(EndStreamBody(absl::UnauthenticatedError("the professional is disabled")),
            "{\"error\":{\"code\":\"unauthenticated\",\"message\":\"the professional is disabled\"}}");
  EXPECT_EQ(EndStreamBody(absl::ResourceExhaustedError("")), "{\"error\":{\"code\":\"resource_exhausted\"}}");
  EXPECT_EQ(static_cast<uint8_t>(Envelope(kEnvelopeEndStream, "{}")[0]), 0x02);
}

TEST(ConnectProtocolTest, OnlyPost) {
  for (const char* method : {"GET", "HEAD", "PUT", "OPTIONS", "DELETE"}) {
    ApiRequestHead h = Post("application/json");
    h.method = method;
    Refusal r;
    EXPECT_FALSE(CheckApiRequest(h, kOrigins, &r).ok());
    EXPECT_EQ(r.http_status, 405) << method;
    EXPECT_EQ(r.header_name, "Allow");
    EXPECT_EQ(r.header_value, "POST");
  }
}

TEST(ConnectProtocolTest, OriginMustBeTheConsoles) {
  ApiRequestHead h = Post("application/json");
  Refusal r;
  h.origin = "https://localhost:7445";
  EXPECT_TRUE(CheckApiRequest(h, kOrigins, &r).ok());
  for (const char* origin : {"https://evil.example", "http://localhost:7445", "https://localhost:7446",
                             "null", "https://localhost:7445.evil.example", ""}) {
    h.origin = origin;
    Refusal denied;
    absl::StatusOr<Codec> c = CheckApiRequest(h, kOrigins, &denied);
    EXPECT_EQ(denied.http_status, 403) << origin;
    EXPECT_EQ(c.status().code(), absl::StatusCode::kPermissionDenied);
  }
}

TEST(ConnectProtocolTest, CompressionAndTimeout) {
  ApiRequestHead h = Post("application/json");
  h.content_encoding = "gzip";
  Refusal r;
  EXPECT_FALSE(CheckApiRequest(h, kOrigins, &r).ok());
  EXPECT_EQ(r.http_status, 415);
  h.content_encoding = "identity";
  EXPECT_TRUE(CheckApiRequest(h, kOrigins, &r).ok());
  for (const char* bad : {"", "abc", "-1", "1.5", "12345678901", " 5"}) {
    h.timeout_ms = bad;
    Refusal t;
    EXPECT_FALSE(CheckApiRequest(h, kOrigins, &t).ok()) << bad;
    EXPECT_EQ(t.http_status, 400) << bad;
  }
  const absl::Time now = absl::FromUnixSeconds(1000);
  EXPECT_EQ(*ParseTimeout(std::string("1500"), now), now + absl::Milliseconds(1500));
  EXPECT_EQ(*ParseTimeout(std::nullopt, now), absl::InfiniteFuture());
  EXPECT_EQ(*ParseTimeout(std::string("9999999999"), now), now + absl::Milliseconds(9999999999));
}

TEST(ConnectProtocolTest, CodesMapOneToOne) {
  struct Row {
    absl::StatusCode code;
    const char* name;
    int http;
  };
  // connectrpc.com/docs/protocol, "Error Codes".
  const Row rows[] = {
      {absl::StatusCode::kCancelled, "canceled", 499},
      {absl::StatusCode::kUnknown, "unknown", 500},
      {absl::StatusCode::kInvalidArgument, "invalid_argument", 400},
      {absl::StatusCode::kDeadlineExceeded, "deadline_exceeded", 504},
      {absl::StatusCode::kNotFound, "not_found", 404},
      {absl::StatusCode::kAlreadyExists, "already_exists", 409},
      {absl::StatusCode::kPermissionDenied, "permission_denied", 403},
      {absl::StatusCode::kResourceExhausted, "resource_exhausted", 429},
      {absl::StatusCode::kFailedPrecondition, "failed_precondition", 400},
      {absl::StatusCode::kAborted, "aborted", 409},
      {absl::StatusCode::kOutOfRange, "out_of_range", 400},
      {absl::StatusCode::kUnimplemented, "unimplemented", 501},
      {absl::StatusCode::kInternal, "internal", 500},
      {absl::StatusCode::kUnavailable, "unavailable", 503},
      {absl::StatusCode::kDataLoss, "data_loss", 500},
      {absl::StatusCode::kUnauthenticated, "unauthenticated", 401},
  };
  for (const Row& row : rows) {
    EXPECT_STREQ(ConnectCodeName(row.code), row.name);
    EXPECT_EQ(HttpStatusOf(row.code), row.http) << row.name;
  }
}

TEST(ConnectProtocolTest, ErrorBodyIsEscapedJson) {
  EXPECT_EQ(ErrorBody(absl::NotFoundError("signal: no such signal")),
            R"({"code":"not_found","message":"signal: no such signal"})");
  EXPECT_EQ(ErrorBody(absl::InvalidArgumentError("a \"quote\" and \\ and\nline")),
            R"({"code":"invalid_argument","message":"a \"quote\" and \\ and\nline"})");
  EXPECT_EQ(ErrorBody(absl::UnavailableError("")), R"({"code":"unavailable"})");
  // Bytes that are not UTF-8 never make an unparsable body.
  EXPECT_EQ(ErrorBody(absl::InvalidArgumentError("\xff\xfe")), R"({"code":"invalid_argument"})");
}

TEST(ConnectProtocolTest, ApiPaths) {
  EXPECT_TRUE(IsApiPath("/schakel.v1.SignalService/GetSignal"));
  EXPECT_FALSE(IsApiPath("/"));
  EXPECT_FALSE(IsApiPath("/schakel.v2.X/Y"));
  EXPECT_EQ(MethodPath("/schakel.v1.A/B?x=1"), "/schakel.v1.A/B");
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::testing::TempDir() + "static-files-" + std::to_string(getpid());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ + "/web/assets");
    std::ofstream(root_ + "/web/index.html") << "<!doctype html>";
    std::ofstream(root_ + "/web/assets/app-1a2b3c.js") << "js";
    std::ofstream(root_ + "/web/favicon.ico") << "ico";
    std::ofstream(root_ + "/secret.conf") << "secret";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string root_;
};

TEST_F(StaticFilesTest, IndexIsNeverCachedAssetsAreImmutable) {
  const std::string web = root_ + "/web";
  for (const char* route : {"/", "/signalen", "/signalen/s123?tab=notes", "/index.html"}) {
    StaticReply r = ServeStatic(web, "GET", route);
    EXPECT_EQ(r.http_status, 200) << route;
    EXPECT_EQ(r.body, "<!doctype html>") << route;
    EXPECT_EQ(r.cache_control, "no-store") << route;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  }
  StaticReply js = ServeStatic(web, "GET", "/assets/app-1a2b3c.js");
  EXPECT_EQ(js.http_status, 200);
  EXPECT_EQ(js.cache_control, "public, max-age=31536000, immutable");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(ServeStatic(web, "GET", "/favicon.ico").cache_control, "no-cache");
}

TEST_F(StaticFilesTest, APrecompressedCopyGoesOnlyToAClientThatTakesGzip) {
  const std::string web = root_ + "/web";
  std::ofstream(web + "/assets/app-1a2b3c.js.gz") << "gz";
  StaticReply plain = ServeStatic(web, "GET", "/assets/app-1a2b3c.js", "");
  EXPECT_EQ(plain.body, "js");
  EXPECT_EQ(plain.content_encoding, "");
  StaticReply gz = ServeStatic(web, "GET", "/assets/app-1a2b3c.js", "gzip, deflate, br");
  EXPECT_EQ(gz.body, "gz");
  EXPECT_EQ(gz.content_encoding, "gzip");
  EXPECT_EQ(gz.content_type, "text/javascript; charset=utf-8");
  // No .gz beside it: the file itself.
  StaticReply index = ServeStatic(web, "GET", "/", "gzip");
  EXPECT_EQ(index.body, "<!doctype html>");
  EXPECT_EQ(index.content_encoding, "");
}

TEST_F(StaticFilesTest, NothingOutsideTheAssets) {
  const std::string web = root_ + "/web";
  for (const char* path : {"/../secret.conf", "/assets/../../secret.conf", "/%2e%2e/secret.conf",
                           "//secret.conf", "/assets/..%2f..%2fsecret.conf", "/web/../secret.conf",
                           "relative", "/assets/missing.js", "/assets"}) {
    StaticReply r = ServeStatic(web, "GET", path);
    EXPECT_NE(r.body, "secret") << path;
    if (std::string(path) != "/assets") EXPECT_EQ(r.http_status, 404) << path;
  }
  EXPECT_EQ(ServeStatic(web, "POST", "/").http_status, 405);
  EXPECT_EQ(ServeStatic(web, "POST", "/").allow, "GET, HEAD");
  EXPECT_EQ(ServeStatic("", "GET", "/").http_status, 404);
  EXPECT_EQ(ServeStatic(root_ + "/none", "GET", "/").http_status, 404);
}

}  // namespace
}  // namespace schakel::web
