#include "tools/common/cli.h"

#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <iostream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace schakel::tools {

void AddConnectionFlags(Args& args) {
  args.AddString("server", "HOST:PORT of schakeld (default $SCHAKEL_SERVER, else 127.0.0.1:7443)");
  args.AddString("identity",
                 "directory with cert.pem, key.pem and ca.pem (default $SCHAKEL_IDENTITY)");
  args.AddBool("json", "print the response in the proto3 JSON mapping");
}

ClientOptions ConnectionOptions(const Args& args) {
  ClientOptions options;
  options.server = args.Get("server");
  if (options.server.empty()) {
    const char* env = std::getenv("SCHAKEL_SERVER");
    options.server = env != nullptr && *env != '\0' ? env : "127.0.0.1:7443";
  }
  options.identity_dir = args.Get("identity");
  if (options.identity_dir.empty()) {
    const char* env = std::getenv("SCHAKEL_IDENTITY");
    if (env != nullptr) options.identity_dir = env;
  }
  return options;
}

int Fail(const std::string& program, const absl::Status& status) {
  std::string message(status.message());
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::cerr << program << ": " << absl::StatusCodeToString(status.code()) << ": " << message
            << std::endl;
  return 1;
}

absl::Status PrintJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return absl::InternalError("cannot print the response as JSON");
  std::cout << json;
  if (json.empty() || json.back() != '\n') std::cout << "\n";
  std::cout << std::flush;
  return absl::OkStatus();
}

absl::Status PrintJsonLine(const google::protobuf::Message& message) {
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json);
  if (!status.ok()) return absl::InternalError("cannot print the response as JSON");
  std::cout << json << "\n" << std::flush;
  return absl::OkStatus();
}

}  // namespace schakel::tools
