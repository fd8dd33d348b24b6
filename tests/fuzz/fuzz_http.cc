// fuzz_http: arbitrary bytes as what a client sends to the HTTPS port.
//
// An input is the raw bytes of one HTTP/1.1 request: request line,
// headers, body. They go through what schakeld's HTTPS port does before a
// handler runs (server/web/https_server.cc): Boost.Beast's parser with the
// port's header and body limits; for a console path the static file rules
// (on a temporary assets directory with an index.html, an asset and a
// secret beside it that must never be served); for an API path the
// browser-safety checks and Connect-Timeout-Ms, the lookup of the method
// and the decoding of the body (proto3 JSON or binary) into the method's
// request message, as ConnectDispatcher does; then the Connect error
// encoding of whatever status that gave. What a decoded request does in
// the handlers is fuzz_requests' part.
//
// Built with libFuzzer (-DSCHAKEL_FUZZ=ON) as bin/fuzz_http; the ordinary
// build replays tests/fuzz/corpus-http through the same entry point as
// the test fuzz_http_corpus_replay.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "schakel/v1/directory.pb.h"
#include "server/web/connect_protocol.h"
#include "server/web/request_head.h"
#include "server/web/static_files.h"

namespace {

namespace http = boost::beast::http;
using schakel::web::Codec;

constexpr size_t kMaxHeader = 16 * 1024;
constexpr size_t kMaxBody = 1 << 20;
constexpr char kSecret[] = "SECRET-OUTSIDE-THE-ASSETS";

struct Fixture {
  std::string root;
  std::string assets;
  Fixture() {
    // protobuf logs a line for each invalid UTF-8 string it serializes
    // (google.protobuf.Value in a JSON body): expected here, and nothing
    // to learn from, as in fuzz_requests.
    google::protobuf::SetLogHandler(nullptr);
    // Linked in so that the generated pool knows every schakel.v1 file.
    // Every schakel.v1 file is linked in whole (CMake: WHOLE_ARCHIVE).
    schakel::v1::PingRequest::descriptor();
    char tmpl[] = "/tmp/fuzz_http-XXXXXX";
    root = mkdtemp(tmpl);
    assets = root + "/web";
    std::filesystem::create_directories(assets + "/assets");
    std::ofstream(assets + "/index.html") << "<!doctype html><title>schakel</title>";
    std::ofstream(assets + "/assets/app-1a2b3c.js") << "console.log(1)";
    std::ofstream(root + "/secret.txt") << kSecret;
  }
};

const Fixture& TheFixture() {
  static const Fixture* f = new Fixture();
  return *f;
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_http: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixture& fixture = TheFixture();
  http::request_parser<http::string_body> parser;
  parser.header_limit(kMaxHeader);
  parser.body_limit(kMaxBody);
  parser.eager(true);
  boost::beast::error_code ec;
  boost::asio::const_buffer input(data, size);
  while (input.size() > 0 && !parser.is_done()) {
    size_t used = parser.put(input, ec);
    if (ec == http::error::need_more) break;
    if (ec) return 0;
    if (used == 0) break;
    input += used;
  }
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;
  }
  const auto& req = parser.get();
  const std::string target(req.target());
  const std::string method(req.method_string());
  if (!schakel::web::IsApiPath(target)) {
    schakel::web::StaticReply file = schakel::web::ServeStatic(fixture.assets, method, target);
    Check(!absl::StrContains(file.body, kSecret), "a file outside the assets was served");
    Check(file.http_status == 200 || file.body.size() < 100, "an error page carries a body");
    return 0;
  }
  schakel::web::ApiRequestHead head = schakel::web::HeadOf(req);
  schakel::web::Refusal refusal;
  absl::StatusOr<Codec> codec =
      schakel::web::CheckApiRequest(head, {"https://localhost:7445"}, &refusal);
  if (!codec.ok()) {
    Check(refusal.http_status >= 400 && refusal.http_status < 500, "a refusal is not a 4xx");
    Check(!schakel::web::ErrorBody(codec.status()).empty(), "an empty error body");
    return 0;
  }
  std::string path = schakel::web::MethodPath(target);
  std::string full = path.substr(1);
  size_t slash = full.find('/');
  if (slash == std::string::npos) return 0;
  full[slash] = '.';
  const auto* rpc = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full);
  if (rpc == nullptr) return 0;
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> request(factory.GetPrototype(rpc->input_type())->New());
  bool decoded = *codec == Codec::kJson
                     ? google::protobuf::util::JsonStringToMessage(req.body(), request.get()).ok()
                     : request->ParseFromString(req.body());
  if (decoded) {
    // What decodes also encodes, both ways.
    std::string json;
    Check(google::protobuf::util::MessageToJsonString(*request, &json).ok() ||
              *codec == Codec::kProto,
          "a decoded JSON request does not encode");
  }
  // The error encoder with whatever bytes a message could carry.
  Check(!schakel::web::ErrorBody(absl::InvalidArgumentError(req.body().substr(0, 300))).empty(),
        "an empty error body");
  return 0;
}

#ifdef SCHAKEL_FUZZ_REPLAY
// The ordinary build: every file of the corpus directory once.
int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_http_corpus_replay CORPUS_DIR\n");
    return 2;
  }
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    ++n;
  }
  std::printf("fuzz_http: replayed %d inputs\n", n);
  return n > 0 ? 0 : 1;
}
#endif
